/* rvf.S - F extension data movement and non-arithmetic instructions:
 * flw/fsw (NaN-boxing on load, raw low 32 bits on store, offsets, misaligned),
 * fmv.x.w/fmv.w.x (sign extension, payload preserved), NaN-boxing (an
 * improperly boxed single reads as the canonical NaN in computational
 * instructions, but transfers move the raw bits), fsgnj/fsgnjn/fsgnjx,
 * fmin/fmax, feq/flt/fle with their NV rules, and fclass of all 10 classes.
 * Arithmetic and rounding are in fp_*_s.S, conversions in fp_cvt_s.S.
 */
#include "isa.h"

ISA_BEGIN
    /* flw NaN-boxes the loaded value; no flags even for a signalling NaN */
    la s0, fdata
    fsflags x0
    flw f1, 0(s0)
    FCHECK_S(f1, 0x3f800000, 0, 1)
    flw f1, 4(s0)
    FCHECK_S(f1, 0x7f800001, 0, 2)      /* sNaN loaded unchanged */
    flw f1, 8(s0)
    FCHECK_S(f1, 0xffc12345, 0, 3)      /* negative qNaN with payload */
    flw f1, 12(s0)
    FCHECK_S(f1, 0x80000000, 0, 4)
    addi s1, s0, 16
    flw f1, -4(s1)                      /* negative offset */
    FCHECK_S(f1, 0x80000000, 0, 5)
    flw f1, 1(s0)                       /* misaligned: bytes 1..4 */
    FCHECK_S(f1, 0x013f8000, 0, 6)
    /* fsw stores exactly 32 bits, leaving the neighbours untouched */
    la s1, fscratch
    li a1, -1
    sd a1, 0(s1)
    sd a1, 8(s1)
    FLI_S(f2, 0x12345678)
    fsw f2, 4(s1)
    ld a0, 0(s1)
    ICHECK(a0, 0x12345678ffffffff, 7)
    ld a0, 8(s1)
    ICHECK(a0, -1, 8)
    fsw f2, 7(s1)                       /* misaligned store */
    ld a0, 0(s1)
    ICHECK(a0, 0x78345678ffffffff, 9)
    ld a0, 8(s1)
    ICHECK(a0, 0xffffffffff123456, 10)
    /* a load/store round trip of a signalling NaN keeps it bit-exact */
    flw f3, 4(s0)
    fsw f3, 0(s1)
    lwu a0, 0(s1)
    ICHECK(a0, 0x7f800001, 11)
    frflags a0
    ICHECK(a0, 0, 12)

    /* fmv.w.x takes the low 32 bits of x and NaN-boxes them */
    li a1, 0x123456783f800000
    fmv.w.x f1, a1
    FCHECK_S(f1, 0x3f800000, 0, 13)
    li a1, 0x7f800001                   /* sNaN, no flags */
    fmv.w.x f1, a1
    FCHECK_S(f1, 0x7f800001, 0, 14)
    /* fmv.x.w sign-extends bit 31 of the single */
    FLI_S(f1, 0x80000000)
    fmv.x.w a0, f1
    ICHECK(a0, 0xffffffff80000000, 15)
    FLI_S(f1, 0x7fc00000)
    fmv.x.w a0, f1
    ICHECK(a0, 0x7fc00000, 16)
    FLI_S(f1, 0xff800001)
    fmv.x.w a0, f1
    ICHECK(a0, 0xffffffffff800001, 17)
    frflags a0
    ICHECK(a0, 0, 18)

    /* NaN-boxing: a value whose upper 32 bits are not all ones is not a
       valid single; computational instructions see the canonical NaN */
    li a1, 0x000000003f800000           /* 1.0f, not boxed */
    fmv.d.x f4, a1
    li a1, 0xfffffffe40000000           /* 2.0f, one upper bit clear */
    fmv.d.x f5, a1
    li a1, 0x3ff0000000000000           /* double 1.0 */
    fmv.d.x f6, a1
    FLI_S(f7, 0x3f800000)               /* properly boxed 1.0f */
    fsflags x0
    fadd.s f0, f4, f7
    FCHECK_S(f0, 0x7fc00000, 0, 19)     /* quiet canonical NaN: no NV */
    fmul.s f0, f7, f5
    FCHECK_S(f0, 0x7fc00000, 0, 20)
    fadd.s f0, f6, f6
    FCHECK_S(f0, 0x7fc00000, 0, 21)
    fsgnj.s f0, f4, f4                  /* canonical NaN, sign bit 0 */
    FCHECK_S(f0, 0x7fc00000, 0, 22)
    fsgnjn.s f0, f7, f4                 /* sign = not(sign of canonical NaN) */
    FCHECK_S(f0, 0xbf800000, 0, 23)
    fsgnjx.s f0, f4, f7
    FCHECK_S(f0, 0x7fc00000, 0, 24)
    fmin.s f0, f4, f7                   /* quiet NaN operand is ignored */
    FCHECK_S(f0, 0x3f800000, 0, 25)
    fmax.s f0, f5, f4
    FCHECK_S(f0, 0x7fc00000, 0, 26)
    fclass.s a0, f4
    ICHECK(a0, 0x200, 27)               /* quiet NaN */
    fclass.s a0, f6
    ICHECK(a0, 0x200, 28)
    fsflags x0
    feq.s a0, f4, f4
    XCHECK(a0, 0, 0, 29)
    fle.s a0, f7, f5
    XCHECK(a0, 0, NV, 30)
    fsflags x0
    fcvt.d.s f0, f4
    FCHECK_D(f0, 0x7ff8000000000000, 0, 31)
    fcvt.w.s a0, f5, rtz
    XCHECK(a0, 0x7fffffff, NV, 32)
    fsflags x0
    fsqrt.s f0, f4
    FCHECK_S(f0, 0x7fc00000, 0, 33)
    fmadd.s f0, f7, f7, f4
    FCHECK_S(f0, 0x7fc00000, 0, 34)
    fmadd.s f0, f4, f7, f7
    FCHECK_S(f0, 0x7fc00000, 0, 35)
    /* ... but transfers move the raw low 32 bits */
    fmv.x.w a0, f4
    ICHECK(a0, 0x3f800000, 36)
    fmv.x.w a0, f6
    ICHECK(a0, 0, 37)
    fsw f5, 0(s1)
    lwu a0, 0(s1)
    ICHECK(a0, 0x40000000, 38)
    /* the result of every single-precision operation is NaN-boxed,
       even if the destination held a double before */
    fmv.d.x f0, x0
    FLI_S(f1, 0x40400000)
    fsgnj.s f0, f1, f1
    FCHECK_S(f0, 0x40400000, 0, 39)
    fmv.d.x f0, x0
    fsflags x0
    fmin.s f0, f1, f1
    FCHECK_S(f0, 0x40400000, 0, 40)
    fmv.d.x f0, x0
    li a1, 7
    fcvt.s.w f0, a1
    FCHECK_S(f0, 0x40e00000, 0, 41)
    /* pseudo-instructions fmv.s / fneg.s / fabs.s are fsgnj* with rs1 = rs2 */
    FLI_S(f1, 0xc0490fdb)
    fmv.s f0, f1
    FCHECK_S(f0, 0xc0490fdb, 0, 42)
    fneg.s f0, f1
    FCHECK_S(f0, 0x40490fdb, 0, 43)
    fabs.s f0, f1
    FCHECK_S(f0, 0x40490fdb, 0, 44)
    fabs.s f1, f1                       /* rd = rs1 */
    FCHECK_S(f1, 0x40490fdb, 0, 45)

    /* fsgnj / fsgnjn / fsgnjx: sign bit only, no canonicalisation, no flags even for sNaN */
    T_S2N(101, fsgnj.s, 0x3f800000, 0xbf800000, 0xbf800000, 0)  /* ONE, NONE */
    T_S2N(102, fsgnj.s, 0xbf800000, 0x3f800000, 0x3f800000, 0)  /* NONE, ONE */
    T_S2N(103, fsgnj.s, 0xbf800000, 0xc0000000, 0xbf800000, 0)  /* NONE, NTWO */
    T_S2N(104, fsgnj.s, 0x3f800000, 0x40000000, 0x3f800000, 0)  /* ONE, TWO */
    T_S2N(105, fsgnj.s, 0x7f800000, 0x80000000, 0xff800000, 0)  /* INF, NZERO */
    T_S2N(106, fsgnj.s, 0x7f80002a, 0xbf800000, 0xff80002a, 0)  /* SNANP, NONE */
    T_S2N(107, fsgnj.s, 0x7fc12345, 0xffc00000, 0xffc12345, 0)  /* QNANP, NQNAN */
    T_S2N(108, fsgnj.s, 0x80000001, 0x00000000, 0x00000001, 0)  /* NMINSUB, ZERO */
    T_S2N(109, fsgnjn.s, 0x3f800000, 0xbf800000, 0x3f800000, 0)  /* ONE, NONE */
    T_S2N(110, fsgnjn.s, 0xbf800000, 0x3f800000, 0xbf800000, 0)  /* NONE, ONE */
    T_S2N(111, fsgnjn.s, 0xbf800000, 0xc0000000, 0x3f800000, 0)  /* NONE, NTWO */
    T_S2N(112, fsgnjn.s, 0x3f800000, 0x40000000, 0xbf800000, 0)  /* ONE, TWO */
    T_S2N(113, fsgnjn.s, 0x7f800000, 0x80000000, 0x7f800000, 0)  /* INF, NZERO */
    T_S2N(114, fsgnjn.s, 0x7f80002a, 0xbf800000, 0x7f80002a, 0)  /* SNANP, NONE */
    T_S2N(115, fsgnjn.s, 0x7fc12345, 0xffc00000, 0x7fc12345, 0)  /* QNANP, NQNAN */
    T_S2N(116, fsgnjn.s, 0x80000001, 0x00000000, 0x80000001, 0)  /* NMINSUB, ZERO */
    T_S2N(117, fsgnjx.s, 0x3f800000, 0xbf800000, 0xbf800000, 0)  /* ONE, NONE */
    T_S2N(118, fsgnjx.s, 0xbf800000, 0x3f800000, 0xbf800000, 0)  /* NONE, ONE */
    T_S2N(119, fsgnjx.s, 0xbf800000, 0xc0000000, 0x3f800000, 0)  /* NONE, NTWO */
    T_S2N(120, fsgnjx.s, 0x3f800000, 0x40000000, 0x3f800000, 0)  /* ONE, TWO */
    T_S2N(121, fsgnjx.s, 0x7f800000, 0x80000000, 0xff800000, 0)  /* INF, NZERO */
    T_S2N(122, fsgnjx.s, 0x7f80002a, 0xbf800000, 0xff80002a, 0)  /* SNANP, NONE */
    T_S2N(123, fsgnjx.s, 0x7fc12345, 0xffc00000, 0xffc12345, 0)  /* QNANP, NQNAN */
    T_S2N(124, fsgnjx.s, 0x80000001, 0x00000000, 0x80000001, 0)  /* NMINSUB, ZERO */

    /* fmin / fmax: -0 < +0, one NaN operand returns the other, two NaNs give the canonical NaN, sNaN sets NV */
    T_S2N(125, fmin.s, 0x3f800000, 0x40000000, 0x3f800000, 0)  /* ONE, TWO */
    T_S2N(126, fmin.s, 0x40000000, 0x3f800000, 0x3f800000, 0)  /* TWO, ONE */
    T_S2N(127, fmin.s, 0xbf800000, 0xc0000000, 0xc0000000, 0)  /* NONE, NTWO */
    T_S2N(128, fmin.s, 0x80000000, 0x00000000, 0x80000000, 0)  /* NZERO, ZERO */
    T_S2N(129, fmin.s, 0x00000000, 0x80000000, 0x80000000, 0)  /* ZERO, NZERO */
    T_S2N(130, fmin.s, 0xff800000, 0x7f800000, 0xff800000, 0)  /* NINF, INF */
    T_S2N(131, fmin.s, 0x7f800000, 0x7f7fffff, 0x7f7fffff, 0)  /* INF, MAX */
    T_S2N(132, fmin.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0)  /* QNAN, ONE */
    T_S2N(133, fmin.s, 0x3f800000, 0x7fc12345, 0x3f800000, 0)  /* ONE, QNANP */
    T_S2N(134, fmin.s, 0x7f800001, 0x3f800000, 0x3f800000, NV)  /* SNAN, ONE */
    T_S2N(135, fmin.s, 0xbf800000, 0x7f80002a, 0xbf800000, NV)  /* NONE, SNANP */
    T_S2N(136, fmin.s, 0x7fc00000, 0x7fc00000, 0x7fc00000, 0)  /* QNAN, QNAN */
    T_S2N(137, fmin.s, 0x7f800001, 0x7fc00000, 0x7fc00000, NV)  /* SNAN, QNAN */
    T_S2N(138, fmin.s, 0xffc00000, 0xff800005, 0x7fc00000, NV)  /* NQNAN, NSNAN */
    T_S2N(139, fmin.s, 0x00000001, 0x80000001, 0x80000001, 0)  /* MINSUB, NMINSUB */
    T_S2N(140, fmin.s, 0x00000001, 0x00800000, 0x00000001, 0)  /* MINSUB, MINN */
    T_S2N(141, fmax.s, 0x3f800000, 0x40000000, 0x40000000, 0)  /* ONE, TWO */
    T_S2N(142, fmax.s, 0x40000000, 0x3f800000, 0x40000000, 0)  /* TWO, ONE */
    T_S2N(143, fmax.s, 0xbf800000, 0xc0000000, 0xbf800000, 0)  /* NONE, NTWO */
    T_S2N(144, fmax.s, 0x80000000, 0x00000000, 0x00000000, 0)  /* NZERO, ZERO */
    T_S2N(145, fmax.s, 0x00000000, 0x80000000, 0x00000000, 0)  /* ZERO, NZERO */
    T_S2N(146, fmax.s, 0xff800000, 0x7f800000, 0x7f800000, 0)  /* NINF, INF */
    T_S2N(147, fmax.s, 0x7f800000, 0x7f7fffff, 0x7f800000, 0)  /* INF, MAX */
    T_S2N(148, fmax.s, 0x7fc00000, 0x3f800000, 0x3f800000, 0)  /* QNAN, ONE */
    T_S2N(149, fmax.s, 0x3f800000, 0x7fc12345, 0x3f800000, 0)  /* ONE, QNANP */
    T_S2N(150, fmax.s, 0x7f800001, 0x3f800000, 0x3f800000, NV)  /* SNAN, ONE */
    T_S2N(151, fmax.s, 0xbf800000, 0x7f80002a, 0xbf800000, NV)  /* NONE, SNANP */
    T_S2N(152, fmax.s, 0x7fc00000, 0x7fc00000, 0x7fc00000, 0)  /* QNAN, QNAN */
    T_S2N(153, fmax.s, 0x7f800001, 0x7fc00000, 0x7fc00000, NV)  /* SNAN, QNAN */
    T_S2N(154, fmax.s, 0xffc00000, 0xff800005, 0x7fc00000, NV)  /* NQNAN, NSNAN */
    T_S2N(155, fmax.s, 0x00000001, 0x80000001, 0x00000001, 0)  /* MINSUB, NMINSUB */
    T_S2N(156, fmax.s, 0x00000001, 0x00800000, 0x00800000, 0)  /* MINSUB, MINN */

    /* feq (quiet: NV only for sNaN) / flt, fle (signalling: NV for any NaN) */
    T_S2X(157, feq.s, 0x3f800000, 0x3f800000, 1, 0)  /* ONE, ONE */
    T_S2X(158, feq.s, 0x3f800000, 0x40000000, 0, 0)  /* ONE, TWO */
    T_S2X(159, feq.s, 0x40000000, 0x3f800000, 0, 0)  /* TWO, ONE */
    T_S2X(160, feq.s, 0x00000000, 0x80000000, 1, 0)  /* ZERO, NZERO */
    T_S2X(161, feq.s, 0x80000000, 0x00000000, 1, 0)  /* NZERO, ZERO */
    T_S2X(162, feq.s, 0xbf800000, 0x3f800000, 0, 0)  /* NONE, ONE */
    T_S2X(163, feq.s, 0xff800000, 0x7f800000, 0, 0)  /* NINF, INF */
    T_S2X(164, feq.s, 0x7f800000, 0x7f800000, 1, 0)  /* INF, INF */
    T_S2X(165, feq.s, 0x00000001, 0x00000000, 0, 0)  /* MINSUB, ZERO */
    T_S2X(166, feq.s, 0xff7fffff, 0xff800000, 0, 0)  /* NMAX, NINF */
    T_S2X(167, feq.s, 0x7fc00000, 0x3f800000, 0, 0)  /* QNAN, ONE */
    T_S2X(168, feq.s, 0x3f800000, 0x7fc00000, 0, 0)  /* ONE, QNAN */
    T_S2X(169, feq.s, 0x7f800001, 0x3f800000, 0, NV)  /* SNAN, ONE */
    T_S2X(170, feq.s, 0x7fc00000, 0x7fc00000, 0, 0)  /* QNAN, QNAN */
    T_S2X(171, feq.s, 0xff800005, 0x7f800001, 0, NV)  /* NSNAN, SNAN */
    T_S2X(172, flt.s, 0x3f800000, 0x3f800000, 0, 0)  /* ONE, ONE */
    T_S2X(173, flt.s, 0x3f800000, 0x40000000, 1, 0)  /* ONE, TWO */
    T_S2X(174, flt.s, 0x40000000, 0x3f800000, 0, 0)  /* TWO, ONE */
    T_S2X(175, flt.s, 0x00000000, 0x80000000, 0, 0)  /* ZERO, NZERO */
    T_S2X(176, flt.s, 0x80000000, 0x00000000, 0, 0)  /* NZERO, ZERO */
    T_S2X(177, flt.s, 0xbf800000, 0x3f800000, 1, 0)  /* NONE, ONE */
    T_S2X(178, flt.s, 0xff800000, 0x7f800000, 1, 0)  /* NINF, INF */
    T_S2X(179, flt.s, 0x7f800000, 0x7f800000, 0, 0)  /* INF, INF */
    T_S2X(180, flt.s, 0x00000001, 0x00000000, 0, 0)  /* MINSUB, ZERO */
    T_S2X(181, flt.s, 0xff7fffff, 0xff800000, 0, 0)  /* NMAX, NINF */
    T_S2X(182, flt.s, 0x7fc00000, 0x3f800000, 0, NV)  /* QNAN, ONE */
    T_S2X(183, flt.s, 0x3f800000, 0x7fc00000, 0, NV)  /* ONE, QNAN */
    T_S2X(184, flt.s, 0x7f800001, 0x3f800000, 0, NV)  /* SNAN, ONE */
    T_S2X(185, flt.s, 0x7fc00000, 0x7fc00000, 0, NV)  /* QNAN, QNAN */
    T_S2X(186, flt.s, 0xff800005, 0x7f800001, 0, NV)  /* NSNAN, SNAN */
    T_S2X(187, fle.s, 0x3f800000, 0x3f800000, 1, 0)  /* ONE, ONE */
    T_S2X(188, fle.s, 0x3f800000, 0x40000000, 1, 0)  /* ONE, TWO */
    T_S2X(189, fle.s, 0x40000000, 0x3f800000, 0, 0)  /* TWO, ONE */
    T_S2X(190, fle.s, 0x00000000, 0x80000000, 1, 0)  /* ZERO, NZERO */
    T_S2X(191, fle.s, 0x80000000, 0x00000000, 1, 0)  /* NZERO, ZERO */
    T_S2X(192, fle.s, 0xbf800000, 0x3f800000, 1, 0)  /* NONE, ONE */
    T_S2X(193, fle.s, 0xff800000, 0x7f800000, 1, 0)  /* NINF, INF */
    T_S2X(194, fle.s, 0x7f800000, 0x7f800000, 1, 0)  /* INF, INF */
    T_S2X(195, fle.s, 0x00000001, 0x00000000, 0, 0)  /* MINSUB, ZERO */
    T_S2X(196, fle.s, 0xff7fffff, 0xff800000, 0, 0)  /* NMAX, NINF */
    T_S2X(197, fle.s, 0x7fc00000, 0x3f800000, 0, NV)  /* QNAN, ONE */
    T_S2X(198, fle.s, 0x3f800000, 0x7fc00000, 0, NV)  /* ONE, QNAN */
    T_S2X(199, fle.s, 0x7f800001, 0x3f800000, 0, NV)  /* SNAN, ONE */
    T_S2X(200, fle.s, 0x7fc00000, 0x7fc00000, 0, NV)  /* QNAN, QNAN */
    T_S2X(201, fle.s, 0xff800005, 0x7f800001, 0, NV)  /* NSNAN, SNAN */

    /* fclass: one bit for each of the 10 classes */
    T_S1C(202, fclass.s, 0xff800000, 0x001)  /* NINF */
    T_S1C(203, fclass.s, 0xbf800000, 0x002)  /* NONE */
    T_S1C(204, fclass.s, 0xff7fffff, 0x002)  /* NMAX */
    T_S1C(205, fclass.s, 0x80800000, 0x002)  /* NMINN */
    T_S1C(206, fclass.s, 0x80000001, 0x004)  /* NMINSUB */
    T_S1C(207, fclass.s, 0x80000000, 0x008)  /* NZERO */
    T_S1C(208, fclass.s, 0x00000000, 0x010)  /* ZERO */
    T_S1C(209, fclass.s, 0x00000001, 0x020)  /* MINSUB */
    T_S1C(210, fclass.s, 0x007fffff, 0x020)  /* MAXSUB */
    T_S1C(211, fclass.s, 0x00800000, 0x040)  /* MINN */
    T_S1C(212, fclass.s, 0x3f800000, 0x040)  /* ONE */
    T_S1C(213, fclass.s, 0x7f7fffff, 0x040)  /* MAX */
    T_S1C(214, fclass.s, 0x7f800000, 0x080)  /* INF */
    T_S1C(215, fclass.s, 0x7f800001, 0x100)  /* SNAN */
    T_S1C(216, fclass.s, 0x7f80002a, 0x100)  /* SNANP */
    T_S1C(217, fclass.s, 0xff800005, 0x100)  /* NSNAN */
    T_S1C(218, fclass.s, 0x7fc00000, 0x200)  /* QNAN */
    T_S1C(219, fclass.s, 0x7fc12345, 0x200)  /* QNANP */
    T_S1C(220, fclass.s, 0xffc00000, 0x200)  /* NQNAN */

ISA_PASS

    .section .data
    .align 4
fdata:
    .word 0x3f800000, 0x7f800001, 0xffc12345, 0x80000000
    .align 4
fscratch:
    .skip 16
