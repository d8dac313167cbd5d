/* links.S - regions on different pages that enter each other without the
 * interpreter (the core's chaining, hw/core/jit.ts jitTry), under Sv39,
 * while the code they go to is remapped and rewritten.
 * S-mode runs a loop that calls g through VA (a jalr to another page; g's
 * ret is a jalr back) and jumps to a block on the next page and back (direct
 * jumps between pages), in three phases of N iterations:
 *   1. VA -> g1 (a0 = 1);
 *   2. VA -> g2 (a0 = 2): the PTE is rewritten and only that page's
 *      translation is flushed (sfence.vma VA), so chaining from the loop's
 *      region must see through the fetch TLB that VA now means other bytes
 *      (no generation flush drops g1's region);
 *   3. the loop's own page stores "li a0, 3" over g2's first instruction,
 *      through the identity map (another virtual address of the same
 *      physical page), without fence.i: the store drops g2's region, and
 *      nothing may enter it again.
 * The sum of the a0 values is checked in M-mode after the ecall that ends
 * the loop: N * (1 + 2 + 3). */
#include "bare.h"

#define N 1500
#define VA 0x40000000

TEST_BEGIN
    la t0, root
    li t1, (0x80000000 >> 12) << 10 | 0xcf   /* root[2]: 1 GiB identity leaf, R W X A D, S-only */
    sd t1, 16(t0)
    la t2, l1                                /* root[1] -> l1 */
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, 1
    sd t2, 8(t0)
    la t3, l1                                /* l1[0] -> l0 */
    la t2, l0
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, 1
    sd t2, 0(t3)
    la t3, l0                                /* l0[0]: VA -> g1 (R X A D) */
    la t2, g1
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, 0xcb
    sd t2, 0(t3)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    la t0, m_trap
    csrw mtvec, t0
    csrw medeleg, zero
    li t0, 3 << 11                           /* mret to S at s_code */
    csrc mstatus, t0
    li t0, 1 << 11
    csrs mstatus, t0
    la t0, s_code
    csrw mepc, t0
    mret

    .balign 4096
s_code:
    li s0, VA
    li s2, 0                                 /* the sum */
    li s3, 0                                 /* the phase: 0, 1, 2 */
phase:
    li s1, N
1:  jalr ra, 0(s0)                           /* g, through VA */
    add s2, s2, a0
    j far                                    /* to the next page and back */
back:
    addi s1, s1, -1
    bnez s1, 1b
    addi s3, s3, 1
    li t0, 1
    beq s3, t0, remap
    li t0, 2
    beq s3, t0, rewrite
    ecall
remap:
    la t3, l0                                /* l0[0]: VA -> g2 */
    la t2, g2
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, 0xcb
    sd t2, 0(t3)
    sfence.vma s0                            /* that page only */
    j phase
rewrite:
    la t0, g2
    li t1, 0x00300513                        /* addi a0, zero, 3 */
    sw t1, 0(t0)
    j phase

    .balign 4096
far:
    addi s4, s4, 1
    j back

    .balign 4
m_trap:
    csrr t0, mcause
    li t2, 9                                 /* ecall from S: the loop finished */
    bne t0, t2, fail2
    li t0, N * 6
    bne s2, t0, fail3
    TEST_PASS
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)

    .balign 4096
    .option push
    .option norvc
g1: addi a0, zero, 1
    ret
    .balign 4096
g2: addi a0, zero, 2
    ret
    .option pop

    .data
    .balign 4096
root: .zero 4096
l1: .zero 4096
l0: .zero 4096
