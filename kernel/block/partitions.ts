// MBR partition tables (the DOS/msdos label): sector 0 of a whole disk holds
// four 16-byte primary entries at offset 446 and the signature 0x55 0xAA at
// 510. Each entry: boot flag (0), CHS start (1-3, ignored: LBA is used),
// type (4; 0 = unused), CHS end (5-7), first sector (8, u32 LE), sector count
// (12, u32 LE). A used entry becomes partition N (vdaN) of the disk.
//
// A table from a disk image is untrusted input. As Linux's msdos parser does,
// an entry that starts past the end of the disk is dropped and one that runs
// past the end is truncated, each with a log line; tsix also drops an entry
// that starts at sector 0 (it would overlap the table itself) or overlaps an
// earlier one, so the partitions of a disk never share sectors. Extended
// partitions (types 0x05, 0x0f, 0x85) are registered with their first two
// sectors, as Linux does, and their logical partitions are not read (a
// tsix limitation, logged).
//
// The scan reads sector 0 through the buffer cache; with a disk that answers
// later it returns -ERESTARTSYS (the caller's task sleeps) or, with no task
// (boot), leaves the disk in k.block.scanPending for the driver to finish
// when the read completes (drivers/virtio_blk.ts).
//
// Concepts: C61 (partitions and the MBR), C60 (sectors by LBA).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { addPartition, dropPartitions, lookupBlockDevice, partitionsOf } from "./blkdev.js";
import { bread, invalidateDev } from "./buffer.js";
import { logInfo } from "../log.js";
import { getU32 } from "../abi/le.js";
import { EAGAIN, ENXIO, ERESTARTSYS } from "../abi/errno.js";

export const MBR_ENTRIES_OFF = 446;
export const MBR_SIGNATURE_OFF = 510;
const EXTENDED = new Set([0x05, 0x0f, 0x85]);

export interface MbrEntry { index: number; boot: number; type: number; start: number; sectors: number }

/** The four primary entries of an MBR sector, or null when the signature is missing. */
export function parseMbr(sector0: Uint8Array): MbrEntry[] | null {
  if (sector0.length < 512 || sector0[MBR_SIGNATURE_OFF] !== 0x55 || sector0[MBR_SIGNATURE_OFF + 1] !== 0xaa) return null;
  const out: MbrEntry[] = [];
  for (let i = 0; i < 4; i++) {
    const e = MBR_ENTRIES_OFF + 16 * i;
    out.push({ index: i + 1, boot: sector0[e], type: sector0[e + 4], start: getU32(sector0, e + 8), sectors: getU32(sector0, e + 12) });
  }
  return out;
}

/**
 * (Re)read the partition table of whole disk `disk` and register its
 * partitions: 0 when done (also when there is no table), -ERESTARTSYS while
 * `t` waits for the read, -EAGAIN with no task (boot) while the read is in
 * flight (the scan is then pending: finishPendingScans), -EIO.
 */
export function rescanPartitions(k: Kernel, t: Task | null, disk: number): number {
  const d = lookupBlockDevice(k, disk);
  if (!d || d.partno !== 0) return -ENXIO;
  if (d.sectors < 2) return 0; // too small for a table read in 1 KiB blocks
  const bh = bread(k, t, disk, 0, 1024);
  if (bh === -ERESTARTSYS) return bh;
  if (bh === -EAGAIN) {
    if (!k.block.scanPending.includes(disk)) k.block.scanPending.push(disk);
    return bh;
  }
  if (typeof bh === "number") {
    logInfo(k, ` ${d.name}: unable to read partition table`);
    return bh;
  }
  for (const p of partitionsOf(k, disk)) invalidateDev(k, p.dev);
  dropPartitions(k, disk);
  const entries = parseMbr(bh.data.subarray(0, 512));
  if (!entries) {
    logInfo(k, ` ${d.name}: unknown partition table`);
    return 0;
  }
  const names: string[] = [];
  const taken: [number, number][] = [];
  for (const e of entries) {
    if (e.type === 0 || e.sectors === 0) continue;
    if (e.start === 0) { logInfo(k, ` ${d.name}: p${e.index} starts at sector 0 (the partition table), skipped`); continue; }
    if (e.start >= d.sectors) { logInfo(k, ` ${d.name}: p${e.index} start ${e.start} is beyond EOD, skipped`); continue; }
    let sectors = e.sectors;
    if (e.start + sectors > d.sectors) {
      logInfo(k, ` ${d.name}: p${e.index} size ${sectors} extends beyond EOD, truncated`);
      sectors = d.sectors - e.start;
    }
    if (EXTENDED.has(e.type)) sectors = Math.min(sectors, 2);
    const end = e.start + sectors;
    const clash = taken.find(([s, x]) => e.start < x && s < end);
    if (clash) { logInfo(k, ` ${d.name}: p${e.index} overlaps sectors ${clash[0]}..${clash[1] - 1} of another partition, skipped`); continue; }
    taken.push([e.start, end]);
    const p = addPartition(k, d, e.index, e.start, sectors, e.type);
    names.push(EXTENDED.has(e.type) ? `${p.name} < >` : p.name);
    if (EXTENDED.has(e.type)) logInfo(k, ` ${d.name}: p${e.index}: logical partitions inside an extended partition are not read by tsix`);
  }
  logInfo(k, ` ${d.name}:${names.length ? " " + names.join(" ") : ""}`);
  return 0;
}

/** Finish the scans that waited for their read (the driver calls it after completions). Returns the disks scanned. */
export function finishPendingScans(k: Kernel): number[] {
  const done: number[] = [];
  const pending = k.block.scanPending.splice(0);
  for (const disk of pending) {
    const r = rescanPartitions(k, null, disk);
    if (r !== -EAGAIN) done.push(disk);
  }
  return done;
}
