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

/* Sv39 for S-mode tests (t0-t3 clobbered).
 * SV39_IDENTITY(root): root[2] is a 1 GiB identity leaf for 0x80000000..
 * (R W X A D, S-only): the program and its data.
 * SV39_TABLE(table, index, next): table[index] points to table `next`
 * (V only); SV39_TABLE(root, 1, l1) and SV39_TABLE(l1, 0, l0) make l0 map
 * VA 0x40000000 + 4096 i, i < 512.
 * SV39_LEAF(table, index, page, flags): table[index] maps `page`.
 * SV39_ON(root): satp = Sv39 with that root, then sfence.vma.
 * ENTER_S(entry, trap): traps to M at `trap` (none delegated), mret to S at
 * `entry`. */
#define SV39_IDENTITY(root)   \
    la t0, root;              \
    li t1, (0x80000000 >> 12) << 10 | 0xcf; \
    sd t1, 16(t0);

#define SV39_PTE(table, index, page, flags) \
    la t3, table;             \
    la t2, page;              \
    srli t2, t2, 12;          \
    slli t2, t2, 10;          \
    ori t2, t2, flags;        \
    sd t2, ((index) * 8)(t3);

#define SV39_TABLE(table, index, next) SV39_PTE(table, index, next, 1)
#define SV39_LEAF(table, index, page, flags) SV39_PTE(table, index, page, flags)

#define SV39_ON(root)         \
    la t0, root;              \
    srli t0, t0, 12;          \
    li t1, 8 << 60;           \
    or t0, t0, t1;            \
    csrw satp, t0;            \
    sfence.vma;

#define ENTER_S(entry, trap)  \
    la t0, trap;              \
    csrw mtvec, t0;           \
    csrw medeleg, zero;       \
    li t0, 3 << 11;           \
    csrc mstatus, t0;         \
    li t0, 1 << 11;           \
    csrs mstatus, t0;         \
    la t0, entry;             \
    csrw mepc, t0;            \
    mret;

#endif
