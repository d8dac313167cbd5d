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
    SV39_IDENTITY(root)
    SV39_TABLE(root, 1, l1)
    SV39_TABLE(l1, 0, l0)
    SV39_LEAF(l0, 0, g1, 0xcb)               /* VA -> g1 (R X A D) */
    SV39_ON(root)
    ENTER_S(s_code, m_trap)

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
    SV39_LEAF(l0, 0, g2, 0xcb)               /* VA -> g2 */
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
