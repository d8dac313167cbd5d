/* fp_cvt_sd.S - fcvt.s.d (rounding, overflow, underflow with tininess after
 * rounding, NaN-boxed result, canonical NaN) in every static mode, and
 * fcvt.d.s (exact; sNaN raises NV, NaNs become the canonical NaN).
 */
#include "isa.h"

ISA_BEGIN

    /* fcvt.s.d: rounding, overflow and underflow in every mode */
    T_D1(1, fcvt.s.d, rne, 0x3ff0000010000000, 0xffffffff3f800000, NX)  /* 1+2^-24 (tie) */
    T_D1(2, fcvt.s.d, rne, 0x3ff0000010000001, 0xffffffff3f800001, NX)  /* 1+2^-24+2^-52 */
    T_D1(3, fcvt.s.d, rne, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_D1(4, fcvt.s.d, rne, 0xbfd5555555555555, 0xffffffffbeaaaaab, NX)  /* -1/3 */
    T_D1(5, fcvt.s.d, rne, 0x47effffff0000000, 0xffffffff7f800000, OF|NX)  /* FLT_MAX + half ulp (tie) */
    T_D1(6, fcvt.s.d, rne, 0x47efffffe8000000, 0xffffffff7f7fffff, NX)  /* FLT_MAX + quarter ulp */
    T_D1(7, fcvt.s.d, rne, 0xc7f0000000000000, 0xffffffffff800000, OF|NX)  /* -2^128 */
    T_D1(8, fcvt.s.d, rne, 0x3690000000000000, 0xffffffff00000000, UF|NX)  /* 2^-150 (tie) */
    T_D1(9, fcvt.s.d, rne, 0x3698000000000000, 0xffffffff00000001, UF|NX)  /* 1.5 * 2^-150 */
    T_D1(10, fcvt.s.d, rne, 0xb7a16c262777579c, 0xffffffff800116c2, UF|NX)  /* -1e-40 */
    T_D1(11, fcvt.s.d, rne, 0x380ffffff0000000, 0xffffffff00800000, NX)  /* just below FLT_MIN */
    T_D1(12, fcvt.s.d, rne, 0x358dee7a4ad4b81f, 0xffffffff00000000, UF|NX)  /* 1e-50 */
    T_D1(13, fcvt.s.d, rtz, 0x3ff0000010000000, 0xffffffff3f800000, NX)  /* 1+2^-24 (tie) */
    T_D1(14, fcvt.s.d, rtz, 0x3ff0000010000001, 0xffffffff3f800000, NX)  /* 1+2^-24+2^-52 */
    T_D1(15, fcvt.s.d, rtz, 0x3fd5555555555555, 0xffffffff3eaaaaaa, NX)  /* 1/3 */
    T_D1(16, fcvt.s.d, rtz, 0xbfd5555555555555, 0xffffffffbeaaaaaa, NX)  /* -1/3 */
    T_D1(17, fcvt.s.d, rtz, 0x47effffff0000000, 0xffffffff7f7fffff, NX)  /* FLT_MAX + half ulp (tie) */
    T_D1(18, fcvt.s.d, rtz, 0x47efffffe8000000, 0xffffffff7f7fffff, NX)  /* FLT_MAX + quarter ulp */
    T_D1(19, fcvt.s.d, rtz, 0xc7f0000000000000, 0xffffffffff7fffff, OF|NX)  /* -2^128 */
    T_D1(20, fcvt.s.d, rtz, 0x3690000000000000, 0xffffffff00000000, UF|NX)  /* 2^-150 (tie) */
    T_D1(21, fcvt.s.d, rtz, 0x3698000000000000, 0xffffffff00000000, UF|NX)  /* 1.5 * 2^-150 */
    T_D1(22, fcvt.s.d, rtz, 0xb7a16c262777579c, 0xffffffff800116c2, UF|NX)  /* -1e-40 */
    T_D1(23, fcvt.s.d, rtz, 0x380ffffff0000000, 0xffffffff007fffff, UF|NX)  /* just below FLT_MIN */
    T_D1(24, fcvt.s.d, rtz, 0x358dee7a4ad4b81f, 0xffffffff00000000, UF|NX)  /* 1e-50 */
    T_D1(25, fcvt.s.d, rdn, 0x3ff0000010000000, 0xffffffff3f800000, NX)  /* 1+2^-24 (tie) */
    T_D1(26, fcvt.s.d, rdn, 0x3ff0000010000001, 0xffffffff3f800000, NX)  /* 1+2^-24+2^-52 */
    T_D1(27, fcvt.s.d, rdn, 0x3fd5555555555555, 0xffffffff3eaaaaaa, NX)  /* 1/3 */
    T_D1(28, fcvt.s.d, rdn, 0xbfd5555555555555, 0xffffffffbeaaaaab, NX)  /* -1/3 */
    T_D1(29, fcvt.s.d, rdn, 0x47effffff0000000, 0xffffffff7f7fffff, NX)  /* FLT_MAX + half ulp (tie) */
    T_D1(30, fcvt.s.d, rdn, 0x47efffffe8000000, 0xffffffff7f7fffff, NX)  /* FLT_MAX + quarter ulp */
    T_D1(31, fcvt.s.d, rdn, 0xc7f0000000000000, 0xffffffffff800000, OF|NX)  /* -2^128 */
    T_D1(32, fcvt.s.d, rdn, 0x3690000000000000, 0xffffffff00000000, UF|NX)  /* 2^-150 (tie) */
    T_D1(33, fcvt.s.d, rdn, 0x3698000000000000, 0xffffffff00000000, UF|NX)  /* 1.5 * 2^-150 */
    T_D1(34, fcvt.s.d, rdn, 0xb7a16c262777579c, 0xffffffff800116c3, UF|NX)  /* -1e-40 */
    T_D1(35, fcvt.s.d, rdn, 0x380ffffff0000000, 0xffffffff007fffff, UF|NX)  /* just below FLT_MIN */
    T_D1(36, fcvt.s.d, rdn, 0x358dee7a4ad4b81f, 0xffffffff00000000, UF|NX)  /* 1e-50 */
    T_D1(37, fcvt.s.d, rup, 0x3ff0000010000000, 0xffffffff3f800001, NX)  /* 1+2^-24 (tie) */
    T_D1(38, fcvt.s.d, rup, 0x3ff0000010000001, 0xffffffff3f800001, NX)  /* 1+2^-24+2^-52 */
    T_D1(39, fcvt.s.d, rup, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_D1(40, fcvt.s.d, rup, 0xbfd5555555555555, 0xffffffffbeaaaaaa, NX)  /* -1/3 */
    T_D1(41, fcvt.s.d, rup, 0x47effffff0000000, 0xffffffff7f800000, OF|NX)  /* FLT_MAX + half ulp (tie) */
    T_D1(42, fcvt.s.d, rup, 0x47efffffe8000000, 0xffffffff7f800000, OF|NX)  /* FLT_MAX + quarter ulp */
    T_D1(43, fcvt.s.d, rup, 0xc7f0000000000000, 0xffffffffff7fffff, OF|NX)  /* -2^128 */
    T_D1(44, fcvt.s.d, rup, 0x3690000000000000, 0xffffffff00000001, UF|NX)  /* 2^-150 (tie) */
    T_D1(45, fcvt.s.d, rup, 0x3698000000000000, 0xffffffff00000001, UF|NX)  /* 1.5 * 2^-150 */
    T_D1(46, fcvt.s.d, rup, 0xb7a16c262777579c, 0xffffffff800116c2, UF|NX)  /* -1e-40 */
    T_D1(47, fcvt.s.d, rup, 0x380ffffff0000000, 0xffffffff00800000, NX)  /* just below FLT_MIN */
    T_D1(48, fcvt.s.d, rup, 0x358dee7a4ad4b81f, 0xffffffff00000001, UF|NX)  /* 1e-50 */
    T_D1(49, fcvt.s.d, rmm, 0x3ff0000010000000, 0xffffffff3f800001, NX)  /* 1+2^-24 (tie) */
    T_D1(50, fcvt.s.d, rmm, 0x3ff0000010000001, 0xffffffff3f800001, NX)  /* 1+2^-24+2^-52 */
    T_D1(51, fcvt.s.d, rmm, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_D1(52, fcvt.s.d, rmm, 0xbfd5555555555555, 0xffffffffbeaaaaab, NX)  /* -1/3 */
    T_D1(53, fcvt.s.d, rmm, 0x47effffff0000000, 0xffffffff7f800000, OF|NX)  /* FLT_MAX + half ulp (tie) */
    T_D1(54, fcvt.s.d, rmm, 0x47efffffe8000000, 0xffffffff7f7fffff, NX)  /* FLT_MAX + quarter ulp */
    T_D1(55, fcvt.s.d, rmm, 0xc7f0000000000000, 0xffffffffff800000, OF|NX)  /* -2^128 */
    T_D1(56, fcvt.s.d, rmm, 0x3690000000000000, 0xffffffff00000001, UF|NX)  /* 2^-150 (tie) */
    T_D1(57, fcvt.s.d, rmm, 0x3698000000000000, 0xffffffff00000001, UF|NX)  /* 1.5 * 2^-150 */
    T_D1(58, fcvt.s.d, rmm, 0xb7a16c262777579c, 0xffffffff800116c2, UF|NX)  /* -1e-40 */
    T_D1(59, fcvt.s.d, rmm, 0x380ffffff0000000, 0xffffffff00800000, NX)  /* just below FLT_MIN */
    T_D1(60, fcvt.s.d, rmm, 0x358dee7a4ad4b81f, 0xffffffff00000000, UF|NX)  /* 1e-50 */
    T_D1(61, fcvt.s.d, rne, 0x7ff0000000000001, 0xffffffff7fc00000, NV)  /* sNaN */
    T_D1(62, fcvt.s.d, rne, 0x7ff8000000012345, 0xffffffff7fc00000, 0)  /* qNaN payload */
    T_D1(63, fcvt.s.d, rne, 0xfff8000000000000, 0xffffffff7fc00000, 0)  /* -qNaN */
    T_D1(64, fcvt.s.d, rne, 0xfff0000000000000, 0xffffffffff800000, 0)  /* -inf */
    T_D1(65, fcvt.s.d, rne, 0x8000000000000000, 0xffffffff80000000, 0)  /* -0 */
    T_D1(66, fcvt.s.d, rne, 0x7fefffffffffffff, 0xffffffff7f800000, OF|NX)  /* DBL_MAX */
    T_D1(67, fcvt.s.d, rne, 0x36a0000000000000, 0xffffffff00000001, 0)  /* 2^-149 */
    T_D1(68, fcvt.s.d, rne, 0x47efffffe0000000, 0xffffffff7f7fffff, 0)  /* FLT_MAX */
    T_D1(69, fcvt.s.d, rne, 0xb810000000000000, 0xffffffff80800000, 0)  /* -FLT_MIN */
    T_D1(70, fcvt.s.d, rne, 0x0000000000000001, 0xffffffff00000000, UF|NX)  /* DBL_MINSUB */

    /* fcvt.d.s: always exact; sNaN gives NV and the canonical NaN */
    T_DS(71, fcvt.d.s, 0x3f800000, 0x3ff0000000000000, 0)  /* 1.0f */
    T_DS(72, fcvt.d.s, 0x00000001, 0x36a0000000000000, 0)  /* FLT_MINSUB */
    T_DS(73, fcvt.d.s, 0x807fffff, 0xb80fffffc0000000, 0)  /* -FLT_MAXSUB */
    T_DS(74, fcvt.d.s, 0x7f7fffff, 0x47efffffe0000000, 0)  /* FLT_MAX */
    T_DS(75, fcvt.d.s, 0x7f800001, 0x7ff8000000000000, NV)  /* sNaN */
    T_DS(76, fcvt.d.s, 0x7fc12345, 0x7ff8000000000000, 0)  /* qNaN payload */
    T_DS(77, fcvt.d.s, 0xff800000, 0xfff0000000000000, 0)  /* -inf */
    T_DS(78, fcvt.d.s, 0x80000000, 0x8000000000000000, 0)  /* -0 */
    T_DS(79, fcvt.d.s, 0x40490fdb, 0x400921fb60000000, 0)  /* pi */

ISA_PASS
