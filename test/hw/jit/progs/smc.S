/* smc.S - self-modifying code under the second execution tier.
 * Phase 1: f (alone in its page) returns 1 and is called often enough to be
 * translated. Phase 2: the program overwrites f's first instruction with
 * "li a0, 2", runs fence.i, and calls f again: it must return 2 (a tier that
 * kept the old translation returns 1: exit code 2).
 * Phase 3 (without FENCE_I): the same write with no fence.i; tsix, like QEMU,
 * still runs the new code because stores to translated code drop it.
 * Phase 4: code that rewrites an instruction later in its own loop body. */
#include "bare.h"

TEST_BEGIN
    li s1, 100
1:  call f
    li t0, 1
    bne a0, t0, fail1
    addi s1, s1, -1
    bnez s1, 1b

    la t0, f
    li t2, 0x00200513          /* addi a0, zero, 2 */
    sw t2, 0(t0)
#ifndef NO_FENCE_I
    fence.i
#endif
    li s1, 100
2:  call f
    li t0, 2
    bne a0, t0, fail2
    addi s1, s1, -1
    bnez s1, 2b

    /* Phase 4: the loop body patches its own "addi a1, a1, N": N = 1 for the
       first 50 iterations, then 3. a1 = 50 * 1 + 50 * 3 = 200. */
    li a1, 0
    li s1, 0
    la t0, patch
    li t3, 0x00358593          /* addi a1, a1, 3 */
3:  li t1, 50
    bne s1, t1, 4f
    sw t3, 0(t0)
#ifndef NO_FENCE_I
    fence.i
#endif
4:
    .option push
    .option norvc
patch:
    addi a1, a1, 1
    .option pop
    addi s1, s1, 1
    li t1, 100
    blt s1, t1, 3b
    li t1, 200
    bne a1, t1, fail3
    TEST_PASS
fail1: TEST_FAIL_CODE(1)
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)

    .balign 4096
    .option push
    .option norvc
f:  addi a0, zero, 1
    ret
    .option pop
