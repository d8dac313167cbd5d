/* priority.S - with MEI, MSI, MTI, SEI, SSI and STI all pending and enabled
 * (none delegated), M takes them in the order MEI > MSI > MTI > SEI > SSI >
 * STI. Sources: MEI = UART THR-empty through the PLIC, MSI = CLINT msip,
 * MTI = CLINT mtimecmp = 0, SEI/SSI/STI = software-written mip bits. The
 * handler silences the source it was called for, and mret re-enables MIE so
 * the next one is taken at once. */
#include "bare.h"
#include "priv.h"

#define SPIN 200000

TEST_BEGIN
    SET_MTVEC(m_trap)
    csrw mie, zero
    csrw mideleg, zero
    li s7, CLINT_MTIMECMP
    li s8, CLINT_MSIP
    li s9, UART0
    li s10, PLIC_CLAIM(0)
    li t0, -1
    sd t0, 0(s7)

    /* PLIC: UART (source 10) priority 1, enabled for context 0 (hart 0 M),
       threshold 0 */
    li t0, PLIC_PRIORITY(UART_IRQ)
    li t1, 1
    sw t1, 0(t0)
    li t0, PLIC_ENABLE(0)
    li t1, 1 << UART_IRQ
    sw t1, 0(t0)
    li t0, PLIC_THRESHOLD(0)
    sw zero, 0(t0)

    /* make all six pending, with MIE = 0 */
    li t0, 2
    sb t0, UART_IER(s9)         /* IER.ETBEI: THR empty interrupt -> MEIP */
    li t0, 1
    sw t0, 0(s8)                /* MSIP */
    sd zero, 0(s7)              /* MTIP */
    li t0, MIP_SEIP | MIP_SSIP | MIP_STIP
    csrs mip, t0
    li t0, 0xaaa
    csrw mie, t0
    /* wait until all six are visible in mip */
    li t1, SPIN
1:  csrr a0, mip
    li t0, 0xaaa
    and a0, a0, t0
    beq a0, t0, 2f
    addi t1, t1, -1
    bnez t1, 1b
    mv a0, a0
    li a2, 0xaaa
    li a1, 1
    j priv_fail_report
2:
    /* go: the handler appends each cause as a nibble to s6 */
    li s6, 0
    li s11, 0
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    li t1, SPIN
1:  li t0, 6
    beq s11, t0, 2f
    addi t1, t1, -1
    bnez t1, 1b
2:  li t0, MSTATUS_MIE
    csrc mstatus, t0
    CHECK(s6, 0xb37915, 2)
    csrr a0, mip
    CHECK_MASK(a0, 0xaaa, 0, 3)
    TEST_PASS

    .align 2
m_trap:
    csrr s2, mcause
    bgez s2, bad
    slli s2, s2, 1
    srli s2, s2, 1
    slli s6, s6, 4
    or s6, s6, s2
    addi s11, s11, 1
    li t0, IRQ_MEI
    bne s2, t0, 1f
    lw t1, 0(s10)               /* claim */
    CHECK(t1, UART_IRQ, 4)
    sb zero, UART_IER(s9)
    sw t1, 0(s10)               /* complete */
    mret
1:  li t0, IRQ_MSI
    bne s2, t0, 1f
    sw zero, 0(s8)
    mret
1:  li t0, IRQ_MTI
    bne s2, t0, 1f
    li t0, -1
    sd t0, 0(s7)
    mret
1:  li t0, 1
    sll t0, t0, s2
    csrc mip, t0                /* SEI, SSI, STI */
    mret
bad:
    mv a0, s2
    csrr a2, mepc
    li a1, 99
    j priv_fail_report
