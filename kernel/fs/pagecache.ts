// A file's pages in guest frames: the page cache. read() and write() copy
// between these frames and the caller; mmap maps the very same frames
// (getPage hands out a frame with a new reference), so a write is seen by
// every mapping at once and a MAP_SHARED store is seen by read().
//
// Pages are made on demand: a page that was never written reads as zeros
// (a hole), or, for a file unpacked from the initramfs, from `src` - the
// archive's bytes - so that booting does not copy every file into guest RAM
// until someone writes or maps it. File systems with a backing store
// (hostfs) pass a `fill` function that reads the page from there.
//
// Pages of a file whose file system can write a page back (pc.owner set:
// ext2, hostfs) are registered with reclaim when filled: reclaim drops them
// when clean and writes them back first when dirty (mm/reclaim.ts).
//
// Concepts: C74 (page cache), C46 (memory-mapped files share the cache's
// frames), C50 (frames with reference counts).
import type { Kernel } from "../kernel.js";
import type { Inode } from "./vfs.js";
import { getFrame, putFrame, frameIndex, PAGE_SIZE, RAM_BASE, FRAME_PAGECACHE, FF_DIRTY } from "../mm/phys.js";
import { ENOSPC, EIO, ENOMEM, ERESTARTSYS } from "../abi/errno.js";
import { tmpfsSwapIn, tmpfsSwapDrop, tmpfsSwapForget } from "../mm/tmpfs_swap.js";
import { SHMEM_RETRY } from "../mm/shmem_swap.js";
import { reclaimRegister, reclaimForget, reclaimForgetCache } from "../mm/reclaim.js";
import { allocFrameReclaim, reclaimRetry } from "../mm/alloc.js";

export interface PageCache {
  /** Guest physical address of each cached page, by page index (a map: files may be sparse and huge). */
  pages: Map<number, number>;
  /** Bytes backing pages that are not cached yet (initramfs data), or null. */
  src: Uint8Array | null;
  /** Frames held (for statfs and /proc/meminfo). */
  count: number;
  /** Id in reclaim's registry of droppable pages (mm/reclaim.ts; 0: none registered yet). */
  rid: number;
  /**
   * The file whose pages these are, when its file system can write a page
   * back (InodeOps.writePage: ext2, hostfs): then pages filled from the
   * backing store are reclaim's to take too - dropped when clean, written
   * back first when dirty. Null: only initramfs copies are taken.
   */
  owner: Inode | null;
  /** tmpfs: page index -> swap entry of the pages out on swap (mm/tmpfs_swap.ts; null until one goes). `count` still counts them. */
  swapped: Map<number, number> | null;
  /** tmpfs: id among the files whose pages may go to swap (mm/tmpfs_swap.ts; 0: not one). */
  sid: number;
}

/** Reads page `index` of the backing store into `dst` (PAGE_SIZE bytes, zero-filled beforehand). */
export type PageFill = (index: number, dst: Uint8Array) => void;

export function createPageCache(src: Uint8Array | null = null): PageCache {
  return { pages: new Map(), src: src && src.length > 0 ? src : null, count: 0, rid: 0, owner: null, swapped: null, sid: 0 };
}

/** Frames used by every page cache (the "Cached" of /proc/meminfo). */
export function cachedPages(k: Kernel): number {
  return k.vfs.pageCacheFrames;
}
function account(k: Kernel, n: number): void {
  k.vfs.pageCacheFrames = cachedPages(k) + n;
}

/**
 * The frame of page `index`, made (from src / fill, or zeros) or brought
 * back from swap (tmpfs) if needed; 0 when out of memory, SHMEM_RETRY (a
 * swap read is in flight: the current task sleeps in D) or SHMEM_EIO.
 */
export function pcFrame(k: Kernel, pc: PageCache, index: number, fill?: PageFill): number {
  const have = pc.pages.get(index);
  if (have) return have;
  if (pc.swapped !== null && pc.swapped.size !== 0 && pc.swapped.has(index)) {
    // Direct reclaim when there is no frame for it, as the fault path does (read(2) and write(2) have no fault to retry).
    const r = tmpfsSwapIn(k.mmctx, pc, index);
    return r === 0 && reclaimRetry(k.mmctx) ? tmpfsSwapIn(k.mmctx, pc, index) : r;
  }
  const src = pc.src;
  const start = index * PAGE_SIZE;
  let fr: number;
  if (src && start < src.length) {
    // Every allocation here is made for a system call or a fault: direct reclaim when no frame is free (mm/alloc.ts).
    fr = allocFrameReclaim(k.mmctx, FRAME_PAGECACHE, false);
    if (fr === 0) return 0;
    const off = fr - RAM_BASE;
    const piece = src.subarray(start, Math.min(src.length, start + PAGE_SIZE));
    k.pm.ram.set(piece, off);
    if (piece.length < PAGE_SIZE) k.pm.ram.fill(0, off + piece.length, off + PAGE_SIZE);
    // A clean copy of src: reclaim may drop it and this makes it again.
    reclaimRegister(k.pm, k.mmctx.vm, pc, true, index, fr);
  } else {
    fr = allocFrameReclaim(k.mmctx, FRAME_PAGECACHE);
    if (fr === 0) return 0;
    // A page with no backing bytes holds data nothing else has (tmpfs): dirty from the start.
    if (!fill) k.pm.flags[frameIndex(fr)] |= FF_DIRTY;
    if (fill) {
      const off = fr - RAM_BASE;
      fill(index, k.pm.ram.subarray(off, off + PAGE_SIZE));
      // A copy of the backing store's page that the file system can also write back: reclaim may take it.
      if (pc.owner !== null) reclaimRegister(k.pm, k.mmctx.vm, pc, true, index, fr);
    }
  }
  pc.pages.set(index, fr);
  pc.count++;
  account(k, 1);
  return fr;
}

/**
 * A failed swap-in as a read/write result after `done` bytes: the task
 * sleeps and the whole call restarts (a regular file's read or write is
 * never short for that; what was copied is copied again, the same bytes),
 * or EIO (the bytes done, if any).
 */
function swapError(fr: number, done: number): number {
  if (fr === SHMEM_RETRY) return -ERESTARTSYS;
  return done > 0 ? done : -EIO;
}

/**
 * tmpfs: bring page `index` back from swap if it is there (a truncation
 * that zeroes part of it must see its bytes first): 0, or -ERESTARTSYS (the
 * current task sleeps on the read: the call restarts), -EIO, -ENOMEM.
 */
export function pcSwapInPage(k: Kernel, pc: PageCache, index: number): number {
  if (pc.swapped === null || !pc.swapped.has(index)) return 0;
  const fr = pcFrame(k, pc, index);
  return fr > 0 ? 0 : fr === 0 ? -ENOMEM : swapError(fr, 0);
}

/** getPage for mmap: the frame with a new reference for the caller. */
export function pcGetPage(k: Kernel, pc: PageCache, index: number, fill?: PageFill): number {
  const fr = pcFrame(k, pc, index, fill);
  if (fr <= 0) return fr;
  getFrame(k.pm, fr);
  return fr;
}

/** Copy up to buf.length bytes at `pos` of a file of `size` bytes into buf; returns the count. */
export function pcRead(k: Kernel, pc: PageCache, size: number, buf: Uint8Array, pos: number, fill?: PageFill): number {
  if (pos >= size) return 0;
  const n = Math.min(buf.length, size - pos);
  const ram = k.pm.ram;
  let done = 0;
  while (done < n) {
    const p = pos + done;
    const index = Math.floor(p / PAGE_SIZE);
    const inPage = p - index * PAGE_SIZE;
    const len = Math.min(n - done, PAGE_SIZE - inPage);
    let fr = pc.pages.get(index);
    if (!fr && (fill || (pc.swapped !== null && pc.swapped.has(index)))) {
      fr = pcFrame(k, pc, index, fill);
      if (fr < 0) return swapError(fr, done);
      // A page on swap with no frame to come back to: the read stops here (it must not read as a hole).
      if (fr === 0 && !fill) return done > 0 ? done : -ENOMEM;
      if (fr === 0 && fill) {
        // No frame to cache it in (memory full and reclaim found nothing): read it uncached, never zeros.
        const tmp = new Uint8Array(PAGE_SIZE);
        fill(index, tmp);
        buf.set(tmp.subarray(inPage, inPage + len), done);
        done += len;
        continue;
      }
    }
    if (fr) {
      const off = fr - RAM_BASE + inPage;
      buf.set(ram.subarray(off, off + len), done);
    } else if (pc.src && p < pc.src.length) {
      const piece = pc.src.subarray(p, Math.min(pc.src.length, p + len));
      buf.set(piece, done);
      if (piece.length < len) buf.fill(0, done + piece.length, done + len);
    } else {
      buf.fill(0, done, done + len);
    }
    done += len;
  }
  return n;
}

/** Copy buf into the pages at `pos`. Returns the bytes written (short, or -ENOSPC, when memory runs out). */
export function pcWrite(k: Kernel, pc: PageCache, buf: Uint8Array, pos: number, fill?: PageFill): number {
  const ram = k.pm.ram;
  let done = 0;
  while (done < buf.length) {
    const p = pos + done;
    const index = Math.floor(p / PAGE_SIZE);
    const inPage = p - index * PAGE_SIZE;
    const len = Math.min(buf.length - done, PAGE_SIZE - inPage);
    const fr = pcFrame(k, pc, index, fill);
    if (fr < 0) return swapError(fr, done);
    if (fr === 0) return done > 0 ? done : -ENOSPC;
    ram.set(buf.subarray(done, done + len), fr - RAM_BASE + inPage);
    k.pm.flags[frameIndex(fr)] |= FF_DIRTY;
    done += len;
  }
  return done;
}

/** Zero bytes [from, to) of the cached pages (holes stay holes). */
export function pcZero(k: Kernel, pc: PageCache, from: number, to: number): void {
  for (let p = from; p < to;) {
    const index = Math.floor(p / PAGE_SIZE);
    const inPage = p - index * PAGE_SIZE;
    const len = Math.min(to - p, PAGE_SIZE - inPage);
    let fr = pc.pages.get(index);
    // A page out on swap comes back to be zeroed in part (a whole one is dropped by the caller instead).
    // If the disk answers later, it stays as it is (a known gap: its bytes past the end are not zeroed).
    if (!fr && len < PAGE_SIZE && pc.swapped !== null && pc.swapped.has(index)) { const r = pcFrame(k, pc, index); if (r > 0) fr = r; }
    if (fr) { k.pm.ram.fill(0, fr - RAM_BASE + inPage, fr - RAM_BASE + inPage + len); k.pm.flags[frameIndex(fr)] |= FF_DIRTY; }
    p += len;
  }
}

/** Drop whole pages in [first, last) (mappings keep their own references). */
export function pcDropPages(k: Kernel, pc: PageCache, first: number, last = Infinity): void {
  for (const [i, fr] of [...pc.pages]) {
    if (i < first || i >= last) continue;
    reclaimForget(k.mmctx.vm, fr);
    putFrame(k.pm, fr);
    pc.pages.delete(i);
    pc.count--;
    account(k, -1);
  }
  // tmpfs pages out on swap: their slots are freed.
  if (pc.swapped !== null) pc.count -= tmpfsSwapDrop(k.mmctx, pc, first, last);
}

/** The file shrank or grew from `oldSize` to `newSize`: drop pages past the end, zero the tail of the last one. */
export function pcTruncate(k: Kernel, pc: PageCache, oldSize: number, newSize: number): void {
  if (newSize < oldSize) {
    pcDropPages(k, pc, Math.ceil(newSize / PAGE_SIZE));
    const tailEnd = Math.min(oldSize, Math.ceil(newSize / PAGE_SIZE) * PAGE_SIZE);
    pcZero(k, pc, newSize, tailEnd);
    if (pc.src && pc.src.length > newSize) pc.src = newSize > 0 ? pc.src.subarray(0, newSize) : null;
  }
}

/** Free everything (the file is gone). */
export function pcFree(k: Kernel, pc: PageCache): void {
  pcDropPages(k, pc, 0);
  reclaimForgetCache(k.mmctx.vm, pc);
  if (pc.sid !== 0) tmpfsSwapForget(k.mmctx, pc);
  pc.src = null;
}

/** Copy `data` at `pos` into the pages that are cached (a write-through file system keeping mappings coherent). */
export function pcUpdateCached(k: Kernel, pc: PageCache, data: Uint8Array, pos: number): void {
  const ram = k.pm.ram;
  let done = 0;
  while (done < data.length) {
    const p = pos + done;
    const index = Math.floor(p / PAGE_SIZE);
    const inPage = p - index * PAGE_SIZE;
    const len = Math.min(data.length - done, PAGE_SIZE - inPage);
    const fr = pc.pages.get(index);
    if (fr) ram.set(data.subarray(done, done + len), fr - RAM_BASE + inPage);
    done += len;
  }
}

/** The cached pages as (index, bytes) pairs, for writing them back. */
export function pcCachedPages(k: Kernel, pc: PageCache): { index: number; bytes: Uint8Array }[] {
  const out: { index: number; bytes: Uint8Array }[] = [];
  for (const [index, fr] of pc.pages) out.push({ index, bytes: k.pm.ram.subarray(fr - RAM_BASE, fr - RAM_BASE + PAGE_SIZE) });
  return out;
}
