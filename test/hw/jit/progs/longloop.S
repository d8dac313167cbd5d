/* longloop.S - a loop body longer than one region may translate
 * (MAX_REGION_INSNS in hw/jit/translate.ts), so regions end in the middle of
 * straight-line code and the rest runs from another entry or in the
 * interpreter. The body mixes arithmetic with loads and stores on both sides
 * of the cut; the sums are checked at the end. */
#include "bare.h"

#define N 40

TEST_BEGIN
    la s0, buf
    li s1, N
    li s2, 0
    li s3, 0
1:
    .rept 150
    addi s2, s2, 3
    xor s3, s3, s2
    slli t0, s3, 1
    .endr
    sd s3, 0(s0)
    ld t1, 0(s0)
    add s2, s2, t1
    .rept 150
    addi s2, s2, 5
    sub s3, s3, s2
    .endr
    sd s2, 8(s0)
    addi s1, s1, -1
    bnez s1, 1b
    ld t2, 8(s0)
    bne t2, s2, fail2
    TEST_PASS
fail2: TEST_FAIL_CODE(2)

    .data
    .balign 4096                /* not in a page holding code: stores there leave regions */
buf: .dword 0, 0
