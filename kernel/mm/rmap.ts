// The reverse map: frame -> the (address space, virtual page) pairs whose
// leaf PTEs point at it (Linux's rmap: anon_vma / i_mmap answer the same
// question). Page replacement needs it to unmap a frame from every page
// table before it can take the frame away (issue 9: swap, reclaim of mapped
// pages); /proc and the debug check below use it today.
//
// Every place that installs a user leaf PTE calls rmapAdd, every place that
// clears one calls rmapRemove: demand paging and COW (fault.ts), fork,
// munmap, mremap, madvise and exit (mm.ts). Page-table pages and kernel
// frames (pipes, the trampoline) are not mapped by user PTEs and have no
// entries. The lists live in PhysMem's typed arrays (plain data); adding and
// removing allocate nothing unless the pool must grow.
//
// rmapPtes is the one walk from a frame to the PTEs that map it (test or
// clear A or D, or unmap), used by reclaim (reclaim.ts: second chance,
// page_mkclean, dropping a page) and shared-memory swap (shmem_swap.ts,
// tmpfs_swap.ts); rmapReachable says whether every mapper can be reached.
//
// rmapCheck walks every page table and compares, entry for entry, with the
// reverse map: a test runs it during fork/COW/munmap/mremap/exit workloads.
//
// Concepts: C59 (shared frames: one frame, many page tables), C50 (the
// frame table), C51 (walking page tables).
import { type PhysMem, PAGE_SIZE, RAM_BASE, PAGE_SHIFT, FRAME_FREE, FRAME_PAGETABLE, FRAME_PAGECACHE, FF_DIRTY, FRAME_OWNER_NAMES, rmapGrow, frameIndex, putFrame } from "./phys.js";
import type { MM, MmContext } from "./mm.js";
import { forEachPte, walk, readPte, writePte, ptePa, PTE_V, PTE_A, PTE_D, PTE_PROTNONE, USER_TOP } from "./pagetable.js";

/** Record that `mmId` maps frame `pa` at `va`. */
export function rmapAdd(pm: PhysMem, pa: number, mmId: number, va: number): void {
  const r = pm.rmap;
  if (r.free < 0) rmapGrow(pm);
  const e = r.free;
  r.free = r.next[e];
  const f = (pa - RAM_BASE) >>> PAGE_SHIFT;
  r.mm[e] = mmId;
  r.vpn[e] = va / PAGE_SIZE;
  r.next[e] = r.head[f];
  r.head[f] = e;
  r.used++;
}

/** Forget that `mmId` maps frame `pa` at `va` (counted in rmap.misses when it was never recorded). */
export function rmapRemove(pm: PhysMem, pa: number, mmId: number, va: number): void {
  const r = pm.rmap;
  const f = (pa - RAM_BASE) >>> PAGE_SHIFT;
  const vpn = va / PAGE_SIZE;
  let prev = -1;
  for (let e = r.head[f]; e >= 0; prev = e, e = r.next[e]) {
    if (r.mm[e] !== mmId || r.vpn[e] !== vpn) continue;
    if (prev < 0) r.head[f] = r.next[e];
    else r.next[prev] = r.next[e];
    r.next[e] = r.free;
    r.free = e;
    r.used--;
    return;
  }
  r.misses++;
}

/** What rmapPtes does to each PTE that maps the frame (a number, not a callback: reclaim's scans call it per frame, allocation-free). */
export const RMAP_TEST_A = 0;
/** Clear A (a second chance), flushing the page's TLB entries so that the next access walks the table and sets A again. */
export const RMAP_CLEAR_A = 1;
export const RMAP_TEST_D = 2;
/** Clear D (page_mkclean before a write-back), flushing the TLB entries so that the next store sets D again. */
export const RMAP_CLEAR_D = 3;
/** Clear the PTE (it drops its reference to the frame and its rmap entry): every mapper must be in `mms` (rmapReachable). */
export const RMAP_UNMAP = 4;
export type RmapOp = typeof RMAP_TEST_A | typeof RMAP_CLEAR_A | typeof RMAP_TEST_D | typeof RMAP_CLEAR_D | typeof RMAP_UNMAP;

/**
 * The number of mappings of frame index `f`, or -1 when one of them belongs
 * to an address space not in `mms` (`mms`: reclaim.ts mmsById): a frame
 * mapped where the caller cannot reach is not unmapped or taken.
 */
export function rmapReachable(pm: PhysMem, mms: Map<number, MM>, f: number): number {
  const r = pm.rmap;
  let n = 0;
  for (let e = r.head[f]; e >= 0; e = r.next[e]) {
    if (!mms.has(r.mm[e])) return -1;
    n++;
  }
  return n;
}

/**
 * The one walk from a frame to the PTEs that map it (Linux's
 * rmap_walk with try_to_unmap_one, page_referenced_one, page_mkclean_one):
 * for each reverse-map entry of frame index `f` whose address space is in
 * `mms`, walk its page table to the leaf PTE, check that the PTE still maps
 * this frame (valid, or PROT_NONE, which keeps the frame with V clear), and
 * do `op` to it. Returns how many PTEs had the bit tested (A or D; for the
 * CLEAR ops, had it before clearing) or, for RMAP_UNMAP, how many were
 * cleared. Entries of address spaces not in `mms` are passed over
 * (RMAP_UNMAP: the caller checked rmapReachable first).
 */
export function rmapPtes(ctx: MmContext, mms: Map<number, MM>, f: number, op: RmapOp): number {
  const pm = ctx.pm, r = pm.rmap;
  const pa = RAM_BASE + f * PAGE_SIZE;
  const bit = op === RMAP_TEST_A || op === RMAP_CLEAR_A ? PTE_A : PTE_D;
  let n = 0;
  let e = r.head[f];
  while (e >= 0) {
    const next = r.next[e];
    const mm = mms.get(r.mm[e]);
    if (!mm) { e = next; continue; }
    const va = r.vpn[e] * PAGE_SIZE;
    const a = walk(pm, mm.root, va, false);
    const pte = a === 0 ? 0 : readPte(pm, a);
    const maps = (pte & (PTE_V | PTE_PROTNONE)) !== 0 && ptePa(pte) === pa;
    if (op === RMAP_UNMAP) {
      if (maps) { writePte(pm, a, 0); mm.rss--; putFrame(pm, pa); n++; }
      // The entry goes even when the PTE no longer maps the frame: it was stale.
      rmapRemove(pm, pa, mm.id, va);
      ctx.kernel!.core.flushTlbPageAllHarts(va);
    } else if (maps && (pte & bit) !== 0) {
      n++;
      if (op === RMAP_CLEAR_A || op === RMAP_CLEAR_D) { writePte(pm, a, (pte & ~bit) >>> 0); ctx.kernel!.core.flushTlbPageAllHarts(va); }
    }
    e = next;
  }
  return n;
}

/** The mappings of frame `pa`, as [mm id, va] pairs (newest first). */
export function rmapMappers(pm: PhysMem, pa: number): [number, number][] {
  const r = pm.rmap;
  const out: [number, number][] = [];
  for (let e = r.head[(pa - RAM_BASE) >>> PAGE_SHIFT]; e >= 0; e = r.next[e]) out.push([r.mm[e], r.vpn[e] * PAGE_SIZE]);
  return out;
}

/**
 * Walk the page tables of `mms` (every live address space) and compare with
 * the reverse map in both directions. Returns the differences found (empty
 * when the map is exact): a PTE with no entry, an entry with no PTE, a mapped
 * frame that is free or a page table, a frame with fewer references than
 * mappings, and removals that missed.
 */
export function rmapCheck(pm: PhysMem, mms: MM[]): string[] {
  const problems: string[] = [];
  const want = new Map<string, number>();
  const key = (f: number, id: number, vpn: number): string => `${f}:${id}:${vpn}`;
  const perFrame = new Map<number, number>();
  for (const mm of mms) {
    if (mm.root === 0) continue;
    forEachPte(pm, mm.root, 0, USER_TOP, (va, _a, pte) => {
      const pa = ptePa(pte);
      const f = (pa - RAM_BASE) >>> PAGE_SHIFT;
      const own = pm.owner[f];
      if (own === FRAME_FREE || own === FRAME_PAGETABLE || pm.refs[f] === 0) {
        problems.push(`mm ${mm.id} va 0x${va.toString(16)} maps a ${FRAME_OWNER_NAMES[own]} frame (refs ${pm.refs[f]})${pte & PTE_V ? "" : " (PROT_NONE)"}`);
      }
      const k = key(f, mm.id, va / PAGE_SIZE);
      want.set(k, (want.get(k) ?? 0) + 1);
      perFrame.set(f, (perFrame.get(f) ?? 0) + 1);
    });
  }
  const r = pm.rmap;
  let entries = 0;
  for (let f = 0; f < pm.frames; f++) {
    for (let e = r.head[f]; e >= 0; e = r.next[e]) {
      entries++;
      const k = key(f, r.mm[e], r.vpn[e]);
      const n = want.get(k) ?? 0;
      if (n === 0) problems.push(`rmap entry frame 0x${(RAM_BASE + f * PAGE_SIZE).toString(16)} -> mm ${r.mm[e]} va 0x${(r.vpn[e] * PAGE_SIZE).toString(16)} has no PTE`);
      else if (n === 1) want.delete(k);
      else want.set(k, n - 1);
    }
  }
  for (const k of want.keys()) {
    const [f, id, vpn] = k.split(":").map(Number);
    problems.push(`PTE mm ${id} va 0x${(vpn * PAGE_SIZE).toString(16)} -> frame 0x${(RAM_BASE + f * PAGE_SIZE).toString(16)} has no rmap entry`);
  }
  for (const [f, n] of perFrame) {
    if (pm.refs[f] < n) problems.push(`frame 0x${(RAM_BASE + f * PAGE_SIZE).toString(16)} is mapped ${n} times but has ${pm.refs[f]} references`);
  }
  if (entries !== r.used) problems.push(`rmap counts ${r.used} entries, the lists hold ${entries}`);
  if (r.misses !== 0) problems.push(`${r.misses} rmap removals found no entry`);
  return problems;
}

/**
 * A PTE mapping a page-cache frame is going away (munmap, exit): its D bit
 * may be the only record of stores made since the page was last written
 * back (msync and reclaim clear the D bits of a page they write, and a
 * mapping that stays writable stores again without a fault), so it moves
 * to the frame's FF_DIRTY, which the file's next write-back sees (Linux's
 * zap_pte_range: set_page_dirty on a dirty PTE).
 */
export function zapDirty(pm: PhysMem, pte: number): void {
  if ((pte & PTE_D) === 0 || (pte & (PTE_V | PTE_PROTNONE)) === 0) return;
  const pa = ptePa(pte);
  if (pa < RAM_BASE) return;
  const f = frameIndex(pa);
  if (f < pm.frames && pm.owner[f] === FRAME_PAGECACHE) pm.flags[f] |= FF_DIRTY;
}
