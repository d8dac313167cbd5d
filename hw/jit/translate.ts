// Translation of one 4 KiB guest page into one WebAssembly function (a
// "region"): the RV64IM integer subset with direct branches and loops kept
// inside the function, guest registers in the hart state block (written
// through at once; a block keeps those it uses in wasm locals), and loads and
// stores through an inline check of the interpreter's software TLB (none for
// one in the page that the block's last check through its base register hit).
//
// Shape of the generated function, (count, limit, tlbR, tlbW, block) -> i64:
//   loop $dispatch
//     block $bN-1 ... block $b0 block $miss  br_table(slot)  end  leave
//     end  code of b0  end  code of b1 ...
//   end
// where every exit ("leave") stores PC and returns (count << 1) | taken:
// memory already holds every register.
// A block starts at every entry pc, every branch target inside the page and
// every return point (the instruction after a call);
// its code runs on through not-taken branches until a jump, the next block
// (fall-through) or an instruction this tier does not translate. The dispatch
// is indexed by slot = page offset / 2, so a jalr whose target lies in the
// page (a return, a jump table) goes through it too; a slot that starts no
// block leaves the region ($miss) as a jump out of the page would.
//
// Exactness (the guest cannot tell the tiers apart):
//   - everything the region does not translate (FP, AMOs, CSRs, system
//     instructions, fence.i, illegal encodings, an instruction crossing the
//     page end) ends the region *before* that instruction, with PC, registers
//     and count as the interpreter would have them, and the interpreter runs it;
//   - a load or store whose TLB check misses leaves the same way, so page
//     faults, MMIO and stores to code pages all happen in the interpreter;
//   - count is exact at every exit; at taken branches the region leaves when
//     count >= limit, exactly where the interpreter runs its slow checks
//     (timer, interrupts, budget), so interrupts are taken at the same
//     instruction in both tiers;
//   - W-form and division edge cases follow the spec (helpers below).
//
// Concepts: C15 (memory hierarchy: guest registers cached in wasm locals inside a
// block, RAM behind the TLB), C52 (every load and store is checked against
// the TLB, or lies in a page the TLB was just checked for),
// C12 (the timer interrupt still comes within a bounded number of instructions).
import { Code, I32, I64, Op, buildModule, type Func } from "./wasm.js";
import {
  STATE, PC, X, F, FCSR, MSTATUS, TLB_ENTRIES,
} from "../core/layout.js";

/**
 * Parameters and locals of a region function. P_BLK: dispatch slot (page
 * offset / 2). The region does not look for the next region itself: it
 * returns, and the core chains (hw/core/jit.ts jitTry).
 */
const P_CNT = 0, P_LIMIT = 1, P_TLBR = 2, P_TLBW = 3, P_BLK = 4;
const xl = (r: number): number => 4 + r; // x1..x31 -> locals 5..35
const L_A = 36, L_EPC = 37, L_E = 39; // local 38 is unused
/** A loaded F value on its way to the register file; whether mstatus.FS was on at entry. */
const L_T = 40, L_FS = 41;
/** x1..x31's last checked host address (access()): locals 43..73. */
const hl = (r: number): number => 42 + r;
const MEMO_R = 1, MEMO_W = 2;
/** mstatus.FS (bits 13-14): 0 = off (F/D instructions are illegal), 3 = dirty. */
const MS_FS = 3n << 13n;

/**
 * Function indices in the module: the one import (env.fp, the core's fpExec,
 * which executes an F/D computational instruction on the hart state in
 * memory, exactly as the interpreter does), then the helpers.
 */
const H_FP = 0;
const H_MULHU = 1, H_MULH = 2, H_MULHSU = 3, H_DIV = 4, H_DIVU = 5, H_REM = 6, H_REMU = 7,
  H_DIVW = 8, H_DIVUW = 9, H_REMW = 10, H_REMUW = 11;
const N_FUNCS = 12; // the import and the helpers: the region function comes next

/** The signature of every region function (hw/core/jit.ts calls it through the table). */
export const REGION_PARAMS = [I64, I64, I32, I32, I32];

export interface PageSource {
  /** Virtual address of the page (multiple of 4096). */
  vaPage: bigint;
  /** The page's 4096 bytes (guest RAM, read when translating). */
  bytes: Uint8Array;
  /** The core's table expanding 16-bit parcels (0 = illegal). */
  rvc: Uint32Array;
}

export interface Translation {
  /** The module's bytes (one exported function "r"). */
  wasm: Uint8Array;
  /** Page offset of each block start (its dispatch slot is offset / 2 - slotBase). */
  blocks: number[];
  /** The first block's offset / 2: the entry's block parameter is a slot minus this. */
  slotBase: number;
  /** Guest instructions translated. */
  insns: number;
  /** Page offsets of the bytes the translated instructions came from, as (offset, length) pairs. */
  covered: number[];
}

interface Insn { off: number; len: number; insn: number }

/** The instruction at page offset `off`, or null if it crosses the page end or is an illegal parcel. */
function fetch(src: PageSource, off: number): Insn | null {
  if (off + 2 > 4096) return null;
  const parcel = src.bytes[off] | (src.bytes[off + 1] << 8);
  if ((parcel & 3) !== 3) {
    const insn = src.rvc[parcel];
    return insn === 0 ? null : { off, len: 2, insn };
  }
  if (off + 4 > 4096) return null;
  return { off, len: 4, insn: (parcel | (src.bytes[off + 2] << 16) | (src.bytes[off + 3] << 24)) >>> 0 };
}

const opc = (i: number): number => (i >>> 2) & 31;
const f3 = (i: number): number => (i >>> 12) & 7;
const f7 = (i: number): number => i >>> 25;
const rd = (i: number): number => (i >>> 7) & 31;
const rs1 = (i: number): number => (i >>> 15) & 31;
const rs2 = (i: number): number => (i >>> 20) & 31;
const immI = (i: number): number => i >> 20;
const immS = (i: number): number => ((i >> 20) & ~31) | ((i >>> 7) & 31);
const immB = (i: number): number =>
  ((i >> 19) & ~0xfff) | ((i << 4) & 0x800) | ((i >>> 20) & 0x7e0) | ((i >>> 7) & 0x1e);
const immJ = (i: number): number =>
  ((i >> 11) & ~0xfffff) | (i & 0xff000) | ((i >>> 9) & 0x800) | ((i >>> 20) & 0x7fe);

/** What an instruction means for the region's control flow. */
const enum Kind { Plain, Branch, Jal, Jalr, Stop }

/** Whether this tier translates the instruction, and how it affects control flow. */
function classify(insn: number): Kind {
  const f = f3(insn);
  switch (opc(insn)) {
    case 0x00: return f === 7 ? Kind.Stop : Kind.Plain; // loads
    case 0x01: case 0x09: return f === 2 || f === 3 ? Kind.Plain : Kind.Stop; // flw, fld, fsw, fsd
    case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: return Kind.Plain; // F/D computation (the core's fpExec)
    case 0x08: return f > 3 ? Kind.Stop : Kind.Plain; // stores
    case 0x03: return f === 0 ? Kind.Plain : Kind.Stop; // fence is a no-op here; fence.i flushes (interpreter)
    case 0x04: {
      if (f === 1) return (insn >>> 26) === 0 ? Kind.Plain : Kind.Stop;
      if (f === 5) { const top = insn >>> 26; return top === 0 || top === 0x10 ? Kind.Plain : Kind.Stop; }
      return Kind.Plain;
    }
    case 0x05: case 0x0d: return Kind.Plain; // auipc, lui
    case 0x06: {
      const g = f7(insn);
      if (f === 0) return Kind.Plain;
      if (f === 1 && g === 0) return Kind.Plain;
      if (f === 5 && (g === 0 || g === 0x20)) return Kind.Plain;
      return Kind.Stop;
    }
    case 0x0c: {
      const g = f7(insn);
      if (g === 0 || g === 1) return Kind.Plain;
      if (g === 0x20 && (f === 0 || f === 5)) return Kind.Plain;
      return Kind.Stop;
    }
    case 0x0e: {
      const g = f7(insn);
      if (g === 0 && (f === 0 || f === 1 || f === 5)) return Kind.Plain;
      if (g === 0x20 && (f === 0 || f === 5)) return Kind.Plain;
      if (g === 1 && (f === 0 || f >= 4)) return Kind.Plain;
      return Kind.Stop;
    }
    case 0x18: return f === 2 || f === 3 ? Kind.Stop : Kind.Branch;
    case 0x19: return f === 0 ? Kind.Jalr : Kind.Stop;
    case 0x1c: { // the floating-point CSRs (fflags, frm, fcsr) are plain data: glibc's floor() and friends read and restore fflags
      const csr = insn >>> 20;
      return f !== 0 && f !== 4 && csr >= 1 && csr <= 3 ? Kind.Plain : Kind.Stop;
    }
    case 0x1b: return Kind.Jal;
    default: return Kind.Stop;
  }
}

/**
 * Most guest instructions one region translates. V8's optimizing compiler
 * takes time that grows faster than linearly with a function's size (a whole
 * 4 KiB page of gzip's code took 0.4-1 s per function on this kind of
 * machine, during which the slow baseline code runs), so a region is the
 * code near one entry, not the whole page.
 */
export const MAX_REGION_INSNS = 512;

/**
 * Block starts reachable from `roots` without leaving the page, breadth
 * first, and the visited instructions' offsets. No new block is started once
 * half of `maxInsns` were visited (a branch to it leaves the region, so
 * regions end at branch targets, where other regions start: entries stay
 * few and stable); a block already started runs on to at most `maxInsns`
 * (code past that is left to the next region or the interpreter).
 */
function explore(src: PageSource, roots: number[], maxInsns: number): { starts: number[]; visited: Set<number> } {
  const starts = new Set<number>();
  const visited = new Set<number>();
  const work = [...roots];
  const returns: number[] = []; // return points, explored once the branch targets are
  for (let w = 0; ; w++) {
    if (w === work.length) {
      if (returns.length === 0) break;
      work.push(...returns);
      returns.length = 0;
    }
    let off = work[w];
    if (starts.has(off)) continue;
    if (visited.size >= maxInsns >> 1 && !visited.has(off)) continue; // past the limit: a branch there leaves
    starts.add(off);
    while (!visited.has(off) && visited.size < maxInsns) {
      const d = fetch(src, off);
      if (!d) break;
      visited.add(off);
      const k = classify(d.insn);
      // A call (jal or jalr linking a register) returns to the next
      // instruction, through a jalr: that return point starts a block, so a
      // return into this page goes through the dispatch instead of leaving
      // the region (gzip: 3.1 M of its 6.6 M region exits were such returns).
      // Return points come after every branch target found so far: taken
      // first, they used up the region's size and cut its loops.
      if ((k === Kind.Jal || k === Kind.Jalr) && rd(d.insn) !== 0 && off + d.len < 4096) returns.push(off + d.len);
      if (k === Kind.Stop || k === Kind.Jalr) break;
      if (k === Kind.Branch || k === Kind.Jal) {
        const t = off + (k === Kind.Branch ? immB(d.insn) : immJ(d.insn));
        if (t >= 0 && t < 4096) work.push(t);
        if (k === Kind.Jal) break;
      }
      off += d.len;
      if (off >= 4096) break;
    }
  }
  return { starts: [...starts].sort((a, b) => a - b), visited };
}

/** Whether the block from `start` (up to `next`) has a branch or jump back to `start` (decoded as translatePage emits it). */
function branchesToItself(src: PageSource, start: number, next: number): boolean {
  for (let off = start; off < next;) {
    const d = fetch(src, off);
    if (!d) return false;
    const k = classify(d.insn);
    if (k === Kind.Stop || k === Kind.Jalr) return false;
    if (k === Kind.Branch && off + immB(d.insn) === start) return true;
    if (k === Kind.Jal) return off + immJ(d.insn) === start;
    off += d.len;
  }
  return false;
}

/** Emit the eleven arithmetic helpers (RISC-V results for the cases wasm traps on or lacks). */
function helpers(): Func[] {
  const fns: Func[] = [];
  const A = 0, B = 1;
  const M = 0xffffffffn;
  { // mulhu: four 32x32 partial products
    const c = new Code();
    const A0 = 2, A1 = 3, B0 = 4, B1 = 5, P01 = 6, P10 = 7, MID = 8;
    c.get(A); c.i64(M); c.op(Op.i64_and); c.set(A0);
    c.get(A); c.i64(32); c.op(Op.i64_shr_u); c.set(A1);
    c.get(B); c.i64(M); c.op(Op.i64_and); c.set(B0);
    c.get(B); c.i64(32); c.op(Op.i64_shr_u); c.set(B1);
    c.get(A0); c.get(B1); c.op(Op.i64_mul); c.set(P01);
    c.get(A1); c.get(B0); c.op(Op.i64_mul); c.set(P10);
    c.get(A0); c.get(B0); c.op(Op.i64_mul); c.i64(32); c.op(Op.i64_shr_u);
    c.get(P01); c.i64(M); c.op(Op.i64_and); c.op(Op.i64_add);
    c.get(P10); c.i64(M); c.op(Op.i64_and); c.op(Op.i64_add); c.set(MID);
    c.get(A1); c.get(B1); c.op(Op.i64_mul);
    c.get(P01); c.i64(32); c.op(Op.i64_shr_u); c.op(Op.i64_add);
    c.get(P10); c.i64(32); c.op(Op.i64_shr_u); c.op(Op.i64_add);
    c.get(MID); c.i64(32); c.op(Op.i64_shr_u); c.op(Op.i64_add);
    fns.push({ type: 0, locals: [[7, I64]], body: c });
  }
  for (const signedB of [true, false]) { // mulh, mulhsu: subtract the sign corrections
    const c = new Code();
    c.get(A); c.get(B); c.call(H_MULHU);
    c.get(B); c.i64(0); c.get(A); c.i64(0); c.op(Op.i64_lt_s); c.op(Op.select); c.op(Op.i64_sub);
    if (signedB) { c.get(A); c.i64(0); c.get(B); c.i64(0); c.op(Op.i64_lt_s); c.op(Op.select); c.op(Op.i64_sub); }
    fns.push({ type: 0, locals: [], body: c });
  }
  const MIN = -(1n << 63n);
  const guardZero = (c: Code, result: () => void): void => {
    c.get(B); c.op(Op.i64_eqz); c.begin(Op.if); result(); c.op(Op.return); c.end();
  };
  const guardOverflow = (c: Code, result: () => void): void => {
    c.get(A); c.i64(MIN); c.op(Op.i64_eq); c.get(B); c.i64(-1); c.op(Op.i64_eq); c.op(Op.i32_and);
    c.begin(Op.if); result(); c.op(Op.return); c.end();
  };
  { const c = new Code(); guardZero(c, () => c.i64(-1)); guardOverflow(c, () => c.get(A)); // div
    c.get(A); c.get(B); c.op(Op.i64_div_s); fns.push({ type: 0, locals: [], body: c }); }
  { const c = new Code(); guardZero(c, () => c.i64(-1)); // divu
    c.get(A); c.get(B); c.op(Op.i64_div_u); fns.push({ type: 0, locals: [], body: c }); }
  { const c = new Code(); guardZero(c, () => c.get(A)); guardOverflow(c, () => c.i64(0)); // rem
    c.get(A); c.get(B); c.op(Op.i64_rem_s); fns.push({ type: 0, locals: [], body: c }); }
  { const c = new Code(); guardZero(c, () => c.get(A)); // remu
    c.get(A); c.get(B); c.op(Op.i64_rem_u); fns.push({ type: 0, locals: [], body: c }); }
  // W forms: operate on the low 32 bits, sign-extend the 32-bit result.
  const XW = 2, YW = 3;
  const wPrologue = (c: Code): void => {
    c.get(A); c.op(Op.i32_wrap_i64); c.set(XW);
    c.get(B); c.op(Op.i32_wrap_i64); c.set(YW);
  };
  const wZero = (c: Code, result: () => void): void => {
    c.get(YW); c.op(Op.i32_eqz); c.begin(Op.if); result(); c.op(Op.return); c.end();
  };
  const wOverflow = (c: Code, result: () => void): void => {
    c.get(XW); c.i32(-0x80000000); c.op(Op.i32_eq); c.get(YW); c.i32(-1); c.op(Op.i32_eq); c.op(Op.i32_and);
    c.begin(Op.if); result(); c.op(Op.return); c.end();
  };
  const sextX = (c: Code): void => { c.get(XW); c.op(Op.i64_extend_i32_s); };
  const wOp = (c: Code, o: number): void => { c.get(XW); c.get(YW); c.op(o); c.op(Op.i64_extend_i32_s); };
  { const c = new Code(); wPrologue(c); wZero(c, () => c.i64(-1)); wOverflow(c, () => sextX(c)); // divw
    wOp(c, Op.i32_div_s); fns.push({ type: 0, locals: [[2, I32]], body: c }); }
  { const c = new Code(); wPrologue(c); wZero(c, () => c.i64(-1)); // divuw
    wOp(c, Op.i32_div_u); fns.push({ type: 0, locals: [[2, I32]], body: c }); }
  { const c = new Code(); wPrologue(c); wZero(c, () => sextX(c)); wOverflow(c, () => c.i64(0)); // remw
    wOp(c, Op.i32_rem_s); fns.push({ type: 0, locals: [[2, I32]], body: c }); }
  { const c = new Code(); wPrologue(c); wZero(c, () => sextX(c)); // remuw
    wOp(c, Op.i32_rem_u); fns.push({ type: 0, locals: [[2, I32]], body: c }); }
  return fns;
}

/**
 * Translate the page for entries at page offsets `roots`. Returns null when
 * no root starts with an instruction this tier translates.
 */
export function translatePage(src: PageSource, roots: number[], memPages: number, maxInsns = MAX_REGION_INSNS): Translation | null {
  const { starts, visited } = explore(src, roots, maxInsns);
  // The dispatch's br_table covers only the slots (page offset / 2) from the
  // first block start to the last: P_BLK is a slot minus slotBase.
  const slotBase = starts.length > 0 ? starts[0] >> 1 : 0;
  const slotCount = starts.length > 0 ? (starts[starts.length - 1] >> 1) - slotBase + 1 : 1;
  const blockIndex = new Map<number, number>();
  starts.forEach((s, i) => blockIndex.set(s, i));
  const N = starts.length;
  // Guest registers live in the hart state block: a write goes to memory at
  // once (and to a wasm local), and a block keeps the registers it uses in
  // wasm locals from their first use to its end (`cached`). Memory always
  // holds every register, so an exit is just "store PC, return", the region
  // needs no prologue or epilogue (a switch between regions costs no
  // register traffic), and no register value is live across a merge of
  // control flow: V8's optimizing compiler no longer builds the phi web that
  // the merge of all 31 registers at every exit made (the main cost of
  // python3's start-up on the JIT).
  const cached = new Set<number>();
  // For access(): per base register, what its last TLB check proved (MEMO_*, 0 = nothing), at which immediate and width.
  const memoKind = new Uint8Array(32), memoImm = new Int32Array(32), memoWidth = new Uint8Array(32);
  const body = new Code();
  let insns = 0;
  const covered: number[] = [];
  let depth = 0; // extra nesting (ifs) at the current emission point
  let cur = 0;   // index of the block being emitted
  const toLoop = (): number => N - 1 - cur + depth;
  // A block whose own branches go back to its start (most inner loops) is
  // wrapped in a wasm loop of its own: that branch is then a direct `br`,
  // not a trip through the dispatch, whose merge of every block is costly.
  let selfLoop = false;

  const get = (r: number): void => {
    if (r === 0) { body.i64(0); return; }
    if (cached.has(r)) { body.get(xl(r)); return; }
    body.i32(0); body.mem(Op.i64_load, 3, STATE + X + 8 * r); body.tee(xl(r));
    cached.add(r);
  };
  const put = (r: number): void => {
    if (r === 0) { body.op(Op.drop); return; }
    cached.add(r);
    memoKind[r] = 0;
    body.set(xl(r));
    body.i32(0); body.get(xl(r)); body.mem(Op.i64_store, 3, STATE + X + 8 * r);
  };
  /** Drop register r from the cache (memory holds its newer value). */
  const forget = (r: number): void => { cached.delete(r); memoKind[r] = 0; };
  /** Leave the region: PC = pc (or the value in L_EPC if pc is null), count = count + off. */
  const exit = (pc: bigint | null, off: number, taken: boolean): void => {
    body.i32(0);
    if (pc !== null) body.i64(pc); else body.get(L_EPC);
    body.mem(Op.i64_store, 3, STATE + PC);
    body.get(P_CNT);
    if (off !== 0) { body.i64(off); body.op(Op.i64_add); }
    body.i64(1); body.op(Op.i64_shl);
    if (taken) { body.i64(1); body.op(Op.i64_or); }
    body.op(Op.return);
  };
  /** A taken branch or jump to page offset-or-address `target` after `off` instructions of this block retired (including it). */
  const taken = (target: bigint, off: number): void => {
    body.get(P_CNT); body.i64(off); body.op(Op.i64_add); body.set(P_CNT);
    const t = target - src.vaPage;
    const j = t >= 0n && t < 4096n ? blockIndex.get(Number(t)) : undefined;
    if (j === undefined) { exit(target, 0, true); return; }
    // The interpreter's slow checks are due: leave, as it would stop here.
    body.get(P_CNT); body.get(P_LIMIT); body.op(Op.i64_ge_s);
    body.begin(Op.if); depth++; exit(target, 0, true); depth--; body.end();
    if (j === cur && selfLoop) { body.br(depth - 1); return; } // the block's own loop is the outermost extra level
    // A forward branch is a plain `br`: block j's code follows the end of the
    // wasm block $b_j, which is still open here (the blocks of cur+1 .. j-1
    // lie inside it), so the branch does not go through the dispatch's
    // br_table, whose loop header merges every block of the region.
    if (j > cur) { body.br(j - cur - 1 + depth); return; }
    body.i32((Number(t) >> 1) - slotBase); body.set(P_BLK);
    body.br(toLoop());
  };
  /**
   * Leave where the region's size limit cut a block, before the instruction
   * at pc. If the slow checks are not due (count < limit) this counts as a
   * taken jump, so the interpreter looks for a region at pc at once; if they
   * are due it must not run them here (the interpreter would run them only at
   * the next taken branch), so it leaves as before an untranslated instruction.
   */
  const truncated = (pc: bigint, n: number): void => {
    // Nothing retired: a taken exit could chain back here without progress; the interpreter runs pc.
    if (n === 0) { exit(pc, 0, false); return; }
    body.get(P_CNT); body.i64(n); body.op(Op.i64_add); body.set(P_CNT);
    body.get(P_CNT); body.get(P_LIMIT); body.op(Op.i64_ge_s);
    body.begin(Op.if); depth++; exit(pc, 0, false); depth--; body.end();
    exit(pc, 0, true);
  };
  /**
   * Compute the effective address into L_A and check the TLB; on a miss, or
   * an access not aligned to its width, leave before this instruction (the
   * interpreter's MMU does misaligned accesses, which compiled code seldom
   * makes). The tag check folds the alignment check in: rotating
   * (address & ~0xfff | width - 1) right by 12 gives the page number with
   * the misaligned bits on top, so it equals the entry's tag (a page number,
   * top 12 bits clear, or -1 when empty) only for a hit of an aligned
   * access: one compare where a separate page-crossing test took five more
   * operations (V8 made about eight x86 instructions of them).
   * Leaves the host address (i32) on the stack.
   */
  const tlbCheck = (base: number, imm: number, width: number, tlb: number, pc: bigint, off: number): void => {
    get(base); if (imm !== 0) { body.i64(imm); body.op(Op.i64_add); } body.tee(L_A);
    // Entry address: tlb + ((address >> 12) & (TLB_ENTRIES - 1)) * 16, as (address >> 8) & ((TLB_ENTRIES - 1) << 4).
    body.op(Op.i32_wrap_i64); body.i32(8); body.op(Op.i32_shr_u); body.i32((TLB_ENTRIES - 1) << 4); body.op(Op.i32_and);
    body.get(tlb); body.op(Op.i32_add); body.tee(L_E);
    body.mem(Op.i64_load, 3, 0);
    body.get(L_A);
    if (width > 1) { body.i64(~0xfffn | BigInt(width - 1)); body.op(Op.i64_and); body.i64(12); body.op(Op.i64_rotr); }
    else { body.i64(12); body.op(Op.i64_shr_u); }
    body.op(Op.i64_ne);
    body.begin(Op.if); depth++; exit(pc, off, false); depth--; body.end();
    // host address = va + addend
    body.get(L_E); body.mem(Op.i64_load, 3, 8); body.get(L_A); body.op(Op.i64_add); body.op(Op.i32_wrap_i64);
  };
  /**
   * The host address of a load or store (i32, on the stack), leaving before
   * the instruction as tlbCheck() does. A block remembers, for each base
   * register not written since, the host address its last TLB check gave
   * (in local hl(r)): a later access through the same register in the same
   * page needs no TLB lookup, since the TLB cannot change inside a region
   * (nothing in it flushes or refills) and a TLB entry's addend keeps the
   * page offset (va and host address agree in their low 12 bits). The same
   * page is a test on the remembered address's page offset (a miss falls
   * back to the full check); an access at the same address and no wider
   * needs no test at all. A check for a store also serves loads (a page the
   * write TLB maps is readable: W without R is a reserved PTE encoding, and a
   * store already set A and D), not the other way round.
   */
  const access = (base: number, imm: number, width: number, tlb: number, pc: bigint, off: number): void => {
    const kind = tlb === P_TLBW ? MEMO_W : MEMO_R;
    if (base !== 0 && (memoKind[base] === MEMO_W || memoKind[base] === kind)) {
      const d = imm - memoImm[base];
      // The remembered address is aligned to memoWidth: an access `d` from it of no greater width and a multiple of it is aligned too.
      const aligned = memoWidth[base] >= width && d % width === 0;
      if (d === 0 && aligned) { body.get(hl(base)); return; }
      // (page offset + d) outside 0..4095, or misaligned: set bits under the mask.
      body.get(hl(base)); body.i32(0xfff); body.op(Op.i32_and); body.i32(d); body.op(Op.i32_add);
      body.i32(aligned ? ~0xfff : ~0xfff | (width - 1)); body.op(Op.i32_and);
      body.begin(Op.if, I32); depth++;
      tlbCheck(base, imm, width, tlb, pc, off);
      body.op(Op.else);
      body.get(hl(base)); body.i32(d); body.op(Op.i32_add);
      depth--; body.end();
      return;
    }
    tlbCheck(base, imm, width, tlb, pc, off);
    if (base !== 0) { body.tee(hl(base)); memoKind[base] = kind; memoImm[base] = imm; memoWidth[base] = width; }
  };

  let usesFp = false;
  /** As the interpreter's setFsDirty() after each F/D instruction that ran: mstatus.FS = dirty. */
  const fsDirty = (): void => {
    body.i32(0); body.i32(0); body.mem(Op.i64_load, 3, STATE + MSTATUS); body.i64(MS_FS); body.op(Op.i64_or);
    body.mem(Op.i64_store, 3, STATE + MSTATUS);
  };
  /** F/D instructions are illegal while mstatus.FS is off: leave before this one (FS cannot change inside a region). */
  const fsCheck = (pc: bigint, off: number): void => {
    usesFp = true;
    body.get(L_FS); body.op(Op.i32_eqz);
    body.begin(Op.if); depth++; exit(pc, off, false); depth--; body.end();
  };
  /** Emit one plain instruction. */
  const plain = (d: Insn, pc: bigint, off: number): void => {
    const i = d.insn;
    const f = f3(i);
    switch (opc(i)) {
      case 0x00: { // loads
        const width = 1 << (f & 3);
        access(rs1(i), immI(i), width, P_TLBR, pc, off);
        const lo = [Op.i64_load8_s, Op.i64_load16_s, Op.i64_load32_s, Op.i64_load, Op.i64_load8_u, Op.i64_load16_u, Op.i64_load32_u][f];
        body.mem(lo, 0, 0);
        put(rd(i));
        return;
      }
      case 0x08: { // stores
        const width = 1 << f;
        access(rs1(i), immS(i), width, P_TLBW, pc, off);
        get(rs2(i));
        body.mem([Op.i64_store8, Op.i64_store16, Op.i64_store32, Op.i64_store][f], 0, 0);
        return;
      }
      case 0x01: case 0x09: { // flw, fld, fsw, fsd: F registers stay in the hart state block
        fsCheck(pc, off);
        const width = f === 2 ? 4 : 8;
        if (opc(i) === 0x01) {
          access(rs1(i), immI(i), width, P_TLBR, pc, off);
          if (f === 2) { body.mem(Op.i64_load32_u, 0, 0); body.i64(-0x100000000n); body.op(Op.i64_or); } // NaN-boxed
          else body.mem(Op.i64_load, 0, 0);
          body.set(L_T);
          body.i32(0); body.get(L_T); body.mem(Op.i64_store, 3, STATE + F + 8 * rd(i));
          fsDirty();
        } else {
          access(rs1(i), immS(i), width, P_TLBW, pc, off);
          body.i32(0); body.mem(Op.i64_load, 3, STATE + F + 8 * rs2(i));
          body.mem(f === 2 ? Op.i64_store32 : Op.i64_store, 0, 0);
        }
        return;
      }
      case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: { // F/D computation
        fsCheck(pc, off);
        const g = f7(i);
        const writesX = opc(i) === 0x14 && (g === 0x50 || g === 0x51 || g === 0x60 || g === 0x61 || g === 0x70 || g === 0x71);
        // fpExec reads and writes the register file in memory, which always holds every x register.
        body.i32(i | 0); body.call(H_FP);
        // Nonzero: an illegal encoding or rounding mode, nothing changed; the interpreter raises it.
        body.begin(Op.if); depth++; exit(pc, off, false); depth--; body.end();
        fsDirty();
        // It wrote rd in memory: a copy cached here is stale (the next use loads it).
        if (writesX && rd(i) !== 0) forget(rd(i));
        return;
      }
      case 0x1c: { // csrr[wsc][i] on fflags (1), frm (2), fcsr (3): as csr.ts csrRead/csrWrite and hart.ts's CSR case
        fsCheck(pc, off); // illegal while mstatus.FS is off: the interpreter raises it
        const csr = i >>> 20, op = f & 3, src = rs1(i);
        const writes = op === 1 || src !== 0; // csrrs/csrrc with x0 (or uimm 0) only read
        body.i32(0); body.mem(Op.i64_load, 3, STATE + FCSR);
        if (csr === 2) { body.i64(5); body.op(Op.i64_shr_u); body.i64(7); }
        else body.i64(csr === 1 ? 0x1f : 0xff);
        body.op(Op.i64_and); body.set(L_T); // the old value, rd's
        if (writes) {
          body.i32(0);
          const operand = (): void => { if (f >= 5) body.i64(src); else get(src); };
          if (op === 1) operand();
          else if (op === 2) { body.get(L_T); operand(); body.op(Op.i64_or); }
          else { body.get(L_T); operand(); body.i64(-1); body.op(Op.i64_xor); body.op(Op.i64_and); }
          if (csr === 1) {
            body.i64(0x1f); body.op(Op.i64_and);
            body.i32(0); body.mem(Op.i64_load, 3, STATE + FCSR); body.i64(~0x1fn); body.op(Op.i64_and); body.op(Op.i64_or);
          } else if (csr === 2) {
            body.i64(7); body.op(Op.i64_and); body.i64(5); body.op(Op.i64_shl);
            body.i32(0); body.mem(Op.i64_load, 3, STATE + FCSR); body.i64(0x1f); body.op(Op.i64_and); body.op(Op.i64_or);
          } else { body.i64(0xff); body.op(Op.i64_and); }
          body.mem(Op.i64_store, 3, STATE + FCSR);
          fsDirty();
        }
        body.get(L_T); put(rd(i));
        return;
      }
      case 0x03: return; // fence: a no-op for one hart at a time
      case 0x04: { // OP-IMM
        const imm = immI(i);
        get(rs1(i));
        switch (f) {
          case 0: body.i64(imm); body.op(Op.i64_add); break;
          case 1: body.i64(imm & 63); body.op(Op.i64_shl); break;
          case 2: body.i64(imm); body.op(Op.i64_lt_s); body.op(Op.i64_extend_i32_u); break;
          case 3: body.i64(imm); body.op(Op.i64_lt_u); body.op(Op.i64_extend_i32_u); break;
          case 4: body.i64(imm); body.op(Op.i64_xor); break;
          case 5: body.i64(imm & 63); body.op((i >>> 26) === 0 ? Op.i64_shr_u : Op.i64_shr_s); break;
          case 6: body.i64(imm); body.op(Op.i64_or); break;
          default: body.i64(imm); body.op(Op.i64_and); break;
        }
        put(rd(i));
        return;
      }
      case 0x05: body.i64(pc + BigInt(i & ~0xfff)); put(rd(i)); return; // auipc
      case 0x0d: body.i64(i & ~0xfff); put(rd(i)); return; // lui
      case 0x06: { // OP-IMM-32
        get(rs1(i)); body.op(Op.i32_wrap_i64);
        const sh = (i >>> 20) & 31;
        if (f === 0) { body.i32(immI(i)); body.op(Op.i32_add); }
        else if (f === 1) { body.i32(sh); body.op(Op.i32_shl); }
        else { body.i32(sh); body.op(f7(i) === 0 ? Op.i32_shr_u : Op.i32_shr_s); }
        body.op(Op.i64_extend_i32_s);
        put(rd(i));
        return;
      }
      case 0x0c: { // OP
        const g = f7(i);
        get(rs1(i)); get(rs2(i));
        if (g === 1) {
          if (f === 0) body.op(Op.i64_mul);
          else body.call([0, H_MULH, H_MULHSU, H_MULHU, H_DIV, H_DIVU, H_REM, H_REMU][f]);
        } else if (g === 0x20) body.op(f === 0 ? Op.i64_sub : Op.i64_shr_s);
        else {
          switch (f) {
            case 0: body.op(Op.i64_add); break;
            case 1: body.op(Op.i64_shl); break; // wasm masks the count to 6 bits, as RISC-V does
            case 2: body.op(Op.i64_lt_s); body.op(Op.i64_extend_i32_u); break;
            case 3: body.op(Op.i64_lt_u); body.op(Op.i64_extend_i32_u); break;
            case 4: body.op(Op.i64_xor); break;
            case 5: body.op(Op.i64_shr_u); break;
            case 6: body.op(Op.i64_or); break;
            default: body.op(Op.i64_and); break;
          }
        }
        put(rd(i));
        return;
      }
      case 0x0e: { // OP-32
        const g = f7(i);
        if (g === 1 && f >= 4) {
          get(rs1(i)); get(rs2(i));
          body.call([H_DIVW, H_DIVUW, H_REMW, H_REMUW][f - 4]);
          put(rd(i));
          return;
        }
        get(rs1(i)); body.op(Op.i32_wrap_i64); get(rs2(i)); body.op(Op.i32_wrap_i64);
        if (g === 1) body.op(Op.i32_mul);
        else if (f === 0) body.op(g === 0 ? Op.i32_add : Op.i32_sub);
        else if (f === 1) body.op(Op.i32_shl); // wasm masks to 5 bits, as RISC-V W shifts do
        else body.op(g === 0 ? Op.i32_shr_u : Op.i32_shr_s);
        body.op(Op.i64_extend_i32_s);
        put(rd(i));
        return;
      }
    }
    throw new Error(`jit: plain() given an instruction it does not translate: ${i.toString(16)}`);
  };

  const BR_OPS = [Op.i64_eq, Op.i64_ne, 0, 0, Op.i64_lt_s, Op.i64_ge_s, Op.i64_lt_u, Op.i64_ge_u];

  // The dispatch: nested blocks, innermost br_table.
  body.begin(Op.loop);  // $dispatch
  for (let k = 0; k < N; k++) body.begin(Op.block);
  body.begin(Op.block); // $miss
  body.get(P_BLK);
  body.byte(Op.br_table); body.u32(slotCount);
  for (let slot = 0; slot < slotCount; slot++) {
    const k = blockIndex.get((slotBase + slot) * 2);
    body.u32(k === undefined ? 0 : k + 1);
  }
  body.u32(0); // a slot past the last block start (jalr range check rules it out)
  body.end(); // $miss: an indirect jump to a pc of this page that starts no block; L_EPC holds it
  cur = -1;
  exit(null, 0, true);
  let rootUseful = false;
  const rootSet = new Set(roots);
  for (cur = 0; cur < N; cur++) {
    body.end(); // end of $b_cur: its code follows
    const start = starts[cur];
    const next = cur + 1 < N ? starts[cur + 1] : 4096;
    selfLoop = branchesToItself(src, start, next);
    if (selfLoop) { body.begin(Op.loop); depth++; }
    // A block is entered from several places (dispatch, branches, fall-through): nothing is cached at its start.
    cached.clear();
    memoKind.fill(0);
    let off = start;
    let n = 0; // instructions of this block emitted so far (not yet added to count)
    for (;;) {
      const pc = src.vaPage + BigInt(off);
      if (off >= next) {
        if (off === next && cur + 1 < N) {
          // Fall through into the next block.
          if (n > 0) { body.get(P_CNT); body.i64(n); body.op(Op.i64_add); body.set(P_CNT); }
        } else if (off === 4096) {
          // Fall through into the next page: leave as a taken jump when the
          // slow checks are not due, so the region of the next page is
          // entered at once (chained). Leaving in the middle of a block made
          // the interpreter run on to the next taken branch: in lua bench.lua
          // 0.9 M such exits, each followed by tens of interpreted instructions.
          truncated(pc, n);
        } else {
          exit(pc, n, false);
        }
        break;
      }
      // An instruction the region cannot run (not translated, illegal, or
      // crossing the page end) leaves *before* it and not as a taken jump, so
      // the interpreter runs it: this test comes before the size limit's,
      // because explore() does not visit an instruction it cannot fetch, and
      // a block starting at one (a branch target at offset 0xffe holding a
      // 4-byte instruction) must not leave as `truncated` does: that exit,
      // taken with nothing retired, chained straight back into the same
      // block through its own entry, forever (issue 12, python3).
      const d = fetch(src, off);
      const k = d ? classify(d.insn) : Kind.Stop;
      if (!d || k === Kind.Stop) { exit(pc, n, false); break; }
      if (!visited.has(off)) { truncated(pc, n); break; } // past the region's size limit
      if (n === 0 && rootSet.has(off)) rootUseful = true;
      insns++;
      covered.push(off, d.len);
      const npc = pc + BigInt(d.len);
      if (k === Kind.Plain) {
        plain(d, pc, n);
        n++;
        off += d.len;
        continue;
      }
      const i = d.insn;
      if (k === Kind.Branch) {
        get(rs1(i)); get(rs2(i)); body.op(BR_OPS[f3(i)]);
        body.begin(Op.if); depth++;
        taken(pc + BigInt(immB(i)), n + 1);
        depth--; body.end();
        n++;
        off += d.len;
        continue;
      }
      if (k === Kind.Jal) {
        body.i64(npc); put(rd(i));
        taken(pc + BigInt(immJ(i)), n + 1);
        break;
      }
      // jalr: the target is computed before rd is written (rd may equal rs1).
      get(rs1(i)); body.i64(immI(i)); body.op(Op.i64_add); body.i64(-2); body.op(Op.i64_and); body.set(L_EPC);
      body.i64(npc); put(rd(i));
      body.get(P_CNT); body.i64(n + 1); body.op(Op.i64_add); body.set(P_CNT);
      // A target among this region's block slots goes through the dispatch (after the same check as a direct branch).
      const base = src.vaPage + BigInt(slotBase * 2);
      body.get(L_EPC); body.i64(base); body.op(Op.i64_sub); body.i64(slotCount * 2); body.op(Op.i64_lt_u);
      body.begin(Op.if); depth++;
      body.get(P_CNT); body.get(P_LIMIT); body.op(Op.i64_ge_s);
      body.begin(Op.if); depth++; exit(null, 0, true); depth--; body.end();
      body.get(L_EPC); body.i64(base); body.op(Op.i64_sub); body.i64(1); body.op(Op.i64_shr_u); body.op(Op.i32_wrap_i64);
      body.set(P_BLK);
      body.br(toLoop());
      depth--; body.end();
      exit(null, 0, true);
      break;
    }
    if (selfLoop) { depth--; body.end(); }
  }
  body.end(); // loop: every path out of it returned
  body.op(Op.unreachable);
  if (!rootUseful) return null;

  // The one prologue: whether F/D instructions are legal (FS cannot change inside a region).
  const fn = new Code();
  if (usesFp) {
    fn.i32(0); fn.mem(Op.i64_load, 3, STATE + MSTATUS); fn.i64(MS_FS); fn.op(Op.i64_and); fn.i64(0); fn.op(Op.i64_ne); fn.set(L_FS);
  }
  fn.bytes(body.done());

  const funcs = helpers();
  funcs.push({ type: 1, locals: [[34, I64], [1, I32], [1, I64], [1, I32], [32, I32]], body: fn }); // locals 5..: see xl, L_A, hl
  const wasm = buildModule(
    [{ params: [I64, I64], results: [I64] }, { params: REGION_PARAMS, results: [I64] }, { params: [I32], results: [I32] }],
    [{ module: "env", name: "fp", type: 2 }], funcs, [["r", N_FUNCS]], memPages);
  return { wasm, blocks: starts, slotBase, insns, covered };
}
