/* uart_irq.S - interrupt-driven UART receive: IER.ERBFI (received data
 * available) through PLIC source 10 to context 0 (hart 0 M); the main loop
 * sleeps in wfi; the handler claims (10), checks IIR reports received data
 * (0x4), character timeout (0xc) or nothing (0x1: a byte that arrived and
 * was drained during the previous handler leaves the PLIC source pending
 * with the UART line low again), drains RBR while LSR.DR, echoes each
 * byte, completes; '\n' ends the test. The host feeds "hello tsix\n" and
 * expects "> hello tsix\n" on stdout. FCR is not written: enabling the
 * FIFOs flushes the receive FIFO, which would race with the input. */
#include "bare.h"
#include "priv.h"

TEST_BEGIN
    SET_MTVEC(m_trap)
    csrw mie, zero
    li s6, UART0
    li s7, PLIC_CLAIM(0)
    li s8, 0                    /* done flag */
    li s9, 0                    /* interrupts taken */
    li t0, 0x03
    sb t0, UART_LCR(s6)
    li t0, PLIC_PRIORITY(UART_IRQ)
    li t1, 1
    sw t1, 0(t0)
    li t0, PLIC_ENABLE(0)
    li t1, 1 << UART_IRQ
    sw t1, 0(t0)
    li t0, PLIC_THRESHOLD(0)
    sw zero, 0(t0)
    li a0, 62                   /* "> " */
    call putc
    li a0, 32
    call putc
    li t0, 1                    /* IER.ERBFI */
    sb t0, UART_IER(s6)
    li t0, MIP_MEIP
    csrw mie, t0
    li t0, MSTATUS_MIE
    csrs mstatus, t0
1:  wfi
    beqz s8, 1b
    li t0, MSTATUS_MIE
    csrc mstatus, t0
    bnez s9, 2f
    TEST_FAIL_CODE(1)
2:  lbu t0, UART_LSR(s6)
    andi t0, t0, 0x40
    beqz t0, 2b
    TEST_PASS

putc:
    lbu t0, UART_LSR(s6)
    andi t0, t0, LSR_THRE
    beqz t0, putc
    sb a0, UART_THR(s6)
    ret

    .align 2
m_trap:
    csrr s2, mcause
    bltz s2, 1f
    mv a0, s2
    csrr a2, mepc
    li a1, 99
    j priv_fail_report
1:  slli s2, s2, 1
    srli s2, s2, 1
    CHECK(s2, IRQ_MEI, 2)
    addi s9, s9, 1
    lw s10, 0(s7)               /* claim */
    CHECK(s10, UART_IRQ, 3)
    lbu a0, UART_IIR(s6)
    andi a0, a0, 0x0f
    li t0, 0x04
    beq a0, t0, 2f
    li t0, 0x01
    beq a0, t0, 2f
    CHECK(a0, 0x0c, 4)
2:  lbu t0, UART_LSR(s6)
    andi t0, t0, LSR_DR
    beqz t0, 3f
    lbu a0, UART_RBR(s6)
    mv s11, ra
    call putc
    mv ra, s11
    li t0, 10
    bne a0, t0, 2b
    li s8, 1
    j 2b
3:  sw s10, 0(s7)               /* complete */
    mret
