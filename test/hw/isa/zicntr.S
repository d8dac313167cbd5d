/* zicntr.S - exact instruction counting: instret (and minstret) read by
 * rdinstret/csrr returns the number of instructions retired before the
 * reading instruction, so the difference between two reads is the number of
 * instructions in between plus one (the first read itself).
 *
 * QEMU counts retired instructions exactly only in icount mode, so the
 * reference run of this file uses:
 * QEMU_ARGS: -icount shift=0
 */
#include "isa.h"

ISA_BEGIN
    /* straight-line code: 4 instructions between the reads */
    rdinstret s0
    nop
    addi a0, x0, 1
    add a1, a0, a0
    nop
    rdinstret s1
    sub a0, s1, s0
    ICHECK(a0, 5, 1)
    /* back-to-back reads */
    rdinstret s0
    rdinstret s1
    sub a0, s1, s0
    ICHECK(a0, 1, 2)
    /* minstret is the same counter */
    csrr s0, minstret
    rdinstret s1
    sub a0, s1, s0
    ICHECK(a0, 1, 3)
    rdinstret s0
    csrr s1, minstret
    sub a0, s1, s0
    ICHECK(a0, 1, 4)
    /* a loop: li + 10 x (addi, bnez) = 21 instructions, taken and not-taken
       branches count once each */
    rdinstret s0
    li a1, 10
1:  addi a1, a1, -1
    bnez a1, 1b
    rdinstret s1
    sub a0, s1, s0
    ICHECK(a0, 22, 5)
    /* loads, stores, jumps, multiply/divide, FP, AMO and CSR instructions each
       count one: 12 instructions */
    la a2, scratch                      /* auipc + addi (2) */
    rdinstret s0
    sd a1, 0(a2)
    ld a3, 0(a2)
    j 2f
    nop
2:  jal ra, 3f
3:  mul a4, a3, a3
    divu a4, a4, a2
    fadd.d f0, f0, f0
    fmv.x.d a5, f0
    amoadd.d a5, a1, (a2)
    lr.d a5, (a2)
    sc.d a4, a1, (a2)
    csrr a5, mscratch
    rdinstret s1
    sub a0, s1, s0
    ICHECK(a0, 13, 6)
    /* compressed instructions count one each: 3 instructions */
    rdinstret s0
    .option push
    .option rvc
    c.addi a1, 1
    c.nop
    c.mv a2, a1
    .option pop
    rdinstret s1
    sub a0, s1, s0
    ICHECK(a0, 4, 7)
    /* writing minstret: counting continues from the written value */
    li a1, 5000
    csrw minstret, a1
    nop
    nop
    rdinstret a0
    sub a0, a0, a1
    sltiu a0, a0, 4                     /* 2 or 3 depending on whether the
                                           writing instruction counts */
    ICHECK(a0, 1, 8)
ISA_PASS

    .section .data
    .align 3
scratch: .dword 0
