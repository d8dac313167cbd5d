/* uart_echo.S - polled 16550 UART: the usual initialisation (DLAB divisor
 * latch, 8N1; the FIFOs are left alone: enabling them flushes the receive
 * FIFO, which would race with the host's input), then echo every byte read from RBR while LSR.DR is
 * set back to THR (waiting for LSR.THRE), until '\n'. The host feeds
 * "hello tsix\n" and expects it back on stdout, preceded by "> ", and no
 * byte from the divisor writes (0x01 to DLL must not be transmitted). */
#include "bare.h"
#include "priv.h"

#define UART_DLL 0
#define UART_DLM 1

TEST_BEGIN
    li s6, UART0
    sb zero, UART_IER(s6)
    li t0, 0x80                 /* LCR.DLAB */
    sb t0, UART_LCR(s6)
    li t0, 0x01                 /* divisor 1: must not reach the output */
    sb t0, UART_DLL(s6)
    sb zero, UART_DLM(s6)
    li t0, 0x03                 /* 8N1, DLAB off */
    sb t0, UART_LCR(s6)
    lbu a0, UART_LCR(s6)
    CHECK(a0, 0x03, 1)

    li a0, 62                   /* "> " */
    call putc
    li a0, 32
    call putc
1:  lbu t0, UART_LSR(s6)
    andi t0, t0, LSR_DR
    beqz t0, 1b
    lbu a0, UART_RBR(s6)
    call putc
    li t0, 10
    bne a0, t0, 1b
    /* wait for the transmitter to be empty (LSR.TEMT) */
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
