// The buffer cache: Linux's buffer heads. A buffer is one block of a block
// device (1024, 2048 or 4096 bytes; several sizes may coexist on one device)
// kept in memory, read from the disk on demand and written back later. File
// systems (ext2) and block device files read and write disks only through
// here; the bytes reach the disk only when they are written back (by age, by
// a sync, at halt), never at markBufferDirty.
//
// API (all take the kernel; `dev` is a block device's dev_t, `nr` a block
// number in units of `size`, relative to the start of that device):
//   getblk(k, dev, nr, size)      the buffer, not read (for a block about to be
//                                 overwritten whole: fill bh.data, set
//                                 bh.uptodate = true, markBufferDirty).
//                                 Returns a negative errno for a missing
//                                 device (-ENXIO), a bad size (-EINVAL) or a
//                                 block past the end (-EIO, as Linux).
//   getblkNew(k, dev, nr, size)   getblk for a block about to be overwritten
//                                 whole: a buffer whose read is still in
//                                 flight is replaced, not reused (its read
//                                 would land on the new bytes).
//   bread(k, t, dev, nr, size)    the up-to-date buffer; or a negative errno:
//                                 -ERESTARTSYS when the read had to wait for
//                                 the disk - `t` then sleeps on the buffer's
//                                 wait queue in state D (not woken by
//                                 signals), and the caller returns
//                                 -ERESTARTSYS so that the syscall runs again
//                                 once the read has completed (sched/wait.ts:
//                                 "blocking is a state, syscalls restart").
//                                 A synchronous backend completes the read
//                                 before bread returns: no sleep. With no
//                                 task (t = null, kernel context) a read in
//                                 flight gives -EAGAIN instead. -EIO: the
//                                 read failed (reported once; the next bread
//                                 tries the disk again).
//   breadahead(k, dev, nr, size)  start a read without waiting (readahead).
//   breadBatch(k, t, dev, nrs, size)  start every missing read at once, then
//                                 wait once: 0 when all are up to date.
//   markBufferDirty(k, bh)        the buffer changed; written back later.
//   submitWrite(k, bh)            write it now (if dirty or forced); wait
//                                 with waitOnBuffer(k, t, bh): 0 once it is
//                                 on the disk, -ERESTARTSYS while waiting,
//                                 -EIO if the write failed (an ordered
//                                 journal writes data, waits, then commits).
//   submitFlush(k, t, dev)        a FLUSH (barrier) request to the disk;
//                                 same return convention (0 once durable).
//   syncDev(k, t, dev)            write every dirty buffer of the device (the
//                                 whole disk's buffers count for its
//                                 partitions and the reverse), flush, wait:
//                                 0, -ERESTARTSYS while waiting, or -EIO
//                                 (-EAGAIN instead of sleeping when t is null).
//   syncAll(k, t)                 syncDev for every device (sync(2)).
//   startSyncAll(k)               start writing every dirty buffer (halt).
//   invalidateDev(k, dev)         forget the clean buffers (BLKFLSBUF).
//   getBh(bh) / brelse(bh)        pin a buffer across syscalls (a mounted
//                                 file system's superblock); a pinned buffer
//                                 is never evicted.
// Buffers used by the syscall (or page fault) in progress are not evicted
// either, so a caller may hold several at once without pinning them.
//
// The functions that start several requests at once (breadBatch, the
// write-back of a sync, of the timer, of a full cache, startSyncAll) plug
// the block layer around them (blkdev.ts blkStartPlug), so abutting blocks
// reach the disk as one merged request; a flush is never merged or passed.
//
// Bounded: the cache counts its bytes (/proc/meminfo Buffers:) and, past its
// limit (1/8 of RAM), evicts the least recently used clean buffers; dirty
// ones are written back first. Hits and misses are counted
// (/proc/tsix/buffercache, a tsix addition). Dirty buffers older than
// DIRTY_EXPIRE_NS are written back by a deferrable timer every
// WRITEBACK_INTERVAL_NS (Linux's dirty_expire_centisecs and
// dirty_writeback_centisecs).
//
// Concepts: C74 (buffers: a cache of disk blocks in memory, write-back,
// sync), C60 (blocks are groups of sectors).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import {
  blkFinishPlug, blkFlushPlug, blkStartPlug, lookupBlockDevice, makeRequest, submitRequest, SECTOR_SHIFT, type BlockDevice, type BufferCacheState,
} from "./blkdev.js";
import { createWaitQueue, sleepOn, type WaitQueue } from "../sched/wait.js";
import { addDeferredTimer } from "../time/timer.js";
import { nowNs } from "../time/clock.js";
import { EAGAIN, EINVAL, EIO, ENXIO, ERESTARTSYS } from "../abi/errno.js";

export const WRITEBACK_INTERVAL_NS = 5e9;
export const DIRTY_EXPIRE_NS = 30e9;

export interface BufferHead {
  readonly dev: number;
  readonly blockNr: number;
  readonly size: number;
  readonly data: Uint8Array;
  /** The data is the disk's (or newer). */
  uptodate: boolean;
  /** Changed since it was last written. */
  dirty: boolean;
  /** When it became dirty (kernel ns). */
  dirtiedAt: number;
  /** A read or write of it is with the driver. */
  inFlight: boolean;
  /** The id of the request in flight (0: none). */
  request: number;
  /** The last request's error (negative errno), 0 after success; a failed read is reported once. */
  error: number;
  /** A write of it failed (Linux's BH_Write_EIO); cleared by the next successful write. */
  writeError: boolean;
  /** The read that just completed has not been consumed by a bread yet (not counted as a hit). */
  freshRead: boolean;
  /** Pins (getBh/brelse). */
  count: number;
  /** The syscall/fault epoch that last used it (not evicted during it). */
  lastUse: number;
  /** Tasks waiting for its I/O. */
  readonly waiters: WaitQueue;
  /**
   * Held by a journal (fs/jbd2): the block belongs to a transaction not yet
   * committed, so its new contents must not reach their home on the disk
   * before the journal's commit block does. Write-back, syncs and eviction
   * leave it dirty in memory; only a forced submitWrite writes it.
   */
  jbdHold: boolean;
}

function sizeIndex(size: number): number {
  return size === 1024 ? 0 : size === 2048 ? 1 : size === 4096 ? 2 : -1;
}

function cacheOf(k: Kernel): BufferCacheState {
  return k.block.cache;
}

/** What counts as "the syscall or fault in progress". */
function epoch(k: Kernel): number {
  return k.stats.syscalls + k.stats.pageFaults;
}

/** The buffers of `dev` (created on first use). */
function devBuffers(c: BufferCacheState, dev: number): Map<number, BufferHead> {
  let m = c.byDev.get(dev);
  if (!m) { m = new Map(); c.byDev.set(dev, m); }
  return m;
}

/** Look a buffer up without creating it (undefined: not cached). */
export function findBuffer(k: Kernel, dev: number, nr: number, size: number): BufferHead | undefined {
  return cacheOf(k).byDev.get(dev)?.get(nr * 4 + sizeIndex(size));
}

/** Sectors of the device the block covers, or -EIO past the end. */
function blockSector(d: BlockDevice, nr: number, size: number): number {
  const per = size >>> SECTOR_SHIFT;
  if (!Number.isSafeInteger(nr) || nr < 0 || (nr + 1) * per > d.sectors) return -EIO;
  return d.startSector + nr * per;
}

/** The buffer for block `nr` of `dev`, without reading it. */
export function getblk(k: Kernel, dev: number, nr: number, size: number): BufferHead | number {
  const si = sizeIndex(size);
  if (si < 0) return -EINVAL;
  const d = lookupBlockDevice(k, dev);
  if (!d) return -ENXIO;
  if (blockSector(d, nr, size) < 0) return -EIO;
  const c = cacheOf(k);
  const m = devBuffers(c, dev);
  const key = nr * 4 + si;
  let bh = m.get(key);
  if (bh) {
    m.delete(key); // most recently used goes last
    m.set(key, bh);
  } else {
    if (c.bytes + size > c.limitBytes) shrinkCache(k, size);
    bh = {
      dev, blockNr: nr, size, data: new Uint8Array(size), uptodate: false, dirty: false, dirtiedAt: 0, inFlight: false,
      request: 0, error: 0, writeError: false, freshRead: false, count: 0, lastUse: 0, waiters: createWaitQueue("buffer"),
      jbdHold: false,
    };
    m.set(key, bh);
    c.count++;
    c.bytes += size;
  }
  bh.lastUse = epoch(k);
  return bh;
}

/**
 * The buffer for block `nr` of `dev` when the caller is about to overwrite
 * it whole (Linux's getblk + "the caller owns the contents"): like getblk,
 * but a buffer with a read still in flight is not reused. The driver copies
 * the disk's bytes into the buffer when the read completes (virtio-blk: out
 * of its bounce frame), so new bytes stored into it now would be replaced by
 * the old ones from the disk - and, the buffer being dirty, written back
 * over the new data later (what corrupted file pages written back by
 * reclaim, and swap slots reused while a readahead of them was in flight,
 * on disks that answer later). Linux waits for the locked buffer; here
 * nobody may have to wait (reclaim has no task), so the busy buffer is
 * taken out of the cache instead: its read completes into a buffer nobody
 * finds any more, its waiters wake and look the block up again, and they
 * find this new one.
 */
export function getblkNew(k: Kernel, dev: number, nr: number, size: number): BufferHead | number {
  const si = sizeIndex(size);
  if (si >= 0) {
    const c = cacheOf(k);
    const m = c.byDev.get(dev);
    const old = m?.get(nr * 4 + si);
    // Only a read is ever in flight on a buffer that is not up to date (a write is of up-to-date bytes).
    if (m && old && old.inFlight && !old.uptodate) {
      m.delete(nr * 4 + si);
      c.count--;
      c.bytes -= old.size;
    }
  }
  return getblk(k, dev, nr, size);
}

/** Evict least recently used clean, idle, unpinned buffers until `need` more bytes fit; start writing dirty ones if that is not enough. */
function shrinkCache(k: Kernel, need: number): void {
  const c = cacheOf(k);
  const now = epoch(k);
  for (const [dev, m] of c.byDev) {
    for (const [key, bh] of m) {
      if (c.bytes + need <= c.limitBytes) return;
      if (bh.dirty || bh.inFlight || bh.count > 0 || bh.lastUse === now || bh.waiters.waiters.length) continue;
      m.delete(key);
      c.count--;
      c.bytes -= bh.size;
      c.evictions++;
    }
    if (m.size === 0) c.byDev.delete(dev);
  }
  // Still over: the rest is dirty (or busy). Start writing the oldest dirty buffers so that they become evictable.
  let budget = 64;
  blkStartPlug(k);
  try {
    for (const m of c.byDev.values()) {
      for (const bh of m.values()) {
        if (budget <= 0) return;
        if (bh.dirty && !bh.inFlight) { submitWrite(k, bh); budget--; }
      }
    }
  } finally {
    blkFinishPlug(k);
  }
}

/** Start reading `bh` from the disk (unless it is up to date or already in flight). */
function startRead(k: Kernel, bh: BufferHead): void {
  if (bh.uptodate || bh.inFlight) return;
  const d = lookupBlockDevice(k, bh.dev);
  if (!d) { bh.error = -ENXIO; return; }
  const sector = blockSector(d, bh.blockNr, bh.size);
  if (sector < 0) { bh.error = -EIO; return; }
  cacheOf(k).misses++;
  const req = makeRequest(k, "read", d, sector, bh.size >>> SECTOR_SHIFT, bh);
  bh.inFlight = true;
  bh.request = req.id;
  bh.error = 0;
  bh.freshRead = true;
  submitRequest(k, req);
}

/** Sleep `t` on `wq` uninterruptibly (state D: a disk wait). */
function sleepD(t: Task, wq: WaitQueue): number {
  sleepOn(t, wq);
  t.state = "D";
  t.killable = false;
  return -ERESTARTSYS;
}

/** The consumed result of `bh` after a read attempt: the buffer, its error (once), or a wait. */
function readResult(k: Kernel, t: Task | null, bh: BufferHead): BufferHead | number {
  if (bh.uptodate) {
    if (bh.freshRead) bh.freshRead = false;
    else cacheOf(k).hits++;
    return bh;
  }
  if (!bh.inFlight) {
    const e = bh.error || -EIO;
    bh.error = 0;
    return e;
  }
  if (!t) return -EAGAIN; // no task to put to sleep (a kernel-context read of a slow disk): try again after completion
  return sleepD(t, bh.waiters);
}

/** Block `nr` of `dev`, read if needed (see the top of the file for the return convention). */
export function bread(k: Kernel, t: Task | null, dev: number, nr: number, size: number): BufferHead | number {
  const bh = getblk(k, dev, nr, size);
  if (typeof bh === "number") return bh;
  if (!bh.uptodate && !bh.inFlight && bh.error === 0) {
    startRead(k, bh);
    // Inside someone's plug (reclaim's page-outs) the read would wait for the plug's end: it goes now.
    if (bh.inFlight && k.block.plug.depth > 0) blkFlushPlug(k);
  }
  return readResult(k, t, bh);
}

/** Start reading block `nr` without waiting for it (readahead); errors are ignored. */
export function breadahead(k: Kernel, dev: number, nr: number, size: number): void {
  const bh = getblk(k, dev, nr, size);
  if (typeof bh !== "number" && !bh.uptodate && !bh.inFlight && bh.error === 0) startRead(k, bh);
}

/**
 * Make blocks `nrs` of `dev` up to date: every missing read is started at
 * once (the disk sees them together), then `t` waits for the first still in
 * flight. 0 when all are up to date; -ERESTARTSYS (asleep) or -EIO.
 */
export function breadBatch(k: Kernel, t: Task | null, dev: number, nrs: readonly number[], size: number): number {
  const bhs: BufferHead[] = [];
  // The reads go out together: abutting blocks become one request (the plug).
  blkStartPlug(k);
  try {
    for (const nr of nrs) {
      const bh = getblk(k, dev, nr, size);
      if (typeof bh === "number") return bh;
      if (!bh.uptodate && !bh.inFlight && bh.error === 0) startRead(k, bh);
      bhs.push(bh);
    }
  } finally {
    blkFinishPlug(k);
  }
  // Inside an outer plug the reads are still held: they go now (the caller waits for them).
  if (k.block.plug.depth > 0) blkFlushPlug(k);
  // Wait while any is in flight, before consuming any result: a restarted call then counts each buffer once.
  for (const bh of bhs) if (bh.inFlight) return t ? sleepD(t, bh.waiters) : -EAGAIN;
  for (const bh of bhs) {
    const r = readResult(k, t, bh);
    if (typeof r === "number") return r;
  }
  return 0;
}

/** The buffer's bytes changed: it will be written back. */
export function markBufferDirty(k: Kernel, bh: BufferHead): void {
  bh.uptodate = true;
  if (bh.dirty) return;
  bh.dirty = true;
  bh.dirtiedAt = nowNs(k);
  const c = cacheOf(k);
  c.dirty++;
  // A buffer evicted meanwhile (a caller held it past its syscall without getBh) goes back into the cache.
  const m = devBuffers(c, bh.dev);
  const key = bh.blockNr * 4 + sizeIndex(bh.size);
  if (m.get(key) !== bh) {
    if (!m.has(key)) { c.count++; c.bytes += bh.size; }
    m.set(key, bh);
  }
  armWriteback(k);
}

/** Keep a buffer across syscalls (never evicted until brelse). */
export function getBh(bh: BufferHead): void { bh.count++; }
export function brelse(bh: BufferHead): void { if (bh.count > 0) bh.count--; }

/**
 * Write `bh` to the disk now (if it is dirty, or `force`). Returns at once;
 * waitOnBuffer waits for the write. A buffer already in flight is left alone
 * (write it again after waiting if it was dirtied meanwhile), and so is one a
 * journal holds (jbdHold) unless `force`.
 */
export function submitWrite(k: Kernel, bh: BufferHead, force = false): void {
  if (bh.inFlight || (!bh.dirty && !force) || (bh.jbdHold && !force)) return;
  const d = lookupBlockDevice(k, bh.dev);
  if (!d) return;
  const sector = blockSector(d, bh.blockNr, bh.size);
  if (sector < 0) return;
  const c = cacheOf(k);
  if (bh.dirty) { bh.dirty = false; c.dirty--; }
  c.writtenBack++;
  const req = makeRequest(k, "write", d, sector, bh.size >>> SECTOR_SHIFT, bh);
  bh.inFlight = true;
  bh.request = req.id;
  bh.writeError = false;
  bh.error = 0;
  submitRequest(k, req);
}

/** Wait until `bh` has no I/O in flight: 0 (its last write, if any, succeeded), -ERESTARTSYS (asleep) or -EIO. */
export function waitOnBuffer(k: Kernel, t: Task | null, bh: BufferHead): number {
  if (bh.inFlight) return t ? sleepD(t, bh.waiters) : -EAGAIN;
  if (bh.writeError) { bh.writeError = false; return -EIO; }
  return 0;
}

/**
 * A cache-flush (barrier) request to `dev`'s disk, waited for: 0 once the
 * disk says every completed write is durable, -ERESTARTSYS while waiting,
 * -EIO if it failed. The request in flight is remembered in the task's
 * restart block (t.restart, kind "blk_flush"), so the restarted call waits
 * for it instead of sending another; a signal handler that ends the call
 * clears it.
 */
export function submitFlush(k: Kernel, t: Task | null, dev: number): number {
  const d = lookupBlockDevice(k, dev);
  if (!d) return -ENXIO;
  return flushDisks(k, t, [d.disk], d.disk);
}

/**
 * Flush whole disks `disks` and wait for all of them; `key` names the wait
 * in the restart block (a disk's dev, or -1 for every disk).
 */
function flushDisks(k: Kernel, t: Task | null, disks: number[], key: number): number {
  const pend = t && t.restart?.kind === "blk_flush" && t.restart.disk === key ? t.restart : null;
  if (t && pend) {
    if (pend.ids.some((id) => k.block.inflight.has(id))) return sleepD(t, k.block.ioWait);
    t.restart = null;
    let failed = false;
    for (const id of pend.ids) if (k.block.flushErrors.delete(id)) failed = true;
    return failed ? -EIO : 0;
  }
  const ids: number[] = [];
  let failed = false;
  for (const dev of disks) {
    const disk = lookupBlockDevice(k, dev);
    if (!disk) return -ENXIO;
    const req = makeRequest(k, "flush", disk, 0, 0, null);
    submitRequest(k, req);
    if (!req.done) ids.push(req.id);
    else if (req.error) { failed = true; k.block.flushErrors.delete(req.id); }
  }
  if (ids.length === 0) return failed ? -EIO : 0;
  if (!t) return -EAGAIN;
  if (failed) for (const id of ids) k.block.flushErrors.add(id); // the early failure is reported with the rest
  t.restart = { kind: "blk_flush", disk: key, ids };
  return sleepD(t, k.block.ioWait);
}

/** Devices sharing sectors with `dev`: itself, its whole disk and the disk's partitions. */
function related(k: Kernel, dev: number): number[] {
  const d = lookupBlockDevice(k, dev);
  if (!d) return [];
  const out: number[] = [];
  for (const x of k.block.devices.values()) if (x.disk === d.disk) out.push(x.dev);
  return out;
}

/** Start writing every dirty buffer of `devs`; returns whether some buffer of them is still in flight. */
function writeAndCheck(k: Kernel, devs: number[]): { busy: BufferHead | null; error: boolean } {
  const c = cacheOf(k);
  let busy: BufferHead | null = null;
  let error = false;
  blkStartPlug(k);
  try {
    for (const dev of devs) {
      const m = c.byDev.get(dev);
      if (!m) continue;
      for (const bh of m.values()) if (bh.dirty && !bh.inFlight) submitWrite(k, bh);
    }
  } finally {
    blkFinishPlug(k);
  }
  // After the unplug: a disk that answers at once has completed them.
  for (const dev of devs) {
    const m = c.byDev.get(dev);
    if (!m) continue;
    for (const bh of m.values()) {
      if (bh.inFlight) busy ??= bh;
      else if (bh.writeError) { bh.writeError = false; error = true; }
    }
  }
  return { busy, error };
}

/**
 * Write every dirty buffer of `dev` (and of the devices sharing its disk),
 * wait for them, then flush the disk's cache: 0, -ERESTARTSYS (asleep), or
 * -EIO when a write failed since the device was last synced.
 */
export function syncDev(k: Kernel, t: Task | null, dev: number): number {
  const d = lookupBlockDevice(k, dev);
  if (!d) return -ENXIO;
  const devs = related(k, dev);
  const pend = t && t.restart?.kind === "blk_flush" && t.restart.disk === d.disk;
  if (!pend) {
    const { busy, error } = writeAndCheck(k, devs);
    if (error) for (const x of devs) { const r = lookupBlockDevice(k, x); if (r) r.writeErrors++; }
    if (busy) return t ? sleepD(t, busy.waiters) : -EAGAIN;
  }
  if (d.readOnly) return reportErrors(k, devs);
  const f = flushDisks(k, t, [d.disk], d.disk);
  if (f === -ERESTARTSYS || f === -EAGAIN) return f;
  const e = reportErrors(k, devs);
  return e || f;
}

function reportErrors(k: Kernel, devs: number[]): number {
  let e = 0;
  for (const x of devs) {
    const r = lookupBlockDevice(k, x);
    if (r && r.writeErrors) { r.writeErrors = 0; e = -EIO; }
  }
  return e;
}

/**
 * sync(2): write every dirty buffer of every device, wait for them, then
 * flush every writable disk at once and wait: 0, -ERESTARTSYS (asleep) or
 * -EIO when some write or flush failed since the last sync.
 */
export function syncAll(k: Kernel, t: Task | null): number {
  const all = [...k.block.devices.keys()];
  const pend = t && t.restart?.kind === "blk_flush" && t.restart.disk === -1;
  if (!pend) {
    const { busy, error } = writeAndCheck(k, all);
    if (error) for (const x of all) { const r = lookupBlockDevice(k, x); if (r) r.writeErrors++; }
    if (busy) return t ? sleepD(t, busy.waiters) : -EAGAIN;
  }
  const disks = [...k.block.devices.values()].filter((d) => d.partno === 0 && !d.readOnly).map((d) => d.dev);
  const f = flushDisks(k, t, disks, -1);
  if (f === -ERESTARTSYS || f === -EAGAIN) return f;
  const e = reportErrors(k, all);
  return e || f;
}

/** Start writing every dirty buffer, and a flush of each writable disk, without waiting (halt, poweroff). */
export function startSyncAll(k: Kernel): void {
  const c = cacheOf(k);
  // One plug: the writes merge among themselves, and each disk's flush stays after them (a barrier).
  blkStartPlug(k);
  try {
    for (const m of c.byDev.values()) for (const bh of m.values()) if (bh.dirty && !bh.inFlight) submitWrite(k, bh);
    for (const d of k.block.devices.values()) {
      if (d.partno === 0 && !d.readOnly) submitRequest(k, makeRequest(k, "flush", d, 0, 0, null));
    }
  } finally {
    blkFinishPlug(k);
  }
}

/** Dirty buffers or requests remain (the host waits for the disk before it powers off). */
export function blockBusy(k: Kernel): boolean {
  return k.block.inflight.size > 0 || cacheOf(k).dirty > 0;
}

/**
 * Forget one buffer if it is clean, idle and unpinned (swap, block/swapio.ts:
 * a page read back or written out lives in its frame or on the disk, so its
 * buffer would only crowd the cache). True when it was dropped.
 */
export function dropBuffer(k: Kernel, bh: BufferHead): boolean {
  if (bh.dirty || bh.inFlight || bh.count > 0 || bh.waiters.waiters.length > 0) return false;
  const c = cacheOf(k);
  const m = c.byDev.get(bh.dev);
  const key = bh.blockNr * 4 + sizeIndex(bh.size);
  if (!m || m.get(key) !== bh) return false;
  m.delete(key);
  c.count--;
  c.bytes -= bh.size;
  if (m.size === 0) c.byDev.delete(bh.dev);
  return true;
}

/** Forget the clean, idle buffers of `dev` (BLKFLSBUF; a re-read partition table). Dirty ones stay. */
export function invalidateDev(k: Kernel, dev: number): void {
  const c = cacheOf(k);
  const m = c.byDev.get(dev);
  if (!m) return;
  for (const [key, bh] of m) {
    if (bh.dirty || bh.inFlight || bh.count > 0) continue;
    m.delete(key);
    c.count--;
    c.bytes -= bh.size;
  }
  if (m.size === 0) c.byDev.delete(dev);
}

function armWriteback(k: Kernel): void {
  const c = cacheOf(k);
  if (c.writebackArmed) return;
  c.writebackArmed = true;
  addDeferredTimer(k, { at: nowNs(k) + WRITEBACK_INTERVAL_NS, kind: "blockWriteback" });
}

/** The periodic write-back (the "blockWriteback" timer, dispatched by kernel/timers.ts): dirty buffers older than DIRTY_EXPIRE_NS. */
export function blockWritebackTick(k: Kernel): void {
  const c = cacheOf(k);
  c.writebackArmed = false;
  const old = nowNs(k) - DIRTY_EXPIRE_NS;
  blkStartPlug(k);
  try {
    for (const m of c.byDev.values()) for (const bh of m.values()) if (bh.dirty && !bh.inFlight && bh.dirtiedAt <= old) submitWrite(k, bh);
  } finally {
    blkFinishPlug(k);
  }
  if (c.dirty > 0) armWriteback(k);
}

/** Cache statistics for /proc (Buffers: is `bytes`). */
export function bufferCacheStats(k: Kernel): Readonly<BufferCacheState> {
  return cacheOf(k);
}
