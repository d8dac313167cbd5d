/* trap_modes.S - ecall from M/S/U (causes 11/9/8), mepc/mtval on ecall,
 * mstatus.MPP/MPIE/MIE on trap entry, mret and sret restoring the privilege
 * and the interrupt-enable stack, mepc/sepc holding 2-byte aligned values.
 * Not checked: priv 1.12 says an xRET to a mode below M clears MPRV, but
 * QEMU 7.2 (the reference here) does not implement that (QEMU >= 8 does), so
 * MPRV is masked out of the checks after mret/sret to S/U. */
#include "bare.h"
#include "priv.h"

TEST_BEGIN
    PMP_ALLOW_ALL
    SET_MTVEC(m_trap)

    /* ---- ecall from M: cause 11, mepc = the ecall, mtval = 0,
       MPP = M, MPIE = old MIE (1), MIE = 0 (mie = 0: nothing can fire) */
    csrw mie, zero
    li t0, MSTATUS_MIE
    csrs mstatus, t0
    EXPECT_TRAP(1f)
    li s4, 0x55                 /* must be overwritten with mtval = 0 */
ecall_m:
    ecall
    TEST_FAIL_CODE(1)
1:  CHECK(s2, CAUSE_ECALL_M, 2)
    la t0, ecall_m
    CHECK_REG(s3, t0, 3)
    CHECK(s4, 0, 4)
    CHECK_MASK(s5, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP | MSTATUS_MPIE, 5)

    /* ---- mret to M: MIE <- MPIE, MPIE <- 1, MPP <- U (least privileged),
       and MPRV is kept (privilege did not drop) */
    li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV
    csrc mstatus, t0
    li t0, MSTATUS_MPP | MSTATUS_MPRV     /* MPP = M, MPIE = 0 */
    csrs mstatus, t0
    la t0, 2f
    csrw mepc, t0
    mret
    TEST_FAIL_CODE(6)
2:  csrr t0, mstatus
    CHECK_MASK(t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPRV, MSTATUS_MPIE | MSTATUS_MPRV, 7)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0

    /* ---- mret to S with MPIE = 1; ecall from S: cause 9.
       On that trap MPP = S, MPIE = 1 (MIE was restored to 1 by mret). */
    li t0, MSTATUS_MPIE
    csrs mstatus, t0
    EXPECT_TRAP(3f)
    ENTER_MODE(PRV_S, s_code)
s_code:
    li a0, 0x123
ecall_s:
    ecall
    TEST_FAIL_CODE(8)
3:  CHECK(s2, CAUSE_ECALL_S, 9)
    la t0, ecall_s
    CHECK_REG(s3, t0, 10)
    CHECK(s4, 0, 11)
    CHECK_MASK(s5, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP_S | MSTATUS_MPIE, 12)
    CHECK(a0, 0x123, 13)        /* registers survive the mode switches */

    /* ---- mret to U with MPIE = 0; ecall from U: cause 8, MPP = U,
       MPIE = 0 (MIE was 0 in U) */
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    EXPECT_TRAP(4f)
    ENTER_MODE(PRV_U, u_code)
u_code:
ecall_u:
    ecall
    TEST_FAIL_CODE(14)
4:  CHECK(s2, CAUSE_ECALL_U, 15)
    la t0, ecall_u
    CHECK_REG(s3, t0, 16)
    CHECK_MASK(s5, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, 0, 17)

    /* ---- sret from S to U: SIE <- SPIE (1), SPIE <- 1, SPP <- U.
       Observed from the U-mode ecall's trap into M. */
    EXPECT_TRAP(5f)
    ENTER_MODE(PRV_S, s_code2)
s_code2:
    li t0, MSTATUS_SPP | MSTATUS_SIE
    csrc sstatus, t0            /* SPP = U, SIE = 0 */
    li t0, MSTATUS_SPIE
    csrs sstatus, t0            /* SPIE = 1 */
    la t0, u_code2
    csrw sepc, t0
    sret
    TEST_FAIL_CODE(18)
u_code2:
    ecall
    TEST_FAIL_CODE(19)
5:  CHECK(s2, CAUSE_ECALL_U, 20)
    CHECK_MASK(s5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE, 21)

    /* ---- sret from S to S (SPP = S, SPIE = 0): stays in S (can read
       sstatus), SIE <- 0, SPIE <- 1, SPP <- U */
    EXPECT_TRAP(6f)
    ENTER_MODE(PRV_S, s_code3)
s_code3:
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    li t0, MSTATUS_SPP | MSTATUS_SIE
    csrs sstatus, t0
    la t0, s_code4
    csrw sepc, t0
    sret
    TEST_FAIL_CODE(22)
s_code4:
    csrr a1, sstatus            /* legal only in S: proves we are in S */
    ecall
    TEST_FAIL_CODE(23)
6:  CHECK(s2, CAUSE_ECALL_S, 24)
    CHECK_MASK(a1, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE, 25)

    /* ---- mepc / sepc hold 2-byte aligned addresses (IALIGN = 16 with C).
       (The spec also makes bit 0 read as zero; QEMU 7.2 keeps it, so
       that is not checked.) */
    li t0, 0x80001236
    csrw mepc, t0
    csrr t1, mepc
    CHECK(t1, 0x80001236, 26)
    csrw sepc, t0
    csrr t1, sepc
    CHECK(t1, 0x80001236, 27)

    /* ---- mscratch / sscratch are plain read/write registers */
    li t0, 0x0123456789abcdef
    csrw mscratch, t0
    csrr t1, mscratch
    CHECK_REG(t0, t1, 28)
    csrw sscratch, t0
    csrrw t1, sscratch, zero
    CHECK_REG(t0, t1, 29)
    CHECK_CSR(sscratch, 0, 30)

    TEST_PASS

    M_TRAP_RECORD(m_trap)
