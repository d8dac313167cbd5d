// The block-device registry and request layer: Linux's gendisk/block_device
// and the request path, as plain data in kernel state (k.block).
//
// A BlockDevice record exists for every whole disk (partno 0) and for every
// partition of it (partno 1..). Each has its dev_t (virtio disks: major 254
// as Linux's virtblk, minor 16*disk + partno; RAM disks: major 1 as Linux's
// brd), its name (vda, vda1, ram0), where it starts on the whole disk and how
// many 512-byte sectors it has, whether it is read-only, and the counters of
// /proc/diskstats in Linux's field order (Documentation/admin-guide/iostats).
// The code that moves the bytes is a block driver, named by the record
// (`driver`) and found in a registry of code (lib/registry.ts), so the
// records stay plain data: the RAM disk (block/ramdisk.ts) and virtio-blk
// (drivers/virtio_blk.ts, which sits higher in the layer chain and defines
// its driver at module load).
//
// API (callers: the buffer cache block/buffer.ts, block device files,
// file systems):
//   lookupBlockDevice(k, dev)        the record, or undefined
//   addDisk(k, rec) / addPartition   register a whole disk / a partition
//   submitRequest(k, req)            hand a read/write/flush to the driver;
//                                    the driver calls endRequest(k, req, err)
//                                    at once (a synchronous backend) or from
//                                    its completion interrupt, which marks
//                                    the buffer and wakes its waiters.
//   blkStartPlug(k) / blkFinishPlug(k)  Linux's plug: requests submitted in
//                                    between are held, then handed to the
//                                    drivers together, adjacent ones merged
//                                    (see "Merging" below); blkFlushPlug(k)
//                                    hands over what is held so far (a read
//                                    someone must have now).
// Requests carry absolute sectors of the whole disk; the partition offset is
// added by the caller (the buffer cache) and checked against the partition.
//
// Merging (Linux's plug list and the elevator's back merge): a caller that
// starts several requests at once (swap readahead, breadBatch, a sync's
// write-back) plugs the queue; at unplug each disk's held requests are cut
// into windows at every flush (a barrier: nothing moves or merges across
// it, so a journal's "data, flush, commit" order stays), each window is put
// in sector order (unless two of its requests overlap: then their order is
// kept as submitted) and runs of abutting requests of the same op become one
// driver request of up to the disk's maxSegments buffers (a driver that
// cannot take several sets 1). The folded requests count in /proc/diskstats
// as "merged" (fields 2 and 6), the driver request once in "completed".
//
// Concepts: C13 (drivers: a uniform block interface over different
// devices), C60 (blocks vs 512-byte sectors, LBA), C61 (partitions are
// ranges of sectors of a whole disk).
import type { Kernel } from "../kernel.js";
import type { BufferHead } from "./buffer.js";
import { createRegistry, define, lookup } from "../lib/registry.js";
import { nowNs } from "../time/clock.js";
import { createWaitQueue, wakeUp, type WaitQueue } from "../sched/wait.js";
import { logInfo } from "../log.js";
import { defineReclaimPlug } from "../mm/reclaim.js";

export const SECTOR_SIZE = 512;
export const SECTOR_SHIFT = 9;
/** Linux's major numbers: RAM disk (brd) and virtio-blk (virtblk, dynamic on Linux, 254 in practice). */
export const RAMDISK_MAJOR = 1;
export const VIRTBLK_MAJOR = 254;
/** Minors per virtio disk (Linux's virtblk: PART_BITS = 4). */
export const VIRTBLK_MINORS = 16;

export function mkdev(major: number, minor: number): number {
  return ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12);
}
export function devMajor(dev: number): number { return (dev >>> 8) & 0xfff; }
export function devMinor(dev: number): number { return (dev & 0xff) | ((dev >>> 12) & ~0xff); }

/** /proc/diskstats counters, in Linux's field order (fields 4..20 of a line). */
export interface DiskStats {
  reads: number; readsMerged: number; sectorsRead: number; msReading: number;
  writes: number; writesMerged: number; sectorsWritten: number; msWriting: number;
  inFlight: number; msIo: number; msWeighted: number;
  discards: number; discardsMerged: number; sectorsDiscarded: number; msDiscarding: number;
  flushes: number; msFlushing: number;
}

export function createDiskStats(): DiskStats {
  return {
    reads: 0, readsMerged: 0, sectorsRead: 0, msReading: 0, writes: 0, writesMerged: 0, sectorsWritten: 0, msWriting: 0,
    inFlight: 0, msIo: 0, msWeighted: 0, discards: 0, discardsMerged: 0, sectorsDiscarded: 0, msDiscarding: 0, flushes: 0, msFlushing: 0,
  };
}

export interface BlockDevice {
  readonly dev: number;
  readonly name: string;
  /** 0 for the whole disk, 1.. for its partitions. */
  readonly partno: number;
  /** The whole disk's dev (its own for a whole disk). */
  readonly disk: number;
  /** First sector on the whole disk, and the size in 512-byte sectors. */
  startSector: number;
  sectors: number;
  readOnly: boolean;
  /** The block driver's name (BLOCK_DRIVERS) and its own number for the disk (virtio: the mmio slot; RAM disk: the index). */
  readonly driver: string;
  readonly driverUnit: number;
  /** The logical block size of the device (512). */
  readonly sectorSize: number;
  readonly stats: DiskStats;
  /** Write errors not yet reported by a sync of this device (Linux's errseq on the bdev mapping). */
  writeErrors: number;
  /** Kernel time (ns) since which requests have been in flight (for msIo), 0 when idle. */
  busySince: number;
  /** The MBR partition type of a partition (0 for a whole disk). */
  partType: number;
  /** The most buffers one driver request may carry (the driver's segment limit; 1: no merging). */
  maxSegments: number;
}

export type BlockOp = "read" | "write" | "flush";

/** One request to a driver: a buffer's sectors, or a cache flush (a barrier). */
export interface BlockRequest {
  readonly id: number;
  readonly op: BlockOp;
  /** The device it was issued on (its counters move), and the whole disk it goes to. */
  readonly dev: number;
  readonly disk: number;
  /** Absolute first sector on the whole disk, and the count (0 for flush). */
  readonly sector: number;
  readonly count: number;
  /** The buffer read into or written from (null for flush). */
  readonly bh: BufferHead | null;
  readonly startNs: number;
  /** Folded into the driver request of an earlier one (it counts as merged, not completed). */
  merged: boolean;
  /** Set by endRequest: 0 or a negative errno. */
  done: boolean;
  error: number;
}

/** What a block driver does; code in a registry, looked up by the device's `driver` name. */
export interface BlockDriverOps {
  /** Start `req` (it may complete before returning, by calling endRequest). */
  submit(k: Kernel, disk: BlockDevice, req: BlockRequest): void;
  /**
   * Start `reqs` (2 or more, same op, abutting sectors in order, at most the
   * disk's maxSegments) as one device request; each ends by endRequest.
   * Needed by a driver whose disks have maxSegments > 1.
   */
  submitMerged?(k: Kernel, disk: BlockDevice, reqs: BlockRequest[]): void;
}

const BLOCK_DRIVERS = createRegistry<BlockDriverOps>("block driver");

/** Define a block driver (at module load). */
export function defineBlockDriver(name: string, ops: BlockDriverOps): string {
  return define(BLOCK_DRIVERS, name, ops);
}

/** The block layer's state (k.block): plain data. */
export interface BlockState {
  devices: Map<number, BlockDevice>;
  nextRequestId: number;
  /** Requests submitted and not ended, by id (flush waiters look here). */
  inflight: Map<number, BlockRequest>;
  /**
   * Whole disks that left a request in flight after its submit (a backend
   * that answers later); for information (nothing depends on it now:
   * reclaim's page-out writes to such disks too, see buffer.ts getblkNew).
   */
  answeredLater?: Set<number>;
  /** Woken whenever a request ends (syncDev and flush waiters sleep here). */
  ioWait: WaitQueue;
  /** Ids of flush requests that failed, until their waiter (buffer.ts submitFlush) consumes them (the latest 64). */
  flushErrors: Set<number>;
  /** Whole disks whose partition scan waits for its read (block/partitions.ts). */
  scanPending: number[];
  /** Open block device files by dev (fs/blockdev.ts; BLKRRPART refuses while a partition is open). */
  opens: Map<number, number>;
  /** The names of the /dev nodes fs/blockdev.ts made for block devices. */
  nodes: string[];
  /** RAM disks' bytes by unit (block/ramdisk.ts). */
  ramdisks: Uint8Array[];
  /** The buffer cache (block/buffer.ts). */
  cache: BufferCacheState;
  /** The plug: nesting depth, and the ids of the requests held until the outermost blkFinishPlug. */
  plug: { depth: number; held: number[] };
}

/** The buffer cache's part of the state (kept here so the record is made in one place; block/buffer.ts owns it). */
export interface BufferCacheState {
  /** Buffers by device, then by key blockNr*4 + sizeIndex; each map in LRU order (oldest first). */
  byDev: Map<number, Map<number, BufferHead>>;
  /** Buffers and their bytes. */
  count: number;
  bytes: number;
  dirty: number;
  /** Cache limit in bytes (a fraction of RAM). */
  limitBytes: number;
  hits: number;
  misses: number;
  evictions: number;
  /** Write-back timer armed. */
  writebackArmed: boolean;
  /** Blocks written by the periodic write-back and by syncs. */
  writtenBack: number;
}

/** The block layer's state for a machine of `ramBytes` (the buffer cache may use 1/8 of it). */
export function createBlockState(ramBytes: number): BlockState {
  return {
    devices: new Map(), nextRequestId: 1, inflight: new Map(), ioWait: createWaitQueue("blkio"), flushErrors: new Set(), scanPending: [], opens: new Map(), nodes: [], ramdisks: [],
    cache: { byDev: new Map(), count: 0, bytes: 0, dirty: 0, limitBytes: Math.max(1 << 20, Math.floor(ramBytes / 8)), hits: 0, misses: 0, evictions: 0, writebackArmed: false, writtenBack: 0 },
    plug: { depth: 0, held: [] },
  };
}

export function lookupBlockDevice(k: Kernel, dev: number): BlockDevice | undefined {
  return k.block.devices.get(dev);
}

/** Block devices sorted as /proc/partitions lists them (by dev). */
export function blockDevices(k: Kernel): BlockDevice[] {
  return [...k.block.devices.values()].sort((a, b) => a.dev - b.dev);
}

/** Register a whole disk. */
export function addDisk(k: Kernel, d: { dev: number; name: string; sectors: number; readOnly: boolean; driver: string; driverUnit: number; maxSegments?: number }): BlockDevice {
  const rec: BlockDevice = {
    dev: d.dev, name: d.name, partno: 0, disk: d.dev, startSector: 0, sectors: d.sectors, readOnly: d.readOnly,
    driver: d.driver, driverUnit: d.driverUnit, sectorSize: SECTOR_SIZE, stats: createDiskStats(), writeErrors: 0, busySince: 0, partType: 0,
    maxSegments: Math.max(1, d.maxSegments ?? 1),
  };
  k.block.devices.set(rec.dev, rec);
  return rec;
}

/** Register partition `partno` of `disk` (sectors already checked against the disk by the caller). */
export function addPartition(k: Kernel, disk: BlockDevice, partno: number, start: number, sectors: number, type: number): BlockDevice {
  const major = devMajor(disk.dev);
  const minor = devMinor(disk.dev) + partno;
  const name = /\d$/.test(disk.name) ? `${disk.name}p${partno}` : `${disk.name}${partno}`;
  const rec: BlockDevice = {
    dev: mkdev(major, minor), name, partno, disk: disk.dev, startSector: start, sectors, readOnly: disk.readOnly,
    driver: disk.driver, driverUnit: disk.driverUnit, sectorSize: SECTOR_SIZE, stats: createDiskStats(), writeErrors: 0, busySince: 0, partType: type,
    maxSegments: disk.maxSegments,
  };
  k.block.devices.set(rec.dev, rec);
  return rec;
}

/** The partitions of whole disk `disk` (its dev), by partno. */
export function partitionsOf(k: Kernel, disk: number): BlockDevice[] {
  return [...k.block.devices.values()].filter((d) => d.disk === disk && d.partno > 0).sort((a, b) => a.partno - b.partno);
}

/** Forget the partitions of `disk` (BLKRRPART re-reads them). */
export function dropPartitions(k: Kernel, disk: number): void {
  for (const d of partitionsOf(k, disk)) k.block.devices.delete(d.dev);
}

/** Make a request record (not submitted). */
export function makeRequest(k: Kernel, op: BlockOp, bdev: BlockDevice, sector: number, count: number, bh: BufferHead | null): BlockRequest {
  return { id: k.block.nextRequestId++, op, dev: bdev.dev, disk: bdev.disk, sector, count, bh, startNs: nowNs(k), merged: false, done: false, error: 0 };
}

function accountStart(k: Kernel, d: BlockDevice): void {
  if (d.stats.inFlight === 0) d.busySince = nowNs(k);
  d.stats.inFlight++;
}

function accountEnd(k: Kernel, d: BlockDevice, req: BlockRequest): void {
  const now = nowNs(k);
  const ms = Math.max(0, Math.round((now - req.startNs) / 1e6));
  const s = d.stats;
  switch (req.op) {
    // A request folded into another was counted as merged when it was folded; the driver request counts once.
    case "read": if (!req.merged) s.reads++; s.sectorsRead += req.count; s.msReading += ms; break;
    case "write": if (!req.merged) s.writes++; s.sectorsWritten += req.count; s.msWriting += ms; break;
    case "flush": s.flushes++; s.msFlushing += ms; break;
  }
  s.msWeighted += ms;
  if (s.inFlight > 0) s.inFlight--;
  if (s.inFlight === 0 && d.busySince) { s.msIo += Math.max(0, Math.round((now - d.busySince) / 1e6)); d.busySince = 0; }
}

/**
 * Hand `req` to its disk's driver. The partition (req.dev) and the whole disk
 * both count it, as Linux counts a partition's I/O in the disk's line too.
 */
export function submitRequest(k: Kernel, req: BlockRequest): void {
  const disk = k.block.devices.get(req.disk);
  if (!disk) { endRequest(k, req, -6 /* ENXIO */); return; }
  k.block.inflight.set(req.id, req);
  accountStart(k, disk);
  if (req.dev !== req.disk) { const p = k.block.devices.get(req.dev); if (p) accountStart(k, p); }
  if (k.block.plug.depth > 0) { k.block.plug.held.push(req.id); return; }
  lookup(BLOCK_DRIVERS, disk.driver).submit(k, disk, req);
  if (k.block.inflight.has(req.id)) (k.block.answeredLater ??= new Set()).add(req.disk);
}

/** Hold the requests submitted from now on until the matching blkFinishPlug (plugs nest). */
export function blkStartPlug(k: Kernel): void {
  k.block.plug.depth++;
}

// Reclaim's page-out writes go out under one plug (mm/reclaim.ts).
defineReclaimPlug({ start: blkStartPlug, finish: blkFinishPlug });

/** End a plug: at the outermost one, the held requests go to their drivers, merged (see the top of the file). */
export function blkFinishPlug(k: Kernel): void {
  const plug = k.block.plug;
  if (plug.depth === 0) return;
  if (--plug.depth > 0) return;
  blkFlushPlug(k);
}

/**
 * Hand the requests held so far to the drivers, merged, and stay plugged
 * (Linux flushes a task's plug when it is about to sleep): a caller that
 * needs a read's result now - bread inside reclaim's plug - must not wait
 * for a request that would only leave at the plug's end.
 */
export function blkFlushPlug(k: Kernel): void {
  const plug = k.block.plug;
  if (plug.held.length === 0) return;
  const ids = plug.held;
  plug.held = [];
  // By whole disk, in submission order.
  const byDisk = new Map<number, BlockRequest[]>();
  for (const id of ids) {
    const req = k.block.inflight.get(id);
    if (!req) continue; // ended meanwhile
    let l = byDisk.get(req.disk);
    if (!l) byDisk.set(req.disk, l = []);
    l.push(req);
  }
  for (const [dev, reqs] of byDisk) {
    const disk = k.block.devices.get(dev);
    if (!disk) { for (const r of reqs) endRequest(k, r, -6 /* ENXIO */); continue; }
    dispatchPlugged(k, disk, reqs);
  }
}

/** Hand one disk's held requests to its driver: windows between flushes, sorted, abutting ones merged. */
function dispatchPlugged(k: Kernel, disk: BlockDevice, reqs: BlockRequest[]): void {
  const ops = lookup(BLOCK_DRIVERS, disk.driver);
  const max = ops.submitMerged ? disk.maxSegments : 1;
  let i = 0;
  while (i < reqs.length) {
    if (reqs[i].op === "flush") { ops.submit(k, disk, reqs[i]); i++; continue; }
    let j = i;
    while (j < reqs.length && reqs[j].op !== "flush") j++;
    const win = reqs.slice(i, j);
    // Sector order (stable) unless two requests overlap: then the order they were submitted in is the one that counts.
    const sorted = [...win].sort((a, b) => a.sector - b.sector);
    let clash = false, end = 0;
    for (const r of sorted) {
      if (r.sector < end) { clash = true; break; }
      end = Math.max(end, r.sector + r.count);
    }
    const order = clash ? win : sorted;
    let g = 0;
    while (g < order.length) {
      const first = order[g];
      let e = g + 1;
      while (e < order.length && e - g < max) {
        const prev = order[e - 1], next = order[e];
        if (next.op !== first.op || next.sector !== prev.sector + prev.count || next.done) break;
        e++;
      }
      if (e - g === 1) ops.submit(k, disk, first);
      else {
        const group = order.slice(g, e);
        for (let m = 1; m < group.length; m++) noteMerged(k, group[m]);
        ops.submitMerged!(k, disk, group);
      }
      g = e;
    }
    i = j;
  }
}

/** `req` rides in an earlier request's driver request: diskstats' merged field of the disk (and partition) moves. */
function noteMerged(k: Kernel, req: BlockRequest): void {
  req.merged = true;
  const bump = (d: BlockDevice | undefined): void => {
    if (!d) return;
    if (req.op === "read") d.stats.readsMerged++;
    else if (req.op === "write") d.stats.writesMerged++;
  };
  bump(k.block.devices.get(req.disk));
  if (req.dev !== req.disk) bump(k.block.devices.get(req.dev));
}

/**
 * The driver finished `req` (error 0 or a negative errno): counters, the
 * buffer's state (buffer.ts endBufferIo) and the waiters.
 */
export function endRequest(k: Kernel, req: BlockRequest, error: number): void {
  if (req.done) return;
  req.done = true;
  req.error = error;
  if (k.block.inflight.delete(req.id)) {
    const disk = k.block.devices.get(req.disk);
    if (disk) accountEnd(k, disk, req);
    if (req.dev !== req.disk) { const p = k.block.devices.get(req.dev); if (p) accountEnd(k, p, req); }
  }
  const d = k.block.devices.get(req.dev);
  if (error && d) {
    if (req.op !== "read") d.writeErrors++;
    logInfo(k, `blk_update_request: I/O error, dev ${d.name}, sector ${req.sector} op ${req.op.toUpperCase()}`);
  }
  if (req.op === "flush" && error) {
    const fe = k.block.flushErrors;
    fe.add(req.id);
    if (fe.size > 64) fe.delete(fe.values().next().value as number);
  }
  const bh = req.bh;
  if (bh) {
    bh.inFlight = false;
    if (req.op === "read") { bh.uptodate = error === 0; bh.error = error; }
    else if (error) { bh.error = error; bh.writeError = true; }
    bh.request = 0;
    wakeUp(k, bh.waiters);
  }
  wakeUp(k, k.block.ioWait);
}
