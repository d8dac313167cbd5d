/* pagecross.S - a branch target inside a region holds a 32-bit instruction
 * that crosses the page end (page offset 0xffe). A region cannot translate
 * that instruction, so the block starting there must leave the region before
 * it, without a taken-jump exit: the old code left as a taken jump with
 * nothing retired and the chaining tail-called the same block through its
 * own entry, forever (issue 12: python3 with --jit on). The loop runs N
 * times; s2 counts the crossing instruction's executions, s3 the loop head's. */
#include "bare.h"

#define N 300

TEST_BEGIN
    li s1, N
    li s2, 0
    li s3, 0
    j head

    .balign 4096
    .option push
    .option norvc
    .skip 0xf00                 /* the loop head near the page end */
head:
    addi s3, s3, 1
    beqz s1, done
    addi s1, s1, -1
    j cross                     /* a block start of head's region, at offset 0xffe */
    .skip 0xffe - (. - head) - 0xf00
cross:
    addi s2, s2, 1              /* 4 bytes: 2 in this page, 2 in the next */
    j head
done:
    .option pop
    li t0, N
    bne s2, t0, fail1
    li t0, N + 1
    bne s3, t0, fail2
    TEST_PASS
fail1: TEST_FAIL_CODE(1)
fail2: TEST_FAIL_CODE(2)
