/* calls.S - calls and returns inside one page, and forward branches that
 * skip several blocks (issue 12, faster generated code):
 *  - `jal ra, f` and `jalr ra, 0(t0)` return to the instruction after them:
 *    those return points start blocks of the caller's region, so `ret`
 *    comes back through the region's dispatch instead of leaving it;
 *  - f's forward branches jump over two or three blocks at once, and g's
 *    forward branch leaves its own loop: both are plain wasm `br`s to the
 *    target block, whose nesting depth the translator computes.
 * The program adds f(i) + g(i) through the calls and again inline (with remu)
 * and fails if the sums differ; the lockstep test also compares every slice
 * with the interpreter. */
#include "bare.h"

#define N 300

TEST_BEGIN
    li s1, N
    li s2, 0                    /* sum through the calls */
    li s3, 0                    /* the same sum inline */
    li s4, 0                    /* i */
    la s5, g
loop:
    mv a0, s4
    jal ra, f
retA:
    add s2, s2, a0
    mv a0, s4
    jalr ra, 0(s5)
retB:
    add s2, s2, a0
    /* inline: f(i) = {0: 2i, 1: 3, 2: 5, 3: 7}[i & 3]; g(i) = i % 5 + 1 */
    andi t1, s4, 3
    slli t2, s4, 1
    li t3, 3
    li t4, 1
    beq t1, t4, 1f
    li t3, 5
    li t4, 2
    beq t1, t4, 1f
    li t3, 7
    li t4, 3
    beq t1, t4, 1f
    mv t3, t2
1:  add s3, s3, t3
    li t5, 5
    remu t5, s4, t5
    addi t5, t5, 1
    add s3, s3, t5
    addi s4, s4, 1
    blt s4, s1, loop
    bne s2, s3, fail2
    beqz s2, fail3
    TEST_PASS
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)

f:
    andi t1, a0, 3
    beqz t1, f0                 /* forward over three blocks */
    li t2, 1
    beq t1, t2, f1              /* forward over two */
    li t2, 2
    beq t1, t2, f2
    li a0, 7
    ret
f2: li a0, 5
    ret
f1: li a0, 3
    ret
f0: slli a0, a0, 1
    ret

g:
    li t1, 5
1:  blt a0, t1, 2f              /* forward, out of the block's own loop */
    sub a0, a0, t1
    j 1b
2:  addi a0, a0, 1
    ret
