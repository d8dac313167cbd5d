# start.S - entry of tsix's bare-metal demos: every hart starts here in M-mode.
# Hart 0 gets a stack and calls main(); other harts park in wfi. main's return
# value goes to the SiFive test finisher: 0 -> pass (exit 0), n -> fail (exit n).
    .section .text.init
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, park
    la   sp, _stack_top
    li   t0, (1 << 13)          # mstatus.FS = Initial: allow floating point
    csrs mstatus, t0
    call main
    li   t0, 0x100000
    beqz a0, 1f
    slli a0, a0, 16
    li   t1, 0x3333
    or   a0, a0, t1
    sw   a0, 0(t0)
    j    2f
1:  li   t1, 0x5555
    sw   t1, 0(t0)
2:  j    2b
park:
    wfi
    j    park
