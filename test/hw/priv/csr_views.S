/* csr_views.S - identification CSRs (misa, mhartid, mvendorid, marchid,
 * mimpid), sstatus as a restricted view of mstatus (incl. SD, UXL/SXL),
 * sie/sip as views of mie/mip masked by mideleg, the writable bits of mip,
 * mideleg's writable bits, mtvec / stvec modes. All in M-mode. */
#include "bare.h"
#include "priv.h"

#define MISA_EXT(c) (1 << ((c) - 65))
#define RV64GC_EXTS (MISA_EXT(73) | MISA_EXT(77) | MISA_EXT(65) | MISA_EXT(70) | MISA_EXT(68) | MISA_EXT(67) | MISA_EXT(83) | MISA_EXT(85))
/*                         I             M             A             F             D             C             S             U  */

#define S_BITS (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)
#define M_ONLY (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)

TEST_BEGIN
    SET_MTVEC(m_trap)
    EXPECT_TRAP(unexpected)
    csrw mie, zero
    li t0, CLINT_MTIMECMP       /* no timer interrupt pending */
    li t1, -1
    sd t1, 0(t0)

    /* ---- misa: MXL = 2 (64-bit), IMAFDC + S + U present */
    csrr a0, misa
    srli a1, a0, 62
    CHECK(a1, 2, 1)
    CHECK_MASK(a0, RV64GC_EXTS, RV64GC_EXTS, 2)
    /* ---- mhartid = 0 on a one-hart machine; the ID CSRs read */
    CHECK_CSR(mhartid, 0, 3)
    csrr a0, mvendorid
    csrr a0, marchid
    csrr a0, mimpid

    /* ---- mstatus.UXL / SXL = 2 (64-bit), visible UXL in sstatus */
    csrr a0, mstatus
    srli a1, a0, 32
    CHECK_MASK(a1, 0xf, 0xa, 4)
    csrr a0, sstatus
    srli a1, a0, 32
    CHECK_MASK(a1, 0xf, 0x2, 5)

    /* ---- sstatus is a view: bits set through one appear in the other */
    li t0, MSTATUS_SIE | MSTATUS_SUM
    csrs mstatus, t0
    csrr a0, sstatus
    CHECK_MASK(a0, MSTATUS_SIE | MSTATUS_SUM, MSTATUS_SIE | MSTATUS_SUM, 6)
    li t0, MSTATUS_SIE
    csrc sstatus, t0
    csrr a0, mstatus
    CHECK_MASK(a0, MSTATUS_SIE | MSTATUS_SUM, MSTATUS_SUM, 7)
    /* M-only fields are invisible in sstatus and not writable through it */
    li t0, M_ONLY
    csrc mstatus, t0
    li t0, MSTATUS_MIE | MSTATUS_MPP_S | MSTATUS_TSR
    csrs mstatus, t0
    csrr a0, sstatus
    CHECK_MASK(a0, M_ONLY, 0, 8)
    li t0, -1
    csrs sstatus, t0
    csrr a0, mstatus
    CHECK_MASK(a0, M_ONLY, MSTATUS_MIE | MSTATUS_MPP_S | MSTATUS_TSR, 9)
    CHECK_MASK(a0, S_BITS, S_BITS, 10)
    csrc sstatus, t0
    csrr a0, mstatus
    CHECK_MASK(a0, M_ONLY | S_BITS, MSTATUS_MIE | MSTATUS_MPP_S | MSTATUS_TSR, 11)
    li t0, M_ONLY
    csrc mstatus, t0

    /* ---- SD summarises FS = Dirty, in both views */
    li t0, (3 << 13)
    csrs mstatus, t0
    csrr a0, mstatus
    srli a0, a0, 63
    CHECK(a0, 1, 12)
    csrr a0, sstatus
    srli a0, a0, 63
    CHECK(a0, 1, 13)
    li t0, (3 << 13)
    csrc mstatus, t0
    li t0, (1 << 13)            /* back to FS = Initial */
    csrs mstatus, t0
    csrr a0, sstatus
    srli a0, a0, 63
    CHECK(a0, 0, 14)

    /* ---- mideleg: only the S-level interrupts are delegable */
    li t0, -1
    csrw mideleg, t0
    csrr a0, mideleg
    CHECK_MASK(a0, 0xaaa, 0x222, 15)
    csrw mideleg, zero

    /* ---- sie is mie masked by mideleg */
    li t0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP
    csrw mie, t0
    CHECK_CSR(mie, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP, 16)
    CHECK_CSR(sie, 0, 17)
    li t0, MIP_SSIP | MIP_STIP
    csrw mideleg, t0
    CHECK_CSR(sie, MIP_SSIP | MIP_STIP, 18)
    csrw sie, zero              /* clears only the delegated bits */
    CHECK_CSR(mie, MIP_SEIP | MIP_MTIP, 19)
    li t0, -1
    csrw sie, t0                /* sets only the delegated bits */
    CHECK_CSR(mie, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP, 20)
    csrw mie, zero

    /* ---- mip: SSIP, STIP, SEIP are writable by M (Sstc off); MSIP, MTIP,
       MEIP are read-only (they come from the CLINT / PLIC) */
    csrw mideleg, zero
    li t0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP | MIP_MEIP
    csrs mip, t0
    csrr a0, mip
    CHECK_MASK(a0, 0xaaa, MIP_SSIP | MIP_STIP | MIP_SEIP, 21)
    /* sip shows nothing while nothing is delegated */
    CHECK_CSR(sip, 0, 22)
    li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrw mideleg, t0
    CHECK_CSR(sip, MIP_SSIP | MIP_STIP | MIP_SEIP, 23)
    /* through sip only SSIP is writable */
    csrw sip, zero
    CHECK_CSR(sip, MIP_STIP | MIP_SEIP, 24)
    csrr a0, mip
    CHECK_MASK(a0, 0xaaa, MIP_STIP | MIP_SEIP, 25)
    li t0, MIP_SSIP
    csrs sip, t0
    CHECK_CSR(sip, MIP_SSIP | MIP_STIP | MIP_SEIP, 26)
    /* undelegated SSIP cannot be touched through sip */
    li t0, MIP_STIP | MIP_SEIP
    csrw mideleg, t0
    csrc sip, t0
    li t0, MIP_SSIP
    csrc sip, t0
    csrr a0, mip
    CHECK_MASK(a0, MIP_SSIP, MIP_SSIP, 27)
    li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrc mip, t0
    csrr a0, mip
    CHECK_MASK(a0, 0xaaa, 0, 28)
    csrw mideleg, zero

    /* ---- mtvec: direct (0) and vectored (1) modes are kept */
    la t0, m_trap
    ori t1, t0, 1
    csrw mtvec, t1
    csrr a0, mtvec
    CHECK_REG(a0, t1, 29)
    csrw mtvec, t0
    csrr a0, mtvec
    CHECK_REG(a0, t0, 30)
    csrw stvec, t1
    csrr a0, stvec
    CHECK_REG(a0, t1, 31)

    /* ---- medeleg / mideleg / mie / mip are all readable and writable in
       M; satp holds a Bare value */
    csrw satp, zero
    CHECK_CSR(satp, 0, 32)

    TEST_PASS

    UNEXPECTED_TRAP(unexpected)

    M_TRAP_RECORD(m_trap)
