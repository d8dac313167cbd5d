// Reclaim: freeing frames when free memory runs low, before the OOM killer
// is asked (Linux's kswapd and direct reclaim, mm/vmscan.c).
//
// Watermarks (Linux's per-zone min/low/high, derived from RAM through
// vm.min_free_kbytes): min = the kernel's reserve (pm.minFree), low = min +
// min/4, high = min + min/2. /proc/zoneinfo shows them.
//   - Background reclaim (kswapd): after a page fault, when free frames are
//     below low, the kernel thread kswapd0 (proc/kthread.ts) is woken; when
//     the scheduler gives it a hart it runs kswapdRun here, which reclaims
//     until free frames reach high (pageoutrun, pgscan_kswapd,
//     pgsteal_kswapd), and it sleeps again on `kswapdWait`. Its time is its
//     own system time (sched/kthread.ts). A kernel made without the thread
//     (kswapdTid 0) runs the same reclaim inline in the fault path (kswapd).
//     It is paced (at most once per KSWAPD_INTERVAL_NS of kernel time) and
//     gives up after KSWAPD_MAX_FAILURES runs in a row that left free memory
//     below low, until free memory climbs back (Linux's kswapd_failures).
//   - Direct reclaim: an allocation in the fault path failed
//     (allocstall_normal, pgscan_direct, pgsteal_direct); the same fault is
//     handled again at once when something was freed (trap.ts), so the
//     freed frame goes to it, else the OOM killer chooses.
//
// What can be taken: only frames whose data has another copy, or can be
// given one. Page-cache pages are registered here when made (the registry:
// per frame, the cache and page index): a page made from the initramfs (a
// clean copy of its `src` bytes), and a page filled from its file's backing
// store when the file system can write a page back (InodeOps.writePage:
// ext2, and hostfs on a host that answers at once; fs/pagecache.ts
// pc.owner).
//   - A clean frame (no FF_DIRTY, no D bit in a PTE that maps it, not
//     pinned) is dropped: every PTE that maps it is cleared through the
//     reverse map (rmap.ts), with the TLB entry flushed on every hart
//     (sfence.vma semantics), the cache forgets it, and the frame is freed;
//     the next access faults and reads it again (a major fault;
//     workingset_refault_file counts pages read again after reclaim).
//   - A dirty frame of a file that can be written back is written first
//     (pageOut: Linux's pageout -> ->writepage), only when the clean frames
//     of the scan did not give enough: the D bits of its PTEs and FF_DIRTY
//     are cleared, the file system writes the page (never past i_size; the
//     size never changes), and a frame still clean after the write is
//     dropped like a clean one (nr_vmscan_write, pgsteal_file). The write
//     must not wait - ext2 copies the page into the buffer cache with no
//     task to sleep and starts the blocks' disk writes (Linux's
//     ->writepage starts the I/O); hostfs writes only to a host that
//     answers at once - and one that would wait fails: the frame stays
//     dirty and is passed over. The page-outs of a scan run under one
//     block plug (ReclaimPlugOps, registered by block/blkdev.ts), so
//     neighbouring dirty pages of a file reach the disk as merged requests.
//     On a disk that answers later (--disk-io async) it is the same: the
//     buffers hold the page's bytes until the disk has them, so the frame
//     need not wait for the write and no frame is ever "under write-back"
//     here (PG_writeback): it is written and dropped in one step; the
//     buffers are what is under write-back (/proc/meminfo's Writeback).
//   - Skipped: pinned frames, frames with a holder other than the cache and
//     their mappings, frames mapped by an address space not found.
// Victims are chosen by second chance over the frames: a frame whose
// mappings have a PTE with A set gets its A bits cleared and is passed over
// once. Every walk from a frame to the PTEs that map it (A, D, unmap) is
// rmap.ts rmapPtes.
//
// Not taken here: tmpfs data and other FF_DIRTY pages of a cache with no
// owner (the only copy; with swap on, shared memory goes to swap through
// anon_reclaim.ts and shmem_swap.ts), dirty pages of a host that answers
// later (their write-back would have to wait), the kernel's exec images (boot and
// tests keep them for the kernel's life). Private anonymous memory goes to
// swap when there is swap (anon_reclaim.ts), weighed by vm.swappiness;
// per-process budgets evict anonymous pages through replace.ts.
//
// Write-backs outside reclaim (msync, fsync, the last munmap) clean the
// frames they write with frameMkclean (page_mkclean: the D bits and
// FF_DIRTY cleared before the write), and munmap/exit move a dirty PTE's
// D bit to FF_DIRTY (rmap.ts zapDirty), so that a store after a write-back
// is never mistaken for clean.
//
// Concepts: C54 (page replacement: the global reclaimer, second chance on
// the A bits, dirty pages written back on the D bits), C56 (running out of
// memory: reclaim first, then the OOM killer), C50 (the frame table), C59
// (the reverse map unmaps a shared frame everywhere).
import type { Kernel } from "../kernel.js";
import type { Inode } from "../fs/vfs.js";
import type { MM, MmContext } from "./mm.js";
import { type PhysMem, FRAME_PAGECACHE, FF_DIRTY, FF_PINNED, PAGE_SIZE, RAM_BASE, frameIndex, freeFrames, putFrame } from "./phys.js";
import type { VmState } from "./vmstate.js";
import type { WaitQueue } from "../sched/wait.js";
import { iopsOf } from "../lib/fsops.js";
import { rmapPtes, rmapReachable, RMAP_CLEAR_A, RMAP_CLEAR_D, RMAP_TEST_D, RMAP_UNMAP } from "./rmap.js";
import { nowNs } from "../time/clock.js";
import { swapAvailable } from "./swap.js";
import { shrinkAnon } from "./anon_reclaim.js";
import { createRegistry, define } from "../lib/registry.js";

/** A cache of file pages the registry can name: page index -> frame, and its frame count. */
export interface ReclaimableCache {
  pages: Map<number, number>;
  count: number;
  /** Registry id (0 until its first page is registered). */
  rid: number;
  /** The file, when its file system can write a page back (InodeOps.writePage): dirty pages are then written and taken. */
  owner?: Inode | null;
}

/** Where reclaimable frames come from, and the background reclaimer's state (plain data). */
export interface ReclaimState {
  /** Per frame: registry id of the cache holding it (0: not reclaimable). Sized at first use. */
  cache: Int32Array;
  /** Per frame: its page index in that cache. */
  index: Float64Array;
  /** Registry id -> cache. Page caches (fs/pagecache.ts) and exec images (backing.ts). */
  caches: Map<number, ReclaimableCache>;
  /** Whether a cache's frames count in the page-cache total (k.vfs.pageCacheFrames): exec images do not. */
  counted: Map<number, boolean>;
  nextId: number;
  /** Pages dropped and not read again yet: cache id * 2^32 + index (workingset shadow entries). */
  shadow: Set<number>;
  /**
   * The registered frames as a compact list (list[0..len), pos[f] = its
   * place + 1, 0 when not listed), so that a scan costs the number of
   * candidates, not the size of RAM: the second chance hand walks it.
   */
  list: Int32Array;
  pos: Int32Array;
  len: number;
  /** Second chance hand: a place in the list. */
  hand: number;
  /**
   * Background runs in a row that freed nothing (Linux's kswapd_failures).
   * At KSWAPD_MAX_FAILURES kswapd stops scanning until free memory climbs
   * back over the low watermark: with nothing reclaimable, a full scan after
   * every fault would only burn time (the OOM killer's turn comes from
   * direct reclaim).
   */
  kswapdFailures: number;
  /** Kernel time (ns) before which kswapd does not run again (KSWAPD_INTERVAL_NS). */
  kswapdNext: number;
  /** The kswapd0 kernel thread's tid (0: none; then background reclaim runs inline in the fault path). */
  kswapdTid?: number;
  /** Where kswapd0 sleeps between runs (Linux's pgdat->kswapd_wait). */
  kswapdWait?: WaitQueue;
}

/**
 * How often background reclaim may run. Linux's kswapd is a thread that
 * the allocator wakes and that runs beside the tasks; here it runs in the
 * fault path, so it is paced: run after every fault while a page's
 * refault takes the frame just freed, it would drop the page the faulting
 * instruction needs, again and again, and no instruction would complete.
 */
export const KSWAPD_INTERVAL_NS = 1_000_000;

/** Linux's MAX_RECLAIM_RETRIES: failed background runs before kswapd gives up. */
export const KSWAPD_MAX_FAILURES = 16;

export function createReclaimState(): ReclaimState {
  return { cache: new Int32Array(0), index: new Float64Array(0), list: new Int32Array(0), pos: new Int32Array(0), len: 0, caches: new Map(), counted: new Map(), nextId: 1, shadow: new Set(), hand: 0, kswapdFailures: 0, kswapdNext: 0 };
}

/** The watermarks in frames: [min, low, high]. */
export function watermarks(pm: PhysMem): [number, number, number] {
  const min = pm.minFree;
  return [min, min + (min >> 2), min + (min >> 1)];
}

/**
 * A page-cache or image page was made from its backing bytes (a clean
 * copy): it may be dropped. `counted`: it is in the page-cache total.
 * Returns true when reclaim had dropped this very page before (a refault).
 */
export function reclaimRegister(pm: PhysMem, vm: VmState, c: ReclaimableCache, counted: boolean, index: number, frame: number): boolean {
  const rs = vm.reclaim;
  if (rs.cache.length !== pm.frames) {
    rs.cache = new Int32Array(pm.frames); rs.index = new Float64Array(pm.frames);
    rs.list = new Int32Array(pm.frames); rs.pos = new Int32Array(pm.frames); rs.len = 0; rs.hand = 0;
  }
  if (c.rid === 0) { c.rid = rs.nextId++; rs.caches.set(c.rid, c); rs.counted.set(c.rid, counted); }
  const f = frameIndex(frame);
  rs.cache[f] = c.rid;
  if (rs.pos[f] === 0) { rs.list[rs.len] = f; rs.pos[f] = ++rs.len; }
  rs.index[f] = index;
  vm.counters.pageIns++;
  const key = c.rid * 2 ** 32 + index;
  if (rs.shadow.delete(key)) { vm.counters.workingsetRefaultFile++; return true; }
  return false;
}

/** Frame `f` is no longer a candidate: take it out of the cache map and the list. */
function unlist(rs: ReclaimState, f: number): void {
  rs.cache[f] = 0;
  const p = rs.pos[f] - 1;
  if (p < 0) return;
  const last = rs.list[rs.len - 1];
  rs.list[p] = last;
  rs.pos[last] = p + 1;
  rs.pos[f] = 0;
  rs.len--;
}

/** The cache let go of its page (truncate, unlink): the frame is no longer the registry's to drop. */
export function reclaimForget(vm: VmState, frame: number): void {
  const rs = vm.reclaim;
  const f = frameIndex(frame);
  if (f < rs.cache.length) unlist(rs, f);
}

/** The cache itself is gone. */
export function reclaimForgetCache(vm: VmState, c: ReclaimableCache): void {
  if (c.rid === 0) return;
  vm.reclaim.caches.delete(c.rid);
  vm.reclaim.counted.delete(c.rid);
  c.rid = 0;
}

/** The live address spaces by id (what the reverse map's entries name). */
export function mmsById(k: Kernel): Map<number, MM> {
  const out = new Map<number, MM>();
  for (const t of k.tasks.values()) if (t.mm && t.mm.root !== 0) out.set(t.mm.id, t.mm);
  return out;
}

/** Unmap frame `f` from every page table (through the reverse map) and drop it from its cache. False if it could not be. */
function dropFrame(ctx: MmContext, mms: Map<number, MM>, f: number): boolean {
  const pm = ctx.pm, rs = ctx.vm.reclaim;
  const pa = RAM_BASE + f * PAGE_SIZE;
  const c = rs.caches.get(rs.cache[f]);
  const index = rs.index[f];
  if (!c || c.pages.get(index) !== pa) { unlist(rs, f); return false; }
  // Every mapping must be found first: a mapper we cannot reach keeps the frame.
  if (rmapReachable(pm, mms, f) < 0) return false;
  rmapPtes(ctx, mms, f, RMAP_UNMAP);
  c.pages.delete(index);
  c.count--;
  const k = ctx.kernel!;
  if (rs.counted.get(c.rid)) k.vfs.pageCacheFrames--;
  unlist(rs, f);
  rs.shadow.add(c.rid * 2 ** 32 + index);
  putFrame(pm, pa);
  return true;
}

/**
 * Scan for up to `want` frames to free (second chance on the A bits of
 * their mappings); returns [scanned, freed].
 */
function shrink(ctx: MmContext, want: number): [number, number] {
  if (want <= 0) return [0, 0];
  const mms = mmsById(ctx.kernel!);
  if (!swapAvailable(ctx.vm.swap)) return shrinkFile(ctx, mms, want);
  // With swap, anonymous pages are victims too, weighed by vm.swappiness as
  // Linux's get_scan_count: anon gets swappiness/200 of the scan, file the
  // rest; then whichever kind fell short is made up from the other (at
  // swappiness 0, anonymous pages only when file pages ran out).
  const s = ctx.vm.swap.swappiness;
  const anonWant = Math.floor((want * s) / 200);
  const [fs1, ff1] = shrinkFile(ctx, mms, want - anonWant);
  const [as1, af1] = shrinkAnon(ctx, mms, anonWant);
  let scanned = fs1 + as1, fileFreed = ff1, anonFreed = af1;
  let short = want - fileFreed - anonFreed;
  if (short > 0 && s < 200) { const [x, y] = shrinkFile(ctx, mms, short); scanned += x; fileFreed += y; short -= y; }
  if (short > 0) { const [x, y] = shrinkAnon(ctx, mms, short); scanned += x; anonFreed += y; }
  ctx.vm.counters.pgstealAnon += anonFreed;
  return [scanned, fileFreed + anonFreed];
}

/**
 * The file-page part of a scan (second chance over the registered
 * page-cache frames). Clean pages cost nothing to take, so they go first
 * (Linux's reclaim prefers them too); dirty ones are written back only when
 * the clean ones did not give enough.
 */
function shrinkFile(ctx: MmContext, mms: Map<number, MM>, want: number): [number, number] {
  const [s1, f1] = shrinkFileTurns(ctx, mms, want, false);
  if (f1 >= want) return [s1, f1];
  const [s2, f2] = shrinkFileTurns(ctx, mms, want - f1, true);
  return [s1 + s2, f1 + f2];
}

/**
 * The block layer's plug, as reclaim sees it (mm/ sits below block/ in the
 * layer chain, so block/blkdev.ts registers it here at load): page-out
 * writes started between start and finish reach the disks together, and
 * abutting ones - neighbouring dirty pages of a file - become one merged
 * request (Linux's shrink_page_list runs under a plug too).
 */
export interface ReclaimPlugOps {
  start(k: Kernel): void;
  finish(k: Kernel): void;
}
const RECLAIM_PLUG = createRegistry<ReclaimPlugOps>("reclaim plug");
export function defineReclaimPlug(ops: ReclaimPlugOps): void { define(RECLAIM_PLUG, "block", ops); }

/** Two turns of the hand over the candidates; `dirtyToo`: dirty pages are written back and taken as well. */
function shrinkFileTurns(ctx: MmContext, mms: Map<number, MM>, want: number, dirtyToo: boolean): [number, number] {
  const pm = ctx.pm, rs = ctx.vm.reclaim;
  if (rs.cache.length !== pm.frames || want <= 0) return [0, 0];
  // No plug without a block layer (a kernel built without one): the writes go one by one.
  const plug = dirtyToo ? RECLAIM_PLUG.byName.get("block") : undefined;
  if (!plug) return scanFile(ctx, mms, want, dirtyToo);
  plug.start(ctx.kernel!);
  try {
    return scanFile(ctx, mms, want, dirtyToo);
  } finally {
    plug.finish(ctx.kernel!);
  }
}

function scanFile(ctx: MmContext, mms: Map<number, MM>, want: number, dirtyToo: boolean): [number, number] {
  const pm = ctx.pm, rs = ctx.vm.reclaim;
  let scanned = 0, freed = 0;
  // Two turns over the candidates: the first may only clear A bits. A
  // dropped frame leaves the list (the last one takes its place, so the
  // hand stays put).
  for (let n = 0, turns = 2 * rs.len; n < turns && rs.len > 0 && freed < want; n++) {
    if (rs.hand >= rs.len) rs.hand = 0;
    const f = rs.list[rs.hand];
    // Pinned frames are never taken; a frame nothing holds is already on its way out.
    if (pm.owner[f] !== FRAME_PAGECACHE || (pm.flags[f] & FF_PINNED) !== 0 || pm.refs[f] === 0) { rs.hand++; continue; }
    const dirty = (pm.flags[f] & FF_DIRTY) !== 0 || rmapPtes(ctx, mms, f, RMAP_TEST_D) > 0;
    if (dirty && (!dirtyToo || !writable(rs, f))) { rs.hand++; continue; }
    scanned++;
    if (rmapPtes(ctx, mms, f, RMAP_CLEAR_A) > 0) { rs.hand++; continue; }
    if (dirty && !pageOut(ctx, mms, f)) { rs.hand++; continue; }
    if (dropFrame(ctx, mms, f)) { freed++; ctx.vm.counters.pgstealFile++; }
    else if (rs.pos[f] !== 0) rs.hand++;
  }
  return [scanned, freed];
}

/**
 * page_mkclean for a write-back outside reclaim (msync, fsync, the last
 * munmap): whether page-cache frame `pa` is dirty (FF_DIRTY, or D in a PTE
 * that maps it), and if so, make it clean for the write that follows: D
 * cleared in every PTE that maps it (TLB entries flushed, so that the next
 * store walks the table and sets D again) and FF_DIRTY cleared. The caller
 * writes the page next, and calls frameRedirty if that write failed. A
 * frame with a mapper not in `mms` keeps FF_DIRTY (it is written every
 * time, as before). `mms`: mmsById, built once per write-back.
 */
export function frameMkclean(ctx: MmContext, mms: Map<number, MM>, pa: number): boolean {
  const pm = ctx.pm;
  const f = frameIndex(pa);
  const all = rmapReachable(pm, mms, f) >= 0;
  const dirty = rmapPtes(ctx, mms, f, RMAP_CLEAR_D) > 0 || (pm.flags[f] & FF_DIRTY) !== 0;
  if (dirty && all) pm.flags[f] &= ~FF_DIRTY;
  return dirty;
}

/** The write frameMkclean prepared failed: the frame is dirty again. */
export function frameRedirty(pm: PhysMem, pa: number): void {
  pm.flags[frameIndex(pa)] |= FF_DIRTY;
}

/** Whether frame `f`'s file can be written back (its file system has writePage). */
function writable(rs: ReclaimState, f: number): boolean {
  const c = rs.caches.get(rs.cache[f]);
  return c !== undefined && c.owner != null && iopsOf(c.owner).writePage !== undefined;
}

/**
 * Pageout (Linux's shrink_page_list -> pageout -> ->writepage): write dirty
 * frame `f` to its file through the file system's write path, then it is
 * clean and the caller drops it like any clean page. Every mapping must be
 * reachable (else dropFrame would keep the frame: no point writing it).
 * The PTEs' D bits are cleared (TLB entries flushed, so a later store sets
 * D again through the page-table walk) and FF_DIRTY with them before the
 * write; after it, a frame found dirty again is not taken - the store
 * after the write would otherwise be lost. The write never waits: the file
 * systems write into the buffer cache (ext2) or a host that answers at
 * once (hostfs), and fail when they would have to wait (an indirect or
 * inode-table block not read yet: its read is started, so a later scan
 * succeeds; a host that answers later); such a frame is skipped and stays
 * dirty. On a disk that answers later ext2 starts the writes and the frame
 * goes at once all the same: the buffers hold the bytes. Returns whether the frame is clean now.
 */
function pageOut(ctx: MmContext, mms: Map<number, MM>, f: number): boolean {
  const pm = ctx.pm, rs = ctx.vm.reclaim;
  const c = rs.caches.get(rs.cache[f]);
  const pa = RAM_BASE + f * PAGE_SIZE;
  if (!c || !c.owner || c.pages.get(rs.index[f]) !== pa) return false;
  // Every mapper reachable, and no holder other than the cache and the mappings (a kernel user could store into it later).
  const maps = rmapReachable(pm, mms, f);
  if (maps < 0 || pm.refs[f] !== maps + 1) return false;
  const write = iopsOf(c.owner).writePage;
  if (!write) return false;
  // page_mkclean: the D bits move to the frame table's flag for the write.
  rmapPtes(ctx, mms, f, RMAP_CLEAR_D);
  pm.flags[f] &= ~FF_DIRTY;
  const off = pa - RAM_BASE;
  const res = write(ctx.kernel!, c.owner, rs.index[f], pm.ram.subarray(off, off + PAGE_SIZE));
  if (res < 0) { pm.flags[f] |= FF_DIRTY; return false; }
  ctx.vm.counters.nrVmscanWrite++;
  // Stored to again since the D bits were cleared: dirty again, kept (written on a later pass).
  if ((pm.flags[f] & FF_DIRTY) !== 0 || rmapPtes(ctx, mms, f, RMAP_TEST_D) > 0) { pm.flags[f] |= FF_DIRTY; return false; }
  return true;
}

/**
 * Direct reclaim: an allocation failed. Try to free at least `want` frames;
 * returns the number freed (0: the OOM killer's turn).
 */
export function reclaim(ctx: MmContext, want: number): number {
  const c = ctx.vm.counters;
  c.allocstall++;
  const high = watermarks(ctx.pm)[2];
  const [scanned, freed] = shrink(ctx, Math.max(want, high - freeFrames(ctx.pm)));
  c.pgscanDirect += scanned;
  c.pgstealDirect += freed;
  // Direct reclaim found pages again: kswapd may try again too.
  if (freed > 0) ctx.vm.reclaim.kswapdFailures = 0;
  return freed;
}

/**
 * Whether background reclaim has work now: free frames below the low
 * watermark, kswapd not given up, its pace allows. Cheap when above low
 * (it runs after every page fault and allocates nothing).
 */
export function kswapdWanted(ctx: MmContext): boolean {
  const pm = ctx.pm;
  const rs = ctx.vm.reclaim;
  // The low watermark, computed in place.
  if (freeFrames(pm) >= pm.minFree + (pm.minFree >> 2)) { if (rs.kswapdFailures !== 0) rs.kswapdFailures = 0; return false; }
  if (rs.kswapdFailures >= KSWAPD_MAX_FAILURES) return false;
  return nowNs(ctx.kernel!) >= rs.kswapdNext;
}

/** Background reclaim inline (a kernel without the kswapd0 thread): below the low watermark, free until the high one. */
export function kswapd(ctx: MmContext): void {
  if (kswapdWanted(ctx)) kswapdRun(ctx);
}

/**
 * One run of background reclaim (kswapd0's body, or inline): if free frames
 * are below low, free until the high watermark. Returns the frames scanned
 * (what the run's time is charged by).
 */
export function kswapdRun(ctx: MmContext): number {
  const pm = ctx.pm;
  const rs = ctx.vm.reclaim;
  const free = freeFrames(pm);
  rs.kswapdNext = nowNs(ctx.kernel!) + KSWAPD_INTERVAL_NS;
  if (free >= pm.minFree + (pm.minFree >> 2)) return 0;
  const high = watermarks(pm)[2];
  const c = ctx.vm.counters;
  c.pageoutrun++;
  const [scanned, freed] = shrink(ctx, high - free);
  c.pgscanKswapd += scanned;
  c.pgstealKswapd += freed;
  // A run that could not lift free memory over the low watermark failed:
  // what it freed is (nearly) all in use again.
  rs.kswapdFailures = freeFrames(pm) < pm.minFree + (pm.minFree >> 2) ? rs.kswapdFailures + 1 : 0;
  return scanned;
}
