/* fp_flags.S - accrued exception flags and the FP CSRs:
 *  - each flag NV, DZ, OF, UF, NX is raised by a representative operation,
 *    flags accumulate (are never cleared by instructions) until software
 *    clears them;
 *  - fflags/frm/fcsr aliasing: fcsr = frm << 5 | fflags, bits above 7 read
 *    as zero and ignore writes, fflags is 5 bits and frm 3 bits wide;
 *  - frflags/fsflags/fsflagsi and csrrs/csrrc on fflags;
 *  - mstatus.FS: FP state changes make FS Dirty (and SD set), and with FS =
 *    Off every FP instruction and FP CSR access is illegal.
 */
#include "isa.h"

#define MSTATUS_FS 0x6000

ISA_BEGIN
    FLI_S(f1, 0x3f800000)               /* 1.0f */
    FLI_S(f2, 0x40400000)               /* 3.0f */
    FLI_S(f3, 0x00000000)               /* +0 */
    FLI_S(f4, 0x7f7fffff)               /* FLT_MAX */
    FLI_S(f5, 0x00800000)               /* FLT_MIN */
    FLI_S(f6, 0xbf800000)               /* -1.0f */
    FLI_S(f7, 0x7f800001)               /* sNaN */

    /* one flag at a time */
    fsflags x0
    fdiv.s f0, f1, f2                   /* 1/3: NX */
    frflags a0
    ICHECK(a0, NX, 1)
    fsflags x0
    fdiv.s f0, f1, f3                   /* 1/0: DZ */
    frflags a0
    ICHECK(a0, DZ, 2)
    fsflags x0
    fmul.s f0, f4, f4                   /* MAX*MAX: OF + NX */
    frflags a0
    ICHECK(a0, OF | NX, 3)
    fsflags x0
    fmul.s f0, f5, f5                   /* MIN*MIN: UF + NX */
    frflags a0
    ICHECK(a0, UF | NX, 4)
    fsflags x0
    fsqrt.s f0, f6                      /* sqrt(-1): NV */
    frflags a0
    ICHECK(a0, NV, 5)
    fsflags x0
    feq.s a1, f7, f1                    /* quiet compare, signalling NaN: NV */
    frflags a0
    ICHECK(a0, NV, 6)
    fsflags x0
    fadd.s f0, f1, f2                   /* exact: no flags */
    frflags a0
    ICHECK(a0, 0, 7)

    /* accrual: flags OR together and survive later flag-free operations */
    fsflags x0
    fdiv.s f0, f1, f2                   /* NX */
    fadd.s f0, f1, f1                   /* exact */
    frflags a0
    ICHECK(a0, NX, 8)
    fdiv.s f0, f1, f3                   /* DZ */
    frflags a0
    ICHECK(a0, NX | DZ, 9)
    fsqrt.s f0, f6                      /* NV */
    fmul.s f0, f4, f4                   /* OF | NX */
    fmul.s f0, f5, f5                   /* UF | NX */
    frflags a0
    ICHECK(a0, NV | DZ | OF | UF | NX, 10)
    fmv.s f0, f1
    fsgnj.s f0, f7, f7                  /* no flags even with sNaN */
    flw f0, 0(sp)
    frflags a0
    ICHECK(a0, 0x1f, 11)

    /* fsflags returns the old value, fsflagsi takes a 5-bit immediate */
    fsflagsi a0, 0x0a
    ICHECK(a0, 0x1f, 12)
    frflags a0
    ICHECK(a0, 0x0a, 13)
    li a1, 0x15
    fsflags a0, a1
    ICHECK(a0, 0x0a, 14)
    frflags a0
    ICHECK(a0, 0x15, 15)
    csrrs a0, fflags, x0
    ICHECK(a0, 0x15, 16)
    li a1, 0x02
    csrrs a0, fflags, a1
    ICHECK(a0, 0x15, 17)
    csrrci a0, fflags, 0x11
    ICHECK(a0, 0x17, 18)
    frflags a0
    ICHECK(a0, 0x06, 19)
    /* fflags is 5 bits: higher bits are ignored and read as zero */
    li a1, 0xff
    fsflags a1
    frflags a0
    ICHECK(a0, 0x1f, 20)

    /* fcsr = frm << 5 | fflags */
    fsrmi 0
    fsflags x0
    csrr a0, fcsr
    ICHECK(a0, 0, 21)
    fsflagsi 0x09
    fsrmi 3
    csrr a0, fcsr
    ICHECK(a0, (3 << 5) | 0x09, 22)
    li a1, (2 << 5) | 0x12
    csrrw a0, fcsr, a1
    ICHECK(a0, (3 << 5) | 0x09, 23)
    frrm a0
    ICHECK(a0, 2, 24)
    frflags a0
    ICHECK(a0, 0x12, 25)
    /* writing fflags leaves frm alone and vice versa */
    fsflagsi 0x04
    frrm a0
    ICHECK(a0, 2, 26)
    fsrmi 1
    frflags a0
    ICHECK(a0, 0x04, 27)
    /* bits 31:8 of fcsr are reserved: writes ignored, read as zero */
    li a1, -1
    fscsr a1
    frcsr a0
    ICHECK(a0, 0xff, 28)
    frrm a0
    ICHECK(a0, 7, 29)
    /* frm is 3 bits */
    li a1, 0xf9
    fsrm a1
    frrm a0
    ICHECK(a0, 1, 30)
    fscsr x0
    frcsr a0
    ICHECK(a0, 0, 31)
    /* flags raised by an instruction are added to the ones already set */
    fsflagsi NV
    fdiv.s f0, f1, f2
    frcsr a0
    ICHECK(a0, NV | NX, 32)
    fscsr x0

    /* mstatus.FS: Clean -> Dirty on an FP state change; SD mirrors it */
    li a1, MSTATUS_FS
    csrc mstatus, a1
    li a1, 0x4000                       /* FS = Clean (10) */
    csrs mstatus, a1
    csrr a0, mstatus
    and a0, a0, a1
    ICHECK(a0, 0x4000, 33)
    fadd.s f0, f1, f2
    csrr a0, mstatus
    srli a2, a0, 13
    andi a2, a2, 3
    ICHECK(a2, 3, 34)                   /* Dirty */
    srli a2, a0, 63
    ICHECK(a2, 1, 35)                   /* SD */
    /* writing only fflags also dirties the state */
    li a1, MSTATUS_FS
    csrc mstatus, a1
    li a1, 0x4000
    csrs mstatus, a1
    fsflagsi 1
    csrr a0, mstatus
    srli a2, a0, 13
    andi a2, a2, 3
    ICHECK(a2, 3, 36)

    /* FS = Off: FP instructions and FP CSRs are illegal, state is kept */
    fsflags x0
    FLI_D(f9, 0x4010000000000000)
    li a1, MSTATUS_FS
    csrc mstatus, a1
    EXPECT_TRAP
    fadd.d f9, f9, f9
    CHECK_TRAPPED(2, 37)
    EXPECT_TRAP
    fmv.x.d a0, f9
    CHECK_TRAPPED(2, 38)
    EXPECT_TRAP
    frflags a0
    CHECK_TRAPPED(2, 39)
    EXPECT_TRAP
    csrwi frm, 1
    CHECK_TRAPPED(2, 40)
    EXPECT_TRAP
    fld f9, 0(sp)
    CHECK_TRAPPED(2, 41)
    EXPECT_TRAP
    fsw f9, 0(sp)
    CHECK_TRAPPED(2, 42)
    EXPECT_TRAP
    fmv.w.x f9, a0
    CHECK_TRAPPED(2, 43)
    csrr a0, mstatus
    srli a2, a0, 13
    andi a2, a2, 3
    ICHECK(a2, 0, 44)                   /* still Off */
    li a1, 0x2000                       /* Initial */
    csrs mstatus, a1
    fmv.x.d a0, f9
    ICHECK(a0, 0x4010000000000000, 45)  /* register contents survived */
    frcsr a0
    ICHECK(a0, 0, 46)
ISA_PASS
