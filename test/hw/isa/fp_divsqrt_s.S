/* fp_divsqrt_s.S - single-precision fdiv and fsqrt in every static
 * rounding mode (rne, rtz, rdn, rup, rmm) with the exception flags each case
 * must raise, and the IEEE 754 special cases (zeros, infinities, NaNs,
 * subnormals).  Every check clears fflags, runs one instruction and compares
 * the whole result register (singles must be NaN-boxed) and fflags.
 * Expected values: exact rational arithmetic rounded once per IEEE 754-2008 as
 * required by the F/D chapters (canonical NaN results, tininess detected after
 * rounding, fused multiply-add rounds once); operands and results are given
 * as bit patterns, the comment names the operands.
 */
#include "isa.h"

ISA_BEGIN

    /* fdiv: rounding, overflow, underflow */
    T_S2(1, fdiv.s, rne, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* ONE, THREE */
    T_S2(2, fdiv.s, rne, 0x40000000, 0x40400000, 0x3f2aaaab, NX)  /* TWO, THREE */
    T_S2(3, fdiv.s, rne, 0xbf800000, 0x40400000, 0xbeaaaaab, NX)  /* NONE, THREE */
    T_S2(4, fdiv.s, rne, 0x3f800000, 0x40e00000, 0x3e124925, NX)  /* ONE, SEVEN */
    T_S2(5, fdiv.s, rne, 0x7f7fffff, 0x3f000000, 0x7f800000, OF|NX)  /* MAX, HALF */
    T_S2(6, fdiv.s, rne, 0xff7fffff, 0x3f000000, 0xff800000, OF|NX)  /* NMAX, HALF */
    T_S2(7, fdiv.s, rne, 0x00800000, 0x40400000, 0x002aaaab, UF|NX)  /* MINN, THREE */
    T_S2(8, fdiv.s, rne, 0x00000001, 0x40000000, 0x00000000, UF|NX)  /* MINSUB, TWO */
    T_S2(9, fdiv.s, rne, 0x40490fdb, 0x402df854, 0x3f93eee0, NX)  /* PI, E */
    T_S2(10, fdiv.s, rtz, 0x3f800000, 0x40400000, 0x3eaaaaaa, NX)  /* ONE, THREE */
    T_S2(11, fdiv.s, rtz, 0x40000000, 0x40400000, 0x3f2aaaaa, NX)  /* TWO, THREE */
    T_S2(12, fdiv.s, rtz, 0xbf800000, 0x40400000, 0xbeaaaaaa, NX)  /* NONE, THREE */
    T_S2(13, fdiv.s, rtz, 0x3f800000, 0x40e00000, 0x3e124924, NX)  /* ONE, SEVEN */
    T_S2(14, fdiv.s, rtz, 0x7f7fffff, 0x3f000000, 0x7f7fffff, OF|NX)  /* MAX, HALF */
    T_S2(15, fdiv.s, rtz, 0xff7fffff, 0x3f000000, 0xff7fffff, OF|NX)  /* NMAX, HALF */
    T_S2(16, fdiv.s, rtz, 0x00800000, 0x40400000, 0x002aaaaa, UF|NX)  /* MINN, THREE */
    T_S2(17, fdiv.s, rtz, 0x00000001, 0x40000000, 0x00000000, UF|NX)  /* MINSUB, TWO */
    T_S2(18, fdiv.s, rtz, 0x40490fdb, 0x402df854, 0x3f93eee0, NX)  /* PI, E */
    T_S2(19, fdiv.s, rdn, 0x3f800000, 0x40400000, 0x3eaaaaaa, NX)  /* ONE, THREE */
    T_S2(20, fdiv.s, rdn, 0x40000000, 0x40400000, 0x3f2aaaaa, NX)  /* TWO, THREE */
    T_S2(21, fdiv.s, rdn, 0xbf800000, 0x40400000, 0xbeaaaaab, NX)  /* NONE, THREE */
    T_S2(22, fdiv.s, rdn, 0x3f800000, 0x40e00000, 0x3e124924, NX)  /* ONE, SEVEN */
    T_S2(23, fdiv.s, rdn, 0x7f7fffff, 0x3f000000, 0x7f7fffff, OF|NX)  /* MAX, HALF */
    T_S2(24, fdiv.s, rdn, 0xff7fffff, 0x3f000000, 0xff800000, OF|NX)  /* NMAX, HALF */
    T_S2(25, fdiv.s, rdn, 0x00800000, 0x40400000, 0x002aaaaa, UF|NX)  /* MINN, THREE */
    T_S2(26, fdiv.s, rdn, 0x00000001, 0x40000000, 0x00000000, UF|NX)  /* MINSUB, TWO */
    T_S2(27, fdiv.s, rdn, 0x40490fdb, 0x402df854, 0x3f93eee0, NX)  /* PI, E */
    T_S2(28, fdiv.s, rup, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* ONE, THREE */
    T_S2(29, fdiv.s, rup, 0x40000000, 0x40400000, 0x3f2aaaab, NX)  /* TWO, THREE */
    T_S2(30, fdiv.s, rup, 0xbf800000, 0x40400000, 0xbeaaaaaa, NX)  /* NONE, THREE */
    T_S2(31, fdiv.s, rup, 0x3f800000, 0x40e00000, 0x3e124925, NX)  /* ONE, SEVEN */
    T_S2(32, fdiv.s, rup, 0x7f7fffff, 0x3f000000, 0x7f800000, OF|NX)  /* MAX, HALF */
    T_S2(33, fdiv.s, rup, 0xff7fffff, 0x3f000000, 0xff7fffff, OF|NX)  /* NMAX, HALF */
    T_S2(34, fdiv.s, rup, 0x00800000, 0x40400000, 0x002aaaab, UF|NX)  /* MINN, THREE */
    T_S2(35, fdiv.s, rup, 0x00000001, 0x40000000, 0x00000001, UF|NX)  /* MINSUB, TWO */
    T_S2(36, fdiv.s, rup, 0x40490fdb, 0x402df854, 0x3f93eee1, NX)  /* PI, E */
    T_S2(37, fdiv.s, rmm, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* ONE, THREE */
    T_S2(38, fdiv.s, rmm, 0x40000000, 0x40400000, 0x3f2aaaab, NX)  /* TWO, THREE */
    T_S2(39, fdiv.s, rmm, 0xbf800000, 0x40400000, 0xbeaaaaab, NX)  /* NONE, THREE */
    T_S2(40, fdiv.s, rmm, 0x3f800000, 0x40e00000, 0x3e124925, NX)  /* ONE, SEVEN */
    T_S2(41, fdiv.s, rmm, 0x7f7fffff, 0x3f000000, 0x7f800000, OF|NX)  /* MAX, HALF */
    T_S2(42, fdiv.s, rmm, 0xff7fffff, 0x3f000000, 0xff800000, OF|NX)  /* NMAX, HALF */
    T_S2(43, fdiv.s, rmm, 0x00800000, 0x40400000, 0x002aaaab, UF|NX)  /* MINN, THREE */
    T_S2(44, fdiv.s, rmm, 0x00000001, 0x40000000, 0x00000001, UF|NX)  /* MINSUB, TWO */
    T_S2(45, fdiv.s, rmm, 0x40490fdb, 0x402df854, 0x3f93eee0, NX)  /* PI, E */

    /* fdiv: divide by zero (DZ), invalid (NV), exact results */
    T_S2(46, fdiv.s, rne, 0x3f800000, 0x00000000, 0x7f800000, DZ)  /* ONE, ZERO */
    T_S2(47, fdiv.s, rne, 0xbf800000, 0x00000000, 0xff800000, DZ)  /* NONE, ZERO */
    T_S2(48, fdiv.s, rne, 0x3f800000, 0x80000000, 0xff800000, DZ)  /* ONE, NZERO */
    T_S2(49, fdiv.s, rne, 0x80000001, 0x80000000, 0x7f800000, DZ)  /* NMINSUB, NZERO */
    T_S2(50, fdiv.s, rne, 0x00000000, 0x00000000, 0x7fc00000, NV)  /* ZERO, ZERO */
    T_S2(51, fdiv.s, rne, 0x80000000, 0x00000000, 0x7fc00000, NV)  /* NZERO, ZERO */
    T_S2(52, fdiv.s, rne, 0x7f800000, 0x7f800000, 0x7fc00000, NV)  /* INF, INF */
    T_S2(53, fdiv.s, rne, 0x7f800000, 0x00000000, 0x7f800000, 0)  /* INF, ZERO */
    T_S2(54, fdiv.s, rne, 0xff800000, 0x00000000, 0xff800000, 0)  /* NINF, ZERO */
    T_S2(55, fdiv.s, rne, 0x00000000, 0x7f800000, 0x00000000, 0)  /* ZERO, INF */
    T_S2(56, fdiv.s, rne, 0xbf800000, 0x7f800000, 0x80000000, 0)  /* NONE, INF */
    T_S2(57, fdiv.s, rne, 0x80000000, 0x3f800000, 0x80000000, 0)  /* NZERO, ONE */
    T_S2(58, fdiv.s, rne, 0x7f800001, 0x3f800000, 0x7fc00000, NV)  /* SNAN, ONE */
    T_S2(59, fdiv.s, rne, 0x7fc00000, 0x00000000, 0x7fc00000, 0)  /* QNAN, ZERO */
    T_S2(60, fdiv.s, rne, 0x3f800000, 0x7fc00000, 0x7fc00000, 0)  /* ONE, QNAN */
    T_S2(61, fdiv.s, rne, 0x41200000, 0x40800000, 0x40200000, 0)  /* TEN, FOUR */
    T_S2(62, fdiv.s, rne, 0x00800000, 0x40000000, 0x00400000, 0)  /* MINN, TWO */
    T_S2(63, fdiv.s, rne, 0x7f7fffff, 0x7f7fffff, 0x3f800000, 0)  /* MAX, MAX */

    /* fsqrt: rounding */
    T_S1(64, fsqrt.s, rne, 0x40000000, 0x3fb504f3, NX)  /* TWO */
    T_S1(65, fsqrt.s, rne, 0x40400000, 0x3fddb3d7, NX)  /* THREE */
    T_S1(66, fsqrt.s, rne, 0x41200000, 0x404a62c2, NX)  /* TEN */
    T_S1(67, fsqrt.s, rne, 0x3f800001, 0x3f800000, NX)  /* ONEP */
    T_S1(68, fsqrt.s, rne, 0x3f7fffff, 0x3f7fffff, NX)  /* ONEM */
    T_S1(69, fsqrt.s, rne, 0x7f7fffff, 0x5f7fffff, NX)  /* MAX */
    T_S1(70, fsqrt.s, rne, 0x00000001, 0x1a3504f3, NX)  /* MINSUB */
    T_S1(71, fsqrt.s, rne, 0x40490fdb, 0x3fe2dfc5, NX)  /* PI */
    T_S1(72, fsqrt.s, rtz, 0x40000000, 0x3fb504f3, NX)  /* TWO */
    T_S1(73, fsqrt.s, rtz, 0x40400000, 0x3fddb3d7, NX)  /* THREE */
    T_S1(74, fsqrt.s, rtz, 0x41200000, 0x404a62c1, NX)  /* TEN */
    T_S1(75, fsqrt.s, rtz, 0x3f800001, 0x3f800000, NX)  /* ONEP */
    T_S1(76, fsqrt.s, rtz, 0x3f7fffff, 0x3f7fffff, NX)  /* ONEM */
    T_S1(77, fsqrt.s, rtz, 0x7f7fffff, 0x5f7fffff, NX)  /* MAX */
    T_S1(78, fsqrt.s, rtz, 0x00000001, 0x1a3504f3, NX)  /* MINSUB */
    T_S1(79, fsqrt.s, rtz, 0x40490fdb, 0x3fe2dfc4, NX)  /* PI */
    T_S1(80, fsqrt.s, rdn, 0x40000000, 0x3fb504f3, NX)  /* TWO */
    T_S1(81, fsqrt.s, rdn, 0x40400000, 0x3fddb3d7, NX)  /* THREE */
    T_S1(82, fsqrt.s, rdn, 0x41200000, 0x404a62c1, NX)  /* TEN */
    T_S1(83, fsqrt.s, rdn, 0x3f800001, 0x3f800000, NX)  /* ONEP */
    T_S1(84, fsqrt.s, rdn, 0x3f7fffff, 0x3f7fffff, NX)  /* ONEM */
    T_S1(85, fsqrt.s, rdn, 0x7f7fffff, 0x5f7fffff, NX)  /* MAX */
    T_S1(86, fsqrt.s, rdn, 0x00000001, 0x1a3504f3, NX)  /* MINSUB */
    T_S1(87, fsqrt.s, rdn, 0x40490fdb, 0x3fe2dfc4, NX)  /* PI */
    T_S1(88, fsqrt.s, rup, 0x40000000, 0x3fb504f4, NX)  /* TWO */
    T_S1(89, fsqrt.s, rup, 0x40400000, 0x3fddb3d8, NX)  /* THREE */
    T_S1(90, fsqrt.s, rup, 0x41200000, 0x404a62c2, NX)  /* TEN */
    T_S1(91, fsqrt.s, rup, 0x3f800001, 0x3f800001, NX)  /* ONEP */
    T_S1(92, fsqrt.s, rup, 0x3f7fffff, 0x3f800000, NX)  /* ONEM */
    T_S1(93, fsqrt.s, rup, 0x7f7fffff, 0x5f800000, NX)  /* MAX */
    T_S1(94, fsqrt.s, rup, 0x00000001, 0x1a3504f4, NX)  /* MINSUB */
    T_S1(95, fsqrt.s, rup, 0x40490fdb, 0x3fe2dfc5, NX)  /* PI */
    T_S1(96, fsqrt.s, rmm, 0x40000000, 0x3fb504f3, NX)  /* TWO */
    T_S1(97, fsqrt.s, rmm, 0x40400000, 0x3fddb3d7, NX)  /* THREE */
    T_S1(98, fsqrt.s, rmm, 0x41200000, 0x404a62c2, NX)  /* TEN */
    T_S1(99, fsqrt.s, rmm, 0x3f800001, 0x3f800000, NX)  /* ONEP */
    T_S1(100, fsqrt.s, rmm, 0x3f7fffff, 0x3f7fffff, NX)  /* ONEM */
    T_S1(101, fsqrt.s, rmm, 0x7f7fffff, 0x5f7fffff, NX)  /* MAX */
    T_S1(102, fsqrt.s, rmm, 0x00000001, 0x1a3504f3, NX)  /* MINSUB */
    T_S1(103, fsqrt.s, rmm, 0x40490fdb, 0x3fe2dfc5, NX)  /* PI */

    /* fsqrt: exact, signed zero, negative (NV), infinities, NaNs */
    T_S1(104, fsqrt.s, rne, 0x40800000, 0x40000000, 0)  /* FOUR */
    T_S1(105, fsqrt.s, rne, 0x00000000, 0x00000000, 0)  /* ZERO */
    T_S1(106, fsqrt.s, rne, 0x80000000, 0x80000000, 0)  /* NZERO */
    T_S1(107, fsqrt.s, rne, 0x7f800000, 0x7f800000, 0)  /* INF */
    T_S1(108, fsqrt.s, rne, 0xff800000, 0x7fc00000, NV)  /* NINF */
    T_S1(109, fsqrt.s, rne, 0xbf800000, 0x7fc00000, NV)  /* NONE */
    T_S1(110, fsqrt.s, rne, 0x80000001, 0x7fc00000, NV)  /* NMINSUB */
    T_S1(111, fsqrt.s, rne, 0x7fc00000, 0x7fc00000, 0)  /* QNAN */
    T_S1(112, fsqrt.s, rne, 0x7f800001, 0x7fc00000, NV)  /* SNAN */
    T_S1(113, fsqrt.s, rne, 0xffc00000, 0x7fc00000, 0)  /* NQNAN */
    T_S1(114, fsqrt.s, rne, 0x00800000, 0x20000000, 0)  /* MINN */
    T_S1(115, fsqrt.s, rne, 0x00400000, 0x1fb504f3, NX)  /* HALFSUB */

ISA_PASS
