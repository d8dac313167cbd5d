// vfat's access to its device: byte ranges on top of the buffer cache. FAT
// places its structures at sector (512-byte) granularity - mkfs.vfat puts
// the data area at sector 2050 of a 64 MiB volume - while buffers are 1 to 4
// KiB, so a cluster may start in the middle of a buffer and a buffer may hold
// pieces of two files. Everything is therefore addressed by device byte
// offset and split into the blocks it touches here.
//
// The restart rule is ext2's: a block not in the cache puts the caller to
// sleep and the operation gives up with FatErr(-ERESTARTSYS) having changed
// nothing (phase one: needRange for every range it will read or partly
// write); phase two then finds everything in the cache (the cache keeps the
// blocks a syscall used until it ends) and cannot wait. A write that covers a
// whole block never reads it.
//
// Concepts: C73 (FAT on a block device), C74 (through the buffer cache).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import { bread, breadBatch, getblkNew, markBufferDirty, findBuffer } from "../../block/buffer.js";
import { EIO, ERESTARTSYS } from "../../abi/errno.js";
import { logInfo } from "../../log.js";
import { FatErr, corrupt, type VfatFs } from "./bpb.js";

/** The task whose syscall or page fault is running (it sleeps for a read), or null in kernel context. */
export function callerTask(k: Kernel): Task | null {
  const tid = k.vfs.hostfs.caller;
  return tid ? k.tasks.get(tid) ?? null : null;
}

function checkRange(fs: VfatFs, addr: number, len: number): void {
  if (addr < 0 || len < 0 || addr + len > fs.devBytes) corrupt(`bytes ${addr}..${addr + len} outside the device`);
}

/**
 * Phase one: make the blocks of [addr, addr+len) present - all of them, or
 * for a write only those it covers in part (the rest is overwritten whole).
 * Throws FatErr(-ERESTARTSYS) while reads are under way.
 */
export function needRange(k: Kernel, fs: VfatFs, addr: number, len: number, forWrite: boolean, out?: number[]): void {
  if (len <= 0) return;
  checkRange(fs, addr, len);
  const bs = fs.bs;
  const missing = out ?? [];
  for (let nr = Math.floor(addr / bs); nr * bs < addr + len; nr++) {
    const whole = addr <= nr * bs && addr + len >= (nr + 1) * bs;
    if (forWrite && whole) continue;
    const bh = findBuffer(k, fs.dev, nr, bs);
    if (bh === undefined || !bh.uptodate) missing.push(nr);
  }
  if (!out) readBlocks(k, fs, missing);
}

/** Read the listed blocks (one batch, one wait). */
export function readBlocks(k: Kernel, fs: VfatFs, nrs: number[]): void {
  if (nrs.length === 0) return;
  if (fs.updating) logInfo(k, `FAT-fs (${fs.source}): BUG: blocks read while an operation was changing the file system`);
  const r = breadBatch(k, callerTask(k), fs.dev, nrs, fs.bs);
  if (r < 0) throw new FatErr(r === -ERESTARTSYS ? r : -EIO);
}

/** The bytes of block `nr` (read if needed: a wait throws FatErr(-ERESTARTSYS)). */
export function block(k: Kernel, fs: VfatFs, nr: number): Uint8Array {
  const r = bread(k, callerTask(k), fs.dev, nr, fs.bs);
  if (typeof r === "number") {
    if (fs.updating) logInfo(k, `FAT-fs (${fs.source}): BUG: block ${nr} read while an operation was changing the file system`);
    throw new FatErr(r === -ERESTARTSYS ? r : -EIO);
  }
  return r.data;
}

/** Copy [addr, addr+dst.length) into dst. */
export function readRange(k: Kernel, fs: VfatFs, addr: number, dst: Uint8Array): void {
  checkRange(fs, addr, dst.length);
  const bs = fs.bs;
  let done = 0;
  while (done < dst.length) {
    const a = addr + done, nr = Math.floor(a / bs), off = a - nr * bs;
    const n = Math.min(bs - off, dst.length - done);
    dst.set(block(k, fs, nr).subarray(off, off + n), done);
    done += n;
  }
}

/** Write src at addr: whole blocks without a read, partial ones into their (present) buffers. */
export function writeRange(k: Kernel, fs: VfatFs, addr: number, src: Uint8Array): void {
  checkRange(fs, addr, src.length);
  const bs = fs.bs;
  let done = 0;
  while (done < src.length) {
    const a = addr + done, nr = Math.floor(a / bs), off = a - nr * bs;
    const n = Math.min(bs - off, src.length - done);
    if (off === 0 && n === bs) {
      // getblkNew: a read of the block still in flight (a readahead of a cluster being rewritten) must not land on the new bytes.
      const bh = getblkNew(k, fs.dev, nr, bs);
      if (typeof bh === "number") throw new FatErr(-EIO);
      bh.data.set(src.subarray(done, done + n));
      bh.uptodate = true;
      markBufferDirty(k, bh);
    } else {
      const data = block(k, fs, nr);
      data.set(src.subarray(done, done + n), off);
      const bh = findBuffer(k, fs.dev, nr, bs);
      if (bh) markBufferDirty(k, bh);
    }
    done += n;
  }
}

/** Zero [addr, addr+len). */
export function zeroRange(k: Kernel, fs: VfatFs, addr: number, len: number): void {
  const bs = fs.bs;
  const z = new Uint8Array(Math.min(len, bs * 16));
  for (let done = 0; done < len;) {
    const n = Math.min(z.length, len - done);
    writeRange(k, fs, addr + done, z.subarray(0, n));
    done += n;
  }
}
