/* int_modes.S - which privilege takes an interrupt, and when (priv 3.1.6.1,
 * 3.1.9): a delegated interrupt is never taken in M; in S it needs
 * sstatus.SIE; in U it is taken whatever SIE is; an undelegated interrupt is
 * taken in S/U whatever mstatus.MIE is; with both an M-level and a
 * delegated interrupt pending in U, the M one is taken first. Sources:
 * SSIP/STIP written through mip, CLINT msip. */
#include "bare.h"
#include "priv.h"

#define SPIN 2000

/* spin a little: a pending enabled interrupt would be taken in here */
#define SPIN_A_BIT li t0, SPIN; 99: addi t0, t0, -1; bnez t0, 99b;

TEST_BEGIN
    PMP_ALLOW_ALL
    SET_MTVEC(m_trap)
    SET_STVEC(s_trap)
    EXPECT_TRAP(unexpected)
    csrw mie, zero
    csrw medeleg, zero
    li s7, CLINT_MTIMECMP
    li s8, CLINT_MSIP
    li t0, -1
    sd t0, 0(s7)

    /* ---- SSI delegated to S, pending and enabled: not taken in M, even
       with mstatus.MIE = 1 and mstatus.SIE = 1 */
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrs mip, t0
    li t0, MIP_SSIP | MIP_MSIP
    csrw mie, t0
    li t0, MSTATUS_MIE | MSTATUS_SIE
    csrs mstatus, t0
    SPIN_A_BIT
    li t0, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPIE
    csrc mstatus, t0

    /* ---- in S with SIE = 0: not taken */
    ENTER_MODE(PRV_S, s_code)
s_code:
    SPIN_A_BIT
    /* ---- S with SIE = 1: taken, to S */
    la s1, 1f
    li t0, MSTATUS_SIE
    csrs sstatus, t0
    SPIN_A_BIT
    TEST_FAIL_CODE(1)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_SSI
    CHECK_REG(s2, t0, 2)
    CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE, 3)
    EXPECT_TRAP(unexpected)

    /* ---- in U with SIE = 0: taken, to S */
    li t0, MIP_SSIP
    csrs sip, t0                /* pending again; SIE = 0 in S: not taken */
    SPIN_A_BIT
    li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
    csrc sstatus, t0
    la t0, u_code2
    csrw sepc, t0
    la s1, 1f
    sret
u_code2:
    SPIN_A_BIT
    TEST_FAIL_CODE(6)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_SSI
    CHECK_REG(s2, t0, 7)
    CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, 0, 8)
    la t0, u_code2
    bltu s3, t0, 2f
    addi t0, t0, 32
    bltu s3, t0, 3f
2:  TEST_FAIL_CODE(9)
3:
    /* ---- M-level interrupt (MSI, not delegated) in S with mstatus.MIE = 0:
       taken, to M */
    EXPECT_TRAP(1f)
    li t0, 1
    sw t0, 0(s8)                /* S may write the CLINT: PMP allows all */
    SPIN_A_BIT
    TEST_FAIL_CODE(10)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MSI
    CHECK_REG(s2, t0, 11)
    CHECK_MASK(s5, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPP_S, 12)

    /* ---- SSI not delegated, taken in S with MIE = 0, goes to M */
    EXPECT_TRAP(1f)
    csrw mideleg, zero
    li t0, MIP_SSIP
    csrw mie, t0
    csrs mip, t0
    ENTER_MODE(PRV_S, s_spin)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_SSI
    CHECK_REG(s2, t0, 13)
    CHECK_MASK(s5, MSTATUS_MPP, MSTATUS_MPP_S, 14)

    /* ---- U with an M-level MSI and a delegated SSI both pending: the M one
       first (mcause MSI), then the S one */
    li t0, MIP_SSIP
    csrw mideleg, t0
    li t0, MIP_SSIP | MIP_MSIP
    csrw mie, t0
    li t0, MIP_SSIP
    csrs mip, t0
    li t0, 1
    sw t0, 0(s8)
    li s9, 0
    EXPECT_TRAP(1f)
    ENTER_MODE(PRV_U, u_spin)
1:  /* in M: the MSI */
    li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MSI
    CHECK_REG(s2, t0, 15)
    CHECK_MASK(s5, MSTATUS_MPP, 0, 16)
    /* back to U: now the SSI goes to S */
    EXPECT_TRAP(1f)
    ENTER_MODE(PRV_U, u_spin)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_SSI
    CHECK_REG(s2, t0, 17)
    CHECK_MASK(s5, MSTATUS_SPP, 0, 18)

    /* ---- the delegated SSI with sie.SSIE = 0 is not taken, even in U */
    li t0, MIP_SSIP
    csrs sip, t0
    csrc sie, t0
    EXPECT_TRAP(1f)
    la t0, u_ecall
    csrw sepc, t0
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    sret
u_ecall:
    SPIN_A_BIT
    ecall
1:  CHECK(s2, CAUSE_ECALL_U, 19)
    TEST_PASS

s_spin:
u_spin:
    SPIN_A_BIT
    TEST_FAIL_CODE(20)

    UNEXPECTED_TRAP(unexpected)

    /* M handler: record; interrupts are silenced (msip = 0, the SSIP
       bit cleared if it is not delegated); resumes at s1 in M */
    .align 2
m_trap:
    csrr s2, mcause
    csrr s3, mepc
    csrr s4, mtval
    csrr s5, mstatus
    sw zero, 0(s8)
    csrr t0, mideleg
    andi t0, t0, MIP_SSIP
    bnez t0, 1f
    li t0, MIP_SSIP
    csrc mip, t0
1:  li t0, MSTATUS_MPP
    csrs mstatus, t0
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    csrw mepc, s1
    mret

    /* S handler: record; clear sip.SSIP; resume at s1 in S, SIE = 0 */
    .align 2
s_trap:
    csrr s2, scause
    csrr s3, sepc
    csrr s4, stval
    csrr s5, sstatus
    li t0, MIP_SSIP
    csrc sip, t0
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    csrw sepc, s1
    sret
