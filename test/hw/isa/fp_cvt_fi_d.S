/* fp_cvt_fi_d.S - double-precision to integer conversions fcvt.w.d, fcvt.wu.d,
 * fcvt.l.d, fcvt.lu.d: rounding in every static mode, saturation of NaN,
 * infinities and out-of-range values with NV (no NX), range checks after
 * rounding (e.g. 2^31 - 0.5 is in range for fcvt.w.d only when rounding
 * down), sign-extended 32-bit results.
 */
#include "isa.h"

ISA_BEGIN

    /* fcvt.w.d: rounding in every mode */
    T_D1X(1, fcvt.w.d, rne, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(2, fcvt.w.d, rne, 0xc004000000000000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_D1X(3, fcvt.w.d, rne, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(4, fcvt.w.d, rne, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(5, fcvt.w.d, rne, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(6, fcvt.w.d, rne, 0xbffc000000000000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_D1X(7, fcvt.w.d, rne, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(8, fcvt.w.d, rtz, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(9, fcvt.w.d, rtz, 0xc004000000000000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_D1X(10, fcvt.w.d, rtz, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(11, fcvt.w.d, rtz, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(12, fcvt.w.d, rtz, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(13, fcvt.w.d, rtz, 0xbffc000000000000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_D1X(14, fcvt.w.d, rtz, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(15, fcvt.w.d, rdn, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(16, fcvt.w.d, rdn, 0xc004000000000000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_D1X(17, fcvt.w.d, rdn, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(18, fcvt.w.d, rdn, 0xbfe0000000000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_D1X(19, fcvt.w.d, rdn, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(20, fcvt.w.d, rdn, 0xbffc000000000000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_D1X(21, fcvt.w.d, rdn, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(22, fcvt.w.d, rup, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(23, fcvt.w.d, rup, 0xc004000000000000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_D1X(24, fcvt.w.d, rup, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(25, fcvt.w.d, rup, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(26, fcvt.w.d, rup, 0x3fd8000000000000, 0x1, NX)  /* 3/8 */
    T_D1X(27, fcvt.w.d, rup, 0xbffc000000000000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_D1X(28, fcvt.w.d, rup, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(29, fcvt.w.d, rmm, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(30, fcvt.w.d, rmm, 0xc004000000000000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_D1X(31, fcvt.w.d, rmm, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(32, fcvt.w.d, rmm, 0xbfe0000000000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_D1X(33, fcvt.w.d, rmm, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(34, fcvt.w.d, rmm, 0xbffc000000000000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_D1X(35, fcvt.w.d, rmm, 0x401c000000000000, 0x7, 0)  /* 7 */

    /* fcvt.w.d: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_D1X(36, fcvt.w.d, rtz, 0x7ff8000000000000, 0x7fffffff, NV)  /* bits NaN */
    T_D1X(37, fcvt.w.d, rtz, 0x7ff0000000000001, 0x7fffffff, NV)  /* bits sNaN */
    T_D1X(38, fcvt.w.d, rtz, 0xfff8000000000000, 0x7fffffff, NV)  /* bits -qNaN */
    T_D1X(39, fcvt.w.d, rtz, 0x7ff0000000000000, 0x7fffffff, NV)  /* bits +inf */
    T_D1X(40, fcvt.w.d, rtz, 0xfff0000000000000, 0xffffffff80000000, NV)  /* bits -inf */
    T_D1X(41, fcvt.w.d, rtz, 0x7fefffffffffffff, 0x7fffffff, NV)  /* bits MAX */
    T_D1X(42, fcvt.w.d, rtz, 0xffefffffffffffff, 0xffffffff80000000, NV)  /* bits -MAX */
    T_D1X(43, fcvt.w.d, rtz, 0x8000000000000000, 0x0, 0)  /* bits -0 */
    T_D1X(44, fcvt.w.d, rtz, 0x0000000000000001, 0x0, NX)  /* bits MINSUB */
    T_D1X(45, fcvt.w.d, rtz, 0x8000000000000001, 0x0, NX)  /* bits -MINSUB */
    T_D1X(46, fcvt.w.d, rne, 0x41e0000000000000, 0x7fffffff, NV)  /* 2147483648 */
    T_D1X(47, fcvt.w.d, rne, 0x41dfffffffffffff, 0x7fffffff, NV)  /* 9007199254740991/4194304 */
    T_D1X(48, fcvt.w.d, rtz, 0x41dfffffffffffff, 0x7fffffff, NX)  /* 9007199254740991/4194304 */
    T_D1X(49, fcvt.w.d, rup, 0x41dfffffffffffff, 0x7fffffff, NV)  /* 9007199254740991/4194304 */
    T_D1X(50, fcvt.w.d, rdn, 0x41dfffffffffffff, 0x7fffffff, NX)  /* 9007199254740991/4194304 */
    T_D1X(51, fcvt.w.d, rne, 0xbff0000000000000, 0xffffffffffffffff, 0)  /* -1 */
    T_D1X(52, fcvt.w.d, rne, 0xc1e0000000000000, 0xffffffff80000000, 0)  /* -2147483648 */
    T_D1X(53, fcvt.w.d, rne, 0xc1e0000000000001, 0xffffffff80000000, NX)  /* -4503599627370497/2097152 */
    T_D1X(54, fcvt.w.d, rtz, 0xc1e0000000000001, 0xffffffff80000000, NX)  /* -4503599627370497/2097152 */
    T_D1X(55, fcvt.w.d, rup, 0xc1e0000000000001, 0xffffffff80000000, NX)  /* -4503599627370497/2097152 */
    T_D1X(56, fcvt.w.d, rdn, 0xc1e0000000000001, 0xffffffff80000000, NV)  /* -4503599627370497/2097152 */
    T_D1X(57, fcvt.w.d, rne, 0x41dfffffffe00000, 0x7fffffff, NV)  /* 4294967295/2 */
    T_D1X(58, fcvt.w.d, rtz, 0x41dfffffffe00000, 0x7fffffff, NX)  /* 4294967295/2 */
    T_D1X(59, fcvt.w.d, rup, 0x41dfffffffe00000, 0x7fffffff, NV)  /* 4294967295/2 */
    T_D1X(60, fcvt.w.d, rdn, 0x41dfffffffe00000, 0x7fffffff, NX)  /* 4294967295/2 */
    T_D1X(61, fcvt.w.d, rne, 0x41dfffffffd00000, 0x7fffffff, NX)  /* 8589934589/4 */
    T_D1X(62, fcvt.w.d, rtz, 0x41dfffffffd00000, 0x7fffffff, NX)  /* 8589934589/4 */
    T_D1X(63, fcvt.w.d, rup, 0x41dfffffffd00000, 0x7fffffff, NV)  /* 8589934589/4 */
    T_D1X(64, fcvt.w.d, rdn, 0x41dfffffffd00000, 0x7fffffff, NX)  /* 8589934589/4 */
    T_D1X(65, fcvt.w.d, rne, 0xc1e0000000100000, 0xffffffff80000000, NX)  /* -4294967297/2 */
    T_D1X(66, fcvt.w.d, rtz, 0xc1e0000000100000, 0xffffffff80000000, NX)  /* -4294967297/2 */
    T_D1X(67, fcvt.w.d, rup, 0xc1e0000000100000, 0xffffffff80000000, NX)  /* -4294967297/2 */
    T_D1X(68, fcvt.w.d, rdn, 0xc1e0000000100000, 0xffffffff80000000, NV)  /* -4294967297/2 */

    /* fcvt.wu.d: rounding in every mode */
    T_D1X(69, fcvt.wu.d, rne, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(70, fcvt.wu.d, rne, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(71, fcvt.wu.d, rne, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(72, fcvt.wu.d, rne, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(73, fcvt.wu.d, rne, 0x3ffc000000000000, 0x2, NX)  /* 7/4 */
    T_D1X(74, fcvt.wu.d, rtz, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(75, fcvt.wu.d, rtz, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(76, fcvt.wu.d, rtz, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(77, fcvt.wu.d, rtz, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(78, fcvt.wu.d, rtz, 0x3ffc000000000000, 0x1, NX)  /* 7/4 */
    T_D1X(79, fcvt.wu.d, rdn, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(80, fcvt.wu.d, rdn, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(81, fcvt.wu.d, rdn, 0xbfe0000000000000, 0x0, NV)  /* -1/2 */
    T_D1X(82, fcvt.wu.d, rdn, 0xbfd8000000000000, 0x0, NV)  /* -3/8 */
    T_D1X(83, fcvt.wu.d, rdn, 0x3ffc000000000000, 0x1, NX)  /* 7/4 */
    T_D1X(84, fcvt.wu.d, rup, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(85, fcvt.wu.d, rup, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(86, fcvt.wu.d, rup, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(87, fcvt.wu.d, rup, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(88, fcvt.wu.d, rup, 0x3ffc000000000000, 0x2, NX)  /* 7/4 */
    T_D1X(89, fcvt.wu.d, rmm, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(90, fcvt.wu.d, rmm, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(91, fcvt.wu.d, rmm, 0xbfe0000000000000, 0x0, NV)  /* -1/2 */
    T_D1X(92, fcvt.wu.d, rmm, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(93, fcvt.wu.d, rmm, 0x3ffc000000000000, 0x2, NX)  /* 7/4 */

    /* fcvt.wu.d: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_D1X(94, fcvt.wu.d, rtz, 0x7ff8000000000000, 0xffffffffffffffff, NV)  /* bits NaN */
    T_D1X(95, fcvt.wu.d, rtz, 0x7ff0000000000001, 0xffffffffffffffff, NV)  /* bits sNaN */
    T_D1X(96, fcvt.wu.d, rtz, 0xfff8000000000000, 0xffffffffffffffff, NV)  /* bits -qNaN */
    T_D1X(97, fcvt.wu.d, rtz, 0x7ff0000000000000, 0xffffffffffffffff, NV)  /* bits +inf */
    T_D1X(98, fcvt.wu.d, rtz, 0xfff0000000000000, 0x0, NV)  /* bits -inf */
    T_D1X(99, fcvt.wu.d, rtz, 0x7fefffffffffffff, 0xffffffffffffffff, NV)  /* bits MAX */
    T_D1X(100, fcvt.wu.d, rtz, 0xffefffffffffffff, 0x0, NV)  /* bits -MAX */
    T_D1X(101, fcvt.wu.d, rtz, 0x8000000000000000, 0x0, 0)  /* bits -0 */
    T_D1X(102, fcvt.wu.d, rtz, 0x0000000000000001, 0x0, NX)  /* bits MINSUB */
    T_D1X(103, fcvt.wu.d, rtz, 0x8000000000000001, 0x0, NX)  /* bits -MINSUB */
    T_D1X(104, fcvt.wu.d, rne, 0x41f0000000000000, 0xffffffffffffffff, NV)  /* 4294967296 */
    T_D1X(105, fcvt.wu.d, rne, 0x41efffffffffffff, 0xffffffffffffffff, NV)  /* 9007199254740991/2097152 */
    T_D1X(106, fcvt.wu.d, rtz, 0x41efffffffffffff, 0xffffffffffffffff, NX)  /* 9007199254740991/2097152 */
    T_D1X(107, fcvt.wu.d, rup, 0x41efffffffffffff, 0xffffffffffffffff, NV)  /* 9007199254740991/2097152 */
    T_D1X(108, fcvt.wu.d, rdn, 0x41efffffffffffff, 0xffffffffffffffff, NX)  /* 9007199254740991/2097152 */
    T_D1X(109, fcvt.wu.d, rne, 0xbff0000000000000, 0x0, NV)  /* -1 */
    T_D1X(110, fcvt.wu.d, rne, 0x41effffffff00000, 0xffffffffffffffff, NV)  /* 8589934591/2 */
    T_D1X(111, fcvt.wu.d, rtz, 0x41effffffff00000, 0xffffffffffffffff, NX)  /* 8589934591/2 */
    T_D1X(112, fcvt.wu.d, rup, 0x41effffffff00000, 0xffffffffffffffff, NV)  /* 8589934591/2 */
    T_D1X(113, fcvt.wu.d, rdn, 0x41effffffff00000, 0xffffffffffffffff, NX)  /* 8589934591/2 */
    T_D1X(114, fcvt.wu.d, rne, 0x41effffffff80000, 0xffffffffffffffff, NV)  /* 17179869183/4 */
    T_D1X(115, fcvt.wu.d, rtz, 0x41effffffff80000, 0xffffffffffffffff, NX)  /* 17179869183/4 */
    T_D1X(116, fcvt.wu.d, rup, 0x41effffffff80000, 0xffffffffffffffff, NV)  /* 17179869183/4 */
    T_D1X(117, fcvt.wu.d, rdn, 0x41effffffff80000, 0xffffffffffffffff, NX)  /* 17179869183/4 */
    T_D1X(118, fcvt.wu.d, rne, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(119, fcvt.wu.d, rtz, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(120, fcvt.wu.d, rup, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(121, fcvt.wu.d, rdn, 0xbfe0000000000000, 0x0, NV)  /* -1/2 */
    T_D1X(122, fcvt.wu.d, rne, 0xbfe8000000000000, 0x0, NV)  /* -3/4 */
    T_D1X(123, fcvt.wu.d, rtz, 0xbfe8000000000000, 0x0, NX)  /* -3/4 */
    T_D1X(124, fcvt.wu.d, rup, 0xbfe8000000000000, 0x0, NX)  /* -3/4 */
    T_D1X(125, fcvt.wu.d, rdn, 0xbfe8000000000000, 0x0, NV)  /* -3/4 */

    /* fcvt.l.d: rounding in every mode */
    T_D1X(126, fcvt.l.d, rne, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(127, fcvt.l.d, rne, 0xc004000000000000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_D1X(128, fcvt.l.d, rne, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(129, fcvt.l.d, rne, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(130, fcvt.l.d, rne, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(131, fcvt.l.d, rne, 0xbffc000000000000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_D1X(132, fcvt.l.d, rne, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(133, fcvt.l.d, rtz, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(134, fcvt.l.d, rtz, 0xc004000000000000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_D1X(135, fcvt.l.d, rtz, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(136, fcvt.l.d, rtz, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(137, fcvt.l.d, rtz, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(138, fcvt.l.d, rtz, 0xbffc000000000000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_D1X(139, fcvt.l.d, rtz, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(140, fcvt.l.d, rdn, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(141, fcvt.l.d, rdn, 0xc004000000000000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_D1X(142, fcvt.l.d, rdn, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(143, fcvt.l.d, rdn, 0xbfe0000000000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_D1X(144, fcvt.l.d, rdn, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(145, fcvt.l.d, rdn, 0xbffc000000000000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_D1X(146, fcvt.l.d, rdn, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(147, fcvt.l.d, rup, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(148, fcvt.l.d, rup, 0xc004000000000000, 0xfffffffffffffffe, NX)  /* -5/2 */
    T_D1X(149, fcvt.l.d, rup, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(150, fcvt.l.d, rup, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(151, fcvt.l.d, rup, 0x3fd8000000000000, 0x1, NX)  /* 3/8 */
    T_D1X(152, fcvt.l.d, rup, 0xbffc000000000000, 0xffffffffffffffff, NX)  /* -7/4 */
    T_D1X(153, fcvt.l.d, rup, 0x401c000000000000, 0x7, 0)  /* 7 */
    T_D1X(154, fcvt.l.d, rmm, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(155, fcvt.l.d, rmm, 0xc004000000000000, 0xfffffffffffffffd, NX)  /* -5/2 */
    T_D1X(156, fcvt.l.d, rmm, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(157, fcvt.l.d, rmm, 0xbfe0000000000000, 0xffffffffffffffff, NX)  /* -1/2 */
    T_D1X(158, fcvt.l.d, rmm, 0x3fd8000000000000, 0x0, NX)  /* 3/8 */
    T_D1X(159, fcvt.l.d, rmm, 0xbffc000000000000, 0xfffffffffffffffe, NX)  /* -7/4 */
    T_D1X(160, fcvt.l.d, rmm, 0x401c000000000000, 0x7, 0)  /* 7 */

    /* fcvt.l.d: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_D1X(161, fcvt.l.d, rtz, 0x7ff8000000000000, 0x7fffffffffffffff, NV)  /* bits NaN */
    T_D1X(162, fcvt.l.d, rtz, 0x7ff0000000000001, 0x7fffffffffffffff, NV)  /* bits sNaN */
    T_D1X(163, fcvt.l.d, rtz, 0xfff8000000000000, 0x7fffffffffffffff, NV)  /* bits -qNaN */
    T_D1X(164, fcvt.l.d, rtz, 0x7ff0000000000000, 0x7fffffffffffffff, NV)  /* bits +inf */
    T_D1X(165, fcvt.l.d, rtz, 0xfff0000000000000, 0x8000000000000000, NV)  /* bits -inf */
    T_D1X(166, fcvt.l.d, rtz, 0x7fefffffffffffff, 0x7fffffffffffffff, NV)  /* bits MAX */
    T_D1X(167, fcvt.l.d, rtz, 0xffefffffffffffff, 0x8000000000000000, NV)  /* bits -MAX */
    T_D1X(168, fcvt.l.d, rtz, 0x8000000000000000, 0x0, 0)  /* bits -0 */
    T_D1X(169, fcvt.l.d, rtz, 0x0000000000000001, 0x0, NX)  /* bits MINSUB */
    T_D1X(170, fcvt.l.d, rtz, 0x8000000000000001, 0x0, NX)  /* bits -MINSUB */
    T_D1X(171, fcvt.l.d, rne, 0x43e0000000000000, 0x7fffffffffffffff, NV)  /* 9223372036854775808 */
    T_D1X(172, fcvt.l.d, rne, 0x43dfffffffffffff, 0x7ffffffffffffc00, 0)  /* 9223372036854774784 */
    T_D1X(173, fcvt.l.d, rne, 0xbff0000000000000, 0xffffffffffffffff, 0)  /* -1 */
    T_D1X(174, fcvt.l.d, rne, 0xc3e0000000000000, 0x8000000000000000, 0)  /* -9223372036854775808 */
    T_D1X(175, fcvt.l.d, rne, 0xc3e0000000000001, 0x8000000000000000, NV)  /* -9223372036854777856 */

    /* fcvt.lu.d: rounding in every mode */
    T_D1X(176, fcvt.lu.d, rne, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(177, fcvt.lu.d, rne, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(178, fcvt.lu.d, rne, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(179, fcvt.lu.d, rne, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(180, fcvt.lu.d, rne, 0x3ffc000000000000, 0x2, NX)  /* 7/4 */
    T_D1X(181, fcvt.lu.d, rtz, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(182, fcvt.lu.d, rtz, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(183, fcvt.lu.d, rtz, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(184, fcvt.lu.d, rtz, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(185, fcvt.lu.d, rtz, 0x3ffc000000000000, 0x1, NX)  /* 7/4 */
    T_D1X(186, fcvt.lu.d, rdn, 0x4004000000000000, 0x2, NX)  /* 5/2 */
    T_D1X(187, fcvt.lu.d, rdn, 0x3ff8000000000000, 0x1, NX)  /* 3/2 */
    T_D1X(188, fcvt.lu.d, rdn, 0xbfe0000000000000, 0x0, NV)  /* -1/2 */
    T_D1X(189, fcvt.lu.d, rdn, 0xbfd8000000000000, 0x0, NV)  /* -3/8 */
    T_D1X(190, fcvt.lu.d, rdn, 0x3ffc000000000000, 0x1, NX)  /* 7/4 */
    T_D1X(191, fcvt.lu.d, rup, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(192, fcvt.lu.d, rup, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(193, fcvt.lu.d, rup, 0xbfe0000000000000, 0x0, NX)  /* -1/2 */
    T_D1X(194, fcvt.lu.d, rup, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(195, fcvt.lu.d, rup, 0x3ffc000000000000, 0x2, NX)  /* 7/4 */
    T_D1X(196, fcvt.lu.d, rmm, 0x4004000000000000, 0x3, NX)  /* 5/2 */
    T_D1X(197, fcvt.lu.d, rmm, 0x3ff8000000000000, 0x2, NX)  /* 3/2 */
    T_D1X(198, fcvt.lu.d, rmm, 0xbfe0000000000000, 0x0, NV)  /* -1/2 */
    T_D1X(199, fcvt.lu.d, rmm, 0xbfd8000000000000, 0x0, NX)  /* -3/8 */
    T_D1X(200, fcvt.lu.d, rmm, 0x3ffc000000000000, 0x2, NX)  /* 7/4 */

    /* fcvt.lu.d: NaN, infinities and out-of-range inputs saturate with NV (not NX) */
    T_D1X(201, fcvt.lu.d, rtz, 0x7ff8000000000000, 0xffffffffffffffff, NV)  /* bits NaN */
    T_D1X(202, fcvt.lu.d, rtz, 0x7ff0000000000001, 0xffffffffffffffff, NV)  /* bits sNaN */
    T_D1X(203, fcvt.lu.d, rtz, 0xfff8000000000000, 0xffffffffffffffff, NV)  /* bits -qNaN */
    T_D1X(204, fcvt.lu.d, rtz, 0x7ff0000000000000, 0xffffffffffffffff, NV)  /* bits +inf */
    T_D1X(205, fcvt.lu.d, rtz, 0xfff0000000000000, 0x0, NV)  /* bits -inf */
    T_D1X(206, fcvt.lu.d, rtz, 0x7fefffffffffffff, 0xffffffffffffffff, NV)  /* bits MAX */
    T_D1X(207, fcvt.lu.d, rtz, 0xffefffffffffffff, 0x0, NV)  /* bits -MAX */
    T_D1X(208, fcvt.lu.d, rtz, 0x8000000000000000, 0x0, 0)  /* bits -0 */
    T_D1X(209, fcvt.lu.d, rtz, 0x0000000000000001, 0x0, NX)  /* bits MINSUB */
    T_D1X(210, fcvt.lu.d, rtz, 0x8000000000000001, 0x0, NX)  /* bits -MINSUB */
    T_D1X(211, fcvt.lu.d, rne, 0x43f0000000000000, 0xffffffffffffffff, NV)  /* 18446744073709551616 */
    T_D1X(212, fcvt.lu.d, rne, 0x43efffffffffffff, 0xfffffffffffff800, 0)  /* 18446744073709549568 */
    T_D1X(213, fcvt.lu.d, rne, 0xbff0000000000000, 0x0, NV)  /* -1 */

ISA_PASS
