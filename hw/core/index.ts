// Entry point of the wasm core: the functions the TypeScript machine calls.
// See hart.ts (interpreter), csr.ts (privileged state), mmu.ts (Sv39 + TLB).
import {
  STATE, STATE_SIZE, HART_SAVE, MACHINE, MIP, M_RAM_SIZE, M_NHARTS, M_ACTIVE_HART,
  M_MTIME, M_TICK_FRAC, M_INSNS_PER_TICK, MTIMECMP, STIMECMP, MENVCFG, MIE, MSIP, WFI_STATE, RESERVATION,
  TLB, TLB_PER_HART, TLB_FLUSHES, SATP, SUPERPAGE_CACHED, RAM_HOST, ASID_GLOBALS,
} from "./layout";
import { rvcInit } from "./rvc";
import {
  updateMode, tlbFlushAll, tlbFlushEveryHart, tlbFlushPage, gMtimeNow, gHostWants, gExc, gExcVal,
  setTime, setHostWants, setExc, setClintWritten, satpWritten, asidReset, hartFlushPage, hartFlushAsid,
  hartFlushPageAsid,
} from "./mmu";
import { jitFlushAll, jitFlushPage } from "./jit";
import { resetState, csrRead as csrReadAt, csrWrite as csrWriteAt, clearCsrSideEffect, MENVCFG_STCE } from "./csr";

export { run, retired } from "./hart";
export { fpExec } from "./fpu";
export { rvcExpand } from "./rvc";
export { jitMarkCodePage, jitFlushAll } from "./jit";

/** Set up a machine with `ramBytes` of RAM and `harts` harts, all reset to M-mode at `pc`. */
export function init(ramBytes: f64, harts: u32, pc: u64): void {
  rvcInit();
  store<u64>(MACHINE + M_RAM_SIZE, u64(ramBytes));
  store<u32>(MACHINE + M_NHARTS, harts);
  store<u64>(MACHINE + M_MTIME, 0);
  store<u64>(MACHINE + M_TICK_FRAC, 0);
  tlbFlushEveryHart(harts);
  for (let h: u32 = harts; h-- > 0;) {
    store<u32>(MACHINE + M_ACTIVE_HART, h);
    resetState(h, pc);
    asidReset(STATE);
    if (h != 0) memory.copy(HART_SAVE + h * STATE_SIZE, STATE, STATE_SIZE);
  }
  store<u32>(MACHINE + M_ACTIVE_HART, 0);
  updateMode();
}

/**
 * Make hart `h` the active one: its state moves into the STATE block.
 * The hart switched out loses its LR reservation: the harts it yields to
 * may write the reserved word before it runs again, and stores do not look
 * at other harts' reservations, so a later SC must fail (the ISA lets an SC
 * fail at any time; the retry runs within one turn and succeeds).
 */
export function selectHart(h: u32): void {
  const cur = load<u32>(MACHINE + M_ACTIVE_HART);
  if (cur == h) return;
  store<u64>(STATE + RESERVATION, <u64>-1);
  memory.copy(HART_SAVE + cur * STATE_SIZE, STATE, STATE_SIZE);
  memory.copy(STATE, HART_SAVE + h * STATE_SIZE, STATE_SIZE);
  store<u32>(MACHINE + M_ACTIVE_HART, h);
  updateMode();
}

/** Set or clear bit `bit` of hart `h`'s mip (the PLIC drives MEIP/SEIP this way). */
export function setPending(h: u32, bit: u32, level: bool): void {
  const base: usize = h == load<u32>(MACHINE + M_ACTIVE_HART) ? STATE : HART_SAVE + h * STATE_SIZE;
  const m = u64(1) << bit;
  const v = load<u64>(base + MIP);
  store<u64>(base + MIP, level ? v | m : v & ~m);
}

/** Advance the instruction-driven clock by `insns` retired instructions. */
export function advanceClock(insns: f64): void {
  const ipt = load<u64>(MACHINE + M_INSNS_PER_TICK);
  if (ipt == 0) return;
  const f = load<u64>(MACHINE + M_TICK_FRAC) + u64(insns);
  store<u64>(MACHINE + M_MTIME, load<u64>(MACHINE + M_MTIME) + f / ipt);
  store<u64>(MACHINE + M_TICK_FRAC, f % ipt);
}

/** Ticks from now until the earliest enabled timer of any hart (-1: none). Used when all harts wait. */
export function ticksToNextTimer(): f64 {
  const n = load<u32>(MACHINE + M_NHARTS);
  const cur = load<u32>(MACHINE + M_ACTIVE_HART);
  const now = load<u64>(MACHINE + M_MTIME);
  let best: u64 = <u64>-1;
  for (let h: u32 = 0; h < n; h++) {
    const base: usize = h == cur ? STATE : HART_SAVE + h * STATE_SIZE;
    if ((load<u64>(base + MIE) & (1 << 7)) != 0 && load<u64>(base + MTIMECMP) < best) best = load<u64>(base + MTIMECMP);
    if ((load<u64>(base + MENVCFG) & MENVCFG_STCE) != 0 && (load<u64>(base + MIE) & (1 << 5)) != 0 &&
        load<u64>(base + STIMECMP) < best) best = load<u64>(base + STIMECMP);
  }
  if (best == <u64>-1) return -1;
  return best <= now ? 0 : f64(best - now);
}

/** Whether hart `h` sleeps in wfi. */
export function hartWaiting(h: u32): bool {
  const base: usize = h == load<u32>(MACHINE + M_ACTIVE_HART) ? STATE : HART_SAVE + h * STATE_SIZE;
  return load<u64>(base + WFI_STATE) != 0 && load<u64>(base + MSIP) == 0;
}

/** CSR access for the host (as M-mode): returns the value; for a kernel in TypeScript. */
export function csrRead(csr: u32): u64 { return csrReadAt(csr, 3); }
export function csrWrite(csr: u32, v: u64): bool { return csrWriteAt(csr, v, 3); }
export function flushTlb(): void { tlbFlushAll(); jitFlushAll(); }
export function flushTlbPage(va: u64): void { tlbFlushPage(va); jitFlushPage(va); }
/** Recompute the cached translation mode after the host edited PRIV, MSTATUS or SATP directly. */
export function modeChanged(): void { updateMode(); }

@inline function hartState(h: u32): usize {
  return h == load<u32>(MACHINE + M_ACTIVE_HART) ? STATE : HART_SAVE + h * STATE_SIZE;
}

/** Drop `va`'s entries from the TLBs of every hart, in every ASID (a TLB shootdown). `va` as f64 avoids BigInt. */
export function flushTlbPageAllHarts(vaF: f64): void {
  const va = u64(vaF);
  const n = load<u32>(MACHINE + M_NHARTS);
  for (let h: u32 = 0; h < n; h++) hartFlushPage(hartState(h), TLB + h * TLB_PER_HART, va);
  jitFlushPage(va);
}

/**
 * Drop the non-global entries of `va` in address space `asid` on every hart
 * (sfence.vma va, asid on each): the kernel changed a PTE of that mm, and
 * the other address spaces' entries for the same va stay.
 */
export function flushTlbPageAsidAllHarts(vaF: f64, asid: u32): void {
  const va = u64(vaF);
  const n = load<u32>(MACHINE + M_NHARTS);
  for (let h: u32 = 0; h < n; h++) hartFlushPageAsid(hartState(h), TLB + h * TLB_PER_HART, va, asid & 0xFFFF);
  jitFlushPage(va);
}

/** Drop every non-global entry of address space `asid` on every hart (sfence.vma x0, asid on each). */
export function flushTlbAsidAllHarts(asid: u32): void {
  const n = load<u32>(MACHINE + M_NHARTS);
  for (let h: u32 = 0; h < n; h++) hartFlushAsid(hartState(h), TLB + h * TLB_PER_HART, asid & 0xFFFF);
}

/** Empty the TLBs of every hart. */
export function flushTlbAllHarts(): void {
  const n = load<u32>(MACHINE + M_NHARTS);
  tlbFlushEveryHart(n);
  const cur = load<u32>(MACHINE + M_ACTIVE_HART);
  for (let h: u32 = 0; h < n; h++) {
    const st: usize = h == cur ? STATE : HART_SAVE + h * STATE_SIZE;
    store<u64>(st + SUPERPAGE_CACHED, 0);
    store<u8>(st + ASID_GLOBALS, 0);
  }
  store<u64>(STATE + TLB_FLUSHES, load<u64>(STATE + TLB_FLUSHES) + 1);
  jitFlushAll();
}

/** Switch the active hart to the Sv39 table at physical page `ppn` (0: bare), ASID 0. Flushes its TLB. */
export function setSatp(ppn: f64): void {
  store<u64>(STATE + SATP, ppn == 0 ? 0 : (u64(8) << 60) | u64(ppn));
  satpWritten();
  tlbFlushAll();
  jitFlushAll();
}

/**
 * Switch the active hart to the Sv39 table at physical page `ppn` in address
 * space `asid` (1..65535), without flushing its TLB: the entries of `asid`
 * cached when it last ran are used again (the kernel flushes what it changed
 * meanwhile, and never gives one ASID to two mms within a generation). The
 * translated code is still invalidated as a whole (its regions are kept and
 * reused when their bytes are unchanged): a kernel in TypeScript writes
 * guest RAM directly, so a freed page may come back holding other code.
 */
export function setSatpAsid(ppn: f64, asid: u32): void {
  store<u64>(STATE + SATP, (u64(8) << 60) | (u64(asid & 0xFFFF) << 44) | u64(ppn));
  satpWritten();
  jitFlushAll();
}

// ---- Machine snapshots (hw/snapshot.ts) ---------------------------------------
// Between two run() calls the core's globals are either rebuilt by run()
// itself (the slice clock, the budget, the translation mode) or hold one of
// the few values below, which outlive a slice and so belong to the machine's
// state: the time the host's CSR reads see, a device's pending request for the
// host's attention, and a synchronous exception a host-side fpExec raised.

/** Core scalar `i` for a snapshot: 0 mtime as last seen, 1 host wants control (0/1), 2 pending exception cause (-1: none), 3 its tval. */
export function coreScalar(i: u32): u64 {
  switch (i) {
    case 0: return gMtimeNow;
    case 1: return gHostWants ? 1 : 0;
    case 2: return u64(i64(gExc));
    case 3: return gExcVal;
    default: return 0;
  }
}

/**
 * After the host wrote the state blocks and the machine block of a snapshot:
 * set the scalars coreScalar() read, and rebuild what is derived from the
 * state (every hart's TLBs start empty, the cached translation mode of the
 * active hart). The TLB counters are statistics and keep their saved values.
 */
export function resync(now: u64, hostWants: u32, exc: i32, excVal: u64): void {
  const n = load<u32>(MACHINE + M_NHARTS);
  tlbFlushEveryHart(n);
  for (let h: u32 = 0; h < n; h++) asidReset(hartState(h));
  updateMode();
  setTime(now);
  setHostWants(hostWants != 0);
  setExc(exc, excVal);
  setClintWritten(false);
  clearCsrSideEffect();
}

/**
 * Whether guest RAM page `page` (4 KiB at RAM offset page << 12) holds a
 * nonzero byte: how a snapshot finds the pages worth saving, and how a
 * restore finds the pages it must clear, at memory speed (8-byte loads, eight at a time; the core is built without SIMD).
 * Reading a page the guest never touched maps the host's zero page; it
 * does not commit memory, as writing zeros to every page would.
 */
export function ramPageNonZero(page: u32): bool {
  const base: usize = usize(RAM_HOST) + (usize(page) << 12);
  for (let o: usize = 0; o < 4096; o += 64) {
    const a = base + o;
    if ((load<u64>(a) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24) |
         load<u64>(a, 32) | load<u64>(a, 40) | load<u64>(a, 48) | load<u64>(a, 56)) != 0) return true;
  }
  return false;
}
