// The address space of a process (Linux's mm_struct): its Sv39 root table and
// its virtual memory areas (VMAs), each a range with protections and a
// backing (anonymous memory, or a {kind, id} reference to a shared object or
// a file's pages: backing.ts). Mapping is lazy: mmap only records a VMA; the
// page-fault handler (fault.ts) fills PTEs on first touch. Every leaf PTE
// installed or cleared here is recorded in the reverse map (rmap.ts), and
// every accountable VMA is charged to Committed_AS (vmstate.ts). The VMAs are
// kept in a counted B-tree (vma_tree.ts), read by index or address through
// vmaCount/vmaAt/findVma/vmaIndexAfter, and listed with vmaList.
//
// Concepts: C20 (text/data/BSS/heap/stack as regions), C53 (demand paging),
// C57 (VMAs as the segment view; the kernel half is never mapped for user
// mode), C58 (brk and mmap heaps, a stack guard gap).
import {
  type PhysMem, PAGE_SIZE, getFrame, putFrame, frameRefs,
} from "./phys.js";
import { isSwapPte, swapFree, swapDup, swapCacheTrim } from "./swap.js";
import {
  createRoot, forEachPte, freeTables, readPte, writePte, walk, ptePa, makePte,
  PTE_V, PTE_R, PTE_W, PTE_X, PTE_U, PTE_A, PTE_D, PTE_COW, PTE_PROTNONE, USER_TOP,
} from "./pagetable.js";
import { ENOMEM, EINVAL, EEXIST, EACCES, EPERM } from "../abi/errno.js";
import {
  PROT_READ, PROT_WRITE, PROT_EXEC, MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_GROWSDOWN, MAP_FIXED_NOREPLACE, MAP_NORESERVE,
} from "../abi/mman.js";
import type { Kernel } from "../kernel.js";
import { type VmaBacking, type BackingSource, backingAcquire, backingHold, backingRelease } from "./backing.js";
import { type VmState, OVERCOMMIT_NEVER, vmAcct, vmAcctForce, vmUnacct } from "./vmstate.js";
import { rmapAdd, rmapRemove, zapDirty } from "./rmap.js";
import { flushMm } from "./asid.js";
import { reclaimRetry } from "./alloc.js";
import { type FrameBudget, budgetForget, budgetRestoreAll, budgetEnforce, budgetForked } from "./replace.js";
import {
  type VmaNode, vtAt, vtCount, vtCreate, vtFind, vtFromArray, vtIndexAfter, vtInsert, vtRemove, vtSplice, vtToArray,
} from "./vma_tree.js";


/** Lowest address mmap picks by itself (a hint or MAP_FIXED may go lower, down to vm.mmap_min_addr). */
export const MMAP_MIN_ADDR = 0x10000;
/** Default of vm.mmap_min_addr: MAP_FIXED below it is refused with EPERM unless privileged. */
export const DEFAULT_MMAP_MIN_ADDR = 4096;
/** Top of the user stack; mmap allocations grow down from below the stack reservation. */
export const STACK_TOP = 0x3fffff0000;
/** Address space reserved for the main stack (RLIMIT_STACK default 8 MiB) plus a guard gap. */
export const STACK_RESERVE = 8 * 1024 * 1024;
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;

export interface Vma {
  start: number;
  end: number;
  prot: number;
  /**
   * The protections the VMA may ever get (Linux's VM_MAYREAD / VM_MAYWRITE /
   * VM_MAYEXEC, as PROT_* bits), fixed when it is mapped: mprotect asking
   * for more fails with EACCES. A shared mapping of a file opened read-only
   * has no PROT_WRITE here, so it can never be made to write the file.
   */
  mayProt: number;
  /** MAP_SHARED or MAP_PRIVATE, plus MAP_ANONYMOUS / MAP_GROWSDOWN as given. */
  flags: number;
  /** What the VMA maps ({kind, id} into the backing tables); null for private anonymous memory. */
  backing: VmaBacking | null;
  /** Charged to Committed_AS (Linux's VM_ACCOUNT): private writable or shared anonymous memory. */
  acct: boolean;
  /** Offset into the backing, in pages. */
  pgoff: number;
  /** "[heap]", "[stack]" or "" (file-backed VMAs use the file's path). */
  name: string;
}

export interface MmStats {
  minorFaults: number;
  majorFaults: number;
  cowFaults: number;
}

export interface MM {
  /** Names this address space in the reverse map. */
  id: number;
  root: number;
  /** The VMAs, sorted and disjoint (vma_tree.ts; read through vmaCount, vmaAt, findVma, vmaList). */
  vmaTree: VmaNode;
  brkStart: number;
  brk: number;
  /** Hint for the next mmap without an address: allocations grow downward from here. */
  mmapBase: number;
  stackTop: number;
  argStart: number;
  /** Where exec put the auxiliary vector on the stack, and its length in bytes (/proc/PID/auxv). */
  auxvStart: number;
  auxvLen: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  /** Tasks using this address space (threads share it). */
  users: number;
  /** Pages currently mapped (resident set). */
  rss: number;
  stats: MmStats;
  /** The frame budget from RLIMIT_RSS and its replacement state (replace.ts); null without a budget. */
  budget: FrameBudget | null;
  /** The ASID its TLB entries carry (asid.ts; 0: none yet) and the allocator generation it belongs to. */
  asid: number;
  asidGen: number;
}

/** What the mm code needs from the rest of the kernel. */
export interface MmContext {
  readonly pm: PhysMem;
  /** Settings, commit accounting, counters and backing tables (vmstate.ts). */
  readonly vm: VmState;
  /**
   * The kernel, set at creation: a file backing's page-in calls its file
   * system with it, and TLB shootdowns reach the harts through its core.
   */
  kernel: Kernel | null;
}

/**
 * Invalidate cached translations of `va` in every hart's TLB (an sfence.vma
 * on each hart): those of `mm`'s ASID when given (asid.ts), else of every
 * address space.
 */
export function flushPage(ctx: MmContext, va: number, mm: MM | null = null): void {
  flushMm(ctx, mm, va);
}

export function createMM(ctx: MmContext): MM | null {
  let root = createRoot(ctx.pm);
  if (root === 0 && reclaimRetry(ctx)) root = createRoot(ctx.pm);
  if (root === 0) return null;
  return {
    id: ctx.pm.nextMmId++, root, vmaTree: vtCreate(), brkStart: 0, brk: 0, mmapBase: STACK_TOP - STACK_RESERVE - STACK_GUARD_GAP,
    stackTop: STACK_TOP, argStart: 0, argEnd: 0, auxvStart: 0, auxvLen: 0, envStart: 0, envEnd: 0, users: 1, rss: 0,
    stats: { minorFaults: 0, majorFaults: 0, cowFaults: 0 }, budget: null, asid: 0, asidGen: 0,
  };
}

export function pageUp(x: number): number {
  return Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
}
export function pageDown(x: number): number {
  return Math.floor(x / PAGE_SIZE) * PAGE_SIZE;
}

/** The VMA containing `va`, or undefined. */
export function findVma(mm: MM, va: number): Vma | undefined {
  return vtFind(mm.vmaTree, va);
}

/** How many VMAs the address space has. */
export function vmaCount(mm: MM): number {
  return vtCount(mm.vmaTree);
}

/** The i-th VMA in address order (0 <= i < vmaCount). */
export function vmaAt(mm: MM, i: number): Vma {
  return vtAt(mm.vmaTree, i);
}

/** Every VMA in address order (a new array: for walks over the whole address space). */
export function vmaList(mm: MM): Vma[] {
  return vtToArray(mm.vmaTree);
}

/** PTE permission bits for a VMA's protection (private writable pages start without W: COW). */
export function pteFlags(prot: number): number {
  let f = PTE_V | PTE_U | PTE_A;
  if (prot & PROT_READ) f |= PTE_R;
  if (prot & PROT_WRITE) f |= PTE_W | PTE_R | PTE_D;
  if (prot & PROT_EXEC) f |= PTE_X;
  return f;
}

/** Everything: anonymous memory and private file mappings may get any protection. */
export const MAY_ALL = PROT_READ | PROT_WRITE | PROT_EXEC;

/** How the file behind an mmap was opened and where it lives: what Linux derives VM_MAY* from. */
export interface MmapFileAccess {
  /** Opened for reading / for writing (FMODE_READ / FMODE_WRITE). */
  readable: boolean;
  writable: boolean;
  /** On a noexec mount: no PROT_EXEC now or later. */
  noexec: boolean;
  /** Write-sealed (F_SEAL_WRITE / F_SEAL_FUTURE_WRITE): no shared writable mapping now or later. */
  writeSealed: boolean;
}

/**
 * Linux's mmap permission rules (do_mmap): the VMA's mayProt for mapping
 * `prot` of a file opened as `file` (null: anonymous memory), or -errno.
 *   - MAP_SHARED with PROT_WRITE needs the file open for writing (EACCES);
 *     without it the mapping may never become writable (no VM_MAYWRITE), so
 *     mprotect(PROT_WRITE) fails later instead of writing a file its caller
 *     could not write with write(2). Write seals do the same (EPERM now).
 *   - Any file mapping needs the file open for reading (EACCES).
 *   - On a noexec mount PROT_EXEC is refused (EPERM) and may never be added.
 *   - MAP_PRIVATE keeps PROT_WRITE possible: writes go to private copies.
 */
export function mmapMayProt(prot: number, shared: boolean, file: MmapFileAccess | null): number {
  if (!file) return MAY_ALL;
  let may = MAY_ALL;
  if (shared) {
    if ((prot & PROT_WRITE) && !file.writable) return -EACCES;
    if (!file.writable) may &= ~PROT_WRITE;
  }
  if (!file.readable) return -EACCES;
  if (file.noexec) {
    if (prot & PROT_EXEC) return -EPERM;
    may &= ~PROT_EXEC;
  }
  if (shared && file.writeSealed) {
    if (prot & PROT_WRITE) return -EPERM;
    may &= ~PROT_WRITE;
  }
  return may;
}

/**
 * vm.mmap_min_addr: a fixed address below it needs privilege (Linux asks
 * for CAP_SYS_RAWIO, which root has), so that a NULL pointer in the kernel
 * or a setuid program can never reach a page the user filled. 0 or -EPERM.
 */
export function checkMmapAddr(addr: number, minAddr: number, privileged: boolean): number {
  return addr < minAddr && !privileged ? -EPERM : 0;
}

/**
 * Index of the first VMA that ends after `addr` (the VMAs are sorted and
 * disjoint): where a range starting at `addr` meets the list. A binary
 * search, so that munmap and mprotect of one page cost O(log n) to find
 * their VMAs even after a mapping was split into thousands (stress-ng
 * --mmap unmaps and reprotects a big mapping page by page).
 */
export function vmaIndexAfter(mm: MM, addr: number): number {
  return vtIndexAfter(mm.vmaTree, addr);
}

function insertVma(mm: MM, vma: Vma): void {
  mm.vmaTree = vtInsert(mm.vmaTree, vmaIndexAfter(mm, vma.start), vma);
}

/** Replace `del` VMAs from index i with `add` (the tree's splice). */
function spliceVmas(mm: MM, i: number, del: number, add: readonly Vma[]): void {
  mm.vmaTree = vtSplice(mm.vmaTree, i, del, add);
}

/** Whether any VMA overlaps [start, end). */
export function rangeUsed(mm: MM, start: number, end: number): boolean {
  const i = vmaIndexAfter(mm, start);
  return i < vmaCount(mm) && vmaAt(mm, i).start < end;
}

/** Find a free range of `len` bytes below mm.mmapBase (top-down, like Linux). Returns 0 if none. */
export function findFreeRange(mm: MM, len: number): number {
  let top = mm.mmapBase;
  // From the last VMA starting below mmapBase down (the ones above it are never candidates).
  for (let i = Math.min(vmaCount(mm), vmaIndexAfter(mm, top) + 1) - 1; i >= -1; i--) {
    const below = i >= 0 ? vmaAt(mm, i) : undefined;
    if (below && below.start >= top) continue;
    const floor = below ? below.end : MMAP_MIN_ADDR;
    if (top - len >= floor) return top - len;
    if (below) top = Math.min(top, below.start);
  }
  return 0;
}

/** Drop the pages mapped in [start, end) and their PTEs (munmap, MADV_DONTNEED). */
export function unmapPages(ctx: MmContext, mm: MM, start: number, end: number): void {
  // Budgeted pages evicted to the in-kernel backing have no PTE: free them too.
  if (mm.budget) budgetForget(ctx, mm, start, end);
  forEachPte(ctx.pm, mm.root, start, end, (va, a, pte) => {
    writePte(ctx.pm, a, 0);
    // A page out on swap: its slot loses a user (swap.ts).
    if (isSwapPte(pte)) { swapFree(ctx, pte); return; }
    zapDirty(ctx.pm, pte); // a store since the last write-back: the file's page is dirty
    rmapRemove(ctx.pm, ptePa(pte), mm.id, va);
    putFrame(ctx.pm, ptePa(pte));
    swapCacheTrim(ctx, ptePa(pte));
    mm.rss--;
    // A PROT_NONE page's PTE was not valid: no TLB holds it.
    if (pte & PTE_V) flushPage(ctx, va, mm);
  }, true);
}

/** Remove [start, end) from the address space, splitting VMAs at the edges. */
export function unmapRange(ctx: MmContext, mm: MM, start: number, end: number): void {
  // Only the VMAs that meet [start, end) are visited and replaced in place.
  const out: Vma[] = [];
  const bt = ctx.vm.backings;
  const first = vmaIndexAfter(mm, start);
  const n = vmaCount(mm);
  let last = first;
  for (; last < n && vmaAt(mm, last).start < end; last++) {
    const v = vmaAt(mm, last);
    if (v.start < start) {
      out.push({ ...v, end: start });
      if (v.backing) backingHold(bt, v.backing);
    }
    if (v.end > end) {
      out.push({ ...v, start: end, pgoff: v.pgoff + (end - v.start) / PAGE_SIZE });
      if (v.backing) backingHold(bt, v.backing);
    }
    if (v.acct) vmUnacct(ctx.vm, (Math.min(v.end, end) - Math.max(v.start, start)) / PAGE_SIZE);
    if (v.backing) backingRelease(ctx.kernel!, bt, v.backing);
  }
  if (last > first) spliceVmas(mm, first, last - first, out);
  unmapPages(ctx, mm, start, end);
}

/**
 * Create a mapping (the mechanism behind mmap, the ELF loader and brk).
 * `addr` is used as given with MAP_FIXED (replacing what was there), refused
 * with EEXIST under MAP_FIXED_NOREPLACE, and otherwise a hint.
 * Returns the address or -errno.
 */
export function mapRegion(
  ctx: MmContext, mm: MM, addr: number, len: number, prot: number, flags: number,
  src: BackingSource | null, pgoff: number, name = "", mayProt = MAY_ALL,
): number {
  if (len <= 0) return -EINVAL;
  if (prot & ~mayProt) return -EACCES;
  if (vmaCount(mm) > ctx.vm.maxMapCount) return -ENOMEM;
  len = pageUp(len);
  if (len > USER_TOP) return -ENOMEM;
  let start = pageDown(addr);
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (addr % PAGE_SIZE !== 0) return -EINVAL;
    // The caller checked vm.mmap_min_addr (checkMmapAddr); page 0 is a valid user page otherwise.
    if (start < 0 || start + len > USER_TOP) return -ENOMEM;
  }
  // Charge first, so that a refused call has removed nothing. As in Linux's
  // mmap_region, MAP_FIXED over charged memory only needs the difference:
  // the replaced pages' charge moves to the new mapping.
  const acct = accountable(ctx.vm, prot, flags, src);
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  const replaced = acct && fixed && !(flags & MAP_FIXED_NOREPLACE) ? chargedIn(mm, start, start + len) : 0;
  const charge = acct ? len / PAGE_SIZE - replaced : 0;
  if (acct && !vmAcct(ctx.pm, ctx.vm, charge)) return -ENOMEM;
  if (fixed && !(flags & MAP_FIXED_NOREPLACE) && src === null && name === "" && !(flags & MAP_GROWSDOWN)) {
    // MAP_FIXED of private anonymous memory over the same kind of memory
    // inside one VMA: the old pages go and the VMA stays as it is (what
    // Linux's split then merge ends with), and the charge is unchanged.
    const v = findVma(mm, start);
    const vflags = flags & (MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN);
    if (v !== undefined && v.end >= start + len && anonMergeable(v, prot, mayProt, vflags, acct)) {
      unmapPages(ctx, mm, start, start + len);
      return start;
    }
  }
  if (fixed) {
    if (rangeUsed(mm, start, start + len)) {
      if (flags & MAP_FIXED_NOREPLACE) { vmUnacct(ctx.vm, charge); return -EEXIST; }
      unmapRange(ctx, mm, start, start + len);
      if (replaced > 0) vmAcctForce(ctx.vm, replaced);
    }
  } else if (start === 0 || start < MMAP_MIN_ADDR || start + len > USER_TOP || rangeUsed(mm, start, start + len)) {
    start = findFreeRange(mm, len);
    if (start === 0) { vmUnacct(ctx.vm, charge); return -ENOMEM; }
  }
  const backing = src ? backingAcquire(ctx.vm.backings, src) : null;
  const vflags = flags & (MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN);
  if (backing === null && name === "" && !(vflags & MAP_GROWSDOWN) && mergeAnon(mm, start, start + len, prot, mayProt, vflags, acct)) return start;
  insertVma(mm, { start, end: start + len, prot, mayProt, flags: vflags, backing, acct, pgoff, name });
  return start;
}

/** Whether `v` is private anonymous memory that a new mapping with these attributes may join (Linux's is_mergeable_vma). */
function anonMergeable(v: Vma | undefined, prot: number, mayProt: number, flags: number, acct: boolean): v is Vma {
  return v !== undefined && v.backing === null && v.name === "" && v.prot === prot && v.mayProt === mayProt && v.flags === flags && v.acct === acct;
}

/**
 * A new private anonymous mapping [start, end) next to one or two with the
 * same attributes extends them instead of becoming a VMA of its own (Linux's
 * vma_merge: two adjacent anonymous mmaps show as one line in maps). Returns
 * false when no neighbour fits. Besides being what Linux shows, it keeps the
 * VMA list short: stress-ng --mmap remaps a 256 MiB area page by page, which
 * unmerged made 65536 VMAs, each insertion moving the whole array.
 */
function mergeAnon(mm: MM, start: number, end: number, prot: number, mayProt: number, flags: number, acct: boolean): boolean {
  const i = vmaIndexAfter(mm, start);
  const prev = i > 0 ? vmaAt(mm, i - 1) : undefined;
  const next = i < vmaCount(mm) ? vmaAt(mm, i) : undefined;
  const joinPrev = anonMergeable(prev, prot, mayProt, flags, acct) && prev.end === start;
  const joinNext = anonMergeable(next, prot, mayProt, flags, acct) && next.start === end;
  if (joinPrev && joinNext) { prev.end = next.end; mm.vmaTree = vtRemove(mm.vmaTree, i); return true; }
  if (joinPrev) { prev.end = end; return true; }
  if (joinNext) { next.start = start; return true; }
  return false;
}

/** Pages of charged VMAs inside [start, end). */
function chargedIn(mm: MM, start: number, end: number): number {
  // Only the VMAs that meet [start, end), found by binary search: a MAP_FIXED
  // of one page among tens of thousands of VMAs (stress-ng --mmap) must not
  // cost a walk over all of them.
  let n = 0;
  const count = vmaCount(mm);
  for (let i = vmaIndexAfter(mm, start); i < count && vmaAt(mm, i).start < end; i++) {
    const v = vmaAt(mm, i);
    if (v.acct) n += (Math.min(v.end, end) - Math.max(v.start, start)) / PAGE_SIZE;
  }
  return n;
}

/**
 * Whether a new mapping is charged to Committed_AS (Linux's
 * accountable_mapping plus shmem's own charge): private writable memory, and
 * shared anonymous memory; MAP_NORESERVE opts out except in mode 2.
 */
function accountable(vm: VmState, prot: number, flags: number, src: BackingSource | null): boolean {
  if ((flags & MAP_NORESERVE) && vm.overcommitMemory !== OVERCOMMIT_NEVER) return false;
  // A System V segment does its own accounting (at shmget): its attachments are never charged.
  if (flags & MAP_SHARED) return src !== null && (src.kind === "new-shmem" || (src.kind === "shmem" && !vm.backings.shmem.get(src.id)?.charged));
  return (prot & PROT_WRITE) !== 0;
}

/**
 * Resize an accountable VMA's charge by `pages` (brk, mremap in place, stack
 * growth): false, with nothing changed, when the policy refuses.
 */
export function vmaGrowCharge(ctx: MmContext, v: Vma, pages: number): boolean {
  if (!v.acct || pages <= 0) return true;
  return vmAcct(ctx.pm, ctx.vm, pages);
}

/**
 * Change protections on [start, end) (mprotect). Returns 0 or -errno:
 * ENOMEM when part of the range is not mapped, EACCES when a VMA may not
 * get `prot` (its mayProt lacks a bit). Nothing changes on failure (the
 * checks run in address order first, so the errno is the one Linux gives
 * for the first offending VMA).
 */
export function protectRange(ctx: MmContext, mm: MM, start: number, end: number, prot: number): number {
  // Held pages (frame budget) would come back with their old permissions: map them first.
  budgetRestoreAll(ctx, mm);
  // The VMAs meeting [start, end) are the VMAs [first, last): only those are looked at and replaced.
  const first = vmaIndexAfter(mm, start);
  const count = vmaCount(mm);
  let last = first;
  let covered = start;
  for (; last < count && vmaAt(mm, last).start < end; last++) {
    const v = vmaAt(mm, last);
    if (v.start > covered) return -ENOMEM;
    if (prot & ~v.mayProt) return -EACCES;
    covered = v.end;
  }
  if (covered < end) return -ENOMEM;
  // Making private memory writable charges it (mprotect_fixup: it stays
  // charged when write is taken away again, as VM_ACCOUNT stays set).
  let charge = 0;
  if (prot & PROT_WRITE) {
    for (let i = first; i < last; i++) {
      const v = vmaAt(mm, i);
      if (v.acct || (v.flags & MAP_SHARED)) continue;
      charge += (Math.min(v.end, end) - Math.max(v.start, start)) / PAGE_SIZE;
    }
    if (charge > 0 && !vmAcct(ctx.pm, ctx.vm, charge)) return -ENOMEM;
  }
  const bt = ctx.vm.backings;
  const out: Vma[] = [];
  for (let i = first; i < last; i++) {
    const v = vmaAt(mm, i);
    const a = Math.max(v.start, start), b = Math.min(v.end, end);
    if (v.start < a) { out.push({ ...v, end: a }); if (v.backing) backingHold(bt, v.backing); }
    const acct = v.acct || (charge > 0 && !(v.flags & MAP_SHARED));
    out.push({ ...v, start: a, end: b, prot, acct, pgoff: v.pgoff + (a - v.start) / PAGE_SIZE });
    if (v.end > b) { out.push({ ...v, start: b, pgoff: v.pgoff + (b - v.start) / PAGE_SIZE }); if (v.backing) backingHold(bt, v.backing); }
  }
  spliceVmas(mm, first, last - first, out);
  // Rewrite present PTEs: keep COW pages read-only until their first write.
  forEachPte(ctx.pm, mm.root, start, end, (va, a, pte) => {
    const vma = findVma(mm, va)!;
    let f = pteFlags(prot);
    const shared = (vma.flags & MAP_SHARED) !== 0;
    if ((pte & PTE_COW) || (!shared && !(pte & PTE_W) && (prot & PROT_WRITE))) {
      // Not yet privately owned: stay read-only, marked COW.
      f = (f & ~(PTE_W | PTE_D)) | PTE_COW;
      if (!(prot & PROT_WRITE)) f &= ~PTE_COW;
    }
    // PROT_NONE: R=W=X=0 with V=1 would read as a pointer to a next-level
    // table, so the PTE is made invalid and keeps its frame under PTE_PROTNONE.
    if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC))) f = PTE_PROTNONE;
    // A page written before stays dirty whatever the new protection (Linux's
    // pte_modify keeps the dirty bit): smaps and reclaim read it.
    f |= pte & PTE_D;
    writePte(ctx.pm, a, makePte(ptePa(pte), f));
    // Leaving PROT_NONE (V was clear) drops no cached translation: there was none.
    if (pte & PTE_V) flushPage(ctx, va, mm);
  });
  budgetEnforce(ctx, mm);
  return 0;
}

/**
 * Copy an address space for fork: VMAs are duplicated; private pages become
 * copy-on-write in both parent and child (one frame, two references);
 * shared pages stay shared.
 */
export function forkMM(ctx: MmContext, parent: MM): MM | null {
  // Pages a frame budget keeps off the page table come back first, so the child copies them too.
  budgetRestoreAll(ctx, parent);
  const child = createMM(ctx);
  if (!child) return null;
  Object.assign(child, {
    brkStart: parent.brkStart, brk: parent.brk, mmapBase: parent.mmapBase, stackTop: parent.stackTop,
    argStart: parent.argStart, argEnd: parent.argEnd, auxvStart: parent.auxvStart, auxvLen: parent.auxvLen, envStart: parent.envStart, envEnd: parent.envEnd,
  });
  // The child's private writable memory is promised again (dup_mmap charges it).
  let charge = 0;
  const pvmas = vmaList(parent);
  for (const v of pvmas) if (v.acct) charge += (v.end - v.start) / PAGE_SIZE;
  if (!vmAcct(ctx.pm, ctx.vm, charge)) { destroyMM(ctx, child); return null; }
  const bt = ctx.vm.backings;
  child.vmaTree = vtFromArray(pvmas.map((v) => { if (v.backing) backingHold(bt, v.backing); return { ...v }; }));
  let ok = true;
  for (const v of pvmas) {
    const shared = (v.flags & MAP_SHARED) !== 0;
    forEachPte(ctx.pm, parent.root, v.start, v.end, (va, a, pte0) => {
      if (!ok) return;
      // The child's page table first: with no free frame, direct reclaim
      // (alloc.ts). Reclaim may have sent this very page to swap or dropped
      // it, so the parent's PTE is read again after it. (The child's own
      // mappings are safe from it: its address space is not live yet, and
      // reclaim leaves a frame with a mapper it cannot reach.)
      let ca = walk(ctx.pm, child.root, va, true);
      if (ca === 0 && reclaimRetry(ctx)) ca = walk(ctx.pm, child.root, va, true);
      if (ca === 0) { ok = false; return; }
      const pte = pte0 === readPte(ctx.pm, a) ? pte0 : readPte(ctx.pm, a);
      if (pte === 0) return;
      if (isSwapPte(pte)) {
        // A page out on swap: the child names the same slot (one more user of it).
        writePte(ctx.pm, ca, pte);
        swapDup(ctx, pte);
        return;
      }
      let p = pte;
      if (!shared && (pte & PTE_W)) {
        // Write-protected, but still dirty (Linux's copy_present_pte keeps
        // the D bit): the page's data is newer than any backing store, so
        // smaps shows it Shared_Dirty and reclaim must not drop it.
        p = ((pte & ~PTE_W) | PTE_COW) >>> 0;
        writePte(ctx.pm, a, p);
        flushPage(ctx, va, parent);
      }
      writePte(ctx.pm, ca, p);
      getFrame(ctx.pm, ptePa(p));
      rmapAdd(ctx.pm, ptePa(p), child.id, va);
      child.rss++;
    }, true);
  }
  if (!ok) { destroyMM(ctx, child); return null; }
  // Both address spaces go back within the budget (the child inherits RLIMIT_RSS and the budgeted set).
  budgetForked(ctx, parent, child);
  return child;
}

/** Drop one user of the address space; the last one frees pages, tables and file references. */
export function releaseMM(ctx: MmContext, mm: MM): void {
  if (--mm.users > 0) return;
  destroyMM(ctx, mm);
}

function destroyMM(ctx: MmContext, mm: MM): void {
  const bt = ctx.vm.backings;
  if (mm.budget) { budgetForget(ctx, mm, 0, USER_TOP); mm.budget = null; }
  for (const v of vmaList(mm)) {
    forEachPte(ctx.pm, mm.root, v.start, v.end, (va, _a, pte) => {
      if (isSwapPte(pte)) { swapFree(ctx, pte); return; }
      zapDirty(ctx.pm, pte);
      rmapRemove(ctx.pm, ptePa(pte), mm.id, va);
      putFrame(ctx.pm, ptePa(pte));
      swapCacheTrim(ctx, ptePa(pte));
    }, true);
    if (v.acct) vmUnacct(ctx.vm, (v.end - v.start) / PAGE_SIZE);
    if (v.backing) backingRelease(ctx.kernel!, bt, v.backing);
  }
  mm.vmaTree = vtCreate();
  mm.rss = 0;
  freeTables(ctx.pm, mm.root);
  mm.root = 0;
}

/** Frame sharing for /proc: how many references the frame mapped at `va` has (0 if unmapped). */
export function pageSharers(ctx: MmContext, mm: MM, va: number): number {
  const a = walk(ctx.pm, mm.root, va, false);
  if (a === 0) return 0;
  const pte = readPte(ctx.pm, a);
  return pte & (PTE_V | PTE_PROTNONE) ? frameRefs(ctx.pm, ptePa(pte)) : 0;
}

/**
 * Move the present PTEs of [src, src+len) to dst (mremap): the frames move
 * with them, nothing is copied; the reverse map follows. A PTE that cannot
 * be placed (no memory for a page table, even after direct reclaim) drops
 * its page.
 */
export function movePages(ctx: MmContext, mm: MM, src: number, dst: number, len: number): void {
  const pm = ctx.pm;
  budgetRestoreAll(ctx, mm);
  // The destination's page tables first, while nothing has moved yet: with
  // no free frame, direct reclaim runs (alloc.ts), and it must find every
  // page still mapped where it was. Each 2 MiB window that receives a page
  // needs its table.
  const windows: number[] = [];
  forEachPte(pm, mm.root, src, src + len, (va) => {
    const w = Math.floor((va - src + dst) / 2 ** 21);
    if (windows.length === 0 || windows[windows.length - 1] !== w) windows.push(w);
  }, true);
  for (const w of windows) {
    const va = Math.max(dst, w * 2 ** 21);
    if (walk(pm, mm.root, va, true) === 0 && reclaimRetry(ctx)) walk(pm, mm.root, va, true);
  }
  const moves: number[] = [];
  forEachPte(pm, mm.root, src, src + len, (va, a, pte) => {
    moves.push(va - src + dst, pte);
    writePte(pm, a, 0);
    if (isSwapPte(pte)) return; // a swap entry moves as it is
    rmapRemove(pm, ptePa(pte), mm.id, va);
    if (pte & PTE_V) flushPage(ctx, va, mm); // a PROT_NONE page was never cached
  }, true);
  for (let i = 0; i < moves.length; i += 2) {
    const va = moves[i], pte = moves[i + 1];
    const swapped = isSwapPte(pte);
    const a = walk(pm, mm.root, va, true);
    if (a === 0) {
      if (swapped) swapFree(ctx, pte);
      else { putFrame(pm, ptePa(pte)); mm.rss--; }
      continue;
    }
    writePte(pm, a, pte);
    if (!swapped) rmapAdd(pm, ptePa(pte), mm.id, va);
  }
  budgetEnforce(ctx, mm);
}
