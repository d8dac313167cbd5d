// RV64C compressed-instruction expander (AssemblyScript, part of the wasm core).
//
// The RVC expansion table (RVC_TABLE, u32[65536]) maps every parcel whose low
// two bits are not 11 to the equivalent 32-bit RV64GC instruction; 0 means
// "illegal instruction". The JIT (hw/jit) translates compressed instructions
// through it. The interpreter (hart.ts) executes compressed instructions
// directly, with the immediate helpers exported here, and
// test/hw/rvc_exec.test.ts checks every parcel against the table. This module
// computes the table once at start-up (rvcInit) from rvcExpand, which
// implements the RVC chapter of the RISC-V unprivileged ISA for XLEN=64:
//
//   * RV64-only forms: C.LD/C.SD/C.LDSP/C.SDSP, C.ADDIW, C.SUBW/C.ADDW, and
//     6-bit shift amounts; the RV32-only C.JAL/C.FLW/C.FSW/C.FLWSP/C.FSWSP
//     code points decode as their RV64 counterparts instead.
//   * D is present, so C.FLD/C.FSD/C.FLDSP/C.FSDSP are expanded.
//   * Reserved code points expand to 0: the all-zero parcel, C.ADDI4SPN with
//     nzuimm=0, C.ADDIW with rd=x0, C.ADDI16SP/C.LUI with a zero immediate,
//     C.LWSP/C.LDSP with rd=x0, C.JR with rs1=x0, quadrant 0 funct3=100, and
//     the two unused CA-format slots (funct6=100111, funct2=10/11).
//   * HINT code points are legal and expand to a base instruction with the
//     same (lack of) architectural effect: C.NOP with imm!=0, C.ADDI with
//     imm=0, C.LI/C.LUI/C.MV/C.ADD/C.SLLI with rd=x0, and the shamt=0 shifts
//     (C.SLLI64/C.SRLI64/C.SRAI64), which expand to a shift by 0.
//
// Verified exhaustively against the GNU disassembler by test/hw/rvc.test.ts.
// Nothing here allocates: it is all integer arithmetic on u32.

import { RVC_TABLE } from "./layout";

// ---- 32-bit major opcodes ---------------------------------------------------
const OP_LOAD: u32 = 0x03;
const OP_LOAD_FP: u32 = 0x07;
const OP_IMM: u32 = 0x13;
const OP_IMM_32: u32 = 0x1b;
const OP_STORE: u32 = 0x23;
const OP_STORE_FP: u32 = 0x27;
const OP_OP: u32 = 0x33;
const OP_LUI: u32 = 0x37;
const OP_OP_32: u32 = 0x3b;
const OP_BRANCH: u32 = 0x63;
const OP_JALR: u32 = 0x67;
const OP_JAL: u32 = 0x6f;
const EBREAK: u32 = 0x00100073;

const SP: u32 = 2;
const RA: u32 = 1;

// ---- Field extraction from the 16-bit parcel ---------------------------------
/** Bits hi..lo of c, right-aligned. */
// @ts-ignore: decorator
@inline export function bits(c: u32, hi: u32, lo: u32): u32 {
  return (c >> lo) & ((<u32>1 << (hi - lo + 1)) - 1);
}
/** Bit `from` of c, placed at bit `to`. */
// @ts-ignore: decorator
@inline export function bit(c: u32, from: u32, to: u32): u32 {
  return ((c >> from) & 1) << to;
}
/** Sign-extend the low `n` bits of v. */
// @ts-ignore: decorator
@inline export function sext(v: u32, n: u32): u32 {
  return <u32>((<i32>(v << (32 - n))) >> (32 - n));
}

// ---- 32-bit instruction formats ----------------------------------------------
// @ts-ignore: decorator
@inline function rType(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
// @ts-ignore: decorator
@inline function iType(imm: u32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
// @ts-ignore: decorator
@inline function sType(imm: u32, rs2: u32, rs1: u32, f3: u32, op: u32): u32 {
  return (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op;
}
// @ts-ignore: decorator
@inline function bType(imm: u32, rs2: u32, rs1: u32, f3: u32): u32 {
  return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
    (f3 << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | OP_BRANCH;
}
// @ts-ignore: decorator
@inline function jType(imm: u32, rd: u32): u32 {
  return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | OP_JAL;
}

// ---- Immediates of the compressed formats --------------------------------------
/** CI-format 6-bit immediate imm[5] = c[12], imm[4:0] = c[6:2], sign-extended. */
// @ts-ignore: decorator
@inline export function ciImm(c: u32): u32 {
  return sext(bit(c, 12, 5) | bits(c, 6, 2), 6);
}
/** CI-format 6-bit shift amount (unsigned). */
// @ts-ignore: decorator
@inline export function ciShamt(c: u32): u32 {
  return bit(c, 12, 5) | bits(c, 6, 2);
}
/** CL/CS word offset: uimm[5:3] = c[12:10], uimm[2] = c[6], uimm[6] = c[5]. */
// @ts-ignore: decorator
@inline export function clwImm(c: u32): u32 {
  return (bits(c, 12, 10) << 3) | bit(c, 6, 2) | bit(c, 5, 6);
}
/** CL/CS doubleword offset: uimm[5:3] = c[12:10], uimm[7:6] = c[6:5]. */
// @ts-ignore: decorator
@inline export function cldImm(c: u32): u32 {
  return (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
}
/** CB branch offset: [8|4:3] = c[12:10], [7:6|2:1|5] = c[6:2], sign-extended. */
// @ts-ignore: decorator
@inline export function cbImm(c: u32): u32 {
  return sext(bit(c, 12, 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) |
    (bits(c, 4, 3) << 1) | bit(c, 2, 5), 9);
}
/** CJ jump offset: [11|4|9:8|10|6|7|3:1|5] = c[12:2], sign-extended. */
// @ts-ignore: decorator
@inline export function cjImm(c: u32): u32 {
  return sext(bit(c, 12, 11) | bit(c, 11, 4) | (bits(c, 10, 9) << 8) | bit(c, 8, 10) |
    bit(c, 7, 6) | bit(c, 6, 7) | (bits(c, 5, 3) << 1) | bit(c, 2, 5), 12);
}

// ---- Quadrants -------------------------------------------------------------------
function quadrant0(c: u32): u32 {
  const rdp = bits(c, 4, 2) + 8;   // rd' / rs2'
  const rs1p = bits(c, 9, 7) + 8;  // rs1'
  switch (bits(c, 15, 13)) {
    case 0: { // C.ADDI4SPN: addi rd', x2, nzuimm  (nzuimm=0 reserved; covers 0x0000)
      const imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | bit(c, 6, 2) | bit(c, 5, 3);
      if (imm == 0) return 0;
      return iType(imm, SP, 0, rdp, OP_IMM);
    }
    case 1: return iType(cldImm(c), rs1p, 3, rdp, OP_LOAD_FP);        // C.FLD
    case 2: return iType(clwImm(c), rs1p, 2, rdp, OP_LOAD);           // C.LW
    case 3: return iType(cldImm(c), rs1p, 3, rdp, OP_LOAD);           // C.LD (RV64)
    case 4: return 0;                                                  // reserved
    case 5: return sType(cldImm(c), rdp, rs1p, 3, OP_STORE_FP);       // C.FSD
    case 6: return sType(clwImm(c), rdp, rs1p, 2, OP_STORE);          // C.SW
    default: return sType(cldImm(c), rdp, rs1p, 3, OP_STORE);         // C.SD (RV64)
  }
}

function quadrant1(c: u32): u32 {
  const rd = bits(c, 11, 7);
  switch (bits(c, 15, 13)) {
    case 0: // C.ADDI / C.NOP (rd=x0 or imm=0 are HINTs): addi rd, rd, imm
      return iType(ciImm(c), rd, 0, rd, OP_IMM);
    case 1: // C.ADDIW (RV64; rd=x0 reserved): addiw rd, rd, imm
      if (rd == 0) return 0;
      return iType(ciImm(c), rd, 0, rd, OP_IMM_32);
    case 2: // C.LI (rd=x0 HINT): addi rd, x0, imm
      return iType(ciImm(c), 0, 0, rd, OP_IMM);
    case 3: {
      if (rd == SP) { // C.ADDI16SP: addi x2, x2, nzimm (nzimm=0 reserved)
        const imm = bit(c, 12, 9) | bit(c, 6, 4) | bit(c, 5, 6) | (bits(c, 4, 3) << 7) | bit(c, 2, 5);
        if (imm == 0) return 0;
        return iType(sext(imm, 10), SP, 0, SP, OP_IMM);
      }
      // C.LUI (nzimm=0 reserved, rd=x0 HINT): lui rd, nzimm[17:12]
      const imm = bit(c, 12, 5) | bits(c, 6, 2);
      if (imm == 0) return 0;
      return (sext(imm, 6) << 12) | (rd << 7) | OP_LUI;
    }
    case 4: {
      const rdp = bits(c, 9, 7) + 8;
      switch (bits(c, 11, 10)) {
        case 0: // C.SRLI (shamt=0 HINT, i.e. C.SRLI64): srli rd', rd', shamt
          return iType(ciShamt(c), rdp, 5, rdp, OP_IMM);
        case 1: // C.SRAI (shamt=0 HINT): srai rd', rd', shamt
          return iType(0x400 | ciShamt(c), rdp, 5, rdp, OP_IMM);
        case 2: // C.ANDI: andi rd', rd', imm
          return iType(ciImm(c), rdp, 7, rdp, OP_IMM);
        default: {
          const rs2p = bits(c, 4, 2) + 8;
          const f2 = bits(c, 6, 5);
          if ((c & 0x1000) == 0) {
            switch (f2) {
              case 0: return rType(0x20, rs2p, rdp, 0, rdp, OP_OP);   // C.SUB
              case 1: return rType(0, rs2p, rdp, 4, rdp, OP_OP);      // C.XOR
              case 2: return rType(0, rs2p, rdp, 6, rdp, OP_OP);      // C.OR
              default: return rType(0, rs2p, rdp, 7, rdp, OP_OP);     // C.AND
            }
          }
          if (f2 == 0) return rType(0x20, rs2p, rdp, 0, rdp, OP_OP_32); // C.SUBW
          if (f2 == 1) return rType(0, rs2p, rdp, 0, rdp, OP_OP_32);    // C.ADDW
          return 0;                                                       // reserved
        }
      }
    }
    case 5: // C.J: jal x0, offset
      return jType(cjImm(c), 0);
    case 6: // C.BEQZ: beq rs1', x0, offset
      return bType(cbImm(c), 0, bits(c, 9, 7) + 8, 0);
    default: // C.BNEZ: bne rs1', x0, offset
      return bType(cbImm(c), 0, bits(c, 9, 7) + 8, 1);
  }
}

function quadrant2(c: u32): u32 {
  const rd = bits(c, 11, 7);   // rd / rs1
  const rs2 = bits(c, 6, 2);
  switch (bits(c, 15, 13)) {
    case 0: // C.SLLI (rd=x0 or shamt=0 HINTs): slli rd, rd, shamt
      return iType(ciShamt(c), rd, 1, rd, OP_IMM);
    case 1: { // C.FLDSP: fld rd, uimm(x2); uimm[5] = c[12], [4:3|8:6] = c[6:2]
      const imm = bit(c, 12, 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
      return iType(imm, SP, 3, rd, OP_LOAD_FP);
    }
    case 2: { // C.LWSP (rd=x0 reserved): lw rd, uimm(x2); [5] = c[12], [4:2|7:6] = c[6:2]
      if (rd == 0) return 0;
      const imm = bit(c, 12, 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
      return iType(imm, SP, 2, rd, OP_LOAD);
    }
    case 3: { // C.LDSP (RV64; rd=x0 reserved): ld rd, uimm(x2)
      if (rd == 0) return 0;
      const imm = bit(c, 12, 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
      return iType(imm, SP, 3, rd, OP_LOAD);
    }
    case 4: {
      if ((c & 0x1000) == 0) {
        if (rs2 == 0) {                                     // C.JR (rs1=x0 reserved)
          if (rd == 0) return 0;
          return iType(0, rd, 0, 0, OP_JALR);               // jalr x0, 0(rs1)
        }
        return rType(0, rs2, 0, 0, rd, OP_OP);              // C.MV (rd=x0 HINT): add rd, x0, rs2
      }
      if (rs2 == 0) {
        if (rd == 0) return EBREAK;                         // C.EBREAK
        return iType(0, rd, 0, RA, OP_JALR);                // C.JALR: jalr x1, 0(rs1)
      }
      return rType(0, rs2, rd, 0, rd, OP_OP);               // C.ADD (rd=x0 HINT): add rd, rd, rs2
    }
    case 5: { // C.FSDSP: fsd rs2, uimm(x2); uimm[5:3|8:6] = c[12:7]
      const imm = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
      return sType(imm, rs2, SP, 3, OP_STORE_FP);
    }
    case 6: { // C.SWSP: sw rs2, uimm(x2); uimm[5:2|7:6] = c[12:7]
      const imm = (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
      return sType(imm, rs2, SP, 2, OP_STORE);
    }
    default: { // C.SDSP (RV64): sd rs2, uimm(x2); uimm[5:3|8:6] = c[12:7]
      const imm = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
      return sType(imm, rs2, SP, 3, OP_STORE);
    }
  }
}

/** Expand a 16-bit RVC parcel (low 2 bits != 3) into the equivalent 32-bit RV64GC instruction.
 *  Returns 0 for illegal/reserved encodings (including the all-zero parcel).
 *  Only the low 16 bits of `c` are looked at; a parcel whose low bits are 11 is
 *  not compressed and also yields 0. */
export function rvcExpand(c: u32): u32 {
  c &= 0xffff;
  switch (c & 3) {
    case 0: return quadrant0(c);
    case 1: return quadrant1(c);
    case 2: return quadrant2(c);
    default: return 0;
  }
}

/** Fill the expansion table: u32 at RVC_TABLE + 4*c for every c in 0..65535 (0 for parcels with low bits 11 too). */
export function rvcInit(): void {
  for (let c: u32 = 0; c < 0x10000; c++) {
    store<u32>(<usize>RVC_TABLE + (<usize>c << 2), rvcExpand(c));
  }
}
