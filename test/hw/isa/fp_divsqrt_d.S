/* fp_divsqrt_d.S - double-precision fdiv and fsqrt in every static
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
    T_D2(1, fdiv.d, rne, 0x3ff0000000000000, 0x4008000000000000, 0x3fd5555555555555, NX)  /* ONE, THREE */
    T_D2(2, fdiv.d, rne, 0x4000000000000000, 0x4008000000000000, 0x3fe5555555555555, NX)  /* TWO, THREE */
    T_D2(3, fdiv.d, rne, 0xbff0000000000000, 0x4008000000000000, 0xbfd5555555555555, NX)  /* NONE, THREE */
    T_D2(4, fdiv.d, rne, 0x3ff0000000000000, 0x401c000000000000, 0x3fc2492492492492, NX)  /* ONE, SEVEN */
    T_D2(5, fdiv.d, rne, 0x7fefffffffffffff, 0x3fe0000000000000, 0x7ff0000000000000, OF|NX)  /* MAX, HALF */
    T_D2(6, fdiv.d, rne, 0xffefffffffffffff, 0x3fe0000000000000, 0xfff0000000000000, OF|NX)  /* NMAX, HALF */
    T_D2(7, fdiv.d, rne, 0x0010000000000000, 0x4008000000000000, 0x0005555555555555, UF|NX)  /* MINN, THREE */
    T_D2(8, fdiv.d, rne, 0x0000000000000001, 0x4000000000000000, 0x0000000000000000, UF|NX)  /* MINSUB, TWO */
    T_D2(9, fdiv.d, rne, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x3ff27ddbf6271dbe, NX)  /* PI, E */
    T_D2(10, fdiv.d, rtz, 0x3ff0000000000000, 0x4008000000000000, 0x3fd5555555555555, NX)  /* ONE, THREE */
    T_D2(11, fdiv.d, rtz, 0x4000000000000000, 0x4008000000000000, 0x3fe5555555555555, NX)  /* TWO, THREE */
    T_D2(12, fdiv.d, rtz, 0xbff0000000000000, 0x4008000000000000, 0xbfd5555555555555, NX)  /* NONE, THREE */
    T_D2(13, fdiv.d, rtz, 0x3ff0000000000000, 0x401c000000000000, 0x3fc2492492492492, NX)  /* ONE, SEVEN */
    T_D2(14, fdiv.d, rtz, 0x7fefffffffffffff, 0x3fe0000000000000, 0x7fefffffffffffff, OF|NX)  /* MAX, HALF */
    T_D2(15, fdiv.d, rtz, 0xffefffffffffffff, 0x3fe0000000000000, 0xffefffffffffffff, OF|NX)  /* NMAX, HALF */
    T_D2(16, fdiv.d, rtz, 0x0010000000000000, 0x4008000000000000, 0x0005555555555555, UF|NX)  /* MINN, THREE */
    T_D2(17, fdiv.d, rtz, 0x0000000000000001, 0x4000000000000000, 0x0000000000000000, UF|NX)  /* MINSUB, TWO */
    T_D2(18, fdiv.d, rtz, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x3ff27ddbf6271dbe, NX)  /* PI, E */
    T_D2(19, fdiv.d, rdn, 0x3ff0000000000000, 0x4008000000000000, 0x3fd5555555555555, NX)  /* ONE, THREE */
    T_D2(20, fdiv.d, rdn, 0x4000000000000000, 0x4008000000000000, 0x3fe5555555555555, NX)  /* TWO, THREE */
    T_D2(21, fdiv.d, rdn, 0xbff0000000000000, 0x4008000000000000, 0xbfd5555555555556, NX)  /* NONE, THREE */
    T_D2(22, fdiv.d, rdn, 0x3ff0000000000000, 0x401c000000000000, 0x3fc2492492492492, NX)  /* ONE, SEVEN */
    T_D2(23, fdiv.d, rdn, 0x7fefffffffffffff, 0x3fe0000000000000, 0x7fefffffffffffff, OF|NX)  /* MAX, HALF */
    T_D2(24, fdiv.d, rdn, 0xffefffffffffffff, 0x3fe0000000000000, 0xfff0000000000000, OF|NX)  /* NMAX, HALF */
    T_D2(25, fdiv.d, rdn, 0x0010000000000000, 0x4008000000000000, 0x0005555555555555, UF|NX)  /* MINN, THREE */
    T_D2(26, fdiv.d, rdn, 0x0000000000000001, 0x4000000000000000, 0x0000000000000000, UF|NX)  /* MINSUB, TWO */
    T_D2(27, fdiv.d, rdn, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x3ff27ddbf6271dbe, NX)  /* PI, E */
    T_D2(28, fdiv.d, rup, 0x3ff0000000000000, 0x4008000000000000, 0x3fd5555555555556, NX)  /* ONE, THREE */
    T_D2(29, fdiv.d, rup, 0x4000000000000000, 0x4008000000000000, 0x3fe5555555555556, NX)  /* TWO, THREE */
    T_D2(30, fdiv.d, rup, 0xbff0000000000000, 0x4008000000000000, 0xbfd5555555555555, NX)  /* NONE, THREE */
    T_D2(31, fdiv.d, rup, 0x3ff0000000000000, 0x401c000000000000, 0x3fc2492492492493, NX)  /* ONE, SEVEN */
    T_D2(32, fdiv.d, rup, 0x7fefffffffffffff, 0x3fe0000000000000, 0x7ff0000000000000, OF|NX)  /* MAX, HALF */
    T_D2(33, fdiv.d, rup, 0xffefffffffffffff, 0x3fe0000000000000, 0xffefffffffffffff, OF|NX)  /* NMAX, HALF */
    T_D2(34, fdiv.d, rup, 0x0010000000000000, 0x4008000000000000, 0x0005555555555556, UF|NX)  /* MINN, THREE */
    T_D2(35, fdiv.d, rup, 0x0000000000000001, 0x4000000000000000, 0x0000000000000001, UF|NX)  /* MINSUB, TWO */
    T_D2(36, fdiv.d, rup, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x3ff27ddbf6271dbf, NX)  /* PI, E */
    T_D2(37, fdiv.d, rmm, 0x3ff0000000000000, 0x4008000000000000, 0x3fd5555555555555, NX)  /* ONE, THREE */
    T_D2(38, fdiv.d, rmm, 0x4000000000000000, 0x4008000000000000, 0x3fe5555555555555, NX)  /* TWO, THREE */
    T_D2(39, fdiv.d, rmm, 0xbff0000000000000, 0x4008000000000000, 0xbfd5555555555555, NX)  /* NONE, THREE */
    T_D2(40, fdiv.d, rmm, 0x3ff0000000000000, 0x401c000000000000, 0x3fc2492492492492, NX)  /* ONE, SEVEN */
    T_D2(41, fdiv.d, rmm, 0x7fefffffffffffff, 0x3fe0000000000000, 0x7ff0000000000000, OF|NX)  /* MAX, HALF */
    T_D2(42, fdiv.d, rmm, 0xffefffffffffffff, 0x3fe0000000000000, 0xfff0000000000000, OF|NX)  /* NMAX, HALF */
    T_D2(43, fdiv.d, rmm, 0x0010000000000000, 0x4008000000000000, 0x0005555555555555, UF|NX)  /* MINN, THREE */
    T_D2(44, fdiv.d, rmm, 0x0000000000000001, 0x4000000000000000, 0x0000000000000001, UF|NX)  /* MINSUB, TWO */
    T_D2(45, fdiv.d, rmm, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x3ff27ddbf6271dbe, NX)  /* PI, E */

    /* fdiv: divide by zero (DZ), invalid (NV), exact results */
    T_D2(46, fdiv.d, rne, 0x3ff0000000000000, 0x0000000000000000, 0x7ff0000000000000, DZ)  /* ONE, ZERO */
    T_D2(47, fdiv.d, rne, 0xbff0000000000000, 0x0000000000000000, 0xfff0000000000000, DZ)  /* NONE, ZERO */
    T_D2(48, fdiv.d, rne, 0x3ff0000000000000, 0x8000000000000000, 0xfff0000000000000, DZ)  /* ONE, NZERO */
    T_D2(49, fdiv.d, rne, 0x8000000000000001, 0x8000000000000000, 0x7ff0000000000000, DZ)  /* NMINSUB, NZERO */
    T_D2(50, fdiv.d, rne, 0x0000000000000000, 0x0000000000000000, 0x7ff8000000000000, NV)  /* ZERO, ZERO */
    T_D2(51, fdiv.d, rne, 0x8000000000000000, 0x0000000000000000, 0x7ff8000000000000, NV)  /* NZERO, ZERO */
    T_D2(52, fdiv.d, rne, 0x7ff0000000000000, 0x7ff0000000000000, 0x7ff8000000000000, NV)  /* INF, INF */
    T_D2(53, fdiv.d, rne, 0x7ff0000000000000, 0x0000000000000000, 0x7ff0000000000000, 0)  /* INF, ZERO */
    T_D2(54, fdiv.d, rne, 0xfff0000000000000, 0x0000000000000000, 0xfff0000000000000, 0)  /* NINF, ZERO */
    T_D2(55, fdiv.d, rne, 0x0000000000000000, 0x7ff0000000000000, 0x0000000000000000, 0)  /* ZERO, INF */
    T_D2(56, fdiv.d, rne, 0xbff0000000000000, 0x7ff0000000000000, 0x8000000000000000, 0)  /* NONE, INF */
    T_D2(57, fdiv.d, rne, 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000, 0)  /* NZERO, ONE */
    T_D2(58, fdiv.d, rne, 0x7ff0000000000001, 0x3ff0000000000000, 0x7ff8000000000000, NV)  /* SNAN, ONE */
    T_D2(59, fdiv.d, rne, 0x7ff8000000000000, 0x0000000000000000, 0x7ff8000000000000, 0)  /* QNAN, ZERO */
    T_D2(60, fdiv.d, rne, 0x3ff0000000000000, 0x7ff8000000000000, 0x7ff8000000000000, 0)  /* ONE, QNAN */
    T_D2(61, fdiv.d, rne, 0x4024000000000000, 0x4010000000000000, 0x4004000000000000, 0)  /* TEN, FOUR */
    T_D2(62, fdiv.d, rne, 0x0010000000000000, 0x4000000000000000, 0x0008000000000000, 0)  /* MINN, TWO */
    T_D2(63, fdiv.d, rne, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000, 0)  /* MAX, MAX */

    /* fsqrt: rounding */
    T_D1(64, fsqrt.d, rne, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* TWO */
    T_D1(65, fsqrt.d, rne, 0x4008000000000000, 0x3ffbb67ae8584caa, NX)  /* THREE */
    T_D1(66, fsqrt.d, rne, 0x4024000000000000, 0x40094c583ada5b53, NX)  /* TEN */
    T_D1(67, fsqrt.d, rne, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* ONEP */
    T_D1(68, fsqrt.d, rne, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* ONEM */
    T_D1(69, fsqrt.d, rne, 0x7fefffffffffffff, 0x5fefffffffffffff, NX)  /* MAX */
    T_D1(70, fsqrt.d, rne, 0x0000000000000001, 0x1e60000000000000, 0)  /* MINSUB */
    T_D1(71, fsqrt.d, rne, 0x400921fb54442d18, 0x3ffc5bf891b4ef6a, NX)  /* PI */
    T_D1(72, fsqrt.d, rtz, 0x4000000000000000, 0x3ff6a09e667f3bcc, NX)  /* TWO */
    T_D1(73, fsqrt.d, rtz, 0x4008000000000000, 0x3ffbb67ae8584caa, NX)  /* THREE */
    T_D1(74, fsqrt.d, rtz, 0x4024000000000000, 0x40094c583ada5b52, NX)  /* TEN */
    T_D1(75, fsqrt.d, rtz, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* ONEP */
    T_D1(76, fsqrt.d, rtz, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* ONEM */
    T_D1(77, fsqrt.d, rtz, 0x7fefffffffffffff, 0x5fefffffffffffff, NX)  /* MAX */
    T_D1(78, fsqrt.d, rtz, 0x0000000000000001, 0x1e60000000000000, 0)  /* MINSUB */
    T_D1(79, fsqrt.d, rtz, 0x400921fb54442d18, 0x3ffc5bf891b4ef6a, NX)  /* PI */
    T_D1(80, fsqrt.d, rdn, 0x4000000000000000, 0x3ff6a09e667f3bcc, NX)  /* TWO */
    T_D1(81, fsqrt.d, rdn, 0x4008000000000000, 0x3ffbb67ae8584caa, NX)  /* THREE */
    T_D1(82, fsqrt.d, rdn, 0x4024000000000000, 0x40094c583ada5b52, NX)  /* TEN */
    T_D1(83, fsqrt.d, rdn, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* ONEP */
    T_D1(84, fsqrt.d, rdn, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* ONEM */
    T_D1(85, fsqrt.d, rdn, 0x7fefffffffffffff, 0x5fefffffffffffff, NX)  /* MAX */
    T_D1(86, fsqrt.d, rdn, 0x0000000000000001, 0x1e60000000000000, 0)  /* MINSUB */
    T_D1(87, fsqrt.d, rdn, 0x400921fb54442d18, 0x3ffc5bf891b4ef6a, NX)  /* PI */
    T_D1(88, fsqrt.d, rup, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* TWO */
    T_D1(89, fsqrt.d, rup, 0x4008000000000000, 0x3ffbb67ae8584cab, NX)  /* THREE */
    T_D1(90, fsqrt.d, rup, 0x4024000000000000, 0x40094c583ada5b53, NX)  /* TEN */
    T_D1(91, fsqrt.d, rup, 0x3ff0000000000001, 0x3ff0000000000001, NX)  /* ONEP */
    T_D1(92, fsqrt.d, rup, 0x3fefffffffffffff, 0x3ff0000000000000, NX)  /* ONEM */
    T_D1(93, fsqrt.d, rup, 0x7fefffffffffffff, 0x5ff0000000000000, NX)  /* MAX */
    T_D1(94, fsqrt.d, rup, 0x0000000000000001, 0x1e60000000000000, 0)  /* MINSUB */
    T_D1(95, fsqrt.d, rup, 0x400921fb54442d18, 0x3ffc5bf891b4ef6b, NX)  /* PI */
    T_D1(96, fsqrt.d, rmm, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* TWO */
    T_D1(97, fsqrt.d, rmm, 0x4008000000000000, 0x3ffbb67ae8584caa, NX)  /* THREE */
    T_D1(98, fsqrt.d, rmm, 0x4024000000000000, 0x40094c583ada5b53, NX)  /* TEN */
    T_D1(99, fsqrt.d, rmm, 0x3ff0000000000001, 0x3ff0000000000000, NX)  /* ONEP */
    T_D1(100, fsqrt.d, rmm, 0x3fefffffffffffff, 0x3fefffffffffffff, NX)  /* ONEM */
    T_D1(101, fsqrt.d, rmm, 0x7fefffffffffffff, 0x5fefffffffffffff, NX)  /* MAX */
    T_D1(102, fsqrt.d, rmm, 0x0000000000000001, 0x1e60000000000000, 0)  /* MINSUB */
    T_D1(103, fsqrt.d, rmm, 0x400921fb54442d18, 0x3ffc5bf891b4ef6a, NX)  /* PI */

    /* fsqrt: exact, signed zero, negative (NV), infinities, NaNs */
    T_D1(104, fsqrt.d, rne, 0x4010000000000000, 0x4000000000000000, 0)  /* FOUR */
    T_D1(105, fsqrt.d, rne, 0x0000000000000000, 0x0000000000000000, 0)  /* ZERO */
    T_D1(106, fsqrt.d, rne, 0x8000000000000000, 0x8000000000000000, 0)  /* NZERO */
    T_D1(107, fsqrt.d, rne, 0x7ff0000000000000, 0x7ff0000000000000, 0)  /* INF */
    T_D1(108, fsqrt.d, rne, 0xfff0000000000000, 0x7ff8000000000000, NV)  /* NINF */
    T_D1(109, fsqrt.d, rne, 0xbff0000000000000, 0x7ff8000000000000, NV)  /* NONE */
    T_D1(110, fsqrt.d, rne, 0x8000000000000001, 0x7ff8000000000000, NV)  /* NMINSUB */
    T_D1(111, fsqrt.d, rne, 0x7ff8000000000000, 0x7ff8000000000000, 0)  /* QNAN */
    T_D1(112, fsqrt.d, rne, 0x7ff0000000000001, 0x7ff8000000000000, NV)  /* SNAN */
    T_D1(113, fsqrt.d, rne, 0xfff8000000000000, 0x7ff8000000000000, 0)  /* NQNAN */
    T_D1(114, fsqrt.d, rne, 0x0010000000000000, 0x2000000000000000, 0)  /* MINN */
    T_D1(115, fsqrt.d, rne, 0x0008000000000000, 0x1ff6a09e667f3bcd, NX)  /* HALFSUB */

ISA_PASS
