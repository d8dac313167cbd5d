// The interpreter's side of the second execution tier (hw/jit/): finding a
// translated region for a pc, counting how hot an untranslated pc is, calling
// the region, and the invalidation hooks the MMU and the privileged
// instructions call.
//
// A region is a wasm function made by hw/jit/ for one 4 KiB guest page. It is
// entered only at taken branches and jumps (where the interpreter checks the
// budget anyway), only when the fetch translation of the pc hits the fetch TLB
// (or translation is off), and only when the entry was made for the same
// virtual pc and the same host address: the region is then exactly the code
// the interpreter would fetch under the current translation, so remapping a
// page (satp, sfence.vma) can never run stale code. Stores to a page that
// holds translated code always take the slow path (such pages never get a
// write TLB entry), where physStore() drops the page's regions.
//
// Concepts: C15 (memory hierarchy: translated code is a cache that guest
// stores keep coherent), C52 (the fetch TLB decides which code a pc means),
// C12 (regions leave at taken branches when the timer is due).
import {
  MACHINE, M_JIT_GEN, M_JIT_HOT, M_JIT_INSNS, M_JIT_CALLS, M_JIT_FLUSHES, M_JIT_PAGE_WRITES,
  JIT_ENTRIES, JIT_ENTRY_COUNT, TLB, TLB_PER_HART, TLB_SIZE, TLB_ENTRIES, RAM_HOST,
  TLB_BANKS, TLB_BANK_SIZE, TLB_BANK_KINDS,
  M_NHARTS, M_JIT_ON, JIT_CODE_PAGES, M_JIT_WARM, M_JIT_CHAINS, STATE, PC,
  M_JIT_DEBT, M_JIT_DEBT_MIN, M_JIT_SAMPLE, M_JIT_EPOCH, M_JIT_EPOCH_LEN, M_JIT_EPOCH_LEFT,
  M_JIT_PAY, M_JIT_PAID, M_JIT_HOT_TOTAL,
} from "./layout";
import { logOf, logKnows, logSlot } from "./tlblog";

/**
 * Translate the page holding guest pc (lo, hi) at host address `host`; fills
 * entry slots. `owed` (1) lets the translation be made while the budget is
 * spent: the pc is hot by its arrivals over all epochs.
 */
@external("env", "jitCompile") declare function jitCompile(pcLo: u32, pcHi: u32, host: u32, owed: u32): void;
/**
 * A guest store of `width` bytes hit RAM offset `ramOff` in a page that holds
 * translated code. The host drops the regions made from bytes it overlaps (and
 * unmarks the page when none is left).
 */
@external("env", "jitPageWritten") declare function jitPageWritten(ramOff: u32, width: u32): void;

/** The host flushed the TLB entries of virtual page `va`: drop the regions made for that virtual page. */
@external("env", "jitFlushVa") declare function jitFlushVa(vaLo: u32, vaHi: u32): void;

const NOT_TRANSLATABLE: u32 = 0xFFFFFFFF;

/** Whether the JIT is on (M_JIT_ON); read at slow points only. */
@inline export function jitOn(): bool { return load<u32>(MACHINE + M_JIT_ON) != 0; }

/**
 * The global warm-up (M_JIT_WARM, in retired instructions): while it lasts,
 * the interpreter does not stop at taken branches to look for translated code
 * (nextLimit() in hart.ts) and nothing is translated. Short programs
 * (`echo hello`, busybox start-up) then pay nothing for the tier: a
 * translation and V8's compilation of it cost more than they would ever save
 * there, and so does looking up every taken branch in the entry table.
 */
@inline export function jitWarming(): bool { return load<u64>(MACHINE + M_JIT_WARM) != 0; }

/** Instructions to run before looking for translated code again after a taken branch found none (hart.ts gJitNext). */
@inline export function jitSample(): i64 { return i64(load<u32>(MACHINE + M_JIT_SAMPLE)); }

/**
 * At the end of a slice, count its `insns` retired instructions off the
 * warm-up and off the translation budget's debt: each translation adds a
 * debt of instructions (hw/jit/jit.ts) that must retire before the next one,
 * so translation can take only a bounded share of the machine's time; the
 * debt goes down to a floor that lets a few translations be saved up.
 * Instructions retired in translated code count M_JIT_PAY times: code that
 * spends its time in regions is where translation pays, so it gets its next
 * regions sooner than code that mostly interprets (a short program's start-up).
 */
@inline export function jitRetired(insns: i64): void {
  const w = load<u64>(MACHINE + M_JIT_WARM);
  if (w != 0) store<u64>(MACHINE + M_JIT_WARM, w > u64(insns) ? w - u64(insns) : 0);
  const j = load<u64>(MACHINE + M_JIT_INSNS);
  const pay = load<u32>(MACHINE + M_JIT_PAY);
  const extra = pay > 1 ? i64(j - load<u64>(MACHINE + M_JIT_PAID)) * i64(pay - 1) : 0;
  store<u64>(MACHINE + M_JIT_PAID, j);
  const d = load<i64>(MACHINE + M_JIT_DEBT) - insns - extra;
  const floor = load<i64>(MACHINE + M_JIT_DEBT_MIN);
  store<i64>(MACHINE + M_JIT_DEBT, d > floor ? d : floor);
  const len = load<u32>(MACHINE + M_JIT_EPOCH_LEN);
  if (len == 0) return;
  const left = load<i64>(MACHINE + M_JIT_EPOCH_LEFT) - insns;
  if (left > 0) { store<i64>(MACHINE + M_JIT_EPOCH_LEFT, left); return; }
  store<i64>(MACHINE + M_JIT_EPOCH_LEFT, i64(len));
  store<u32>(MACHINE + M_JIT_EPOCH, load<u32>(MACHINE + M_JIT_EPOCH) + 1);
}

/** Drop every translated region (fence.i, host TLB flushes): a new generation empties the entry table. */
export function jitFlushAll(): void {
  if (!jitOn()) return;
  store<u32>(MACHINE + M_JIT_GEN, load<u32>(MACHINE + M_JIT_GEN) + 1);
  store<u64>(MACHINE + M_JIT_FLUSHES, load<u64>(MACHINE + M_JIT_FLUSHES) + 1);
}

/**
 * The host (a kernel in TypeScript) flushed the translation of virtual page
 * `va`, typically because it unmapped or replaced the page. The host writes
 * guest RAM directly, not through stores this tier sees, so the page's
 * regions must go: the physical page may come back holding other code.
 */
export function jitFlushPage(va: u64): void {
  if (!jitOn()) return;
  jitFlushVa(u32(va), u32(va >> 32));
}

/** Whether RAM page `page` holds translated code (its stores must take the slow path). */
@inline export function isCodePage(ramOff: u64): bool {
  return load<u8>(usize(JIT_CODE_PAGES) + usize(ramOff >> 12)) != 0;
}

/** A store reached RAM offset `ramOff` of a code page: drop what it overwrote before the code runs again. */
export function codePageWritten(ramOff: u64, width: u32): void {
  store<u64>(MACHINE + M_JIT_PAGE_WRITES, load<u64>(MACHINE + M_JIT_PAGE_WRITES) + 1);
  jitPageWritten(u32(ramOff), width);
}

/**
 * Mark RAM page `page` as holding translated code: drop every hart's write TLB
 * entries that point at it, so that the next store to it takes the slow path.
 */
export function jitMarkCodePage(page: u32): void {
  // Already marked: no write TLB entry can point at it (fills refuse a marked page).
  if (load<u8>(usize(JIT_CODE_PAGES) + usize(page)) != 0) return;
  store<u8>(usize(JIT_CODE_PAGES) + usize(page), 1);
  const host = u64(RAM_HOST) + (u64(page) << 12);
  const n = load<u32>(MACHINE + M_NHARTS);
  for (let h: u32 = 0; h < n; h++) {
    const base: usize = TLB + h * TLB_PER_HART;
    // Every set of tables (each ASID bank, then the bare set, which follows
    // the last bank); a set's write tables are its kinds k with k % 3 == 1.
    // Only the entries in the set's refill log can be valid (mmu.ts logAdd),
    // so those are all a set costs, unless its log overflowed.
    for (let s: usize = 0; s <= usize(TLB_BANKS); s++) {
      const set = base + s * TLB_BANK_SIZE;
      const log = logOf(base, s);
      const cnt = load<u32>(log);
      if (!logKnows(cnt)) { // never emptied, or overflowed
        const kinds: usize = s == usize(TLB_BANKS) ? 3 : usize(TLB_BANK_KINDS);
        for (let k: usize = 1; k < kinds; k += 3) {
          const t = set + k * TLB_SIZE;
          for (let i: usize = 0; i < usize(TLB_ENTRIES); i++) dropIfHost(t + (i << 4), host);
        }
      } else {
        for (let j: usize = 0; j < usize(cnt - 1); j++) {
          const i = usize(load<u16>(logSlot(log, j)));
          if ((i / usize(TLB_ENTRIES)) % 3 == 1) dropIfHost(set + (i << 4), host);
        }
      }
    }
  }
}

/** Invalidate the TLB entry at `e` if it maps the page at host address `host`. */
@inline function dropIfHost(e: usize, host: u64): void {
  const tag = load<u64>(e);
  if (tag != <u64>-1 && (tag << 12) + load<u64>(e, 8) == host) store<u64>(e, <u64>-1);
}

/**
 * Try to run translated code at `pc` with `count` instructions retired so far
 * in this slice and `limit` the count at which the slice's slow checks are due.
 * `fetchBare`/`tlbX` describe the fetch translation, `tlbR`/`tlbW` the data
 * TLBs of the current mode. Returns -1 when nothing ran, else
 * (count after the region << 1) | 1 if it left through a taken branch or jump
 * (the caller runs the checks due there), with PC and registers written back.
 */
export function jitTry(pc: u64, count: i64, limit: i64, fetchBare: bool, tlbX: usize, tlbR: usize, tlbW: usize,
                       ramBase: u64, ramSize: u64): i64 {
  let host: u64;
  if (fetchBare) {
    const poff = (pc & ~u64(0xfff)) - ramBase;
    if (poff > ramSize - 4096) return -1;
    host = pc - ramBase + RAM_HOST;
  } else {
    const e = tlbX + (usize((pc >> 12) & (TLB_ENTRIES - 1)) << 4);
    if (load<u64>(e) != (pc >> 12)) return -1; // the interpreter fetches (and refills) first
    host = pc + load<u64>(e, 8);
  }
  const ent: usize = usize(JIT_ENTRIES) + (usize((pc >> 1) & (JIT_ENTRY_COUNT - 1)) << 5);
  const gen = load<u32>(MACHINE + M_JIT_GEN);
  let again = false;
  if (load<u64>(ent) != pc || load<u32>(ent, 8) != u32(host) || load<u32>(ent, 24) != gen) {
    // A slot left from an earlier generation with a region for this very pc
    // and host address: that code was hot, and the host can most likely
    // register its region again without translating (after every context
    // switch), so ask at once instead of counting hotness from zero.
    const old = load<u32>(ent, 12);
    const same = load<u64>(ent) == pc && load<u32>(ent, 8) == u32(host);
    again = same && old != 0 && old != NOT_TRANSLATABLE;
    if (!same) store<u16>(ent, 0, 30); // another pc's arrivals
    store<u64>(ent, pc);
    store<u32>(ent, u32(host), 8);
    store<u32>(ent, 0, 12);
    store<u32>(ent, 0, 16);
    store<u32>(ent, 0, 20);
    store<u32>(ent, gen, 24);
  }
  let fn = load<u32>(ent, 12);
  if (fn == 0) {
    // Arrivals over all epochs (a pc asking again after a flush is not one more).
    let total = u32(load<u16>(ent, 30));
    if (!again && total < 0xFFFF) { total++; store<u16>(ent, u16(total), 30); }
    const totalHot = load<u32>(MACHINE + M_JIT_HOT_TOTAL);
    const byTotal = totalHot != 0 && total >= totalHot;
    if (!again) {
      // Hotness is a rate: only arrivals within one epoch count (a pc whose
      // count is from an earlier epoch starts again), so code that runs
      // often over a long time but never densely (python3's start-up) is
      // not translated at once, while a loop is. But a pc that keeps coming
      // back over many epochs is hot too (M_JIT_HOT_TOTAL arrivals in all):
      // each arrival that finds no region costs the interpreter a sample's
      // worth of instructions, and past that count they add up to more than
      // a translation costs. (python3's sum of squares: pcs looked up ~85
      // times an epoch for 2,500 epochs kept 10 % of its instructions, and a
      // quarter of its time, in the interpreter.)
      const ep = u16(load<u32>(MACHINE + M_JIT_EPOCH));
      if (load<u16>(ent, 28) != ep) { store<u16>(ent, ep, 28); store<u32>(ent, 0, 20); }
      const hot = load<u32>(ent, 20) + 1;
      store<u32>(ent, hot, 20);
      if (hot < load<u32>(MACHINE + M_JIT_HOT) && !byTotal) return -1;
      // Hot, but translations are coming faster than the machine's work
      // pays for them: count this pc's hotness again from zero, so that what
      // stays hot is translated when the budget allows, and code that was
      // only warm (a short program's start-up) never is.
      // A pc hot by its arrivals over all epochs has cost the interpreter
      // about a translation already: the budget does not hold it back.
      if (load<i64>(MACHINE + M_JIT_DEBT) > 0 && !byTotal) { store<u32>(ent, 0, 20); return -1; }
    }
    jitCompile(u32(pc), u32(pc >> 32), u32(host), u32(byTotal));
    // The compiler may have started a new generation (cache full) or found nothing to translate.
    if (load<u64>(ent) != pc || load<u32>(ent, 24) != load<u32>(MACHINE + M_JIT_GEN)) return -1;
    fn = load<u32>(ent, 12);
    if (fn == 0) { store<u32>(ent, NOT_TRANSLATABLE, 12); return -1; }
  }
  if (fn == NOT_TRANSLATABLE) return -1;
  const start = count;
  let blk = load<u32>(ent, 16);
  let chains: u64 = 0;
  let r: i64;
  // Chaining: while a region leaves through a taken branch or jump and the
  // slice's checks are not due, the next region is looked up and called here,
  // with exactly the checks above (fetch translation, slot pc, host address,
  // generation, a region already translated); anything else (no region yet,
  // hotness to count, a translation to make, checks due) returns to
  // takenSlow(), which does what it always did. Regions used to do this
  // lookup themselves and tail-call through the core's table, but a module
  // that imports the table makes V8 copy the whole table into every new
  // instance and update every instance at each table.set(): quadratic in the
  // number of regions (python3: ~1,700 regions, over a second of
  // instantiation). Here the table has one importer, the core.
  while (true) {
    r = call_indirect<i64>(fn, count, limit, u32(tlbR), u32(tlbW), blk);
    if ((r & 1) == 0) break;
    count = r >> 1;
    if (count >= limit) break;
    const npc = load<u64>(STATE + PC);
    let nhost: u64;
    if (fetchBare) {
      if ((npc & ~u64(0xfff)) - ramBase > ramSize - 4096) break;
      nhost = npc - ramBase + RAM_HOST;
    } else {
      const e = tlbX + (usize((npc >> 12) & (TLB_ENTRIES - 1)) << 4);
      if (load<u64>(e) != (npc >> 12)) break;
      nhost = npc + load<u64>(e, 8);
    }
    const nent: usize = usize(JIT_ENTRIES) + (usize((npc >> 1) & (JIT_ENTRY_COUNT - 1)) << 5);
    if (load<u64>(nent) != npc || load<u32>(nent, 8) != u32(nhost) || load<u32>(nent, 24) != load<u32>(MACHINE + M_JIT_GEN)) break;
    fn = load<u32>(nent, 12);
    if (fn - 1 >= NOT_TRANSLATABLE - 1) break; // 0 (not yet translated) or NOT_TRANSLATABLE
    blk = load<u32>(nent, 16);
    chains++;
  }
  store<u64>(MACHINE + M_JIT_INSNS, load<u64>(MACHINE + M_JIT_INSNS) + u64((r >> 1) - start));
  store<u64>(MACHINE + M_JIT_CALLS, load<u64>(MACHINE + M_JIT_CALLS) + 1);
  store<u64>(MACHINE + M_JIT_CHAINS, load<u64>(MACHINE + M_JIT_CHAINS) + chains);
  return r;
}
