/* vectored.S - mtvec / stvec in vectored mode (MODE = 1): interrupts go to
 * BASE + 4 * cause, exceptions to BASE. M: ecall, illegal instruction, MSI,
 * MTI and an undelegated SSI. S (mideleg = SSI | STI, medeleg = ecall from
 * S): ecall, SSI set by S itself through sip, STI set by M through mip. */
#include "bare.h"
#include "priv.h"


TEST_BEGIN
    PMP_ALLOW_ALL
    la t0, mvec
    ori t0, t0, 1
    csrw mtvec, t0
    csrw mie, zero
    csrw mideleg, zero
    csrw medeleg, zero
    li s7, CLINT_MTIMECMP
    li s8, CLINT_MSIP
    li t0, -1
    sd t0, 0(s7)

    /* ---- exception in vectored mode: BASE (entry 0) */
    li s6, -1
    la s1, 1f
    ecall
    TEST_FAIL_CODE(1)
1:  CHECK(s6, 0, 2)
    CHECK(s2, CAUSE_ECALL_M, 3)
    li s6, -1
    la s1, 1f
    .word 0x0000000b
    TEST_FAIL_CODE(4)
1:  CHECK(s6, 0, 5)
    CHECK(s2, CAUSE_ILLEGAL, 6)

    /* ---- machine software interrupt: entry 3 */
    li t0, 1
    sw t0, 0(s8)
    li t0, MIP_MSIP
    csrw mie, t0
    li s6, -1
    la s1, 1f
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    nop
    TEST_FAIL_CODE(7)
1:  CHECK(s6, 3, 8)
    li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MSI
    CHECK_REG(s2, t0, 9)

    /* ---- machine timer interrupt: entry 7 */
    sd zero, 0(s7)
    li t0, MIP_MTIP
    csrw mie, t0
    li s6, -1
    la s1, 1f
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    /* the timer may need a moment to be seen pending */
    li t0, 100000
2:  addi t0, t0, -1
    bnez t0, 2b
    TEST_FAIL_CODE(10)
1:  CHECK(s6, 7, 11)
    li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MTI
    CHECK_REG(s2, t0, 12)

    /* ---- supervisor software interrupt, not delegated: M entry 1 */
    li t0, MIP_SSIP
    csrw mie, t0
    csrs mip, t0
    li s6, -1
    la s1, 1f
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    nop
    TEST_FAIL_CODE(13)
1:  CHECK(s6, 1, 14)
    li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_SSI
    CHECK_REG(s2, t0, 15)
    csrw mie, zero

    /* ---- S-mode with stvec vectored */
    la t0, svec
    ori t0, t0, 1
    csrw stvec, t0
    li t0, MIP_SSIP | MIP_STIP
    csrw mideleg, t0
    li t0, 1 << CAUSE_ECALL_S
    csrw medeleg, t0
    li s6, -1
    la s1, 1f
    ENTER_MODE(PRV_S, s_code)
s_code:
    ecall                       /* delegated: stvec BASE */
    TEST_FAIL_CODE(16)
1:  CHECK(s6, 0x100, 17)
    CHECK(s2, CAUSE_ECALL_S, 18)
    /* SSI raised by S itself */
    li t0, MIP_SSIP
    csrs sie, t0
    li s6, -1
    la s1, 1f
    li t0, MSTATUS_SIE
    csrs sstatus, t0
    csrs sip, MIP_SSIP
    nop
    TEST_FAIL_CODE(19)
1:  CHECK(s6, 0x101, 20)
    li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_SSI
    CHECK_REG(s2, t0, 21)
    /* STI: pending since M set it (see below), taken when S enables it */
    ebreak                      /* not delegated: to M (entry 0) */
    TEST_FAIL_CODE(22)
s_code2:
    li t0, MIP_STIP
    csrs sie, t0
    li s6, -1
    la s1, 1f
    li t0, MSTATUS_SIE
    csrs sstatus, t0
    nop
    TEST_FAIL_CODE(23)
1:  CHECK(s6, 0x105, 24)
    li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_STI
    CHECK_REG(s2, t0, 25)
    la s1, 2f
    ebreak
    TEST_FAIL_CODE(26)

m_after_s:
    /* back in M from the first ebreak */
    CHECK(s6, 0, 27)
    CHECK(s2, CAUSE_BREAKPOINT, 28)
    li t0, MIP_STIP
    csrs mip, t0
    li s6, -1
    ENTER_MODE(PRV_S, s_code2)

2:  CHECK(s6, 0, 29)
    CHECK(s2, CAUSE_BREAKPOINT, 30)
    TEST_PASS

    /* M vector table: 12 entries of one 4-byte jump each */
    .align 8
    .option push
    .option norvc
mvec:
    j m0
    j m1
    j mbad
    j m3
    j mbad
    j mbad
    j mbad
    j m7
    j mbad
    j mbad
    j mbad
    j mbad
    .option pop
m0: li s6, 0
    j m_common
m1: li s6, 1
    j m_common
m3: li s6, 3
    j m_common
m7: li s6, 7
    j m_common
mbad:
    TEST_FAIL_CODE(90)
m_common:
    csrr s2, mcause
    csrr s3, mepc
    csrr s4, mtval
    csrr s5, mstatus
    /* silence every source, return to s1 with MIE = 0 */
    li t0, -1
    sd t0, 0(s7)
    sw zero, 0(s8)
    li t0, MIP_SSIP | MIP_STIP
    csrc mip, t0
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    /* an ebreak from S the first time goes on in M at m_after_s */
    li t0, CAUSE_BREAKPOINT
    bne s2, t0, 1f
    csrr t0, mstatus
    li t1, MSTATUS_MPP
    and t0, t0, t1
    li t1, MSTATUS_MPP_S
    bne t0, t1, 1f
    la t0, 2b
    beq s1, t0, 3f
    la s1, m_after_s
3:  li t0, MSTATUS_MPP          /* continue in M */
    csrs mstatus, t0
1:  csrw mepc, s1
    mret

    /* S vector table */
    .align 8
    .option push
    .option norvc
svec:
    j s0
    j s1h
    j sbad
    j sbad
    j sbad
    j s5h
    j sbad
    j sbad
    j sbad
    j sbad
    .option pop
s0: li s6, 0x100
    j s_common
s1h:
    li s6, 0x101
    j s_common
s5h:
    li s6, 0x105
    j s_common
sbad:
    TEST_FAIL_CODE(91)
s_common:
    csrr s2, scause
    csrr s3, sepc
    csrr s4, stval
    csrr s5, sstatus
    /* silence: clear sip.SSIP, disable STI in sie; return with SIE = 0 */
    li t0, MIP_SSIP
    csrc sip, t0
    li t0, MIP_STIP
    csrc sie, t0
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    csrw sepc, s1
    sret
