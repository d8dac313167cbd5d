/* fp_hard_d.S - double-precision cases that are easy to get wrong when the
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
    T_D3(1, fmadd.d, rne, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* minsub*minsub + 1 */
    T_D3(2, fmadd.d, rne, 0x8000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* -minsub*minsub + 1 */
    T_D3(3, fmadd.d, rne, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0xbff0000000000000, NX)  /* minsub*minsub - 1 */
    T_D3(4, fmadd.d, rne, 0x0010000000000000, 0x0010000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff, NX)  /* minn*minn + MAX */
    T_D3(5, fmadd.d, rtz, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* minsub*minsub + 1 */
    T_D3(6, fmadd.d, rtz, 0x8000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3fefffffffffffff, NX)  /* -minsub*minsub + 1 */
    T_D3(7, fmadd.d, rtz, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0xbfefffffffffffff, NX)  /* minsub*minsub - 1 */
    T_D3(8, fmadd.d, rtz, 0x0010000000000000, 0x0010000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff, NX)  /* minn*minn + MAX */
    T_D3(9, fmadd.d, rdn, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* minsub*minsub + 1 */
    T_D3(10, fmadd.d, rdn, 0x8000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3fefffffffffffff, NX)  /* -minsub*minsub + 1 */
    T_D3(11, fmadd.d, rdn, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0xbff0000000000000, NX)  /* minsub*minsub - 1 */
    T_D3(12, fmadd.d, rdn, 0x0010000000000000, 0x0010000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff, NX)  /* minn*minn + MAX */
    T_D3(13, fmadd.d, rup, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000001, NX)  /* minsub*minsub + 1 */
    T_D3(14, fmadd.d, rup, 0x8000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* -minsub*minsub + 1 */
    T_D3(15, fmadd.d, rup, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0xbfefffffffffffff, NX)  /* minsub*minsub - 1 */
    T_D3(16, fmadd.d, rup, 0x0010000000000000, 0x0010000000000000, 0x7fefffffffffffff, 0x7ff0000000000000, OF|NX)  /* minn*minn + MAX */
    T_D3(17, fmadd.d, rmm, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* minsub*minsub + 1 */
    T_D3(18, fmadd.d, rmm, 0x8000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* -minsub*minsub + 1 */
    T_D3(19, fmadd.d, rmm, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0xbff0000000000000, NX)  /* minsub*minsub - 1 */
    T_D3(20, fmadd.d, rmm, 0x0010000000000000, 0x0010000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff, NX)  /* minn*minn + MAX */

    /* fmadd: results that a non-fused multiply-then-add gets wrong (product rounding) */
    T_D3(21, fmadd.d, rtz, 0x4029dd8907489671, 0x3ff522c46102dd70, 0xc031157c09b084ab, 0xbcf40456943e50c8, 0)  /* differs from mul-then-add */
    T_D3(22, fmadd.d, rmm, 0x3fc51a7e01090aee, 0xbfe844922b1141d6, 0x3fc0011731cedaf3, 0x3c77d23c22dc6f0c, 0)  /* differs from mul-then-add */
    T_D3(23, fmadd.d, rne, 0x400bcfdc522162b3, 0x3ff2af20c958a792, 0xc0103d2129eeed5d, 0x3ce21aa4c5bd43c6, NX)  /* differs from mul-then-add */
    T_D3(24, fmadd.d, rtz, 0x3ffcf3c31428dfad, 0xbfed84aeb93ba169, 0x3ffab4f464042433, 0xbc962aad169d15ea, 0)  /* differs from mul-then-add */
    T_D3(25, fmadd.d, rup, 0x4017e9743a941f7a, 0x3ff9edf91ac85512, 0xc0236035f7295a8a, 0xbce64fe5dbe923b6, 0)  /* differs from mul-then-add */
    T_D3(26, fmadd.d, rtz, 0xbfe7c86e6d924e06, 0xc01ecde2379cf45f, 0xc016e4ebab0824c8, 0x3cb30941e2a15874, 0)  /* differs from mul-then-add */
    T_D3(27, fmadd.d, rdn, 0xbfd6c1d0d49aa335, 0xc02fc3eb802ae68b, 0xc0169716d900bb66, 0xbc9607cad5ae21c8, 0)  /* differs from mul-then-add */
    T_D3(28, fmadd.d, rup, 0x3ff7c06edd343334, 0xc019cb47f4c65508, 0x40232538c4c08912, 0xbce00cc1346ceed0, 0)  /* differs from mul-then-add */
    T_D3(29, fmadd.d, rmm, 0x4018bdc78839b1b2, 0xbfedcb9626d82cba, 0x40170964d4dc4623, 0x3ce50310b056932b, 0)  /* differs from mul-then-add */
    T_D3(30, fmadd.d, rne, 0x4027715383fe5ef3, 0x3fd392763527107d, 0xc00cad2a787b1063, 0xbcd62946f06bb9ac, NX)  /* differs from mul-then-add */
    T_D3(31, fmadd.d, rtz, 0x3fc63b43e5ea20e9, 0xc02e1a96f1526a9f, 0x4004ea08ac2c2c19, 0xbccf766f50d6755b, NX)  /* differs from mul-then-add */
    T_D3(32, fmadd.d, rup, 0x3ffdf8bb2a2b5f67, 0x400248a7f2d9cc0d, 0xc0111ff63a5d1095, 0xbc9a2e007bb89e28, 0)  /* differs from mul-then-add */
    T_D3(33, fmadd.d, rne, 0x3fd4cc78af258e06, 0x4012d457bc951b69, 0xbff87a0f110f878c, 0x3c82c956eeff13b0, 0)  /* differs from mul-then-add */
    T_D3(34, fmadd.d, rtz, 0xbffb730e23d44588, 0x3ffeebf312f6ba9b, 0x400a8642b365dca4, 0xbcb4228e4cbae958, 0)  /* differs from mul-then-add */
    T_D3(35, fmadd.d, rdn, 0x40123f2039eb81cd, 0xbfc0163ce074d24c, 0x3fe2587c72ecfb78, 0xbcb2c3b549a4596e, 0)  /* differs from mul-then-add */

    /* fmadd: results within a few units of the 2p-th bit of a rounding tie (single rounding vs. rounding twice) */
    T_D3(36, fmadd.d, rne, 0x3ff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=1 k=1 */
    T_D3(37, fmadd.d, rmm, 0x3ff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=1 k=1 */
    T_D3(38, fmadd.d, rtz, 0x3ff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=1 k=1 */
    T_D3(39, fmadd.d, rdn, 0x3ff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=1 k=1 */
    T_D3(40, fmadd.d, rup, 0x3ff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000002, NX)  /* below a tie: i=1 k=1 */
    T_D3(41, fmadd.d, rne, 0xbff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* above a tie: i=1 k=1 */
    T_D3(42, fmadd.d, rmm, 0xbff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* above a tie: i=1 k=1 */
    T_D3(43, fmadd.d, rtz, 0xbff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* above a tie: i=1 k=1 */
    T_D3(44, fmadd.d, rdn, 0xbff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* above a tie: i=1 k=1 */
    T_D3(45, fmadd.d, rup, 0xbff0000000000001, 0x3c9ffffffffffffe, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* above a tie: i=1 k=1 */
    T_D3(46, fmadd.d, rne, 0xbff0000000000001, 0x3ccffffffffffffe, 0xc020000000000005, 0xc020000000000005, NX)  /* below a tie: i=1 k=5 */
    T_D3(47, fmadd.d, rmm, 0xbff0000000000001, 0x3ccffffffffffffe, 0xc020000000000005, 0xc020000000000005, NX)  /* below a tie: i=1 k=5 */
    T_D3(48, fmadd.d, rne, 0x3ff0000000000001, 0x3ccffffffffffffe, 0xc020000000000005, 0xc020000000000005, NX)  /* above a tie: i=1 k=5 */
    T_D3(49, fmadd.d, rmm, 0x3ff0000000000001, 0x3ccffffffffffffe, 0xc020000000000005, 0xc020000000000005, NX)  /* above a tie: i=1 k=5 */
    T_D3(50, fmadd.d, rne, 0x3ff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=1 k=2 */
    T_D3(51, fmadd.d, rmm, 0x3ff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=1 k=2 */
    T_D3(52, fmadd.d, rtz, 0x3ff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=1 k=2 */
    T_D3(53, fmadd.d, rdn, 0x3ff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=1 k=2 */
    T_D3(54, fmadd.d, rup, 0x3ff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000003, NX)  /* below a tie: i=1 k=2 */
    T_D3(55, fmadd.d, rne, 0xbff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* above a tie: i=1 k=2 */
    T_D3(56, fmadd.d, rmm, 0xbff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* above a tie: i=1 k=2 */
    T_D3(57, fmadd.d, rtz, 0xbff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000001, NX)  /* above a tie: i=1 k=2 */
    T_D3(58, fmadd.d, rdn, 0xbff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000001, NX)  /* above a tie: i=1 k=2 */
    T_D3(59, fmadd.d, rup, 0xbff0000000000001, 0x3c7ffffffffffffe, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* above a tie: i=1 k=2 */
    T_D3(60, fmadd.d, rne, 0x3ff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=3 k=1 */
    T_D3(61, fmadd.d, rmm, 0x3ff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=3 k=1 */
    T_D3(62, fmadd.d, rtz, 0x3ff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=3 k=1 */
    T_D3(63, fmadd.d, rdn, 0x3ff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* below a tie: i=3 k=1 */
    T_D3(64, fmadd.d, rup, 0x3ff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000002, NX)  /* below a tie: i=3 k=1 */
    T_D3(65, fmadd.d, rne, 0xbff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* above a tie: i=3 k=1 */
    T_D3(66, fmadd.d, rmm, 0xbff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* above a tie: i=3 k=1 */
    T_D3(67, fmadd.d, rtz, 0xbff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* above a tie: i=3 k=1 */
    T_D3(68, fmadd.d, rdn, 0xbff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* above a tie: i=3 k=1 */
    T_D3(69, fmadd.d, rup, 0xbff0000000000003, 0x3c9ffffffffffffa, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* above a tie: i=3 k=1 */
    T_D3(70, fmadd.d, rne, 0xbff0000000000003, 0x3ccffffffffffffa, 0xc020000000000005, 0xc020000000000005, NX)  /* below a tie: i=3 k=5 */
    T_D3(71, fmadd.d, rmm, 0xbff0000000000003, 0x3ccffffffffffffa, 0xc020000000000005, 0xc020000000000005, NX)  /* below a tie: i=3 k=5 */
    T_D3(72, fmadd.d, rne, 0x3ff0000000000003, 0x3ccffffffffffffa, 0xc020000000000005, 0xc020000000000005, NX)  /* above a tie: i=3 k=5 */
    T_D3(73, fmadd.d, rmm, 0x3ff0000000000003, 0x3ccffffffffffffa, 0xc020000000000005, 0xc020000000000005, NX)  /* above a tie: i=3 k=5 */
    T_D3(74, fmadd.d, rne, 0x3ff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=3 k=2 */
    T_D3(75, fmadd.d, rmm, 0x3ff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=3 k=2 */
    T_D3(76, fmadd.d, rtz, 0x3ff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=3 k=2 */
    T_D3(77, fmadd.d, rdn, 0x3ff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* below a tie: i=3 k=2 */
    T_D3(78, fmadd.d, rup, 0x3ff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000003, NX)  /* below a tie: i=3 k=2 */
    T_D3(79, fmadd.d, rne, 0xbff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* above a tie: i=3 k=2 */
    T_D3(80, fmadd.d, rmm, 0xbff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* above a tie: i=3 k=2 */
    T_D3(81, fmadd.d, rtz, 0xbff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000001, NX)  /* above a tie: i=3 k=2 */
    T_D3(82, fmadd.d, rdn, 0xbff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000001, NX)  /* above a tie: i=3 k=2 */
    T_D3(83, fmadd.d, rup, 0xbff0000000000003, 0x3c7ffffffffffffa, 0x3fd0000000000002, 0x3fd0000000000002, NX)  /* above a tie: i=3 k=2 */

    /* fnmsub / fmsub / fnmadd with a tiny product: direction of the sticky bit */
    T_D3(84, fnmsub.d, rne, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* -(minsub*minsub) + 1 */
    T_D3(85, fmsub.d, rne, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0xbff0000000000000, NX)  /* minsub*minsub - 1 */
    T_D3(86, fnmadd.d, rne, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0x3ff0000000000000, NX)  /* -(minsub*minsub) + 1 */
    T_D3(87, fnmsub.d, rtz, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3fefffffffffffff, NX)  /* -(minsub*minsub) + 1 */
    T_D3(88, fmsub.d, rtz, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0xbfefffffffffffff, NX)  /* minsub*minsub - 1 */
    T_D3(89, fnmadd.d, rtz, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0x3fefffffffffffff, NX)  /* -(minsub*minsub) + 1 */
    T_D3(90, fnmsub.d, rdn, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3fefffffffffffff, NX)  /* -(minsub*minsub) + 1 */
    T_D3(91, fmsub.d, rdn, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0xbff0000000000000, NX)  /* minsub*minsub - 1 */
    T_D3(92, fnmadd.d, rdn, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0x3fefffffffffffff, NX)  /* -(minsub*minsub) + 1 */
    T_D3(93, fnmsub.d, rup, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* -(minsub*minsub) + 1 */
    T_D3(94, fmsub.d, rup, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0xbfefffffffffffff, NX)  /* minsub*minsub - 1 */
    T_D3(95, fnmadd.d, rup, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0x3ff0000000000000, NX)  /* -(minsub*minsub) + 1 */
    T_D3(96, fnmsub.d, rmm, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0x3ff0000000000000, NX)  /* -(minsub*minsub) + 1 */
    T_D3(97, fmsub.d, rmm, 0x0000000000000001, 0x0000000000000001, 0x3ff0000000000000, 0xbff0000000000000, NX)  /* minsub*minsub - 1 */
    T_D3(98, fnmadd.d, rmm, 0x0000000000000001, 0x0000000000000001, 0xbff0000000000000, 0x3ff0000000000000, NX)  /* -(minsub*minsub) + 1 */

    /* fadd / fsub: far-apart operands (sticky bit), exact and inexact large sums */
    T_D2(99, fadd.d, rne, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000000, NX)  /* 1 + minsub */
    T_D2(100, fadd.d, rne, 0xbff0000000000000, 0x0000000000000001, 0xbff0000000000000, NX)  /* -1 + minsub */
    T_D2(101, fsub.d, rne, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000000, NX)  /* 1 - minsub */
    T_D2(102, fadd.d, rne, 0x7fefffffffffffff, 0x0000000000000001, 0x7fefffffffffffff, NX)  /* MAX + minsub */
    T_D2(103, fadd.d, rne, 0x4340000000000000, 0x3ff0000000000000, 0x4340000000000000, NX)  /* 2^(p) + 1 (tie) */
    T_D2(104, fadd.d, rne, 0x4340000000000000, 0x4008000000000000, 0x4340000000000002, NX)  /* 2^(p) + 3 (tie) */
    T_D2(105, fadd.d, rne, 0x4330000000000000, 0x3ff0000000000000, 0x4330000000000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_D2(106, fadd.d, rtz, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000000, NX)  /* 1 + minsub */
    T_D2(107, fadd.d, rtz, 0xbff0000000000000, 0x0000000000000001, 0xbfefffffffffffff, NX)  /* -1 + minsub */
    T_D2(108, fsub.d, rtz, 0x3ff0000000000000, 0x0000000000000001, 0x3fefffffffffffff, NX)  /* 1 - minsub */
    T_D2(109, fadd.d, rtz, 0x7fefffffffffffff, 0x0000000000000001, 0x7fefffffffffffff, NX)  /* MAX + minsub */
    T_D2(110, fadd.d, rtz, 0x4340000000000000, 0x3ff0000000000000, 0x4340000000000000, NX)  /* 2^(p) + 1 (tie) */
    T_D2(111, fadd.d, rtz, 0x4340000000000000, 0x4008000000000000, 0x4340000000000001, NX)  /* 2^(p) + 3 (tie) */
    T_D2(112, fadd.d, rtz, 0x4330000000000000, 0x3ff0000000000000, 0x4330000000000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_D2(113, fadd.d, rdn, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000000, NX)  /* 1 + minsub */
    T_D2(114, fadd.d, rdn, 0xbff0000000000000, 0x0000000000000001, 0xbff0000000000000, NX)  /* -1 + minsub */
    T_D2(115, fsub.d, rdn, 0x3ff0000000000000, 0x0000000000000001, 0x3fefffffffffffff, NX)  /* 1 - minsub */
    T_D2(116, fadd.d, rdn, 0x7fefffffffffffff, 0x0000000000000001, 0x7fefffffffffffff, NX)  /* MAX + minsub */
    T_D2(117, fadd.d, rdn, 0x4340000000000000, 0x3ff0000000000000, 0x4340000000000000, NX)  /* 2^(p) + 1 (tie) */
    T_D2(118, fadd.d, rdn, 0x4340000000000000, 0x4008000000000000, 0x4340000000000001, NX)  /* 2^(p) + 3 (tie) */
    T_D2(119, fadd.d, rdn, 0x4330000000000000, 0x3ff0000000000000, 0x4330000000000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_D2(120, fadd.d, rup, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000001, NX)  /* 1 + minsub */
    T_D2(121, fadd.d, rup, 0xbff0000000000000, 0x0000000000000001, 0xbfefffffffffffff, NX)  /* -1 + minsub */
    T_D2(122, fsub.d, rup, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000000, NX)  /* 1 - minsub */
    T_D2(123, fadd.d, rup, 0x7fefffffffffffff, 0x0000000000000001, 0x7ff0000000000000, OF|NX)  /* MAX + minsub */
    T_D2(124, fadd.d, rup, 0x4340000000000000, 0x3ff0000000000000, 0x4340000000000001, NX)  /* 2^(p) + 1 (tie) */
    T_D2(125, fadd.d, rup, 0x4340000000000000, 0x4008000000000000, 0x4340000000000002, NX)  /* 2^(p) + 3 (tie) */
    T_D2(126, fadd.d, rup, 0x4330000000000000, 0x3ff0000000000000, 0x4330000000000001, 0)  /* 2^(p-1) + 1 (exact) */
    T_D2(127, fadd.d, rmm, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000000, NX)  /* 1 + minsub */
    T_D2(128, fadd.d, rmm, 0xbff0000000000000, 0x0000000000000001, 0xbff0000000000000, NX)  /* -1 + minsub */
    T_D2(129, fsub.d, rmm, 0x3ff0000000000000, 0x0000000000000001, 0x3ff0000000000000, NX)  /* 1 - minsub */
    T_D2(130, fadd.d, rmm, 0x7fefffffffffffff, 0x0000000000000001, 0x7fefffffffffffff, NX)  /* MAX + minsub */
    T_D2(131, fadd.d, rmm, 0x4340000000000000, 0x3ff0000000000000, 0x4340000000000001, NX)  /* 2^(p) + 1 (tie) */
    T_D2(132, fadd.d, rmm, 0x4340000000000000, 0x4008000000000000, 0x4340000000000002, NX)  /* 2^(p) + 3 (tie) */
    T_D2(133, fadd.d, rmm, 0x4330000000000000, 0x3ff0000000000000, 0x4330000000000001, 0)  /* 2^(p-1) + 1 (exact) */

    /* fmul: products needing the full double-width significand */
    T_D2(134, fmul.d, rne, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, NX)  /* (1+u)^2 */
    T_D2(135, fmul.d, rne, 0x3fefffffffffffff, 0x3fefffffffffffff, 0x3feffffffffffffe, NX)  /* (1-u/2)^2 */
    T_D2(136, fmul.d, rne, 0x3ff0000000000001, 0xbff0000000000001, 0xbff0000000000002, NX)  /* -(1+u)^2 */
    T_D2(137, fmul.d, rne, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x400ffffffffffffe, NX)  /* (2-u)^2 */
    T_D2(138, fmul.d, rne, 0x000fffffffffffff, 0x3ff0000000000001, 0x0010000000000000, NX)  /* maxsub * (1+u) */
    T_D2(139, fmul.d, rtz, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, NX)  /* (1+u)^2 */
    T_D2(140, fmul.d, rtz, 0x3fefffffffffffff, 0x3fefffffffffffff, 0x3feffffffffffffe, NX)  /* (1-u/2)^2 */
    T_D2(141, fmul.d, rtz, 0x3ff0000000000001, 0xbff0000000000001, 0xbff0000000000002, NX)  /* -(1+u)^2 */
    T_D2(142, fmul.d, rtz, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x400ffffffffffffe, NX)  /* (2-u)^2 */
    T_D2(143, fmul.d, rtz, 0x000fffffffffffff, 0x3ff0000000000001, 0x000fffffffffffff, UF|NX)  /* maxsub * (1+u) */
    T_D2(144, fmul.d, rdn, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, NX)  /* (1+u)^2 */
    T_D2(145, fmul.d, rdn, 0x3fefffffffffffff, 0x3fefffffffffffff, 0x3feffffffffffffe, NX)  /* (1-u/2)^2 */
    T_D2(146, fmul.d, rdn, 0x3ff0000000000001, 0xbff0000000000001, 0xbff0000000000003, NX)  /* -(1+u)^2 */
    T_D2(147, fmul.d, rdn, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x400ffffffffffffe, NX)  /* (2-u)^2 */
    T_D2(148, fmul.d, rdn, 0x000fffffffffffff, 0x3ff0000000000001, 0x000fffffffffffff, UF|NX)  /* maxsub * (1+u) */
    T_D2(149, fmul.d, rup, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000003, NX)  /* (1+u)^2 */
    T_D2(150, fmul.d, rup, 0x3fefffffffffffff, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* (1-u/2)^2 */
    T_D2(151, fmul.d, rup, 0x3ff0000000000001, 0xbff0000000000001, 0xbff0000000000002, NX)  /* -(1+u)^2 */
    T_D2(152, fmul.d, rup, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x400fffffffffffff, NX)  /* (2-u)^2 */
    T_D2(153, fmul.d, rup, 0x000fffffffffffff, 0x3ff0000000000001, 0x0010000000000000, NX)  /* maxsub * (1+u) */
    T_D2(154, fmul.d, rmm, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, NX)  /* (1+u)^2 */
    T_D2(155, fmul.d, rmm, 0x3fefffffffffffff, 0x3fefffffffffffff, 0x3feffffffffffffe, NX)  /* (1-u/2)^2 */
    T_D2(156, fmul.d, rmm, 0x3ff0000000000001, 0xbff0000000000001, 0xbff0000000000002, NX)  /* -(1+u)^2 */
    T_D2(157, fmul.d, rmm, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x400ffffffffffffe, NX)  /* (2-u)^2 */
    T_D2(158, fmul.d, rmm, 0x000fffffffffffff, 0x3ff0000000000001, 0x0010000000000000, NX)  /* maxsub * (1+u) */

    /* fdiv: directed rounding, results near 1, exact quotients */
    T_D2(159, fdiv.d, rne, 0x3ff0000000000001, 0x3ff0000000000002, 0x3feffffffffffffe, NX)  /* (1+u)/(1+2u) */
    T_D2(160, fdiv.d, rne, 0x3ff0000000000000, 0x4024000000000000, 0x3fb999999999999a, NX)  /* 1/10 */
    T_D2(161, fdiv.d, rne, 0xc000000000000000, 0x4008000000000000, 0xbfe5555555555555, NX)  /* -2/3 */
    T_D2(162, fdiv.d, rne, 0x7fefffffffffffff, 0x7feffffffffffffe, 0x3ff0000000000001, NX)  /* MAX/(MAX-ulp) */
    T_D2(163, fdiv.d, rne, 0x0000000000000001, 0x4008000000000000, 0x0000000000000000, UF|NX)  /* minsub/3 */
    T_D2(164, fdiv.d, rtz, 0x3ff0000000000001, 0x3ff0000000000002, 0x3feffffffffffffe, NX)  /* (1+u)/(1+2u) */
    T_D2(165, fdiv.d, rtz, 0x3ff0000000000000, 0x4024000000000000, 0x3fb9999999999999, NX)  /* 1/10 */
    T_D2(166, fdiv.d, rtz, 0xc000000000000000, 0x4008000000000000, 0xbfe5555555555555, NX)  /* -2/3 */
    T_D2(167, fdiv.d, rtz, 0x7fefffffffffffff, 0x7feffffffffffffe, 0x3ff0000000000000, NX)  /* MAX/(MAX-ulp) */
    T_D2(168, fdiv.d, rtz, 0x0000000000000001, 0x4008000000000000, 0x0000000000000000, UF|NX)  /* minsub/3 */
    T_D2(169, fdiv.d, rdn, 0x3ff0000000000001, 0x3ff0000000000002, 0x3feffffffffffffe, NX)  /* (1+u)/(1+2u) */
    T_D2(170, fdiv.d, rdn, 0x3ff0000000000000, 0x4024000000000000, 0x3fb9999999999999, NX)  /* 1/10 */
    T_D2(171, fdiv.d, rdn, 0xc000000000000000, 0x4008000000000000, 0xbfe5555555555556, NX)  /* -2/3 */
    T_D2(172, fdiv.d, rdn, 0x7fefffffffffffff, 0x7feffffffffffffe, 0x3ff0000000000000, NX)  /* MAX/(MAX-ulp) */
    T_D2(173, fdiv.d, rdn, 0x0000000000000001, 0x4008000000000000, 0x0000000000000000, UF|NX)  /* minsub/3 */
    T_D2(174, fdiv.d, rup, 0x3ff0000000000001, 0x3ff0000000000002, 0x3fefffffffffffff, NX)  /* (1+u)/(1+2u) */
    T_D2(175, fdiv.d, rup, 0x3ff0000000000000, 0x4024000000000000, 0x3fb999999999999a, NX)  /* 1/10 */
    T_D2(176, fdiv.d, rup, 0xc000000000000000, 0x4008000000000000, 0xbfe5555555555555, NX)  /* -2/3 */
    T_D2(177, fdiv.d, rup, 0x7fefffffffffffff, 0x7feffffffffffffe, 0x3ff0000000000001, NX)  /* MAX/(MAX-ulp) */
    T_D2(178, fdiv.d, rup, 0x0000000000000001, 0x4008000000000000, 0x0000000000000001, UF|NX)  /* minsub/3 */
    T_D2(179, fdiv.d, rmm, 0x3ff0000000000001, 0x3ff0000000000002, 0x3feffffffffffffe, NX)  /* (1+u)/(1+2u) */
    T_D2(180, fdiv.d, rmm, 0x3ff0000000000000, 0x4024000000000000, 0x3fb999999999999a, NX)  /* 1/10 */
    T_D2(181, fdiv.d, rmm, 0xc000000000000000, 0x4008000000000000, 0xbfe5555555555555, NX)  /* -2/3 */
    T_D2(182, fdiv.d, rmm, 0x7fefffffffffffff, 0x7feffffffffffffe, 0x3ff0000000000001, NX)  /* MAX/(MAX-ulp) */
    T_D2(183, fdiv.d, rmm, 0x0000000000000001, 0x4008000000000000, 0x0000000000000000, UF|NX)  /* minsub/3 */

    /* fsqrt: directed rounding just above and below 1, exact roots */
    T_D1(184, fsqrt.d, rne, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* sqrt(1+u) */
    T_D1(185, fsqrt.d, rne, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* sqrt(1-u/2) */
    T_D1(186, fsqrt.d, rne, 0x8000000000000000, 0x8000000000000000, 0)  /* sqrt(-0) */
    T_D1(187, fsqrt.d, rtz, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* sqrt(1+u) */
    T_D1(188, fsqrt.d, rtz, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* sqrt(1-u/2) */
    T_D1(189, fsqrt.d, rtz, 0x8000000000000000, 0x8000000000000000, 0)  /* sqrt(-0) */
    T_D1(190, fsqrt.d, rdn, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* sqrt(1+u) */
    T_D1(191, fsqrt.d, rdn, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* sqrt(1-u/2) */
    T_D1(192, fsqrt.d, rdn, 0x8000000000000000, 0x8000000000000000, 0)  /* sqrt(-0) */
    T_D1(193, fsqrt.d, rup, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* sqrt(1+u) */
    T_D1(194, fsqrt.d, rup, 0x3fefffffffffffff, 0x3ff0000000000000, NX)  /* sqrt(1-u/2) */
    T_D1(195, fsqrt.d, rup, 0x8000000000000000, 0x8000000000000000, 0)  /* sqrt(-0) */
    T_D1(196, fsqrt.d, rmm, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* sqrt(1+u) */
    T_D1(197, fsqrt.d, rmm, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* sqrt(1-u/2) */
    T_D1(198, fsqrt.d, rmm, 0x8000000000000000, 0x8000000000000000, 0)  /* sqrt(-0) */
    T_D1(199, fsqrt.d, rne, 0x0000000000000001, 0x1e60000000000000, 0)  /* sqrt(minsub) */
    T_D1(200, fsqrt.d, rup, 0x4002000000000000, 0x3ff8000000000000, 0)  /* sqrt(2.25) exact */
    T_D1(201, fsqrt.d, rdn, 0x7fd0000000000000, 0x5fe0000000000000, 0)  /* sqrt(2^(emax-1)) */

ISA_PASS
