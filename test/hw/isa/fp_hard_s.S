/* fp_hard_s.S - single-precision cases that are easy to get wrong when the
 * floating-point unit is emulated without fused multiply-add or directed
 * rounding in the host: fma results that differ from multiply-then-add or
 * from rounding twice through a wider format, products far below the addend
 * (only the sticky bit remains), far-apart addends, products needing the
 * full double-width significand, and directed rounding of div/sqrt near 1.
 * Some fma cases come from a seeded search for inputs where the two wrong
 * methods disagree with the exactly rounded result (exact rational
 * arithmetic, rounded once per IEEE 754-2008 and the F/D chapters).
 */
#include "isa.h"

ISA_BEGIN

    /* fmadd: the product is far below the addend: only its sign and stickiness matter */
    T_S3(1, fmadd.s, rne, 0x00000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* minsub*minsub + 1 */
    T_S3(2, fmadd.s, rne, 0x80000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* -minsub*minsub + 1 */
    T_S3(3, fmadd.s, rne, 0x00000001, 0x00000001, 0xbf800000, 0xbf800000, NX)  /* minsub*minsub - 1 */
    T_S3(4, fmadd.s, rne, 0x00800000, 0x00800000, 0x7f7fffff, 0x7f7fffff, NX)  /* minn*minn + MAX */
    T_S3(5, fmadd.s, rtz, 0x00000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* minsub*minsub + 1 */
    T_S3(6, fmadd.s, rtz, 0x80000001, 0x00000001, 0x3f800000, 0x3f7fffff, NX)  /* -minsub*minsub + 1 */
    T_S3(7, fmadd.s, rtz, 0x00000001, 0x00000001, 0xbf800000, 0xbf7fffff, NX)  /* minsub*minsub - 1 */
    T_S3(8, fmadd.s, rtz, 0x00800000, 0x00800000, 0x7f7fffff, 0x7f7fffff, NX)  /* minn*minn + MAX */
    T_S3(9, fmadd.s, rdn, 0x00000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* minsub*minsub + 1 */
    T_S3(10, fmadd.s, rdn, 0x80000001, 0x00000001, 0x3f800000, 0x3f7fffff, NX)  /* -minsub*minsub + 1 */
    T_S3(11, fmadd.s, rdn, 0x00000001, 0x00000001, 0xbf800000, 0xbf800000, NX)  /* minsub*minsub - 1 */
    T_S3(12, fmadd.s, rdn, 0x00800000, 0x00800000, 0x7f7fffff, 0x7f7fffff, NX)  /* minn*minn + MAX */
    T_S3(13, fmadd.s, rup, 0x00000001, 0x00000001, 0x3f800000, 0x3f800001, NX)  /* minsub*minsub + 1 */
    T_S3(14, fmadd.s, rup, 0x80000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* -minsub*minsub + 1 */
    T_S3(15, fmadd.s, rup, 0x00000001, 0x00000001, 0xbf800000, 0xbf7fffff, NX)  /* minsub*minsub - 1 */
    T_S3(16, fmadd.s, rup, 0x00800000, 0x00800000, 0x7f7fffff, 0x7f800000, OF|NX)  /* minn*minn + MAX */
    T_S3(17, fmadd.s, rmm, 0x00000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* minsub*minsub + 1 */
    T_S3(18, fmadd.s, rmm, 0x80000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* -minsub*minsub + 1 */
    T_S3(19, fmadd.s, rmm, 0x00000001, 0x00000001, 0xbf800000, 0xbf800000, NX)  /* minsub*minsub - 1 */
    T_S3(20, fmadd.s, rmm, 0x00800000, 0x00800000, 0x7f7fffff, 0x7f7fffff, NX)  /* minn*minn + MAX */

    /* fmadd: results that a non-fused multiply-then-add gets wrong (product rounding) */
    T_S3(21, fmadd.s, rdn, 0xbede1c6b, 0x40ad5585, 0x40166365, 0xb508d2a6, NX)  /* differs from mul-then-add */
    T_S3(22, fmadd.s, rne, 0xbfacba9c, 0xbe35522f, 0xbe74aec5, 0x33241d52, 0)  /* differs from mul-then-add */
    T_S3(23, fmadd.s, rtz, 0xc0a9defb, 0x3eaa5883, 0x3fe2119c, 0xb382c4e2, 0)  /* differs from mul-then-add */
    T_S3(24, fmadd.s, rmm, 0xc035e4f0, 0xc10e5727, 0xc1ca45d1, 0x3691b848, 0)  /* differs from mul-then-add */
    T_S3(25, fmadd.s, rne, 0x401e37e0, 0xc13b6d01, 0x41e7ac5e, 0xb4097e00, 0)  /* differs from mul-then-add */
    T_S3(26, fmadd.s, rtz, 0xbf6b12e0, 0xbf92194d, 0xbf8627fd, 0x34932358, 0)  /* differs from mul-then-add */
    T_S3(27, fmadd.s, rdn, 0xbf5ab108, 0xbf5b3b85, 0xbf3b484a, 0x3285a250, 0)  /* differs from mul-then-add */
    T_S3(28, fmadd.s, rtz, 0xbf891189, 0x3ea6b85d, 0x3eb28828, 0xb39deb62, NX)  /* differs from mul-then-add */
    T_S3(29, fmadd.s, rdn, 0x40c37f07, 0x40bf6358, 0xc21227a3, 0x360c5f68, 0)  /* differs from mul-then-add */
    T_S3(30, fmadd.s, rup, 0x4141f44d, 0xbf9c9306, 0x416d4086, 0x35001e64, 0)  /* differs from mul-then-add */
    T_S3(31, fmadd.s, rne, 0xbe900f83, 0xbe6a2e88, 0xbd83c85f, 0xb2781c34, 0)  /* differs from mul-then-add */
    T_S3(32, fmadd.s, rtz, 0xc04087aa, 0x3e1e3d82, 0x3eee03f9, 0xb3046654, 0)  /* differs from mul-then-add */
    T_S3(33, fmadd.s, rdn, 0x408b1be0, 0x3ecf13a5, 0xbfe10c6e, 0xb315a280, 0)  /* differs from mul-then-add */
    T_S3(34, fmadd.s, rup, 0xc07f4fd3, 0xc050d558, 0xc15045a0, 0x351dff88, 0)  /* differs from mul-then-add */
    T_S3(35, fmadd.s, rmm, 0xc059626c, 0x3e800f37, 0x3f597c42, 0xb370f268, 0)  /* differs from mul-then-add */

    /* fmadd: results within a few units of the 2p-th bit of a rounding tie (single rounding vs. rounding twice) */
    T_S3(36, fmadd.s, rne, 0x3f800001, 0x337ffffe, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=1 k=1 */
    T_S3(37, fmadd.s, rmm, 0x3f800001, 0x337ffffe, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=1 k=1 */
    T_S3(38, fmadd.s, rtz, 0x3f800001, 0x337ffffe, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=1 k=1 */
    T_S3(39, fmadd.s, rdn, 0x3f800001, 0x337ffffe, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=1 k=1 */
    T_S3(40, fmadd.s, rup, 0x3f800001, 0x337ffffe, 0x3f800001, 0x3f800002, NX)  /* below a tie: i=1 k=1 */
    T_S3(41, fmadd.s, rne, 0xbf800001, 0x337ffffe, 0x3f800001, 0x3f800001, NX)  /* above a tie: i=1 k=1 */
    T_S3(42, fmadd.s, rmm, 0xbf800001, 0x337ffffe, 0x3f800001, 0x3f800001, NX)  /* above a tie: i=1 k=1 */
    T_S3(43, fmadd.s, rtz, 0xbf800001, 0x337ffffe, 0x3f800001, 0x3f800000, NX)  /* above a tie: i=1 k=1 */
    T_S3(44, fmadd.s, rdn, 0xbf800001, 0x337ffffe, 0x3f800001, 0x3f800000, NX)  /* above a tie: i=1 k=1 */
    T_S3(45, fmadd.s, rup, 0xbf800001, 0x337ffffe, 0x3f800001, 0x3f800001, NX)  /* above a tie: i=1 k=1 */
    T_S3(46, fmadd.s, rne, 0xbf800001, 0x34fffffe, 0xc1000005, 0xc1000005, NX)  /* below a tie: i=1 k=5 */
    T_S3(47, fmadd.s, rmm, 0xbf800001, 0x34fffffe, 0xc1000005, 0xc1000005, NX)  /* below a tie: i=1 k=5 */
    T_S3(48, fmadd.s, rne, 0x3f800001, 0x34fffffe, 0xc1000005, 0xc1000005, NX)  /* above a tie: i=1 k=5 */
    T_S3(49, fmadd.s, rmm, 0x3f800001, 0x34fffffe, 0xc1000005, 0xc1000005, NX)  /* above a tie: i=1 k=5 */
    T_S3(50, fmadd.s, rne, 0x3f800001, 0x327ffffe, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=1 k=2 */
    T_S3(51, fmadd.s, rmm, 0x3f800001, 0x327ffffe, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=1 k=2 */
    T_S3(52, fmadd.s, rtz, 0x3f800001, 0x327ffffe, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=1 k=2 */
    T_S3(53, fmadd.s, rdn, 0x3f800001, 0x327ffffe, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=1 k=2 */
    T_S3(54, fmadd.s, rup, 0x3f800001, 0x327ffffe, 0x3e800002, 0x3e800003, NX)  /* below a tie: i=1 k=2 */
    T_S3(55, fmadd.s, rne, 0xbf800001, 0x327ffffe, 0x3e800002, 0x3e800002, NX)  /* above a tie: i=1 k=2 */
    T_S3(56, fmadd.s, rmm, 0xbf800001, 0x327ffffe, 0x3e800002, 0x3e800002, NX)  /* above a tie: i=1 k=2 */
    T_S3(57, fmadd.s, rtz, 0xbf800001, 0x327ffffe, 0x3e800002, 0x3e800001, NX)  /* above a tie: i=1 k=2 */
    T_S3(58, fmadd.s, rdn, 0xbf800001, 0x327ffffe, 0x3e800002, 0x3e800001, NX)  /* above a tie: i=1 k=2 */
    T_S3(59, fmadd.s, rup, 0xbf800001, 0x327ffffe, 0x3e800002, 0x3e800002, NX)  /* above a tie: i=1 k=2 */
    T_S3(60, fmadd.s, rne, 0x3f800003, 0x337ffffa, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=3 k=1 */
    T_S3(61, fmadd.s, rmm, 0x3f800003, 0x337ffffa, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=3 k=1 */
    T_S3(62, fmadd.s, rtz, 0x3f800003, 0x337ffffa, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=3 k=1 */
    T_S3(63, fmadd.s, rdn, 0x3f800003, 0x337ffffa, 0x3f800001, 0x3f800001, NX)  /* below a tie: i=3 k=1 */
    T_S3(64, fmadd.s, rup, 0x3f800003, 0x337ffffa, 0x3f800001, 0x3f800002, NX)  /* below a tie: i=3 k=1 */
    T_S3(65, fmadd.s, rne, 0xbf800003, 0x337ffffa, 0x3f800001, 0x3f800001, NX)  /* above a tie: i=3 k=1 */
    T_S3(66, fmadd.s, rmm, 0xbf800003, 0x337ffffa, 0x3f800001, 0x3f800001, NX)  /* above a tie: i=3 k=1 */
    T_S3(67, fmadd.s, rtz, 0xbf800003, 0x337ffffa, 0x3f800001, 0x3f800000, NX)  /* above a tie: i=3 k=1 */
    T_S3(68, fmadd.s, rdn, 0xbf800003, 0x337ffffa, 0x3f800001, 0x3f800000, NX)  /* above a tie: i=3 k=1 */
    T_S3(69, fmadd.s, rup, 0xbf800003, 0x337ffffa, 0x3f800001, 0x3f800001, NX)  /* above a tie: i=3 k=1 */
    T_S3(70, fmadd.s, rne, 0xbf800003, 0x34fffffa, 0xc1000005, 0xc1000005, NX)  /* below a tie: i=3 k=5 */
    T_S3(71, fmadd.s, rmm, 0xbf800003, 0x34fffffa, 0xc1000005, 0xc1000005, NX)  /* below a tie: i=3 k=5 */
    T_S3(72, fmadd.s, rne, 0x3f800003, 0x34fffffa, 0xc1000005, 0xc1000005, NX)  /* above a tie: i=3 k=5 */
    T_S3(73, fmadd.s, rmm, 0x3f800003, 0x34fffffa, 0xc1000005, 0xc1000005, NX)  /* above a tie: i=3 k=5 */
    T_S3(74, fmadd.s, rne, 0x3f800003, 0x327ffffa, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=3 k=2 */
    T_S3(75, fmadd.s, rmm, 0x3f800003, 0x327ffffa, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=3 k=2 */
    T_S3(76, fmadd.s, rtz, 0x3f800003, 0x327ffffa, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=3 k=2 */
    T_S3(77, fmadd.s, rdn, 0x3f800003, 0x327ffffa, 0x3e800002, 0x3e800002, NX)  /* below a tie: i=3 k=2 */
    T_S3(78, fmadd.s, rup, 0x3f800003, 0x327ffffa, 0x3e800002, 0x3e800003, NX)  /* below a tie: i=3 k=2 */
    T_S3(79, fmadd.s, rne, 0xbf800003, 0x327ffffa, 0x3e800002, 0x3e800002, NX)  /* above a tie: i=3 k=2 */
    T_S3(80, fmadd.s, rmm, 0xbf800003, 0x327ffffa, 0x3e800002, 0x3e800002, NX)  /* above a tie: i=3 k=2 */
    T_S3(81, fmadd.s, rtz, 0xbf800003, 0x327ffffa, 0x3e800002, 0x3e800001, NX)  /* above a tie: i=3 k=2 */
    T_S3(82, fmadd.s, rdn, 0xbf800003, 0x327ffffa, 0x3e800002, 0x3e800001, NX)  /* above a tie: i=3 k=2 */
    T_S3(83, fmadd.s, rup, 0xbf800003, 0x327ffffa, 0x3e800002, 0x3e800002, NX)  /* above a tie: i=3 k=2 */

    /* fnmsub / fmsub / fnmadd with a tiny product: direction of the sticky bit */
    T_S3(84, fnmsub.s, rne, 0x00000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* -(minsub*minsub) + 1 */
    T_S3(85, fmsub.s, rne, 0x00000001, 0x00000001, 0x3f800000, 0xbf800000, NX)  /* minsub*minsub - 1 */
    T_S3(86, fnmadd.s, rne, 0x00000001, 0x00000001, 0xbf800000, 0x3f800000, NX)  /* -(minsub*minsub) + 1 */
    T_S3(87, fnmsub.s, rtz, 0x00000001, 0x00000001, 0x3f800000, 0x3f7fffff, NX)  /* -(minsub*minsub) + 1 */
    T_S3(88, fmsub.s, rtz, 0x00000001, 0x00000001, 0x3f800000, 0xbf7fffff, NX)  /* minsub*minsub - 1 */
    T_S3(89, fnmadd.s, rtz, 0x00000001, 0x00000001, 0xbf800000, 0x3f7fffff, NX)  /* -(minsub*minsub) + 1 */
    T_S3(90, fnmsub.s, rdn, 0x00000001, 0x00000001, 0x3f800000, 0x3f7fffff, NX)  /* -(minsub*minsub) + 1 */
    T_S3(91, fmsub.s, rdn, 0x00000001, 0x00000001, 0x3f800000, 0xbf800000, NX)  /* minsub*minsub - 1 */
    T_S3(92, fnmadd.s, rdn, 0x00000001, 0x00000001, 0xbf800000, 0x3f7fffff, NX)  /* -(minsub*minsub) + 1 */
    T_S3(93, fnmsub.s, rup, 0x00000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* -(minsub*minsub) + 1 */
    T_S3(94, fmsub.s, rup, 0x00000001, 0x00000001, 0x3f800000, 0xbf7fffff, NX)  /* minsub*minsub - 1 */
    T_S3(95, fnmadd.s, rup, 0x00000001, 0x00000001, 0xbf800000, 0x3f800000, NX)  /* -(minsub*minsub) + 1 */
    T_S3(96, fnmsub.s, rmm, 0x00000001, 0x00000001, 0x3f800000, 0x3f800000, NX)  /* -(minsub*minsub) + 1 */
    T_S3(97, fmsub.s, rmm, 0x00000001, 0x00000001, 0x3f800000, 0xbf800000, NX)  /* minsub*minsub - 1 */
    T_S3(98, fnmadd.s, rmm, 0x00000001, 0x00000001, 0xbf800000, 0x3f800000, NX)  /* -(minsub*minsub) + 1 */

    /* fadd / fsub: far-apart operands (sticky bit), exact and inexact large sums */
    T_S2(99, fadd.s, rne, 0x3f800000, 0x00000001, 0x3f800000, NX)  /* 1 + minsub */
    T_S2(100, fadd.s, rne, 0xbf800000, 0x00000001, 0xbf800000, NX)  /* -1 + minsub */
    T_S2(101, fsub.s, rne, 0x3f800000, 0x00000001, 0x3f800000, NX)  /* 1 - minsub */
    T_S2(102, fadd.s, rne, 0x7f7fffff, 0x00000001, 0x7f7fffff, NX)  /* MAX + minsub */
    T_S2(103, fadd.s, rne, 0x4b800000, 0x3f800000, 0x4b800000, NX)  /* 2^(p) + 1 (tie) */
    T_S2(104, fadd.s, rne, 0x4b800000, 0x40400000, 0x4b800002, NX)  /* 2^(p) + 3 (tie) */
    T_S2(105, fadd.s, rne, 0x4b000000, 0x3f800000, 0x4b000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_S2(106, fadd.s, rtz, 0x3f800000, 0x00000001, 0x3f800000, NX)  /* 1 + minsub */
    T_S2(107, fadd.s, rtz, 0xbf800000, 0x00000001, 0xbf7fffff, NX)  /* -1 + minsub */
    T_S2(108, fsub.s, rtz, 0x3f800000, 0x00000001, 0x3f7fffff, NX)  /* 1 - minsub */
    T_S2(109, fadd.s, rtz, 0x7f7fffff, 0x00000001, 0x7f7fffff, NX)  /* MAX + minsub */
    T_S2(110, fadd.s, rtz, 0x4b800000, 0x3f800000, 0x4b800000, NX)  /* 2^(p) + 1 (tie) */
    T_S2(111, fadd.s, rtz, 0x4b800000, 0x40400000, 0x4b800001, NX)  /* 2^(p) + 3 (tie) */
    T_S2(112, fadd.s, rtz, 0x4b000000, 0x3f800000, 0x4b000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_S2(113, fadd.s, rdn, 0x3f800000, 0x00000001, 0x3f800000, NX)  /* 1 + minsub */
    T_S2(114, fadd.s, rdn, 0xbf800000, 0x00000001, 0xbf800000, NX)  /* -1 + minsub */
    T_S2(115, fsub.s, rdn, 0x3f800000, 0x00000001, 0x3f7fffff, NX)  /* 1 - minsub */
    T_S2(116, fadd.s, rdn, 0x7f7fffff, 0x00000001, 0x7f7fffff, NX)  /* MAX + minsub */
    T_S2(117, fadd.s, rdn, 0x4b800000, 0x3f800000, 0x4b800000, NX)  /* 2^(p) + 1 (tie) */
    T_S2(118, fadd.s, rdn, 0x4b800000, 0x40400000, 0x4b800001, NX)  /* 2^(p) + 3 (tie) */
    T_S2(119, fadd.s, rdn, 0x4b000000, 0x3f800000, 0x4b000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_S2(120, fadd.s, rup, 0x3f800000, 0x00000001, 0x3f800001, NX)  /* 1 + minsub */
    T_S2(121, fadd.s, rup, 0xbf800000, 0x00000001, 0xbf7fffff, NX)  /* -1 + minsub */
    T_S2(122, fsub.s, rup, 0x3f800000, 0x00000001, 0x3f800000, NX)  /* 1 - minsub */
    T_S2(123, fadd.s, rup, 0x7f7fffff, 0x00000001, 0x7f800000, OF|NX)  /* MAX + minsub */
    T_S2(124, fadd.s, rup, 0x4b800000, 0x3f800000, 0x4b800001, NX)  /* 2^(p) + 1 (tie) */
    T_S2(125, fadd.s, rup, 0x4b800000, 0x40400000, 0x4b800002, NX)  /* 2^(p) + 3 (tie) */
    T_S2(126, fadd.s, rup, 0x4b000000, 0x3f800000, 0x4b000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_S2(127, fadd.s, rmm, 0x3f800000, 0x00000001, 0x3f800000, NX)  /* 1 + minsub */
    T_S2(128, fadd.s, rmm, 0xbf800000, 0x00000001, 0xbf800000, NX)  /* -1 + minsub */
    T_S2(129, fsub.s, rmm, 0x3f800000, 0x00000001, 0x3f800000, NX)  /* 1 - minsub */
    T_S2(130, fadd.s, rmm, 0x7f7fffff, 0x00000001, 0x7f7fffff, NX)  /* MAX + minsub */
    T_S2(131, fadd.s, rmm, 0x4b800000, 0x3f800000, 0x4b800001, NX)  /* 2^(p) + 1 (tie) */
    T_S2(132, fadd.s, rmm, 0x4b800000, 0x40400000, 0x4b800002, NX)  /* 2^(p) + 3 (tie) */
    T_S2(133, fadd.s, rmm, 0x4b000000, 0x3f800000, 0x4b000001, 0)  /* 2^(p-1) + 1 (exact) */

    /* fmul: products needing the full double-width significand */
    T_S2(134, fmul.s, rne, 0x3f800001, 0x3f800001, 0x3f800002, NX)  /* (1+u)^2 */
    T_S2(135, fmul.s, rne, 0x3f7fffff, 0x3f7fffff, 0x3f7ffffe, NX)  /* (1-u/2)^2 */
    T_S2(136, fmul.s, rne, 0x3f800001, 0xbf800001, 0xbf800002, NX)  /* -(1+u)^2 */
    T_S2(137, fmul.s, rne, 0x3fffffff, 0x3fffffff, 0x407ffffe, NX)  /* (2-u)^2 */
    T_S2(138, fmul.s, rne, 0x007fffff, 0x3f800001, 0x00800000, NX)  /* maxsub * (1+u) */
    T_S2(139, fmul.s, rtz, 0x3f800001, 0x3f800001, 0x3f800002, NX)  /* (1+u)^2 */
    T_S2(140, fmul.s, rtz, 0x3f7fffff, 0x3f7fffff, 0x3f7ffffe, NX)  /* (1-u/2)^2 */
    T_S2(141, fmul.s, rtz, 0x3f800001, 0xbf800001, 0xbf800002, NX)  /* -(1+u)^2 */
    T_S2(142, fmul.s, rtz, 0x3fffffff, 0x3fffffff, 0x407ffffe, NX)  /* (2-u)^2 */
    T_S2(143, fmul.s, rtz, 0x007fffff, 0x3f800001, 0x007fffff, UF|NX)  /* maxsub * (1+u) */
    T_S2(144, fmul.s, rdn, 0x3f800001, 0x3f800001, 0x3f800002, NX)  /* (1+u)^2 */
    T_S2(145, fmul.s, rdn, 0x3f7fffff, 0x3f7fffff, 0x3f7ffffe, NX)  /* (1-u/2)^2 */
    T_S2(146, fmul.s, rdn, 0x3f800001, 0xbf800001, 0xbf800003, NX)  /* -(1+u)^2 */
    T_S2(147, fmul.s, rdn, 0x3fffffff, 0x3fffffff, 0x407ffffe, NX)  /* (2-u)^2 */
    T_S2(148, fmul.s, rdn, 0x007fffff, 0x3f800001, 0x007fffff, UF|NX)  /* maxsub * (1+u) */
    T_S2(149, fmul.s, rup, 0x3f800001, 0x3f800001, 0x3f800003, NX)  /* (1+u)^2 */
    T_S2(150, fmul.s, rup, 0x3f7fffff, 0x3f7fffff, 0x3f7fffff, NX)  /* (1-u/2)^2 */
    T_S2(151, fmul.s, rup, 0x3f800001, 0xbf800001, 0xbf800002, NX)  /* -(1+u)^2 */
    T_S2(152, fmul.s, rup, 0x3fffffff, 0x3fffffff, 0x407fffff, NX)  /* (2-u)^2 */
    T_S2(153, fmul.s, rup, 0x007fffff, 0x3f800001, 0x00800000, NX)  /* maxsub * (1+u) */
    T_S2(154, fmul.s, rmm, 0x3f800001, 0x3f800001, 0x3f800002, NX)  /* (1+u)^2 */
    T_S2(155, fmul.s, rmm, 0x3f7fffff, 0x3f7fffff, 0x3f7ffffe, NX)  /* (1-u/2)^2 */
    T_S2(156, fmul.s, rmm, 0x3f800001, 0xbf800001, 0xbf800002, NX)  /* -(1+u)^2 */
    T_S2(157, fmul.s, rmm, 0x3fffffff, 0x3fffffff, 0x407ffffe, NX)  /* (2-u)^2 */
    T_S2(158, fmul.s, rmm, 0x007fffff, 0x3f800001, 0x00800000, NX)  /* maxsub * (1+u) */

    /* fdiv: directed rounding, results near 1, exact quotients */
    T_S2(159, fdiv.s, rne, 0x3f800001, 0x3f800002, 0x3f7ffffe, NX)  /* (1+u)/(1+2u) */
    T_S2(160, fdiv.s, rne, 0x3f800000, 0x41200000, 0x3dcccccd, NX)  /* 1/10 */
    T_S2(161, fdiv.s, rne, 0xc0000000, 0x40400000, 0xbf2aaaab, NX)  /* -2/3 */
    T_S2(162, fdiv.s, rne, 0x7f7fffff, 0x7f7ffffe, 0x3f800001, NX)  /* MAX/(MAX-ulp) */
    T_S2(163, fdiv.s, rne, 0x00000001, 0x40400000, 0x00000000, UF|NX)  /* minsub/3 */
    T_S2(164, fdiv.s, rtz, 0x3f800001, 0x3f800002, 0x3f7ffffe, NX)  /* (1+u)/(1+2u) */
    T_S2(165, fdiv.s, rtz, 0x3f800000, 0x41200000, 0x3dcccccc, NX)  /* 1/10 */
    T_S2(166, fdiv.s, rtz, 0xc0000000, 0x40400000, 0xbf2aaaaa, NX)  /* -2/3 */
    T_S2(167, fdiv.s, rtz, 0x7f7fffff, 0x7f7ffffe, 0x3f800000, NX)  /* MAX/(MAX-ulp) */
    T_S2(168, fdiv.s, rtz, 0x00000001, 0x40400000, 0x00000000, UF|NX)  /* minsub/3 */
    T_S2(169, fdiv.s, rdn, 0x3f800001, 0x3f800002, 0x3f7ffffe, NX)  /* (1+u)/(1+2u) */
    T_S2(170, fdiv.s, rdn, 0x3f800000, 0x41200000, 0x3dcccccc, NX)  /* 1/10 */
    T_S2(171, fdiv.s, rdn, 0xc0000000, 0x40400000, 0xbf2aaaab, NX)  /* -2/3 */
    T_S2(172, fdiv.s, rdn, 0x7f7fffff, 0x7f7ffffe, 0x3f800000, NX)  /* MAX/(MAX-ulp) */
    T_S2(173, fdiv.s, rdn, 0x00000001, 0x40400000, 0x00000000, UF|NX)  /* minsub/3 */
    T_S2(174, fdiv.s, rup, 0x3f800001, 0x3f800002, 0x3f7fffff, NX)  /* (1+u)/(1+2u) */
    T_S2(175, fdiv.s, rup, 0x3f800000, 0x41200000, 0x3dcccccd, NX)  /* 1/10 */
    T_S2(176, fdiv.s, rup, 0xc0000000, 0x40400000, 0xbf2aaaaa, NX)  /* -2/3 */
    T_S2(177, fdiv.s, rup, 0x7f7fffff, 0x7f7ffffe, 0x3f800001, NX)  /* MAX/(MAX-ulp) */
    T_S2(178, fdiv.s, rup, 0x00000001, 0x40400000, 0x00000001, UF|NX)  /* minsub/3 */
    T_S2(179, fdiv.s, rmm, 0x3f800001, 0x3f800002, 0x3f7ffffe, NX)  /* (1+u)/(1+2u) */
    T_S2(180, fdiv.s, rmm, 0x3f800000, 0x41200000, 0x3dcccccd, NX)  /* 1/10 */
    T_S2(181, fdiv.s, rmm, 0xc0000000, 0x40400000, 0xbf2aaaab, NX)  /* -2/3 */
    T_S2(182, fdiv.s, rmm, 0x7f7fffff, 0x7f7ffffe, 0x3f800001, NX)  /* MAX/(MAX-ulp) */
    T_S2(183, fdiv.s, rmm, 0x00000001, 0x40400000, 0x00000000, UF|NX)  /* minsub/3 */

    /* fsqrt: directed rounding just above and below 1, exact roots */
    T_S1(184, fsqrt.s, rne, 0x3f800001, 0x3f800000, NX)  /* sqrt(1+u) */
    T_S1(185, fsqrt.s, rne, 0x3f7fffff, 0x3f7fffff, NX)  /* sqrt(1-u/2) */
    T_S1(186, fsqrt.s, rne, 0x80000000, 0x80000000, 0)  /* sqrt(-0) */
    T_S1(187, fsqrt.s, rtz, 0x3f800001, 0x3f800000, NX)  /* sqrt(1+u) */
    T_S1(188, fsqrt.s, rtz, 0x3f7fffff, 0x3f7fffff, NX)  /* sqrt(1-u/2) */
    T_S1(189, fsqrt.s, rtz, 0x80000000, 0x80000000, 0)  /* sqrt(-0) */
    T_S1(190, fsqrt.s, rdn, 0x3f800001, 0x3f800000, NX)  /* sqrt(1+u) */
    T_S1(191, fsqrt.s, rdn, 0x3f7fffff, 0x3f7fffff, NX)  /* sqrt(1-u/2) */
    T_S1(192, fsqrt.s, rdn, 0x80000000, 0x80000000, 0)  /* sqrt(-0) */
    T_S1(193, fsqrt.s, rup, 0x3f800001, 0x3f800001, NX)  /* sqrt(1+u) */
    T_S1(194, fsqrt.s, rup, 0x3f7fffff, 0x3f800000, NX)  /* sqrt(1-u/2) */
    T_S1(195, fsqrt.s, rup, 0x80000000, 0x80000000, 0)  /* sqrt(-0) */
    T_S1(196, fsqrt.s, rmm, 0x3f800001, 0x3f800000, NX)  /* sqrt(1+u) */
    T_S1(197, fsqrt.s, rmm, 0x3f7fffff, 0x3f7fffff, NX)  /* sqrt(1-u/2) */
    T_S1(198, fsqrt.s, rmm, 0x80000000, 0x80000000, 0)  /* sqrt(-0) */
    T_S1(199, fsqrt.s, rne, 0x00000001, 0x1a3504f3, NX)  /* sqrt(minsub) */
    T_S1(200, fsqrt.s, rup, 0x40100000, 0x3fc00000, 0)  /* sqrt(2.25) exact */
    T_S1(201, fsqrt.s, rdn, 0x7e800000, 0x5f000000, 0)  /* sqrt(2^(emax-1)) */

ISA_PASS
