/* fp_fma_s.S - single-precision fmadd, fmsub, fnmsub and fnmadd in every static
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

    /* fmadd: single rounding of a*b+c (fused), overflow, underflow, sign of zero */
    T_S3(1, fmadd.s, rne, 0x3f800001, 0x3f800001, 0xbf800000, 0x34800000, NX)  /* ONEP, ONEP, NONE */
    T_S3(2, fmadd.s, rne, 0x3f800001, 0x3f7fffff, 0xbf800000, 0x337ffffe, 0)  /* ONEP, ONEM, NONE */
    T_S3(3, fmadd.s, rne, 0x40490fdb, 0x402df854, 0x3f800000, 0x4118a2c0, NX)  /* PI, E, ONE */
    T_S3(4, fmadd.s, rne, 0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f7fffff, 0)  /* MAX, TWO, NMAX */
    T_S3(5, fmadd.s, rne, 0x7f7fffff, 0x40000000, 0x00000000, 0x7f800000, OF|NX)  /* MAX, TWO, ZERO */
    T_S3(6, fmadd.s, rne, 0x3f800000, 0x3f800000, 0xbf800000, 0x00000000, 0)  /* ONE, ONE, NONE */
    T_S3(7, fmadd.s, rne, 0x3f800000, 0x33800000, 0x3f800000, 0x3f800000, NX)  /* ONE, HULP, ONE */
    T_S3(8, fmadd.s, rne, 0x00000001, 0x3f000000, 0x00000000, 0x00000000, UF|NX)  /* MINSUB, HALF, ZERO */
    T_S3(9, fmadd.s, rne, 0xbf800000, 0x33800000, 0xbf800000, 0xbf800000, NX)  /* NONE, HULP, NONE */
    T_S3(10, fmadd.s, rne, 0x1e800001, 0x1e800001, 0x80000000, 0x00020000, UF|NX)  /* TINY, TINY, NZERO */
    T_S3(11, fmadd.s, rtz, 0x3f800001, 0x3f800001, 0xbf800000, 0x34800000, NX)  /* ONEP, ONEP, NONE */
    T_S3(12, fmadd.s, rtz, 0x3f800001, 0x3f7fffff, 0xbf800000, 0x337ffffe, 0)  /* ONEP, ONEM, NONE */
    T_S3(13, fmadd.s, rtz, 0x40490fdb, 0x402df854, 0x3f800000, 0x4118a2c0, NX)  /* PI, E, ONE */
    T_S3(14, fmadd.s, rtz, 0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f7fffff, 0)  /* MAX, TWO, NMAX */
    T_S3(15, fmadd.s, rtz, 0x7f7fffff, 0x40000000, 0x00000000, 0x7f7fffff, OF|NX)  /* MAX, TWO, ZERO */
    T_S3(16, fmadd.s, rtz, 0x3f800000, 0x3f800000, 0xbf800000, 0x00000000, 0)  /* ONE, ONE, NONE */
    T_S3(17, fmadd.s, rtz, 0x3f800000, 0x33800000, 0x3f800000, 0x3f800000, NX)  /* ONE, HULP, ONE */
    T_S3(18, fmadd.s, rtz, 0x00000001, 0x3f000000, 0x00000000, 0x00000000, UF|NX)  /* MINSUB, HALF, ZERO */
    T_S3(19, fmadd.s, rtz, 0xbf800000, 0x33800000, 0xbf800000, 0xbf800000, NX)  /* NONE, HULP, NONE */
    T_S3(20, fmadd.s, rtz, 0x1e800001, 0x1e800001, 0x80000000, 0x00020000, UF|NX)  /* TINY, TINY, NZERO */
    T_S3(21, fmadd.s, rdn, 0x3f800001, 0x3f800001, 0xbf800000, 0x34800000, NX)  /* ONEP, ONEP, NONE */
    T_S3(22, fmadd.s, rdn, 0x3f800001, 0x3f7fffff, 0xbf800000, 0x337ffffe, 0)  /* ONEP, ONEM, NONE */
    T_S3(23, fmadd.s, rdn, 0x40490fdb, 0x402df854, 0x3f800000, 0x4118a2c0, NX)  /* PI, E, ONE */
    T_S3(24, fmadd.s, rdn, 0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f7fffff, 0)  /* MAX, TWO, NMAX */
    T_S3(25, fmadd.s, rdn, 0x7f7fffff, 0x40000000, 0x00000000, 0x7f7fffff, OF|NX)  /* MAX, TWO, ZERO */
    T_S3(26, fmadd.s, rdn, 0x3f800000, 0x3f800000, 0xbf800000, 0x80000000, 0)  /* ONE, ONE, NONE */
    T_S3(27, fmadd.s, rdn, 0x3f800000, 0x33800000, 0x3f800000, 0x3f800000, NX)  /* ONE, HULP, ONE */
    T_S3(28, fmadd.s, rdn, 0x00000001, 0x3f000000, 0x00000000, 0x00000000, UF|NX)  /* MINSUB, HALF, ZERO */
    T_S3(29, fmadd.s, rdn, 0xbf800000, 0x33800000, 0xbf800000, 0xbf800001, NX)  /* NONE, HULP, NONE */
    T_S3(30, fmadd.s, rdn, 0x1e800001, 0x1e800001, 0x80000000, 0x00020000, UF|NX)  /* TINY, TINY, NZERO */
    T_S3(31, fmadd.s, rup, 0x3f800001, 0x3f800001, 0xbf800000, 0x34800001, NX)  /* ONEP, ONEP, NONE */
    T_S3(32, fmadd.s, rup, 0x3f800001, 0x3f7fffff, 0xbf800000, 0x337ffffe, 0)  /* ONEP, ONEM, NONE */
    T_S3(33, fmadd.s, rup, 0x40490fdb, 0x402df854, 0x3f800000, 0x4118a2c1, NX)  /* PI, E, ONE */
    T_S3(34, fmadd.s, rup, 0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f7fffff, 0)  /* MAX, TWO, NMAX */
    T_S3(35, fmadd.s, rup, 0x7f7fffff, 0x40000000, 0x00000000, 0x7f800000, OF|NX)  /* MAX, TWO, ZERO */
    T_S3(36, fmadd.s, rup, 0x3f800000, 0x3f800000, 0xbf800000, 0x00000000, 0)  /* ONE, ONE, NONE */
    T_S3(37, fmadd.s, rup, 0x3f800000, 0x33800000, 0x3f800000, 0x3f800001, NX)  /* ONE, HULP, ONE */
    T_S3(38, fmadd.s, rup, 0x00000001, 0x3f000000, 0x00000000, 0x00000001, UF|NX)  /* MINSUB, HALF, ZERO */
    T_S3(39, fmadd.s, rup, 0xbf800000, 0x33800000, 0xbf800000, 0xbf800000, NX)  /* NONE, HULP, NONE */
    T_S3(40, fmadd.s, rup, 0x1e800001, 0x1e800001, 0x80000000, 0x00020001, UF|NX)  /* TINY, TINY, NZERO */
    T_S3(41, fmadd.s, rmm, 0x3f800001, 0x3f800001, 0xbf800000, 0x34800001, NX)  /* ONEP, ONEP, NONE */
    T_S3(42, fmadd.s, rmm, 0x3f800001, 0x3f7fffff, 0xbf800000, 0x337ffffe, 0)  /* ONEP, ONEM, NONE */
    T_S3(43, fmadd.s, rmm, 0x40490fdb, 0x402df854, 0x3f800000, 0x4118a2c0, NX)  /* PI, E, ONE */
    T_S3(44, fmadd.s, rmm, 0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f7fffff, 0)  /* MAX, TWO, NMAX */
    T_S3(45, fmadd.s, rmm, 0x7f7fffff, 0x40000000, 0x00000000, 0x7f800000, OF|NX)  /* MAX, TWO, ZERO */
    T_S3(46, fmadd.s, rmm, 0x3f800000, 0x3f800000, 0xbf800000, 0x00000000, 0)  /* ONE, ONE, NONE */
    T_S3(47, fmadd.s, rmm, 0x3f800000, 0x33800000, 0x3f800000, 0x3f800001, NX)  /* ONE, HULP, ONE */
    T_S3(48, fmadd.s, rmm, 0x00000001, 0x3f000000, 0x00000000, 0x00000001, UF|NX)  /* MINSUB, HALF, ZERO */
    T_S3(49, fmadd.s, rmm, 0xbf800000, 0x33800000, 0xbf800000, 0xbf800001, NX)  /* NONE, HULP, NONE */
    T_S3(50, fmadd.s, rmm, 0x1e800001, 0x1e800001, 0x80000000, 0x00020000, UF|NX)  /* TINY, TINY, NZERO */

    /* fmadd: invalid operations and NaNs (inf*0 is NV even with a quiet NaN addend) */
    T_S3(51, fmadd.s, rne, 0x7f800000, 0x00000000, 0x7fc00000, 0x7fc00000, NV)  /* INF, ZERO, QNAN */
    T_S3(52, fmadd.s, rne, 0x00000000, 0xff800000, 0x3f800000, 0x7fc00000, NV)  /* ZERO, NINF, ONE */
    T_S3(53, fmadd.s, rne, 0x7f800000, 0x3f800000, 0xff800000, 0x7fc00000, NV)  /* INF, ONE, NINF */
    T_S3(54, fmadd.s, rne, 0x7f800000, 0x3f800000, 0x7f800000, 0x7f800000, 0)  /* INF, ONE, INF */
    T_S3(55, fmadd.s, rne, 0x3f800000, 0x3f800000, 0x7f800001, 0x7fc00000, NV)  /* ONE, ONE, SNAN */
    T_S3(56, fmadd.s, rne, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fc00000, 0)  /* QNAN, ONE, ONE */
    T_S3(57, fmadd.s, rne, 0x3f800000, 0x7fc00000, 0x7f800001, 0x7fc00000, NV)  /* ONE, QNAN, SNAN */
    T_S3(58, fmadd.s, rne, 0x80000000, 0x3f800000, 0x80000000, 0x80000000, 0)  /* NZERO, ONE, NZERO */
    T_S3(59, fmadd.s, rne, 0x00000000, 0x3f800000, 0x80000000, 0x00000000, 0)  /* ZERO, ONE, NZERO */
    T_S3(60, fmadd.s, rne, 0x3f800000, 0x3f800000, 0x7f800000, 0x7f800000, 0)  /* ONE, ONE, INF */
    T_S3(61, fmadd.s, rne, 0x00800000, 0x3f000000, 0x00000000, 0x00400000, 0)  /* MINN, HALF, ZERO */

    /* fmsub */
    T_S3(62, fmsub.s, rne, 0x40490fdb, 0x402df854, 0x3f800000, 0x40f14581, NX)  /* PI, E, ONE */
    T_S3(63, fmsub.s, rne, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(64, fmsub.s, rne, 0x3f800001, 0x3f800001, 0x3f800000, 0x34800000, NX)  /* ONEP, ONEP, ONE */
    T_S3(65, fmsub.s, rne, 0x3f800000, 0x33800000, 0xbf800000, 0x3f800000, NX)  /* ONE, HULP, NONE */
    T_S3(66, fmsub.s, rne, 0xff7fffff, 0x40000000, 0x7f7fffff, 0xff800000, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(67, fmsub.s, rtz, 0x40490fdb, 0x402df854, 0x3f800000, 0x40f14580, NX)  /* PI, E, ONE */
    T_S3(68, fmsub.s, rtz, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(69, fmsub.s, rtz, 0x3f800001, 0x3f800001, 0x3f800000, 0x34800000, NX)  /* ONEP, ONEP, ONE */
    T_S3(70, fmsub.s, rtz, 0x3f800000, 0x33800000, 0xbf800000, 0x3f800000, NX)  /* ONE, HULP, NONE */
    T_S3(71, fmsub.s, rtz, 0xff7fffff, 0x40000000, 0x7f7fffff, 0xff7fffff, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(72, fmsub.s, rdn, 0x40490fdb, 0x402df854, 0x3f800000, 0x40f14580, NX)  /* PI, E, ONE */
    T_S3(73, fmsub.s, rdn, 0x3f800000, 0x3f800000, 0x3f800000, 0x80000000, 0)  /* ONE, ONE, ONE */
    T_S3(74, fmsub.s, rdn, 0x3f800001, 0x3f800001, 0x3f800000, 0x34800000, NX)  /* ONEP, ONEP, ONE */
    T_S3(75, fmsub.s, rdn, 0x3f800000, 0x33800000, 0xbf800000, 0x3f800000, NX)  /* ONE, HULP, NONE */
    T_S3(76, fmsub.s, rdn, 0xff7fffff, 0x40000000, 0x7f7fffff, 0xff800000, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(77, fmsub.s, rup, 0x40490fdb, 0x402df854, 0x3f800000, 0x40f14581, NX)  /* PI, E, ONE */
    T_S3(78, fmsub.s, rup, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(79, fmsub.s, rup, 0x3f800001, 0x3f800001, 0x3f800000, 0x34800001, NX)  /* ONEP, ONEP, ONE */
    T_S3(80, fmsub.s, rup, 0x3f800000, 0x33800000, 0xbf800000, 0x3f800001, NX)  /* ONE, HULP, NONE */
    T_S3(81, fmsub.s, rup, 0xff7fffff, 0x40000000, 0x7f7fffff, 0xff7fffff, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(82, fmsub.s, rmm, 0x40490fdb, 0x402df854, 0x3f800000, 0x40f14581, NX)  /* PI, E, ONE */
    T_S3(83, fmsub.s, rmm, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(84, fmsub.s, rmm, 0x3f800001, 0x3f800001, 0x3f800000, 0x34800001, NX)  /* ONEP, ONEP, ONE */
    T_S3(85, fmsub.s, rmm, 0x3f800000, 0x33800000, 0xbf800000, 0x3f800001, NX)  /* ONE, HULP, NONE */
    T_S3(86, fmsub.s, rmm, 0xff7fffff, 0x40000000, 0x7f7fffff, 0xff800000, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(87, fmsub.s, rne, 0x7f800000, 0x00000000, 0x7fc00000, 0x7fc00000, NV)  /* INF, ZERO, QNAN */
    T_S3(88, fmsub.s, rne, 0x7f800000, 0x3f800000, 0x7f800000, 0x7fc00000, NV)  /* INF, ONE, INF */
    T_S3(89, fmsub.s, rne, 0xff800000, 0x3f800000, 0x7f800000, 0xff800000, 0)  /* NINF, ONE, INF */
    T_S3(90, fmsub.s, rne, 0x00000000, 0x3f800000, 0x00000000, 0x00000000, 0)  /* ZERO, ONE, ZERO */
    T_S3(91, fmsub.s, rne, 0x80000000, 0x3f800000, 0x00000000, 0x80000000, 0)  /* NZERO, ONE, ZERO */
    T_S3(92, fmsub.s, rne, 0x7f800001, 0x3f800000, 0x3f800000, 0x7fc00000, NV)  /* SNAN, ONE, ONE */

    /* fnmsub */
    T_S3(93, fnmsub.s, rne, 0x40490fdb, 0x402df854, 0x3f800000, 0xc0f14581, NX)  /* PI, E, ONE */
    T_S3(94, fnmsub.s, rne, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(95, fnmsub.s, rne, 0x3f800001, 0x3f800001, 0x3f800000, 0xb4800000, NX)  /* ONEP, ONEP, ONE */
    T_S3(96, fnmsub.s, rne, 0x3f800000, 0x33800000, 0xbf800000, 0xbf800000, NX)  /* ONE, HULP, NONE */
    T_S3(97, fnmsub.s, rne, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f800000, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(98, fnmsub.s, rtz, 0x40490fdb, 0x402df854, 0x3f800000, 0xc0f14580, NX)  /* PI, E, ONE */
    T_S3(99, fnmsub.s, rtz, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(100, fnmsub.s, rtz, 0x3f800001, 0x3f800001, 0x3f800000, 0xb4800000, NX)  /* ONEP, ONEP, ONE */
    T_S3(101, fnmsub.s, rtz, 0x3f800000, 0x33800000, 0xbf800000, 0xbf800000, NX)  /* ONE, HULP, NONE */
    T_S3(102, fnmsub.s, rtz, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f7fffff, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(103, fnmsub.s, rdn, 0x40490fdb, 0x402df854, 0x3f800000, 0xc0f14581, NX)  /* PI, E, ONE */
    T_S3(104, fnmsub.s, rdn, 0x3f800000, 0x3f800000, 0x3f800000, 0x80000000, 0)  /* ONE, ONE, ONE */
    T_S3(105, fnmsub.s, rdn, 0x3f800001, 0x3f800001, 0x3f800000, 0xb4800001, NX)  /* ONEP, ONEP, ONE */
    T_S3(106, fnmsub.s, rdn, 0x3f800000, 0x33800000, 0xbf800000, 0xbf800001, NX)  /* ONE, HULP, NONE */
    T_S3(107, fnmsub.s, rdn, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f7fffff, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(108, fnmsub.s, rup, 0x40490fdb, 0x402df854, 0x3f800000, 0xc0f14580, NX)  /* PI, E, ONE */
    T_S3(109, fnmsub.s, rup, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(110, fnmsub.s, rup, 0x3f800001, 0x3f800001, 0x3f800000, 0xb4800000, NX)  /* ONEP, ONEP, ONE */
    T_S3(111, fnmsub.s, rup, 0x3f800000, 0x33800000, 0xbf800000, 0xbf800000, NX)  /* ONE, HULP, NONE */
    T_S3(112, fnmsub.s, rup, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f800000, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(113, fnmsub.s, rmm, 0x40490fdb, 0x402df854, 0x3f800000, 0xc0f14581, NX)  /* PI, E, ONE */
    T_S3(114, fnmsub.s, rmm, 0x3f800000, 0x3f800000, 0x3f800000, 0x00000000, 0)  /* ONE, ONE, ONE */
    T_S3(115, fnmsub.s, rmm, 0x3f800001, 0x3f800001, 0x3f800000, 0xb4800001, NX)  /* ONEP, ONEP, ONE */
    T_S3(116, fnmsub.s, rmm, 0x3f800000, 0x33800000, 0xbf800000, 0xbf800001, NX)  /* ONE, HULP, NONE */
    T_S3(117, fnmsub.s, rmm, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f800000, OF|NX)  /* NMAX, TWO, MAX */
    T_S3(118, fnmsub.s, rne, 0x7f800000, 0x00000000, 0x7fc00000, 0x7fc00000, NV)  /* INF, ZERO, QNAN */
    T_S3(119, fnmsub.s, rne, 0x7f800000, 0x3f800000, 0x7f800000, 0x7fc00000, NV)  /* INF, ONE, INF */
    T_S3(120, fnmsub.s, rne, 0xff800000, 0x3f800000, 0x7f800000, 0x7f800000, 0)  /* NINF, ONE, INF */
    T_S3(121, fnmsub.s, rne, 0x00000000, 0x3f800000, 0x00000000, 0x00000000, 0)  /* ZERO, ONE, ZERO */
    T_S3(122, fnmsub.s, rne, 0x80000000, 0x3f800000, 0x00000000, 0x00000000, 0)  /* NZERO, ONE, ZERO */
    T_S3(123, fnmsub.s, rne, 0x7f800001, 0x3f800000, 0x3f800000, 0x7fc00000, NV)  /* SNAN, ONE, ONE */

    /* fnmadd */
    T_S3(124, fnmadd.s, rne, 0x40490fdb, 0x402df854, 0x3f800000, 0xc118a2c0, NX)  /* PI, E, ONE */
    T_S3(125, fnmadd.s, rne, 0x3f800000, 0x3f800000, 0x3f800000, 0xc0000000, 0)  /* ONE, ONE, ONE */
    T_S3(126, fnmadd.s, rne, 0x3f800001, 0x3f800001, 0x3f800000, 0xc0000001, NX)  /* ONEP, ONEP, ONE */
    T_S3(127, fnmadd.s, rne, 0x3f800000, 0x33800000, 0xbf800000, 0x3f7fffff, 0)  /* ONE, HULP, NONE */
    T_S3(128, fnmadd.s, rne, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f7fffff, 0)  /* NMAX, TWO, MAX */
    T_S3(129, fnmadd.s, rtz, 0x40490fdb, 0x402df854, 0x3f800000, 0xc118a2c0, NX)  /* PI, E, ONE */
    T_S3(130, fnmadd.s, rtz, 0x3f800000, 0x3f800000, 0x3f800000, 0xc0000000, 0)  /* ONE, ONE, ONE */
    T_S3(131, fnmadd.s, rtz, 0x3f800001, 0x3f800001, 0x3f800000, 0xc0000001, NX)  /* ONEP, ONEP, ONE */
    T_S3(132, fnmadd.s, rtz, 0x3f800000, 0x33800000, 0xbf800000, 0x3f7fffff, 0)  /* ONE, HULP, NONE */
    T_S3(133, fnmadd.s, rtz, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f7fffff, 0)  /* NMAX, TWO, MAX */
    T_S3(134, fnmadd.s, rdn, 0x40490fdb, 0x402df854, 0x3f800000, 0xc118a2c1, NX)  /* PI, E, ONE */
    T_S3(135, fnmadd.s, rdn, 0x3f800000, 0x3f800000, 0x3f800000, 0xc0000000, 0)  /* ONE, ONE, ONE */
    T_S3(136, fnmadd.s, rdn, 0x3f800001, 0x3f800001, 0x3f800000, 0xc0000002, NX)  /* ONEP, ONEP, ONE */
    T_S3(137, fnmadd.s, rdn, 0x3f800000, 0x33800000, 0xbf800000, 0x3f7fffff, 0)  /* ONE, HULP, NONE */
    T_S3(138, fnmadd.s, rdn, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f7fffff, 0)  /* NMAX, TWO, MAX */
    T_S3(139, fnmadd.s, rup, 0x40490fdb, 0x402df854, 0x3f800000, 0xc118a2c0, NX)  /* PI, E, ONE */
    T_S3(140, fnmadd.s, rup, 0x3f800000, 0x3f800000, 0x3f800000, 0xc0000000, 0)  /* ONE, ONE, ONE */
    T_S3(141, fnmadd.s, rup, 0x3f800001, 0x3f800001, 0x3f800000, 0xc0000001, NX)  /* ONEP, ONEP, ONE */
    T_S3(142, fnmadd.s, rup, 0x3f800000, 0x33800000, 0xbf800000, 0x3f7fffff, 0)  /* ONE, HULP, NONE */
    T_S3(143, fnmadd.s, rup, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f7fffff, 0)  /* NMAX, TWO, MAX */
    T_S3(144, fnmadd.s, rmm, 0x40490fdb, 0x402df854, 0x3f800000, 0xc118a2c0, NX)  /* PI, E, ONE */
    T_S3(145, fnmadd.s, rmm, 0x3f800000, 0x3f800000, 0x3f800000, 0xc0000000, 0)  /* ONE, ONE, ONE */
    T_S3(146, fnmadd.s, rmm, 0x3f800001, 0x3f800001, 0x3f800000, 0xc0000001, NX)  /* ONEP, ONEP, ONE */
    T_S3(147, fnmadd.s, rmm, 0x3f800000, 0x33800000, 0xbf800000, 0x3f7fffff, 0)  /* ONE, HULP, NONE */
    T_S3(148, fnmadd.s, rmm, 0xff7fffff, 0x40000000, 0x7f7fffff, 0x7f7fffff, 0)  /* NMAX, TWO, MAX */
    T_S3(149, fnmadd.s, rne, 0x7f800000, 0x00000000, 0x7fc00000, 0x7fc00000, NV)  /* INF, ZERO, QNAN */
    T_S3(150, fnmadd.s, rne, 0x7f800000, 0x3f800000, 0x7f800000, 0xff800000, 0)  /* INF, ONE, INF */
    T_S3(151, fnmadd.s, rne, 0xff800000, 0x3f800000, 0x7f800000, 0x7fc00000, NV)  /* NINF, ONE, INF */
    T_S3(152, fnmadd.s, rne, 0x00000000, 0x3f800000, 0x00000000, 0x80000000, 0)  /* ZERO, ONE, ZERO */
    T_S3(153, fnmadd.s, rne, 0x80000000, 0x3f800000, 0x00000000, 0x00000000, 0)  /* NZERO, ONE, ZERO */
    T_S3(154, fnmadd.s, rne, 0x7f800001, 0x3f800000, 0x3f800000, 0x7fc00000, NV)  /* SNAN, ONE, ONE */

ISA_PASS
