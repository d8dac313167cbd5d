// The RAM disk (Linux's brd: /dev/ram0.., major 1): a block device whose
// sectors are kernel memory. Every request completes at once, so it is the
// simplest driver under the buffer cache: tests and file-system code can use
// a disk without a virtio device. Its size is a boot option (tsix run
// --ramdisk SIZE; Linux's brd.rd_size). The bytes are kernel state (plain
// data), so a snapshot keeps them.
//
// Concepts: C13 (a block driver behind the uniform request interface), C60
// (a disk is an array of 512-byte sectors).
import type { Kernel } from "../kernel.js";
import {
  addDisk, defineBlockDriver, endRequest, mkdev, RAMDISK_MAJOR, SECTOR_SHIFT, SECTOR_SIZE, type BlockDevice,
} from "./blkdev.js";
import { EIO } from "../abi/errno.js";

const RAMDISK = defineBlockDriver("ramdisk", {
  submit(k, disk, req) {
    const mem = k.block.ramdisks[disk.driverUnit];
    const bh = req.bh;
    if (req.op === "flush") { endRequest(k, req, 0); return; }
    const off = req.sector << SECTOR_SHIFT;
    const len = req.count << SECTOR_SHIFT;
    if (!mem || !bh || off + len > mem.length || len !== bh.size) { endRequest(k, req, -EIO); return; }
    if (req.op === "read") bh.data.set(mem.subarray(off, off + len));
    else mem.set(bh.data, off);
    endRequest(k, req, 0);
  },
});

/** Add a RAM disk of `bytes` (rounded down to whole sectors): /dev/ramN. Returns its record. */
export function createRamDisk(k: Kernel, bytes: number): BlockDevice {
  const unit = k.block.ramdisks.length;
  const sectors = Math.floor(bytes / SECTOR_SIZE);
  k.block.ramdisks.push(new Uint8Array(sectors * SECTOR_SIZE));
  return addDisk(k, { dev: mkdev(RAMDISK_MAJOR, unit), name: `ram${unit}`, sectors, readOnly: false, driver: RAMDISK, driverUnit: unit });
}
