// The RV64GC interpreter: fetch, decode and execute for the active hart, with
// precise traps. One call to run() executes up to a budget of instructions and
// returns why it stopped (budget, a trap into a host-handled privilege, wfi,
// or a device wanting the host's attention).
//
// Hot-path rules (reference/cpu-performance.md): registers live in linear
// memory at fixed addresses; decoding switches once on a dense key (a
// br_table): the 5-bit major opcode of a 32-bit instruction, or quadrant and
// funct3 of a compressed one, which is executed directly (no expansion table:
// see the fetch below); instruction fetch reuses the last translated page; the budget, the timer
// and interrupts are checked only at taken branches, jumps and the few
// instructions that can change interrupt state, never per instruction.
//
// Concepts: C02 (user/system mode and time accounting by retired
// instructions), C03 (privileged instructions trap), C04 (ecall), C12 (timer).
import {
  STATE, MACHINE, PC, PRIV, MSTATUS, INSTRET, RESERVATION, MTIMECMP, STIMECMP,
  MENVCFG, WFI_STATE, RAM_HOST, TLB_ENTRIES, M_MTIME, M_INSNS_PER_TICK,
  M_TICK_FRAC, EXIT_BUDGET, EXIT_TRAP, EXIT_WFI, EXIT_HOST, X_SINK,
} from "./layout";
import {
  gExc, gExcVal, raise, vload, vstore, fastRead, fastWrite, loadSlow, storeSlow, translate, physLoad, physStore, tlbFlushAll, tlbFlushPage, tlbFlushAsid, tlbFlushPageAsid,
  updateMode, gFetchBare, gTlbX, gTlbR, gTlbW, gRamSize, RAM_BASE, ACC_READ, ACC_WRITE, ACC_FETCH,
  gHostWants, gClintWritten, commitTlbHits, setExc, setHostWants, setClintWritten, setTime, addTlbHits,
} from "./mmu";
import {
  csrRead, csrWrite, gCsrOk, gCsrSideEffect, clearCsrSideEffect, takeTrap, gHostTrap, doMret,
  doSret, pendingInterrupt, wfiWake, setFsDirty, MS_FS, MS_TSR, MS_TVM, MS_TW, MENVCFG_STCE,
} from "./csr";
import { fpExec } from "./fpu";
import { bits, bit, sext, ciImm, ciShamt, clwImm, cldImm, cbImm, cjImm } from "./rvc";
import { jitOn, jitTry, jitFlushAll, jitWarming, jitRetired, jitSample } from "./jit";

// ---- Per-slice clock state ----------------------------------------------------
let gIpt: u64 = 0;        // instructions per mtime tick (0: the host drives mtime)
let gMtime0: u64 = 0;     // mtime at the start of the slice
let gFrac0: u64 = 0;      // instructions carried towards the next tick at slice start
let gMax: i64 = 0;        // budget of this run() call
let gLimit: i64 = 0;      // next count at which the slow checks run
let gStop: i32 = -1;      // exit reason decided by boundary(), or -1
/** Instructions retired by the last run() call. */
let gRetired: i64 = 0;

@inline function R(o: u32): u64 { return load<u64>(STATE + o); }
@inline function W(o: u32, v: u64): void { store<u64>(STATE + o, v); }
@inline function FR(o: u32): u64 { return load<u64>(STATE + 256 + o); }
@inline function FW(o: u32, v: u64): void { store<u64>(STATE + 256 + o, v); }
@inline function sext32(v: u64): u64 { return u64(i64(i32(v))); }

/** mtime as seen after `count` instructions of this slice. */
@inline function mtimeAt(count: i64): u64 {
  return gIpt == 0 ? gMtime0 : gMtime0 + (gFrac0 + u64(count)) / gIpt;
}

/** Instruction count (within the slice) at which mtime reaches `t`. */
function countForTime(t: u64): i64 {
  if (gIpt == 0) return i64.MAX_VALUE;
  if (t <= gMtime0) return 0;
  const dt = t - gMtime0;
  if (dt > u64(i64.MAX_VALUE) / gIpt) return i64.MAX_VALUE;
  const need = dt * gIpt;
  return need <= gFrac0 ? 0 : i64(need - gFrac0);
}

/** The next count at which a timer could fire, capped by the budget. */
function computeLimit(count: i64): i64 {
  let lim = gMax;
  const now = mtimeAt(count);
  const mtc = R(MTIMECMP);
  if (mtc > now) { const c = countForTime(mtc); if (c < lim) lim = c; }
  if ((R(MENVCFG) & MENVCFG_STCE) != 0) {
    const stc = R(STIMECMP);
    if (stc > now) { const c = countForTime(stc); if (c < lim) lim = c; }
  }
  return lim;
}

/**
 * The slow checks at a block boundary: time, interrupts, the budget and host
 * requests. Returns the pc to continue at; sets gStop when run() must return.
 */
function boundary(pc: u64, count: i64): u64 {
  setTime(mtimeAt(count));
  W(PC, pc);
  gStop = -1;
  setClintWritten(false);
  clearCsrSideEffect();
  const irq = pendingInterrupt();
  if (irq != 0) {
    pc = takeTrap(irq, 0, pc);
    if (gHostTrap) { gStop = EXIT_TRAP; return pc; }
  }
  if (gHostWants) { setHostWants(false); gStop = EXIT_HOST; return pc; }
  if (count >= gMax) { gStop = EXIT_BUDGET; return pc; }
  gLimit = computeLimit(count);
  return pc;
}

/** Count after takenSlow() (a second result). */
let gCount: i64 = 0;
/**
 * Whether takenSlow() ran the slow checks or a region (a third result). When
 * it only looked in the entry table and found nothing to run (most taken
 * branches of code that is not hot), the interpreter keeps its fetch page:
 * neither translation nor privilege changed, and refetching through the TLB
 * at every taken branch cost the interpreter about 5 % with the JIT on.
 */
let gTouched: bool = false;

/**
 * The interpreter's local limit: with the second tier on (and its warm-up
 * over), every taken branch or jump comes here (takenSlow) to look for
 * translated code; with it off or warming up, only those where the slow
 * checks are due. So the JIT costs the interpreter loop nothing when it is
 * off, nor before it starts.
 */
@inline function nextLimit(): i64 {
  if (!jitOn() || jitWarming()) return gLimit;
  return gJitNext < gLimit ? gJitNext : gLimit;
}

/**
 * The count at which the interpreter next looks for translated code: 0 (at
 * once) after a region ran, else M_JIT_SAMPLE instructions after a taken
 * branch that found none. Code that is not hot is then looked up only now and
 * then (looking up every taken branch cost python3's start-up about 15 %),
 * while a loop of hot code is entered within a few iterations and, once
 * inside translated code, every exit looks up the next region at once.
 */
let gJitNext: i64 = 0;

/**
 * At a taken branch or jump to `pc` when `count >= limit`: run the slow checks
 * if due, then (JIT on) run translated regions for as long as they leave
 * through taken branches, with the same checks between them. Returns the pc to
 * continue at, the count in gCount; gStop >= 0 when run() must return.
 */
function takenSlow(pc: u64, count: i64): u64 {
  gStop = -1;
  gTouched = false;
  gJitNext = 0;
  while (true) {
    if (count >= gLimit) {
      gTouched = true;
      pc = boundary(pc, count);
      if (gStop >= 0) break;
    }
    if (!jitOn() || jitWarming()) break;
    const r = jitTry(pc, count, gLimit, gFetchBare, gTlbX, gTlbR, gTlbW, RAM_BASE, gRamSize);
    if (r < 0) {
      if (!gTouched) gJitNext = count + jitSample();
      break;
    }
    gTouched = true;
    count = r >> 1;
    pc = R(PC);
    if ((r & 1) == 0) break; // left in the middle of a block: the interpreter runs that instruction
  }
  gCount = count;
  return pc;
}

/** The upper 16 bits of an instruction whose second half starts the next page at `va`. */
function fetchUpperHalf(va: u64): u32 {
  const pa = gFetchBare ? va : translate(va, ACC_FETCH);
  if (gExc >= 0) return 0;
  if (pa - RAM_BASE > gRamSize - 2) { raise(1, va); return 0; }
  return u32(physLoad(pa, 2, ACC_FETCH));
}

/** Take the pending synchronous exception (gExc) raised by the instruction at pc. */
function trapExc(pc: u64): u64 {
  const cause = gExc;
  const tval = gExcVal;
  setExc(-1, 0);
  return takeTrap(u64(cause), tval, pc);
}

/** End the slice: store pc, account retired instructions. */
function finish(pc: u64, count: i64, reason: i32, hits: u64): i32 {
  addTlbHits(hits);
  W(PC, pc);
  W(INSTRET, R(INSTRET) + u64(count));
  gRetired = count;
  jitRetired(count);
  setTime(mtimeAt(count));
  commitTlbHits();
  return reason;
}

export function retired(): f64 { return f64(gRetired); }

// ---- Integer helpers ---------------------------------------------------------
function mulhu(a: u64, b: u64): u64 {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
function mulh(a: u64, b: u64): u64 {
  let h = mulhu(a, b);
  if (i64(a) < 0) h -= b;
  if (i64(b) < 0) h -= a;
  return h;
}
function mulhsu(a: u64, b: u64): u64 {
  let h = mulhu(a, b);
  if (i64(a) < 0) h -= b;
  return h;
}
@inline function divs(a: u64, b: u64): u64 {
  if (b == 0) return <u64>-1;
  if (a == 0x8000000000000000 && b == <u64>-1) return a;
  return u64(i64(a) / i64(b));
}
@inline function divu(a: u64, b: u64): u64 { return b == 0 ? <u64>-1 : a / b; }
@inline function rems(a: u64, b: u64): u64 {
  if (b == 0) return a;
  if (a == 0x8000000000000000 && b == <u64>-1) return 0;
  return u64(i64(a) % i64(b));
}
@inline function remu(a: u64, b: u64): u64 { return b == 0 ? a : a % b; }

// ---- Atomics -----------------------------------------------------------------
/** Execute an AMO/LR/SC (major opcode AMO). Returns false on an illegal encoding or a raised exception. */
function execAmo(insn: u32): bool {
  const f3 = (insn >> 12) & 7;
  if (f3 != 2 && f3 != 3) { raise(2, insn); return false; }
  const width: u32 = f3 == 2 ? 4 : 8;
  const f5 = insn >> 27;
  const va = R((insn >> 12) & 0xf8);
  const rs2v = R((insn >> 17) & 0xf8);
  const rdRaw = (insn >> 4) & 0xf8;
  const rdo = rdRaw != 0 ? rdRaw : X_SINK;
  if (f5 == 2) { // LR
    if (((insn >> 20) & 31) != 0) { raise(2, insn); return false; }
    if ((va & (width - 1)) != 0) { raise(4, va); return false; }
    const pa = translate(va, ACC_READ);
    if (gExc >= 0) return false;
    if (pa - RAM_BASE > gRamSize - width) { raise(5, va); return false; }
    let v = physLoad(pa, width, ACC_READ);
    if (width == 4) v = sext32(v);
    W(RESERVATION, pa);
    W(rdo, v);
    return true;
  }
  if ((va & (width - 1)) != 0) { raise(6, va); return false; }
  const pa = translate(va, ACC_WRITE);
  if (gExc >= 0) return false;
  if (pa - RAM_BASE > gRamSize - width) { raise(7, va); return false; }
  if (f5 == 3) { // SC
    if (R(RESERVATION) == pa) {
      physStore(pa, width, rs2v);
      W(rdo, 0);
    } else {
      W(rdo, 1);
    }
    W(RESERVATION, <u64>-1);
    return true;
  }
  let old = physLoad(pa, width, ACC_WRITE);
  let a = old, b = rs2v;
  if (width == 4) { a = sext32(a); b = sext32(b); old = a; }
  let n: u64;
  switch (f5) {
    case 0x01: n = b; break;
    case 0x00: n = a + b; break;
    case 0x04: n = a ^ b; break;
    case 0x0C: n = a & b; break;
    case 0x08: n = a | b; break;
    case 0x10: n = i64(a) < i64(b) ? a : b; break;
    case 0x14: n = i64(a) > i64(b) ? a : b; break;
    case 0x18: n = (width == 4 ? (a & 0xffffffff) < (b & 0xffffffff) : a < b) ? a : b; break;
    case 0x1C: n = (width == 4 ? (a & 0xffffffff) > (b & 0xffffffff) : a > b) ? a : b; break;
    default: raise(2, insn); return false;
  }
  physStore(pa, width, n);
  W(rdo, old);
  return true;
}

// ---- Memory slow paths ---------------------------------------------------------
/**
 * A load the TLB fast path did not serve (a miss, MMIO, a page crossing):
 * the value extended as funct3 `f3` says (0 lb, 1 lh, 2 lw, 3 ld, 4 lbu,
 * 5 lhu, 6 lwu); on a fault gExc is set and the value is 0. Out of line, so
 * the many load cases of run() stay small.
 */
function loadSlowExt(va: u64, f3: u32, count: i64): u64 {
  setTime(mtimeAt(count)); // a CLINT mtime read must see the current time
  const v = loadSlow(va, u32(1) << (f3 & 3));
  if (gExc >= 0) return 0;
  if (f3 == 0) return u64(i64(i8(v)));
  if (f3 == 1) return u64(i64(i16(v)));
  if (f3 == 2) return sext32(v);
  return v;
}

/** A store the TLB fast path did not serve; gExc is set on a fault. */
function storeSlowAt(va: u64, width: u32, v: u64, count: i64): void {
  setTime(mtimeAt(count));
  storeSlow(va, width, v);
}

// ---- Compressed register fields, as byte offsets into the register file -------
/** rd' / rs2' (bits 4:2, x8..x15). */
@inline function cRdp(c: u32): u32 { return (((c >> 2) & 7) << 3) | 0x40; }
/** rs1' / rd' (bits 9:7, x8..x15). */
@inline function cRs1p(c: u32): u32 { return (((c >> 7) & 7) << 3) | 0x40; }
/** rd / rs1 (bits 11:7). */
@inline function cRd(c: u32): u32 { return (c >> 4) & 0xf8; }
/** rs2 (bits 6:2). */
@inline function cRs2(c: u32): u32 { return (c << 1) & 0xf8; }
/** A destination offset: writes to x0 land in X_SINK. */
@inline function dst(o: u32): u32 { return o != 0 ? o : X_SINK; }
/** A sign-extended 32-bit immediate as a 64-bit operand. */
@inline function simm(v: u32): u64 { return u64(i64(i32(v))); }
const SP_O: u32 = 16; // x2
const RA_O: u32 = 8;  // x1

// ---- The interpreter loop ------------------------------------------------------
/**
 * Run the active hart for at most `budget` instructions.
 * Returns an EXIT_* reason; retired() tells how many instructions retired.
 */
export function run(budget: i32): i32 {
  let pc = R(PC);
  let count: i64 = 0;
  gIpt = load<u64>(MACHINE + M_INSNS_PER_TICK);
  gMtime0 = load<u64>(MACHINE + M_MTIME);
  gFrac0 = load<u64>(MACHINE + M_TICK_FRAC);
  gMax = i64(budget);
  store<u64>(STATE + WFI_STATE, 0);
  updateMode();
  let hits: u64 = 0; // TLB hits of the load/store fast paths, added to the counter at exit
  // Entry checks: an interrupt may already be pending.
  pc = boundary(pc, 0);
  if (gStop >= 0) return finish(pc, 0, gStop, hits);
  gJitNext = 0; // counts start again at 0 in every slice
  let limit = nextLimit();
  let fetchTag: u64 = <u64>-1;
  let fetchAdd: u64 = 0;

  while (true) {
    // ---- fetch ----
    if ((pc >> 12) != fetchTag) {
      let pa: u64;
      if (gFetchBare) {
        pa = pc;
      } else {
        const e = gTlbX + (usize((pc >> 12) & (TLB_ENTRIES - 1)) << 4);
        if (load<u64>(e) == (pc >> 12)) {
          pa = (pc + load<u64>(e, 8)) - RAM_HOST + RAM_BASE;
        } else {
          pa = translate(pc, ACC_FETCH);
          if (gExc >= 0) {
            pc = trapExc(pc);
            if (gHostTrap) return finish(pc, count, EXIT_TRAP, hits);
            fetchTag = <u64>-1;
            continue;
          }
        }
      }
      const poff = (pa & ~u64(0xfff)) - RAM_BASE;
      if (poff > gRamSize - 4096) {
        raise(1, pc);
        pc = trapExc(pc);
        if (gHostTrap) return finish(pc, count, EXIT_TRAP, hits);
        fetchTag = <u64>-1;
        continue;
      }
      fetchTag = pc >> 12;
      fetchAdd = (poff + RAM_HOST) - (pc & ~u64(0xfff));
    }
    const host = usize(pc + fetchAdd);
    let insn = u32(load<u16>(host));
    // The dispatch key: funct3 * 32 + the 5-bit major opcode of a 32-bit
    // instruction (0..255), or 256 + quadrant * 8 + funct3 for a compressed
    // one (256..279), which run() executes directly. One indirect branch per
    // instruction, whatever its kind: loads, stores, branches and OP-IMM have
    // a case per funct3 (a second switch on funct3 cost cold code a
    // mispredicted branch more), and compressed instructions need no load
    // from the 256 KiB expansion table, which on code spread over megabytes
    // (python3's start-up) missed the host's caches. Each case knows its
    // instruction's length, so the next pc is pc + 4 or pc + 2 there, not a
    // value kept across the dispatch (where the register allocator spilled it).
    let key: u32;
    if ((insn & 3) != 3) {
      key = 256 | ((insn & 3) << 3) | (insn >> 13);
    } else {
      if ((pc & 0xfff) != 0xffe) {
        insn = load<u32>(host);
      } else {
        // A 32-bit instruction straddling two pages: fetch the upper half separately.
        insn |= fetchUpperHalf(pc + 2) << 16;
        if (gExc >= 0) {
          pc = trapExc(pc);
          if (gHostTrap) return finish(pc, count, EXIT_TRAP, hits);
          fetchTag = <u64>-1;
          continue;
        }
      }
      key = ((insn >> 2) & 31) | ((insn >> 7) & 0xE0);
    }

    // ---- decode and execute ----
    // Writes to x0 land in a dummy slot (X_SINK), so x0 always reads 0.
    const rdRaw = (insn >> 4) & 0xf8;
    const rdo = rdRaw != 0 ? rdRaw : X_SINK;
    const rs1o = (insn >> 12) & 0xf8;
    const rs2o = (insn >> 17) & 0xf8;
    const f3 = (insn >> 12) & 7;
    switch (key) {
      case 0x00: { // LB
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const h = fastRead(va, 1);
        let v: u64;
        if (h != 0) { hits++; v = u64(i64(load<i8>(h))); } else { v = loadSlowExt(va, 0, count); if (gExc >= 0) break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x20: { // LH
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const h = fastRead(va, 2);
        let v: u64;
        if (h != 0) { hits++; v = u64(i64(load<i16>(h))); } else { v = loadSlowExt(va, 1, count); if (gExc >= 0) break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x40: { // LW
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const h = fastRead(va, 4);
        let v: u64;
        if (h != 0) { hits++; v = u64(i64(load<i32>(h))); } else { v = loadSlowExt(va, 2, count); if (gExc >= 0) break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x60: { // LD
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const h = fastRead(va, 8);
        let v: u64;
        if (h != 0) { hits++; v = load<u64>(h); } else { v = loadSlowExt(va, 3, count); if (gExc >= 0) break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x80: { // LBU
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const h = fastRead(va, 1);
        let v: u64;
        if (h != 0) { hits++; v = u64(load<u8>(h)); } else { v = loadSlowExt(va, 4, count); if (gExc >= 0) break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0xA0: { // LHU
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const h = fastRead(va, 2);
        let v: u64;
        if (h != 0) { hits++; v = u64(load<u16>(h)); } else { v = loadSlowExt(va, 5, count); if (gExc >= 0) break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0xC0: { // LWU
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const h = fastRead(va, 4);
        let v: u64;
        if (h != 0) { hits++; v = u64(load<u32>(h)); } else { v = loadSlowExt(va, 6, count); if (gExc >= 0) break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x01: case 0x21: case 0x41: case 0x61: case 0x81: case 0xA1: case 0xC1: case 0xE1: { // LOAD-FP
        if ((R(MSTATUS) & MS_FS) == 0 || (f3 != 2 && f3 != 3)) { raise(2, insn); break; }
        const va = R(rs1o) + u64(i64(i32(insn) >> 20));
        const v = f3 == 2 ? (vload(va, 4) | 0xFFFFFFFF00000000) : vload(va, 8);
        if (gExc >= 0) break;
        FW(rdRaw, v);
        setFsDirty();
        pc = (pc + 4); count++;
        continue;
      }
      case 0x03: case 0x23: case 0x43: case 0x63: case 0x83: case 0xA3: case 0xC3: case 0xE3: { // MISC-MEM: fence, fence.i (fence.i drops the translated code of the second tier)
        if (f3 > 1) { raise(2, insn); break; }
        if (f3 == 1) jitFlushAll();
        pc = (pc + 4); count++;
        continue;
      }
      case 0x04: // ADDI (and li, mv, nop): by far the most common instruction
        W(rdo, R(rs1o) + u64(i64(i32(insn) >> 20)));
        pc = (pc + 4); count++;
        continue;
      case 0x24: // SLLI
        if ((insn >> 26) != 0) { raise(2, insn); break; }
        W(rdo, R(rs1o) << u64((insn >> 20) & 63));
        pc = (pc + 4); count++;
        continue;
      case 0x44: // SLTI
        W(rdo, i64(R(rs1o)) < (i64(i32(insn) >> 20)) ? 1 : 0);
        pc = (pc + 4); count++;
        continue;
      case 0x64: // SLTIU
        W(rdo, R(rs1o) < u64(i64(i32(insn) >> 20)) ? 1 : 0);
        pc = (pc + 4); count++;
        continue;
      case 0x84: // XORI
        W(rdo, R(rs1o) ^ u64(i64(i32(insn) >> 20)));
        pc = (pc + 4); count++;
        continue;
      case 0xA4: { // SRLI, SRAI
        const top = insn >> 26;
        const sh = u64((insn >> 20) & 63);
        if (top == 0) W(rdo, R(rs1o) >> sh);
        else if (top == 0x10) W(rdo, u64(i64(R(rs1o)) >> i64(sh)));
        else { raise(2, insn); break; }
        pc = (pc + 4); count++;
        continue;
      }
      case 0xC4: // ORI
        W(rdo, R(rs1o) | u64(i64(i32(insn) >> 20)));
        pc = (pc + 4); count++;
        continue;
      case 0xE4: // ANDI
        W(rdo, R(rs1o) & u64(i64(i32(insn) >> 20)));
        pc = (pc + 4); count++;
        continue;
      case 0x05: case 0x25: case 0x45: case 0x65: case 0x85: case 0xA5: case 0xC5: case 0xE5: // AUIPC
        W(rdo, pc + u64(i64(i32(insn & 0xFFFFF000))));
        pc = (pc + 4); count++;
        continue;
      case 0x06: case 0x26: case 0x46: case 0x66: case 0x86: case 0xA6: case 0xC6: case 0xE6: { // OP-IMM-32
        const a = R(rs1o);
        let v: u64 = 0;
        const sh = (insn >> 20) & 31;
        const f7 = insn >> 25;
        if (f3 == 0) v = sext32(a + u64(i64(i32(insn) >> 20)));
        else if (f3 == 1 && f7 == 0) v = sext32(u64(u32(a) << sh));
        else if (f3 == 5 && f7 == 0) v = sext32(u64(u32(a) >> sh));
        else if (f3 == 5 && f7 == 0x20) v = u64(i64(i32(a) >> sh));
        else { raise(2, insn); break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x08: { // SB
        const va = R(rs1o) + u64(i64(((i32(insn) >> 20) & ~31) | ((insn >> 7) & 31)));
        const v = R(rs2o);
        const h = fastWrite(va, 1);
        if (h != 0) { hits++; store<u8>(h, u8(v)); pc = (pc + 4); count++; continue; }
        storeSlowAt(va, 1, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 4), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 4); count++;
        continue;
      }
      case 0x28: { // SH
        const va = R(rs1o) + u64(i64(((i32(insn) >> 20) & ~31) | ((insn >> 7) & 31)));
        const v = R(rs2o);
        const h = fastWrite(va, 2);
        if (h != 0) { hits++; store<u16>(h, u16(v)); pc = (pc + 4); count++; continue; }
        storeSlowAt(va, 2, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 4), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 4); count++;
        continue;
      }
      case 0x48: { // SW
        const va = R(rs1o) + u64(i64(((i32(insn) >> 20) & ~31) | ((insn >> 7) & 31)));
        const v = R(rs2o);
        const h = fastWrite(va, 4);
        if (h != 0) { hits++; store<u32>(h, u32(v)); pc = (pc + 4); count++; continue; }
        storeSlowAt(va, 4, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 4), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 4); count++;
        continue;
      }
      case 0x68: { // SD
        const va = R(rs1o) + u64(i64(((i32(insn) >> 20) & ~31) | ((insn >> 7) & 31)));
        const v = R(rs2o);
        const h = fastWrite(va, 8);
        if (h != 0) { hits++; store<u64>(h, v); pc = (pc + 4); count++; continue; }
        storeSlowAt(va, 8, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 4), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 4); count++;
        continue;
      }
      case 0x09: case 0x29: case 0x49: case 0x69: case 0x89: case 0xA9: case 0xC9: case 0xE9: { // STORE-FP
        if ((R(MSTATUS) & MS_FS) == 0 || (f3 != 2 && f3 != 3)) { raise(2, insn); break; }
        const va = R(rs1o) + u64(i64(((i32(insn) >> 20) & ~31) | ((insn >> 7) & 31)));
        if (f3 == 2) vstore(va, 4, FR(rs2o)); else vstore(va, 8, FR(rs2o));
        if (gExc >= 0) break;
        pc = (pc + 4); count++;
        continue;
      }
      case 0x0B: case 0x2B: case 0x4B: case 0x6B: case 0x8B: case 0xAB: case 0xCB: case 0xEB: // AMO
        if (!execAmo(insn)) break;
        pc = (pc + 4); count++;
        continue;
      case 0x0C: case 0x2C: case 0x4C: case 0x6C: case 0x8C: case 0xAC: case 0xCC: case 0xEC: { // OP
        const a = R(rs1o), b = R(rs2o);
        const f7 = insn >> 25;
        if ((insn & 0xFE007000) == 0) { // add (and c.add, c.mv)
          W(rdo, a + b);
          pc = (pc + 4); count++;
          continue;
        }
        let v: u64 = 0;
        if (f7 == 0) {
          switch (f3) {
            case 0: v = a + b; break;
            case 1: v = a << (b & 63); break;
            case 2: v = i64(a) < i64(b) ? 1 : 0; break;
            case 3: v = a < b ? 1 : 0; break;
            case 4: v = a ^ b; break;
            case 5: v = a >> (b & 63); break;
            case 6: v = a | b; break;
            default: v = a & b; break;
          }
        } else if (f7 == 1) {
          switch (f3) {
            case 0: v = a * b; break;
            case 1: v = mulh(a, b); break;
            case 2: v = mulhsu(a, b); break;
            case 3: v = mulhu(a, b); break;
            case 4: v = divs(a, b); break;
            case 5: v = divu(a, b); break;
            case 6: v = rems(a, b); break;
            default: v = remu(a, b); break;
          }
        } else if (f7 == 0x20 && f3 == 0) v = a - b;
        else if (f7 == 0x20 && f3 == 5) v = u64(i64(a) >> i64(b & 63));
        else { raise(2, insn); break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x0D: case 0x2D: case 0x4D: case 0x6D: case 0x8D: case 0xAD: case 0xCD: case 0xED: // LUI
        W(rdo, u64(i64(i32(insn & 0xFFFFF000))));
        pc = (pc + 4); count++;
        continue;
      case 0x0E: case 0x2E: case 0x4E: case 0x6E: case 0x8E: case 0xAE: case 0xCE: case 0xEE: { // OP-32
        const a = R(rs1o), b = R(rs2o);
        const f7 = insn >> 25;
        const sh = u32(b) & 31;
        let v: u64 = 0;
        if (f7 == 0 && f3 == 0) v = sext32(a + b);
        else if (f7 == 0x20 && f3 == 0) v = sext32(a - b);
        else if (f7 == 0 && f3 == 1) v = sext32(u64(u32(a) << sh));
        else if (f7 == 0 && f3 == 5) v = sext32(u64(u32(a) >> sh));
        else if (f7 == 0x20 && f3 == 5) v = u64(i64(i32(a) >> sh));
        else if (f7 == 1) {
          const x = i32(a), y = i32(b);
          switch (f3) {
            case 0: v = sext32(u64(u32(x * y))); break;
            case 4: v = y == 0 ? <u64>-1 : (x == i32.MIN_VALUE && y == -1) ? u64(i64(x)) : u64(i64(x / y)); break;
            case 5: v = y == 0 ? <u64>-1 : sext32(u64(u32(x) / u32(y))); break;
            case 6: v = y == 0 ? u64(i64(x)) : (x == i32.MIN_VALUE && y == -1) ? 0 : u64(i64(x % y)); break;
            case 7: v = y == 0 ? u64(i64(x)) : sext32(u64(u32(x) % u32(y))); break;
            default: raise(2, insn); v = 0;
          }
          if (gExc >= 0) break;
        } else { raise(2, insn); break; }
        W(rdo, v);
        pc = (pc + 4); count++;
        continue;
      }
      case 0x10: case 0x30: case 0x50: case 0x70: case 0x90: case 0xB0: case 0xD0: case 0xF0: case 0x11: case 0x31: case 0x51: case 0x71: case 0x91: case 0xB1: case 0xD1: case 0xF1: case 0x12: case 0x32: case 0x52: case 0x72: case 0x92: case 0xB2: case 0xD2: case 0xF2: case 0x13: case 0x33: case 0x53: case 0x73: case 0x93: case 0xB3: case 0xD3: case 0xF3: case 0x14: case 0x34: case 0x54: case 0x74: case 0x94: case 0xB4: case 0xD4: case 0xF4: { // FMADD FMSUB FNMSUB FNMADD OP-FP
        if ((R(MSTATUS) & MS_FS) == 0 || fpExec(insn) != 0) { raise(2, insn); break; }
        setFsDirty();
        pc = (pc + 4); count++;
        continue;
      }
      case 0x18: { // BEQ
        const a = R(rs1o), b = R(rs2o);
        count++;
        if (!(a == b)) { pc = (pc + 4); continue; }
        pc += u64(i64((((i32(insn) >> 19) & 0xFFFFF000) | ((insn << 4) & 0x800) | ((insn >> 20) & 0x7E0) | ((insn >> 7) & 0x1E))));
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0x38: { // BNE
        const a = R(rs1o), b = R(rs2o);
        count++;
        if (!(a != b)) { pc = (pc + 4); continue; }
        pc += u64(i64((((i32(insn) >> 19) & 0xFFFFF000) | ((insn << 4) & 0x800) | ((insn >> 20) & 0x7E0) | ((insn >> 7) & 0x1E))));
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0x98: { // BLT
        const a = R(rs1o), b = R(rs2o);
        count++;
        if (!(i64(a) < i64(b))) { pc = (pc + 4); continue; }
        pc += u64(i64((((i32(insn) >> 19) & 0xFFFFF000) | ((insn << 4) & 0x800) | ((insn >> 20) & 0x7E0) | ((insn >> 7) & 0x1E))));
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0xB8: { // BGE
        const a = R(rs1o), b = R(rs2o);
        count++;
        if (!(i64(a) >= i64(b))) { pc = (pc + 4); continue; }
        pc += u64(i64((((i32(insn) >> 19) & 0xFFFFF000) | ((insn << 4) & 0x800) | ((insn >> 20) & 0x7E0) | ((insn >> 7) & 0x1E))));
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0xD8: { // BLTU
        const a = R(rs1o), b = R(rs2o);
        count++;
        if (!(a < b)) { pc = (pc + 4); continue; }
        pc += u64(i64((((i32(insn) >> 19) & 0xFFFFF000) | ((insn << 4) & 0x800) | ((insn >> 20) & 0x7E0) | ((insn >> 7) & 0x1E))));
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0xF8: { // BGEU
        const a = R(rs1o), b = R(rs2o);
        count++;
        if (!(a >= b)) { pc = (pc + 4); continue; }
        pc += u64(i64((((i32(insn) >> 19) & 0xFFFFF000) | ((insn << 4) & 0x800) | ((insn >> 20) & 0x7E0) | ((insn >> 7) & 0x1E))));
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0x19: case 0x39: case 0x59: case 0x79: case 0x99: case 0xB9: case 0xD9: case 0xF9: { // JALR
        if (f3 != 0) { raise(2, insn); break; }
        const target = (R(rs1o) + u64(i64(i32(insn) >> 20))) & ~u64(1);
        W(rdo, (pc + 4));
        pc = target; count++;
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0x1B: case 0x3B: case 0x5B: case 0x7B: case 0x9B: case 0xBB: case 0xDB: case 0xFB: { // JAL
        W(rdo, (pc + 4));
        pc += u64(i64(((i32(insn) >> 11) & 0xFFF00000) | (insn & 0xFF000) | ((insn >> 9) & 0x800) | ((insn >> 20) & 0x7FE)));
        count++;
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 0x1C: case 0x3C: case 0x5C: case 0x7C: case 0x9C: case 0xBC: case 0xDC: case 0xFC: { // SYSTEM
        const priv = u32(R(PRIV));
        if (f3 == 0) {
          if (insn == 0x00000073) { // ecall
            raise(priv == 0 ? 8 : priv == 1 ? 9 : 11, 0);
            break;
          }
          if (insn == 0x00100073) { raise(3, pc); break; } // ebreak
          if (insn == 0x30200073) { // mret
            if (priv < 3) { raise(2, insn); break; }
            pc = doMret(); count++;
          } else if (insn == 0x10200073) { // sret
            if (priv < 1 || (priv == 1 && (R(MSTATUS) & MS_TSR) != 0)) { raise(2, insn); break; }
            pc = doSret(); count++;
          } else if (insn == 0x10500073) { // wfi
            if (priv == 0 || (priv == 1 && (R(MSTATUS) & MS_TW) != 0)) { raise(2, insn); break; }
            count++;
            setTime(mtimeAt(count));
            if (!wfiWake()) {
              store<u64>(STATE + WFI_STATE, 1);
              return finish((pc + 4), count, EXIT_WFI, hits);
            }
            pc = (pc + 4);
          } else if ((insn >> 25) == 0x09 && ((insn >> 7) & 31) == 0) { // sfence.vma
            if (priv == 0 || (priv == 1 && (R(MSTATUS) & MS_TVM) != 0)) { raise(2, insn); break; }
            // rs1 = x0: every address; rs2 = x0: every ASID, global entries too; otherwise
            // only the non-global entries of the ASID in rs2 (privileged spec, SFENCE.VMA).
            if (rs2o == 0) { if (rs1o == 0) tlbFlushAll(); else tlbFlushPage(R(rs1o)); }
            else if (rs1o == 0) tlbFlushAsid(u32(R(rs2o) & 0xFFFF));
            else tlbFlushPageAsid(R(rs1o), u32(R(rs2o) & 0xFFFF));
            pc = (pc + 4); count++;
          } else { raise(2, insn); break; }
          pc = boundary(pc, count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        if (f3 == 4) { raise(2, insn); break; }
        // CSR instructions
        const csr = insn >> 20;
        const src: u64 = f3 >= 5 ? u64((insn >> 15) & 31) : R(rs1o);
        setTime(mtimeAt(count));
        W(INSTRET, R(INSTRET) + u64(count));
        const old = csrRead(csr, priv);
        W(INSTRET, R(INSTRET) - u64(count));
        if (!gCsrOk) { raise(2, insn); break; }
        const op = f3 & 3;
        const writes = op == 1 || rs1o != 0;
        if (writes) {
          const nv = op == 1 ? src : op == 2 ? old | src : old & ~src;
          if (csr == 0xB02 || csr == 0xB00) {
            // minstret/mcycle: the written value holds after this instruction retires.
            W(INSTRET, nv - u64(count) - 1);
          } else if (!csrWrite(csr, nv, priv)) { raise(2, insn); break; }
        }
        W(rdo, old);
        pc = (pc + 4); count++;
        if (gCsrSideEffect || (writes && (csr == 0x180 || csr == 0x300 || csr == 0x100))) {
          pc = boundary(pc, count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
        }
        continue;
      }
      // ---- Compressed instructions (insn is the 16-bit parcel) ----
      // Each case does what its expansion in rvc.ts (rvcExpand, checked
      // against objdump) does, with the same immediates; reserved encodings
      // raise an illegal instruction with the parcel as tval, as before.
      // test/hw/rvc_exec.test.ts runs every parcel both ways.
      case 256: { // C.ADDI4SPN: addi rd', x2, nzuimm (nzuimm = 0 reserved)
        const imm = (bits(insn, 12, 11) << 4) | (bits(insn, 10, 7) << 6) | bit(insn, 6, 2) | bit(insn, 5, 3);
        if (imm == 0) { raise(2, insn); break; }
        W(cRdp(insn), R(SP_O) + u64(imm));
        pc = (pc + 2); count++;
        continue;
      }
      case 257: { // C.FLD
        if ((R(MSTATUS) & MS_FS) == 0) { raise(2, insn); break; }
        const v = vload(R(cRs1p(insn)) + u64(cldImm(insn)), 8);
        if (gExc >= 0) break;
        FW(cRdp(insn), v);
        setFsDirty();
        pc = (pc + 2); count++;
        continue;
      }
      case 258: { // C.LW
        const va = R(cRs1p(insn)) + u64(clwImm(insn));
        const h = fastRead(va, 4);
        let v: u64;
        if (h != 0) { hits++; v = u64(i64(load<i32>(h))); } else { v = loadSlowExt(va, 2, count); if (gExc >= 0) break; }
        W(cRdp(insn), v);
        pc = (pc + 2); count++;
        continue;
      }
      case 259: { // C.LD
        const va = R(cRs1p(insn)) + u64(cldImm(insn));
        const h = fastRead(va, 8);
        let v: u64;
        if (h != 0) { hits++; v = load<u64>(h); } else { v = loadSlowExt(va, 3, count); if (gExc >= 0) break; }
        W(cRdp(insn), v);
        pc = (pc + 2); count++;
        continue;
      }
      case 261: { // C.FSD
        if ((R(MSTATUS) & MS_FS) == 0) { raise(2, insn); break; }
        vstore(R(cRs1p(insn)) + u64(cldImm(insn)), 8, FR(cRdp(insn)));
        if (gExc >= 0) break;
        pc = (pc + 2); count++;
        continue;
      }
      case 262: { // C.SW
        const va = R(cRs1p(insn)) + u64(clwImm(insn));
        const v = R(cRdp(insn));
        const h = fastWrite(va, 4);
        if (h != 0) { hits++; store<u32>(h, u32(v)); pc = (pc + 2); count++; continue; }
        storeSlowAt(va, 4, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 2), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 2); count++;
        continue;
      }
      case 263: { // C.SD
        const va = R(cRs1p(insn)) + u64(cldImm(insn));
        const v = R(cRdp(insn));
        const h = fastWrite(va, 8);
        if (h != 0) { hits++; store<u64>(h, v); pc = (pc + 2); count++; continue; }
        storeSlowAt(va, 8, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 2), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 2); count++;
        continue;
      }
      case 264: { // C.ADDI (C.NOP; rd = x0 or imm = 0 are HINTs): addi rd, rd, imm
        const o = cRd(insn);
        W(dst(o), R(o) + simm(ciImm(insn)));
        pc = (pc + 2); count++;
        continue;
      }
      case 265: { // C.ADDIW (rd = x0 reserved): addiw rd, rd, imm
        const o = cRd(insn);
        if (o == 0) { raise(2, insn); break; }
        W(o, sext32(R(o) + simm(ciImm(insn))));
        pc = (pc + 2); count++;
        continue;
      }
      case 266: // C.LI (rd = x0 HINT): addi rd, x0, imm
        W(dst(cRd(insn)), simm(ciImm(insn)));
        pc = (pc + 2); count++;
        continue;
      case 267: { // C.ADDI16SP (rd = x2) or C.LUI; a zero immediate is reserved
        const o = cRd(insn);
        if (o == SP_O) {
          const imm = bit(insn, 12, 9) | bit(insn, 6, 4) | bit(insn, 5, 6) | (bits(insn, 4, 3) << 7) | bit(insn, 2, 5);
          if (imm == 0) { raise(2, insn); break; }
          W(SP_O, R(SP_O) + simm(sext(imm, 10)));
        } else {
          const imm = bit(insn, 12, 5) | bits(insn, 6, 2);
          if (imm == 0) { raise(2, insn); break; }
          W(dst(o), simm(sext(imm, 6) << 12));
        }
        pc = (pc + 2); count++;
        continue;
      }
      case 268: { // C.SRLI C.SRAI C.ANDI C.SUB C.XOR C.OR C.AND C.SUBW C.ADDW (on rd' = bits 9:7)
        const o = cRs1p(insn);
        const a = R(o);
        const sel = (insn >> 10) & 3;
        let v: u64 = 0;
        if (sel == 0) v = a >> u64(ciShamt(insn));
        else if (sel == 1) v = u64(i64(a) >> i64(ciShamt(insn)));
        else if (sel == 2) v = a & simm(ciImm(insn));
        else {
          const b = R(cRdp(insn));
          const f2 = (insn >> 5) & 3;
          if ((insn & 0x1000) == 0) {
            if (f2 == 0) v = a - b;
            else if (f2 == 1) v = a ^ b;
            else if (f2 == 2) v = a | b;
            else v = a & b;
          } else if (f2 == 0) v = sext32(a - b);
          else if (f2 == 1) v = sext32(a + b);
          else { raise(2, insn); break; } // reserved
        }
        W(o, v);
        pc = (pc + 2); count++;
        continue;
      }
      case 269: // C.J: jal x0, offset
        pc += simm(cjImm(insn));
        count++;
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      case 270: case 271: { // C.BEQZ, C.BNEZ: beq/bne rs1', x0, offset
        count++;
        if ((R(cRs1p(insn)) == 0) == (key == 271)) { pc = (pc + 2); continue; }
        pc += simm(cbImm(insn));
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 272: { // C.SLLI (rd = x0 or shamt = 0 are HINTs): slli rd, rd, shamt
        const o = cRd(insn);
        W(dst(o), R(o) << u64(ciShamt(insn)));
        pc = (pc + 2); count++;
        continue;
      }
      case 273: { // C.FLDSP: fld rd, uimm(x2)
        if ((R(MSTATUS) & MS_FS) == 0) { raise(2, insn); break; }
        const v = vload(R(SP_O) + u64(bit(insn, 12, 5) | (bits(insn, 6, 5) << 3) | (bits(insn, 4, 2) << 6)), 8);
        if (gExc >= 0) break;
        FW(cRd(insn), v);
        setFsDirty();
        pc = (pc + 2); count++;
        continue;
      }
      case 274: { // C.LWSP (rd = x0 reserved): lw rd, uimm(x2)
        const o = cRd(insn);
        if (o == 0) { raise(2, insn); break; }
        const va = R(SP_O) + u64(bit(insn, 12, 5) | (bits(insn, 6, 4) << 2) | (bits(insn, 3, 2) << 6));
        const h = fastRead(va, 4);
        let v: u64;
        if (h != 0) { hits++; v = u64(i64(load<i32>(h))); } else { v = loadSlowExt(va, 2, count); if (gExc >= 0) break; }
        W(o, v);
        pc = (pc + 2); count++;
        continue;
      }
      case 275: { // C.LDSP (rd = x0 reserved): ld rd, uimm(x2)
        const o = cRd(insn);
        if (o == 0) { raise(2, insn); break; }
        const va = R(SP_O) + u64(bit(insn, 12, 5) | (bits(insn, 6, 5) << 3) | (bits(insn, 4, 2) << 6));
        const h = fastRead(va, 8);
        let v: u64;
        if (h != 0) { hits++; v = load<u64>(h); } else { v = loadSlowExt(va, 3, count); if (gExc >= 0) break; }
        W(o, v);
        pc = (pc + 2); count++;
        continue;
      }
      case 276: { // C.JR C.MV C.EBREAK C.JALR C.ADD
        const o = cRd(insn), s2 = cRs2(insn);
        if (s2 != 0) { // C.MV: add rd, x0, rs2; C.ADD: add rd, rd, rs2 (rd = x0: HINTs)
          W(dst(o), (insn & 0x1000) == 0 ? R(s2) : R(o) + R(s2));
          pc = (pc + 2); count++;
          continue;
        }
        if (o == 0) { // rs1 = x0: C.JR is reserved, C.EBREAK
          if ((insn & 0x1000) == 0) raise(2, insn); else raise(3, pc);
          break;
        }
        const target = R(o) & ~u64(1);
        if ((insn & 0x1000) != 0) W(RA_O, (pc + 2)); // C.JALR: jalr x1, 0(rs1)
        pc = target; count++;
        if (count >= limit) {
          pc = takenSlow(pc, count);
          count = gCount;
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); if (gTouched) fetchTag = <u64>-1;
        }
        continue;
      }
      case 277: // C.FSDSP: fsd rs2, uimm(x2)
        if ((R(MSTATUS) & MS_FS) == 0) { raise(2, insn); break; }
        vstore(R(SP_O) + u64((bits(insn, 12, 10) << 3) | (bits(insn, 9, 7) << 6)), 8, FR(cRs2(insn)));
        if (gExc >= 0) break;
        pc = (pc + 2); count++;
        continue;
      case 278: { // C.SWSP
        const va = R(SP_O) + u64((bits(insn, 12, 9) << 2) | (bits(insn, 8, 7) << 6));
        const v = R(cRs2(insn));
        const h = fastWrite(va, 4);
        if (h != 0) { hits++; store<u32>(h, u32(v)); pc = (pc + 2); count++; continue; }
        storeSlowAt(va, 4, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 2), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 2); count++;
        continue;
      }
      case 279: { // C.SDSP
        const va = R(SP_O) + u64((bits(insn, 12, 10) << 3) | (bits(insn, 9, 7) << 6));
        const v = R(cRs2(insn));
        const h = fastWrite(va, 8);
        if (h != 0) { hits++; store<u64>(h, v); pc = (pc + 2); count++; continue; }
        storeSlowAt(va, 8, v, count);
        if (gExc >= 0) break;
        if (gHostWants || gClintWritten) {
          pc = boundary((pc + 2), ++count);
          if (gStop >= 0) return finish(pc, count, gStop, hits);
          limit = nextLimit(); fetchTag = <u64>-1;
          continue;
        }
        pc = (pc + 2); count++;
        continue;
      }
      case 260: // quadrant 0, funct3 100: reserved
        raise(2, insn);
        break;
      default:
        raise(2, insn);
        break;
    }
    // ---- exception path: the instruction at pc raised gExc and does not retire ----
    pc = trapExc(pc);
    if (gHostTrap) return finish(pc, count, EXIT_TRAP, hits);
    fetchTag = <u64>-1;
  }
  return finish(pc, count, EXIT_BUDGET, hits);
}

