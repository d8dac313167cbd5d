/* loops.S - loop shapes a region must keep exact (hw/jit/translate.ts):
 * a loop of several blocks (an if/else in its body), loops nested three
 * deep, a rotated loop entered in the middle (a jump to its test at the
 * bottom), two loops that overlap without nesting (the second's head lies
 * in the first, its back edge after the first's), a jalr into the middle
 * of a loop of the same page, and an F/D instruction writing an x register
 * inside a loop. Every result is checked at the end; the lockstep tests
 * compare the whole state after every slice, so the slice limit also lands
 * inside each of these loops. */
#include "bare.h"

TEST_BEGIN
    /* 1. several blocks: sum of i for even i, minus i for odd i, i < 100 */
    li s0, 0
    li s1, 0
    li s2, 100
1:  andi t0, s0, 1
    bnez t0, 2f
    add s1, s1, s0
    j 3f
2:  sub s1, s1, s0
3:  addi s0, s0, 1
    blt s0, s2, 1b
    CHECK(s1, -50, 1)

    /* 2. three deep: count (i, j, k) with i < 7, j < 6, k < 5, k != j */
    li s1, 0
    li s3, 0
4:  li s4, 0
5:  li s5, 0
6:  beq s5, s4, 7f
    addi s1, s1, 1
7:  addi s5, s5, 1
    li t0, 5
    blt s5, t0, 6b
    addi s4, s4, 1
    li t0, 6
    blt s4, t0, 5b
    addi s3, s3, 1
    li t0, 7
    blt s3, t0, 4b
    CHECK(s1, 7 * (6 * 5 - 5), 2)

    /* 3. rotated: entered at its test; sum 1..50 */
    li s0, 50
    li s1, 0
    j 9f
8:  add s1, s1, s0
    addi s0, s0, -1
9:  bnez s0, 8b
    CHECK(s1, 1275, 3)

    /* 4. overlapping loops: A = [10 .. 11's branch back to 10], B = [11 .. 12's branch back to 11] */
    li s0, 0                    /* A's counter */
    li s1, 0                    /* B's counter */
    li s2, 0                    /* work */
10: addi s0, s0, 1
    addi s2, s2, 3
11: addi s1, s1, 1
    xor s2, s2, s1
    andi t0, s1, 3
    li t1, 40
    bge s0, t1, 12f             /* leave A once it ran 40 times */
    beqz t0, 10b                /* A's back edge, inside B */
12: li t1, 200
    blt s1, t1, 11b             /* B's back edge, after A */
    CHECK(s0, 40, 4)
    CHECK(s1, 200, 5)
    mv a0, s2                   /* checked against the interpreter by lockstep; here only non-zero */
    beqz a0, fail6

    /* 5. a jalr into the middle of a loop of this page: 30 rounds, each
     *    entering the loop at its second block with s4 = 3 */
    li s3, 0
    li s1, 0
13: li s4, 3
    la t2, 15f
    jalr zero, 0(t2)
14: addi s1, s1, 2              /* the loop's first block */
15: addi s1, s1, 1              /* entered here */
    addi s4, s4, -1
    bnez s4, 14b
    addi s3, s3, 1
    li t0, 30
    blt s3, t0, 13b
    CHECK(s1, 30 * (3 + 2 * 2), 7)

    /* 6. fmv.x.d writes an x register in a loop: sum of the bits of d = 2.0 * i */
    li s0, 0
    li s1, 0
    li s2, 20
16: fcvt.d.l fa0, s0
    fadd.d fa0, fa0, fa0
    fmv.x.d t0, fa0
    srli t0, t0, 52             /* the exponent field */
    add s1, s1, t0
    addi s0, s0, 1
    blt s0, s2, 16b
    /* i = 0: 0; i = 1: 0x400; 2, 3: 0x401; 4..7: 0x402; 8..15: 0x403; 16..19: 0x404 */
    CHECK(s1, 0x400 + 2 * 0x401 + 4 * 0x402 + 8 * 0x403 + 4 * 0x404, 8)
    TEST_PASS
fail6: TEST_FAIL_CODE(6)
