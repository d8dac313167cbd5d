/* deleg.S - exception delegation with medeleg: delegated traps from U and S
 * go to stvec with scause/sepc/stval set and sstatus.SPP/SPIE/SIE updated,
 * leaving the M-mode trap CSRs alone; traps from M are never delegated;
 * undelegated ones still go to M. */
#include "bare.h"
#include "priv.h"

#define DELEG ((1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_ECALL_S) | (1 << CAUSE_ECALL_M))

TEST_BEGIN
    PMP_ALLOW_ALL
    SET_MTVEC(m_trap)
    SET_STVEC(s_trap)
    csrw mie, zero

    /* medeleg is WARL; the bits for illegal instruction, breakpoint and the
       U/S ecalls must be delegable */
    li t0, DELEG
    csrw medeleg, t0
    csrr t1, medeleg
    CHECK_MASK(t1, DELEG & ~(1 << CAUSE_ECALL_M), DELEG & ~(1 << CAUSE_ECALL_M), 1)

    /* ---- traps from M are never delegated */
    EXPECT_TRAP(1f)
    ecall
    TEST_FAIL_CODE(2)
1:  CHECK(s2, CAUSE_ECALL_M, 3)
    EXPECT_TRAP(1f)
    .word 0x0000500b            /* custom-0: illegal */
    TEST_FAIL_CODE(4)
1:  CHECK(s2, CAUSE_ILLEGAL, 5)

    /* ---- go to S; there set SIE=1 and SPIE=1, sret to U */
    EXPECT_TRAP(fail_6)
    li t0, MSTATUS_MPIE
    csrs mstatus, t0
    la t0, s_start
    csrw mepc, t0
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPP_S
    csrs mstatus, t0
    mret
s_start:
    li t0, MSTATUS_SIE | MSTATUS_SPIE
    csrs sstatus, t0
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    la t0, u_start
    csrw sepc, t0
    EXPECT_TRAP(1f)
    sret
u_start:
    /* ---- U: ecall delegated to S: scause 8, sepc, stval 0,
       SPP = U, SPIE = SIE before (1), SIE = 0 */
u_ecall:
    ecall
    TEST_FAIL_CODE(7)
1:  CHECK(s2, CAUSE_ECALL_U, 8)
    la t0, u_ecall
    CHECK_REG(s3, t0, 9)
    CHECK(s4, 0, 10)
    CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE, 11)

    /* ---- U: illegal instruction delegated: stval = instruction bits */
    la t0, u_ill
    csrw sepc, t0
    li t0, MSTATUS_SPP | MSTATUS_SPIE
    csrc sstatus, t0            /* back to U, with SIE <- SPIE = 0 */
    EXPECT_TRAP(1f)
    sret
u_ill:
    .word 0x00abc00b
    TEST_FAIL_CODE(12)
1:  CHECK(s2, CAUSE_ILLEGAL, 13)
    la t0, u_ill
    CHECK_REG(s3, t0, 14)
    CHECK(s4, 0x00abc00b, 15)
    CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, 0, 16)

    /* ---- S: ecall from S delegated to S: scause 9, SPP = S */
    EXPECT_TRAP(1f)
s_ecall:
    ecall
    TEST_FAIL_CODE(17)
1:  CHECK(s2, CAUSE_ECALL_S, 18)
    la t0, s_ecall
    CHECK_REG(s3, t0, 19)
    CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SIE, MSTATUS_SPP, 20)

    /* ---- S: ebreak delegated: scause 3, sepc = the ebreak */
    EXPECT_TRAP(1f)
s_ebreak:
    ebreak
    TEST_FAIL_CODE(21)
1:  CHECK(s2, CAUSE_BREAKPOINT, 22)
    la t0, s_ebreak
    CHECK_REG(s3, t0, 23)

    /* ---- S: a load access fault is not delegated (medeleg bit 5 clear):
       goes to M with MPP = S */
    li a1, 0x1000000000
    EXPECT_TRAP(1f)
s_ldf:
    ld a0, 0(a1)
    TEST_FAIL_CODE(24)
1:  /* now in M */
    CHECK(s2, CAUSE_LOAD_ACCESS, 25)
    la t0, s_ldf
    CHECK_REG(s3, t0, 26)
    CHECK_REG(s4, a1, 27)
    CHECK_MASK(s5, MSTATUS_MPP, MSTATUS_MPP_S, 28)

    /* the S CSRs still hold the last delegated trap */
    CHECK_CSR(scause, CAUSE_BREAKPOINT, 30)
    la t0, s_ebreak
    csrr t1, sepc
    CHECK_REG(t0, t1, 31)

    /* ---- with medeleg = 0 the U ecall goes to M again */
    csrw medeleg, zero
    EXPECT_TRAP(1f)
    ENTER_MODE(PRV_U, u_ecall2)
u_ecall2:
    ecall
    TEST_FAIL_CODE(32)
1:  CHECK(s2, CAUSE_ECALL_U, 33)
    CHECK_CSR(scause, CAUSE_BREAKPOINT, 34)

    /* ---- mcause/scause are WLRL/WARL but hold legal values written */
    li t0, 13
    csrw scause, t0
    CHECK_CSR(scause, 13, 35)
    li t0, 0x1234
    csrw stval, t0
    CHECK_CSR(stval, 0x1234, 36)

    /* ---- delegation of one cause only: the S-mode illegal instruction
       goes to S, the S ecall after it to M */
    li t0, 1 << CAUSE_ILLEGAL
    csrw medeleg, t0
    EXPECT_TRAP(1f)
    ENTER_MODE(PRV_S, s_ill)
s_ill:
    .word 0x0000100b
    TEST_FAIL_CODE(37)
1:  CHECK(s2, CAUSE_ILLEGAL, 38)
    CHECK(s4, 0x0000100b, 39)
    csrr t0, scause             /* still in S: S CSRs are accessible */
    EXPECT_TRAP(1f)
    ecall
    TEST_FAIL_CODE(40)
1:  CHECK(s2, CAUSE_ECALL_S, 41)
    csrr t0, mscratch           /* now in M */
    CHECK(s4, 0, 42)
    TEST_PASS

fail_6:
    TEST_FAIL_CODE(6)

    S_TRAP_RECORD(s_trap)

    M_TRAP_RECORD(m_trap)
