/* rvc.S - every RV64C instruction, written with explicit c.* mnemonics so the
 * assembler must emit the 16-bit encodings (checked with objdump):
 *  quadrant 0: c.addi4spn, c.fld, c.lw, c.ld, c.fsd, c.sw, c.sd
 *  quadrant 1: c.nop, c.addi, c.addiw, c.li, c.addi16sp, c.lui, c.srli,
 *              c.srai, c.andi, c.sub, c.xor, c.or, c.and, c.subw, c.addw,
 *              c.j, c.beqz, c.bnez
 *  quadrant 2: c.slli, c.fldsp, c.lwsp, c.ldsp, c.jr, c.mv, c.ebreak, c.jalr,
 *              c.add, c.fsdsp, c.swsp, c.sdsp
 * plus immediate sign extension and scaling, c.jalr/c.jr links (pc + 2),
 * 32-bit instructions at 2-byte aligned addresses and one that straddles a
 * 4 KiB page boundary.
 */
#include "isa.h"

ISA_BEGIN
    .option rvc
    /* ---- quadrant 1: constants and ALU ---- */
    c.li a0, 31
    ICHECK(a0, 31, 1)
    c.li a0, -32                        /* 6-bit immediate, sign-extended */
    ICHECK(a0, -32, 2)
    c.li a5, 0
    ICHECK(a5, 0, 3)
    c.lui a1, 1
    ICHECK(a1, 0x1000, 4)
    c.lui a1, 0x1f
    ICHECK(a1, 0x1f000, 5)
    c.lui a1, 0xfffe0                   /* nzimm[17] set: sign-extended */
    ICHECK(a1, 0xfffffffffffe0000, 6)
    c.lui a1, 0xfffff
    ICHECK(a1, 0xfffffffffffff000, 7)
    li a2, 100
    c.addi a2, 31
    ICHECK(a2, 131, 8)
    c.addi a2, -32
    ICHECK(a2, 99, 9)
    li a2, 0x7fffffff
    c.addiw a2, 1                       /* 32-bit add, sign-extended */
    ICHECK(a2, 0xffffffff80000000, 10)
    li a2, 0x1234567800000005
    c.addiw a2, 0                       /* sext.w */
    ICHECK(a2, 5, 11)
    li a2, 0xfffffffe
    c.addiw a2, -1
    ICHECK(a2, 0xfffffffffffffffd, 12)
    li a0, 7
    c.nop
    ICHECK(a0, 7, 13)
    /* shifts: 6-bit shamt */
    li a0, 1
    c.slli a0, 63
    ICHECK(a0, 0x8000000000000000, 14)
    li s1, 0x8000000000000000
    c.srli s1, 63
    ICHECK(s1, 1, 15)
    li s1, 0x8000000000000000
    c.srli s1, 32
    ICHECK(s1, 0x80000000, 16)
    li s1, 0x8000000000000000
    c.srai s1, 32
    ICHECK(s1, 0xffffffff80000000, 17)
    li s1, 0x8000000000000000
    c.srai s1, 63
    ICHECK(s1, -1, 18)
    li a3, 0x123456789
    c.slli a3, 4
    ICHECK(a3, 0x1234567890, 19)
    c.srli a3, 1
    ICHECK(a3, 0x091a2b3c48, 20)
    /* c.andi: sign-extended immediate */
    li a4, 0x123456789abcdef0
    c.andi a4, -16
    ICHECK(a4, 0x123456789abcdef0, 21)
    li a4, 0x123456789abcdef7
    c.andi a4, 0x1f
    ICHECK(a4, 0x17, 22)
    li a4, 0x123456789abcdeff
    c.andi a4, -32
    ICHECK(a4, 0x123456789abcdee0, 23)
    /* register-register (x8..x15) */
    li s0, 0x1111
    li s1, 0x0101
    c.sub s0, s1
    ICHECK(s0, 0x1010, 24)
    li a0, 0xff00ff00ff00ff00
    li a1, 0x0ff00ff00ff00ff0
    c.xor a0, a1
    ICHECK(a0, 0xf0f0f0f0f0f0f0f0, 25)
    li a0, 0xff00ff00ff00ff00
    c.or a0, a1
    ICHECK(a0, 0xfff0fff0fff0fff0, 26)
    li a0, 0xff00ff00ff00ff00
    c.and a0, a1
    ICHECK(a0, 0x0f000f000f000f00, 27)
    li a2, 0x0000000080000000
    li a3, 1
    c.subw a2, a3
    ICHECK(a2, 0x7fffffff, 28)
    li a2, 0x123456787fffffff
    c.addw a2, a3
    ICHECK(a2, 0xffffffff80000000, 29)
    li a2, 0
    c.subw a2, a3
    ICHECK(a2, -1, 30)
    li a4, 0x100000000
    li a5, 0x100000000
    c.addw a4, a5                       /* low 32 bits are 0 */
    ICHECK(a4, 0, 31)
    /* c.mv and c.add (any registers) */
    li t0, 0xabcdef
    c.mv t1, t0
    ICHECK(t1, 0xabcdef, 32)
    li t2, 5
    c.add t2, t0
    ICHECK(t2, 0xabcdf4, 33)
    li ra, -1
    li t3, 1
    c.add t3, ra
    ICHECK(t3, 0, 34)

    /* ---- stack pointer instructions ---- */
    mv s11, sp                          /* sp = _stack_top, 16-byte aligned */
    c.addi16sp sp, -512
    sub a0, s11, sp
    ICHECK(a0, 512, 35)
    c.addi16sp sp, 496
    sub a0, s11, sp
    ICHECK(a0, 16, 36)
    c.addi16sp sp, -16
    sub a0, s11, sp
    ICHECK(a0, 32, 37)
    c.addi4spn a0, sp, 4
    sub a0, a0, sp
    ICHECK(a0, 4, 38)
    c.addi4spn s0, sp, 1020
    sub s0, s0, sp
    ICHECK(s0, 1020, 39)
    /* sp-relative loads and stores (sp now _stack_top - 32; 1 KiB below is free) */
    c.addi16sp sp, -512
    c.addi16sp sp, -512                 /* sp = top - 1056 */
    li t0, 0xfedcba9876543210
    c.sdsp t0, 504(sp)
    c.sdsp t0, 0(sp)
    c.sdsp t0, 8(sp)
    c.ldsp t1, 504(sp)
    ICHECK(t1, 0xfedcba9876543210, 40)
    c.ldsp t1, 0(sp)
    ICHECK(t1, 0xfedcba9876543210, 41)
    li t0, 0x80000001
    c.swsp t0, 252(sp)
    c.swsp t0, 8(sp)
    c.lwsp t1, 252(sp)                  /* sign-extended */
    ICHECK(t1, 0xffffffff80000001, 42)
    c.lwsp t1, 8(sp)
    ICHECK(t1, 0xffffffff80000001, 43)
    ld t1, 8(sp)                        /* c.swsp stored only 4 bytes */
    ICHECK(t1, 0xfedcba9880000001, 44)
    li t0, 0x400921fb54442d18
    fmv.d.x f8, t0
    c.fsdsp f8, 496(sp)
    c.fldsp f20, 496(sp)
    fmv.x.d t1, f20
    ICHECK(t1, 0x400921fb54442d18, 45)
    ld t1, 496(sp)
    ICHECK(t1, 0x400921fb54442d18, 46)
    c.fsdsp f8, 16(sp)
    c.fldsp f21, 16(sp)
    fmv.x.d t1, f21
    ICHECK(t1, 0x400921fb54442d18, 47)
    /* ---- quadrant 0 register-based loads/stores (x8..x15, f8..f15) ---- */
    c.addi4spn s0, sp, 256
    li a0, 0x8877665544332211
    c.sd a0, 248(s0)
    c.sd a0, 0(s0)
    c.ld a1, 248(s0)
    ICHECK(a1, 0x8877665544332211, 48)
    c.ld a1, 0(s0)
    ICHECK(a1, 0x8877665544332211, 49)
    li a0, 0xfffffffff0e0d0c0
    c.sw a0, 124(s0)
    c.sw a0, 4(s0)
    c.lw a2, 124(s0)
    ICHECK(a2, 0xfffffffff0e0d0c0, 50)
    c.lw a3, 0(s0)
    ICHECK(a3, 0x44332211, 51)
    c.lw a3, 4(s0)
    ICHECK(a3, 0xfffffffff0e0d0c0, 52)
    ld a3, 0(s0)
    ICHECK(a3, 0xf0e0d0c044332211, 53)
    li a0, 0xbff0000000000000
    fmv.d.x fs0, a0                     /* f8 */
    c.fsd fs0, 248(s0)
    c.fsd fs0, 8(s0)
    c.fld fa5, 248(s0)                  /* f15 */
    fmv.x.d a4, fa5
    ICHECK(a4, 0xbff0000000000000, 54)
    c.fld fs1, 8(s0)                    /* f9 */
    fmv.x.d a4, fs1
    ICHECK(a4, 0xbff0000000000000, 55)
    mv sp, s11                          /* restore sp */

    /* ---- control transfer ---- */
    li a0, 0
    c.j cj1
    c.li a0, 1
cj1:
    ICHECK(a0, 0, 56)
    c.j cj_fwd                          /* backward c.j target below */
cj_back:
    c.li a0, 9
    c.j cj_done
cj_fwd:
    c.j cj_back
cj_done:
    ICHECK(a0, 9, 57)
    /* c.beqz / c.bnez: taken, not taken, backwards */
    li a1, 0
    li a0, 0
    c.beqz a1, cb1
    c.li a0, 1
cb1:
    c.bnez a1, cb_bad
    li a1, 0x100000000                  /* nonzero only in the upper half */
    c.beqz a1, cb_bad
    c.bnez a1, cb2
cb_bad:
    FAIL(58)
cb2:
    li a2, 5
    li a0, 0
cb_loop:
    c.addi a0, 3
    c.addi a2, -1
    c.bnez a2, cb_loop
    ICHECK(a0, 15, 59)
    /* long c.j (about +-2 KiB) and c.beqz (about +-256 B) */
    li a0, 0
    c.j cj_far
cj_far_back:
    c.li a0, 11
    c.j cj_far_done
    .skip 2000
cj_far:
    c.j cj_far_back
cj_far_done:
    ICHECK(a0, 11, 60)
    li a1, 0
    c.beqz a1, cb_far
cb_far_back:
    c.li a0, 12
    c.j cb_far_done
    .skip 230
cb_far:
    c.beqz a1, cb_far_back
cb_far_done:
    ICHECK(a0, 12, 61)
    /* c.jalr: link = pc + 2 */
    la t0, cfunc
    c.jalr t0
cret1:
    la t1, cret1
    RCHECK(s10, t1, 62)                 /* cfunc copied ra to s10 */
    ICHECK(a0, 0x42, 63)
    /* c.jr */
    la t0, cjr_target
    li a0, 0
    c.jr t0
    c.li a0, 1
cjr_target:
    ICHECK(a0, 0, 64)
    /* c.jalr with rs1 = ra: target from the old ra, then ra = pc + 2 */
    la ra, cfunc
    c.jalr ra
cret2:
    la t1, cret2
    RCHECK(s10, t1, 65)

    /* c.ebreak raises a breakpoint exception (mcause 3) */
    EXPECT_TRAP
    c.ebreak
    CHECK_TRAPPED(3, 66)

    /* a 32-bit instruction at a 2-byte aligned address */
    li a0, 1
    c.nop
    addi a0, a0, 100
    c.nop
    addi a0, a0, 100
    ICHECK(a0, 201, 67)
    /* a 32-bit instruction straddling a page boundary */
    j page_cross
page_back:
    ICHECK(a0, 6, 68)
    j rvc_end

cfunc:
    c.mv s10, ra
    c.li a0, 0x1f
    c.addi a0, 0x23 - 0x1f
    c.slli a0, 1                        /* 0x46 */
    c.addi a0, -4                       /* 0x42 */
    c.jr ra

    .balign 4096
    .skip 4096 - 6
page_cross:
    c.li a0, 5                          /* page end - 6 */
    c.nop                               /* page end - 4 */
    .option push
    .option norvc
    addi a0, a0, 1                      /* page end - 2 .. page end + 2 */
    .option pop
    j page_back
rvc_end:
    .option norvc
ISA_PASS
