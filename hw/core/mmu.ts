// Sv39 address translation with a software TLB, and the physical bus of the
// core: RAM, the CLINT, and everything else through the host's MMIO imports.
//
// ASIDs (satp bits 59:44, all 16 implemented): each hart's TLB has
// TLB_BANKS banks, each holding the entries of one ASID. A satp write makes
// the bank of its ASID current (taking over the least recently assigned bank,
// emptied, when none holds it), so switching between a few address spaces
// flushes nothing, and the lookups (interpreter and JIT alike) only ever see
// the current ASID's entries: a stale hit of another ASID is impossible by
// construction, at no cost on the hit path. Entries from global (G) PTEs are
// marked (TLB_GLOBAL); a miss looks for one in the other banks before
// walking, so a global page hits under every ASID, and ASID-scoped fences
// leave them alone, as the privileged spec describes.
//
// The TLB is direct mapped by virtual page number, one table per
// {read, write, fetch} x {S, U, bare}. The bare set caches the identity
// translation of RAM pages while translation is off (M-mode, or satp = Bare),
// so every access takes the same single lookup. An entry caches a 4 KiB page of RAM only when
// the access it stands for is already allowed and needs no A/D update, so a hit
// is a complete check: a write entry exists only for pages whose PTE has D set,
// and S-mode entries exist only for pages without the U bit (SUM and MXR never
// reach the fast path, so changing them needs no flush). Misses walk the real
// page tables in guest RAM, set A and D as hardware does, and refill.
//
// A flush costs what was filled, not the size of the tables: each set of
// tables (a bank, the bare set) logs the indexes of the entries that became
// valid since it was last emptied (layout.ts TLB_LOG), and a flush clears
// only those, or the whole set with memory.fill when its log overflowed.
// Every valid entry of a set is in its log unless the log says it does not
// know: a refill logs an entry whenever it was invalid before (one that was
// valid is logged already), and only a full emptying of the set restarts the
// log. So short-lived processes (fork + exec + exit) pay for the few hundred
// entries they used, not for 4096-entry tables.
//
// Concepts: C50 (virtual vs physical), C51 (multi-level page tables),
// C52 (TLB with hit, miss and flush counters; sfence.vma).
import {
  STATE, MACHINE, TLB, TLB_ENTRIES, TLB_SIZE, TLB_PER_HART, TLB_KINDS, RAM_HOST,
  PRIV, MSTATUS, SATP, TLB_HITS, TLB_MISSES, TLB_FLUSHES, M_RAM_SIZE, M_MTIME,
  MTIMECMP, MSIP, STATE_SIZE, HART_SAVE, M_ACTIVE_HART, CLINT_BASE, CLINT_SIZE, SUPERPAGE_CACHED,
  TLB_BANKS, TLB_BANK_SIZE, TLB_BANK_KINDS, TLB_BARE, TLB_GLOBAL, ASID_BANK_IDS, ASID_BANK_VALID, ASID_BANK_CUR,
  ASID_BANK_NEXT, ASID_GLOBALS, TLB_LOG, TLB_LOG_CAP, TLB_LOG_LOST,
} from "./layout";
import { isCodePage, codePageWritten } from "./jit";
import { logOf, logKnows, logSlot } from "./tlblog";

// ---- Host imports: every physical address outside RAM and the CLINT --------
/** Read `width` (1, 2, 4) bytes at physical `addr`; returns the value, or -1 for an access fault. */
@external("env", "mmioRead") declare function mmioRead(addr: u32, width: u32): f64;
/** Write; returns 0 ok, 1 access fault, 2 ok and the host wants control back (halt, irq change). */
@external("env", "mmioWrite") declare function mmioWrite(addr: u32, width: u32, value: u32): i32;

export const RAM_BASE: u64 = 0x80000000;

// Access kinds (also the TLB kind within a privilege).
export const ACC_READ: i32 = 0;
export const ACC_WRITE: i32 = 1;
export const ACC_FETCH: i32 = 2;

// ---- Exception state raised by the slow paths -------------------------------
/** Pending synchronous exception cause, or -1. Set by slow paths, consumed by the interpreter. */
export let gExc: i32 = -1;
export let gExcVal: u64 = 0;
/** Set when an MMIO write asked the host for control; the interpreter ends its slice. */
export let gHostWants: bool = false;
/** Current mtime as the running hart sees it (set by the interpreter). */
export let gMtimeNow: u64 = 0;
/** Set when the guest wrote a CLINT register: the interpreter re-evaluates interrupts. */
export let gClintWritten: bool = false;

// ---- Translation state, recomputed by updateMode() ------------------------
export let gDataBare: bool = true;
export let gFetchBare: bool = true;
export let gTlbR: usize = 0;
export let gTlbW: usize = 0;
export let gTlbX: usize = 0;
export let gRamSize: u64 = 0;
let gTlbHart: usize = TLB;
/** The current ASID bank of the active hart (gTlbHart + bank * TLB_BANK_SIZE). */
let gTlbBank: usize = TLB;
let gDataPriv: u32 = 3;
/** Refill logs (layout.ts TLB_LOG) of the current bank and of the bare set of the active hart. */
let gLogBank: usize = TLB_LOG;
let gLogBare: usize = TLB_LOG;
export let gTlbHits: u64 = 0;

export function setExc(cause: i32, tval: u64): void { gExc = cause; gExcVal = tval; }
export function setHostWants(v: bool): void { gHostWants = v; }
export function setClintWritten(v: bool): void { gClintWritten = v; }
export function setTime(t: u64): void { gMtimeNow = t; }

@inline export function raise(cause: i32, tval: u64): void {
  gExc = cause;
  gExcVal = tval;
}

/** Fault causes per access kind. */
@inline function pageFault(acc: i32): i32 { return acc == ACC_FETCH ? 12 : acc == ACC_READ ? 13 : 15; }
@inline function accessFault(acc: i32): i32 { return acc == ACC_FETCH ? 1 : acc == ACC_READ ? 5 : 7; }

/** Recompute which TLBs and which translation apply after a change of privilege, mstatus or satp. */
export function updateMode(): void {
  const priv = u32(load<u64>(STATE + PRIV));
  const ms = load<u64>(STATE + MSTATUS);
  const bareSatp = (load<u64>(STATE + SATP) >> 60) == 0;
  gFetchBare = priv == 3 || bareSatp;
  let dpriv = priv;
  if (priv == 3 && (ms & (1 << 17)) != 0) dpriv = u32((ms >> 11) & 3);
  gDataPriv = dpriv;
  gDataBare = dpriv == 3 || bareSatp;
  gRamSize = load<u64>(MACHINE + M_RAM_SIZE);
  const hart = load<u32>(MACHINE + M_ACTIVE_HART);
  gTlbHart = TLB + hart * TLB_PER_HART;
  gTlbBank = gTlbHart + usize(load<u8>(STATE + ASID_BANK_CUR)) * TLB_BANK_SIZE;
  gLogBank = logOf(gTlbHart, usize(load<u8>(STATE + ASID_BANK_CUR)));
  gLogBare = logOf(gTlbHart, usize(TLB_BANKS));
  const du: usize = gDataBare ? gTlbHart + TLB_BARE : gTlbBank + (dpriv == 0 ? 3 * TLB_SIZE : 0);
  gTlbR = du;
  gTlbW = du + TLB_SIZE;
  const fu: usize = gFetchBare ? gTlbHart + TLB_BARE : gTlbBank + (priv == 0 ? 3 * TLB_SIZE : 0);
  gTlbX = fu + 2 * TLB_SIZE;
}

// ---- ASID banks ---------------------------------------------------------------
// Each function takes the hart's state block `st` (STATE for the active hart,
// its HART_SAVE block otherwise) and its TLB `hart` (TLB + h * TLB_PER_HART),
// so the host's shootdowns reach every hart the same way.

/** The global-entry byte of the TLB entry at `e` (layout.ts TLB_GLOBAL). */
@inline function gflag(e: usize): usize { return usize(TLB_GLOBAL) + ((e - usize(TLB)) >> 4); }

@inline function bumpFlushes(): void {
  store<u64>(STATE + TLB_FLUSHES, load<u64>(STATE + TLB_FLUSHES) + 1);
}

// ---- Refill logs ----------------------------------------------------------------

/**
 * The entry at `e` of the set at `set` (log `log`) is about to get tag `tag`:
 * log it unless it was valid (a valid one is in the log already). An entry
 * is invalid when its tag is all ones, or when the tag's low bits are not the
 * entry's index: the zeros of fresh memory, which no lookup can match. On
 * overflow the log stops knowing, and the set's next flush clears it whole.
 */
@inline function logAdd(set: usize, log: usize, e: usize, tag: u64): void {
  const old = load<u64>(e);
  if (old != <u64>-1 && ((old ^ tag) & u64(TLB_ENTRIES - 1)) == 0) return;
  const n = load<u32>(log);
  // Full, lost already, or (cannot happen after init) a set never emptied: the next flush clears it whole.
  if (n - 1 >= u32(TLB_LOG_CAP)) { store<u32>(log, TLB_LOG_LOST); return; }
  store<u16>(logSlot(log, usize(n - 1)), u16((e - set) >> 4));
  store<u32>(log, n + 1);
}

/** Store a TLB entry of the current bank (translate, globalHit), logging it. */
@inline function fillBank(e: usize, tag: u64, add: u64, g: u8): void {
  logAdd(gTlbBank, gLogBank, e, tag);
  store<u64>(e, tag);
  store<u64>(e, add, 8);
  store<u8>(gflag(e), g);
}

/**
 * Empty the set of `kinds` tables at `set` (log `log`): the logged entries,
 * or all of it when the log overflowed. A set in fresh memory (log state 0,
 * all zeros) holds one valid-looking entry per table: entry 0, whose tag 0
 * matches virtual page 0 (any other entry's zero tag cannot match, as the
 * index is the tag's low bits); so init clears just those, and a machine's
 * TLBs commit host memory only as far as they are used.
 */
function clearSet(set: usize, log: usize, kinds: usize): void {
  const n = load<u32>(log);
  if (n == 0) {
    for (let k: usize = 0; k < kinds; k++) store<u64>(set + k * usize(TLB_SIZE), <u64>-1);
  } else if (!logKnows(n)) { // TLB_LOG_LOST
    memory.fill(set, 0xff, kinds * usize(TLB_SIZE));
  } else {
    for (let j: usize = 0; j < usize(n - 1); j++) store<u64>(set + (usize(load<u16>(logSlot(log, j))) << 4), <u64>-1);
  }
  store<u32>(log, 1);
}

/** Empty every set (each bank and the bare set) of the hart whose TLB is at `hart`. */
function clearHart(hart: usize): void {
  for (let s: usize = 0; s < usize(TLB_BANKS); s++) clearSet(hart + s * TLB_BANK_SIZE, logOf(hart, s), TLB_BANK_KINDS);
  clearSet(hart + TLB_BARE, logOf(hart, usize(TLB_BANKS)), 3);
}

/** The bank holding `asid` on that hart, or -1. */
function asidBank(st: usize, asid: u32): i32 {
  const valid = u32(load<u8>(st + ASID_BANK_VALID));
  for (let b: u32 = 0; b < u32(TLB_BANKS); b++) {
    if (((valid >> b) & 1) != 0 && u32(load<u16>(st + ASID_BANK_IDS + (usize(b) << 1))) == asid) return i32(b);
  }
  return -1;
}

/**
 * Make the bank of `asid` current on that hart. When no bank holds it, the
 * first unused bank is taken, else the next in round-robin order other than
 * the current one; the bank taken is emptied (its old ASID loses its cached
 * entries, as a smaller hardware TLB would evict them). Nothing else is
 * flushed. The caller runs updateMode() for the active hart.
 */
export function asidSelect(st: usize, hart: usize, asid: u32): void {
  let b = asidBank(st, asid);
  if (b < 0) {
    const valid = u32(load<u8>(st + ASID_BANK_VALID));
    const cur = u32(load<u8>(st + ASID_BANK_CUR));
    for (let i: u32 = 0; i < u32(TLB_BANKS); i++) if (((valid >> i) & 1) == 0) { b = i32(i); break; }
    if (b < 0) {
      let n = u32(load<u8>(st + ASID_BANK_NEXT));
      if (n == cur) n = (n + 1) & u32(TLB_BANKS - 1);
      b = i32(n);
      store<u8>(st + ASID_BANK_NEXT, u8((n + 1) & u32(TLB_BANKS - 1)));
    }
    clearSet(hart + usize(b) * TLB_BANK_SIZE, logOf(hart, usize(b)), TLB_BANK_KINDS);
    store<u16>(st + ASID_BANK_IDS + (usize(b) << 1), u16(asid));
    store<u8>(st + ASID_BANK_VALID, u8(valid | (1 << u32(b))));
    bumpFlushes();
  }
  store<u8>(st + ASID_BANK_CUR, u8(b));
}

/** After a reset or a restore (TLBs empty): bank 0 holds the ASID of that hart's satp. */
export function asidReset(st: usize): void {
  store<u16>(st + ASID_BANK_IDS, u16(load<u64>(st + SATP) >> 44));
  store<u8>(st + ASID_BANK_VALID, 1);
  store<u8>(st + ASID_BANK_CUR, 0);
  store<u8>(st + ASID_BANK_NEXT, 1);
  store<u8>(st + ASID_GLOBALS, 0);
  store<u64>(st + SUPERPAGE_CACHED, 0);
}

/** The active hart's satp was written: switch to the bank of its ASID (no flush). */
export function satpWritten(): void {
  const hart: usize = usize(TLB) + usize(load<u32>(MACHINE + M_ACTIVE_HART)) * usize(TLB_PER_HART);
  asidSelect(STATE, hart, u32((load<u64>(STATE + SATP) >> 44) & 0xFFFF));
  updateMode();
}

/** Every entry of that hart, every ASID, global ones too (sfence.vma x0, x0). */
export function hartFlushAll(st: usize, hart: usize): void {
  clearHart(hart);
  store<u64>(st + SUPERPAGE_CACHED, 0);
  store<u8>(st + ASID_GLOBALS, 0);
  bumpFlushes();
}

/**
 * The non-global entries of `asid` on that hart (sfence.vma x0, rs2). A
 * superpage piece is an entry like any other, so this covers them too.
 */
export function hartFlushAsid(st: usize, hart: usize, asid: u32): void {
  const b = asidBank(st, asid);
  if (b < 0) return;
  const base = hart + usize(b) * TLB_BANK_SIZE;
  const log = logOf(hart, usize(b));
  if (load<u8>(st + ASID_GLOBALS) == 0) { clearSet(base, log, TLB_BANK_KINDS); bumpFlushes(); return; }
  const g = gflag(base);
  const n = load<u32>(log);
  if (!logKnows(n)) {
    for (let i: usize = 0; i < usize(TLB_BANK_KINDS * TLB_ENTRIES); i++) {
      if ((load<u8>(g + i) & 1) == 0) store<u64>(base + (i << 4), <u64>-1);
    }
  } else {
    // Clear the logged non-global entries; the log keeps the (global) entries still valid.
    let m: u32 = 1;
    for (let j: usize = 0; j < usize(n - 1); j++) {
      const i = usize(load<u16>(logSlot(log, j)));
      const e = base + (i << 4);
      if (load<u64>(e) == <u64>-1) continue;
      if ((load<u8>(g + i) & 1) == 0) { store<u64>(e, <u64>-1); continue; }
      store<u16>(logSlot(log, usize(m - 1)), u16(i));
      m++;
    }
    store<u32>(log, m);
  }
  bumpFlushes();
}

/**
 * Drop the `n` entries from `t` on that are pieces of a leaf mapping `va`
 * (a 4 KiB entry of `va`'s page, or a piece of a 2 MiB / 1 GiB page holding
 * `va`: the entry's level is in its TLB_GLOBAL byte), global ones only when
 * `globalsToo`.
 */
function dropLeaf(t: usize, n: usize, va: u64, globalsToo: bool): void {
  for (let i: usize = 0; i < n; i++) dropIfLeaf(t + (i << 4), va >> 12, globalsToo);
}

@inline function dropIfLeaf(e: usize, vpn: u64, globalsToo: bool): void {
  const tag = load<u64>(e);
  if (tag == <u64>-1) return;
  const f = u64(load<u8>(gflag(e)));
  const sh = 9 * ((f >> 1) & 3);
  if ((tag >> sh) == (vpn >> sh) && (globalsToo || (f & 1) == 0)) store<u64>(e, <u64>-1);
}

/** dropLeaf() over bank `s` of the hart at `hart`: its logged entries, or all of them when the log does not know. */
function dropLeafBank(hart: usize, s: usize, va: u64, globalsToo: bool): void {
  const set = hart + s * TLB_BANK_SIZE;
  const log = logOf(hart, s);
  const n = load<u32>(log);
  if (!logKnows(n)) { dropLeaf(set, usize(TLB_BANK_KINDS * TLB_ENTRIES), va, globalsToo); return; }
  for (let j: usize = 0; j < usize(n - 1); j++) dropIfLeaf(set + (usize(load<u16>(logSlot(log, j))) << 4), va >> 12, globalsToo);
}

/**
 * The entries that could map `va` on that hart, in every bank (sfence.vma
 * rs1, x0) and the bare set. A superpage is cached as separate 4 KiB
 * entries, so while any are cached an address fence drops every piece of
 * the leaf holding `va` (the spec makes it cover every translation of that
 * leaf), found by a scan of the banks.
 */
export function hartFlushPage(st: usize, hart: usize, va: u64): void {
  const idx = usize((va >> 12) & (TLB_ENTRIES - 1)) << 4;
  if (load<u64>(st + SUPERPAGE_CACHED) != 0) {
    for (let s: usize = 0; s < usize(TLB_BANKS); s++) dropLeafBank(hart, s, va, true);
    for (let k: usize = 0; k < 3; k++) store<u64>(hart + TLB_BARE + k * TLB_SIZE + idx, <u64>-1);
  } else {
    for (let k: usize = 0; k < usize(TLB_KINDS); k++) store<u64>(hart + k * TLB_SIZE + idx, <u64>-1);
  }
  bumpFlushes();
}

/** The non-global entries that could map `va` in `asid` on that hart (sfence.vma rs1, rs2). */
export function hartFlushPageAsid(st: usize, hart: usize, va: u64, asid: u32): void {
  const b = asidBank(st, asid);
  if (b < 0) return;
  const bank = hart + usize(b) * TLB_BANK_SIZE;
  if (load<u64>(st + SUPERPAGE_CACHED) != 0) {
    dropLeafBank(hart, usize(b), va, false);
  } else {
    const base = bank + (usize((va >> 12) & (TLB_ENTRIES - 1)) << 4);
    const g = gflag(base);
    for (let k: usize = 0; k < usize(TLB_BANK_KINDS); k++) {
      if ((load<u8>(g + k * TLB_ENTRIES) & 1) == 0) store<u64>(base + k * TLB_SIZE, <u64>-1);
    }
  }
  bumpFlushes();
}

/** Invalidate every TLB entry of the active hart. */
export function tlbFlushAll(): void { hartFlushAll(STATE, gTlbHart); }

/** Invalidate the active hart's entries that could map `va`, in every ASID. */
export function tlbFlushPage(va: u64): void { hartFlushPage(STATE, gTlbHart, va); }

/** The active hart's non-global entries of `asid`. */
export function tlbFlushAsid(asid: u32): void { hartFlushAsid(STATE, gTlbHart, asid); }

/** The active hart's non-global entries of `asid` that could map `va`. */
export function tlbFlushPageAsid(va: u64, asid: u32): void { hartFlushPageAsid(STATE, gTlbHart, va, asid); }

/** Invalidate the TLBs of every hart (used at reset). */
export function tlbFlushEveryHart(n: u32): void {
  for (let h: u32 = 0; h < n; h++) clearHart(usize(TLB) + usize(h) * usize(TLB_PER_HART));
}

/**
 * On a miss: a global entry for `va` cached under another ASID of this hart
 * is valid in every address space, so it is copied into the current bank
 * (`e`, the entry the lookup missed) instead of walking. Returns the
 * physical address, or 0 when there is none. Only runs while some bank
 * holds a global entry, so Linux-ABI processes (no G PTEs) never pay for it.
 */
function globalHit(va: u64, e: usize): u64 {
  const rel = e - gTlbBank;
  if (rel >= usize(TLB_BANK_SIZE)) return 0; // the bare set: never global
  const valid = u32(load<u8>(STATE + ASID_BANK_VALID));
  for (let b: u32 = 0; b < u32(TLB_BANKS); b++) {
    if (((valid >> b) & 1) == 0) continue;
    const src = gTlbHart + usize(b) * TLB_BANK_SIZE + rel;
    if (src == e || load<u64>(src) != (va >> 12) || (load<u8>(gflag(src)) & 1) == 0) continue;
    const add = load<u64>(src, 8);
    fillBank(e, va >> 12, add, load<u8>(gflag(src)));
    gTlbHits++;
    return (va + add) - RAM_HOST + RAM_BASE;
  }
  return 0;
}

// ---- Page walk --------------------------------------------------------------
/**
 * Translate `va` for an access of kind `acc` at the current effective privilege.
 * Returns the physical address, or raises a page/access fault (gExc) and returns 0.
 * Refills the TLB when the page is RAM and the access can be repeated without a walk.
 */
export function translate(va: u64, acc: i32): u64 {
  const priv = acc == ACC_FETCH ? u32(load<u64>(STATE + PRIV)) : gDataPriv;
  if (acc == ACC_FETCH ? gFetchBare : gDataBare) return va;
  if (load<u8>(STATE + ASID_GLOBALS) != 0) {
    const t = acc == ACC_FETCH ? gTlbX : acc == ACC_READ ? gTlbR : gTlbW;
    const ge = t + (usize((va >> 12) & (TLB_ENTRIES - 1)) << 4);
    if (load<u64>(ge) != (va >> 12)) {
      const gpa = globalHit(va, ge);
      if (gpa != 0) return gpa;
    }
  }
  store<u64>(STATE + TLB_MISSES, load<u64>(STATE + TLB_MISSES) + 1);
  // Canonical check: bits 63..39 must equal bit 38.
  const hi = i64(va) >> 38;
  if (hi != 0 && hi != -1) { raise(pageFault(acc), va); return 0; }
  const satp = load<u64>(STATE + SATP);
  let a: u64 = (satp & 0xFFFFFFFFFFF) << 12;
  const ms = load<u64>(STATE + MSTATUS);
  for (let level: i32 = 2; level >= 0; level--) {
    const pteAddr = a + (((va >> (12 + 9 * u64(level))) & 511) << 3);
    const off = pteAddr - RAM_BASE;
    if (off > gRamSize - 8) { raise(accessFault(acc), va); return 0; }
    const host = usize(off) + RAM_HOST;
    let pte = load<u64>(host);
    const v = pte & 1, r = (pte >> 1) & 1, w = (pte >> 2) & 1, x = (pte >> 3) & 1;
    if (v == 0 || (r == 0 && w == 1) || (pte >> 54) != 0) { raise(pageFault(acc), va); return 0; }
    const ppn = (pte >> 10) & 0xFFFFFFFFFFF;
    if (r == 0 && x == 0) {
      // Pointer to the next level; D, A and U must be clear on non-leaf PTEs.
      if ((pte & 0xD0) != 0 || level == 0) { raise(pageFault(acc), va); return 0; }
      a = ppn << 12;
      continue;
    }
    // Leaf: permission checks.
    const u = (pte >> 4) & 1;
    if (priv == 0) {
      if (u == 0) { raise(pageFault(acc), va); return 0; }
    } else if (u == 1) {
      if (acc == ACC_FETCH || (ms & (1 << 18)) == 0) { raise(pageFault(acc), va); return 0; }
    }
    if (acc == ACC_FETCH) {
      if (x == 0) { raise(pageFault(acc), va); return 0; }
    } else if (acc == ACC_READ) {
      if (r == 0 && !(x == 1 && (ms & (1 << 19)) != 0)) { raise(pageFault(acc), va); return 0; }
    } else if (w == 0) { raise(pageFault(acc), va); return 0; }
    // Superpage alignment.
    if (level > 0 && (ppn & ((u64(1) << (9 * u64(level))) - 1)) != 0) { raise(pageFault(acc), va); return 0; }
    // Hardware A/D update.
    let nd: u64 = pte | 0x40;
    if (acc == ACC_WRITE) nd |= 0x80;
    if (nd != pte) { store<u64>(host, nd); pte = nd; }
    const pageMask: u64 = (u64(1) << (12 + 9 * u64(level))) - 1;
    const pa = ((ppn << 12) & ~pageMask) | (va & pageMask);
    // Refill: RAM pages only; S-mode entries only for non-U pages; reads only with R.
    const poff = (pa & ~u64(0xfff)) - RAM_BASE;
    if (poff <= gRamSize - 4096 && u == (priv == 0 ? 1 : 0) && (acc != ACC_READ || r == 1)) {
      if (level > 0) store<u64>(STATE + SUPERPAGE_CACHED, 1);
      // The entry's TLB_GLOBAL byte: bit 0 the G bit, bits 1-2 the level of its leaf (address fences of superpages).
      const g = u8(((pte >> 5) & 1) | (u64(level) << 1));
      if ((g & 1) != 0) store<u8>(STATE + ASID_GLOBALS, 1);
      const tlb = acc == ACC_FETCH ? gTlbX : acc == ACC_READ ? gTlbR : gTlbW;
      const e = tlb + (usize((va >> 12) & (TLB_ENTRIES - 1)) << 4);
      // A page holding translated code gets no write entry: its stores must reach physStore().
      if (acc != ACC_WRITE || !isCodePage(poff)) fillBank(e, va >> 12, (poff + RAM_HOST) - (va & ~u64(0xfff)), g);
      // A write entry is also a read entry once D is set; fill it too.
      if (acc == ACC_WRITE && r == 1) {
        const er = gTlbR + (usize((va >> 12) & (TLB_ENTRIES - 1)) << 4);
        fillBank(er, va >> 12, (poff + RAM_HOST) - (va & ~u64(0xfff)), g);
      }
    }
    return pa;
  }
  raise(pageFault(acc), va);
  return 0;
}

// ---- Physical access ------------------------------------------------------
@inline function hartStateBase(hart: u32): usize {
  return hart == load<u32>(MACHINE + M_ACTIVE_HART) ? STATE : HART_SAVE + hart * STATE_SIZE;
}


function clintRead(off: u32, width: u32): u64 {
  const nharts = load<u32>(MACHINE + 16);
  let v: u64 = 0;
  let sh: u32 = 0;
  if (off < 0x4000) {
    const h = off >> 2;
    if (h >= nharts) return 0;
    v = load<u64>(hartStateBase(h) + MSIP);
    sh = (off & 3) << 3;
  } else if (off >= 0x4000 && off < 0xBFF8) {
    const h = (off - 0x4000) >> 3;
    if (h >= nharts) return 0;
    v = load<u64>(hartStateBase(h) + MTIMECMP);
    sh = (off & 7) << 3;
  } else if (off >= 0xBFF8) {
    v = gMtimeNow;
    sh = (off - 0xBFF8) << 3;
  }
  v = v >> sh;
  return width == 8 ? v : v & ((u64(1) << (width << 3)) - 1);
}

function clintWrite(off: u32, width: u32, val: u64): void {
  const nharts = load<u32>(MACHINE + 16);
  gClintWritten = true;
  if (off < 0x4000) {
    const h = off >> 2;
    if (h < nharts && (off & 3) == 0) store<u64>(hartStateBase(h) + MSIP, val & 1);
    return;
  }
  let addr: usize = 0;
  let sh: u32 = 0;
  if (off < 0xBFF8) {
    const h = (off - 0x4000) >> 3;
    if (h >= nharts) return;
    addr = hartStateBase(h) + MTIMECMP;
    sh = (off & 7) << 3;
  } else {
    addr = MACHINE + M_MTIME;
    sh = (off - 0xBFF8) << 3;
  }
  const mask: u64 = width == 8 ? <u64>-1 : ((u64(1) << (width << 3)) - 1) << sh;
  let cur = addr == MACHINE + M_MTIME ? gMtimeNow : load<u64>(addr);
  cur = (cur & ~mask) | ((val << sh) & mask);
  store<u64>(addr, cur);
  if (addr == MACHINE + M_MTIME) gMtimeNow = cur;
}

/** Load `width` bytes from physical `pa` that is not in RAM. */
function loadIo(pa: u64, width: u32, acc: i32): u64 {
  if (pa - u64(CLINT_BASE) < u64(CLINT_SIZE)) return clintRead(u32(pa - CLINT_BASE), width);
  if (pa >= 0x100000000) { raise(accessFault(acc), pa); return 0; }
  if (width == 8) {
    const lo = mmioRead(u32(pa), 4);
    const hi = mmioRead(u32(pa) + 4, 4);
    if (lo < 0 || hi < 0) { raise(accessFault(acc), pa); return 0; }
    return u64(u32(lo)) | (u64(u32(hi)) << 32);
  }
  const v = mmioRead(u32(pa), width);
  if (v < 0) { raise(accessFault(acc), pa); return 0; }
  return u64(u32(v));
}

function storeIo(pa: u64, width: u32, val: u64): void {
  if (pa - u64(CLINT_BASE) < u64(CLINT_SIZE)) { clintWrite(u32(pa - CLINT_BASE), width, val); return; }
  if (pa >= 0x100000000) { raise(7, pa); return; }
  let r: i32;
  if (width == 8) {
    r = mmioWrite(u32(pa), 4, u32(val));
    if (r != 1) r |= mmioWrite(u32(pa) + 4, 4, u32(val >> 32));
  } else {
    r = mmioWrite(u32(pa), width, u32(val));
  }
  if (r == 1) raise(7, pa);
  else if (r == 2) gHostWants = true;
}

@inline function ramLoad(off: u64, width: u32): u64 {
  const h = usize(off) + RAM_HOST;
  if (width == 8) return load<u64>(h);
  if (width == 4) return u64(load<u32>(h));
  if (width == 2) return u64(load<u16>(h));
  return u64(load<u8>(h));
}

@inline function ramStore(off: u64, width: u32, v: u64): void {
  const h = usize(off) + RAM_HOST;
  if (width == 8) store<u64>(h, v);
  else if (width == 4) store<u32>(h, u32(v));
  else if (width == 2) store<u16>(h, u16(v));
  else store<u8>(h, u8(v));
}

/** Physical load of `width` bytes (zero-extended). Raises access faults. */
export function physLoad(pa: u64, width: u32, acc: i32): u64 {
  const off = pa - RAM_BASE;
  if (off <= gRamSize - width) return ramLoad(off, width);
  return loadIo(pa, width, acc);
}

export function physStore(pa: u64, width: u32, v: u64): void {
  const off = pa - RAM_BASE;
  if (off <= gRamSize - width) {
    if (isCodePage(off)) codePageWritten(off, width);
    ramStore(off, width, v);
    return;
  }
  storeIo(pa, width, v);
}

/** With translation off, cache the identity mapping of a RAM page for `acc` (and reads, for writes). */
function fillBare(va: u64, acc: i32): void {
  const poff = (va & ~u64(0xfff)) - RAM_BASE;
  if (poff > gRamSize - 4096) return;
  const tag = va >> 12;
  const add = (poff + RAM_HOST) - (va & ~u64(0xfff));
  const idx = usize(tag & (TLB_ENTRIES - 1)) << 4;
  const t = acc == ACC_WRITE && !isCodePage(poff) ? gTlbW : gTlbR;
  fillBareEntry(t + idx, tag, add);
  if (acc == ACC_WRITE) fillBareEntry(gTlbR + idx, tag, add);
}

/** Store a TLB entry of the bare set (fillBare), logging it; the bare set has no global flags. */
@inline function fillBareEntry(e: usize, tag: u64, add: u64): void {
  logAdd(gTlbHart + TLB_BARE, gLogBare, e, tag);
  store<u64>(e, tag);
  store<u64>(e, add, 8);
}

// ---- Virtual access: slow paths ---------------------------------------------
/** Load through translation; handles page-crossing misaligned accesses bytewise. */
export function loadSlow(va: u64, width: u32): u64 {
  if ((va & 0xfff) + width > 0x1000) {
    let v: u64 = 0;
    for (let i: u32 = 0; i < width; i++) {
      const b = loadSlow(va + i, 1);
      if (gExc >= 0) return 0;
      v |= b << (u64(i) << 3);
    }
    return v;
  }
  const pa = translate(va, ACC_READ);
  if (gExc >= 0) return 0;
  if (gDataBare) fillBare(va, ACC_READ);
  return physLoad(pa, width, ACC_READ);
}

export function storeSlow(va: u64, width: u32, v: u64): void {
  if ((va & 0xfff) + width > 0x1000) {
    // Translate both pages first so that a fault leaves memory unchanged.
    translate(va, ACC_WRITE);
    if (gExc >= 0) return;
    translate((va + width - 1), ACC_WRITE);
    if (gExc >= 0) { gExcVal = va; return; }
    for (let i: u32 = 0; i < width; i++) {
      storeSlow(va + i, 1, v >> (u64(i) << 3));
      if (gExc >= 0) return;
    }
    return;
  }
  const pa = translate(va, ACC_WRITE);
  if (gExc >= 0) return;
  if (gDataBare) fillBare(va, ACC_WRITE);
  physStore(pa, width, v);
}

// ---- Virtual access: inline fast paths ------------------------------------
/**
 * Host address for a `width`-byte read at `va` when the TLB holds its page
 * (and the access stays inside it), else 0. The caller counts the hit.
 */
@inline export function fastRead(va: u64, width: u32): usize {
  const e = gTlbR + (usize((va >> 12) & (TLB_ENTRIES - 1)) << 4);
  if (load<u64>(e) == (va >> 12) && (va & 0xfff) <= 0x1000 - width) return usize(va + load<u64>(e, 8));
  return 0;
}

/** Host address for a `width`-byte write at `va` on a TLB hit, else 0. The caller counts the hit. */
@inline export function fastWrite(va: u64, width: u32): usize {
  const e = gTlbW + (usize((va >> 12) & (TLB_ENTRIES - 1)) << 4);
  if (load<u64>(e) == (va >> 12) && (va & 0xfff) <= 0x1000 - width) return usize(va + load<u64>(e, 8));
  return 0;
}

@inline export function vload(va: u64, width: u32): u64 {
  const h = fastRead(va, width);
  if (h != 0) {
    gTlbHits++;
    if (width == 8) return load<u64>(h);
    if (width == 4) return u64(load<u32>(h));
    if (width == 2) return u64(load<u16>(h));
    return u64(load<u8>(h));
  }
  return loadSlow(va, width);
}

@inline export function vstore(va: u64, width: u32, v: u64): void {
  const h = fastWrite(va, width);
  if (h != 0) {
    gTlbHits++;
    if (width == 8) store<u64>(h, v);
    else if (width == 4) store<u32>(h, u32(v));
    else if (width == 2) store<u16>(h, u16(v));
    else store<u8>(h, u8(v));
    return;
  }
  storeSlow(va, width, v);
}

/** Add hits counted by the interpreter in a local. */
export function addTlbHits(n: u64): void { gTlbHits += n; }

/** Flush the TLB hit counter into the hart state (done when a slice ends). */
export function commitTlbHits(): void {
  store<u64>(STATE + TLB_HITS, load<u64>(STATE + TLB_HITS) + gTlbHits);
  gTlbHits = 0;
}
