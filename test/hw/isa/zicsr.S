/* zicsr.S - Zicsr instructions csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci
 * (read-old/write-new semantics, bit set/clear masks, rs1 = x0 / uimm = 0 do
 * not write, rd = x0 still writes), read-only CSRs (write attempts raise an
 * illegal-instruction exception, reads do not), and the Zicntr counters
 * cycle/time/instret and their machine-mode views mcycle/minstret, plus time
 * versus the memory-mapped CLINT mtime.
 */
#include "isa.h"

#define CLINT_MTIME 0x200bff8

ISA_BEGIN
    /* csrrw: returns the old value, writes the new one */
    li a1, 0x0123456789abcdef
    csrw mscratch, a1                   /* csrrw x0, mscratch, a1 */
    li a2, 0xfedcba9876543210
    csrrw a0, mscratch, a2
    ICHECK(a0, 0x0123456789abcdef, 1)
    csrr a0, mscratch                   /* csrrs a0, mscratch, x0 */
    ICHECK(a0, 0xfedcba9876543210, 2)
    /* rd = rs1: the old CSR value lands in the register after the write */
    li a1, 0x55
    csrrw a1, mscratch, a1
    ICHECK(a1, 0xfedcba9876543210, 3)
    csrr a0, mscratch
    ICHECK(a0, 0x55, 4)

    /* csrrs: set bits given by the mask */
    li a1, 0xf0f0
    csrw mscratch, a1
    li a2, 0x0ff0000000000000
    csrrs a0, mscratch, a2
    ICHECK(a0, 0xf0f0, 5)
    csrr a0, mscratch
    ICHECK(a0, 0x0ff000000000f0f0, 6)
    li a2, 0x0f0f
    csrs mscratch, a2                   /* csrrs x0 */
    csrr a0, mscratch
    ICHECK(a0, 0x0ff000000000ffff, 7)
    /* csrrc: clear bits given by the mask */
    li a2, 0x0f0000000000ff00
    csrrc a0, mscratch, a2
    ICHECK(a0, 0x0ff000000000ffff, 8)
    csrr a0, mscratch
    ICHECK(a0, 0x00f00000000000ff, 9)
    li a2, -1
    csrc mscratch, a2
    csrr a0, mscratch
    ICHECK(a0, 0, 10)

    /* immediate forms: 5-bit zero-extended uimm */
    li a1, -1
    csrw mscratch, a1
    csrrwi a0, mscratch, 31
    ICHECK(a0, -1, 11)
    csrr a0, mscratch
    ICHECK(a0, 31, 12)
    csrrci a0, mscratch, 0x15
    ICHECK(a0, 31, 13)
    csrr a0, mscratch
    ICHECK(a0, 0x0a, 14)
    csrrsi a0, mscratch, 0x11
    ICHECK(a0, 0x0a, 15)
    csrr a0, mscratch
    ICHECK(a0, 0x1b, 16)
    csrwi mscratch, 16
    csrr a0, mscratch
    ICHECK(a0, 16, 17)
    csrsi mscratch, 1
    csrci mscratch, 16
    csrr a0, mscratch
    ICHECK(a0, 1, 18)

    /* rs1 = x0 and uimm = 0: the CSR is read but not written */
    li a1, 0x77
    csrw mscratch, a1
    csrrs a0, mscratch, x0
    ICHECK(a0, 0x77, 19)
    csrrc a0, mscratch, x0
    ICHECK(a0, 0x77, 20)
    csrrsi a0, mscratch, 0
    ICHECK(a0, 0x77, 21)
    csrrci a0, mscratch, 0
    ICHECK(a0, 0x77, 22)
    csrr a0, mscratch
    ICHECK(a0, 0x77, 23)
    /* ... so these forms are legal on read-only CSRs */
    csrrs a0, mhartid, x0
    ICHECK(a0, 0, 24)                   /* single hart 0 */
    csrrc a0, mhartid, x0
    ICHECK(a0, 0, 25)
    csrrsi a0, mhartid, 0
    csrrci a0, mvendorid, 0
    csrrs a0, marchid, x0
    csrrs a0, mimpid, x0
    csrrc a0, cycle, x0
    csrrsi a0, time, 0
    csrrci a0, instret, 0

    /* writes to read-only CSRs raise illegal instruction (mcause 2) */
    EXPECT_TRAP
    csrrw a0, mhartid, x0
    CHECK_TRAPPED(2, 26)
    EXPECT_TRAP
    csrrwi x0, cycle, 0                 /* csrrw always writes, even rd = x0 */
    CHECK_TRAPPED(2, 27)
    EXPECT_TRAP
    li a1, 1
    csrrs a0, instret, a1
    CHECK_TRAPPED(2, 28)
    EXPECT_TRAP
    csrrci a0, time, 1
    CHECK_TRAPPED(2, 29)
    EXPECT_TRAP
    csrrsi a0, mvendorid, 4
    CHECK_TRAPPED(2, 30)
    /* the trapping instruction did not write its destination */
    li a0, 0x99
    EXPECT_TRAP
    csrrw a0, cycle, a0
    CHECK_TRAPPED(2, 31)
    ICHECK(a0, 0x99, 32)

    /* counters: cycle, instret, time advance */
    rdcycle s0
    rdinstret s1
    rdtime s2
    li a1, 1000
1:  addi a1, a1, -1
    bnez a1, 1b
    rdcycle s3
    rdinstret s4
    bltu s0, s3, 2f
    FAIL(33)
2:  sub a0, s4, s1
    li a1, 2000                         /* at least the 2000 loop instructions */
    bgeu a0, a1, 3f
    mv a1, a0
    FAIL(34)
3:  /* time: wait (bounded) until it changes */
    li a1, 50000000
4:  rdtime s5
    bne s5, s2, 5f
    addi a1, a1, -1
    bnez a1, 4b
    FAIL(35)
5:  bltu s2, s5, 6f                     /* it went forwards */
    FAIL(36)
6:
    /* the user-level names read the machine counters */
    csrr s0, mcycle
    rdcycle s1
    bgeu s1, s0, 7f
    FAIL(37)
7:  csrr s0, minstret
    rdinstret s1
    bltu s0, s1, 8f                     /* strictly: minstret read retired */
    FAIL(38)
8:
    /* time matches the CLINT mtime register: mtime1 <= time <= mtime2 */
    li a3, CLINT_MTIME
    ld s0, 0(a3)
    rdtime s1
    ld s2, 0(a3)
    bgeu s1, s0, 9f
    FAIL(39)
9:  bgeu s2, s1, 10f
    FAIL(40)
10:
    /* writing mcycle / minstret sets the counter (it then keeps counting) */
    li a1, 1000000
    csrw minstret, a1
    csrr a0, minstret
    sub a0, a0, a1
    li a2, 0x10000000
    sltu a0, a0, a2                     /* 1000000 <= minstret < 1000000 + 2^28 */
    ICHECK(a0, 1, 41)
    li a1, 0x100000000000
    csrw mcycle, a1
    csrr a0, mcycle
    bgeu a0, a1, 11f
    FAIL(42)
11: sub a0, a0, a1
    li a2, 0x10000000                   /* and did not jump far ahead */
    bltu a0, a2, 12f
    FAIL(43)
12:
ISA_PASS
