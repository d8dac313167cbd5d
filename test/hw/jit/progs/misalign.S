/* misalign.S - misaligned loads and stores in a translated loop, under Sv39.
 * Regions leave before an access that is not aligned to its width and the
 * interpreter's MMU does it (hw/jit/translate.ts access()); this program
 * makes every kind of them in a hot loop: aligned, misaligned inside a page,
 * and misaligned across a page end into a virtual page whose physical page
 * is NOT the next one (VA 0x40000000 -> pageB, VA 0x40001000 -> pageA, in
 * that order), with integer and F/D widths. A tier that let a crossing
 * access run on into the next host page would write and read the wrong
 * physical bytes. A jump before each group makes it a region entry, so the
 * instructions after each misaligned access run translated again. S-mode runs the loop; it ends with an ecall, and M-mode
 * checks the checksum against the bytes found through the identity map. */
#include "bare.h"

#define N 300
#define VA 0x40000000

TEST_BEGIN
    SV39_IDENTITY(root)
    SV39_TABLE(root, 1, l1)
    SV39_TABLE(l1, 0, l0)
    SV39_LEAF(l0, 0, pageB, 0xc7)            /* VA -> pageB, VA + 4096 -> pageA (R W A D) */
    SV39_LEAF(l0, 1, pageA, 0xc7)
    SV39_ON(root)
    ENTER_S(s_code, m_trap)

s_code:
    li s0, VA
    li s1, N
    li s2, 0                                 /* checksum */
    li s4, 0x0123456789abcdef                /* value, a xorshift sequence */
1:  mv s5, s4                                /* the last value stored across the page end */
    j 8f                                     /* an entry point: the region starts here */
8:
    addi t0, s0, 0x203                       /* misaligned inside the page */
    sd s4, 0(t0)
    ld t1, 0(t0)
    add s2, s2, t1
    j 8f
8:
    sw s4, 5(t0)
    lw t1, 5(t0)
    add s2, s2, t1
    j 8f
8:
    sh s4, 9(t0)
    lhu t1, 9(t0)
    add s2, s2, t1
    j 8f
8:
    li t0, VA + 0xffd                        /* across the page end: pageB -> pageA */
    sd s4, 0(t0)
    ld t1, 0(t0)
    xor s2, s2, t1
    j 8f
8:
    lw t1, 1(t0)
    add s2, s2, t1
    j 8f
8:
    lh t1, 2(t0)
    add s2, s2, t1
    j 8f
8:
    lhu t1, 3(t0)                            /* aligned, in pageA */
    add s2, s2, t1
    j 8f
8:
    fld ft0, 0(t0)                           /* F/D across and inside the page */
    fsd ft0, 0x10(s0)
    ld t1, 0x10(s0)
    add s2, s2, t1
    addi t2, t0, -0x7f0
    j 8f
8:
    fsw ft0, 1(t2)
    j 8f
8:
    flw ft1, 1(t2)
    fmv.x.w t1, ft1
    add s2, s2, t1
    j 8f
8:
    sd s4, 0x100(s0)                         /* aligned */
    ld t1, 0x100(s0)
    add s2, s2, t1
    slli t2, s4, 13                          /* next value */
    xor s4, s4, t2
    srli t2, s4, 7
    xor s4, s4, t2
    slli t2, s4, 17
    xor s4, s4, t2
    addi s1, s1, -1
    bnez s1, 1b
    ecall

    .balign 4
m_trap:
    csrr t0, mcause
    li t2, 9                                 /* ecall from S: the loop finished */
    bne t0, t2, fail2
    /* The last value stored across the page end: its first three bytes at the
       end of pageB, the other five at the start of pageA (physical, identity map). */
    la t0, pageB
    li t1, 0xffd
    add t0, t0, t1
    lbu t1, 0(t0)
    andi t2, s5, 0xff
    bne t1, t2, fail3
    la t0, pageA
    lbu t1, 0(t0)
    srli t2, s5, 24
    andi t2, t2, 0xff
    bne t1, t2, fail4
    lbu t1, 4(t0)
    srli t2, s5, 56
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
pageX: .zero 4096                            /* after pageA; pageB comes after it, so no crossing is contiguous */
pageB: .zero 4096
