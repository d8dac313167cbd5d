/* isa.h - helpers for the RISC-V instruction tests in test/hw/isa/.
 *
 * Builds on ../common/bare.h.  A program looks like
 *
 *     #include "isa.h"
 *     ISA_BEGIN
 *         li a0, 1
 *         ICHECK(a0, 1, 1)
 *     ISA_PASS
 *
 * Conventions
 *  - Every check has a distinct code n in 1..239 within its file; a failing
 *    check prints "isa: FAIL n got=... exp=..." on the UART and exits through
 *    the SiFive test finisher with status n.
 *  - An unexpected trap prints mcause/mepc/mtval and exits with status
 *    240 + (mcause & 15) (e.g. 242 = illegal instruction).
 *  - The check macros clobber t4, t5, t6 (and a0-a5, ra on failure only).
 *    The FP test macros also clobber ft0-ft3 (f0-f3) and fflags.
 *  - All code is assembled without compressed instructions (.option norvc);
 *    a test of the C extension must say `.option rvc` after ISA_BEGIN.
 *  - EXPECT_TRAP arms the trap handler for the next trapping instruction:
 *    the handler records mcause/mtval/mepc in isa_trap_state (+8/+16/+40),
 *    skips the instruction (2 or 4 bytes) and returns.
 *    The handler uses mscratch as a temporary.
 */
#ifndef ISA_H
#define ISA_H

#include "bare.h"

#define ISA_TRAP_BASE 240

/* Building with -DISA_BREAK_CHECK=n inverts the expectation of check n, so
 * the program must then fail with exactly status n (a test of the test). */
#ifndef ISA_BREAK_CHECK
#define ISA_BREAK_CHECK 0
#endif

#define ISA_BEGIN                     \
    .option norvc;                    \
    TEST_BEGIN                        \
    la t0, isa_trap;                  \
    csrw mtvec, t0;                   \
    la t0, isa_trap_state;            \
    sd zero, 0(t0);                   \
    csrwi fcsr, 0;

#define ISA_PASS TEST_PASS

/* ---- integer checks ---------------------------------------------------- */

/* ICHECK: reg must equal the (up to 64-bit) constant value, else fail with n. */
#define ICHECK(reg, value, n)         \
    li t6, value;                     \
    .if (n) == ISA_BREAK_CHECK;       \
    xori t6, t6, 1;                   \
    .endif;                           \
    beq reg, t6, 97f;                 \
    mv a1, reg;                       \
    mv a2, t6;                        \
    li a0, n;                         \
    j isa_fail;                       \
97:

/* RCHECK: reg must equal register expreg. */
#define RCHECK(reg, expreg, n)        \
    .if (n) == ISA_BREAK_CHECK;       \
    bne reg, expreg, 97f;             \
    .else;                            \
    beq reg, expreg, 97f;             \
    .endif;                           \
    mv a1, reg;                       \
    mv a2, expreg;                    \
    li a0, n;                         \
    j isa_fail;                       \
97:

/* Register-register and register-immediate ALU tests (a0 = a1 op a2). */
#define T_RR(n, inst, a, b, res)      \
    li a1, a;                         \
    li a2, b;                         \
    inst a0, a1, a2;                  \
    ICHECK(a0, res, n)
#define T_RI(n, inst, a, imm, res)    \
    li a1, a;                         \
    inst a0, a1, imm;                 \
    ICHECK(a0, res, n)

/* Unconditional failure with a message-less code. */
#define FAIL(n)                       \
    li a0, n;                         \
    li a1, 0;                         \
    li a2, 0;                         \
    j isa_fail;

/* ---- floating-point helpers -------------------------------------------- */

#define FLI_S(freg, bits) li t5, bits; fmv.w.x freg, t5;
#define FLI_D(freg, bits) li t5, bits; fmv.d.x freg, t5;

/* Check the whole 64-bit f register holding a single: it must be NaN-boxed. */
#define BOX(bits) (0xffffffff00000000 | (bits))

/* Compare the full 64 bits of freg with value and fflags with flags (one check). */
#define FCHECK_RAW(freg, value, flags, n) \
    fmv.x.d t4, freg;                 \
    frflags t5;                       \
    li t6, value;                     \
    .if (n) == ISA_BREAK_CHECK;       \
    xori t6, t6, 1;                   \
    .endif;                           \
    bne t4, t6, 96f;                  \
    li t6, flags;                     \
    beq t5, t6, 97f;                  \
96: li a0, n;                         \
    mv a1, t4;                        \
    li a2, value;                     \
    mv a3, t5;                        \
    li a4, flags;                     \
    j isa_fail_fp;                    \
97:

#define FCHECK_S(freg, bits, flags, n) FCHECK_RAW(freg, BOX(bits), flags, n)
#define FCHECK_D(freg, bits, flags, n) FCHECK_RAW(freg, bits, flags, n)

/* Integer register result plus fflags. */
#define XCHECK(reg, value, flags, n)  \
    mv t4, reg;                       \
    frflags t5;                       \
    li t6, value;                     \
    .if (n) == ISA_BREAK_CHECK;       \
    xori t6, t6, 1;                   \
    .endif;                           \
    bne t4, t6, 96f;                  \
    li t6, flags;                     \
    beq t5, t6, 97f;                  \
96: li a0, n;                         \
    mv a1, t4;                        \
    li a2, value;                     \
    mv a3, t5;                        \
    li a4, flags;                     \
    j isa_fail_fp;                    \
97:

/* fflags bits */
#define NX 0x01
#define UF 0x02
#define OF 0x04
#define DZ 0x08
#define NV 0x10

/* One-instruction FP tests: operands are bit patterns, fflags is cleared
 * first, and the result (NaN-boxed for S) and the accrued flags are checked.
 * rm is a rounding-mode operand: rne, rtz, rdn, rup, rmm or dyn. */
#define T_S2(n, inst, rm, a, b, res, flags)        \
    FLI_S(f1, a) FLI_S(f2, b) fsflags x0;            \
    inst f0, f1, f2, rm;                             \
    FCHECK_S(f0, res, flags, n)
#define T_D2(n, inst, rm, a, b, res, flags)        \
    FLI_D(f1, a) FLI_D(f2, b) fsflags x0;            \
    inst f0, f1, f2, rm;                             \
    FCHECK_D(f0, res, flags, n)
#define T_S3(n, inst, rm, a, b, c, res, flags)     \
    FLI_S(f1, a) FLI_S(f2, b) FLI_S(f3, c) fsflags x0; \
    inst f0, f1, f2, f3, rm;                         \
    FCHECK_S(f0, res, flags, n)
#define T_D3(n, inst, rm, a, b, c, res, flags)     \
    FLI_D(f1, a) FLI_D(f2, b) FLI_D(f3, c) fsflags x0; \
    inst f0, f1, f2, f3, rm;                         \
    FCHECK_D(f0, res, flags, n)
#define T_S1(n, inst, rm, a, res, flags)           \
    FLI_S(f1, a) fsflags x0;                         \
    inst f0, f1, rm;                                 \
    FCHECK_S(f0, res, flags, n)
#define T_D1(n, inst, rm, a, res, flags)           \
    FLI_D(f1, a) fsflags x0;                         \
    inst f0, f1, rm;                                 \
    FCHECK_D(f0, res, flags, n)
/* two-operand without rounding mode (fsgnj*, fmin, fmax) */
#define T_S2N(n, inst, a, b, res, flags)           \
    FLI_S(f1, a) FLI_S(f2, b) fsflags x0;            \
    inst f0, f1, f2;                                 \
    FCHECK_S(f0, res, flags, n)
#define T_D2N(n, inst, a, b, res, flags)           \
    FLI_D(f1, a) FLI_D(f2, b) fsflags x0;            \
    inst f0, f1, f2;                                 \
    FCHECK_D(f0, res, flags, n)
/* comparisons: integer result */
#define T_S2X(n, inst, a, b, res, flags)           \
    FLI_S(f1, a) FLI_S(f2, b) fsflags x0;            \
    inst a5, f1, f2;                                 \
    XCHECK(a5, res, flags, n)
#define T_D2X(n, inst, a, b, res, flags)           \
    FLI_D(f1, a) FLI_D(f2, b) fsflags x0;            \
    inst a5, f1, f2;                                 \
    XCHECK(a5, res, flags, n)
/* float -> int conversions: integer result */
#define T_S1X(n, inst, rm, a, res, flags)          \
    FLI_S(f1, a) fsflags x0;                         \
    inst a5, f1, rm;                                 \
    XCHECK(a5, res, flags, n)
#define T_D1X(n, inst, rm, a, res, flags)          \
    FLI_D(f1, a) fsflags x0;                         \
    inst a5, f1, rm;                                 \
    XCHECK(a5, res, flags, n)
/* int -> float conversions: integer source */
#define T_XS(n, inst, rm, a, res, flags)           \
    li a5, a; fsflags x0;                            \
    inst f0, a5, rm;                                 \
    FCHECK_S(f0, res, flags, n)
#define T_XD(n, inst, rm, a, res, flags)           \
    li a5, a; fsflags x0;                            \
    inst f0, a5, rm;                                 \
    FCHECK_D(f0, res, flags, n)
/* exact int -> double conversions (fcvt.d.w, fcvt.d.wu): no rounding-mode operand */
#define T_XDE(n, inst, a, res, flags)              \
    li a5, a; fsflags x0;                            \
    inst f0, a5;                                     \
    FCHECK_D(f0, res, flags, n)
/* single -> double (fcvt.d.s, exact): no rounding-mode operand */
#define T_DS(n, inst, a, res, flags)               \
    FLI_S(f1, a) fsflags x0;                         \
    inst f0, f1;                                     \
    FCHECK_D(f0, res, flags, n)
/* fclass: integer result, no flags */
#define T_S1C(n, inst, a, res)                     \
    FLI_S(f1, a) fsflags x0;                         \
    inst a5, f1;                                     \
    XCHECK(a5, res, 0, n)
#define T_D1C(n, inst, a, res)                     \
    FLI_D(f1, a) fsflags x0;                         \
    inst a5, f1;                                     \
    XCHECK(a5, res, 0, n)

/* ---- expected traps ----------------------------------------------------- */

/* Arm the trap handler: the next trap is recorded and the instruction skipped. */
#define EXPECT_TRAP                   \
    la t5, isa_trap_state;            \
    li t6, 1;                         \
    sd t6, 0(t5);                     \
    sd zero, 8(t5);                   \
    sd zero, 16(t5);

/* After the instruction: a trap with cause `cause` must have happened. */
#define CHECK_TRAPPED(cause, n)       \
    la t5, isa_trap_state;            \
    ld t4, 0(t5);                     \
    ICHECK(t4, 0, n)                  \
    la t5, isa_trap_state;            \
    ld t4, 8(t5);                     \
    ICHECK(t4, cause, n)

/* ---- support code (linked after .text.init) ----------------------------- */

    .option norvc               /* compressed code only where a test asks for it */
    .section .text
    .align 2
/* a0 = check code, a1 = got, a2 = expected */
isa_fail:
    mv s2, a0
    mv s3, a1
    mv s4, a2
    la a0, isa_msg_fail
    jal isa_puts
    mv a0, s2
    jal isa_putdec
    la a0, isa_msg_got
    jal isa_puts
    mv a0, s3
    jal isa_puthex
    la a0, isa_msg_exp
    jal isa_puts
    mv a0, s4
    jal isa_puthex
    li a0, '\n'
    jal isa_putc
    mv a0, s2
    j isa_exit

/* a0 = code, a1 = got value, a2 = expected value, a3 = got fflags, a4 = expected fflags */
isa_fail_fp:
    mv s2, a0
    mv s3, a1
    mv s4, a2
    mv s5, a3
    mv s6, a4
    la a0, isa_msg_fail
    jal isa_puts
    mv a0, s2
    jal isa_putdec
    la a0, isa_msg_got
    jal isa_puts
    mv a0, s3
    jal isa_puthex
    la a0, isa_msg_flags
    jal isa_puts
    mv a0, s5
    jal isa_puthex
    la a0, isa_msg_exp
    jal isa_puts
    mv a0, s4
    jal isa_puthex
    la a0, isa_msg_flags
    jal isa_puts
    mv a0, s6
    jal isa_puthex
    li a0, '\n'
    jal isa_putc
    mv a0, s2
    j isa_exit

/* exit through the finisher with code a0 */
isa_exit:
    li t0, FINISHER
    slli a0, a0, 16
    li t1, 0x3333
    or a0, a0, t1
    sw a0, 0(t0)
1:  j 1b

/* putc a0 on the 16550 UART (bounded wait for THRE) */
isa_putc:
    li t0, UART0
    li t1, 100000
1:  lbu t2, 5(t0)
    andi t2, t2, 0x20
    bnez t2, 2f
    addi t1, t1, -1
    bnez t1, 1b
2:  sb a0, 0(t0)
    ret

/* puts a0 (clobbers t0-t3, a0, ra is preserved via s11) */
isa_puts:
    mv s11, ra
    mv t3, a0
1:  lbu a0, 0(t3)
    beqz a0, 2f
    jal isa_putc
    addi t3, t3, 1
    j 1b
2:  mv ra, s11
    ret

/* puthex a0 as 0x%016x */
isa_puthex:
    mv s11, ra
    mv s10, a0
    li s9, 60
    li a0, '0'
    jal isa_putc
    li a0, 'x'
    jal isa_putc
1:  srl a0, s10, s9
    andi a0, a0, 15
    li t1, 10
    blt a0, t1, 2f
    addi a0, a0, 'a' - 10 - '0'
2:  addi a0, a0, '0'
    jal isa_putc
    addi s9, s9, -4
    bgez s9, 1b
    mv ra, s11
    ret

/* putdec a0 (0..999) */
isa_putdec:
    mv s11, ra
    mv s10, a0
    li t1, 100
    divu a0, s10, t1
    remu s10, s10, t1
    beqz a0, 1f
    addi a0, a0, '0'
    jal isa_putc
    li s8, 1
    j 2f
1:  li s8, 0
2:  li t1, 10
    divu a0, s10, t1
    remu s10, s10, t1
    bnez s8, 3f
    beqz a0, 4f
3:  addi a0, a0, '0'
    jal isa_putc
4:  addi a0, s10, '0'
    jal isa_putc
    mv ra, s11
    ret

/* Trap handler: expected traps are recorded and skipped, others are fatal. */
    .align 4
isa_trap:
    csrw mscratch, t0
    la t0, isa_trap_state
    sd t1, 24(t0)
    sd t2, 32(t0)
    ld t1, 0(t0)
    beqz t1, 5f
    sd zero, 0(t0)
    csrr t1, mcause
    sd t1, 8(t0)
    csrr t1, mtval
    sd t1, 16(t0)
    csrr t1, mepc
    sd t1, 40(t0)
    lhu t2, 0(t1)               /* instruction length from its low bits */
    andi t2, t2, 3
    addi t1, t1, 2
    li t0, 3
    bne t2, t0, 1f
    addi t1, t1, 2
1:  csrw mepc, t1
    la t0, isa_trap_state
    ld t1, 24(t0)
    ld t2, 32(t0)
    csrr t0, mscratch
    mret
5:  la a0, isa_msg_trap
    jal isa_puts
    csrr a0, mcause
    jal isa_puthex
    la a0, isa_msg_mepc
    jal isa_puts
    csrr a0, mepc
    jal isa_puthex
    la a0, isa_msg_mtval
    jal isa_puts
    csrr a0, mtval
    jal isa_puthex
    li a0, '\n'
    jal isa_putc
    csrr a0, mcause
    andi a0, a0, 15
    addi a0, a0, ISA_TRAP_BASE
    j isa_exit

    .section .rodata
isa_msg_fail:  .asciz "isa: FAIL "
isa_msg_got:   .asciz " got="
isa_msg_exp:   .asciz " exp="
isa_msg_flags: .asciz " fflags="
isa_msg_trap:  .asciz "isa: unexpected trap mcause="
isa_msg_mepc:  .asciz " mepc="
isa_msg_mtval: .asciz " mtval="

    .section .bss
    .align 3
/* 0: armed, 8: mcause, 16: mtval, 24/32: saved t1/t2, 40: mepc */
isa_trap_state: .space 48

    .section .text
#endif
