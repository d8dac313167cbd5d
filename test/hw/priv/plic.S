/* plic.S - the PLIC with the UART (source 10) as the interrupt source: the
 * 16550 THR-empty interrupt (IER bit 1) raises the line; with priority 1,
 * enabled for context 0 (hart 0 M) and threshold 0, mip.MEIP is set and the
 * interrupt is taken (mcause 2^63 + 11); claim returns 10 and clears the
 * pending bit and is not pending again before completion; complete after
 * the device dropped its line leaves nothing; threshold >= priority and
 * priority 0 mask it; claim with nothing pending returns 0; context 1
 * (hart 0 S) drives mip.SEIP. */
#include "bare.h"
#include "priv.h"

#define SPIN 200000

/* poll until (mip & MEIP/SEIP bit) == want, else fail with n */
#define WAIT_MIP(bit, want, n)            \
    li t1, SPIN;                          \
77: csrr t0, mip;                         \
    li t2, bit;                           \
    and t0, t0, t2;                       \
    li t2, want;                          \
    beq t0, t2, 78f;                      \
    addi t1, t1, -1;                      \
    bnez t1, 77b;                         \
    TEST_FAIL_CODE(n);                    \
78:

/* spin a little, then require (mip & bit) == want */
#define STILL_MIP(bit, want, n)           \
    li t1, 2000;                          \
77: addi t1, t1, -1;                      \
    bnez t1, 77b;                         \
    csrr t0, mip;                         \
    li t2, bit;                           \
    and t0, t0, t2;                       \
    CHECK(t0, want, n)

TEST_BEGIN
    SET_MTVEC(m_trap)
    EXPECT_TRAP(unexpected)
    csrw mie, zero
    li s6, UART0
    li s7, PLIC_CLAIM(0)
    li s8, PLIC_THRESHOLD(0)
    li s9, PLIC_PRIORITY(UART_IRQ)
    li s10, PLIC_ENABLE(0)
    li s11, PLIC_PENDING

    sb zero, UART_IER(s6)
    li t0, PLIC_ENABLE(1)
    sw zero, 0(t0)
    li t0, 1
    sw t0, 0(s9)
    li t0, 1 << UART_IRQ
    sw t0, 0(s10)
    sw zero, 0(s8)

    /* ---- registers read back */
    lw a0, 0(s9)
    CHECK(a0, 1, 1)
    lw a0, 0(s10)
    CHECK(a0, 1 << UART_IRQ, 2)
    lw a0, 0(s8)
    CHECK(a0, 0, 3)
    /* ---- nothing pending: claim returns 0, no MEIP */
    lw a0, 0(s7)
    CHECK(a0, 0, 4)
    STILL_MIP(MIP_MEIP, 0, 5)

    /* ---- threshold 1 >= priority 1: pending but masked */
    li t0, 1
    sw t0, 0(s8)
    li t0, 2
    sb t0, UART_IER(s6)
    li t1, SPIN
1:  lw a0, 0(s11)
    andi a0, a0, 1 << UART_IRQ
    bnez a0, 2f
    addi t1, t1, -1
    bnez t1, 1b
    TEST_FAIL_CODE(6)
2:  STILL_MIP(MIP_MEIP, 0, 7)

    /* ---- threshold 0: MEIP */
    sw zero, 0(s8)
    WAIT_MIP(MIP_MEIP, MIP_MEIP, 8)

    /* ---- taken when enabled: the handler claims (10), checks the pending
       bit and MEIP dropped, silences the UART and completes */
    li t0, MIP_MEIP
    csrw mie, t0
    la s1, 1f
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    li t1, SPIN
3:  addi t1, t1, -1
    bnez t1, 3b
    TEST_FAIL_CODE(9)
1:  li t0, 1
    slli t0, t0, 63
    addi t0, t0, IRQ_MEI
    CHECK_REG(s2, t0, 10)
    CHECK(a0, UART_IRQ, 11)          /* claimed in the handler */
    CHECK(a1, 0, 12)                 /* pending bit after the claim */
    CHECK(a2, 0, 13)                 /* mip.MEIP after the claim */
    EXPECT_TRAP(unexpected)
    csrw mie, zero
    STILL_MIP(MIP_MEIP, 0, 14)
    lw a0, 0(s7)
    CHECK(a0, 0, 15)

    /* ---- a claimed source is not pending again before its completion,
       even though the device still asserts its line. (Whether completing
       while the line is still high re-pends it, as the PLIC spec's
       level-triggered gateway does, is not checked: QEMU 7.2 only
       re-samples on a line change.) */
    li t0, 2
    sb t0, UART_IER(s6)
    WAIT_MIP(MIP_MEIP, MIP_MEIP, 16)
    lw a0, 0(s7)
    CHECK(a0, UART_IRQ, 17)
    STILL_MIP(MIP_MEIP, 0, 18)
    lw a1, 0(s7)                     /* a second claim finds nothing */
    CHECK(a1, 0, 19)
    sb zero, UART_IER(s6)
    sw a0, 0(s7)
    STILL_MIP(MIP_MEIP, 0, 21)
    lw a0, 0(s7)
    CHECK(a0, 0, 22)

    /* ---- priority 0 never interrupts */
    sw zero, 0(s9)
    li t0, 2
    sb t0, UART_IER(s6)
    STILL_MIP(MIP_MEIP, 0, 23)
    lw a0, 0(s7)
    CHECK(a0, 0, 24)
    /* ---- disabled for the context: no interrupt either (the enable bit is
       cleared before raising the priority: QEMU 7.2 does not re-evaluate
       its outputs on an enable write) */
    sw zero, 0(s10)
    li t0, 1
    sw t0, 0(s9)
    STILL_MIP(MIP_MEIP, 0, 25)

    /* ---- context 1 (hart 0 S-mode): SEIP (threshold written after the
       enable, for QEMU 7.2's sake, see above) */
    li t0, PLIC_ENABLE(1)
    li t1, 1 << UART_IRQ
    sw t1, 0(t0)
    li t0, PLIC_THRESHOLD(1)
    sw zero, 0(t0)
    WAIT_MIP(MIP_SEIP, MIP_SEIP, 26)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MEIP, 0, 27)
    li t0, PLIC_CLAIM(1)
    lw a0, 0(t0)
    CHECK(a0, UART_IRQ, 28)
    sb zero, UART_IER(s6)
    sw a0, 0(t0)
    STILL_MIP(MIP_SEIP, 0, 29)
    li t0, PLIC_CLAIM(1)
    lw a0, 0(t0)
    CHECK(a0, 0, 30)

    TEST_PASS

    UNEXPECTED_TRAP(unexpected)

    .align 2
m_trap:
    csrr s2, mcause
    csrr s3, mepc
    bgez s2, unexpected
    lw a0, 0(s7)                     /* claim */
    lw a1, 0(s11)
    andi a1, a1, 1 << UART_IRQ
    csrr a2, mip
    srli a2, a2, IRQ_MEI
    andi a2, a2, 1
    sb zero, UART_IER(s6)
    sw a0, 0(s7)                     /* complete */
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    csrw mepc, s1
    mret
