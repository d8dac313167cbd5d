// Swap: the areas swapon(2) activates, their slot maps, the swap cache, and
// the two moves of a private anonymous page - out to a slot (its PTE becomes
// a swap entry) and back in on a fault (a major fault).
//
// State is plain data in k.mmctx.vm.swap. An area is a whole block device or
// partition (slot s is the device's 4 KiB block s) or a regular file on a
// block file system (slot s is the device block `devPage[s]`, mapped once
// at swapon as Linux's setup_swap_extents does with bmap). Slot 0 holds the
// header; it and the header's bad pages are never handed out.
//
// A swap entry lives in a non-present PTE: area type in bits 1-5, slot in
// the PPN field (bits 10 on), V = 0 and PTE_PROTNONE = 0; slot 0 is never
// used, so an entry is never 0 (mm/pgwalk.ts pteSwapEntry reads the same).
//
// count[slot] = the swap PTEs that name the slot, plus 1 while the swap
// cache holds a frame for it (Linux's swap_map with SWAP_HAS_CACHE). The
// swap cache: a page read back keeps its slot and its frame stays listed
// (cache[type] slot -> frame, holding one frame reference) while it is
// mapped read-only (copy-on-write); evicting it again needs no write
// (pswpout does not move). A cached frame that no page table maps any more
// is let go at once (swapCacheTrim), so the cache never holds memory of
// its own. A write to it (the COW break in fault.ts) drops
// the cache entry, so a cached page is always clean.
//
// The bytes move through the block layer (block/swapio.ts defines the code
// under SWAP_IO at load: mm/ sits below block/ in the layer chain). A write
// copies the frame into a block buffer and starts it, so the frame can be
// freed at once: the data is in the buffer until the disk has it. A read
// that the disk answers later puts the faulting task to sleep in D and the
// access is retried.
//
// Concepts: C55 (swap in and out, swap entries in page tables, the swap
// cache, major faults, swap partitions and files, priorities), C56 (swap
// counts in CommitLimit and the OOM killer's totals; full swap falls back
// to the OOM killer).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { BufferHead } from "../block/buffer.js";
import type { MM, MmContext } from "./mm.js";
import type { TmpfsSwapCache } from "./tmpfs_swap.js";
import { FRAME_ANON, allocFrameNoZero, getFrame, putFrame, frameRefs, copyFrame } from "./phys.js";
import { writePte, ptePa, makePte, PTE_V, PTE_PROTNONE } from "./pagetable.js";
import { rmapAdd, rmapRemove } from "./rmap.js";
import { createRegistry, define, lookup } from "../lib/registry.js";
import { ERESTARTSYS } from "../abi/errno.js";

/** Areas at most (the PTE's type field has 5 bits; Linux's MAX_SWAPFILES is 32 less a few). */
export const MAX_SWAPFILES = 30;
/** A slot that can never be used (the header, a bad page). */
const SLOT_BAD = 0xffff;

export interface SwapArea {
  /** The type in swap entries (its index in SwapState.areas). */
  type: number;
  /** The path /proc/swaps shows, and "partition" or "file". */
  path: string;
  kind: "partition" | "file";
  /** The block device the I/O goes to (the partition itself, or the file system's device). */
  dev: number;
  /** What swapon was given, to refuse it twice (EBUSY): the inode's device and number. */
  inoDev: number;
  ino: number;
  /** Slots (last_page + 1) and usable slots (Linux's si->pages: without the header and bad pages). */
  pages: number;
  good: number;
  /** Slots in use (counted once however many PTEs share them). */
  inuse: number;
  prio: number;
  /** Per slot: users (PTEs + the swap cache), or SLOT_BAD. */
  count: Uint16Array;
  /** File areas: slot -> the first device block of its page (blocks of blockSize bytes); null for a partition (slot = 4 KiB block). */
  devPage: Int32Array | null;
  /** The device block size the slots are addressed in (4096 for a partition; the file system's for a file). */
  blockSize: number;
  /** Swap cache: slot -> frame (the cache holds one reference to it). */
  cache: Map<number, number>;
  /** Next slot to look at (a cursor, as Linux's cluster allocator scans forward). */
  cursor: number;
  /** Being turned off: no new slots. */
  draining: boolean;
  /** swapon took a reference to the inode (swapoff drops it); false for an area activated at boot. */
  holdsInode: boolean;
}

export interface SwapState {
  /** By type; null for an unused type. */
  areas: (SwapArea | null)[];
  /** The priority the next area without SWAP_FLAG_PREFER gets (-1, -2, ...). */
  leastPriority: number;
  /** Frame -> swap entry of the swap cache (the reverse of the areas' caches). */
  frameEntry: Map<number, number>;
  /** /proc/vmstat pswpin, pswpout. */
  pswpin: number;
  pswpout: number;
  /** Anonymous pages reclaim sent to swap (global reclaim's own count, for the swappiness split). */
  anonReclaimed: number;
  /** vm.swappiness (0..200): the weight of anonymous against file pages in global reclaim. */
  swappiness: number;
  /** Where global reclaim's anonymous scan resumes (anon_reclaim.ts). */
  anonHand: { mm: number; va: number };
  /**
   * The task whose system call is running (its tid, 0 outside one; set by
   * the trap layer): a copyin/copyout that meets a swapped page on a disk
   * that answers later puts this task to sleep in D (uaccess.ts) ...
   */
  uaccessTid: number;
  /** ... and says so here: the trap layer then restarts the call instead of returning its EFAULT. */
  uaccessWait: boolean;
  /** The task whose swapon waits for its header block (its rerun must not drop the block again), or 0. */
  swaponWaitTid: number;
  /** Page-out buffers still being written (block/swapio.ts's BufferHeads: dropped once written). */
  writing: BufferHead[];
  /** Pages of shared memory objects (shmem_swap.ts) out on swap now (Linux's shmem swap usage). */
  shmemSwapped: number;
  /** Where the shared memory scan resumes: object id and page index (shmem_swap.ts). */
  shmemHand: { id: number; index: number };
  /** vm.page-cluster: a swap-in reads the aligned cluster of 2^pageCluster slots around it (0: none). */
  pageCluster: number;
  /** /proc/vmstat swap_ra (pages read ahead into the swap cache) and swap_ra_hit (of those, the ones a fault then used). */
  swapRa: number;
  swapRaHit: number;
  /** Swap entries read ahead and not used yet (swap_ra_hit counts the first use). */
  raPending: Set<number>;
  /** tmpfs files whose pages may go to swap (tmpfs_swap.ts), by id; the next id; the scan's hand; their pages on swap now. */
  tmpfsFiles: Map<number, TmpfsSwapCache>;
  tmpfsNextId: number;
  tmpfsHand: { id: number; index: number };
  tmpfsSwapped: number;
}

export function createSwapState(): SwapState {
  return { areas: [], leastPriority: 0, frameEntry: new Map(), pswpin: 0, pswpout: 0, anonReclaimed: 0, swappiness: 60, anonHand: { mm: 0, va: 0 }, uaccessTid: 0, uaccessWait: false, swaponWaitTid: 0, writing: [], shmemSwapped: 0, shmemHand: { id: 0, index: 0 }, pageCluster: 3, swapRa: 0, swapRaHit: 0, raPending: new Set(), tmpfsFiles: new Map(), tmpfsNextId: 1, tmpfsHand: { id: 0, index: 0 }, tmpfsSwapped: 0 };
}

/** The code that moves a slot's bytes (block/swapio.ts). */
export interface SwapIoOps {
  /** Read the page at device block `block` (of `size` bytes) of `dev` into frame `pa`: 0, -ERESTARTSYS (t asleep in D), -EAGAIN (no task to sleep), or -EIO. */
  read(k: Kernel, t: Task | null, dev: number, block: number, size: number, pa: number): number;
  /** Start writing frame `pa` to the page at block `block` (of `size` bytes) of `dev` (the bytes are copied first): 0 or a negative errno. */
  write(k: Kernel, dev: number, block: number, size: number, pa: number): number;
  /** Start reading the pages at blocks `blocks` (of `size` bytes each page's first) of `dev` together, without waiting (readahead: merged requests). */
  startReads(k: Kernel, dev: number, blocks: readonly number[], size: number): void;
}
const SWAP_IO = createRegistry<SwapIoOps>("swap io");
export function defineSwapIo(ops: SwapIoOps): void { define(SWAP_IO, "block", ops); }
function io(): SwapIoOps { return lookup(SWAP_IO, "block"); }

/** The PTE holding swap entry (type, slot). */
export function swapPte(type: number, slot: number): number {
  return (slot * 1024 + ((type & 0x1f) << 1)) >>> 0;
}
/** Whether `pte` is a swap entry. */
export function isSwapPte(pte: number): boolean {
  return pte !== 0 && (pte & (PTE_V | PTE_PROTNONE)) === 0;
}
function pteType(pte: number): number { return (pte >>> 1) & 0x1f; }
function pteSlot(pte: number): number { return pte >>> 10; }

function swapOf(ctx: MmContext): SwapState { return ctx.vm.swap; }

/** The area and slot of a swap PTE, or null (a stale or forged entry). */
function areaOf(sw: SwapState, pte: number): SwapArea | null {
  const a = sw.areas[pteType(pte)] ?? null;
  const s = pteSlot(pte);
  if (a === null || s <= 0 || s >= a.pages || a.count[s] === 0 || a.count[s] === SLOT_BAD) return null;
  return a;
}

function blockOf(a: SwapArea, slot: number): number {
  return a.devPage === null ? slot : a.devPage[slot];
}

/** Total and free swap pages (SwapTotal, SwapFree), and pages in the swap cache (SwapCached). */
export function swapTotals(sw: SwapState): { total: number; free: number; cached: number } {
  let total = 0, used = 0, cached = 0;
  for (const a of sw.areas) if (a) { total += a.good; used += a.inuse; cached += a.cache.size; }
  return { total, free: total - used, cached };
}

/** Whether a page can go to swap now (an active area with a free slot). */
export function swapAvailable(sw: SwapState): boolean {
  for (const a of sw.areas) if (a && !a.draining && a.inuse < a.good) return true;
  return false;
}

/** Linux's vm_swap_full: less than half of swap is free. */
function swapFull(sw: SwapState): boolean {
  let total = 0, used = 0;
  for (const a of sw.areas) if (a) { total += a.good; used += a.inuse; }
  return used * 2 > total;
}

/**
 * Give up to `max` slots that the swap cache holds for pages mapped in RAM
 * (their frames become plain anonymous pages again): the slots whose only
 * user is the cache. Returns how many slots were freed.
 */
function freeCachedSlots(ctx: MmContext, sw: SwapState, max: number): number {
  let n = 0;
  for (const a of sw.areas) {
    if (!a) continue;
    for (const [slot] of a.cache) {
      if (n >= max) return n;
      if (a.count[slot] !== 1) continue;
      cacheDrop(ctx, sw, a, slot);
      n++;
    }
  }
  return n;
}

/** A free slot, highest priority first (equal priorities: the first area): its PTE, or 0 when swap is full. */
function allocSlot(sw: SwapState): number {
  let best: SwapArea | null = null;
  for (const a of sw.areas) if (a && !a.draining && a.inuse < a.good && (best === null || a.prio > best.prio)) best = a;
  if (best === null) return 0;
  const a = best;
  for (let n = 0; n < a.pages; n++) {
    const s = a.cursor;
    a.cursor = a.cursor + 1 >= a.pages ? 1 : a.cursor + 1;
    if (a.count[s] === 0) { a.count[s] = 1; a.inuse++; return swapPte(a.type, s); }
  }
  return 0;
}

function slotPut(a: SwapArea, slot: number): void {
  if (a.count[slot] === 0 || a.count[slot] === SLOT_BAD) return;
  if (--a.count[slot] === 0) a.inuse--;
}

/** Drop the swap cache's frame for `slot` of `a` (its reference and its count). */
function cacheDrop(ctx: MmContext, sw: SwapState, a: SwapArea, slot: number): void {
  const fr = a.cache.get(slot);
  if (fr === undefined) return;
  a.cache.delete(slot);
  sw.frameEntry.delete(fr);
  if (sw.raPending.size !== 0) sw.raPending.delete(swapPte(a.type, slot));
  putFrame(ctx.pm, fr);
  slotPut(a, slot);
}

/**
 * Reclaim's share of the swap cache: frames read ahead that no page table
 * maps yet (only the cache holds them; their slot still has the bytes, so
 * letting them go costs no write). Returns how many were freed.
 */
export function swapCacheShrink(ctx: MmContext, want: number): number {
  const sw = swapOf(ctx);
  if (sw.raPending.size === 0 || want <= 0) return 0;
  let n = 0;
  for (const e of [...sw.raPending]) {
    if (n >= want) break;
    const a = sw.areas[pteType(e)];
    const fr = a ? a.cache.get(pteSlot(e)) : undefined;
    if (!a || fr === undefined) { sw.raPending.delete(e); continue; }
    if (frameRefs(ctx.pm, fr) !== 1) continue;
    cacheDrop(ctx, sw, a, pteSlot(e));
    n++;
  }
  return n;
}

/**
 * Start the reads of a swap-in's whole cluster at once, the faulting slot's
 * and its neighbours' (those readAround will want: in use, not cached): the
 * block layer merges abutting slots into one disk request, so a cluster of
 * 2^page-cluster slots costs one request instead of one per page. The reads
 * that follow (the fault's, readAround's) then find the buffers read or in
 * flight.
 */
function startCluster(ctx: MmContext, sw: SwapState, a: SwapArea, slot: number): void {
  const n = 1 << sw.pageCluster;
  const base = slot - (slot % n);
  const blocks: number[] = [blockOf(a, slot)];
  for (let s = Math.max(base, 1); s < base + n && s < a.pages; s++) {
    if (s === slot || a.count[s] === 0 || a.count[s] === SLOT_BAD || a.cache.has(s)) continue;
    blocks.push(blockOf(a, s));
  }
  if (blocks.length > 1) io().startReads(ctx.kernel!, a.dev, blocks, a.blockSize);
}

/**
 * Swap readahead (Linux's swap_cluster_readahead): after a swap-in of
 * `slot`, read the other slots in use of its aligned cluster of
 * 2^vm.page-cluster into the swap cache, where a later fault finds them (a
 * minor fault, swap_ra_hit). A read must complete at once: on a disk that
 * answers later the read is only started (the buffer cache then has it for
 * the fault), and nothing is cached.
 */
function readAround(ctx: MmContext, sw: SwapState, a: SwapArea, slot: number): void {
  const n = 1 << sw.pageCluster;
  const base = slot - (slot % n);
  const pm = ctx.pm;
  for (let s = Math.max(base, 1); s < base + n && s < a.pages; s++) {
    if (s === slot || a.count[s] === 0 || a.count[s] === SLOT_BAD || a.cache.has(s)) continue;
    const fr = allocFrameNoZero(pm, FRAME_ANON);
    if (fr === 0) return;
    const r = io().read(ctx.kernel!, null, a.dev, blockOf(a, s), a.blockSize, fr);
    if (r < 0) { putFrame(pm, fr); if (r === -5) return; continue; }
    const e = swapPte(a.type, s);
    a.cache.set(s, fr);
    sw.frameEntry.set(fr, e);
    a.count[s]++;
    sw.raPending.add(e);
    sw.swapRa++;
    sw.pswpin++;
  }
}

/** Another PTE names the same slot (fork copies a swap entry). */
export function swapDup(ctx: MmContext, pte: number): void {
  const sw = swapOf(ctx);
  const a = areaOf(sw, pte);
  if (a !== null && a.count[pteSlot(pte)] < SLOT_BAD - 1) a.count[pteSlot(pte)]++;
}

/** A swap PTE goes away (munmap, exit): the slot is freed with its last user; a cache left alone goes too. */
export function swapFree(ctx: MmContext, pte: number): void {
  const sw = swapOf(ctx);
  const a = areaOf(sw, pte);
  if (a === null) return;
  const s = pteSlot(pte);
  slotPut(a, s);
  const fr = a.cache.get(s);
  // No page table maps the cached frame: it goes (a later fault reads the slot again).
  if (fr !== undefined && frameRefs(ctx.pm, fr) === 1) cacheDrop(ctx, sw, a, s);
}

/**
 * A mapping of frame `pa` went away (its reference is already dropped): if
 * the swap cache is all that holds it, the cache lets it go and the frame is
 * freed (the slot stays while swap PTEs name it; their next fault reads it
 * again). The swap cache thus only holds frames some page table maps.
 */
export function swapCacheTrim(ctx: MmContext, pa: number): void {
  const sw = swapOf(ctx);
  if (sw.frameEntry.size === 0) return;
  const e = sw.frameEntry.get(pa);
  if (e === undefined) return;
  const a = sw.areas[pteType(e)];
  if (a && frameRefs(ctx.pm, pa) === 1) cacheDrop(ctx, sw, a, pteSlot(e));
}

/**
 * The COW break of a write to frame `pa`: a swap-cached page stops being
 * clean, so the cache lets it go. When no swap PTE still names the slot the
 * slot is freed too (the writer then owns the frame alone); otherwise the
 * frame stays cached for them and the writer copies it.
 */
export function swapCacheWrite(ctx: MmContext, pa: number): void {
  const sw = swapOf(ctx);
  if (sw.frameEntry.size === 0) return;
  const e = sw.frameEntry.get(pa);
  if (e === undefined) return;
  const a = sw.areas[pteType(e)];
  if (a && a.count[pteSlot(e)] === 1) cacheDrop(ctx, sw, a, pteSlot(e));
}

/**
 * Send the present private anonymous page `va` of `mm` (its leaf PTE `pte`
 * at `pteAddr`) to swap: its PTE becomes a swap entry, the TLB entry is
 * flushed on every hart, and this mapping's frame reference is dropped. A
 * swap-cached page (clean) reuses its slot without a write. False when swap
 * is full or the write could not start (the page stays).
 */
export function swapOutPage(ctx: MmContext, mm: MM, va: number, pteAddr: number, pte: number): boolean {
  const sw = swapOf(ctx);
  const pm = ctx.pm;
  const pa = ptePa(pte);
  let entry = sw.frameEntry.get(pa);
  if (entry !== undefined) {
    const a = sw.areas[pteType(entry)]!;
    a.count[pteSlot(entry)]++;
  } else {
    entry = allocSlot(sw);
    // Swap is full of slots the swap cache keeps for pages also in RAM: give those up first (Linux's try_to_free_swap).
    if (entry === 0 && freeCachedSlots(ctx, sw, 64) > 0) entry = allocSlot(sw);
    if (entry === 0) return false;
    const a = sw.areas[pteType(entry)]!;
    const r = io().write(ctx.kernel!, a.dev, blockOf(a, pteSlot(entry)), a.blockSize, pa);
    if (r < 0) { slotPut(a, pteSlot(entry)); return false; }
    sw.pswpout++;
  }
  writePte(pm, pteAddr, entry);
  rmapRemove(pm, pa, mm.id, va);
  ctx.kernel!.core.flushTlbPageAllHarts(va);
  putFrame(pm, pa);
  mm.rss--;
  swapCacheTrim(ctx, pa);
  return true;
}

/**
 * Write frame `pa` to a fresh slot for an object that keeps the entry itself
 * (shmem_swap.ts: the entry lives in the object's page index, not in a
 * PTE): the entry (a swap PTE value, one user), or 0 when swap is full or
 * the write could not start. pswpout moves.
 */
export function swapWriteNew(ctx: MmContext, pa: number): number {
  const sw = swapOf(ctx);
  let entry = allocSlot(sw);
  if (entry === 0 && freeCachedSlots(ctx, sw, 64) > 0) entry = allocSlot(sw);
  if (entry === 0) return 0;
  const a = sw.areas[pteType(entry)]!;
  const r = io().write(ctx.kernel!, a.dev, blockOf(a, pteSlot(entry)), a.blockSize, pa);
  if (r < 0) { slotPut(a, pteSlot(entry)); return 0; }
  sw.pswpout++;
  return entry;
}

/**
 * Read the slot of `entry` into frame `pa` (the slot stays: the caller frees
 * it with swapFree once the page is its own again). SWAPIN_OK (pswpin and
 * pgmajfault move), SWAPIN_RETRY (t asleep in D until the disk answers, or
 * no task to sleep), SWAPIN_EIO or SWAPIN_STALE.
 */
export function swapReadEntry(ctx: MmContext, entry: number, pa: number, t: Task | null): number {
  const sw = swapOf(ctx);
  const a = areaOf(sw, entry);
  if (a === null) return SWAPIN_STALE;
  const r = io().read(ctx.kernel!, t, a.dev, blockOf(a, pteSlot(entry)), a.blockSize, pa);
  if (r === -ERESTARTSYS && t !== null) t.inMemstall = true; // asleep on the read: a memory stall (sched/psi.ts)
  if (r < 0) return r === -5 ? SWAPIN_EIO : SWAPIN_RETRY;
  sw.pswpin++;
  ctx.vm.counters.pgmajfault++;
  return SWAPIN_OK;
}

/** The area type of a swap entry (swapoff picks the entries of the area going away). */
export function swapEntryType(entry: number): number { return pteType(entry); }

export const SWAPIN_OK = 0;
export const SWAPIN_NOMEM = 1;
export const SWAPIN_RETRY = 2;  // the task sleeps until the read completes; the access reruns
export const SWAPIN_EIO = 3;
export const SWAPIN_STALE = 4;  // the entry names no slot in use (cannot happen unless state is corrupt)

/**
 * Bring the swapped page `va` of `mm` back (its swap PTE `pte` at `pteAddr`)
 * and map it with `flags` (the VMA's PTE flags). A write maps it writable
 * and frees the slot (the page will differ from it); a read maps it
 * read-only, copy-on-write, and keeps it in the swap cache.
 */
export function swapInPage(
  ctx: MmContext, mm: MM, va: number, pteAddr: number, pte: number, write: boolean, flags: number, cowFlags: number, t: Task | null,
): number {
  const sw = swapOf(ctx);
  const pm = ctx.pm;
  const a = areaOf(sw, pte);
  if (a === null) return SWAPIN_STALE;
  const s = pteSlot(pte);
  let fr = a.cache.get(s);
  if (fr === undefined) {
    fr = allocFrameNoZero(pm, FRAME_ANON);
    if (fr === 0) return SWAPIN_NOMEM;
    if (sw.pageCluster > 0) startCluster(ctx, sw, a, s);
    const r = io().read(ctx.kernel!, t, a.dev, blockOf(a, s), a.blockSize, fr);
    if (r === -ERESTARTSYS && t !== null) t.inMemstall = true; // asleep on the read: a memory stall (sched/psi.ts)
    // The neighbours' reads go out with this one (started, at least, on a disk that answers later).
    if (sw.pageCluster > 0 && r !== -5) readAround(ctx, sw, a, s);
    if (r < 0) { putFrame(pm, fr); return r === -5 ? SWAPIN_EIO : SWAPIN_RETRY; }
    sw.pswpin++;
    ctx.vm.counters.pgmajfault++;
    mm.stats.majorFaults++;
    // The new frame starts as the swap cache's (one reference, one count), unless swap is more than
    // half full (Linux's vm_swap_full): then the slot is not kept for a page that is in RAM again.
    if (swapFull(sw) && a.count[s] === 1) {
      slotPut(a, s);
      writePte(pm, pteAddr, makePte(fr, write ? flags : cowFlags));
      rmapAdd(pm, fr, mm.id, va);
      mm.rss++;
      return SWAPIN_OK;
    }
    a.cache.set(s, fr);
    sw.frameEntry.set(fr, swapPte(a.type, s));
    a.count[s]++;
  } else {
    mm.stats.minorFaults++;
    // A page read ahead (readAround) used for the first time.
    if (sw.raPending.size !== 0 && sw.raPending.delete(swapPte(a.type, s))) sw.swapRaHit++;
  }
  // This PTE no longer names the slot.
  slotPut(a, s);
  let mapped = fr;
  if (write) {
    if (a.count[s] === 1) {
      // Only the cache is left: the writer takes its frame and the slot is freed.
      getFrame(pm, fr);
      cacheDrop(ctx, sw, a, s);
    } else {
      // Other swap entries share the slot: they keep the cached copy, the writer gets its own.
      mapped = allocFrameNoZero(pm, FRAME_ANON);
      if (mapped === 0) { a.count[s]++; return SWAPIN_NOMEM; }
      copyFrame(pm, mapped, fr);
    }
    writePte(pm, pteAddr, makePte(mapped, flags));
  } else {
    getFrame(pm, fr);
    writePte(pm, pteAddr, makePte(fr, cowFlags));
  }
  rmapAdd(pm, mapped, mm.id, va);
  mm.rss++;
  return SWAPIN_OK;
}

/** What swapon sets up (syscalls/swap.ts checks and reads the header first). */
export interface SwapOnArgs {
  path: string;
  kind: "partition" | "file";
  dev: number;
  inoDev: number;
  ino: number;
  pages: number;
  badPages: number[];
  devPage: Int32Array | null;
  blockSize: number;
  /** SWAP_FLAG_PREFER's priority, or null for the next default one. */
  prio: number | null;
}

/** Whether the inode is an active area already (EBUSY). */
export function swapBusy(sw: SwapState, inoDev: number, ino: number, dev: number): boolean {
  return sw.areas.some((a) => a !== null && ((a.inoDev === inoDev && a.ino === ino) || (a.kind === "partition" && dev !== 0 && a.dev === dev)));
}

/** Activate an area: its type, or -1 when every type is taken. */
export function swapActivate(ctx: MmContext, o: SwapOnArgs): number {
  const sw = swapOf(ctx);
  let type = sw.areas.indexOf(null);
  if (type < 0) { if (sw.areas.length >= MAX_SWAPFILES) return -1; type = sw.areas.length; sw.areas.push(null); }
  const count = new Uint16Array(o.pages);
  count[0] = SLOT_BAD;
  let bad = 1;
  for (const p of o.badPages) if (p > 0 && p < o.pages && count[p] !== SLOT_BAD) { count[p] = SLOT_BAD; bad++; }
  if (o.devPage) for (let s = 1; s < o.pages; s++) if (o.devPage[s] < 0 && count[s] !== SLOT_BAD) { count[s] = SLOT_BAD; bad++; }
  const prio = o.prio ?? --sw.leastPriority;
  const good = o.pages - bad;
  sw.areas[type] = {
    type, path: o.path, kind: o.kind, dev: o.dev, inoDev: o.inoDev, ino: o.ino, pages: o.pages, good, inuse: 0, prio,
    count, devPage: o.devPage, blockSize: o.blockSize, cache: new Map(), cursor: 1, draining: false, holdsInode: false,
  };
  ctx.vm.swapPages += good;
  return type;
}

/** Usable pages of an area that swapon would make (for the "too small" check): pages less header and bad ones. */
export function swapGoodPages(pages: number, badPages: readonly number[], devPage: Int32Array | null): number {
  const bad = new Set<number>([0]);
  for (const p of badPages) if (p > 0 && p < pages) bad.add(p);
  if (devPage) for (let s = 1; s < pages; s++) if (devPage[s] < 0) bad.add(s);
  return pages - bad.size;
}

/**
 * Turn area `type` off: every swap PTE naming it in the address spaces
 * `mms` is read back in (with t null: the disk must answer at once, or the
 * caller retries), then the cache lets go and the area is gone. 0, or
 * -ENOMEM (no free frame: the caller reclaims and calls again, the pages
 * read so far staying in), -EAGAIN (a read is in flight: try again). The
 * area is left draining on an error: the caller clears it when it gives up.
 */
export function swapDeactivate(ctx: MmContext, type: number, mms: readonly MM[], walkSwap: (mm: MM, fn: (va: number, pteAddr: number, pte: number) => void) => void, flagsAt: (mm: MM, va: number) => number, t: Task | null = null): number {
  const sw = swapOf(ctx);
  const a = sw.areas[type];
  if (!a) return -22;
  a.draining = true;
  for (const mm of mms) {
    let err = 0;
    walkSwap(mm, (va, pteAddr, pte) => {
      if (err !== 0 || pteType(pte) !== type) return;
      // Read back as a write would: the page is owned again, the slot freed.
      const r = swapInPage(ctx, mm, va, pteAddr, pte, true, flagsAt(mm, va), 0, t);
      if (r === SWAPIN_OK) { ctx.kernel!.core.flushTlbPageAllHarts(va); return; }
      err = r === SWAPIN_NOMEM ? -12 : r === SWAPIN_RETRY ? -11 : -5;
    });
    // The caller clears `draining` when it gives up: a -ENOMEM it answers with reclaim, which must not use this area.
    if (err !== 0) return err;
  }
  // Cached frames stay with the PTEs that map them (now ordinary anonymous pages, still COW-protected).
  for (const s of [...a.cache.keys()]) cacheDrop(ctx, sw, a, s);
  ctx.vm.swapPages -= a.good;
  sw.areas[type] = null;
  while (sw.areas.length > 0 && sw.areas[sw.areas.length - 1] === null) sw.areas.pop();
  // Linux gives the default priorities back when the lowest one goes.
  if (a.prio < 0 && a.prio === sw.leastPriority) sw.leastPriority++;
  return 0;
}

/** For tests and /proc: the swap users of a slot. */
export function swapCount(sw: SwapState, pte: number): number {
  const a = sw.areas[pteType(pte)];
  return a ? a.count[pteSlot(pte)] : 0;
}

