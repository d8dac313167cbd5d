/* fp_cvt_fi_s.S - single-precision to integer conversions fcvt.w.s, fcvt.wu.s,
 * fcvt.l.s, fcvt.lu.s: rounding in every static mode (NX when inexact), and
 * the saturation rules of the F chapter: NaN -> largest positive integer,
 * +inf / too large -> largest, -inf / too small -> smallest (0 for unsigned),
 * with NV and without NX; 32-bit results (also wu) are sign-extended.  The
 * range test applies to the rounded value (e.g. -0.5 -> 0 is valid for wu in
 * rne/rtz/rup but -1 is out of range in rdn).
 */
#include "isa.h"

ISA_BEGIN

    /* fcvt.w.s: rounding in every mode */
    T_S1X(1, fcvt.w.s, rne, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(2, fcvt.w.s, rne, 0xc0200000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_S1X(3, fcvt.w.s, rne, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(4, fcvt.w.s, rne, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(5, fcvt.w.s, rne, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(6, fcvt.w.s, rne, 0xbfe00000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_S1X(7, fcvt.w.s, rne, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(8, fcvt.w.s, rtz, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(9, fcvt.w.s, rtz, 0xc0200000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_S1X(10, fcvt.w.s, rtz, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(11, fcvt.w.s, rtz, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(12, fcvt.w.s, rtz, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(13, fcvt.w.s, rtz, 0xbfe00000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_S1X(14, fcvt.w.s, rtz, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(15, fcvt.w.s, rdn, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(16, fcvt.w.s, rdn, 0xc0200000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_S1X(17, fcvt.w.s, rdn, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(18, fcvt.w.s, rdn, 0xbf000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_S1X(19, fcvt.w.s, rdn, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(20, fcvt.w.s, rdn, 0xbfe00000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_S1X(21, fcvt.w.s, rdn, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(22, fcvt.w.s, rup, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(23, fcvt.w.s, rup, 0xc0200000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_S1X(24, fcvt.w.s, rup, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(25, fcvt.w.s, rup, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(26, fcvt.w.s, rup, 0x3ec00000, 0x1, NX)  /* 3/8 */
    T_S1X(27, fcvt.w.s, rup, 0xbfe00000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_S1X(28, fcvt.w.s, rup, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(29, fcvt.w.s, rmm, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(30, fcvt.w.s, rmm, 0xc0200000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_S1X(31, fcvt.w.s, rmm, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(32, fcvt.w.s, rmm, 0xbf000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_S1X(33, fcvt.w.s, rmm, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(34, fcvt.w.s, rmm, 0xbfe00000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_S1X(35, fcvt.w.s, rmm, 0x40e00000, 0x7, 0)  /* 7 */

    /* fcvt.w.s: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_S1X(36, fcvt.w.s, rtz, 0x7fc00000, 0x7fffffff, NV)  /* bits NaN */
    T_S1X(37, fcvt.w.s, rtz, 0x7f800001, 0x7fffffff, NV)  /* bits sNaN */
    T_S1X(38, fcvt.w.s, rtz, 0xffc00000, 0x7fffffff, NV)  /* bits -qNaN */
    T_S1X(39, fcvt.w.s, rtz, 0x7f800000, 0x7fffffff, NV)  /* bits +inf */
    T_S1X(40, fcvt.w.s, rtz, 0xff800000, 0xffffffff80000000, NV)  /* bits -inf */
    T_S1X(41, fcvt.w.s, rtz, 0x7f7fffff, 0x7fffffff, NV)  /* bits MAX */
    T_S1X(42, fcvt.w.s, rtz, 0xff7fffff, 0xffffffff80000000, NV)  /* bits -MAX */
    T_S1X(43, fcvt.w.s, rtz, 0x80000000, 0x0, 0)  /* bits -0 */
    T_S1X(44, fcvt.w.s, rtz, 0x00000001, 0x0, NX)  /* bits MINSUB */
    T_S1X(45, fcvt.w.s, rtz, 0x80000001, 0x0, NX)  /* bits -MINSUB */
    T_S1X(46, fcvt.w.s, rne, 0x4f000000, 0x7fffffff, NV)  /* 2147483648 */
    T_S1X(47, fcvt.w.s, rne, 0x4effffff, 0x7fffff80, 0)  /* 2147483520 */
    T_S1X(48, fcvt.w.s, rne, 0xbf800000, 0xffffffffffffffff, 0)  /* -1 */
    T_S1X(49, fcvt.w.s, rne, 0xcf000000, 0xffffffff80000000, 0)  /* -2147483648 */
    T_S1X(50, fcvt.w.s, rne, 0xcf000001, 0xffffffff80000000, NV)  /* -2147483904 */

    /* fcvt.wu.s: rounding in every mode */
    T_S1X(51, fcvt.wu.s, rne, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(52, fcvt.wu.s, rne, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(53, fcvt.wu.s, rne, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(54, fcvt.wu.s, rne, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(55, fcvt.wu.s, rne, 0x3fe00000, 0x2, NX)  /* 7/4 */
    T_S1X(56, fcvt.wu.s, rtz, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(57, fcvt.wu.s, rtz, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(58, fcvt.wu.s, rtz, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(59, fcvt.wu.s, rtz, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(60, fcvt.wu.s, rtz, 0x3fe00000, 0x1, NX)  /* 7/4 */
    T_S1X(61, fcvt.wu.s, rdn, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(62, fcvt.wu.s, rdn, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(63, fcvt.wu.s, rdn, 0xbf000000, 0x0, NV)  /* -1/2 */
    T_S1X(64, fcvt.wu.s, rdn, 0xbec00000, 0x0, NV)  /* -3/8 */
    T_S1X(65, fcvt.wu.s, rdn, 0x3fe00000, 0x1, NX)  /* 7/4 */
    T_S1X(66, fcvt.wu.s, rup, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(67, fcvt.wu.s, rup, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(68, fcvt.wu.s, rup, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(69, fcvt.wu.s, rup, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(70, fcvt.wu.s, rup, 0x3fe00000, 0x2, NX)  /* 7/4 */
    T_S1X(71, fcvt.wu.s, rmm, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(72, fcvt.wu.s, rmm, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(73, fcvt.wu.s, rmm, 0xbf000000, 0x0, NV)  /* -1/2 */
    T_S1X(74, fcvt.wu.s, rmm, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(75, fcvt.wu.s, rmm, 0x3fe00000, 0x2, NX)  /* 7/4 */

    /* fcvt.wu.s: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_S1X(76, fcvt.wu.s, rtz, 0x7fc00000, 0xffffffffffffffff, NV)  /* bits NaN */
    T_S1X(77, fcvt.wu.s, rtz, 0x7f800001, 0xffffffffffffffff, NV)  /* bits sNaN */
    T_S1X(78, fcvt.wu.s, rtz, 0xffc00000, 0xffffffffffffffff, NV)  /* bits -qNaN */
    T_S1X(79, fcvt.wu.s, rtz, 0x7f800000, 0xffffffffffffffff, NV)  /* bits +inf */
    T_S1X(80, fcvt.wu.s, rtz, 0xff800000, 0x0, NV)  /* bits -inf */
    T_S1X(81, fcvt.wu.s, rtz, 0x7f7fffff, 0xffffffffffffffff, NV)  /* bits MAX */
    T_S1X(82, fcvt.wu.s, rtz, 0xff7fffff, 0x0, NV)  /* bits -MAX */
    T_S1X(83, fcvt.wu.s, rtz, 0x80000000, 0x0, 0)  /* bits -0 */
    T_S1X(84, fcvt.wu.s, rtz, 0x00000001, 0x0, NX)  /* bits MINSUB */
    T_S1X(85, fcvt.wu.s, rtz, 0x80000001, 0x0, NX)  /* bits -MINSUB */
    T_S1X(86, fcvt.wu.s, rne, 0x4f800000, 0xffffffffffffffff, NV)  /* 4294967296 */
    T_S1X(87, fcvt.wu.s, rne, 0x4f7fffff, 0xffffffffffffff00, 0)  /* 4294967040 */
    T_S1X(88, fcvt.wu.s, rne, 0xbf800000, 0x0, NV)  /* -1 */

    /* fcvt.l.s: rounding in every mode */
    T_S1X(89, fcvt.l.s, rne, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(90, fcvt.l.s, rne, 0xc0200000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_S1X(91, fcvt.l.s, rne, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(92, fcvt.l.s, rne, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(93, fcvt.l.s, rne, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(94, fcvt.l.s, rne, 0xbfe00000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_S1X(95, fcvt.l.s, rne, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(96, fcvt.l.s, rtz, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(97, fcvt.l.s, rtz, 0xc0200000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_S1X(98, fcvt.l.s, rtz, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(99, fcvt.l.s, rtz, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(100, fcvt.l.s, rtz, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(101, fcvt.l.s, rtz, 0xbfe00000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_S1X(102, fcvt.l.s, rtz, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(103, fcvt.l.s, rdn, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(104, fcvt.l.s, rdn, 0xc0200000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_S1X(105, fcvt.l.s, rdn, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(106, fcvt.l.s, rdn, 0xbf000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_S1X(107, fcvt.l.s, rdn, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(108, fcvt.l.s, rdn, 0xbfe00000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_S1X(109, fcvt.l.s, rdn, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(110, fcvt.l.s, rup, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(111, fcvt.l.s, rup, 0xc0200000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_S1X(112, fcvt.l.s, rup, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(113, fcvt.l.s, rup, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(114, fcvt.l.s, rup, 0x3ec00000, 0x1, NX)  /* 3/8 */
    T_S1X(115, fcvt.l.s, rup, 0xbfe00000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_S1X(116, fcvt.l.s, rup, 0x40e00000, 0x7, 0)  /* 7 */
    T_S1X(117, fcvt.l.s, rmm, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(118, fcvt.l.s, rmm, 0xc0200000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_S1X(119, fcvt.l.s, rmm, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(120, fcvt.l.s, rmm, 0xbf000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_S1X(121, fcvt.l.s, rmm, 0x3ec00000, 0x0, NX)  /* 3/8 */
    T_S1X(122, fcvt.l.s, rmm, 0xbfe00000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_S1X(123, fcvt.l.s, rmm, 0x40e00000, 0x7, 0)  /* 7 */

    /* fcvt.l.s: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_S1X(124, fcvt.l.s, rtz, 0x7fc00000, 0x7fffffffffffffff, NV)  /* bits NaN */
    T_S1X(125, fcvt.l.s, rtz, 0x7f800001, 0x7fffffffffffffff, NV)  /* bits sNaN */
    T_S1X(126, fcvt.l.s, rtz, 0xffc00000, 0x7fffffffffffffff, NV)  /* bits -qNaN */
    T_S1X(127, fcvt.l.s, rtz, 0x7f800000, 0x7fffffffffffffff, NV)  /* bits +inf */
    T_S1X(128, fcvt.l.s, rtz, 0xff800000, 0x8000000000000000, NV)  /* bits -inf */
    T_S1X(129, fcvt.l.s, rtz, 0x7f7fffff, 0x7fffffffffffffff, NV)  /* bits MAX */
    T_S1X(130, fcvt.l.s, rtz, 0xff7fffff, 0x8000000000000000, NV)  /* bits -MAX */
    T_S1X(131, fcvt.l.s, rtz, 0x80000000, 0x0, 0)  /* bits -0 */
    T_S1X(132, fcvt.l.s, rtz, 0x00000001, 0x0, NX)  /* bits MINSUB */
    T_S1X(133, fcvt.l.s, rtz, 0x80000001, 0x0, NX)  /* bits -MINSUB */
    T_S1X(134, fcvt.l.s, rne, 0x5f000000, 0x7fffffffffffffff, NV)  /* 9223372036854775808 */
    T_S1X(135, fcvt.l.s, rne, 0x5effffff, 0x7fffff8000000000, 0)  /* 9223371487098961920 */
    T_S1X(136, fcvt.l.s, rne, 0xbf800000, 0xffffffffffffffff, 0)  /* -1 */
    T_S1X(137, fcvt.l.s, rne, 0xdf000000, 0x8000000000000000, 0)  /* -9223372036854775808 */
    T_S1X(138, fcvt.l.s, rne, 0xdf000001, 0x8000000000000000, NV)  /* -9223373136366403584 */

    /* fcvt.lu.s: rounding in every mode */
    T_S1X(139, fcvt.lu.s, rne, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(140, fcvt.lu.s, rne, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(141, fcvt.lu.s, rne, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(142, fcvt.lu.s, rne, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(143, fcvt.lu.s, rne, 0x3fe00000, 0x2, NX)  /* 7/4 */
    T_S1X(144, fcvt.lu.s, rtz, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(145, fcvt.lu.s, rtz, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(146, fcvt.lu.s, rtz, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(147, fcvt.lu.s, rtz, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(148, fcvt.lu.s, rtz, 0x3fe00000, 0x1, NX)  /* 7/4 */
    T_S1X(149, fcvt.lu.s, rdn, 0x40200000, 0x2, NX)  /* 5/2 */
    T_S1X(150, fcvt.lu.s, rdn, 0x3fc00000, 0x1, NX)  /* 3/2 */
    T_S1X(151, fcvt.lu.s, rdn, 0xbf000000, 0x0, NV)  /* -1/2 */
    T_S1X(152, fcvt.lu.s, rdn, 0xbec00000, 0x0, NV)  /* -3/8 */
    T_S1X(153, fcvt.lu.s, rdn, 0x3fe00000, 0x1, NX)  /* 7/4 */
    T_S1X(154, fcvt.lu.s, rup, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(155, fcvt.lu.s, rup, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(156, fcvt.lu.s, rup, 0xbf000000, 0x0, NX)  /* -1/2 */
    T_S1X(157, fcvt.lu.s, rup, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(158, fcvt.lu.s, rup, 0x3fe00000, 0x2, NX)  /* 7/4 */
    T_S1X(159, fcvt.lu.s, rmm, 0x40200000, 0x3, NX)  /* 5/2 */
    T_S1X(160, fcvt.lu.s, rmm, 0x3fc00000, 0x2, NX)  /* 3/2 */
    T_S1X(161, fcvt.lu.s, rmm, 0xbf000000, 0x0, NV)  /* -1/2 */
    T_S1X(162, fcvt.lu.s, rmm, 0xbec00000, 0x0, NX)  /* -3/8 */
    T_S1X(163, fcvt.lu.s, rmm, 0x3fe00000, 0x2, NX)  /* 7/4 */

    /* fcvt.lu.s: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_S1X(164, fcvt.lu.s, rtz, 0x7fc00000, 0xffffffffffffffff, NV)  /* bits NaN */
    T_S1X(165, fcvt.lu.s, rtz, 0x7f800001, 0xffffffffffffffff, NV)  /* bits sNaN */
    T_S1X(166, fcvt.lu.s, rtz, 0xffc00000, 0xffffffffffffffff, NV)  /* bits -qNaN */
    T_S1X(167, fcvt.lu.s, rtz, 0x7f800000, 0xffffffffffffffff, NV)  /* bits +inf */
    T_S1X(168, fcvt.lu.s, rtz, 0xff800000, 0x0, NV)  /* bits -inf */
    T_S1X(169, fcvt.lu.s, rtz, 0x7f7fffff, 0xffffffffffffffff, NV)  /* bits MAX */
    T_S1X(170, fcvt.lu.s, rtz, 0xff7fffff, 0x0, NV)  /* bits -MAX */
    T_S1X(171, fcvt.lu.s, rtz, 0x80000000, 0x0, 0)  /* bits -0 */
    T_S1X(172, fcvt.lu.s, rtz, 0x00000001, 0x0, NX)  /* bits MINSUB */
    T_S1X(173, fcvt.lu.s, rtz, 0x80000001, 0x0, NX)  /* bits -MINSUB */
    T_S1X(174, fcvt.lu.s, rne, 0x5f800000, 0xffffffffffffffff, NV)  /* 18446744073709551616 */
    T_S1X(175, fcvt.lu.s, rne, 0x5f7fffff, 0xffffff0000000000, 0)  /* 18446742974197923840 */
    T_S1X(176, fcvt.lu.s, rne, 0xbf800000, 0x0, NV)  /* -1 */

ISA_PASS
