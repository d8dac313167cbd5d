// Address-space identifiers (ASIDs): which tag each mm's TLB entries carry,
// so that switching between processes need not flush the TLB (issue 11's
// pipe ping-pong refilled it at every switch).
//
// The machine keeps the entries of each ASID apart (hw/core/mmu.ts: one TLB
// bank per ASID, selected by the satp write); the kernel's part is to never
// let two address spaces use one ASID while entries of the first may still
// be cached. Like Linux's arch/riscv/mm/context.c, ASIDs are handed out in
// order within a generation and are never freed one by one (an exiting mm's
// entries stay behind, harmless: nothing runs under its ASID again). When
// every ASID of the generation is taken, a new generation starts: each hart
// flushes its whole TLB at its next switch (before it can run a reused
// ASID), and every mm gets a new ASID the next time it is switched in.
// Between a rollover and a hart's next switch, that hart keeps running its
// current mm under the old ASID: its TLB holds old-generation entries only,
// and the flush at the switch removes them before any new-generation ASID
// runs there.
//
// A PTE change in an mm is flushed by that mm's ASID on every hart (flushMm
// below; sfence.vma va, asid), leaving other address spaces' entries for the
// same address in place. vm.asid_max (tsix addition, /proc/sys/vm, or
// `tsix run --sysctl vm.asid_max=N` at boot) sets how many ASIDs the
// allocator uses (default: all of the machine's 65535; 0 turns ASIDs off:
// every switch flushes the TLB, as before), which the tests make small to
// force rollovers. With them on, a pipe ping-pong between two processes
// costs 0.46x the host CPU of ASIDs off (bench/asid.ts).
//
// Plain data in VmState (k.mmctx.vm.asid): numbers and one array.
//
// Concepts: C52 (TLB, flushes, ASIDs), C21 (the context switch loads the
// address space), C50 (virtual address spaces).
import type { MM, MmContext } from "./mm.js";

/** ASIDs the machine implements: satp.ASID is 16 bits (hw/core/csr.ts keeps all of them). */
export const ASID_HW_MAX = 0xffff;

export interface AsidState {
  /** Highest ASID handed out (vm.asid_max); 0: ASIDs off, every switch flushes. ASID 0 is never given to an mm. */
  max: number;
  /** The current generation; an mm's ASID counts only while its asidGen equals it. Starts at 1. */
  gen: number;
  /** The next ASID to hand out in this generation. */
  next: number;
  /** Per hart: the generation its TLB was last emptied for (a hart flushes at its first switch in a new one). */
  hartGen: number[];
  /** ASIDs handed out and generations started since boot (statistics, and what the tests look at). */
  allocs: number;
  rollovers: number;
}

export function createAsidState(): AsidState {
  // On by default with every ASID the machine has, as Linux uses all of
  // satp.ASID: the machine's 8 banks per hart act as a TLB's capacity (a
  // new ASID takes the least recently assigned bank), so handing out more
  // ASIDs than there are banks costs one bank's flush per new address space,
  // while a smaller vm.asid_max only adds rollovers (a whole-TLB flush on
  // every hart and new ASIDs for every mm). Measured: vm.asid_max 8 and
  // 65535 cost the same on the fork loop and fork+exec (docs/kernel.md).
  return { max: ASID_HW_MAX, gen: 1, next: 1, hartGen: [], allocs: 0, rollovers: 0 };
}

/** Start a new generation: every mm's ASID becomes stale, every hart flushes at its next switch. */
function rollover(a: AsidState): void {
  a.gen++;
  a.next = 1;
  a.rollovers++;
}

/** vm.asid_max: a new limit starts a new generation, so no mm keeps an ASID above it. */
export function asidSetMax(a: AsidState, max: number): void {
  a.max = max;
  rollover(a);
}

/**
 * Load `mm` on the active hart `hart` (context switch, exec): give it an
 * ASID of the current generation if it has none, flush this hart's TLB if
 * a generation started since its last flush, and write satp without a flush.
 */
export function activateMm(ctx: MmContext, hart: number, mm: MM): void {
  const core = ctx.kernel!.core;
  const a = ctx.vm.asid;
  const ppn = mm.root / 4096;
  if (a.max === 0) { mm.asid = 0; core.setSatp(ppn); return; }
  if (mm.asid === 0 || mm.asidGen !== a.gen) {
    if (a.next > a.max) rollover(a);
    mm.asid = a.next++;
    mm.asidGen = a.gen;
    a.allocs++;
  }
  while (a.hartGen.length <= hart) a.hartGen.push(0); // dense: plain data, no holes
  if (a.hartGen[hart] !== a.gen) {
    a.hartGen[hart] = a.gen;
    core.flushTlb();
  }
  core.setSatpAsid(ppn, mm.asid);
}

/**
 * A PTE of `va` in `mm` changed: drop its cached translations on every hart.
 * By the mm's ASID when it has one (an ASID from an older generation still
 * names exactly the entries this mm may have left on a hart that has not
 * switched since), else (no ASID yet, or ASIDs off) in every address space.
 */
export function flushMm(ctx: MmContext, mm: MM | null, va: number): void {
  const core = ctx.kernel!.core;
  if (mm !== null && mm.asid !== 0 && ctx.vm.asid.max !== 0) core.flushTlbPageAsidAllHarts(va, mm.asid);
  else core.flushTlbPageAllHarts(va);
}
