/* trap_exc.S - synchronous exceptions taken in M-mode:
 * ebreak / c.ebreak (cause 3, mepc = the instruction, mtval = 0 or the pc:
 * both are allowed by the spec and QEMU versions differ), illegal
 * instruction (cause 2, mtval = the instruction bits, 16 bits for a
 * compressed one), load / store / AMO access faults on unmapped physical
 * addresses (5 / 7, mtval = the address), misaligned LR / AMO (4 / 6,
 * mtval = the address), and that a trapping instruction has no effect.
 * For AMOs the spec requires the store/AMO causes (7, 6); QEMU 7.2 raises the
 * load causes (5, 4), so both are accepted there. */
#include "bare.h"
#include "priv.h"

/* an address with no device or memory on the QEMU virt map (64 GiB) */
#define HOLE 0x1000000000

TEST_BEGIN
    SET_MTVEC(m_trap)

    /* ---- ebreak (32-bit encoding) */
    EXPECT_TRAP(1f)
    li s4, 0x55
    .option push
    .option norvc
ebreak32:
    ebreak
    .option pop
    TEST_FAIL_CODE(1)
1:  CHECK(s2, CAUSE_BREAKPOINT, 2)
    la t0, ebreak32
    CHECK_REG(s3, t0, 3)
    beqz s4, 2f
    CHECK_REG(s4, t0, 4)        /* mtval is 0 or the address of the ebreak */
2:
    /* ---- c.ebreak */
    EXPECT_TRAP(1f)
cebreak:
    c.ebreak
    TEST_FAIL_CODE(5)
1:  CHECK(s2, CAUSE_BREAKPOINT, 6)
    la t0, cebreak
    CHECK_REG(s3, t0, 7)

    /* ---- illegal 32-bit instruction (custom-0 opcode): mtval = bits */
    EXPECT_TRAP(1f)
ill32:
    .word 0x1234500b
    TEST_FAIL_CODE(8)
1:  CHECK(s2, CAUSE_ILLEGAL, 9)
    la t0, ill32
    CHECK_REG(s3, t0, 10)
    CHECK(s4, 0x1234500b, 11)

    /* ---- illegal compressed instruction: c.addi4spn with nzuimm = 0
       (0x0000 is the canonical one; use a nonzero register field so that
       mtval must carry the 16 bits: 0x0004 = c.addi4spn x9?, imm 0) */
    EXPECT_TRAP(1f)
ill16:
    .half 0x0004
    TEST_FAIL_CODE(12)
1:  CHECK(s2, CAUSE_ILLEGAL, 13)
    la t0, ill16
    CHECK_REG(s3, t0, 14)
    CHECK(s4, 0x0004, 15)

    /* ---- the all-zeros halfword is illegal too */
    EXPECT_TRAP(1f)
ill0:
    .half 0x0000
    TEST_FAIL_CODE(16)
1:  CHECK(s2, CAUSE_ILLEGAL, 17)
    la t0, ill0
    CHECK_REG(s3, t0, 18)
    CHECK(s4, 0, 19)

    /* ---- load access fault: mtval = the address; rd unchanged */
    li a1, HOLE + 0x18
    li a0, 0x77
    EXPECT_TRAP(1f)
ldf:
    ld a0, 0(a1)
    TEST_FAIL_CODE(20)
1:  CHECK(s2, CAUSE_LOAD_ACCESS, 21)
    la t0, ldf
    CHECK_REG(s3, t0, 22)
    CHECK_REG(s4, a1, 23)
    CHECK(a0, 0x77, 24)

    /* ---- byte load at the base with an offset: mtval = effective address */
    li a1, HOLE
    EXPECT_TRAP(1f)
    lbu a0, 0x7ff(a1)
    TEST_FAIL_CODE(25)
1:  CHECK(s2, CAUSE_LOAD_ACCESS, 26)
    li t0, HOLE + 0x7ff
    CHECK_REG(s4, t0, 27)

    /* ---- store access fault */
    li a1, HOLE + 0x100
    EXPECT_TRAP(1f)
stf:
    sw a0, -8(a1)
    TEST_FAIL_CODE(28)
1:  CHECK(s2, CAUSE_STORE_ACCESS, 29)
    la t0, stf
    CHECK_REG(s3, t0, 30)
    li t0, HOLE + 0xf8
    CHECK_REG(s4, t0, 31)

    /* ---- AMO on a hole: the spec says store/AMO access fault (7); QEMU 7.2
       reports a load access fault (5), so either is accepted; rd unchanged */
    li a1, HOLE + 0x40
    li a0, 0x99
    li a2, 1
    EXPECT_TRAP(1f)
    amoadd.d a0, a2, (a1)
    TEST_FAIL_CODE(32)
1:  li t0, CAUSE_LOAD_ACCESS
    beq s2, t0, 2f
    CHECK(s2, CAUSE_STORE_ACCESS, 33)
2:  CHECK_REG(s4, a1, 34)
    CHECK(a0, 0x99, 35)

    /* ---- LR on a hole: load access fault (5) */
    EXPECT_TRAP(1f)
    lr.w a0, (a1)
    TEST_FAIL_CODE(36)
1:  CHECK(s2, CAUSE_LOAD_ACCESS, 37)
    CHECK_REG(s4, a1, 38)

    /* ---- instruction access fault: jump to a hole (cause 1, mepc = mtval
       = the target) */
    li a1, HOLE + 0x20
    EXPECT_TRAP(1f)
    jr a1
    TEST_FAIL_CODE(39)
1:  CHECK(s2, 1, 40)
    CHECK_REG(s3, a1, 41)
    CHECK_REG(s4, a1, 42)

    /* ---- misaligned AMO: store/AMO address misaligned (6) per the spec,
       which QEMU 7.2 reports as load address misaligned (4): either is
       accepted; mtval = address, memory unchanged */
    la a1, word
    addi a1, a1, 2
    li a2, 5
    EXPECT_TRAP(1f)
    amoadd.w a0, a2, (a1)
    TEST_FAIL_CODE(43)
1:  li t0, CAUSE_MISALIGNED_LOAD
    beq s2, t0, 2f
    CHECK(s2, CAUSE_MISALIGNED_STORE, 44)
2:
    CHECK_REG(s4, a1, 45)
    la a1, word
    ld a0, 0(a1)
    CHECK(a0, 0x1122334455667788, 46)

    /* ---- misaligned LR: load address misaligned (4) */
    la a1, word
    addi a1, a1, 4
    EXPECT_TRAP(1f)
    lr.d a0, (a1)
    TEST_FAIL_CODE(47)
1:  CHECK(s2, CAUSE_MISALIGNED_LOAD, 48)
    CHECK_REG(s4, a1, 49)

    /* ---- a CSR write to a read-only CSR (mhartid) is illegal even in M;
       mtval = the instruction bits */
    EXPECT_TRAP(1f)
    .option push
    .option norvc
csrro:
    csrw mhartid, zero           /* 0xf1401073 */
    .option pop
    TEST_FAIL_CODE(50)
1:  CHECK(s2, CAUSE_ILLEGAL, 51)
    la t0, csrro
    CHECK_REG(s3, t0, 52)
    CHECK(s4, 0xf1401073, 54)
    /* ... but csrrs with rs1 = x0 only reads: no trap */
    EXPECT_TRAP(fail_53)
    csrrs a0, mhartid, zero
    csrrc a0, mvendorid, zero

    TEST_PASS

fail_53:
    TEST_FAIL_CODE(53)

    M_TRAP_RECORD(m_trap)

    .data
    .align 3
word:
    .dword 0x1122334455667788
