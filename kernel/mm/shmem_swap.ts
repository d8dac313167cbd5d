// Swap for shared memory objects (Linux's shmem swap): the pages of a
// MAP_SHARED | MAP_ANONYMOUS region (or a mapping of /dev/zero) and of a
// System V segment, which live in one ShmemObject (backing.ts) that many
// page tables map.
//
// Such a page cannot keep its swap entry in a PTE: several processes map it,
// and one not mapping it now may map it later. As Linux's shmem does, the
// entry lives in the object's page index (ShmemObject.swapped: page index ->
// swap entry) and every PTE that maps the frame is cleared through the
// reverse map (rmap.ts), with the TLB entry flushed on every hart. The next
// access by any process is an ordinary fault on an empty PTE: the page-in
// (backing.ts backingGetPage) finds the entry, reads the slot into a new
// frame, puts the frame back in the index and frees the slot (Linux frees a
// shmem page's swap entry once it is back: the page is the object's again),
// and maps it. A write by one process after the swap-in is seen by the
// others: they all fault in the same frame.
//
// Reclaim (anon_reclaim.ts) asks here for frames once private anonymous
// pages are scanned: second chance on the A bits of every PTE mapping the
// frame. A frame something else holds (a kernel reference, a pinned one) is
// passed over, as is one mapped by an address space the scan cannot reach.
// swapoff brings every page of the area back (shmemSwapoff).
//
// Concepts: C55 (swap in and out of shared memory: the entry in the object's
// page index, swap-in on fault), C43 (shared memory stays shared across a
// round trip through swap), C59 (the reverse map unmaps a shared frame from
// every page table).
import type { MM, MmContext } from "./mm.js";
import type { Task } from "../proc/task.js";
import type { ShmemObject } from "./backing.js";
import { FRAME_SHMEM, FF_PINNED, PAGE_SIZE, allocFrameNoZero, putFrame, frameRefs, frameIndex } from "./phys.js";
import { rmapPtes, rmapReachable, RMAP_CLEAR_A, RMAP_UNMAP } from "./rmap.js";
import { swapAvailable, swapWriteNew, swapReadEntry, swapFree, swapEntryType, SWAPIN_OK, SWAPIN_RETRY } from "./swap.js";

/** backingGetPage's answer when the page's swap read is in flight (the task sleeps in D; the access reruns). */
export const SHMEM_RETRY = -1001;
/** ... and when the read failed (the access gets SIGBUS, as Linux's VM_FAULT_SIGBUS for a bad swap read). */
export const SHMEM_EIO = -5;

/** The mappings of frame `f`: every one must be in `mms`; their number, or -1 (rmap.ts rmapReachable). */
export function mappers(ctx: MmContext, mms: Map<number, MM>, f: number): number {
  return rmapReachable(ctx.pm, mms, f);
}

/** Whether a PTE mapping frame `f` has A set; those bits are cleared (a second chance) and the TLB entries flushed. */
export function referencedClear(ctx: MmContext, mms: Map<number, MM>, f: number): boolean {
  return rmapPtes(ctx, mms, f, RMAP_CLEAR_A) > 0;
}

/**
 * Send page `index` (frame `pa`) of a page index to swap: the slot is
 * written, every PTE mapping the frame cleared, the entry put in `swapped`
 * in place of the frame in `pages`, and the frame freed. False when swap
 * is full or the write could not start. The caller counts the page.
 */
export function swapOutIndexPage(ctx: MmContext, mms: Map<number, MM>, pages: Map<number, number>, swapped: Map<number, number>, index: number, pa: number): boolean {
  const entry = swapWriteNew(ctx, pa);
  if (entry === 0) return false;
  unmapEverywhere(ctx, mms, pa);
  pages.delete(index);
  swapped.set(index, entry);
  putFrame(ctx.pm, pa);
  return true;
}

/** Unmap frame `pa` from every page table (through the reverse map): the PTEs become empty, each dropping its reference. */
export function unmapEverywhere(ctx: MmContext, mms: Map<number, MM>, pa: number): void {
  rmapPtes(ctx, mms, frameIndex(pa), RMAP_UNMAP);
}

/**
 * What a scan of page indexes needs to know of one kind of object: shared
 * memory objects (here) and tmpfs files (tmpfs_swap.ts). Module-level
 * constant tables, never kernel state.
 */
export interface IndexScan<T> {
  /** The object's pages in RAM (page index -> frame), or null to pass the whole object over (SHM_LOCK). */
  pages(o: T): Map<number, number> | null;
  /** Whether frame `f` may go, beyond what every scan checks (not pinned, no other holder, not referenced). */
  eligible(ctx: MmContext, f: number): boolean;
  /** Send the page to swap (swapOutIndexPage and the kind's counters). */
  swapOut(ctx: MmContext, mms: Map<number, MM>, o: T, index: number, pa: number): boolean;
}

/**
 * Scan the page indexes of `objs` (id -> object) for up to `want` frames to
 * free to swap, from where the last scan stopped (`hand`), in two turns:
 * the first may only clear the A bits of mapped pages (a second chance).
 * A frame something else holds (a kernel reference, a pinned one) is
 * passed over, as is one mapped by an address space the scan cannot reach.
 * Returns [scanned, freed].
 */
export function shrinkIndexes<T>(ctx: MmContext, mms: Map<number, MM>, want: number, objs: Map<number, T>, hand: { id: number; index: number }, kind: IndexScan<T>): [number, number] {
  if (want <= 0 || objs.size === 0 || !swapAvailable(ctx.vm.swap)) return [0, 0];
  const pm = ctx.pm;
  const ids = [...objs.keys()].sort((a, b) => a - b);
  let start = ids.findIndex((id) => id >= hand.id);
  if (start < 0) start = 0;
  let scanned = 0, freed = 0;
  for (let turn = 0; turn < 2 && freed < want; turn++) {
    for (let n = 0; n <= ids.length && freed < want; n++) {
      const id = ids[(start + n) % ids.length];
      const o = objs.get(id)!;
      const pages = kind.pages(o);
      if (pages === null) continue;
      const from = id === hand.id ? hand.index : 0;
      const indexes = [...pages.keys()].filter((i) => i >= from).sort((a, b) => a - b);
      for (const index of indexes) {
        if (freed >= want) break;
        const pa = pages.get(index)!;
        const f = frameIndex(pa);
        scanned++;
        if ((pm.flags[f] & FF_PINNED) || !kind.eligible(ctx, f)) continue;
        const m = mappers(ctx, mms, f);
        // Only the object and the PTEs may hold it: another reference (the kernel using it now) keeps it.
        if (m < 0 || frameRefs(pm, pa) !== 1 + m) continue;
        if (m > 0 && referencedClear(ctx, mms, f)) continue;
        if (!kind.swapOut(ctx, mms, o, index, pa)) return [scanned, freed];
        freed++;
        hand.id = id; hand.index = index + 1;
      }
      if (freed >= want) break;
      hand.id = ids[(start + n + 1) % ids.length]; hand.index = 0;
    }
  }
  return [scanned, freed];
}

/** Shared memory objects in the scan: all of a segment locked with SHM_LOCK stays. */
const SHMEM_SCAN: IndexScan<ShmemObject> = {
  pages: (o) => (o.locked ? null : o.frames),
  eligible: () => true,
  swapOut(ctx, mms, o, index, pa) {
    if (!swapOutIndexPage(ctx, mms, o.frames, o.swapped, index, pa)) return false;
    ctx.vm.swap.shmemSwapped++;
    return true;
  },
};

/**
 * Scan shared memory objects for up to `want` frames to free to swap
 * (shrinkIndexes); returns [scanned, freed].
 */
export function shrinkShmem(ctx: MmContext, mms: Map<number, MM>, want: number): [number, number] {
  return shrinkIndexes(ctx, mms, want, ctx.vm.backings.shmem, ctx.vm.swap.shmemHand, SHMEM_SCAN);
}

/**
 * Page `index` of `o` is on swap: read it into a new frame, which becomes the
 * object's again (its slot is freed). The frame (the object's reference
 * only), 0 when out of memory, SHMEM_RETRY (the read is in flight: `t`
 * sleeps in D) or SHMEM_EIO.
 */
export function shmemSwapIn(ctx: MmContext, o: ShmemObject, index: number, t: Task | null): number {
  const entry = o.swapped.get(index)!;
  const pm = ctx.pm;
  const fr = allocFrameNoZero(pm, FRAME_SHMEM);
  if (fr === 0) return 0;
  const r = swapReadEntry(ctx, entry, fr, t);
  if (r !== SWAPIN_OK) { putFrame(pm, fr); return r === SWAPIN_RETRY ? SHMEM_RETRY : SHMEM_EIO; }
  swapFree(ctx, entry);
  o.swapped.delete(index);
  o.frames.set(index, fr);
  ctx.vm.swap.shmemSwapped--;
  return fr;
}

/** The object goes away: its slots are freed. */
export function shmemSwapRelease(ctx: MmContext, o: ShmemObject): void {
  for (const entry of o.swapped.values()) swapFree(ctx, entry);
  ctx.vm.swap.shmemSwapped -= o.swapped.size;
  o.swapped.clear();
}

/**
 * swapoff of area `type`: every shared memory page on it comes back into
 * its object (with `t` null a disk that answers later is -EAGAIN: the
 * caller restarts). 0, -ENOMEM or -EAGAIN, or -EIO.
 * On -ENOMEM the pages read so far stay in; the caller (syscalls/swap.ts)
 * runs reclaim, which cannot use the draining area, and calls again.
 */
export function shmemSwapoff(ctx: MmContext, type: number, t: Task | null): number {
  for (const o of ctx.vm.backings.shmem.values()) {
    if (o.swapped.size === 0) continue;
    for (const [index, entry] of [...o.swapped]) {
      if (swapEntryType(entry) !== type) continue;
      const fr = shmemSwapIn(ctx, o, index, t);
      if (fr === 0) return -12;
      if (fr === SHMEM_RETRY) return -11;
      if (fr < 0) return -5;
    }
  }
  return 0;
}

/** Pages of `o` in [first, last) that are on swap (smaps' Swap: for a shared mapping). */
export function shmemSwappedIn(o: ShmemObject, first: number, last: number): number {
  if (o.swapped.size === 0) return 0;
  let n = 0;
  for (const i of o.swapped.keys()) if (i >= first && i < last) n++;
  return n;
}
