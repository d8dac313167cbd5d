/* rv64i_branch.S - control transfer: beq, bne, blt, bge, bltu, bgeu (signed and
 * unsigned edge values, taken and not taken, forward/backward, long offsets),
 * jal (link = pc+4, x0 link, long offsets) and jalr (link = pc+4, target =
 * (rs1 + imm) & ~1, rd = rs1 uses the old rs1).
 */
#include "isa.h"

/* a0 = 1 when the branch `inst a1, a2` is taken, 0 otherwise */
#define T_BR(n, inst, a, b, taken)    \
    li a1, a;                         \
    li a2, b;                         \
    inst a1, a2, 2f;                  \
    li a0, 0;                         \
    j 3f;                             \
2:  li a0, 1;                         \
3:  ICHECK(a0, taken, n)

ISA_BEGIN

    /* beq */
    T_BR(1, beq, 0x0, 0x0, 1)
    T_BR(2, beq, 0x1, 0x0, 0)
    T_BR(3, beq, 0x0, 0x1, 0)
    T_BR(4, beq, 0xffffffffffffffff, 0x0, 0)
    T_BR(5, beq, 0x0, 0xffffffffffffffff, 0)
    T_BR(6, beq, 0xffffffffffffffff, 0xffffffffffffffff, 1)
    T_BR(7, beq, 0x8000000000000000, 0x7fffffffffffffff, 0)
    T_BR(8, beq, 0x7fffffffffffffff, 0x8000000000000000, 0)
    T_BR(9, beq, 0x8000000000000000, 0x8000000000000000, 1)
    T_BR(10, beq, 0xffffffffffffffff, 0x1, 0)
    T_BR(11, beq, 0x1, 0xffffffffffffffff, 0)
    T_BR(12, beq, 0x100000000, 0x0, 0)
    T_BR(13, beq, 0x80000000, 0xffffffff80000000, 0)
    T_BR(14, beq, 0xffffffffffffffff, 0xfffffffffffffffe, 0)
    T_BR(15, beq, 0xfffffffffffffffe, 0xffffffffffffffff, 0)

    /* bne */
    T_BR(16, bne, 0x0, 0x0, 0)
    T_BR(17, bne, 0x1, 0x0, 1)
    T_BR(18, bne, 0x0, 0x1, 1)
    T_BR(19, bne, 0xffffffffffffffff, 0x0, 1)
    T_BR(20, bne, 0x0, 0xffffffffffffffff, 1)
    T_BR(21, bne, 0xffffffffffffffff, 0xffffffffffffffff, 0)
    T_BR(22, bne, 0x8000000000000000, 0x7fffffffffffffff, 1)
    T_BR(23, bne, 0x7fffffffffffffff, 0x8000000000000000, 1)
    T_BR(24, bne, 0x8000000000000000, 0x8000000000000000, 0)
    T_BR(25, bne, 0xffffffffffffffff, 0x1, 1)
    T_BR(26, bne, 0x1, 0xffffffffffffffff, 1)
    T_BR(27, bne, 0x100000000, 0x0, 1)
    T_BR(28, bne, 0x80000000, 0xffffffff80000000, 1)
    T_BR(29, bne, 0xffffffffffffffff, 0xfffffffffffffffe, 1)
    T_BR(30, bne, 0xfffffffffffffffe, 0xffffffffffffffff, 1)

    /* blt */
    T_BR(31, blt, 0x0, 0x0, 0)
    T_BR(32, blt, 0x1, 0x0, 0)
    T_BR(33, blt, 0x0, 0x1, 1)
    T_BR(34, blt, 0xffffffffffffffff, 0x0, 1)
    T_BR(35, blt, 0x0, 0xffffffffffffffff, 0)
    T_BR(36, blt, 0xffffffffffffffff, 0xffffffffffffffff, 0)
    T_BR(37, blt, 0x8000000000000000, 0x7fffffffffffffff, 1)
    T_BR(38, blt, 0x7fffffffffffffff, 0x8000000000000000, 0)
    T_BR(39, blt, 0x8000000000000000, 0x8000000000000000, 0)
    T_BR(40, blt, 0xffffffffffffffff, 0x1, 1)
    T_BR(41, blt, 0x1, 0xffffffffffffffff, 0)
    T_BR(42, blt, 0x100000000, 0x0, 0)
    T_BR(43, blt, 0x80000000, 0xffffffff80000000, 0)
    T_BR(44, blt, 0xffffffffffffffff, 0xfffffffffffffffe, 0)
    T_BR(45, blt, 0xfffffffffffffffe, 0xffffffffffffffff, 1)

    /* bge */
    T_BR(46, bge, 0x0, 0x0, 1)
    T_BR(47, bge, 0x1, 0x0, 1)
    T_BR(48, bge, 0x0, 0x1, 0)
    T_BR(49, bge, 0xffffffffffffffff, 0x0, 0)
    T_BR(50, bge, 0x0, 0xffffffffffffffff, 1)
    T_BR(51, bge, 0xffffffffffffffff, 0xffffffffffffffff, 1)
    T_BR(52, bge, 0x8000000000000000, 0x7fffffffffffffff, 0)
    T_BR(53, bge, 0x7fffffffffffffff, 0x8000000000000000, 1)
    T_BR(54, bge, 0x8000000000000000, 0x8000000000000000, 1)
    T_BR(55, bge, 0xffffffffffffffff, 0x1, 0)
    T_BR(56, bge, 0x1, 0xffffffffffffffff, 1)
    T_BR(57, bge, 0x100000000, 0x0, 1)
    T_BR(58, bge, 0x80000000, 0xffffffff80000000, 1)
    T_BR(59, bge, 0xffffffffffffffff, 0xfffffffffffffffe, 1)
    T_BR(60, bge, 0xfffffffffffffffe, 0xffffffffffffffff, 0)

    /* bltu */
    T_BR(61, bltu, 0x0, 0x0, 0)
    T_BR(62, bltu, 0x1, 0x0, 0)
    T_BR(63, bltu, 0x0, 0x1, 1)
    T_BR(64, bltu, 0xffffffffffffffff, 0x0, 0)
    T_BR(65, bltu, 0x0, 0xffffffffffffffff, 1)
    T_BR(66, bltu, 0xffffffffffffffff, 0xffffffffffffffff, 0)
    T_BR(67, bltu, 0x8000000000000000, 0x7fffffffffffffff, 0)
    T_BR(68, bltu, 0x7fffffffffffffff, 0x8000000000000000, 1)
    T_BR(69, bltu, 0x8000000000000000, 0x8000000000000000, 0)
    T_BR(70, bltu, 0xffffffffffffffff, 0x1, 0)
    T_BR(71, bltu, 0x1, 0xffffffffffffffff, 1)
    T_BR(72, bltu, 0x100000000, 0x0, 0)
    T_BR(73, bltu, 0x80000000, 0xffffffff80000000, 1)
    T_BR(74, bltu, 0xffffffffffffffff, 0xfffffffffffffffe, 0)
    T_BR(75, bltu, 0xfffffffffffffffe, 0xffffffffffffffff, 1)

    /* bgeu */
    T_BR(76, bgeu, 0x0, 0x0, 1)
    T_BR(77, bgeu, 0x1, 0x0, 1)
    T_BR(78, bgeu, 0x0, 0x1, 0)
    T_BR(79, bgeu, 0xffffffffffffffff, 0x0, 1)
    T_BR(80, bgeu, 0x0, 0xffffffffffffffff, 0)
    T_BR(81, bgeu, 0xffffffffffffffff, 0xffffffffffffffff, 1)
    T_BR(82, bgeu, 0x8000000000000000, 0x7fffffffffffffff, 1)
    T_BR(83, bgeu, 0x7fffffffffffffff, 0x8000000000000000, 0)
    T_BR(84, bgeu, 0x8000000000000000, 0x8000000000000000, 1)
    T_BR(85, bgeu, 0xffffffffffffffff, 0x1, 1)
    T_BR(86, bgeu, 0x1, 0xffffffffffffffff, 0)
    T_BR(87, bgeu, 0x100000000, 0x0, 1)
    T_BR(88, bgeu, 0x80000000, 0xffffffff80000000, 0)
    T_BR(89, bgeu, 0xffffffffffffffff, 0xfffffffffffffffe, 1)
    T_BR(90, bgeu, 0xfffffffffffffffe, 0xffffffffffffffff, 0)

    /* branches with x0 operands (beqz/bnez/bltz/bgez/bgtz/blez pseudos) */
    li a1, -1
    li a0, 0
    bltz a1, bz1
    li a0, 1
bz1:
    bgez a1, bz_bad
    bgtz a1, bz_bad
    blez a1, bz2
    li a0, 2
bz2:
    beqz x0, bz3
    li a0, 3
bz3:
    bnez x0, bz_bad
    ICHECK(a0, 0, 100)
    j bz_ok
bz_bad:
    FAIL(101)
bz_ok:

    /* backward branch: a counted loop runs exactly 10 times */
    li a1, 10
    li a0, 0
loop1:
    addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, loop1
    ICHECK(a0, 30, 102)

    /* branch to the very next instruction (offset 4) */
    li a0, 5
    beq a0, a0, br_next
br_next:
    ICHECK(a0, 5, 103)

    /* long forward and backward conditional branches (near the +-4 KiB limit) */
    li a0, 0
    li a1, 1
    bne a0, a1, br_far_fwd
    FAIL(104)
br_far_back:
    li a0, 0x77
    j br_far_done
    .skip 4000
br_far_fwd:
    beq a0, a0, br_far_back
    FAIL(105)
br_far_done:
    ICHECK(a0, 0x77, 106)

    /* jal: link register gets the address of the next instruction */
    jal a0, jal_t1
jal_ret1:
    FAIL(107)
jal_t1:
    la a1, jal_ret1
    RCHECK(a0, a1, 108)
    /* jal with rd = x0 (j) */
    li a0, 1
    jal x0, jal_t2
    li a0, 2
jal_t2:
    ICHECK(a0, 1, 109)
    RCHECK(x0, zero, 110)
    /* backward jal */
    li a0, 0
    j jal_t3_fwd
jal_t3:
    addi a0, a0, 10
    j jal_t3_done
jal_t3_fwd:
    jal ra, jal_t3
    FAIL(111)
jal_t3_done:
    ICHECK(a0, 10, 112)
    /* long jal: forward and backward over 0x12344 bytes (imm bits 2..16) */
    jal t0, jal_far_fwd
jal_far_link:
    FAIL(113)
jal_far_back:
    la a1, jal_far_link2
    RCHECK(t0, a1, 114)
    j jal_far_done
    .skip 0x12344 - 8
jal_far_fwd:
    la a1, jal_far_link
    RCHECK(t0, a1, 115)
    jal t0, jal_far_back
jal_far_link2:
    FAIL(116)
jal_far_done:

    /* jalr: target = rs1 + imm, link = pc + 4 */
    la a1, jalr_t1
    jalr ra, 0(a1)
jalr_ret1:
    FAIL(117)
jalr_t1:
    la a2, jalr_ret1
    RCHECK(ra, a2, 118)
    /* positive and negative offsets */
    la a1, jalr_t2
    addi a1, a1, -16
    jalr t1, 16(a1)
    FAIL(119)
jalr_t2:
    la a1, jalr_t3
    addi a1, a1, 100
    jalr t1, -100(a1)
    FAIL(120)
jalr_t3:
    /* the least-significant bit of the target is cleared */
    la a1, jalr_t4
    addi a1, a1, 1
    jalr t1, 0(a1)
    FAIL(121)
jalr_t4:
    la a1, jalr_t5
    jalr t1, 1(a1)
    FAIL(122)
jalr_t5:
    la a1, jalr_t6
    addi a1, a1, -1
    jalr t1, 2(a1)
    FAIL(123)
jalr_t6:
    /* rd = rs1: the target uses the old value, then rd receives the link */
    la a1, jalr_t7
    jalr a1, 0(a1)
jalr_ret7:
    FAIL(124)
jalr_t7:
    la a2, jalr_ret7
    RCHECK(a1, a2, 125)
    /* rd = x0 (jr) */
    la a1, jalr_t8
    li a0, 1
    jalr x0, 0(a1)
    li a0, 2
jalr_t8:
    ICHECK(a0, 1, 126)
    /* call/ret through a subroutine (auipc + jalr, jalr x0, 0(ra)) */
    li a0, 20
    call subr
    ICHECK(a0, 21, 127)
    call subr
    ICHECK(a0, 22, 128)
    /* jalr with rs1 = x0: absolute address in the low 2 KiB is not usable
       here, so only check that a computed-address jump table works */
    la a3, jtab
    li a4, 2
    slli a4, a4, 3
    add a3, a3, a4
    ld a3, 0(a3)
    li a0, 0
    jalr ra, 0(a3)
    ICHECK(a0, 0x32, 129)

ISA_PASS

subr:
    addi a0, a0, 1
    ret
case0:
    li a0, 0x30
    ret
case1:
    li a0, 0x31
    ret
case2:
    li a0, 0x32
    ret

    .section .data
    .align 3
jtab: .dword case0, case1, case2
