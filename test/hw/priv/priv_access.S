/* priv_access.S - privileged instructions and CSRs used from a lower mode
 * raise illegal instruction (cause 2, mepc = the instruction, mtval = its
 * bits): M CSRs from S, S CSRs from U, mret from S, sret from U, sret in S
 * with mstatus.TSR, wfi in S with TW and in U, satp / sfence.vma in S with
 * TVM, sfence.vma in U, writes to read-only CSRs, counters gated by
 * mcounteren / scounteren. And that the same things are legal when allowed. */
#include "bare.h"
#include "priv.h"

/* Run the instruction (the variadic part) in `mode`; it must trap with illegal
   instruction into M with mepc = its address and mtval = its bits. */
#define EXPECT_ILLEGAL(mode, n, ...)     \
    EXPECT_TRAP(80f);                     \
    ENTER_MODE(mode, 79f);                \
    .option push; .option norvc;          \
79: __VA_ARGS__;                                 \
    .option pop;                          \
    TEST_FAIL_CODE(n);                    \
80: CHECK(s2, CAUSE_ILLEGAL, n);          \
    la t0, 79b;                           \
    CHECK_REG(s3, t0, n);                 \
    lwu t0, 0(s3);                        \
    CHECK_REG(s4, t0, n);

/* Run the instruction in `mode`, followed by an ecall: must reach the ecall. */
#define EXPECT_LEGAL(mode, n, ...)       \
    EXPECT_TRAP(80f);                     \
    ENTER_MODE(mode, 79f);                \
79: __VA_ARGS__;                                 \
    ecall;                                \
80: CHECK(s2, (8 + (mode)), n);

TEST_BEGIN
    PMP_ALLOW_ALL
    SET_MTVEC(m_trap)
    csrw mie, zero
    csrw medeleg, zero
    csrw mideleg, zero

    /* ---- M-level CSRs from S and U */
    EXPECT_ILLEGAL(PRV_S, 1, csrr a0, mstatus)
    EXPECT_ILLEGAL(PRV_S, 2, csrw mscratch, a0)
    EXPECT_ILLEGAL(PRV_S, 3, csrr a0, mhartid)
    EXPECT_ILLEGAL(PRV_S, 4, csrr a0, misa)
    EXPECT_ILLEGAL(PRV_U, 5, csrr a0, mepc)
    /* ---- S-level CSRs from U */
    EXPECT_ILLEGAL(PRV_U, 6, csrr a0, sstatus)
    EXPECT_ILLEGAL(PRV_U, 7, csrw sscratch, a0)
    EXPECT_ILLEGAL(PRV_U, 8, csrr a0, satp)
    /* ---- xRET from a lower mode */
    EXPECT_ILLEGAL(PRV_S, 9, mret)
    EXPECT_ILLEGAL(PRV_U, 10, mret)
    EXPECT_ILLEGAL(PRV_U, 11, sret)
    /* ---- sfence.vma from U */
    EXPECT_ILLEGAL(PRV_U, 12, sfence.vma)
    /* ---- read-only CSRs cannot be written, whatever the mode */
    EXPECT_ILLEGAL(PRV_S, 13, csrw cycle, a0)
    EXPECT_ILLEGAL(PRV_S, 14, csrs time, a0)

    /* ---- S-level CSRs and sfence from S are fine when nothing traps them */
    EXPECT_LEGAL(PRV_S, 15, csrr a0, sstatus)
    EXPECT_LEGAL(PRV_S, 16, csrw sscratch, a0)
    EXPECT_LEGAL(PRV_S, 17, csrr a0, satp)
    EXPECT_LEGAL(PRV_S, 18, sfence.vma)

    /* ---- mstatus.TVM: satp and sfence.vma from S trap */
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    EXPECT_ILLEGAL(PRV_S, 19, csrr a0, satp)
    EXPECT_ILLEGAL(PRV_S, 20, csrw satp, zero)
    EXPECT_ILLEGAL(PRV_S, 21, sfence.vma)
    /* TVM does not affect M */
    csrr a0, satp
    sfence.vma
    li t0, MSTATUS_TVM
    csrc mstatus, t0

    /* ---- mstatus.TSR: sret from S traps; TSR=0 sret is legal (checked in
       trap_modes.S) */
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    EXPECT_ILLEGAL(PRV_S, 22, sret)
    li t0, MSTATUS_TSR
    csrc mstatus, t0

    /* ---- mstatus.TW: wfi in S traps; in U wfi traps (with S implemented) */
    li t0, MSTATUS_TW
    csrs mstatus, t0
    EXPECT_ILLEGAL(PRV_S, 23, wfi)
    EXPECT_ILLEGAL(PRV_U, 24, wfi)
    li t0, MSTATUS_TW
    csrc mstatus, t0
    /* TW = 0: wfi in S is legal; with an enabled interrupt pending it
       returns at once: SSIP delegated to S, sie.SSIE = 1, sstatus.SIE = 0
       (so it is not taken) */
    li t0, MSTATUS_SIE
    csrc mstatus, t0
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    EXPECT_LEGAL(PRV_S, 25, wfi)
    li t0, MIP_SSIP
    csrc mip, t0
    csrc mie, t0
    csrw mideleg, zero

    /* ---- counters: mcounteren.CY/TM/IR gate S, scounteren gates U */
    csrw mcounteren, zero
    csrw scounteren, zero
    EXPECT_ILLEGAL(PRV_S, 26, rdcycle a0)
    EXPECT_ILLEGAL(PRV_S, 27, rdtime a0)
    EXPECT_ILLEGAL(PRV_S, 28, rdinstret a0)
    EXPECT_ILLEGAL(PRV_U, 29, rdcycle a0)
    li t0, 7
    csrw mcounteren, t0
    EXPECT_LEGAL(PRV_S, 30, rdcycle a0)
    EXPECT_LEGAL(PRV_S, 31, rdtime a0)
    EXPECT_LEGAL(PRV_S, 32, rdinstret a0)
    EXPECT_ILLEGAL(PRV_U, 33, rdcycle a0)
    EXPECT_ILLEGAL(PRV_U, 34, rdtime a0)
    li t0, 2                    /* scounteren.TM only */
    csrw scounteren, t0
    EXPECT_LEGAL(PRV_U, 35, rdtime a0)
    EXPECT_ILLEGAL(PRV_U, 36, rdcycle a0)
    csrw mcounteren, zero       /* mcounteren also gates U */
    EXPECT_ILLEGAL(PRV_U, 37, rdtime a0)
    /* M always can read them */
    rdcycle a0
    rdtime a0
    rdinstret a0

    /* ---- the time CSR follows CLINT mtime */
    li t0, CLINT_MTIME
    ld a1, 0(t0)
    rdtime a0
    bgeu a0, a1, 1f
    TEST_FAIL_CODE(38)
1:
    TEST_PASS

    M_TRAP_RECORD(m_trap)
