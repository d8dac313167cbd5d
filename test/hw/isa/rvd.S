/* rvd.S - D extension data movement and non-arithmetic instructions:
 * fld/fsd (offsets, misaligned, sNaN unchanged), fmv.x.d/fmv.d.x (all 64 bits),
 * doubles versus NaN-boxed singles in the same registers, fsgnj/fsgnjn/fsgnjx,
 * fmin/fmax, feq/flt/fle with their NV rules, and fclass of all 10 classes.
 * Arithmetic and rounding are in fp_*_d.S, conversions in fp_cvt_d.S.
 */
#include "isa.h"

ISA_BEGIN
    la s0, ddata
    fsflags x0
    fld f1, 0(s0)
    FCHECK_D(f1, 0x3ff0000000000000, 0, 1)
    fld f1, 8(s0)
    FCHECK_D(f1, 0x7ff0000000000001, 0, 2)  /* sNaN loaded unchanged, no NV */
    fld f1, 16(s0)
    FCHECK_D(f1, 0xfff8000000012345, 0, 3)
    addi s1, s0, 32
    fld f1, -8(s1)
    FCHECK_D(f1, 0x8000000000000000, 0, 4)
    fld f1, 4(s0)                           /* misaligned */
    FCHECK_D(f1, 0x000000013ff00000, 0, 5)
    /* fsd stores 64 bits */
    la s1, dscratch
    li a1, -1
    sd a1, 0(s1)
    sd a1, 8(s1)
    sd a1, 16(s1)
    FLI_D(f2, 0x0123456789abcdef)
    fsd f2, 8(s1)
    ld a0, 0(s1)
    ICHECK(a0, -1, 6)
    ld a0, 8(s1)
    ICHECK(a0, 0x0123456789abcdef, 7)
    ld a0, 16(s1)
    ICHECK(a0, -1, 8)
    fsd f2, 3(s1)                           /* misaligned */
    ld a0, 0(s1)
    ICHECK(a0, 0x6789abcdefffffff, 9)
    ld a0, 8(s1)
    ICHECK(a0, 0x0123456789012345, 10)
    /* sNaN round trip */
    fld f3, 8(s0)
    fsd f3, 0(s1)
    ld a0, 0(s1)
    ICHECK(a0, 0x7ff0000000000001, 11)
    frflags a0
    ICHECK(a0, 0, 12)

    /* fmv.d.x / fmv.x.d move all 64 bits unchanged */
    li a1, 0xfff0000000000005
    fmv.d.x f1, a1
    fmv.x.d a0, f1
    ICHECK(a0, 0xfff0000000000005, 13)
    li a1, 0x8000000000000001
    fmv.d.x f1, a1
    fmv.x.d a2, f1
    ICHECK(a2, 0x8000000000000001, 14)
    frflags a0
    ICHECK(a0, 0, 15)

    /* singles and doubles share the registers: a NaN-boxed single is a
       quiet NaN to double-precision instructions */
    li a1, 0x3f800000
    fmv.w.x f4, a1                          /* 1.0f, boxed */
    fmv.x.d a0, f4
    ICHECK(a0, 0xffffffff3f800000, 16)
    FLI_D(f5, 0x3ff0000000000000)
    fsflags x0
    fadd.d f0, f4, f5
    FCHECK_D(f0, 0x7ff8000000000000, 0, 17)
    fclass.d a0, f4
    ICHECK(a0, 0x200, 18)
    fmax.d f0, f4, f5
    FCHECK_D(f0, 0x3ff0000000000000, 0, 19)
    feq.d a0, f4, f4
    XCHECK(a0, 0, 0, 20)
    fsgnj.d f0, f4, f5                      /* fsgnj.d keeps the NaN bits */
    FCHECK_D(f0, 0x7fffffff3f800000, 0, 21)
    /* flw into a register, read back with fld semantics */
    la s0, ddata
    flw f6, 0(s0)                           /* low word of 1.0 (double) = 0 */
    fmv.x.d a0, f6
    ICHECK(a0, 0xffffffff00000000, 22)
    /* fsw of a double register stores the low 32 bits */
    FLI_D(f7, 0x400921fb54442d18)
    la s1, dscratch
    fsw f7, 0(s1)
    lwu a0, 0(s1)
    ICHECK(a0, 0x54442d18, 23)
    /* pseudo-instructions */
    FLI_D(f1, 0xc00921fb54442d18)
    fmv.d f0, f1
    FCHECK_D(f0, 0xc00921fb54442d18, 0, 24)
    fneg.d f0, f1
    FCHECK_D(f0, 0x400921fb54442d18, 0, 25)
    fabs.d f0, f1
    FCHECK_D(f0, 0x400921fb54442d18, 0, 26)
    fneg.d f1, f1
    FCHECK_D(f1, 0x400921fb54442d18, 0, 27)

    /* fsgnj / fsgnjn / fsgnjx: sign bit only, no canonicalisation, no flags even for sNaN */
    T_D2N(101, fsgnj.d, 0x3ff0000000000000, 0xbff0000000000000, 0xbff0000000000000, 0)  /* ONE, NONE */
    T_D2N(102, fsgnj.d, 0xbff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0)  /* NONE, ONE */
    T_D2N(103, fsgnj.d, 0xbff0000000000000, 0xc000000000000000, 0xbff0000000000000, 0)  /* NONE, NTWO */
    T_D2N(104, fsgnj.d, 0x3ff0000000000000, 0x4000000000000000, 0x3ff0000000000000, 0)  /* ONE, TWO */
    T_D2N(105, fsgnj.d, 0x7ff0000000000000, 0x8000000000000000, 0xfff0000000000000, 0)  /* INF, NZERO */
    T_D2N(106, fsgnj.d, 0x7ff000000000002a, 0xbff0000000000000, 0xfff000000000002a, 0)  /* SNANP, NONE */
    T_D2N(107, fsgnj.d, 0x7ff8000000012345, 0xfff8000000000000, 0xfff8000000012345, 0)  /* QNANP, NQNAN */
    T_D2N(108, fsgnj.d, 0x8000000000000001, 0x0000000000000000, 0x0000000000000001, 0)  /* NMINSUB, ZERO */
    T_D2N(109, fsgnjn.d, 0x3ff0000000000000, 0xbff0000000000000, 0x3ff0000000000000, 0)  /* ONE, NONE */
    T_D2N(110, fsgnjn.d, 0xbff0000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0)  /* NONE, ONE */
    T_D2N(111, fsgnjn.d, 0xbff0000000000000, 0xc000000000000000, 0x3ff0000000000000, 0)  /* NONE, NTWO */
    T_D2N(112, fsgnjn.d, 0x3ff0000000000000, 0x4000000000000000, 0xbff0000000000000, 0)  /* ONE, TWO */
    T_D2N(113, fsgnjn.d, 0x7ff0000000000000, 0x8000000000000000, 0x7ff0000000000000, 0)  /* INF, NZERO */
    T_D2N(114, fsgnjn.d, 0x7ff000000000002a, 0xbff0000000000000, 0x7ff000000000002a, 0)  /* SNANP, NONE */
    T_D2N(115, fsgnjn.d, 0x7ff8000000012345, 0xfff8000000000000, 0x7ff8000000012345, 0)  /* QNANP, NQNAN */
    T_D2N(116, fsgnjn.d, 0x8000000000000001, 0x0000000000000000, 0x8000000000000001, 0)  /* NMINSUB, ZERO */
    T_D2N(117, fsgnjx.d, 0x3ff0000000000000, 0xbff0000000000000, 0xbff0000000000000, 0)  /* ONE, NONE */
    T_D2N(118, fsgnjx.d, 0xbff0000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0)  /* NONE, ONE */
    T_D2N(119, fsgnjx.d, 0xbff0000000000000, 0xc000000000000000, 0x3ff0000000000000, 0)  /* NONE, NTWO */
    T_D2N(120, fsgnjx.d, 0x3ff0000000000000, 0x4000000000000000, 0x3ff0000000000000, 0)  /* ONE, TWO */
    T_D2N(121, fsgnjx.d, 0x7ff0000000000000, 0x8000000000000000, 0xfff0000000000000, 0)  /* INF, NZERO */
    T_D2N(122, fsgnjx.d, 0x7ff000000000002a, 0xbff0000000000000, 0xfff000000000002a, 0)  /* SNANP, NONE */
    T_D2N(123, fsgnjx.d, 0x7ff8000000012345, 0xfff8000000000000, 0xfff8000000012345, 0)  /* QNANP, NQNAN */
    T_D2N(124, fsgnjx.d, 0x8000000000000001, 0x0000000000000000, 0x8000000000000001, 0)  /* NMINSUB, ZERO */

    /* fmin / fmax: -0 < +0, one NaN operand returns the other, two NaNs give the canonical NaN, sNaN sets NV */
    T_D2N(125, fmin.d, 0x3ff0000000000000, 0x4000000000000000, 0x3ff0000000000000, 0)  /* ONE, TWO */
    T_D2N(126, fmin.d, 0x4000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0)  /* TWO, ONE */
    T_D2N(127, fmin.d, 0xbff0000000000000, 0xc000000000000000, 0xc000000000000000, 0)  /* NONE, NTWO */
    T_D2N(128, fmin.d, 0x8000000000000000, 0x0000000000000000, 0x8000000000000000, 0)  /* NZERO, ZERO */
    T_D2N(129, fmin.d, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000, 0)  /* ZERO, NZERO */
    T_D2N(130, fmin.d, 0xfff0000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0)  /* NINF, INF */
    T_D2N(131, fmin.d, 0x7ff0000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff, 0)  /* INF, MAX */
    T_D2N(132, fmin.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0)  /* QNAN, ONE */
    T_D2N(133, fmin.d, 0x3ff0000000000000, 0x7ff8000000012345, 0x3ff0000000000000, 0)  /* ONE, QNANP */
    T_D2N(134, fmin.d, 0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NV)  /* SNAN, ONE */
    T_D2N(135, fmin.d, 0xbff0000000000000, 0x7ff000000000002a, 0xbff0000000000000, NV)  /* NONE, SNANP */
    T_D2N(136, fmin.d, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0)  /* QNAN, QNAN */
    T_D2N(137, fmin.d, 0x7ff0000000000001, 0x7ff8000000000000, 0x7ff8000000000000, NV)  /* SNAN, QNAN */
    T_D2N(138, fmin.d, 0xfff8000000000000, 0xfff0000000000005, 0x7ff8000000000000, NV)  /* NQNAN, NSNAN */
    T_D2N(139, fmin.d, 0x0000000000000001, 0x8000000000000001, 0x8000000000000001, 0)  /* MINSUB, NMINSUB */
    T_D2N(140, fmin.d, 0x0000000000000001, 0x0010000000000000, 0x0000000000000001, 0)  /* MINSUB, MINN */
    T_D2N(141, fmax.d, 0x3ff0000000000000, 0x4000000000000000, 0x4000000000000000, 0)  /* ONE, TWO */
    T_D2N(142, fmax.d, 0x4000000000000000, 0x3ff0000000000000, 0x4000000000000000, 0)  /* TWO, ONE */
    T_D2N(143, fmax.d, 0xbff0000000000000, 0xc000000000000000, 0xbff0000000000000, 0)  /* NONE, NTWO */
    T_D2N(144, fmax.d, 0x8000000000000000, 0x0000000000000000, 0x0000000000000000, 0)  /* NZERO, ZERO */
    T_D2N(145, fmax.d, 0x0000000000000000, 0x8000000000000000, 0x0000000000000000, 0)  /* ZERO, NZERO */
    T_D2N(146, fmax.d, 0xfff0000000000000, 0x7ff0000000000000, 0x7ff0000000000000, 0)  /* NINF, INF */
    T_D2N(147, fmax.d, 0x7ff0000000000000, 0x7fefffffffffffff, 0x7ff0000000000000, 0)  /* INF, MAX */
    T_D2N(148, fmax.d, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0)  /* QNAN, ONE */
    T_D2N(149, fmax.d, 0x3ff0000000000000, 0x7ff8000000012345, 0x3ff0000000000000, 0)  /* ONE, QNANP */
    T_D2N(150, fmax.d, 0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NV)  /* SNAN, ONE */
    T_D2N(151, fmax.d, 0xbff0000000000000, 0x7ff000000000002a, 0xbff0000000000000, NV)  /* NONE, SNANP */
    T_D2N(152, fmax.d, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0)  /* QNAN, QNAN */
    T_D2N(153, fmax.d, 0x7ff0000000000001, 0x7ff8000000000000, 0x7ff8000000000000, NV)  /* SNAN, QNAN */
    T_D2N(154, fmax.d, 0xfff8000000000000, 0xfff0000000000005, 0x7ff8000000000000, NV)  /* NQNAN, NSNAN */
    T_D2N(155, fmax.d, 0x0000000000000001, 0x8000000000000001, 0x0000000000000001, 0)  /* MINSUB, NMINSUB */
    T_D2N(156, fmax.d, 0x0000000000000001, 0x0010000000000000, 0x0010000000000000, 0)  /* MINSUB, MINN */

    /* feq (quiet: NV only for sNaN) / flt, fle (signalling: NV for any NaN) */
    T_D2X(157, feq.d, 0x3ff0000000000000, 0x3ff0000000000000, 1, 0)  /* ONE, ONE */
    T_D2X(158, feq.d, 0x3ff0000000000000, 0x4000000000000000, 0, 0)  /* ONE, TWO */
    T_D2X(159, feq.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0)  /* TWO, ONE */
    T_D2X(160, feq.d, 0x0000000000000000, 0x8000000000000000, 1, 0)  /* ZERO, NZERO */
    T_D2X(161, feq.d, 0x8000000000000000, 0x0000000000000000, 1, 0)  /* NZERO, ZERO */
    T_D2X(162, feq.d, 0xbff0000000000000, 0x3ff0000000000000, 0, 0)  /* NONE, ONE */
    T_D2X(163, feq.d, 0xfff0000000000000, 0x7ff0000000000000, 0, 0)  /* NINF, INF */
    T_D2X(164, feq.d, 0x7ff0000000000000, 0x7ff0000000000000, 1, 0)  /* INF, INF */
    T_D2X(165, feq.d, 0x0000000000000001, 0x0000000000000000, 0, 0)  /* MINSUB, ZERO */
    T_D2X(166, feq.d, 0xffefffffffffffff, 0xfff0000000000000, 0, 0)  /* NMAX, NINF */
    T_D2X(167, feq.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, 0)  /* QNAN, ONE */
    T_D2X(168, feq.d, 0x3ff0000000000000, 0x7ff8000000000000, 0, 0)  /* ONE, QNAN */
    T_D2X(169, feq.d, 0x7ff0000000000001, 0x3ff0000000000000, 0, NV)  /* SNAN, ONE */
    T_D2X(170, feq.d, 0x7ff8000000000000, 0x7ff8000000000000, 0, 0)  /* QNAN, QNAN */
    T_D2X(171, feq.d, 0xfff0000000000005, 0x7ff0000000000001, 0, NV)  /* NSNAN, SNAN */
    T_D2X(172, flt.d, 0x3ff0000000000000, 0x3ff0000000000000, 0, 0)  /* ONE, ONE */
    T_D2X(173, flt.d, 0x3ff0000000000000, 0x4000000000000000, 1, 0)  /* ONE, TWO */
    T_D2X(174, flt.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0)  /* TWO, ONE */
    T_D2X(175, flt.d, 0x0000000000000000, 0x8000000000000000, 0, 0)  /* ZERO, NZERO */
    T_D2X(176, flt.d, 0x8000000000000000, 0x0000000000000000, 0, 0)  /* NZERO, ZERO */
    T_D2X(177, flt.d, 0xbff0000000000000, 0x3ff0000000000000, 1, 0)  /* NONE, ONE */
    T_D2X(178, flt.d, 0xfff0000000000000, 0x7ff0000000000000, 1, 0)  /* NINF, INF */
    T_D2X(179, flt.d, 0x7ff0000000000000, 0x7ff0000000000000, 0, 0)  /* INF, INF */
    T_D2X(180, flt.d, 0x0000000000000001, 0x0000000000000000, 0, 0)  /* MINSUB, ZERO */
    T_D2X(181, flt.d, 0xffefffffffffffff, 0xfff0000000000000, 0, 0)  /* NMAX, NINF */
    T_D2X(182, flt.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, NV)  /* QNAN, ONE */
    T_D2X(183, flt.d, 0x3ff0000000000000, 0x7ff8000000000000, 0, NV)  /* ONE, QNAN */
    T_D2X(184, flt.d, 0x7ff0000000000001, 0x3ff0000000000000, 0, NV)  /* SNAN, ONE */
    T_D2X(185, flt.d, 0x7ff8000000000000, 0x7ff8000000000000, 0, NV)  /* QNAN, QNAN */
    T_D2X(186, flt.d, 0xfff0000000000005, 0x7ff0000000000001, 0, NV)  /* NSNAN, SNAN */
    T_D2X(187, fle.d, 0x3ff0000000000000, 0x3ff0000000000000, 1, 0)  /* ONE, ONE */
    T_D2X(188, fle.d, 0x3ff0000000000000, 0x4000000000000000, 1, 0)  /* ONE, TWO */
    T_D2X(189, fle.d, 0x4000000000000000, 0x3ff0000000000000, 0, 0)  /* TWO, ONE */
    T_D2X(190, fle.d, 0x0000000000000000, 0x8000000000000000, 1, 0)  /* ZERO, NZERO */
    T_D2X(191, fle.d, 0x8000000000000000, 0x0000000000000000, 1, 0)  /* NZERO, ZERO */
    T_D2X(192, fle.d, 0xbff0000000000000, 0x3ff0000000000000, 1, 0)  /* NONE, ONE */
    T_D2X(193, fle.d, 0xfff0000000000000, 0x7ff0000000000000, 1, 0)  /* NINF, INF */
    T_D2X(194, fle.d, 0x7ff0000000000000, 0x7ff0000000000000, 1, 0)  /* INF, INF */
    T_D2X(195, fle.d, 0x0000000000000001, 0x0000000000000000, 0, 0)  /* MINSUB, ZERO */
    T_D2X(196, fle.d, 0xffefffffffffffff, 0xfff0000000000000, 0, 0)  /* NMAX, NINF */
    T_D2X(197, fle.d, 0x7ff8000000000000, 0x3ff0000000000000, 0, NV)  /* QNAN, ONE */
    T_D2X(198, fle.d, 0x3ff0000000000000, 0x7ff8000000000000, 0, NV)  /* ONE, QNAN */
    T_D2X(199, fle.d, 0x7ff0000000000001, 0x3ff0000000000000, 0, NV)  /* SNAN, ONE */
    T_D2X(200, fle.d, 0x7ff8000000000000, 0x7ff8000000000000, 0, NV)  /* QNAN, QNAN */
    T_D2X(201, fle.d, 0xfff0000000000005, 0x7ff0000000000001, 0, NV)  /* NSNAN, SNAN */

    /* fclass: one bit for each of the 10 classes */
    T_D1C(202, fclass.d, 0xfff0000000000000, 0x001)  /* NINF */
    T_D1C(203, fclass.d, 0xbff0000000000000, 0x002)  /* NONE */
    T_D1C(204, fclass.d, 0xffefffffffffffff, 0x002)  /* NMAX */
    T_D1C(205, fclass.d, 0x8010000000000000, 0x002)  /* NMINN */
    T_D1C(206, fclass.d, 0x8000000000000001, 0x004)  /* NMINSUB */
    T_D1C(207, fclass.d, 0x8000000000000000, 0x008)  /* NZERO */
    T_D1C(208, fclass.d, 0x0000000000000000, 0x010)  /* ZERO */
    T_D1C(209, fclass.d, 0x0000000000000001, 0x020)  /* MINSUB */
    T_D1C(210, fclass.d, 0x000fffffffffffff, 0x020)  /* MAXSUB */
    T_D1C(211, fclass.d, 0x0010000000000000, 0x040)  /* MINN */
    T_D1C(212, fclass.d, 0x3ff0000000000000, 0x040)  /* ONE */
    T_D1C(213, fclass.d, 0x7fefffffffffffff, 0x040)  /* MAX */
    T_D1C(214, fclass.d, 0x7ff0000000000000, 0x080)  /* INF */
    T_D1C(215, fclass.d, 0x7ff0000000000001, 0x100)  /* SNAN */
    T_D1C(216, fclass.d, 0x7ff000000000002a, 0x100)  /* SNANP */
    T_D1C(217, fclass.d, 0xfff0000000000005, 0x100)  /* NSNAN */
    T_D1C(218, fclass.d, 0x7ff8000000000000, 0x200)  /* QNAN */
    T_D1C(219, fclass.d, 0x7ff8000000012345, 0x200)  /* QNANP */
    T_D1C(220, fclass.d, 0xfff8000000000000, 0x200)  /* NQNAN */

ISA_PASS

    .section .data
    .align 4
ddata:
    .dword 0x3ff0000000000000, 0x7ff0000000000001, 0xfff8000000012345, 0x8000000000000000
    .align 4
dscratch:
    .skip 24
