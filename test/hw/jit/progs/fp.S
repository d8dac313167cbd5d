/* fp.S - F and D instructions inside translated loops.
 * Loop 1 runs double and single arithmetic (inexact sums, quotients, roots,
 * fused multiply-adds, conversions to and from integers, comparisons, FP
 * loads and stores, moves between the register files) in round-to-nearest;
 * loop 2 runs the same body with frm = round-down (the dynamic rounding mode
 * is read from fcsr), so results and the accrued fflags depend on exact
 * rounding in every tier. Then mstatus.FS is turned off and a third loop
 * reaches an FP instruction at iteration K: the illegal-instruction trap
 * must come with mepc = that instruction and exactly K-1 iterations done. */
#include "bare.h"

#define N 200
#define K 150

TEST_BEGIN
    la t0, m_trap
    csrw mtvec, t0
    li t0, 1 << 13              /* mstatus.FS = Initial */
    csrs mstatus, t0
    csrw fflags, zero
    la s0, data
    li s2, 0
    li s3, 2                    /* two passes: RNE, then RDN */
    fld fa0, 0(s0)              /* 1.0 */
    fld fa1, 8(s0)              /* 3.0 */
    fld fa2, 16(s0)             /* 0.1 */
    flw fs1, 32(s0)             /* 0.7f */
pass:
    li s1, N
    fmv.d.x fa3, zero
1:  fadd.d fa3, fa3, fa2
    fdiv.d ft0, fa0, fa1
    fmul.d ft1, ft0, fa3
    fsqrt.d ft2, fa3
    fmadd.d ft3, ft0, fa1, fa2
    flt.d t0, ft1, ft2
    add s2, s2, t0
    fcvt.w.d t1, ft2, rtz
    add s2, s2, t1
    fcvt.d.l ft4, s1
    fdiv.d ft4, ft4, fa1
    fsd ft4, 24(s0)
    fld ft5, 24(s0)
    feq.d t2, ft5, ft4
    add s2, s2, t2
    fmul.s fs2, fs1, fs1
    fadd.s fs1, fs2, fs1
    fsw fs1, 36(s0)
    lw t3, 36(s0)
    xor s2, s2, t3
    fmv.x.d t3, ft3
    xor s2, s2, t3
    fcvt.l.d t4, ft1
    add s2, s2, t4
    slli s2, s2, 1
    addi s1, s1, -1
    bnez s1, 1b
    csrwi frm, 2                /* round down for the second pass */
    addi s3, s3, -1
    bnez s3, pass
    la t1, result
    sd s2, 0(t1)
    frflags t0
    sd t0, 8(t1)
    /* FS off: the next FP instruction in a (hot, translated) loop is illegal */
    li t0, 3 << 13
    csrc mstatus, t0
    li s4, 0
    li s5, K
2:  addi s4, s4, 1
    beq s4, s5, 3f
    addi s6, s6, 3
    j 2b
3:
fp_insn:
    fadd.d fa4, fa0, fa1
    TEST_FAIL_CODE(1)           /* must trap */

    .balign 4
m_trap:
    csrr t0, mcause
    li t1, 2
    bne t0, t1, fail2
    csrr t0, mepc
    la t1, fp_insn
    bne t0, t1, fail3
    li t1, K
    bne s4, t1, fail4
    TEST_PASS
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)
fail4: TEST_FAIL_CODE(4)

    .data
    .balign 4096                /* not in a page holding code: stores there leave regions */
data:
    .double 1.0, 3.0, 0.1
    .dword 0
    .float 0.7
    .word 0
result: .dword 0, 0
