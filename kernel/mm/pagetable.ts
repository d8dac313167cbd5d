// Sv39 page tables in guest RAM: three levels of 512 eight-byte PTEs, exactly
// the format the emulated MMU walks (RISC-V privileged spec, "Sv39"). The
// kernel builds them here; the hart's MMU reads them on every TLB miss.
//
// PTE layout: bit 0 V, 1 R, 2 W, 3 X, 4 U, 5 G, 6 A, 7 D, 8-9 RSW (software;
// bit 8 marks a copy-on-write page), 10-53 PPN. Our RAM lies below 4 GiB, so
// every PPN fits in the low 32-bit word; the high word is always 0.
//
// Concepts: C50, C51 (multi-level page tables with valid bits).
import { type PhysMem, RAM_BASE, PAGE_SIZE, FRAME_PAGETABLE, allocFrame, putFrame } from "./phys.js";

export const PTE_V = 1 << 0;
export const PTE_R = 1 << 1;
export const PTE_W = 1 << 2;
export const PTE_X = 1 << 3;
export const PTE_U = 1 << 4;
export const PTE_G = 1 << 5;
export const PTE_A = 1 << 6;
export const PTE_D = 1 << 7;
/** Software bit: the page is shared copy-on-write; a write fault copies it. */
export const PTE_COW = 1 << 8;
/** Software bit on an invalid PTE: the page exists but its VMA is PROT_NONE (V=0 keeps the MMU out). */
export const PTE_PROTNONE = 1 << 9;

/** Highest user address + 1: the lower half of the Sv39 space. */
export const USER_TOP = 0x4000000000;

/** Word index of the PTE at physical address `pa` in ram32. */
function wi(pa: number): number {
  return (pa - RAM_BASE) >>> 2;
}

export function readPte(pm: PhysMem, pteAddr: number): number {
  return pm.ram32[wi(pteAddr)] >>> 0;
}

export function writePte(pm: PhysMem, pteAddr: number, v: number): void {
  const i = wi(pteAddr);
  pm.ram32[i] = v >>> 0;
  pm.ram32[i + 1] = 0;
}

export function ptePa(pte: number): number {
  return (pte >>> 10) * PAGE_SIZE;
}

export function makePte(pa: number, flags: number): number {
  return ((pa / PAGE_SIZE) * 1024 + flags) >>> 0;
}

/** Allocate an empty root table; returns its physical address (0 when out of memory). */
export function createRoot(pm: PhysMem): number {
  return allocFrame(pm, FRAME_PAGETABLE);
}

/**
 * The physical address of the level-0 PTE for `va`, creating intermediate
 * tables when `alloc` is set. Returns 0 when a table is missing (and not
 * allocated) or memory ran out.
 */
export function walk(pm: PhysMem, root: number, va: number, alloc: boolean): number {
  let table = root;
  for (let level = 2; level > 0; level--) {
    const idx = Math.floor(va / 2 ** (12 + 9 * level)) & 511;
    const pteAddr = table + idx * 8;
    const pte = readPte(pm, pteAddr);
    if (pte & PTE_V) {
      table = ptePa(pte);
      continue;
    }
    if (!alloc) return 0;
    const next = allocFrame(pm, FRAME_PAGETABLE);
    if (next === 0) return 0;
    writePte(pm, pteAddr, makePte(next, PTE_V));
    table = next;
  }
  return table + (Math.floor(va / PAGE_SIZE) & 511) * 8;
}

/** The leaf PTE value for `va` (0 when unmapped). */
export function lookupPte(pm: PhysMem, root: number, va: number): number {
  const p = walk(pm, root, va, false);
  return p === 0 ? 0 : readPte(pm, p);
}

/**
 * Call fn(va, pteAddr, pte) for every leaf PTE holding a page in [start, end)
 * (valid or PROT_NONE); with `nonzero`, for every nonzero leaf PTE (swap
 * entries too).
 */
export function forEachPte(
  pm: PhysMem, root: number, start: number, end: number,
  fn: (va: number, pteAddr: number, pte: number) => void, nonzero = false,
): void {
  const L2 = 2 ** 30, L1 = 2 ** 21;
  for (let va2 = Math.floor(start / L2) * L2; va2 < end; va2 += L2) {
    const p2 = readPte(pm, root + ((va2 / L2) & 511) * 8);
    if (!(p2 & PTE_V)) continue;
    const t1 = ptePa(p2);
    for (let va1 = Math.max(va2, Math.floor(start / L1) * L1); va1 < Math.min(end, va2 + L2); va1 += L1) {
      const p1 = readPte(pm, t1 + ((va1 / L1) & 511) * 8);
      if (!(p1 & PTE_V)) continue;
      const t0 = ptePa(p1);
      for (let va = Math.max(va1, Math.floor(start / PAGE_SIZE) * PAGE_SIZE); va < Math.min(end, va1 + L1); va += PAGE_SIZE) {
        const a = t0 + ((va / PAGE_SIZE) & 511) * 8;
        const pte = readPte(pm, a);
        if (nonzero ? pte !== 0 : (pte & (PTE_V | PTE_PROTNONE)) !== 0) fn(va, a, pte);
      }
    }
  }
}

/** Free every page-table frame of `root` (not the mapped pages: the caller drops those first). */
export function freeTables(pm: PhysMem, root: number): void {
  for (let i = 0; i < 512; i++) {
    const p2 = readPte(pm, root + i * 8);
    if (!(p2 & PTE_V)) continue;
    const t1 = ptePa(p2);
    for (let j = 0; j < 512; j++) {
      const p1 = readPte(pm, t1 + j * 8);
      if (p1 & PTE_V) putFrame(pm, ptePa(p1));
    }
    putFrame(pm, t1);
  }
  putFrame(pm, root);
}

/** satp value for a root table (mode Sv39, ASID 0). */
export function satpFor(root: number): bigint {
  return (8n << 60n) | BigInt(root / PAGE_SIZE);
}
