/* timer.S - CLINT machine timer and software interrupts:
 * mip.MTIP follows mtime >= mtimecmp, the interrupt is taken only with
 * mie.MTIE and mstatus.MIE, mcause = 2^63 + 7, mepc = the next instruction,
 * a future mtimecmp fires, and not before mtime reaches it,
 * writing mtimecmp clears it, MTIP is read-only in mip; msip sets MSIP
 * (cause 2^63 + 3) and clearing msip clears it; wfi wakes on a pending
 * enabled interrupt even with mstatus.MIE = 0; mtime advances. */
#include "bare.h"
#include "priv.h"

#define SPIN 200000               /* bound for polling loops */

TEST_BEGIN
    SET_MTVEC(m_trap)
    EXPECT_TRAP(unexpected)
    csrw mie, zero
    li s6, CLINT_MTIMECMP
    li s7, CLINT_MTIME
    li s8, CLINT_MSIP
    li t0, -1
    sd t0, 0(s6)

    /* ---- mtime advances */
    ld a0, 0(s7)
    li t0, SPIN
1:  ld a1, 0(s7)
    bne a1, a0, 2f
    addi t0, t0, -1
    bnez t0, 1b
    TEST_FAIL_CODE(1)
2:  bgtu a1, a0, 3f
    TEST_FAIL_CODE(2)
3:
    /* ---- mtimecmp far in the future: MTIP clear */
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, 0, 3)
    ld a0, 0(s7)
    li t0, 1000000000
    add a2, a0, t0
    sd a2, 0(s6)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, 0, 4)
    /* mtimecmp reads back */
    ld a1, 0(s6)
    CHECK_REG(a2, a1, 5)

    /* ---- mtimecmp <= mtime: MTIP set (poll, MIE = 0, MTIE = 1: no trap) */
    li t0, MIP_MTIP
    csrw mie, t0
    ld a0, 0(s7)
    sd a0, 0(s6)
    li t0, SPIN
1:  csrr a0, mip
    andi a0, a0, MIP_MTIP
    bnez a0, 2f
    addi t0, t0, -1
    bnez t0, 1b
    TEST_FAIL_CODE(6)
2:
    /* MTIP is read-only in mip */
    li t0, MIP_MTIP
    csrc mip, t0
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, MIP_MTIP, 7)

    /* ---- pending + MTIE but MIE = 0: nothing is taken for a while */
    li t0, 1000
1:  addi t0, t0, -1
    bnez t0, 1b

    /* ---- MIE = 0 globally but mie.MTIE = 0 and MIE = 1: not taken either */
    csrw mie, zero
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    li t0, 1000
1:  addi t0, t0, -1
    bnez t0, 1b
    li t0, MSTATUS_MIE
    csrc mstatus, t0

    /* ---- enable both: taken right after the csrs; the handler clears it by
       writing mtimecmp */
    li t0, MIP_MTIP
    csrw mie, t0
    li s9, 0                    /* handler count */
    la s1, 1f
    li t0, MSTATUS_MIE
    csrs mstatus, t0
after_mie:
    nop
    TEST_FAIL_CODE(8)           /* the handler returns to 1f */
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MTI
    CHECK_REG(s2, t0, 9)
    la t0, after_mie
    CHECK_REG(s3, t0, 10)
    CHECK(s4, 0, 11)            /* mtval = 0 for interrupts */
    CHECK_MASK(s5, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP, 12)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, 0, 13)  /* cleared by the handler's mtimecmp write */
    csrr a0, mstatus
    CHECK_MASK(a0, MSTATUS_MIE, 0, 14)
    EXPECT_TRAP(unexpected)

    /* ---- a timer in the future: not pending now; the interrupt is taken,
       and not before mtime >= mtimecmp (the handler samples mtime first) */
    li t0, MIP_MTIP
    csrw mie, t0
    ld a0, 0(s7)
    li t0, 20000
    add s11, a0, t0
    sd s11, 0(s6)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, 0, 25)
    li s10, 0
    la s1, 1f
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    li t0, 10000000             /* wait at most 10^7 ticks (1 s on QEMU) */
    add a1, s11, t0
2:  ld t0, 0(s7)
    bltu t0, a1, 2b
    TEST_FAIL_CODE(26)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MTI
    CHECK_REG(s2, t0, 27)
    bgeu s10, s11, 3f
    mv a0, s10
    mv a2, s11
    li a1, 28
    j priv_fail_report
3:  EXPECT_TRAP(unexpected)

    /* ---- wfi with MIE = 0 wakes when the enabled timer becomes pending,
       and the interrupt is not taken */
    li t0, MIP_MTIP
    csrw mie, t0
    ld a0, 0(s7)
    addi a0, a0, 1000
    sd a0, 0(s6)
    wfi
    /* wfi may also return early: wait for the interrupt to be pending */
    li t0, SPIN
1:  csrr a0, mip
    andi a0, a0, MIP_MTIP
    bnez a0, 2f
    wfi
    addi t0, t0, -1
    bnez t0, 1b
    TEST_FAIL_CODE(15)
2:  li t0, -1
    sd t0, 0(s6)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP, 0, 16)

    /* ---- software interrupt: msip = 1 sets mip.MSIP (read-only in mip) */
    csrw mie, zero
    li t0, 1
    sw t0, 0(s8)
    lw a0, 0(s8)
    CHECK(a0, 1, 17)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MSIP, MIP_MSIP, 18)
    li t0, MIP_MSIP
    csrc mip, t0
    csrr a0, mip
    CHECK_MASK(a0, MIP_MSIP, MIP_MSIP, 19)
    /* taken with MSIE + MIE */
    li t0, MIP_MSIP
    csrw mie, t0
    la s1, 1f
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    nop
    TEST_FAIL_CODE(20)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MSI
    CHECK_REG(s2, t0, 21)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MSIP, 0, 22)
    lw a0, 0(s8)
    CHECK(a0, 0, 23)
    EXPECT_TRAP(unexpected)

    /* ---- only bit 0 of msip is writable */
    li t0, 0xfffffffe
    sw t0, 0(s8)
    lw a0, 0(s8)
    CHECK(a0, 0, 24)

    TEST_PASS

    UNEXPECTED_TRAP(unexpected)

    /* handler: records like M_TRAP_RECORD, then silences the source
       (mtimecmp = -1, msip = 0) and mrets to s1 with MIE restored to 0 */
    .align 2
m_trap:
    csrr s2, mcause
    csrr s3, mepc
    csrr s4, mtval
    csrr s5, mstatus
    bgez s2, unexpected         /* exceptions are not expected */
    ld s10, 0(s7)               /* mtime at entry */
    li t0, -1
    sd t0, 0(s6)
    sw zero, 0(s8)
    li t0, MSTATUS_MPIE
    csrc mstatus, t0            /* return with MIE = 0 */
    csrw mepc, s1
    mret
