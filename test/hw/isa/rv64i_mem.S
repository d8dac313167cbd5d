/* rv64i_mem.S - loads lb, lh, lw, ld, lbu, lhu, lwu and stores sb, sh, sw, sd:
 * sign/zero extension, aligned and misaligned accesses inside RAM (the machine
 * performs misaligned loads/stores in hardware, like QEMU), +-2 KiB offsets,
 * page-crossing access, byte-exact stores, rd = rs1 and x0 destinations.
 */
#include "isa.h"

/* a0 = load at buf + off */
#define T_LD(n, inst, off, res)       \
    la a1, buf;                       \
    inst a0, off(a1);                 \
    ICHECK(a0, res, n)

/* fill sbuf with 0x0f0e..0100, store V at sbuf + off, check both dwords */
#define T_ST(n1, n2, inst, off, lo, hi) \
    la a1, sbuf;                      \
    li a2, 0x0706050403020100;        \
    sd a2, 0(a1);                     \
    li a2, 0x0f0e0d0c0b0a0908;        \
    sd a2, 8(a1);                     \
    li a2, 0xf1e2d3c4b5a69788;        \
    inst a2, off(a1);                 \
    ld a3, 0(a1);                     \
    ICHECK(a3, lo, n1)                \
    ld a3, 8(a1);                     \
    ICHECK(a3, hi, n2)

ISA_BEGIN
    /* aligned loads: sign/zero extension */
    T_LD(1, lb, 0, 0x11)
    T_LD(2, lb, 7, 0xffffffffffffff88)
    T_LD(3, lb, 17, 0xffffffffffffff80)
    T_LD(4, lb, 18, 0x7f)
    T_LD(5, lb, 15, 0x0)
    T_LD(6, lbu, 7, 0x88)
    T_LD(7, lbu, 17, 0x80)
    T_LD(8, lbu, 14, 0xff)
    T_LD(9, lbu, 0, 0x11)
    T_LD(10, lh, 0, 0x2211)
    T_LD(11, lh, 6, 0xffffffffffff8877)
    T_LD(12, lh, 16, 0xffffffffffff8001)
    T_LD(13, lh, 22, 0xffffffffffff8000)
    T_LD(14, lh, 30, 0xffffffffffffffff)
    T_LD(15, lhu, 6, 0x8877)
    T_LD(16, lhu, 22, 0x8000)
    T_LD(17, lhu, 30, 0xffff)
    T_LD(18, lhu, 2, 0x4433)
    T_LD(19, lw, 0, 0x44332211)
    T_LD(20, lw, 4, 0xffffffff88776655)
    T_LD(21, lw, 20, 0xffffffff80000000)
    T_LD(22, lw, 24, 0x7fffffff)
    T_LD(23, lw, 28, 0xffffffffffffffff)
    T_LD(24, lw, 40, 0xffffffffdeadbeef)
    T_LD(25, lwu, 4, 0x88776655)
    T_LD(26, lwu, 20, 0x80000000)
    T_LD(27, lwu, 28, 0xffffffff)
    T_LD(28, lwu, 40, 0xdeadbeef)
    T_LD(29, lwu, 0, 0x44332211)
    T_LD(30, ld, 0, 0x8877665544332211)
    T_LD(31, ld, 8, 0xffeeddccbbaa99)
    T_LD(32, ld, 16, 0x80000000fe7f8001)
    T_LD(33, ld, 24, 0xffffffff7fffffff)
    T_LD(34, ld, 32, 0x8000000000000000)
    T_LD(35, ld, 40, 0x12345678deadbeef)

    /* misaligned loads inside RAM (performed in hardware, no trap) */
    T_LD(36, lh, 1, 0x3322)
    T_LD(37, lh, 7, 0xffffffffffff9988)
    T_LD(38, lh, 15, 0x100)
    T_LD(39, lh, 17, 0x7f80)
    T_LD(40, lhu, 1, 0x3322)
    T_LD(41, lhu, 23, 0xff80)
    T_LD(42, lhu, 7, 0x9988)
    T_LD(43, lw, 1, 0x55443322)
    T_LD(44, lw, 2, 0x66554433)
    T_LD(45, lw, 3, 0x77665544)
    T_LD(46, lw, 5, 0xffffffff99887766)
    T_LD(47, lw, 6, 0xffffffffaa998877)
    T_LD(48, lw, 7, 0xffffffffbbaa9988)
    T_LD(49, lw, 21, 0xffffffffff800000)
    T_LD(50, lwu, 3, 0x77665544)
    T_LD(51, lwu, 6, 0xaa998877)
    T_LD(52, lwu, 21, 0xff800000)
    T_LD(53, lwu, 25, 0xff7fffff)
    T_LD(54, ld, 1, 0x9988776655443322)
    T_LD(55, ld, 2, 0xaa99887766554433)
    T_LD(56, ld, 3, 0xbbaa998877665544)
    T_LD(57, ld, 4, 0xccbbaa9988776655)
    T_LD(58, ld, 5, 0xddccbbaa99887766)
    T_LD(59, ld, 6, 0xeeddccbbaa998877)
    T_LD(60, ld, 7, 0xffeeddccbbaa9988)
    T_LD(61, ld, 13, 0xfe7f800100ffee)
    T_LD(62, ld, 33, 0xef80000000000000)

    /* stores: only the addressed bytes change (aligned and misaligned) */
    T_ST(101, 102, sb, 0, 0x706050403020188, 0xf0e0d0c0b0a0908)
    T_ST(103, 104, sb, 5, 0x706880403020100, 0xf0e0d0c0b0a0908)
    T_ST(105, 106, sb, 15, 0x706050403020100, 0x880e0d0c0b0a0908)
    T_ST(107, 108, sh, 0, 0x706050403029788, 0xf0e0d0c0b0a0908)
    T_ST(109, 110, sh, 6, 0x9788050403020100, 0xf0e0d0c0b0a0908)
    T_ST(111, 112, sh, 1, 0x706050403978800, 0xf0e0d0c0b0a0908)
    T_ST(113, 114, sh, 7, 0x8806050403020100, 0xf0e0d0c0b0a0997)
    T_ST(115, 116, sh, 14, 0x706050403020100, 0x97880d0c0b0a0908)
    T_ST(117, 118, sw, 0, 0x7060504b5a69788, 0xf0e0d0c0b0a0908)
    T_ST(119, 120, sw, 4, 0xb5a6978803020100, 0xf0e0d0c0b0a0908)
    T_ST(121, 122, sw, 12, 0x706050403020100, 0xb5a697880b0a0908)
    T_ST(123, 124, sw, 1, 0x70605b5a6978800, 0xf0e0d0c0b0a0908)
    T_ST(125, 126, sw, 3, 0x7b5a69788020100, 0xf0e0d0c0b0a0908)
    T_ST(127, 128, sw, 6, 0x9788050403020100, 0xf0e0d0c0b0ab5a6)
    T_ST(129, 130, sw, 11, 0x706050403020100, 0xfb5a697880a0908)
    T_ST(131, 132, sd, 0, 0xf1e2d3c4b5a69788, 0xf0e0d0c0b0a0908)
    T_ST(133, 134, sd, 8, 0x706050403020100, 0xf1e2d3c4b5a69788)
    T_ST(135, 136, sd, 1, 0xe2d3c4b5a6978800, 0xf0e0d0c0b0a09f1)
    T_ST(137, 138, sd, 4, 0xb5a6978803020100, 0xf0e0d0cf1e2d3c4)
    T_ST(139, 140, sd, 7, 0x8806050403020100, 0xff1e2d3c4b5a697)

    /* negative offsets and the +-2 KiB immediate limits (base = farbuf + 4096) */
    la a1, farbuf + 4096
    li a2, 0x5a
    sb a2, -2048(a1)
    li a2, 0xa5
    sb a2, 2047(a1)
    la a3, farbuf
    addi a3, a3, 2047
    lbu a0, 1(a3)                       /* farbuf + 2048 == base - 2048 */
    ICHECK(a0, 0x5a, 150)
    li a4, 6143 - 2047
    add a3, a3, a4
    lbu a0, 0(a3)
    ICHECK(a0, 0xa5, 151)
    lbu a0, -2048(a1)
    ICHECK(a0, 0x5a, 152)
    lb a0, 2047(a1)
    ICHECK(a0, 0xffffffffffffffa5, 153)
    la a1, buf + 16
    ld a0, -16(a1)
    ICHECK(a0, 0x8877665544332211, 154)
    lw a0, -9(a1)                       /* misaligned, negative offset */
    ICHECK(a0, 0xffffffffbbaa9988, 155)

    /* misaligned doubleword crossing a 4 KiB page boundary */
    la a1, farbuf + 4096
    li a2, 0x1122334455667788
    sd a2, -3(a1)
    ld a0, -3(a1)
    ICHECK(a0, 0x1122334455667788, 156)
    lwu a0, -1(a1)
    ICHECK(a0, 0x33445566, 157)
    lh a0, -1(a1)
    ICHECK(a0, 0x5566, 158)
    lbu a0, -3(a1)
    ICHECK(a0, 0x88, 159)
    lbu a0, 4(a1)
    ICHECK(a0, 0x11, 160)
    li a2, 0xcafe
    sh a2, -1(a1)
    lhu a0, -1(a1)
    ICHECK(a0, 0xcafe, 161)
    ld a0, -3(a1)
    ICHECK(a0, 0x11223344cafe7788, 162)

    /* rd = rs1 */
    la a1, buf
    ld a1, 8(a1)
    ICHECK(a1, 0x00ffeeddccbbaa99, 163)
    /* a load into x0 is performed but the result is discarded */
    la a1, buf
    lw x0, 0(a1)
    ld x0, 8(a1)
    RCHECK(x0, zero, 164)
    /* storing x0 stores zero */
    la a1, sbuf
    li a2, -1
    sd a2, 0(a1)
    sw x0, 2(a1)
    ld a0, 0(a1)
    ICHECK(a0, 0xffff00000000ffff, 165)
    /* a store is immediately visible to a load of a different size */
    la a1, sbuf
    li a2, 0x8081828384858687
    sd a2, 0(a1)
    lb a0, 7(a1)
    ICHECK(a0, 0xffffffffffffff80, 166)
    lhu a0, 3(a1)
    ICHECK(a0, 0x8384, 167)
    lw a0, 4(a1)
    ICHECK(a0, 0xffffffff80818283, 168)
    /* stores of all sizes at the same address, smallest last */
    sd x0, 8(a1)
    li a2, 0x1111111111111111
    sd a2, 8(a1)
    li a2, 0x22222222
    sw a2, 8(a1)
    li a2, 0x3333
    sh a2, 8(a1)
    li a2, 0x44
    sb a2, 8(a1)
    ld a0, 8(a1)
    ICHECK(a0, 0x1111111122223344, 169)

ISA_PASS

    .section .data
    .align 4
buf:
    .byte 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00
    .byte 0x01, 0x80, 0x7f, 0xfe, 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff
    .byte 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xef, 0xbe, 0xad, 0xde, 0x78, 0x56, 0x34, 0x12
    .align 4
sbuf:
    .skip 32
    .balign 4096
farbuf:
    .skip 8192
