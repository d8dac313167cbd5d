/* rv64m.S - M extension: mul, mulh, mulhsu, mulhu, mulw, div, divu, rem, remu,
 * divw, divuw, remw, remuw.  Spec: division by zero gives quotient all ones
 * (2^XLEN-1 / -1) and remainder = dividend; signed overflow MIN/-1 gives
 * quotient MIN and remainder 0; division truncates towards zero and the
 * remainder has the sign of the dividend; W forms use the low 32 bits of the
 * operands and sign-extend the 32-bit result.
 */
#include "isa.h"

ISA_BEGIN

    /* mul: low 64 bits */
    T_RR(1, mul, 0x0, 0x0, 0x0)
    T_RR(2, mul, 0x1, 0x1, 0x1)
    T_RR(3, mul, 0x3, 0x7, 0x15)
    T_RR(4, mul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_RR(5, mul, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    T_RR(6, mul, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
    T_RR(7, mul, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1)
    T_RR(8, mul, 0x8000000000000000, 0x2, 0x0)
    T_RR(9, mul, 0x123456789abcdef0, 0xfedcba9876543210, 0x236d88fe5618cf00)
    T_RR(10, mul, 0x100000000, 0x100000000, 0x0)
    T_RR(11, mul, 0xfffffffffffffffd, 0x5, 0xfffffffffffffff1)

    /* mulh: signed x signed, high 64 bits */
    T_RR(12, mulh, 0x0, 0x0, 0x0)
    T_RR(13, mulh, 0x1, 0x1, 0x0)
    T_RR(14, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    T_RR(15, mulh, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    T_RR(16, mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
    T_RR(17, mulh, 0x8000000000000000, 0xffffffffffffffff, 0x0)
    T_RR(18, mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff)
    T_RR(19, mulh, 0x8000000000000000, 0x7fffffffffffffff, 0xc000000000000000)
    T_RR(20, mulh, 0x123456789abcdef0, 0xfedcba9876543210, 0xffeb49923cc09532)
    T_RR(21, mulh, 0xfffffffffffffffd, 0x5, 0xffffffffffffffff)
    T_RR(22, mulh, 0x100000000, 0x100000000, 0x1)

    /* mulhsu: signed rs1 x unsigned rs2 */
    T_RR(23, mulhsu, 0x0, 0x0, 0x0)
    T_RR(24, mulhsu, 0x1, 0x1, 0x0)
    T_RR(25, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(26, mulhsu, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    T_RR(27, mulhsu, 0x1, 0xffffffffffffffff, 0x0)
    T_RR(28, mulhsu, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
    T_RR(29, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xc000000000000000)
    T_RR(30, mulhsu, 0x7fffffffffffffff, 0xffffffffffffffff, 0x7ffffffffffffffe)
    T_RR(31, mulhsu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422)
    T_RR(32, mulhsu, 0xfffffffffffffffd, 0x5, 0xffffffffffffffff)
    T_RR(33, mulhsu, 0xfedcba9876543210, 0x123456789abcdef0, 0xffeb49923cc09532)

    /* mulhu: unsigned x unsigned */
    T_RR(34, mulhu, 0x0, 0x0, 0x0)
    T_RR(35, mulhu, 0x1, 0x1, 0x0)
    T_RR(36, mulhu, 0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffffe)
    T_RR(37, mulhu, 0xffffffffffffffff, 0x1, 0x0)
    T_RR(38, mulhu, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
    T_RR(39, mulhu, 0x8000000000000000, 0x2, 0x1)
    T_RR(40, mulhu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff)
    T_RR(41, mulhu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422)
    T_RR(42, mulhu, 0x100000000, 0x100000000, 0x1)
    T_RR(43, mulhu, 0xffffffffffffffff, 0x2, 0x1)

    /* mulw: low 32 bits of the product, sign-extended */
    T_RR(44, mulw, 0x0, 0x0, 0x0)
    T_RR(45, mulw, 0x3, 0x7, 0x15)
    T_RR(46, mulw, 0x7fffffff, 0x2, 0xfffffffffffffffe)
    T_RR(47, mulw, 0xffffffff, 0xffffffff, 0x1)
    T_RR(48, mulw, 0x10000, 0x10000, 0x0)
    T_RR(49, mulw, 0x1234567800000003, 0x9abc000000000005, 0xf)
    T_RR(50, mulw, 0x80000000, 0xffffffffffffffff, 0xffffffff80000000)
    T_RR(51, mulw, 0xfffffffffffffffd, 0x5, 0xfffffffffffffff1)
    T_RR(52, mulw, 0x8000, 0x10000, 0xffffffff80000000)

    /* div/divu/rem/remu incl. divide by zero and signed overflow */
    T_RR(53, div, 0x14, 0x6, 0x3)
    T_RR(54, div, 0xffffffffffffffec, 0x6, 0xfffffffffffffffd)
    T_RR(55, div, 0x14, 0xfffffffffffffffa, 0xfffffffffffffffd)
    T_RR(56, div, 0xffffffffffffffec, 0xfffffffffffffffa, 0x3)
    T_RR(57, div, 0x0, 0x5, 0x0)
    T_RR(58, div, 0x5, 0x0, 0xffffffffffffffff)
    T_RR(59, div, 0xfffffffffffffffb, 0x0, 0xffffffffffffffff)
    T_RR(60, div, 0x0, 0x0, 0xffffffffffffffff)
    T_RR(61, div, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
    T_RR(62, div, 0x8000000000000000, 0x1, 0x8000000000000000)
    T_RR(63, div, 0x8000000000000000, 0x8000000000000000, 0x1)
    T_RR(64, div, 0x7fffffffffffffff, 0x8000000000000000, 0x0)
    T_RR(65, div, 0x8000000000000000, 0x2, 0xc000000000000000)
    T_RR(66, div, 0x123456789abcdef0, 0x100000000, 0x12345678)
    T_RR(67, div, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(68, rem, 0x14, 0x6, 0x2)
    T_RR(69, rem, 0xffffffffffffffec, 0x6, 0xfffffffffffffffe)
    T_RR(70, rem, 0x14, 0xfffffffffffffffa, 0x2)
    T_RR(71, rem, 0xffffffffffffffec, 0xfffffffffffffffa, 0xfffffffffffffffe)
    T_RR(72, rem, 0x0, 0x5, 0x0)
    T_RR(73, rem, 0x5, 0x0, 0x5)
    T_RR(74, rem, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb)
    T_RR(75, rem, 0x0, 0x0, 0x0)
    T_RR(76, rem, 0x8000000000000000, 0xffffffffffffffff, 0x0)
    T_RR(77, rem, 0x8000000000000000, 0x1, 0x0)
    T_RR(78, rem, 0x8000000000000000, 0x8000000000000000, 0x0)
    T_RR(79, rem, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    T_RR(80, rem, 0x8000000000000000, 0x2, 0x0)
    T_RR(81, rem, 0x123456789abcdef0, 0x100000000, 0x9abcdef0)
    T_RR(82, rem, 0x1, 0xffffffffffffffff, 0x0)
    T_RR(83, divu, 0x14, 0x6, 0x3)
    T_RR(84, divu, 0xffffffffffffffec, 0x6, 0x2aaaaaaaaaaaaaa7)
    T_RR(85, divu, 0x14, 0xfffffffffffffffa, 0x0)
    T_RR(86, divu, 0x0, 0x5, 0x0)
    T_RR(87, divu, 0x5, 0x0, 0xffffffffffffffff)
    T_RR(88, divu, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
    T_RR(89, divu, 0x0, 0x0, 0xffffffffffffffff)
    T_RR(90, divu, 0x8000000000000000, 0xffffffffffffffff, 0x0)
    T_RR(91, divu, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_RR(92, divu, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    T_RR(93, divu, 0xffffffffffffffff, 0x2, 0x7fffffffffffffff)
    T_RR(94, divu, 0x123456789abcdef0, 0x100000000, 0x12345678)
    T_RR(95, remu, 0x14, 0x6, 0x2)
    T_RR(96, remu, 0xffffffffffffffec, 0x6, 0x2)
    T_RR(97, remu, 0x14, 0xfffffffffffffffa, 0x14)
    T_RR(98, remu, 0x0, 0x5, 0x0)
    T_RR(99, remu, 0x5, 0x0, 0x5)
    T_RR(100, remu, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
    T_RR(101, remu, 0x0, 0x0, 0x0)
    T_RR(102, remu, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
    T_RR(103, remu, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    T_RR(104, remu, 0xffffffffffffffff, 0x1, 0x0)
    T_RR(105, remu, 0xffffffffffffffff, 0x2, 0x1)
    T_RR(106, remu, 0x123456789abcdef0, 0x100000000, 0x9abcdef0)

    /* divw/divuw/remw/remuw: operate on rs[31:0], results sign-extended */
    T_RR(107, divw, 0x14, 0x6, 0x3)
    T_RR(108, divw, 0xffffffffffffffec, 0x6, 0xfffffffffffffffd)
    T_RR(109, divw, 0x14, 0xfffffffffffffffa, 0xfffffffffffffffd)
    T_RR(110, divw, 0xffffffffffffffec, 0xfffffffffffffffa, 0x3)
    T_RR(111, divw, 0x5, 0x0, 0xffffffffffffffff)
    T_RR(112, divw, 0xfffffffffffffffb, 0x0, 0xffffffffffffffff)
    T_RR(113, divw, 0x1234567800000005, 0x0, 0xffffffffffffffff)
    T_RR(114, divw, 0x80000000, 0xffffffff, 0xffffffff80000000)
    T_RR(115, divw, 0x80000000, 0x1, 0xffffffff80000000)
    T_RR(116, divw, 0x100000014, 0x300000006, 0x3)
    T_RR(117, divw, 0x7fffffff, 0x80000000, 0x0)
    T_RR(118, divw, 0x0, 0x0, 0xffffffffffffffff)
    T_RR(119, remw, 0x14, 0x6, 0x2)
    T_RR(120, remw, 0xffffffffffffffec, 0x6, 0xfffffffffffffffe)
    T_RR(121, remw, 0x14, 0xfffffffffffffffa, 0x2)
    T_RR(122, remw, 0xffffffffffffffec, 0xfffffffffffffffa, 0xfffffffffffffffe)
    T_RR(123, remw, 0x5, 0x0, 0x5)
    T_RR(124, remw, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb)
    T_RR(125, remw, 0x1234567800000005, 0x0, 0x5)
    T_RR(126, remw, 0x80000000, 0xffffffff, 0x0)
    T_RR(127, remw, 0x80000000, 0x1, 0x0)
    T_RR(128, remw, 0x100000014, 0x300000006, 0x2)
    T_RR(129, remw, 0x7fffffff, 0x80000000, 0x7fffffff)
    T_RR(130, remw, 0x0, 0x0, 0x0)
    T_RR(131, divuw, 0x14, 0x6, 0x3)
    T_RR(132, divuw, 0xfffffffc, 0x2, 0x7ffffffe)
    T_RR(133, divuw, 0xffffffec, 0x6, 0x2aaaaaa7)
    T_RR(134, divuw, 0x5, 0x0, 0xffffffffffffffff)
    T_RR(135, divuw, 0x80000000, 0x0, 0xffffffffffffffff)
    T_RR(136, divuw, 0x1234567880000005, 0x0, 0xffffffffffffffff)
    T_RR(137, divuw, 0x80000000, 0xffffffff, 0x0)
    T_RR(138, divuw, 0xffffffff, 0xffffffff, 0x1)
    T_RR(139, divuw, 0xffffffff, 0x1, 0xffffffffffffffff)
    T_RR(140, divuw, 0x100000014, 0x300000006, 0x3)
    T_RR(141, divuw, 0x0, 0x0, 0xffffffffffffffff)
    T_RR(142, remuw, 0x14, 0x6, 0x2)
    T_RR(143, remuw, 0xfffffffc, 0x2, 0x0)
    T_RR(144, remuw, 0xffffffec, 0x6, 0x2)
    T_RR(145, remuw, 0x5, 0x0, 0x5)
    T_RR(146, remuw, 0x80000000, 0x0, 0xffffffff80000000)
    T_RR(147, remuw, 0x1234567880000005, 0x0, 0xffffffff80000005)
    T_RR(148, remuw, 0x80000000, 0xffffffff, 0xffffffff80000000)
    T_RR(149, remuw, 0xffffffff, 0xffffffff, 0x0)
    T_RR(150, remuw, 0xffffffff, 0x1, 0x0)
    T_RR(151, remuw, 0x100000014, 0x300000006, 0x2)
    T_RR(152, remuw, 0x0, 0x0, 0x0)

    /* aliasing: rd = rs1 = rs2 */
    li a1, 0xffffffff
    mul a1, a1, a1
    ICHECK(a1, 0xfffffffe00000001, 200)
    li a1, -7
    div a1, a1, a1
    ICHECK(a1, 1, 201)
    li a1, 0
    divu a1, a1, a1
    ICHECK(a1, -1, 202)
    /* mulh + mul give the full 128-bit product (recommended fused sequence) */
    li a1, 0x0123456789abcdef
    li a2, 0xfedcba9876543210
    mulhu a3, a1, a2
    mul a4, a1, a2
    ICHECK(a3, 0x0121fa00ad77d742, 203)
    ICHECK(a4, 0x2236d88fe5618cf0, 204)
    /* div + rem of the same operands */
    li a1, -1000000007
    li a2, 97
    div a3, a1, a2
    rem a4, a1, a2
    ICHECK(a3, -10309278, 205)
    ICHECK(a4, -41, 206)
    /* x0 destination */
    li a1, 5
    div x0, a1, a1
    mul x0, a1, a1
    RCHECK(x0, zero, 207)

ISA_PASS
