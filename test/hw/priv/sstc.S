/* sstc.S - the Sstc S-mode timer: menvcfg.STCE (bit 63) enables stimecmp;
 * mip.STIP then reflects time >= stimecmp and is read-only in mip; an STI
 * delegated with mideleg is taken in S (scause 2^63 + 5) when sie.STIE and
 * sstatus.SIE, and in U whatever SIE is; writing stimecmp clears it; S access
 * to stimecmp is illegal without STCE or mcounteren.TM. */
#include "bare.h"
#include "priv.h"

#define STCE_BIT 63
#define SPIN 200000

TEST_BEGIN
    PMP_ALLOW_ALL
    SET_MTVEC(m_trap)
    SET_STVEC(s_trap)
    EXPECT_TRAP(unexpected)
    csrw mie, zero
    csrw mideleg, zero
    csrw medeleg, zero
    li t0, CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)

    /* ---- menvcfg.STCE is implemented */
    li t0, 1
    slli t0, t0, STCE_BIT
    csrs CSR_MENVCFG, t0
    csrr a0, CSR_MENVCFG
    srli a0, a0, STCE_BIT
    CHECK(a0, 1, 1)
    li t0, 2                    /* mcounteren.TM */
    csrw mcounteren, t0

    /* ---- stimecmp from M; STIP follows it and is read-only in mip */
    li t0, -1
    csrw CSR_STIMECMP, t0
    csrr a0, CSR_STIMECMP
    CHECK(a0, -1, 2)
    li t0, MIP_STIP
    csrs mip, t0
    csrr a0, mip
    CHECK_MASK(a0, MIP_STIP, 0, 3)
    csrw CSR_STIMECMP, zero
    li t0, SPIN
1:  csrr a0, mip
    andi a0, a0, MIP_STIP
    bnez a0, 2f
    addi t0, t0, -1
    bnez t0, 1b
    TEST_FAIL_CODE(4)
2:  li t0, MIP_STIP
    csrc mip, t0                /* cannot clear it either */
    csrr a0, mip
    CHECK_MASK(a0, MIP_STIP, MIP_STIP, 5)
    li t0, -1
    csrw CSR_STIMECMP, t0
    csrr a0, mip
    CHECK_MASK(a0, MIP_STIP, 0, 6)

    /* ---- delegated STI taken in S */
    li t0, MIP_STIP
    csrw mideleg, t0
    ENTER_MODE(PRV_S, s_code)
s_code:
    li t0, MIP_STIP
    csrw sie, t0
    li t0, MSTATUS_SIE
    csrs sstatus, t0
    rdtime a0
    addi a0, a0, 500
    la s1, 1f
    csrw CSR_STIMECMP, a0       /* S writes stimecmp */
    /* wait for it, for at most 10^7 ticks of time (1 s on QEMU, whose
       timer follows the host clock) */
    li t0, 10000000
    add a1, a0, t0
2:  rdtime t0
    bltu t0, a1, 2b
    TEST_FAIL_CODE(7)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_STI
    CHECK_REG(s2, t0, 8)
    CHECK(s4, 0, 9)
    CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE, 10)
    csrr a0, sip
    CHECK_MASK(a0, MIP_STIP, 0, 11)     /* the handler wrote stimecmp */

    /* ---- pending while SIE = 0 in S: not taken; taken in U although SIE=0 */
    li t0, MSTATUS_SIE
    csrc sstatus, t0
    li s1, 0
    csrw CSR_STIMECMP, zero
    li t0, SPIN
1:  csrr a0, sip
    andi a0, a0, MIP_STIP
    bnez a0, 2f
    addi t0, t0, -1
    bnez t0, 1b
    TEST_FAIL_CODE(12)
2:  li t0, 1000             /* and still not taken for a while */
1:  addi t0, t0, -1
    bnez t0, 1b
    li t0, MSTATUS_SPP | MSTATUS_SPIE
    csrc sstatus, t0            /* sret to U with SIE = 0 */
    la t0, u_code
    csrw sepc, t0
    la s1, 1f
    sret
u_code:
    li t0, SPIN
2:  addi t0, t0, -1
    bnez t0, 2b
    TEST_FAIL_CODE(13)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_STI
    CHECK_REG(s2, t0, 14)
    la t0, u_code
    bltu s3, t0, 2f             /* sepc lies in the U loop */
    addi t0, t0, 16
    bltu s3, t0, 3f
2:  TEST_FAIL_CODE(15)
3:  CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, 0, 16)

    /* ---- back to M through an undelegated exception */
    EXPECT_TRAP(1f)
    ecall
1:  CHECK(s2, CAUSE_ECALL_S, 17)
    EXPECT_TRAP(unexpected)

    /* ---- S access to stimecmp needs mcounteren.TM ... */
    csrw mcounteren, zero
    EXPECT_TRAP(1f)
    ENTER_MODE(PRV_S, s_code2)
s_code2:
    .option push
    .option norvc
    csrr a0, CSR_STIMECMP
    .option pop
    TEST_FAIL_CODE(18)
1:  CHECK(s2, CAUSE_ILLEGAL, 19)
    /* ... and menvcfg.STCE */
    li t0, 2
    csrw mcounteren, t0
    li t0, 1
    slli t0, t0, STCE_BIT
    csrc CSR_MENVCFG, t0
    EXPECT_TRAP(1f)
    ENTER_MODE(PRV_S, s_code2)
1:  CHECK(s2, CAUSE_ILLEGAL, 20)
    /* with STCE = 0, mip.STIP is writable by M again */
    li t0, MIP_STIP
    csrs mip, t0
    csrr a0, mip
    CHECK_MASK(a0, MIP_STIP, MIP_STIP, 21)
    csrc mip, t0

    TEST_PASS

    UNEXPECTED_TRAP(unexpected)
    M_TRAP_RECORD(m_trap)

    /* S handler: record, silence (stimecmp = -1), sret to s1 in S with
       SIE = 0 (SPP = S) */
    .align 2
s_trap:
    csrr s2, scause
    csrr s3, sepc
    csrr s4, stval
    csrr s5, sstatus
    bgez s2, 1f
    li t0, -1
    csrw CSR_STIMECMP, t0
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    csrw sepc, s1
    sret
1:  mv a0, s2
    mv a2, s3
    li a1, 98
    j priv_fail_report
