// Swap for tmpfs files (Linux's shmem_writepage for /dev/shm, shm_open,
// memfd_create and tmpfs mounts): a tmpfs file's page cache is its only
// storage, so clean-page reclaim (reclaim.ts) can never take it; with a swap
// area on, reclaim sends such pages to swap instead, as shmem_swap.ts does
// for shared anonymous memory.
//
// The page's swap entry lives in the file's page index (PageCache.swapped:
// page index -> swap entry), beside the frames of the pages in RAM
// (PageCache.pages). A page that goes out is unmapped from every page table
// through the reverse map (a mapped page too: its next access faults) and
// its frame freed. read(2), write(2) and a mapping's fault reach the page
// through the page cache (fs/pagecache.ts pcFrame), which finds the entry
// and brings the page back here: a new frame, the slot read into it and
// freed (the page is the file's again, and dirty: its only copy). A swap
// read that the disk answers later puts the task to sleep in D (the system
// call restarts, the access reruns). Truncation, hole punching and the
// file's end free the slots (pcDropPages, pcFree).
//
// PageCache.count keeps counting a page on swap (the file still holds it:
// a tmpfs size= limit and statfs see it); the frames of /proc/meminfo's
// Cached do not (k.vfs.pageCacheFrames moves here).
//
// Concepts: C55 (swap out and in of tmpfs data: the entry in the file's page
// index, swap-in on read, write and fault), C59 (the reverse map unmaps a
// file page from every page table).
import type { MM, MmContext } from "./mm.js";
import type { Task } from "../proc/task.js";
import { FRAME_PAGECACHE, FF_DIRTY, allocFrameNoZero, putFrame, frameIndex } from "./phys.js";
import { swapReadEntry, swapFree, swapEntryType, SWAPIN_OK, SWAPIN_RETRY } from "./swap.js";
import { type IndexScan, shrinkIndexes, swapOutIndexPage, SHMEM_RETRY, SHMEM_EIO } from "./shmem_swap.js";

/** What this file needs of a tmpfs file's page cache (fs/pagecache.ts PageCache; mm/ sits below fs/). */
export interface TmpfsSwapCache {
  /** Page index -> frame of the pages in RAM. */
  pages: Map<number, number>;
  /** Page index -> swap entry of the pages on swap (null until the first one goes). */
  swapped: Map<number, number> | null;
  /** Id in SwapState.tmpfsFiles (0: not registered). */
  sid: number;
}

/** A tmpfs file's pages may go to swap from now on (fs/tmpfs makes it). */
export function tmpfsSwapRegister(ctx: MmContext, pc: TmpfsSwapCache): void {
  const sw = ctx.vm.swap;
  if (pc.sid !== 0) return;
  pc.sid = sw.tmpfsNextId++;
  sw.tmpfsFiles.set(pc.sid, pc);
}

/** The file is gone: its slots are freed and reclaim forgets it. */
export function tmpfsSwapForget(ctx: MmContext, pc: TmpfsSwapCache): void {
  tmpfsSwapDrop(ctx, pc, 0, Infinity);
  if (pc.sid !== 0) ctx.vm.swap.tmpfsFiles.delete(pc.sid);
  pc.sid = 0;
}

/** Free the slots of the pages in [first, last) that are on swap (truncate, hole punch); how many went. */
export function tmpfsSwapDrop(ctx: MmContext, pc: TmpfsSwapCache, first: number, last: number): number {
  const m = pc.swapped;
  if (m === null || m.size === 0) return 0;
  let n = 0;
  for (const [i, entry] of [...m]) {
    if (i < first || i >= last) continue;
    swapFree(ctx, entry);
    m.delete(i);
    n++;
  }
  ctx.vm.swap.tmpfsSwapped -= n;
  return n;
}

/**
 * The pages of every tmpfs file (tmpfs mounts, /dev/shm, memfd) that are in
 * RAM: /proc/meminfo's Shmem counts them beside the shared-memory objects'
 * frames (Linux's NR_SHMEM). Pages on swap are not in it.
 */
export function tmpfsResidentPages(ctx: MmContext): number {
  let n = 0;
  for (const pc of ctx.vm.swap.tmpfsFiles.values()) n += pc.pages.size;
  return n;
}

/** Pages of `pc` in [first, last) that are on swap (smaps' Swap: of a tmpfs mapping). */
export function tmpfsSwappedIn(pc: TmpfsSwapCache, first: number, last: number): number {
  const m = pc.swapped;
  if (m === null || m.size === 0) return 0;
  let n = 0;
  for (const i of m.keys()) if (i >= first && i < last) n++;
  return n;
}

/** The task a swap read may put to sleep: the one the active hart runs (a system call or a fault of it), or null. */
function currentTask(ctx: MmContext): Task | null {
  const k = ctx.kernel;
  if (!k) return null;
  return k.cpus[k.active]?.current ?? null;
}

/**
 * Page `index` of `pc` is on swap: read it into a new frame, which becomes
 * the file's again (its slot is freed). The frame (held by the cache only),
 * 0 when out of memory, SHMEM_RETRY (the read is in flight: the current
 * task sleeps in D) or SHMEM_EIO.
 */
export function tmpfsSwapIn(ctx: MmContext, pc: TmpfsSwapCache, index: number): number {
  const entry = pc.swapped!.get(index)!;
  const pm = ctx.pm;
  const fr = allocFrameNoZero(pm, FRAME_PAGECACHE);
  if (fr === 0) return 0;
  const r = swapReadEntry(ctx, entry, fr, currentTask(ctx));
  if (r !== SWAPIN_OK) { putFrame(pm, fr); return r === SWAPIN_RETRY ? SHMEM_RETRY : SHMEM_EIO; }
  swapFree(ctx, entry);
  pc.swapped!.delete(index);
  // The only copy again: reclaim may not drop it.
  pm.flags[frameIndex(fr)] |= FF_DIRTY;
  pc.pages.set(index, fr);
  ctx.vm.swap.tmpfsSwapped--;
  ctx.kernel!.vfs.pageCacheFrames++;
  return fr;
}

/**
 * tmpfs files in the shared scan (shmem_swap.ts shrinkIndexes). Only pages
 * with no other copy (FF_DIRTY) go: a clean copy of initramfs bytes is
 * reclaim.ts's to drop, and so is a copy of initramfs bytes written since
 * that is still in reclaim.ts's registry (reclaim.ts imports this file
 * through anon_reclaim.ts, so it cannot be asked to forget it here).
 */
const TMPFS_SCAN: IndexScan<TmpfsSwapCache> = {
  pages: (pc) => pc.pages,
  eligible(ctx, f) {
    const rs = ctx.vm.reclaim;
    return (ctx.pm.flags[f] & FF_DIRTY) !== 0 && !(f < rs.pos.length && rs.pos[f] !== 0);
  },
  swapOut(ctx, mms, pc, index, pa) {
    if (pc.swapped === null) pc.swapped = new Map();
    if (!swapOutIndexPage(ctx, mms, pc.pages, pc.swapped, index, pa)) return false;
    ctx.vm.swap.tmpfsSwapped++;
    ctx.kernel!.vfs.pageCacheFrames--;
    return true;
  },
};

/**
 * Scan tmpfs files for up to `want` frames to free to swap (the scan
 * shared memory objects use: shmem_swap.ts shrinkIndexes); returns
 * [scanned, freed].
 */
export function shrinkTmpfs(ctx: MmContext, mms: Map<number, MM>, want: number): [number, number] {
  return shrinkIndexes(ctx, mms, want, ctx.vm.swap.tmpfsFiles, ctx.vm.swap.tmpfsHand, TMPFS_SCAN);
}

/**
 * swapoff of area `type`: every tmpfs page on it comes back into its file
 * (a disk that answers later: -EAGAIN, the caller restarts). 0, -ENOMEM,
 * -EAGAIN or -EIO.
 * On -ENOMEM the pages read so far stay in; the caller (syscalls/swap.ts)
 * runs reclaim, which cannot use the draining area, and calls again.
 */
export function tmpfsSwapoff(ctx: MmContext, type: number): number {
  for (const pc of ctx.vm.swap.tmpfsFiles.values()) {
    if (pc.swapped === null || pc.swapped.size === 0) continue;
    for (const [index, entry] of [...pc.swapped]) {
      if (swapEntryType(entry) !== type) continue;
      const fr = tmpfsSwapIn(ctx, pc, index);
      if (fr === 0) return -12;
      if (fr === SHMEM_RETRY) return -11;
      if (fr < 0) return -5;
    }
  }
  return 0;
}
