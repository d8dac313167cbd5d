/* bare.h - macros for bare-metal test programs (assembly, QEMU virt map).
 * A test reports through the SiFive test finisher at 0x100000:
 *   0x5555 = pass, (code << 16) | 0x3333 = fail with exit code `code`.
 * Usage: #include "bare.h", then write code after TEST_BEGIN, end with TEST_PASS.
 * CHECK(reg, value, n) fails with code n when reg != value (t6 is clobbered).
 */
#ifndef BARE_H
#define BARE_H

#define FINISHER 0x100000
#define UART0    0x10000000

#define TEST_BEGIN            \
    .section .text.init;      \
    .globl _start;            \
_start:                       \
    la sp, _stack_top;        \
    li t0, (1 << 13);         /* mstatus.FS = Initial: enable the FPU */ \
    csrs mstatus, t0;

#define TEST_PASS             \
    li t0, FINISHER;          \
    li t1, 0x5555;            \
    sw t1, 0(t0);             \
99: j 99b;

#define TEST_FAIL_CODE(n)     \
    li t0, FINISHER;          \
    li t1, (((n) << 16) | 0x3333); \
    sw t1, 0(t0);             \
98: j 98b;

/* Compare a register with an immediate; on mismatch exit with code n. */
#define CHECK(reg, value, n)  \
    li t6, value;             \
    beq reg, t6, 97f;         \
    TEST_FAIL_CODE(n)         \
97:

#endif
