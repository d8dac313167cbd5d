// Reading page tables for the views and the OOM killer: the leaf PTE of an
// address, every nonzero leaf of a range (present, PROT_NONE or a swap
// entry), the page-table pages of an address space (Linux's
// mm_pgtables_bytes), its swap entries (MM_SWAPENTS) and a frame's map count
// (page_mapcount, from the reverse map). Read-only; allocation-free except
// for the callbacks callers pass. /proc (fs/proc/mmview.ts) and oom.ts use it.
//
// Swap entries: a non-present PTE that is not PROT_NONE and not zero holds
// a swap entry - type in bits 1-5, offset in the PPN field (bits 10 on).
// None exist until swap does; everything that counts them is ready for it.
//
// Concepts: C51 (multi-level page tables walked level by level), C59
// (a frame's map count), C55 (swap entries in non-present PTEs).
import { type PhysMem, PAGE_SIZE } from "./phys.js";
import type { MM } from "./mm.js";
import { forEachPte, readPte, ptePa, PTE_V, PTE_R, PTE_W, PTE_X, PTE_PROTNONE } from "./pagetable.js";
import { vtToArray } from "./vma_tree.js";

const PAGE = PAGE_SIZE;

/** A swap entry in a non-present PTE: type in bits 1-5, offset in the PPN field; null for any other PTE. */
export function pteSwapEntry(pte: number): { type: number; offset: number } | null {
  if (pte === 0 || (pte & (PTE_V | PTE_PROTNONE))) return null;
  return { type: (pte >>> 1) & 0x1f, offset: pte >>> 10 };
}

/** The leaf PTE of `va` in the tables under `root` (0 when a level is missing). */
export function leafPte(pm: PhysMem, root: number, va: number): number {
  let table = root;
  for (let level = 2; level > 0; level--) {
    const pte = readPte(pm, table + (Math.floor(va / 2 ** (12 + 9 * level)) & 511) * 8);
    if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W | PTE_X))) return 0;
    table = ptePa(pte);
  }
  return readPte(pm, table + (Math.floor(va / PAGE) & 511) * 8);
}

/** Call fn(va, pte) for every nonzero leaf PTE in [start, end): present, PROT_NONE or swap entries. */
export function forEachLeaf(pm: PhysMem, root: number, start: number, end: number, fn: (va: number, pte: number) => void): void {
  forEachPte(pm, root, start, end, (va, _a, pte) => fn(va, pte), true);
}

/** Page-table pages of an address space: the root and every table below it (VmPTE, PageTables). */
export function pageTablePages(pm: PhysMem, root: number): number {
  if (!root) return 0;
  let n = 1;
  for (let i = 0; i < 512; i++) {
    const p2 = readPte(pm, root + i * 8);
    if (!(p2 & PTE_V) || (p2 & (PTE_R | PTE_W | PTE_X))) continue;
    n++;
    const t1 = ptePa(p2);
    for (let j = 0; j < 512; j++) {
      const p1 = readPte(pm, t1 + j * 8);
      if ((p1 & PTE_V) && !(p1 & (PTE_R | PTE_W | PTE_X))) n++;
    }
  }
  return n;
}

/** Swap entries of an address space (VmSwap; 0 until swap exists). */
export function swapEntries(pm: PhysMem, mm: MM): number {
  let n = 0;
  if (!mm.root) return 0;
  for (const v of vtToArray(mm.vmaTree)) forEachLeaf(pm, mm.root, v.start, v.end, (_va, pte) => { if (pteSwapEntry(pte)) n++; });
  return n;
}

/** How many user PTEs map frame index `f` (Linux's page_mapcount): the length of its reverse-map list. */
export function frameMapCount(pm: PhysMem, f: number): number {
  const r = pm.rmap;
  let n = 0;
  for (let e = r.head[f]; e >= 0; e = r.next[e]) n++;
  return n;
}

