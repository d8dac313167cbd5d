/* rv64i_aluw.S - RV64I 32-bit ("W") instructions addw, subw, sllw, srlw, sraw,
 * addiw, slliw, srliw, sraiw (operate on the low 32 bits, shift amounts masked
 * to 5 bits, 32-bit result sign-extended to 64), plus lui and auipc.
 */
#include "isa.h"

ISA_BEGIN

    /* addw/subw: 32-bit result sign-extended, upper source bits ignored */
    T_RR(1, addw, 0x0, 0x0, 0x0)
    T_RR(2, addw, 0x1, 0x1, 0x2)
    T_RR(3, addw, 0x7fffffff, 0x1, 0xffffffff80000000)
    T_RR(4, addw, 0xffffffff, 0x1, 0x0)
    T_RR(5, addw, 0xffffffff, 0xffffffff, 0xfffffffffffffffe)
    T_RR(6, addw, 0x80000000, 0xffffffffffffffff, 0x7fffffff)
    T_RR(7, addw, 0xdeadbeef00000001, 0x1234567800000002, 0x3)
    T_RR(8, addw, 0x123456789abcdef0, 0x0, 0xffffffff9abcdef0)
    T_RR(9, addw, 0xffffffffffffffff, 0x100000000, 0xffffffffffffffff)
    T_RR(10, addw, 0x7fffffff, 0x80000000, 0xffffffffffffffff)
    T_RR(11, subw, 0x0, 0x0, 0x0)
    T_RR(12, subw, 0x0, 0x1, 0xffffffffffffffff)
    T_RR(13, subw, 0x80000000, 0x1, 0x7fffffff)
    T_RR(14, subw, 0x7fffffff, 0xffffffffffffffff, 0xffffffff80000000)
    T_RR(15, subw, 0x100000000, 0x1, 0xffffffffffffffff)
    T_RR(16, subw, 0xabcdef0012345678, 0x1111111100000008, 0x12345670)
    T_RR(17, subw, 0x3, 0x7, 0xfffffffffffffffc)
    T_RR(18, subw, 0xffffffff, 0x7fffffff, 0xffffffff80000000)

    /* sllw/srlw/sraw: shift amount is rs2[4:0], operate on rs1[31:0], result sign-extended */
    T_RR(19, sllw, 0x1, 0x0, 0x1)
    T_RR(20, sllw, 0x1, 0x1, 0x2)
    T_RR(21, sllw, 0x1, 0x1f, 0xffffffff80000000)
    T_RR(22, sllw, 0x1, 0x20, 0x1)
    T_RR(23, sllw, 0x1, 0x21, 0x2)
    T_RR(24, sllw, 0x1, 0x3f, 0xffffffff80000000)
    T_RR(25, sllw, 0x123456789abcdef0, 0x4, 0xffffffffabcdef00)
    T_RR(26, sllw, 0xffffffff00000001, 0x1f, 0xffffffff80000000)
    T_RR(27, sllw, 0x12345678, 0xffffffffffffffe8, 0x34567800)
    T_RR(28, sllw, 0xffffffff, 0x10, 0xffffffffffff0000)
    T_RR(29, srlw, 0x80000000, 0x0, 0xffffffff80000000)
    T_RR(30, srlw, 0x80000000, 0x1, 0x40000000)
    T_RR(31, srlw, 0x80000000, 0x1f, 0x1)
    T_RR(32, srlw, 0x80000000, 0x20, 0xffffffff80000000)
    T_RR(33, srlw, 0x80000000, 0x21, 0x40000000)
    T_RR(34, srlw, 0xffffffff80000000, 0x0, 0xffffffff80000000)
    T_RR(35, srlw, 0xffffffff00000000, 0x4, 0x0)
    T_RR(36, srlw, 0x123456789abcdef0, 0x1f, 0x1)
    T_RR(37, srlw, 0xdeadbeef, 0x8, 0xdeadbe)
    T_RR(38, srlw, 0xffffffffffffffff, 0x3f, 0x1)
    T_RR(39, srlw, 0x87654321, 0x24, 0x8765432)
    T_RR(40, sraw, 0x80000000, 0x0, 0xffffffff80000000)
    T_RR(41, sraw, 0x80000000, 0x1, 0xffffffffc0000000)
    T_RR(42, sraw, 0x80000000, 0x1f, 0xffffffffffffffff)
    T_RR(43, sraw, 0x80000000, 0x20, 0xffffffff80000000)
    T_RR(44, sraw, 0x7fffffff, 0x1, 0x3fffffff)
    T_RR(45, sraw, 0x7fffffff, 0x1e, 0x1)
    T_RR(46, sraw, 0xffff0000, 0x8, 0xffffffffffffff00)
    T_RR(47, sraw, 0x7fffffff00000000, 0x4, 0x0)
    T_RR(48, sraw, 0x123456789abcdef0, 0x1f, 0xffffffffffffffff)
    T_RR(49, sraw, 0xdeadbeef, 0x3c, 0xfffffffffffffffd)
    T_RR(50, sraw, 0x87654321, 0x24, 0xfffffffff8765432)

    /* addiw/slliw/srliw/sraiw */
    T_RI(51, addiw, 0x0, 0, 0x0)
    T_RI(52, addiw, 0x7fffffff, 1, 0xffffffff80000000)
    T_RI(53, addiw, 0xffffffff, 1, 0x0)
    T_RI(54, addiw, 0xffffffff, 0, 0xffffffffffffffff)
    T_RI(55, addiw, 0x123456789, 0, 0x23456789)
    T_RI(56, addiw, 0x80000000, -1, 0x7fffffff)
    T_RI(57, addiw, 0x0, -2048, 0xfffffffffffff800)
    T_RI(58, addiw, 0x7ffff800, 2047, 0x7fffffff)
    T_RI(59, addiw, 0x123456789abcdef0, 0, 0xffffffff9abcdef0)
    T_RI(60, slliw, 0x1, 0, 0x1)
    T_RI(61, slliw, 0x1, 31, 0xffffffff80000000)
    T_RI(62, slliw, 0xffffffff00000001, 30, 0x40000000)
    T_RI(63, slliw, 0x87654321, 4, 0x76543210)
    T_RI(64, slliw, 0x123456789abcdef0, 16, 0xffffffffdef00000)
    T_RI(65, slliw, 0x1ffffffff, 0, 0xffffffffffffffff)
    T_RI(66, srliw, 0x80000000, 0, 0xffffffff80000000)
    T_RI(67, srliw, 0x80000000, 31, 0x1)
    T_RI(68, srliw, 0x80000000, 1, 0x40000000)
    T_RI(69, srliw, 0xffffffff00000000, 0, 0x0)
    T_RI(70, srliw, 0x87654321, 4, 0x8765432)
    T_RI(71, srliw, 0x123456789abcdef0, 16, 0x9abc)
    T_RI(72, srliw, 0xffffffffffffffff, 31, 0x1)
    T_RI(73, sraiw, 0x80000000, 0, 0xffffffff80000000)
    T_RI(74, sraiw, 0x80000000, 31, 0xffffffffffffffff)
    T_RI(75, sraiw, 0x80000000, 1, 0xffffffffc0000000)
    T_RI(76, sraiw, 0x7fffffff, 31, 0x0)
    T_RI(77, sraiw, 0x7fffffff, 1, 0x3fffffff)
    T_RI(78, sraiw, 0x87654321, 4, 0xfffffffff8765432)
    T_RI(79, sraiw, 0x123456789abcdef0, 16, 0xffffffffffff9abc)
    T_RI(80, sraiw, 0xffffffff7fffffff, 0, 0x7fffffff)

    /* sext.w pseudo (addiw rd, rs, 0) */
    li a1, 0x00000000fffffffe
    sext.w a0, a1
    ICHECK(a0, -2, 180)

    /* lui: imm20 << 12, sign-extended from bit 31 */
    lui a0, 0
    ICHECK(a0, 0, 181)
    lui a0, 1
    ICHECK(a0, 0x1000, 182)
    lui a0, 0x7ffff
    ICHECK(a0, 0x7ffff000, 183)
    lui a0, 0x80000
    ICHECK(a0, 0xffffffff80000000, 184)
    lui a0, 0xfffff
    ICHECK(a0, 0xfffffffffffff000, 185)
    lui a0, 0x12345
    addi a0, a0, 0x678
    ICHECK(a0, 0x12345678, 186)
    lui a0, 0x12345
    addi a0, a0, -1                     /* 0x12345000 - 1 */
    ICHECK(a0, 0x12344fff, 187)

    /* auipc: pc + (imm20 << 12 sign-extended); absolute label addresses
       are taken from .dword data written by the linker */
auipc0:
    auipc a0, 0
    ld a1, addr_auipc0
    RCHECK(a0, a1, 188)
auipc1:
    auipc a0, 1
    ld a1, addr_auipc1
    li a2, 0x1000
    add a1, a1, a2
    RCHECK(a0, a1, 189)
auipc2:
    auipc a0, 0xfffff                   /* pc - 0x1000 */
    ld a1, addr_auipc2
    addi a1, a1, -2048
    addi a1, a1, -2048
    RCHECK(a0, a1, 190)
auipc3:
    auipc a0, 0x80000                   /* pc - 0x80000000: image is at 0x8000xxxx */
    ld a1, addr_auipc3
    li a2, 0x80000000
    sub a1, a1, a2
    RCHECK(a0, a1, 191)
    ld a1, addr_auipc3                  /* i.e. just the low offset bits */
    li a2, 0xffffffff
    and a1, a1, a2
    li a2, 0x80000000
    sub a1, a1, a2
    RCHECK(a0, a1, 192)

ISA_PASS

    .section .data
    .align 3
addr_auipc0: .dword auipc0
addr_auipc1: .dword auipc1
addr_auipc2: .dword auipc2
addr_auipc3: .dword auipc3
