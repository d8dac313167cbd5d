/* memo.S - loads and stores through one base register in a translated
 * block, under Sv39 (hw/jit/translate.ts access(): the block keeps the host
 * address of a base register's last TLB check, and a later access through
 * the same register in the same page skips the TLB lookup). VA -> pageB and
 * VA + 4096 -> pageA, whose physical pages are not adjacent (guard follows
 * pageB). S-mode walks a base register across VA's page end and, at each
 * step, loads at several offsets from it (the same page, the next virtual
 * page, a misaligned one), stores across the page end through a second base
 * and loads the stored value back through it (a load after a store through
 * the same base), and overwrites a base with a load through itself. A tier
 * that added an offset to the remembered host address of the wrong page
 * would read guard instead of pageA, or write it. M-mode checks that guard
 * is untouched, that pageA holds what was stored across the page end, and
 * the checksum; the lockstep test also compares every slice with the
 * interpreter. */
#include "bare.h"

#define N 200
#define VA 0x40000000

TEST_BEGIN
    /* pageA[i] = 0xA000 + i, pageB[i] = 0xB000 + i, guard[i] = -1 (dwords, through the identity map) */
    la t0, pageA
    li t1, 0xA000
    la t2, pageB
    li t3, 0xB000
    la t4, guard
    li t5, -1
    li t6, 512
9:  sd t1, 0(t0)
    sd t3, 0(t2)
    sd t5, 0(t4)
    addi t0, t0, 8
    addi t1, t1, 1
    addi t2, t2, 8
    addi t3, t3, 1
    addi t4, t4, 8
    addi t6, t6, -1
    bnez t6, 9b
    la t0, pageB                             /* pageB[1] = VA + 4096 + 16: a pointer into pageA */
    li t1, VA + 4096 + 16
    sd t1, 8(t0)
    SV39_IDENTITY(root)
    SV39_TABLE(root, 1, l1)
    SV39_TABLE(l1, 0, l0)
    SV39_LEAF(l0, 0, pageB, 0xc7)            /* VA -> pageB, VA + 4096 -> pageA (R W A D) */
    SV39_LEAF(l0, 1, pageA, 0xc7)
    SV39_ON(root)
    ENTER_S(s_code, m_trap)

s_code:
    li s1, N
    li s2, 0                                 /* checksum */
    li s7, VA + 4096 - 8                     /* the store base: 0(s7) ends pageB, 8(s7) starts pageA */
1:  li s0, VA + 4096 - 64                    /* the walking base */
    li s6, 16
    j 2f                                     /* an entry point: the region starts here */
2:  ld t0, 0(s0)                             /* the TLB check */
    ld t1, 8(s0)                             /* same page, or pageA once s0 reaches VA + 4088 */
    lw t2, 4(s0)                             /* narrower, aligned */
    ld t3, -8(s0)                            /* below */
    ld t5, 56(s0)                            /* into pageA for most steps */
    add s2, s2, t0
    slli s2, s2, 1
    add s2, s2, t1
    xor s2, s2, t2
    add s2, s2, t3
    xor s2, s2, t5
    ld t0, 0(s7)                             /* a load, then stores through the same base */
    sd s1, 8(s7)                             /* across the page end: pageA[0] */
    sd s6, 0(s7)                             /* pageB's last dword */
    ld t1, 8(s7)                             /* a load after the stores */
    add s2, s2, t1
    add s2, s2, t0
    li s9, VA + 8
    ld t2, 0(s9)
    ld s9, 0(s9)                             /* the base overwritten through itself: VA + 4096 + 16 */
    ld t3, 8(s9)                             /* pageA[3], not pageB[2] */
    add s2, s2, t2
    add s2, s2, t3
    lw t4, 6(s0)                             /* misaligned (the interpreter does it; across the page end at VA + 4094), last: the region leaves there */
    add s2, s2, t4
    addi s0, s0, 8
    addi s6, s6, -1
    bnez s6, 2b
    addi s1, s1, -1
    bnez s1, 1b
    ecall

    .balign 4
m_trap:
    csrr t0, mcause
    li t2, 9                                 /* ecall from S: the loop finished */
    bne t0, t2, fail2
    la t0, guard                             /* no access reached the page after pageB */
    li t1, 512
    li t3, -1
3:  ld t2, 0(t0)
    bne t2, t3, fail3
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 3b
    la t0, pageA                             /* the last store across the page end: s1 = 1 */
    ld t1, 0(t0)
    li t2, 1
    bne t1, t2, fail4
    la t0, pageB                             /* and the one before it, at pageB's end: s6 = 1 */
    li t1, 4088
    add t0, t0, t1
    ld t1, 0(t0)
    bne t1, t2, fail5
    beqz s2, fail6
    TEST_PASS
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)
fail4: TEST_FAIL_CODE(4)
fail5: TEST_FAIL_CODE(5)
fail6: TEST_FAIL_CODE(6)

    .data
    .balign 4096
root: .zero 4096
l1: .zero 4096
l0: .zero 4096
pageA: .zero 4096
pageB: .zero 4096
guard: .zero 4096                            /* the physical page after pageB */
