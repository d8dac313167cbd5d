# knowncount.S (bare-metal) - knowncount-linux.S adapted to exit
# through the SiFive test finisher: 4 + 10,000,000*3 instructions in the loop
# part, then the finisher write (pass = exit 0).
    .section .text.init
    .globl _start
_start:
    li   t0, 10000000
    li   t1, 0
1:  addi t1, t1, 3
    addi t0, t0, -1
    bnez t0, 1b
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
2:  j 2b
