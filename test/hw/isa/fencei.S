/* fencei.S - fence (all forms accepted, ordering is trivially visible on one
 * hart) and Zifencei: after an instruction is written to memory, fence.i makes
 * the new instruction execute (self-modifying code, both in a data buffer and
 * in code that has already run, 32-bit and compressed encodings).
 */
#include "isa.h"

/* addi a0, x0, imm (I-type: imm[11:0] rs1=0 funct3=0 rd=10 opcode=0x13) */
#define ADDI_A0(imm) ((((imm) & 0xfff) << 20) | (10 << 7) | 0x13)
#define RET_INSN     0x00008067          /* jalr x0, 0(ra) */
#define C_LI_A0_5    0x4515              /* c.li a0, 5 */
#define C_JR_RA      0x8082              /* c.jr ra */

ISA_BEGIN
    /* fence variants are all legal and have no architectural effect here */
    li a0, 1
    fence
    fence rw, rw
    fence r, r
    fence w, w
    fence iorw, iorw
    fence i, o
    fence.tso
    .word 0x0100000f                    /* pause (fence w, 0) */
    fence.i
    ICHECK(a0, 1, 1)
    /* a store followed by a fence then a load sees the stored value */
    la a1, scratch
    li a2, 0x1234
    sd a2, 0(a1)
    fence w, r
    ld a0, 0(a1)
    ICHECK(a0, 0x1234, 2)

    /* write "addi a0, x0, 1; ret" into a buffer, fence.i, call it */
    la s0, smc_buf
    li a1, ADDI_A0(1)
    sw a1, 0(s0)
    li a1, RET_INSN
    sw a1, 4(s0)
    fence.i
    li a0, 0
    jalr ra, 0(s0)
    ICHECK(a0, 1, 3)
    /* run it a second time unchanged (now possibly cached/translated) */
    li a0, 0
    jalr ra, 0(s0)
    ICHECK(a0, 1, 4)
    /* overwrite the first instruction: the new one must execute */
    li a1, ADDI_A0(-2)
    sw a1, 0(s0)
    fence.i
    li a0, 0
    jalr ra, 0(s0)
    ICHECK(a0, -2, 5)
    /* overwrite by bytes (sb) */
    li a1, ADDI_A0(0x123)
    sb a1, 0(s0)
    srli a1, a1, 8
    sb a1, 1(s0)
    srli a1, a1, 8
    sb a1, 2(s0)
    srli a1, a1, 8
    sb a1, 3(s0)
    fence.i
    li a0, 0
    jalr ra, 0(s0)
    ICHECK(a0, 0x123, 6)
    /* compressed code: "c.li a0, 5; c.jr ra" */
    li a1, (C_JR_RA << 16) | C_LI_A0_5
    sw a1, 0(s0)
    fence.i
    li a0, 0
    jalr ra, 0(s0)
    ICHECK(a0, 5, 7)
    /* a 32-bit instruction at a 2-byte aligned address: c.nop; addi; ret */
    li a1, (ADDI_A0(77) << 16) | 0x0001  /* c.nop, low half of addi */
    sw a1, 0(s0)
    li a1, (RET_INSN << 16) | (ADDI_A0(77) >> 16)
    sw a1, 4(s0)
    li a1, RET_INSN >> 16
    sh a1, 8(s0)
    fence.i
    li a0, 0
    jalr ra, 0(s0)
    ICHECK(a0, 77, 8)

    /* patch an instruction inside a loop that has already executed it:
       iteration 1 adds 1, then the addi is rewritten to add 7, so the
       total over 3 iterations is 1 + 7 + 7 = 15 */
    li s1, 0
    li s2, 3
    la s3, patch_site
smc_loop:
patch_site:
    addi a0, x0, 1
    add s1, s1, a0
    li a1, ADDI_A0(7)
    sw a1, 0(s3)
    fence.i
    addi s2, s2, -1
    bnez s2, smc_loop
    ICHECK(s1, 15, 9)
    /* patch the instruction right after the fence.i (same basic block) */
    la s3, patch_next
    li a1, ADDI_A0(42)
    sw a1, 0(s3)
    fence.i
patch_next:
    addi a0, x0, 0
    ICHECK(a0, 42, 10)

ISA_PASS

    .section .data
    .align 3
scratch: .dword 0
    .align 4
smc_buf: .skip 64
