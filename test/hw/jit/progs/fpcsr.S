/* fpcsr.S - the floating-point CSRs inside translated code, and a loop that
 * falls through a page end.
 * Loop 1 reads and writes fflags, frm and fcsr with every CSR instruction form
 * (csrrw, csrrs, csrrc and their immediate forms; rd = x0, rs1 = x0 and
 * rd = rs1 among them) between FP operations whose results and flags depend
 * on them; an integer digest of everything read is stored at `result`.
 * Loop 2 straddles a page boundary: its body falls from one page into the
 * next, so each iteration leaves the first page's region without a branch.
 * Then mstatus.FS is turned off and a third loop reaches `frflags` at
 * iteration K: the illegal-instruction trap must come with mepc = that
 * instruction and exactly K-1 iterations done. */
#include "bare.h"

#define N 300
#define N2 400
#define K 150

TEST_BEGIN
    la t0, m_trap
    csrw mtvec, t0
    csrw fcsr, zero
    la s0, data
    fld fa0, 0(s0)              /* 1.0 */
    fld fa1, 8(s0)              /* 3.0 */
    li s1, N
    li s2, 0
    li s3, 0
    j 1f                        /* a taken jump: the loop's first instruction is an entry */
1:  fdiv.d ft0, fa0, fa1        /* inexact: NX */
    frflags t0                  /* csrrs t0, fflags, x0 (reads only) */
    add s2, s2, t0
    csrrw t1, fflags, zero      /* read and clear */
    add s2, s2, t1
    andi t2, s1, 3
    fsrm t3, t2                 /* csrrw t3, frm, t2: the rounding mode follows the counter */
    add s2, s2, t3
    fdiv.d ft1, fa0, fa1        /* rounded by frm */
    fmv.x.d t4, ft1
    xor s2, s2, t4
    csrrsi t5, fflags, 0x10     /* set NV */
    add s2, s2, t5
    csrrci t5, fflags, 0x1      /* clear NX */
    add s2, s2, t5
    andi a3, s1, 0x1f
    csrrs t6, fcsr, a3          /* set flag bits only: frm stays valid */
    add s2, s2, t6
    csrrc a0, fcsr, s2          /* clear bits (frm stays in 0..4) */
    add s2, s2, a0
    csrr a1, fcsr
    add s2, s2, a1
    csrrwi a2, frm, 1           /* round toward zero */
    add s2, s2, a2
    fdiv.d ft2, fa0, fa1
    fmv.x.d a4, ft2
    xor s2, s2, a4
    csrrw s3, fcsr, s3          /* rd = rs1: swap */
    add s2, s2, s3
    csrrci x0, fflags, 0        /* reads only */
    csrwi fflags, 4             /* csrrwi x0 */
    slli s2, s2, 1
    addi s1, s1, -1
    bnez s1, 1b
    la t1, result
    sd s2, 0(t1)
    frcsr t0
    sd t0, 8(t1)

    li s4, 0
    li s5, N2
    j page_loop
    .option push
    .option norvc
    .balign 4096
    .skip 4096 - 16
page_loop:                      /* four instructions at the end of one page... */
    addi s4, s4, 1
    xor s6, s6, s4
    slli s7, s6, 3
    add s6, s6, s7
    addi s5, s5, -1             /* ...the rest at the start of the next */
    srli s7, s6, 7
    xor s6, s6, s7
    bnez s5, page_loop
    .option pop
    la t1, result
    sd s6, 16(t1)
    li t1, N2
    bne s4, t1, fail5

    /* FS off: the next access to fflags in a (hot, translated) loop is illegal */
    li t0, 3 << 13
    csrc mstatus, t0
    li s4, 0
    li s5, K
2:  addi s4, s4, 1
    beq s4, s5, 3f
    addi s6, s6, 3
    j 2b
3:
csr_insn:
    frflags t0
    TEST_FAIL_CODE(1)           /* must trap */

    .balign 4
m_trap:
    csrr t0, mcause
    li t1, 2
    bne t0, t1, fail2
    csrr t0, mepc
    la t1, csr_insn
    bne t0, t1, fail3
    li t1, K
    bne s4, t1, fail4
    TEST_PASS
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)
fail4: TEST_FAIL_CODE(4)
fail5: TEST_FAIL_CODE(5)

    .data
    .balign 4096                /* not in a page holding code: stores there leave regions */
data:
    .double 1.0, 3.0
result: .dword 0, 0, 0
