// The page-fault handler: a user access (or a kernel copyin/copyout on a
// user's behalf) that the MMU refused. It finds the VMA, checks the access
// against its protection, and then either fills the page (demand paging:
// zero page for anonymous memory, a page-cache frame for files), breaks
// copy-on-write by copying a shared frame, or grows the stack. Anything else
// is a segmentation fault with Linux's si_code. Page-ins dispatch on the
// VMA's backing kind (backing.ts); every PTE filled or replaced here updates
// the reverse map (rmap.ts) and the new frame's owner in the frame table.
//
// Concepts: C53 (demand paging: load on first touch), C24/C59 (COW after fork:
// one frame, many page tables, copied on first write), C58 (stack growth and
// the guard gap; SIGSEGV on overflow).
import { type MM, type MmContext, type Vma, findVma, vmaAt, vmaCount, vmaIndexAfter, pteFlags, flushPage, pageDown, vmaGrowCharge, STACK_RESERVE, STACK_GUARD_GAP } from "./mm.js";
import { MAP_SHARED, MAP_GROWSDOWN, PROT_READ, PROT_WRITE, PROT_EXEC } from "../abi/mman.js";
import { PAGE_SIZE, FRAME_ANON, FRAME_PAGECACHE, FF_DIRTY, allocFrame, allocFrameNoZero, putFrame, frameRefs, frameIndex, copyFrame } from "./phys.js";
import { backingGetPage, backingSize } from "./backing.js";
import { rmapAdd, rmapRemove } from "./rmap.js";
import { budgetFault, budgetAdmitted, budgetAbort, BUDGET_NONE, BUDGET_MAPPED, BUDGET_NOMEM } from "./replace.js";
import { isSwapPte, swapInPage, swapCacheWrite, SWAPIN_OK, SWAPIN_NOMEM, SWAPIN_RETRY } from "./swap.js";
import type { Task } from "../proc/task.js";
import { SHMEM_RETRY } from "./shmem_swap.js";
import { walk, readPte, writePte, ptePa, makePte, PTE_V, PTE_W, PTE_D, PTE_COW, PTE_PROTNONE } from "./pagetable.js";

export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;

export const FAULT_OK = 0;
export const FAULT_SEGV_MAPERR = 1; // si_code SEGV_MAPERR: no mapping
export const FAULT_SEGV_ACCERR = 2; // si_code SEGV_ACCERR: mapping forbids the access
export const FAULT_BUS = 3;         // SIGBUS BUS_ADRERR: file page past EOF
export const FAULT_OOM = 4;         // no frame: the OOM path decides
export const FAULT_RETRY = 5;       // the task sleeps (a swap read in flight); the access reruns when it wakes

/** Grow a MAP_GROWSDOWN VMA down to cover `va` if the stack limit and the guard gap allow. */
function growStack(ctx: MmContext, mm: MM, va: number): Vma | undefined {
  // The first MAP_GROWSDOWN VMA above va (the VMAs from vmaIndexAfter on all start above it: va is in none).
  const n = vmaCount(mm);
  let i = vmaIndexAfter(mm, va);
  while (i < n && (vmaAt(mm, i).flags & MAP_GROWSDOWN) === 0) i++;
  if (i >= n) return undefined;
  const v = vmaAt(mm, i);
  const newStart = pageDown(va);
  if (v.end - newStart > STACK_RESERVE) return undefined;
  const below = i > 0 ? vmaAt(mm, i - 1) : undefined;
  if (below && below.end + STACK_GUARD_GAP > newStart) return undefined;
  if (below && below.end > newStart) return undefined;
  // The stack's new pages are promised like any other (acct_stack_growth).
  if (!vmaGrowCharge(ctx, v, (v.start - newStart) / PAGE_SIZE)) return undefined;
  v.start = newStart;
  return v;
}

/** Resolve a fault at `va`; returns FAULT_OK or the reason the access fails. */
export function handleFault(ctx: MmContext, mm: MM, va: number, access: number, t: Task | null = null): number {
  let vma = findVma(mm, va);
  if (!vma) {
    vma = growStack(ctx, mm, va);
    if (!vma) return FAULT_SEGV_MAPERR;
  }
  const need = access === ACCESS_WRITE ? PROT_WRITE : access === ACCESS_EXEC ? PROT_EXEC : PROT_READ;
  if (!(vma.prot & need)) return FAULT_SEGV_ACCERR;
  const page = pageDown(va);
  const pm = ctx.pm;
  const a = walk(pm, mm.root, page, true);
  if (a === 0) return FAULT_OOM;
  const pte = readPte(pm, a);
  const shared = (vma.flags & MAP_SHARED) !== 0;
  const flags = pteFlags(vma.prot);
  if (pte & PTE_V) {
    if (access === ACCESS_WRITE && (pte & PTE_COW)) {
      // Break copy-on-write: reuse the frame if we hold the only reference.
      const old = ptePa(pte);
      mm.stats.cowFaults++;
      // A page read back from swap is kept clean in the swap cache: a write lets it go (swap.ts).
      swapCacheWrite(ctx, old);
      if (frameRefs(pm, old) === 1) {
        writePte(pm, a, makePte(old, flags));
      } else {
        const fresh = allocFrameNoZero(pm, FRAME_ANON);
        if (fresh === 0) return FAULT_OOM;
        copyFrame(pm, fresh, old);
        writePte(pm, a, makePte(fresh, flags));
        rmapRemove(pm, old, mm.id, page);
        rmapAdd(pm, fresh, mm.id, page);
        putFrame(pm, old);
      }
      flushPage(ctx, page, mm);
      return FAULT_OK;
    }
    // The PTE already allows the access (another hart fixed it, or a stale
    // TLB entry): nothing to do but drop cached translations.
    flushPage(ctx, page, mm);
    return FAULT_OK;
  }
  if (pte & PTE_PROTNONE) return FAULT_SEGV_ACCERR;
  if (isSwapPte(pte)) return swapFault(ctx, mm, vma, page, a, pte, access, flags, t);
  // A page under a frame budget (replace.ts): parked, kept, or needing room first.
  const bud = mm.budget === null ? BUDGET_NONE : budgetFault(ctx, mm, vma, page);
  if (bud === BUDGET_MAPPED) return FAULT_OK;
  if (bud === BUDGET_NOMEM) return FAULT_OOM;
  // Not present: demand paging.
  let frame: number;
  let f = flags;
  const b = vma.backing;
  if (b) {
    const bt = ctx.vm.backings;
    const idx = vma.pgoff + (page - vma.start) / PAGE_SIZE;
    if (idx * PAGE_SIZE >= pageUpSize(backingSize(bt, b))) return FAULT_BUS;
    const ins = ctx.vm.counters.pageIns;
    const cached = backingGetPage(ctx.kernel!, bt, b, idx, t);
    if (cached <= 0) return cached === 0 ? FAULT_OOM : cached === SHMEM_RETRY ? FAULT_RETRY : FAULT_BUS;
    // The page had to be read from its backing bytes (reclaim.ts counts page-ins): a major fault.
    if (ctx.vm.counters.pageIns !== ins) ctx.vm.counters.pgmajfault++;
    mm.stats.majorFaults++;
    if (shared) {
      frame = cached;
      // Stores through a shared mapping reach the frame unseen: it can no
      // longer be taken for a clean copy of its backing store.
      if ((vma.mayProt & PROT_WRITE) && pm.owner[frameIndex(cached)] === FRAME_PAGECACHE) pm.flags[frameIndex(cached)] |= FF_DIRTY;
    } else if (access === ACCESS_WRITE) {
      frame = allocFrameNoZero(pm, FRAME_ANON);
      if (frame === 0) { putFrame(pm, cached); return FAULT_OOM; }
      copyFrame(pm, frame, cached);
      putFrame(pm, cached);
    } else {
      // Map the page-cache frame itself; a later write copies it.
      frame = cached;
      if (vma.prot & PROT_WRITE) f = ((f & ~(PTE_W | PTE_D)) | PTE_COW) >>> 0;
    }
  } else {
    frame = allocFrame(pm, FRAME_ANON);
    if (frame === 0) { if (bud !== BUDGET_NONE) budgetAbort(mm, page); return FAULT_OOM; }
    mm.stats.minorFaults++;
  }
  writePte(pm, a, makePte(frame, f));
  rmapAdd(pm, frame, mm.id, page);
  mm.rss++;
  // No TLB flush: the PTE was not valid, and no hart caches a translation
  // that failed (hw/core/mmu.ts fills an entry only from a valid leaf), nor
  // does the JIT keep code of a page it could not fetch. The next access
  // simply walks the table again and finds the new PTE.
  if (bud !== BUDGET_NONE) budgetAdmitted(ctx, mm, page);
  return FAULT_OK;
}

/**
 * A page out on swap (its PTE holds a swap entry): a major fault that reads
 * its slot, or a minor one when the swap cache still has it. A budgeted page
 * first gets room in its budget, as any refault.
 */
function swapFault(ctx: MmContext, mm: MM, vma: Vma, page: number, a: number, pte: number, access: number, flags: number, t: Task | null): number {
  const bud = mm.budget === null ? BUDGET_NONE : budgetFault(ctx, mm, vma, page, true);
  if (bud === BUDGET_NOMEM) return FAULT_OOM;
  // Making room may have written this very PTE's neighbours out; ours is unchanged (only resident pages are evicted).
  const write = access === ACCESS_WRITE;
  // A read maps the page read-only (copy-on-write when the VMA is writable) so that it stays clean in the swap cache.
  const cow = (vma.prot & PROT_WRITE) ? ((flags & ~(PTE_W | PTE_D)) | PTE_COW) >>> 0 : (flags & ~PTE_D) >>> 0;
  const r = swapInPage(ctx, mm, page, a, pte, write, flags, cow, t);
  if (r !== SWAPIN_OK) {
    if (bud !== BUDGET_NONE) budgetAbort(mm, page);
    return r === SWAPIN_NOMEM ? FAULT_OOM : r === SWAPIN_RETRY ? FAULT_RETRY : FAULT_BUS;
  }
  // No flush: the PTE held a swap entry (V clear), which no TLB caches.
  if (bud !== BUDGET_NONE) budgetAdmitted(ctx, mm, page);
  return FAULT_OK;
}

function pageUpSize(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
