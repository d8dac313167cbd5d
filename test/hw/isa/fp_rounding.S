/* fp_rounding.S - dynamic rounding mode: frm (set with fsrm/fsrmi, csrw frm
 * or through fcsr) selects the rounding of every instruction whose rm field
 * is 111 (dyn, the assembler default), for arithmetic, fused multiply-add and
 * conversions in both precisions; a static rm field overrides frm; invalid
 * frm values (5-7) make dyn instructions illegal but not static-rm or
 * non-rounding ones; the reserved static rm encodings 101/110 are illegal.
 */
#include "isa.h"

ISA_BEGIN
    /* fsrm / fsrmi swap frm, frrm reads it, fcsr[7:5] is the same field */
    fsrmi a0, 3
    ICHECK(a0, 0, 150)
    frrm a0
    ICHECK(a0, 3, 151)
    li a1, 1
    fsrm a0, a1
    ICHECK(a0, 3, 152)
    frcsr a0
    andi a0, a0, 0xe0
    ICHECK(a0, 0x20, 153)
    li a1, 4 << 5
    fscsr a1
    frrm a0
    ICHECK(a0, 4, 154)
    csrwi frm, 2
    csrr a0, fcsr
    ICHECK(a0, 0x40, 155)
    csrrwi a0, frm, 0
    ICHECK(a0, 2, 156)

    /* frm = 0 (rne): dynamic rounding (rm field 111) uses it */
    fsrmi 0
    T_S2(1, fadd.s, dyn, 0x3f800000, 0x33800000, 0x3f800000, NX)  /* 1 + 2^-24 */
    T_S2(2, fadd.s, dyn, 0xbf800000, 0xb3800000, 0xbf800000, NX)  /* -1 - 2^-24 */
    T_D2(3, fsub.d, dyn, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(4, fmul.d, dyn, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(5, fmul.d, dyn, 0xffefffffffffffff, 0x4000000000000000, 0xfff0000000000000, OF|NX)  /* -MAX * 2 */
    T_S2(6, fdiv.s, dyn, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* 1 / 3 */
    T_D1(7, fsqrt.d, dyn, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* sqrt 2 */
    T_S3(8, fmadd.s, dyn, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14581, NX)  /* pi*e - 1 */
    T_D3(9, fnmadd.d, dyn, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000000, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(10, fcvt.w.s, dyn, 0xc0200000, 0xfffffffffffffffe, NX)  /* -2.5 */
    T_D1X(11, fcvt.lu.d, dyn, 0x4004000000000000, 0x2, NX)  /* 2.5 */
    T_D1(12, fcvt.s.d, dyn, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_XS(13, fcvt.s.l, dyn, 0x1000001, 0x4b800000, NX)  /* 2^24 + 1 */
    T_XD(14, fcvt.d.lu, dyn, 0xffffffffffffffff, 0x43f0000000000000, NX)  /* 2^64 - 1 */
    frrm a0
    ICHECK(a0, 0, 15)                    /* frm is not changed by FP instructions */

    /* frm = 1 (rtz): dynamic rounding (rm field 111) uses it */
    fsrmi 1
    T_S2(16, fadd.s, dyn, 0x3f800000, 0x33800000, 0x3f800000, NX)  /* 1 + 2^-24 */
    T_S2(17, fadd.s, dyn, 0xbf800000, 0xb3800000, 0xbf800000, NX)  /* -1 - 2^-24 */
    T_D2(18, fsub.d, dyn, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(19, fmul.d, dyn, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(20, fmul.d, dyn, 0xffefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, OF|NX)  /* -MAX * 2 */
    T_S2(21, fdiv.s, dyn, 0x3f800000, 0x40400000, 0x3eaaaaaa, NX)  /* 1 / 3 */
    T_D1(22, fsqrt.d, dyn, 0x4000000000000000, 0x3ff6a09e667f3bcc, NX)  /* sqrt 2 */
    T_S3(23, fmadd.s, dyn, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14580, NX)  /* pi*e - 1 */
    T_D3(24, fnmadd.d, dyn, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000000, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(25, fcvt.w.s, dyn, 0xc0200000, 0xfffffffffffffffe, NX)  /* -2.5 */
    T_D1X(26, fcvt.lu.d, dyn, 0x4004000000000000, 0x2, NX)  /* 2.5 */
    T_D1(27, fcvt.s.d, dyn, 0x3fd5555555555555, 0xffffffff3eaaaaaa, NX)  /* 1/3 */
    T_XS(28, fcvt.s.l, dyn, 0x1000001, 0x4b800000, NX)  /* 2^24 + 1 */
    T_XD(29, fcvt.d.lu, dyn, 0xffffffffffffffff, 0x43efffffffffffff, NX)  /* 2^64 - 1 */
    frrm a0
    ICHECK(a0, 1, 30)                    /* frm is not changed by FP instructions */

    /* frm = 2 (rdn): dynamic rounding (rm field 111) uses it */
    fsrmi 2
    T_S2(31, fadd.s, dyn, 0x3f800000, 0x33800000, 0x3f800000, NX)  /* 1 + 2^-24 */
    T_S2(32, fadd.s, dyn, 0xbf800000, 0xb3800000, 0xbf800001, NX)  /* -1 - 2^-24 */
    T_D2(33, fsub.d, dyn, 0x3ff0000000000000, 0x3ff0000000000000, 0x8000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(34, fmul.d, dyn, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(35, fmul.d, dyn, 0xffefffffffffffff, 0x4000000000000000, 0xfff0000000000000, OF|NX)  /* -MAX * 2 */
    T_S2(36, fdiv.s, dyn, 0x3f800000, 0x40400000, 0x3eaaaaaa, NX)  /* 1 / 3 */
    T_D1(37, fsqrt.d, dyn, 0x4000000000000000, 0x3ff6a09e667f3bcc, NX)  /* sqrt 2 */
    T_S3(38, fmadd.s, dyn, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14580, NX)  /* pi*e - 1 */
    T_D3(39, fnmadd.d, dyn, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000001, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(40, fcvt.w.s, dyn, 0xc0200000, 0xfffffffffffffffd, NX)  /* -2.5 */
    T_D1X(41, fcvt.lu.d, dyn, 0x4004000000000000, 0x2, NX)  /* 2.5 */
    T_D1(42, fcvt.s.d, dyn, 0x3fd5555555555555, 0xffffffff3eaaaaaa, NX)  /* 1/3 */
    T_XS(43, fcvt.s.l, dyn, 0x1000001, 0x4b800000, NX)  /* 2^24 + 1 */
    T_XD(44, fcvt.d.lu, dyn, 0xffffffffffffffff, 0x43efffffffffffff, NX)  /* 2^64 - 1 */
    frrm a0
    ICHECK(a0, 2, 45)                    /* frm is not changed by FP instructions */

    /* frm = 3 (rup): dynamic rounding (rm field 111) uses it */
    fsrmi 3
    T_S2(46, fadd.s, dyn, 0x3f800000, 0x33800000, 0x3f800001, NX)  /* 1 + 2^-24 */
    T_S2(47, fadd.s, dyn, 0xbf800000, 0xb3800000, 0xbf800000, NX)  /* -1 - 2^-24 */
    T_D2(48, fsub.d, dyn, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(49, fmul.d, dyn, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d475, NX)  /* pi * e */
    T_D2(50, fmul.d, dyn, 0xffefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, OF|NX)  /* -MAX * 2 */
    T_S2(51, fdiv.s, dyn, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* 1 / 3 */
    T_D1(52, fsqrt.d, dyn, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* sqrt 2 */
    T_S3(53, fmadd.s, dyn, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14581, NX)  /* pi*e - 1 */
    T_D3(54, fnmadd.d, dyn, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000000, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(55, fcvt.w.s, dyn, 0xc0200000, 0xfffffffffffffffe, NX)  /* -2.5 */
    T_D1X(56, fcvt.lu.d, dyn, 0x4004000000000000, 0x3, NX)  /* 2.5 */
    T_D1(57, fcvt.s.d, dyn, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_XS(58, fcvt.s.l, dyn, 0x1000001, 0x4b800001, NX)  /* 2^24 + 1 */
    T_XD(59, fcvt.d.lu, dyn, 0xffffffffffffffff, 0x43f0000000000000, NX)  /* 2^64 - 1 */
    frrm a0
    ICHECK(a0, 3, 60)                    /* frm is not changed by FP instructions */

    /* frm = 4 (rmm): dynamic rounding (rm field 111) uses it */
    fsrmi 4
    T_S2(61, fadd.s, dyn, 0x3f800000, 0x33800000, 0x3f800001, NX)  /* 1 + 2^-24 */
    T_S2(62, fadd.s, dyn, 0xbf800000, 0xb3800000, 0xbf800001, NX)  /* -1 - 2^-24 */
    T_D2(63, fsub.d, dyn, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(64, fmul.d, dyn, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(65, fmul.d, dyn, 0xffefffffffffffff, 0x4000000000000000, 0xfff0000000000000, OF|NX)  /* -MAX * 2 */
    T_S2(66, fdiv.s, dyn, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* 1 / 3 */
    T_D1(67, fsqrt.d, dyn, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* sqrt 2 */
    T_S3(68, fmadd.s, dyn, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14581, NX)  /* pi*e - 1 */
    T_D3(69, fnmadd.d, dyn, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000001, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(70, fcvt.w.s, dyn, 0xc0200000, 0xfffffffffffffffd, NX)  /* -2.5 */
    T_D1X(71, fcvt.lu.d, dyn, 0x4004000000000000, 0x3, NX)  /* 2.5 */
    T_D1(72, fcvt.s.d, dyn, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_XS(73, fcvt.s.l, dyn, 0x1000001, 0x4b800001, NX)  /* 2^24 + 1 */
    T_XD(74, fcvt.d.lu, dyn, 0xffffffffffffffff, 0x43f0000000000000, NX)  /* 2^64 - 1 */
    frrm a0
    ICHECK(a0, 4, 75)                    /* frm is not changed by FP instructions */

    /* static rm = rtz overrides frm = 3 */
    fsrmi 3
    T_S2(76, fadd.s, rtz, 0x3f800000, 0x33800000, 0x3f800000, NX)  /* 1 + 2^-24 */
    T_S2(77, fadd.s, rtz, 0xbf800000, 0xb3800000, 0xbf800000, NX)  /* -1 - 2^-24 */
    T_D2(78, fsub.d, rtz, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(79, fmul.d, rtz, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(80, fmul.d, rtz, 0xffefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, OF|NX)  /* -MAX * 2 */
    T_S2(81, fdiv.s, rtz, 0x3f800000, 0x40400000, 0x3eaaaaaa, NX)  /* 1 / 3 */
    T_D1(82, fsqrt.d, rtz, 0x4000000000000000, 0x3ff6a09e667f3bcc, NX)  /* sqrt 2 */
    T_S3(83, fmadd.s, rtz, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14580, NX)  /* pi*e - 1 */
    T_D3(84, fnmadd.d, rtz, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000000, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(85, fcvt.w.s, rtz, 0xc0200000, 0xfffffffffffffffe, NX)  /* -2.5 */
    T_D1X(86, fcvt.lu.d, rtz, 0x4004000000000000, 0x2, NX)  /* 2.5 */
    T_D1(87, fcvt.s.d, rtz, 0x3fd5555555555555, 0xffffffff3eaaaaaa, NX)  /* 1/3 */
    T_XS(88, fcvt.s.l, rtz, 0x1000001, 0x4b800000, NX)  /* 2^24 + 1 */
    T_XD(89, fcvt.d.lu, rtz, 0xffffffffffffffff, 0x43efffffffffffff, NX)  /* 2^64 - 1 */

    /* static rm = rne overrides frm = 2 */
    fsrmi 2
    T_S2(90, fadd.s, rne, 0x3f800000, 0x33800000, 0x3f800000, NX)  /* 1 + 2^-24 */
    T_S2(91, fadd.s, rne, 0xbf800000, 0xb3800000, 0xbf800000, NX)  /* -1 - 2^-24 */
    T_D2(92, fsub.d, rne, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(93, fmul.d, rne, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(94, fmul.d, rne, 0xffefffffffffffff, 0x4000000000000000, 0xfff0000000000000, OF|NX)  /* -MAX * 2 */
    T_S2(95, fdiv.s, rne, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* 1 / 3 */
    T_D1(96, fsqrt.d, rne, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* sqrt 2 */
    T_S3(97, fmadd.s, rne, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14581, NX)  /* pi*e - 1 */
    T_D3(98, fnmadd.d, rne, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000000, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(99, fcvt.w.s, rne, 0xc0200000, 0xfffffffffffffffe, NX)  /* -2.5 */
    T_D1X(100, fcvt.lu.d, rne, 0x4004000000000000, 0x2, NX)  /* 2.5 */
    T_D1(101, fcvt.s.d, rne, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_XS(102, fcvt.s.l, rne, 0x1000001, 0x4b800000, NX)  /* 2^24 + 1 */
    T_XD(103, fcvt.d.lu, rne, 0xffffffffffffffff, 0x43f0000000000000, NX)  /* 2^64 - 1 */

    /* static rm = rdn overrides frm = 4 */
    fsrmi 4
    T_S2(104, fadd.s, rdn, 0x3f800000, 0x33800000, 0x3f800000, NX)  /* 1 + 2^-24 */
    T_S2(105, fadd.s, rdn, 0xbf800000, 0xb3800000, 0xbf800001, NX)  /* -1 - 2^-24 */
    T_D2(106, fsub.d, rdn, 0x3ff0000000000000, 0x3ff0000000000000, 0x8000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(107, fmul.d, rdn, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(108, fmul.d, rdn, 0xffefffffffffffff, 0x4000000000000000, 0xfff0000000000000, OF|NX)  /* -MAX * 2 */
    T_S2(109, fdiv.s, rdn, 0x3f800000, 0x40400000, 0x3eaaaaaa, NX)  /* 1 / 3 */
    T_D1(110, fsqrt.d, rdn, 0x4000000000000000, 0x3ff6a09e667f3bcc, NX)  /* sqrt 2 */
    T_S3(111, fmadd.s, rdn, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14580, NX)  /* pi*e - 1 */
    T_D3(112, fnmadd.d, rdn, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000001, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(113, fcvt.w.s, rdn, 0xc0200000, 0xfffffffffffffffd, NX)  /* -2.5 */
    T_D1X(114, fcvt.lu.d, rdn, 0x4004000000000000, 0x2, NX)  /* 2.5 */
    T_D1(115, fcvt.s.d, rdn, 0x3fd5555555555555, 0xffffffff3eaaaaaa, NX)  /* 1/3 */
    T_XS(116, fcvt.s.l, rdn, 0x1000001, 0x4b800000, NX)  /* 2^24 + 1 */
    T_XD(117, fcvt.d.lu, rdn, 0xffffffffffffffff, 0x43efffffffffffff, NX)  /* 2^64 - 1 */

    /* static rm = rup overrides frm = 0 */
    fsrmi 0
    T_S2(118, fadd.s, rup, 0x3f800000, 0x33800000, 0x3f800001, NX)  /* 1 + 2^-24 */
    T_S2(119, fadd.s, rup, 0xbf800000, 0xb3800000, 0xbf800000, NX)  /* -1 - 2^-24 */
    T_D2(120, fsub.d, rup, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(121, fmul.d, rup, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d475, NX)  /* pi * e */
    T_D2(122, fmul.d, rup, 0xffefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, OF|NX)  /* -MAX * 2 */
    T_S2(123, fdiv.s, rup, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* 1 / 3 */
    T_D1(124, fsqrt.d, rup, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* sqrt 2 */
    T_S3(125, fmadd.s, rup, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14581, NX)  /* pi*e - 1 */
    T_D3(126, fnmadd.d, rup, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000000, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(127, fcvt.w.s, rup, 0xc0200000, 0xfffffffffffffffe, NX)  /* -2.5 */
    T_D1X(128, fcvt.lu.d, rup, 0x4004000000000000, 0x3, NX)  /* 2.5 */
    T_D1(129, fcvt.s.d, rup, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_XS(130, fcvt.s.l, rup, 0x1000001, 0x4b800001, NX)  /* 2^24 + 1 */
    T_XD(131, fcvt.d.lu, rup, 0xffffffffffffffff, 0x43f0000000000000, NX)  /* 2^64 - 1 */

    /* static rm = rmm overrides frm = 1 */
    fsrmi 1
    T_S2(132, fadd.s, rmm, 0x3f800000, 0x33800000, 0x3f800001, NX)  /* 1 + 2^-24 */
    T_S2(133, fadd.s, rmm, 0xbf800000, 0xb3800000, 0xbf800001, NX)  /* -1 - 2^-24 */
    T_D2(134, fsub.d, rmm, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000000, 0)  /* 1 - 1: -0 only in rdn */
    T_D2(135, fmul.d, rmm, 0x400921fb54442d18, 0x4005bf0a8b145769, 0x402114580b45d474, NX)  /* pi * e */
    T_D2(136, fmul.d, rmm, 0xffefffffffffffff, 0x4000000000000000, 0xfff0000000000000, OF|NX)  /* -MAX * 2 */
    T_S2(137, fdiv.s, rmm, 0x3f800000, 0x40400000, 0x3eaaaaab, NX)  /* 1 / 3 */
    T_D1(138, fsqrt.d, rmm, 0x4000000000000000, 0x3ff6a09e667f3bcd, NX)  /* sqrt 2 */
    T_S3(139, fmadd.s, rmm, 0x40490fdb, 0x402df854, 0xbf800000, 0x40f14581, NX)  /* pi*e - 1 */
    T_D3(140, fnmadd.d, rmm, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000, 0x8000000000000001, UF|NX)  /* -(minsub/2) - 0 */
    T_S1X(141, fcvt.w.s, rmm, 0xc0200000, 0xfffffffffffffffd, NX)  /* -2.5 */
    T_D1X(142, fcvt.lu.d, rmm, 0x4004000000000000, 0x3, NX)  /* 2.5 */
    T_D1(143, fcvt.s.d, rmm, 0x3fd5555555555555, 0xffffffff3eaaaaab, NX)  /* 1/3 */
    T_XS(144, fcvt.s.l, rmm, 0x1000001, 0x4b800001, NX)  /* 2^24 + 1 */
    T_XD(145, fcvt.d.lu, rmm, 0xffffffffffffffff, 0x43f0000000000000, NX)  /* 2^64 - 1 */

    /* invalid frm values: dyn instructions raise illegal instruction */
    FLI_S(f1, 0x3f800000)
    FLI_S(f2, 0x40000000)
    FLI_D(f3, 0x4000000000000000)
    li a1, 5
    fsrm a1
    frrm a0
    ICHECK(a0, 5, 160)                  /* the field holds the value */
    fsflags x0
    FLI_S(f0, 0x12345678)
    EXPECT_TRAP
    fadd.s f0, f1, f2                   /* dyn */
    CHECK_TRAPPED(2, 161)
    FCHECK_S(f0, 0x12345678, 0, 162)    /* destination not written, no flags */
    fsrmi 6
    EXPECT_TRAP
    fsqrt.d f0, f3
    CHECK_TRAPPED(2, 163)
    fsrmi 7
    EXPECT_TRAP
    fcvt.w.s a0, f1
    CHECK_TRAPPED(2, 164)
    EXPECT_TRAP
    fmadd.d f0, f3, f3, f3
    CHECK_TRAPPED(2, 165)
    /* ... but static rounding modes and non-rounding instructions work */
    fadd.s f0, f1, f2, rtz
    FCHECK_S(f0, 0x40400000, 0, 166)
    fsgnjn.s f0, f1, f1
    FCHECK_S(f0, 0xbf800000, 0, 167)
    fmin.d f0, f3, f3
    FCHECK_D(f0, 0x4000000000000000, 0, 168)
    fcvt.d.s f0, f1                     /* exact conversion encoded with rm = 000 */
    FCHECK_D(f0, 0x3ff0000000000000, 0, 169)
    feq.s a0, f1, f2
    ICHECK(a0, 0, 170)
    fmv.x.d a0, f3
    ICHECK(a0, 0x4000000000000000, 171)
    fsrmi 0

    /* reserved static rm encodings 101 and 110 are illegal */
    EXPECT_TRAP
    .insn r 0x53, 5, 0x00, f0, f1, f2   /* fadd.s f0, f1, f2, rm=101 */
    CHECK_TRAPPED(2, 172)
    EXPECT_TRAP
    .insn r 0x53, 6, 0x01, f0, f3, f3   /* fadd.d f0, f3, f3, rm=110 */
    CHECK_TRAPPED(2, 173)
    EXPECT_TRAP
    .insn r4 0x43, 5, 0, f0, f1, f1, f1 /* fmadd.s rm=101 */
    CHECK_TRAPPED(2, 174)
    /* and the same encoding with a valid static rm executes */
    .insn r 0x53, 1, 0x00, f0, f1, f2   /* fadd.s f0, f1, f2, rtz */
    FCHECK_S(f0, 0x40400000, 0, 175)

ISA_PASS
