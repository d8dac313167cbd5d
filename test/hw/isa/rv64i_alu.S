/* rv64i_alu.S - RV64I register-register and register-immediate ALU
 * instructions (add, sub, sll, slt, sltu, xor, srl, sra, or, and, addi, slti,
 * sltiu, xori, ori, andi, slli, srli, srai), register aliasing and x0.
 * Expected values follow from the RISC-V unprivileged spec, chapter RV32I/RV64I
 * "Integer Computational Instructions" (64-bit XLEN, shamt = rs2[5:0]).
 */
#include "isa.h"

ISA_BEGIN

    /* add: wrap-around, carries across bit 31/32, signed overflow ignored */
    T_RR(1, add, 0x0, 0x0, 0x0)
    T_RR(2, add, 0x1, 0x1, 0x2)
    T_RR(3, add, 0x3, 0x7, 0xa)
    T_RR(4, add, 0xffffffffffffffff, 0x1, 0x0)
    T_RR(5, add, 0x7fffffffffffffff, 0x1, 0x8000000000000000)
    T_RR(6, add, 0x8000000000000000, 0xffffffffffffffff, 0x7fffffffffffffff)
    T_RR(7, add, 0xffffffff, 0x1, 0x100000000)
    T_RR(8, add, 0x7fffffff, 0x1, 0x80000000)
    T_RR(9, add, 0x123456789abcdef0, 0xedcba98765432110, 0x0)
    T_RR(10, add, 0xfffffffffffffffb, 0x3, 0xfffffffffffffffe)

    /* sub */
    T_RR(11, sub, 0x0, 0x0, 0x0)
    T_RR(12, sub, 0x0, 0x1, 0xffffffffffffffff)
    T_RR(13, sub, 0x8000000000000000, 0x1, 0x7fffffffffffffff)
    T_RR(14, sub, 0x7fffffffffffffff, 0xffffffffffffffff, 0x8000000000000000)
    T_RR(15, sub, 0x100000000, 0x1, 0xffffffff)
    T_RR(16, sub, 0x3, 0x7, 0xfffffffffffffffc)
    T_RR(17, sub, 0x123456789abcdef0, 0x123456789abcdef0, 0x0)
    T_RR(18, sub, 0x5, 0xfffffffffffffffd, 0x8)

    /* sll/srl/sra: shift amount is rs2[5:0] */
    T_RR(19, sll, 0x1, 0x0, 0x1)
    T_RR(20, sll, 0x1, 0x1, 0x2)
    T_RR(21, sll, 0x1, 0x1f, 0x80000000)
    T_RR(22, sll, 0x1, 0x20, 0x100000000)
    T_RR(23, sll, 0x1, 0x3f, 0x8000000000000000)
    T_RR(24, sll, 0x1, 0x40, 0x1)
    T_RR(25, sll, 0x1, 0x41, 0x2)
    T_RR(26, sll, 0x123456789abcdef0, 0x4, 0x23456789abcdef00)
    T_RR(27, sll, 0x123456789abcdef0, 0xffffffffffffffc4, 0x23456789abcdef00)
    T_RR(28, sll, 0xffffffffffffffff, 0x3f, 0x8000000000000000)
    T_RR(29, srl, 0x8000000000000000, 0x0, 0x8000000000000000)
    T_RR(30, srl, 0x8000000000000000, 0x1, 0x4000000000000000)
    T_RR(31, srl, 0x8000000000000000, 0x1f, 0x100000000)
    T_RR(32, srl, 0x8000000000000000, 0x20, 0x80000000)
    T_RR(33, srl, 0x8000000000000000, 0x3f, 0x1)
    T_RR(34, srl, 0x8000000000000000, 0x40, 0x8000000000000000)
    T_RR(35, srl, 0x123456789abcdef0, 0x7f, 0x0)
    T_RR(36, srl, 0xffffffffffffffff, 0x3c, 0xf)
    T_RR(37, srl, 0xffffffff, 0x10, 0xffff)
    T_RR(38, sra, 0x8000000000000000, 0x0, 0x8000000000000000)
    T_RR(39, sra, 0x8000000000000000, 0x1, 0xc000000000000000)
    T_RR(40, sra, 0x8000000000000000, 0x1f, 0xffffffff00000000)
    T_RR(41, sra, 0x8000000000000000, 0x20, 0xffffffff80000000)
    T_RR(42, sra, 0x8000000000000000, 0x3f, 0xffffffffffffffff)
    T_RR(43, sra, 0x8000000000000000, 0x7f, 0xffffffffffffffff)
    T_RR(44, sra, 0x123456789abcdef0, 0x8, 0x123456789abcde)
    T_RR(45, sra, 0xfedcba9876543210, 0x44, 0xffedcba987654321)
    T_RR(46, sra, 0x7fffffffffffffff, 0x3e, 0x1)
    T_RR(47, sra, 0x80000000, 0x1f, 0x1)

    /* slt/sltu: signed and unsigned edge values */
    T_RR(48, slt, 0x0, 0x0, 0x0)
    T_RR(49, slt, 0x0, 0x1, 0x1)
    T_RR(50, slt, 0x1, 0x0, 0x0)
    T_RR(51, slt, 0xffffffffffffffff, 0x0, 0x1)
    T_RR(52, slt, 0x0, 0xffffffffffffffff, 0x0)
    T_RR(53, slt, 0x8000000000000000, 0x7fffffffffffffff, 0x1)
    T_RR(54, slt, 0x7fffffffffffffff, 0x8000000000000000, 0x0)
    T_RR(55, slt, 0x8000000000000000, 0x8000000000000000, 0x0)
    T_RR(56, slt, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    T_RR(57, slt, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1)
    T_RR(58, slt, 0x80000000, 0x7fffffff, 0x0)
    T_RR(59, sltu, 0x0, 0x0, 0x0)
    T_RR(60, sltu, 0x0, 0x1, 0x1)
    T_RR(61, sltu, 0x1, 0x0, 0x0)
    T_RR(62, sltu, 0xffffffffffffffff, 0x0, 0x0)
    T_RR(63, sltu, 0x0, 0xffffffffffffffff, 0x1)
    T_RR(64, sltu, 0x8000000000000000, 0x7fffffffffffffff, 0x0)
    T_RR(65, sltu, 0x7fffffffffffffff, 0x8000000000000000, 0x1)
    T_RR(66, sltu, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    T_RR(67, sltu, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1)
    T_RR(68, sltu, 0x80000000, 0x7fffffff, 0x0)

    /* xor/or/and */
    T_RR(69, xor, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
    T_RR(70, xor, 0x123456789abcdef0, 0xffffffffffffffff, 0xedcba9876543210f)
    T_RR(71, xor, 0x123456789abcdef0, 0x0, 0x123456789abcdef0)
    T_RR(72, xor, 0xf0f0f0f0f0f0f0f0, 0xf0f0f0f0f0f0f0f, 0xffffffffffffffff)
    T_RR(73, or, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xfff0fff0fff0fff0)
    T_RR(74, or, 0x123456789abcdef0, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(75, or, 0x123456789abcdef0, 0x0, 0x123456789abcdef0)
    T_RR(76, or, 0xf0f0f0f0f0f0f0f0, 0xf0f0f0f0f0f0f0f, 0xffffffffffffffff)
    T_RR(77, and, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xf000f000f000f00)
    T_RR(78, and, 0x123456789abcdef0, 0xffffffffffffffff, 0x123456789abcdef0)
    T_RR(79, and, 0x123456789abcdef0, 0x0, 0x0)
    T_RR(80, and, 0xf0f0f0f0f0f0f0f0, 0xf0f0f0f0f0f0f0f, 0x0)

    /* addi: 12-bit sign-extended immediate */
    T_RI(81, addi, 0x0, 0, 0x0)
    T_RI(82, addi, 0x1, 1, 0x2)
    T_RI(83, addi, 0x0, 2047, 0x7ff)
    T_RI(84, addi, 0x0, -2048, 0xfffffffffffff800)
    T_RI(85, addi, 0x0, -1, 0xffffffffffffffff)
    T_RI(86, addi, 0x7fffffffffffffff, 1, 0x8000000000000000)
    T_RI(87, addi, 0x7ff, 2047, 0xffe)
    T_RI(88, addi, 0x800, -2048, 0x0)
    T_RI(89, addi, 0x123456789abcdef0, -1, 0x123456789abcdeef)
    T_RI(90, addi, 0xffffffff, 1, 0x100000000)

    /* slti/sltiu: sltiu compares against the sign-extended immediate as unsigned */
    T_RI(91, slti, 0x0, 0, 0x0)
    T_RI(92, slti, 0x0, 1, 0x1)
    T_RI(93, slti, 0xffffffffffffffff, 0, 0x1)
    T_RI(94, slti, 0xffffffffffffffff, -1, 0x0)
    T_RI(95, slti, 0xfffffffffffffffe, -1, 0x1)
    T_RI(96, slti, 0x8000000000000000, -2048, 0x1)
    T_RI(97, slti, 0x7ff, 2047, 0x0)
    T_RI(98, slti, 0x7fe, 2047, 0x1)
    T_RI(99, slti, 0x7fffffffffffffff, -1, 0x0)
    T_RI(100, sltiu, 0x0, 0, 0x0)
    T_RI(101, sltiu, 0x0, 1, 0x1)
    T_RI(102, sltiu, 0x1, 1, 0x0)
    T_RI(103, sltiu, 0x0, -1, 0x1)
    T_RI(104, sltiu, 0xffffffffffffffff, -1, 0x0)
    T_RI(105, sltiu, 0xfffffffffffffffe, -1, 0x1)
    T_RI(106, sltiu, 0x7ff, 2047, 0x0)
    T_RI(107, sltiu, 0x7fe, 2047, 0x1)
    T_RI(108, sltiu, 0x7fffffffffffffff, -2048, 0x1)
    T_RI(109, sltiu, 0xfffffffffffff800, -2048, 0x0)
    T_RI(110, sltiu, 0xfffffffffffff7ff, -2048, 0x1)

    /* xori/ori/andi: immediate is sign-extended to 64 bits */
    T_RI(111, xori, 0x123456789abcdef0, -1, 0xedcba9876543210f)
    T_RI(112, xori, 0x123456789abcdef0, 2047, 0x123456789abcd90f)
    T_RI(113, xori, 0x123456789abcdef0, -2048, 0xedcba987654326f0)
    T_RI(114, xori, 0x0, 1365, 0x555)
    T_RI(115, xori, 0xffffffffffffffff, 0, 0xffffffffffffffff)
    T_RI(116, ori, 0x123456789abcdef0, -1, 0xffffffffffffffff)
    T_RI(117, ori, 0x123456789abcdef0, 2047, 0x123456789abcdfff)
    T_RI(118, ori, 0x123456789abcdef0, -2048, 0xfffffffffffffef0)
    T_RI(119, ori, 0x0, 1365, 0x555)
    T_RI(120, ori, 0xffffffffffffffff, 0, 0xffffffffffffffff)
    T_RI(121, andi, 0x123456789abcdef0, -1, 0x123456789abcdef0)
    T_RI(122, andi, 0x123456789abcdef0, 2047, 0x6f0)
    T_RI(123, andi, 0x123456789abcdef0, -2048, 0x123456789abcd800)
    T_RI(124, andi, 0x0, 1365, 0x0)
    T_RI(125, andi, 0xffffffffffffffff, 0, 0x0)

    /* slli/srli/srai: 6-bit shamt */
    T_RI(126, slli, 0x1, 0, 0x1)
    T_RI(127, slli, 0x1, 31, 0x80000000)
    T_RI(128, slli, 0x1, 32, 0x100000000)
    T_RI(129, slli, 0x1, 63, 0x8000000000000000)
    T_RI(130, slli, 0x123456789abcdef0, 12, 0x456789abcdef0000)
    T_RI(131, slli, 0x123456789abcdef0, 36, 0xabcdef0000000000)
    T_RI(132, slli, 0xffffffffffffffff, 1, 0xfffffffffffffffe)
    T_RI(133, srli, 0x8000000000000000, 0, 0x8000000000000000)
    T_RI(134, srli, 0x8000000000000000, 31, 0x100000000)
    T_RI(135, srli, 0x8000000000000000, 32, 0x80000000)
    T_RI(136, srli, 0x8000000000000000, 63, 0x1)
    T_RI(137, srli, 0x123456789abcdef0, 12, 0x123456789abcd)
    T_RI(138, srli, 0x123456789abcdef0, 36, 0x1234567)
    T_RI(139, srli, 0xffffffffffffffff, 1, 0x7fffffffffffffff)
    T_RI(140, srai, 0x8000000000000000, 0, 0x8000000000000000)
    T_RI(141, srai, 0x8000000000000000, 31, 0xffffffff00000000)
    T_RI(142, srai, 0x8000000000000000, 32, 0xffffffff80000000)
    T_RI(143, srai, 0x8000000000000000, 63, 0xffffffffffffffff)
    T_RI(144, srai, 0x123456789abcdef0, 12, 0x123456789abcd)
    T_RI(145, srai, 0xfedcba9876543210, 36, 0xffffffffffedcba9)
    T_RI(146, srai, 0x7fffffffffffffff, 1, 0x3fffffffffffffff)
    T_RI(147, srai, 0xffffffffffffffff, 63, 0xffffffffffffffff)

    /* destination aliasing: rd = rs1, rd = rs2, rs1 = rs2 */
    li a1, 0x1111
    li a2, 0x2222
    add a1, a1, a2
    ICHECK(a1, 0x3333, 148)
    sub a2, a1, a2                      /* rd = rs2 */
    ICHECK(a2, 0x1111, 149)
    sub a3, a1, a1
    ICHECK(a3, 0, 150)
    sltu a3, a1, a1
    ICHECK(a3, 0, 151)
    xor a3, a2, a2
    ICHECK(a3, 0, 152)
    li a4, 0x8000000000000001
    sll a4, a4, a4                      /* shamt = 1 */
    ICHECK(a4, 2, 153)
    li a4, -1
    srai a4, a4, 63
    ICHECK(a4, -1, 154)

    /* x0 as destination discards the result, x0 as source reads zero */
    li a1, 123
    add x0, a1, a1
    addi x0, x0, 5
    slli x0, a1, 3
    lui x0, 0x12345
    RCHECK(x0, zero, 155)
    mv a0, x0
    ICHECK(a0, 0, 156)
    add a0, x0, a1
    ICHECK(a0, 123, 157)
    sub a0, x0, a1                      /* neg */
    ICHECK(a0, -123, 158)
    sltu a0, x0, a1                     /* snez */
    ICHECK(a0, 1, 159)
    sltu a0, x0, x0
    ICHECK(a0, 0, 160)
    sltiu a0, a1, 1                     /* seqz */
    ICHECK(a0, 0, 161)
    sltiu a0, x0, 1
    ICHECK(a0, 1, 162)
    xori a0, a1, -1                     /* not */
    ICHECK(a0, -124, 163)
    addi a0, x0, -2048
    ICHECK(a0, -2048, 164)

    /* nop (addi x0, x0, 0) changes nothing */
    li a0, 77
    nop
    ICHECK(a0, 77, 165)

ISA_PASS
