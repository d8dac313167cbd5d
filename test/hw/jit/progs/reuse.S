/* reuse.S - translated code kept across full invalidations.
 * Loop 1 calls f (alone in its page) until both are translated; fence.i
 * then invalidates everything without changing any code, and loop 2 calls
 * f again: its regions are registered again, not translated anew. Loop 2
 * runs until f returns 3, which happens only after the host (as a kernel
 * loading a program would) rewrites f's first instruction directly in RAM
 * and flushes the TLB; then f is called 100 times more and must return 3
 * every time: a region whose bytes changed must not be reused (exit code 1).
 * result[0] = f's last value, result[1] = loop 2's iterations. */
#include "bare.h"

TEST_BEGIN
    li s1, 400
1:  call f
    addi s1, s1, -1
    bnez s1, 1b
    fence.i
    la s2, result
    li s3, 0
2:  call f
    sd a0, 0(s2)
    addi s3, s3, 1
    sd s3, 8(s2)
    li t0, 3
    bne a0, t0, 2b
    /* f is called again until hot: the region made before the rewrite must not come back */
    li s4, 100
3:  call f
    li t0, 3
    bne a0, t0, fail1
    addi s4, s4, -1
    bnez s4, 3b
    TEST_PASS
fail1: TEST_FAIL_CODE(1)

    .balign 4096
    .globl f
    .option push
    .option norvc               /* f's first instruction is the 32-bit word the host rewrites */
f:  li a0, 1
    ret
    .option pop

    .data
    .balign 4096
    .globl result
result: .dword 0, 0
