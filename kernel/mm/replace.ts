// Page replacement under a per-process frame budget (local replacement).
//
// A process whose RLIMIT_RSS is finite gets a budget of floor(rlim_cur /
// 4096) frames (at least 1). The budget counts exactly one kind of page:
// the *budgeted* pages, those of private anonymous mmap regions (a VMA with
// no backing, not MAP_SHARED, neither the [stack] nor the [heap], and above
// the program's break start: the ELF loader's bss lies below it). Code,
// data, bss, the stack, brk memory and file pages are never counted, so that a
// demo touching its pages in the order of a textbook reference string gets
// the textbook fault count - its loop, stack and libc never disturb it.
//
// When a budgeted page faults and the process already holds `limit`
// budgeted pages, the current replacement policy (vm.replacement_policy,
// global; vmstate.ts) picks one of *its own* budgeted pages and evicts it.
// There is no swap yet, and anonymous memory is the only copy of its data,
// so an evicted page is not freed: its PTE is cleared (reverse map updated,
// TLB entry flushed on every hart, like sfence.vma), and its frame is kept
// in the address space's in-kernel backing (`held`, a tiny swap cache in
// kernel frames outside the budget). The next touch faults, finds the frame
// there and maps it again: a refault, counted as a fault of the budget.
// With swap on (swap.ts), an evicted page goes to a swap slot instead and
// its frame is freed; its PTE holds the swap entry and the refault reads it
// back (fault.ts). `held` is then only the fallback when swap is full.
//
// Policies (the reference bit is the PTE's A bit, which the MMU sets in
// hardware on a table walk, hw/core/mmu.ts; clearing it needs a TLB flush of
// the page so the next access walks again and sets it):
//   fifo       oldest arrival;
//   clock      second chance: the hand skips (and clears) pages with A set;
//   nru        lowest class of (A, D): 0 = !A!D, 1 = !A D, 2 = A !D, 3 = A D,
//              oldest first in a class; A bits are cleared every NRU_PERIOD
//              budget faults;
//   lru        aging: at every budget fault each page's 8-bit counter is
//              shifted right with A as the new top bit (then A is cleared);
//              the smallest counter goes (an approximation of LRU);
//   lru-exact  exact LRU for teaching, slow: only the most recently used
//              budgeted page is mapped valid, the others stay resident but
//              their PTEs are cleared (`held` while in `resident`), so every
//              touch of another page traps and records the reference;
//   lfu        use counts sampled from A at every budget fault; least goes;
//   random     a seeded xorshift generator (deterministic);
//   2q         Linux-like active/inactive lists: new pages go inactive, a
//              page seen referenced is promoted, an active page seen idle is
//              demoted, the oldest unreferenced inactive page goes.
// Every policy's state is plain data in the address space's FrameBudget.
//
// Concepts: C54 (page replacement: FIFO, second chance, NRU, LRU, LFU,
// random, two lists, on the A and D bits of the real page tables, under a
// per-process frame budget), C55 (thrashing detection), C53 (demand
// paging: a refault brings the page back).
import type { MM, MmContext, Vma } from "./mm.js";
import { PAGE_SIZE } from "./phys.js";
import { walk, readPte, writePte, ptePa, PTE_V, PTE_A, PTE_D } from "./pagetable.js";
import { rmapAdd, rmapRemove } from "./rmap.js";
import { putFrame } from "./phys.js";
import { MAP_SHARED, MAP_GROWSDOWN } from "../abi/mman.js";
import { swapAvailable, swapOutPage } from "./swap.js";

/** The policy names, as /proc/sys/vm/replacement_policy and --mm-policy take them. */
export const REPLACEMENT_POLICIES = ["fifo", "clock", "nru", "lru", "lru-exact", "lfu", "random", "2q"] as const;
export type ReplacementPolicy = (typeof REPLACEMENT_POLICIES)[number];
export const P_FIFO = 0, P_CLOCK = 1, P_NRU = 2, P_LRU = 3, P_LRU_EXACT = 4, P_LFU = 5, P_RANDOM = 6, P_2Q = 7;

/** NRU clears every reference bit after this many budget faults (its "clock interrupt"). */
export const NRU_PERIOD = 4;

/** The index of a policy name, or -1. */
export function replacementPolicyIndex(name: string): number {
  return (REPLACEMENT_POLICIES as readonly string[]).indexOf(name.trim());
}

/** One resident budgeted page. */
export interface BudgetPage {
  va: number;
  /** Arrival order (FIFO; for 2q the time it entered its list). */
  arrival: number;
  /** Last use (lru-exact). */
  lastUse: number;
  /** Aging counter (lru), use count (lfu). */
  age: number;
  freq: number;
  /** On the active list (2q). */
  active: boolean;
}

/** A process's frame budget and its replacement state (per address space, plain data). */
export interface FrameBudget {
  /** Frames the budgeted pages may hold. */
  limit: number;
  /** Policy the state below was built for (a run-time switch resets the lru-exact parking). */
  policy: number;
  /** Resident budgeted pages, one slot per frame (clock's circle). */
  resident: BudgetPage[];
  /** Pages whose PTE is cleared but whose frame is kept: va -> the PTE it had. */
  held: Map<number, number>;
  /** Clock hand (slot index). */
  hand: number;
  /** Logical time: arrivals and uses. */
  tick: number;
  /** lru-exact: the one budgeted page mapped valid (-1: none). */
  mru: number;
  /** xorshift32 state (random). */
  rng: number;
  /** Budget faults (first touches and refaults), refaults, evictions, traps on parked pages (lru-exact references). */
  faults: number;
  refaults: number;
  evictions: number;
  refs: number;
  /** Thrashing detector: CPU time (ns) where the current window began (-1: none yet), refaults at that point, in an episode. */
  winCpuNs: number;
  winRefaults: number;
  thrashing: boolean;
  /** Thrashing episodes seen. */
  episodes: number;
}

function newBudget(limit: number, policy: number, seed: number): FrameBudget {
  return {
    limit, policy, resident: [], held: new Map(), hand: 0, tick: 0, mru: -1, rng: (seed >>> 0) || 0x2545f491,
    faults: 0, refaults: 0, evictions: 0, refs: 0, winCpuNs: -1, winRefaults: 0, thrashing: false, episodes: 0,
  };
}

/** Whether pages of `v` count against a frame budget (see the top of this file). */
export function budgeted(mm: MM, v: Vma): boolean {
  return v.backing === null && v.start >= mm.brkStart && (v.flags & (MAP_SHARED | MAP_GROWSDOWN)) === 0 && v.name !== "[stack]" && v.name !== "[heap]";
}

/** RLIMIT_RSS (bytes) to a budget in frames: 0 = none (infinite or larger than any address space). */
export function budgetFrames(rssLimit: number): number {
  if (!(rssLimit < 2 ** 52)) return 0;
  return Math.max(1, Math.floor(rssLimit / PAGE_SIZE));
}

function flush(ctx: MmContext, va: number): void {
  ctx.kernel!.core.flushTlbPageAllHarts(va);
}

/** Clear the PTE of resident page `va` and keep its frame (eviction, or lru-exact parking). */
function holdPage(ctx: MmContext, mm: MM, b: FrameBudget, va: number): void {
  if (b.held.has(va)) return;
  const a = walk(ctx.pm, mm.root, va, false);
  if (a === 0) return;
  const pte = readPte(ctx.pm, a);
  if (!(pte & PTE_V)) return;
  writePte(ctx.pm, a, 0);
  rmapRemove(ctx.pm, ptePa(pte), mm.id, va);
  // mm.rss keeps counting it: the frame is still this process's memory in
  // RAM (the OOM killer's badness must see it), only unmapped.
  flush(ctx, va);
  b.held.set(va, pte);
}

/** Send resident page `va` to swap (swap.ts); false when there is no room on swap (or no swap). */
function swapOutBudgeted(ctx: MmContext, mm: MM, b: FrameBudget, va: number): boolean {
  if (b.held.has(va) || !swapAvailable(ctx.vm.swap)) return false;
  const a = walk(ctx.pm, mm.root, va, false);
  if (a === 0) return false;
  const pte = readPte(ctx.pm, a);
  if (!(pte & PTE_V)) return false;
  return swapOutPage(ctx, mm, va, a, pte);
}

/** Map a held page again with the PTE it had (A set: it is being used). False when no page table could be made. */
function restorePage(ctx: MmContext, mm: MM, b: FrameBudget, va: number): boolean {
  const pte = b.held.get(va);
  if (pte === undefined) return true;
  const a = walk(ctx.pm, mm.root, va, true);
  if (a === 0) return false;
  b.held.delete(va);
  writePte(ctx.pm, a, (pte | PTE_A) >>> 0);
  rmapAdd(ctx.pm, ptePa(pte), mm.id, va);
  // No flush: holdPage cleared this PTE (and flushed then); an invalid PTE is never cached.
  return true;
}

/** The A and D bits of a resident page (a parked page reads as neither). */
function refBits(ctx: MmContext, mm: MM, b: FrameBudget, va: number): number {
  if (b.held.has(va)) return 0;
  const a = walk(ctx.pm, mm.root, va, false);
  return a === 0 ? 0 : readPte(ctx.pm, a) & (PTE_A | PTE_D);
}

function clearRef(ctx: MmContext, mm: MM, b: FrameBudget, va: number): void {
  if (b.held.has(va)) return;
  const a = walk(ctx.pm, mm.root, va, false);
  if (a === 0) return;
  const pte = readPte(ctx.pm, a);
  if (pte & PTE_A) {
    writePte(ctx.pm, a, (pte & ~PTE_A) >>> 0);
    flush(ctx, va);
  }
}

function slotOf(b: FrameBudget, va: number): number {
  for (let i = 0; i < b.resident.length; i++) if (b.resident[i].va === va) return i;
  return -1;
}

/** Sample and clear the reference bits (the periodic part of lru, lfu, nru and 2q). */
function sample(ctx: MmContext, mm: MM, b: FrameBudget): void {
  for (const p of b.resident) {
    const ref = (refBits(ctx, mm, b, p.va) & PTE_A) !== 0;
    switch (b.policy) {
      case P_LRU: p.age = (p.age >>> 1) | (ref ? 0x80 : 0); break;
      case P_LFU: if (ref) p.freq++; break;
      case P_2Q:
        if (ref && !p.active) { p.active = true; p.arrival = ++b.tick; }
        else if (!ref && p.active) { p.active = false; p.arrival = ++b.tick; }
        break;
      default: break;
    }
    if (ref) clearRef(ctx, mm, b, p.va);
  }
}

/** The slot of the page the policy evicts (the budget is full). */
function victimSlot(ctx: MmContext, mm: MM, b: FrameBudget): number {
  const r = b.resident;
  switch (b.policy) {
    case P_CLOCK: {
      // Second chance: at most one full turn clears every bit, the next finds a victim.
      for (let n = 0; n <= 2 * r.length; n++) {
        const i = b.hand % r.length;
        const p = r[i];
        if (refBits(ctx, mm, b, p.va) & PTE_A) { clearRef(ctx, mm, b, p.va); b.hand = (i + 1) % r.length; continue; }
        return i;
      }
      return b.hand % r.length;
    }
    case P_RANDOM: {
      let x = b.rng;
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      b.rng = x;
      return x % r.length;
    }
    case P_LRU: case P_LFU: case P_2Q: sample(ctx, mm, b); break;
    default: break;
  }
  // The smallest key, the oldest arrival among equals (a loop, no closures: this is the fault path).
  let best = -1, bestKey = 0;
  for (let pass = 0; pass < 2 && best < 0; pass++) {
    for (let i = 0; i < r.length; i++) {
      const p = r[i];
      let key: number;
      switch (b.policy) {
        case P_NRU: { const bits = refBits(ctx, mm, b, p.va); key = ((bits & PTE_A) ? 2 : 0) + ((bits & PTE_D) ? 1 : 0); break; }
        case P_LRU: key = p.age; break;
        case P_LRU_EXACT: key = p.lastUse; break;
        case P_LFU: key = p.freq; break;
        // 2q: inactive pages first (pass 0); all pages only if every page is active (pass 1).
        case P_2Q: if (pass === 0 && p.active) continue; key = 0; break;
        default: key = 0; break;
      }
      if (best < 0 || key < bestKey || (key === bestKey && p.arrival < r[best].arrival)) { best = i; bestKey = key; }
    }
  }
  return best;
}

/** Evict the policy's victim; returns the freed slot. */
function evictOne(ctx: MmContext, mm: MM, b: FrameBudget): number {
  const i = victimSlot(ctx, mm, b);
  const p = b.resident[i];
  // With swap on, the page goes out to a swap slot and its frame is freed; else (or swap full) it is kept in kernel.
  if (!swapOutBudgeted(ctx, mm, b, p.va)) holdPage(ctx, mm, b, p.va);
  if (b.mru === p.va) b.mru = -1;
  b.evictions++;
  return i;
}

/** Put page `va` in slot `i` (or a new slot) as just arrived and used. */
function admit(b: FrameBudget, va: number, slot: number): void {
  const tick = ++b.tick;
  if (slot >= 0 && slot < b.resident.length) {
    // Reuse the victim's record: a budget at its limit allocates nothing per fault.
    const p = b.resident[slot];
    p.va = va; p.arrival = tick; p.lastUse = tick; p.age = 0x80; p.freq = 1; p.active = false;
    if (b.policy === P_CLOCK) b.hand = (slot + 1) % b.resident.length;
  } else b.resident.push({ va, arrival: tick, lastUse: tick, age: 0x80, freq: 1, active: false });
}

/** lru-exact: `va` is now the one valid page; park the previous one so its next touch traps. */
function makeMru(ctx: MmContext, mm: MM, b: FrameBudget, va: number): void {
  if (b.policy !== P_LRU_EXACT) return;
  const prev = b.mru;
  b.mru = va;
  if (prev !== -1 && prev !== va && slotOf(b, prev) >= 0) holdPage(ctx, mm, b, prev);
}

/** Drop resident entries whose page went away behind the budget's back (defensive: munmap calls budgetForget). */
function purge(ctx: MmContext, mm: MM, b: FrameBudget): void {
  for (let i = b.resident.length - 1; i >= 0; i--) {
    const va = b.resident[i].va;
    if (b.held.has(va)) continue;
    const a = walk(ctx.pm, mm.root, va, false);
    if (a === 0 || !(readPte(ctx.pm, a) & PTE_V)) b.resident.splice(i, 1);
  }
  if (b.resident.length > 0) b.hand %= b.resident.length; else b.hand = 0;
}

/** Evict until the resident set fits the limit (a lowered budget). */
function shrinkTo(ctx: MmContext, mm: MM, b: FrameBudget, frames: number): void {
  purge(ctx, mm, b);
  while (b.resident.length > frames && b.resident.length > 0) {
    const i = evictOne(ctx, mm, b);
    b.resident.splice(i, 1);
    if (b.resident.length > 0) b.hand %= b.resident.length; else b.hand = 0;
  }
}

/**
 * Bring the budget in line with the process's RLIMIT_RSS (bytes) and the
 * global policy. Called on the page-fault entry with the faulting task's
 * limit (threads share the address space and the limit). A lowered budget
 * evicts at once; a lifted one maps every kept page again.
 */
export function budgetSync(ctx: MmContext, mm: MM, rssLimit: number): void {
  const frames = budgetFrames(rssLimit);
  const policy = ctx.vm.replacementPolicy;
  let b = mm.budget;
  if (b === null) {
    if (frames === 0) return;
    b = mm.budget = newBudget(frames, policy, ctx.vm.replacementSeed + mm.id);
  }
  if (b.policy !== policy) {
    // Leaving lru-exact: its parked pages are mapped again; the new policy starts from the resident set as it is.
    if (b.policy === P_LRU_EXACT) for (const p of b.resident) restorePage(ctx, mm, b, p.va);
    b.policy = policy;
    b.mru = -1;
    for (const p of b.resident) { p.age = 0x80; p.freq = 1; p.active = false; }
  }
  if (frames === 0) { budgetRestoreAll(ctx, mm); mm.budget = null; return; }
  if (frames !== b.limit) {
    b.limit = frames;
    if (b.resident.length > frames) shrinkTo(ctx, mm, b, frames);
  }
}

export const BUDGET_NONE = 0;     // not a budgeted page: ordinary demand paging
export const BUDGET_MAPPED = 1;   // the page was mapped from the in-kernel backing (or unparked): done
export const BUDGET_ADMIT = 2;    // room was made: demand-page it, then call budgetAdmitted
export const BUDGET_NOMEM = 3;    // no page table could be made

/**
 * The fault path's entry for a not-present page at `page` in `vma`: a
 * parked page (lru-exact) is a reference, a kept page a refault, anything
 * else a first touch that needs a frame of the budget.
 */
export function budgetFault(ctx: MmContext, mm: MM, vma: Vma, page: number, swapped = false): number {
  const b = mm.budget;
  if (b === null || !budgeted(mm, vma)) return BUDGET_NONE;
  b.tick++;
  const slot = slotOf(b, page);
  if (slot >= 0) {
    // Resident but parked (lru-exact): a reference, not a fault.
    if (!restorePage(ctx, mm, b, page)) return BUDGET_NOMEM;
    b.refs++;
    b.resident[slot].lastUse = b.tick;
    makeMru(ctx, mm, b, page);
    return BUDGET_MAPPED;
  }
  b.faults++;
  let free = -1;
  if (b.resident.length >= b.limit) {
    purge(ctx, mm, b);
    if (b.resident.length >= b.limit) free = evictOne(ctx, mm, b);
  }
  if (b.policy === P_NRU && b.faults % NRU_PERIOD === 0) for (const p of b.resident) clearRef(ctx, mm, b, p.va);
  if (b.held.has(page)) {
    if (!restorePage(ctx, mm, b, page)) return BUDGET_NOMEM;
    b.refaults++;
    b.refs++;
    admit(b, page, free);
    makeMru(ctx, mm, b, page);
    return BUDGET_MAPPED;
  }
  // A page coming back from swap is a refault too.
  if (swapped) b.refaults++;
  // The slot is taken now for the page demand paging is about to install.
  admit(b, page, free);
  return BUDGET_ADMIT;
}

/** The page BUDGET_ADMIT made room for is mapped now (lru-exact parks the previous one). */
export function budgetAdmitted(ctx: MmContext, mm: MM, page: number): void {
  const b = mm.budget;
  if (b === null) return;
  b.refs++;
  makeMru(ctx, mm, b, page);
}

/** Demand paging failed after BUDGET_ADMIT: forget the slot. */
export function budgetAbort(mm: MM, page: number): void {
  const b = mm.budget;
  if (b === null) return;
  const i = slotOf(b, page);
  if (i >= 0) b.resident.splice(i, 1);
  if (b.resident.length > 0) b.hand %= b.resident.length; else b.hand = 0;
}

/**
 * Map every held page again (parked and kept), ignoring the limit until the
 * next fault: before fork copies the page tables, mprotect changes PTEs and
 * mremap moves them, so none of them has to know about held pages.
 */
export function budgetRestoreAll(ctx: MmContext, mm: MM): void {
  const b = mm.budget;
  if (b === null || b.held.size === 0) return;
  for (const va of [...b.held.keys()]) {
    if (!restorePage(ctx, mm, b, va)) continue;
    if (slotOf(b, va) < 0) b.resident.push({ va, arrival: ++b.tick, lastUse: b.tick, age: 0x80, freq: 1, active: false });
  }
  b.mru = -1;
}

/** Evict down to the limit (after budgetRestoreAll and the operation that needed it). */
export function budgetEnforce(ctx: MmContext, mm: MM): void {
  const b = mm.budget;
  if (b !== null && b.resident.length > b.limit) shrinkTo(ctx, mm, b, b.limit);
}

/**
 * fork copied every budgeted page (budgetRestoreAll mapped them all first):
 * the child gets the same budget over the same pages, and both evict down
 * to the limit. A page kept for the child shares its frame with the parent
 * copy-on-write (its saved PTE keeps PTE_COW).
 */
export function budgetForked(ctx: MmContext, parent: MM, child: MM): void {
  const b = parent.budget;
  if (b === null) return;
  const c = newBudget(b.limit, b.policy, ctx.vm.replacementSeed + child.id);
  c.resident = b.resident.map((p) => ({ ...p }));
  c.tick = b.tick;
  c.hand = b.hand;
  child.budget = c;
  budgetEnforce(ctx, parent);
  budgetEnforce(ctx, child);
}

/** Pages in [start, end) are going away (munmap, MADV_DONTNEED, exit): free held frames, forget slots. */
export function budgetForget(ctx: MmContext, mm: MM, start: number, end: number): void {
  const b = mm.budget;
  if (b === null) return;
  for (const [va, pte] of [...b.held]) {
    if (va < start || va >= end) continue;
    b.held.delete(va);
    putFrame(ctx.pm, ptePa(pte));
    mm.rss--;
  }
  for (let i = b.resident.length - 1; i >= 0; i--) {
    const va = b.resident[i].va;
    if (va >= start && va < end) b.resident.splice(i, 1);
  }
  if (b.mru >= start && b.mru < end) b.mru = -1;
  if (b.resident.length > 0) b.hand %= b.resident.length; else b.hand = 0;
}

/** The thrashing detector's window: refault rates are judged over at least this much of the process's CPU time. */
export const THRASH_WINDOW_NS = 1_000_000;

/**
 * Thrashing detector, called after a budget fault with the faulting task's
 * CPU time: over each window of THRASH_WINDOW_NS of CPU time, refaults per
 * CPU second at or above `threshold` (vm.thrash_threshold; 0: off) mean
 * thrashing. Returns the rate when an episode begins (the caller logs it
 * once), else -1; a window below the threshold ends the episode.
 */
export function budgetThrashCheck(b: FrameBudget, cpuNs: number, threshold: number): number {
  if (threshold <= 0) return -1;
  if (b.winCpuNs < 0) { b.winCpuNs = cpuNs; b.winRefaults = b.refaults; return -1; }
  const span = cpuNs - b.winCpuNs;
  if (span < THRASH_WINDOW_NS) return -1;
  const rate = Math.round(((b.refaults - b.winRefaults) * 1e9) / span);
  b.winCpuNs = cpuNs;
  b.winRefaults = b.refaults;
  if (rate < threshold) { b.thrashing = false; return -1; }
  if (b.thrashing) return -1;
  b.thrashing = true;
  b.episodes++;
  return rate;
}

/** What /proc/PID/frame_budget shows (a tsix file). */
export function budgetReport(mm: MM | null, policyName: string): string {
  const b = mm?.budget ?? null;
  if (b === null) return `limit 0\npolicy ${policyName}\nresident 0\nkept 0\nfaults 0\nrefaults 0\nevictions 0\nreferences 0\nthrashing 0\n`;
  let parked = 0;
  for (const p of b.resident) if (b.held.has(p.va)) parked++;
  return `limit ${b.limit}\npolicy ${REPLACEMENT_POLICIES[b.policy]}\nresident ${b.resident.length}\nkept ${b.held.size - parked}\n` +
    `faults ${b.faults}\nrefaults ${b.refaults}\nevictions ${b.evictions}\nreferences ${b.refs}\nthrashing ${b.episodes}\n`;
}
