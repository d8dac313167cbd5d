// Block device files: /dev/vda, /dev/vda1, /dev/ram0 and any S_IFBLK node
// opened on a file system that allows devices. Reads and writes go through
// the buffer cache (block/buffer.ts) in the device's block size (the largest
// of 4096/2048/1024/512 that divides its size), so a write reaches the disk
// only when written back: fsync/fdatasync on the file, sync, syncfs, the
// write-back timer, BLKFLSBUF, or halt. As on Linux: a read at or past the
// end returns 0 bytes, a write at or past the end fails with ENOSPC and one
// that runs past it is cut short; writing a read-only disk fails with EPERM
// (blkdev_write_iter); lseek past the end is EINVAL (fixed_size_llseek).
// Opening a partition number that is gone gives ENXIO.
//
// ioctls (linux/fs.h, linux/hdreg.h): BLKGETSIZE64 (bytes), BLKGETSIZE
// (sectors), BLKSSZGET/BLKPBSZGET (512), BLKBSZGET (the block size used
// here), BLKROGET, BLKFLSBUF (write back, then drop the clean buffers),
// BLKRRPART (re-read the partition table: whole disks only, EBUSY while one
// of its partitions is open), HDIO_GETGEO (the geometry virtio-blk reports
// without the GEOMETRY feature: 64 heads, 32 sectors, capacity/2048
// cylinders, and the partition's start). Any other request: ENOTTY.
//
// mmap is not built (ENODEV).
//
// Device nodes: devfs gets a node (mode 0660, root:disk) for every block
// device, and loses the nodes of partitions that are gone, when the table
// is (re)read (blockNodesChanged).
//
// Concepts: C14 (devices are files), C61 (a partition is a device of its
// own: a window of the disk's sectors), C74 (through the buffer cache).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "./vfs.js";
import { defineFileOps } from "../lib/fsops.js";
import { lookupBlockDevice, blockDevices, partitionsOf, devMajor, devMinor, type BlockDevice } from "../block/blkdev.js";
import { breadBatch, getblk, getblkNew, markBufferDirty, syncDev, invalidateDev, type BufferHead } from "../block/buffer.js";
import { rescanPartitions } from "../block/partitions.js";
import { putUser64, putUser32, copyout } from "../mm/uaccess.js";
import { EBUSY, EFAULT, EINVAL, EIO, ENODEV, ENOSPC, ENOTTY, ENXIO, EPERM, ERESTARTSYS, EACCES } from "../abi/errno.js";
import { S_IFBLK } from "../abi/fs.js";
import { putU64 } from "../abi/le.js";
import { tmpfsAdd, tmpfsLookup } from "./tmpfs/tmpfs.js";
import { makedev, major as majorOf, minor as minorOf } from "./fstypes.js";
import { iopsOf } from "../lib/fsops.js";

// ioctl numbers: _IO(0x12, n) and _IOR(0x12, n, size_t) of linux/fs.h; HDIO_GETGEO of linux/hdreg.h.
export const BLKROGET = 0x125e;
export const BLKRRPART = 0x125f;
export const BLKGETSIZE = 0x1260;
export const BLKFLSBUF = 0x1261;
export const BLKSSZGET = 0x1268;
export const BLKBSZGET = 0x80081270;
export const BLKGETSIZE64 = 0x80081272;
export const BLKPBSZGET = 0x127b;
export const BLKIOMIN = 0x1278;
export const BLKIOOPT = 0x1279;
export const HDIO_GETGEO = 0x0301;

const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
/** The most bytes one read/write call moves through the cache before returning (the rest comes in the next call of the loop). */
const MAX_BATCH_BLOCKS = 512;
/** gid of the "disk" group (Debian's). */
const GID_DISK = 6;

function bdevOf(k: Kernel, f: File): BlockDevice | undefined {
  return lookupBlockDevice(k, f.inode.rdev);
}

/** The block size a device file uses: the largest of 4096..512 that divides its size. */
export function bdevBlockSize(d: BlockDevice): number {
  for (const s of [4096, 2048, 1024]) if ((d.sectors * 512) % s === 0) return s;
  return 512;
}

function sizeOf(d: BlockDevice): number {
  return d.sectors * 512;
}

/** The buffers [first, last] of a transfer, made up to date when `read`. Returns them, or a negative errno (-ERESTARTSYS: asleep). */
function blocks(k: Kernel, t: Task, d: BlockDevice, first: number, last: number, bs: number, readAll: boolean): BufferHead[] | number {
  if (readAll) {
    const nrs: number[] = [];
    for (let nr = first; nr <= last; nr++) nrs.push(nr);
    const r = breadBatch(k, t, d.dev, nrs, bs);
    if (r < 0) return r;
  }
  const out: BufferHead[] = [];
  for (let nr = first; nr <= last; nr++) {
    // After breadBatch every block is up to date (and kept: buffers of the syscall in progress are not evicted);
    // getblk takes them without counting a second cache lookup. For a write, the blocks it covers whole are taken
    // with getblkNew: another reader's read of one still in flight must not land on the new bytes (the partly
    // written ends were read first, so they are up to date and kept).
    const b = readAll ? getblk(k, d.dev, nr, bs) : getblkNew(k, d.dev, nr, bs);
    if (typeof b === "number") return b;
    if (readAll && !b.uptodate) return -EIO;
    out.push(b);
  }
  return out;
}

/**
 * The blocks a transfer of `len` bytes at `pos` touches, cut to at most
 * MAX_BATCH_BLOCKS (the rest comes in the next call of the loop): the
 * block size, the first and last block, and the bytes `n` they cover.
 */
function spanOf(d: BlockDevice, pos: number, len: number): { bs: number; first: number; last: number; n: number } {
  const bs = bdevBlockSize(d);
  let n = len;
  const first = Math.floor(pos / bs);
  let last = Math.floor((pos + n - 1) / bs);
  if (last - first + 1 > MAX_BATCH_BLOCKS) { last = first + MAX_BATCH_BLOCKS - 1; n = (last + 1) * bs - pos; }
  return { bs, first, last, n };
}

const BLKDEV_FOPS = defineFileOps("blkdev", {
  open(k, _t, f) {
    const d = bdevOf(k, f);
    if (!d) return -ENXIO;
    k.block.opens.set(d.dev, (k.block.opens.get(d.dev) ?? 0) + 1);
    return 0;
  },
  read(k, t, f, buf, pos) {
    const d = bdevOf(k, f);
    if (!d) return -ENXIO;
    const size = sizeOf(d);
    if (pos >= size || buf.length === 0) return 0;
    const { bs, first, last, n } = spanOf(d, pos, Math.min(buf.length, size - pos));
    const bhs = blocks(k, t, d, first, last, bs, true);
    if (typeof bhs === "number") return bhs;
    let done = 0;
    for (const bh of bhs) {
      const start = bh.blockNr * bs;
      const from = Math.max(pos, start) - start;
      const m = Math.min(bs - from, n - done);
      buf.set(bh.data.subarray(from, from + m), done);
      done += m;
    }
    return done;
  },
  write(k, t, f, buf, pos) {
    const d = bdevOf(k, f);
    if (!d) return -ENXIO;
    if (d.readOnly) return -EPERM;
    const size = sizeOf(d);
    if (buf.length === 0) return 0;
    if (pos >= size) return -ENOSPC;
    const { bs, first, last, n } = spanOf(d, pos, Math.min(buf.length, size - pos));
    // Blocks written only in part are read first (both ends at most); whole blocks are just taken.
    const partial: number[] = [];
    if (pos % bs !== 0) partial.push(first);
    if ((pos + n) % bs !== 0 && !partial.includes(last)) partial.push(last);
    if (partial.length) {
      const r = breadBatch(k, t, d.dev, partial, bs);
      if (r < 0) return r;
    }
    const bhs = blocks(k, t, d, first, last, bs, false);
    if (typeof bhs === "number") return bhs;
    let done = 0;
    for (const bh of bhs) {
      const start = bh.blockNr * bs;
      const from = Math.max(pos, start) - start;
      const m = Math.min(bs - from, n - done);
      bh.data.set(buf.subarray(done, done + m), from);
      markBufferDirty(k, bh);
      done += m;
    }
    return done;
  },
  llseek(k, f, off, whence) {
    const d = bdevOf(k, f);
    if (!d) return -ENXIO;
    let pos: number;
    switch (whence) {
      case SEEK_SET: pos = off; break;
      case SEEK_CUR: pos = f.pos + off; break;
      case SEEK_END: pos = sizeOf(d) + off; break;
      default: return -EINVAL;
    }
    // As Linux's fixed_size_llseek: a position past the end of the device is EINVAL.
    if (!Number.isSafeInteger(pos) || pos < 0 || pos > sizeOf(d)) return -EINVAL;
    f.pos = pos;
    return pos;
  },
  fsync(k, f, t) {
    const d = bdevOf(k, f);
    if (!d) return -ENXIO;
    return syncDev(k, t ?? null, d.dev);
  },
  ioctl(k, t, f, cmd, arg) {
    const d = bdevOf(k, f);
    if (!d) return -ENXIO;
    const mm = t.mm!;
    const put64 = (v: number): number => (putUser64(k.mmctx, mm, arg, v) < 0 ? -EFAULT : 0);
    const put32 = (v: number): number => (putUser32(k.mmctx, mm, arg, v) < 0 ? -EFAULT : 0);
    switch (cmd >>> 0) {
      case BLKGETSIZE64: return put64(sizeOf(d));
      case BLKGETSIZE: return put64(d.sectors); // unsigned long
      case BLKSSZGET: case BLKPBSZGET: case BLKIOMIN: return put32(512);
      case BLKIOOPT: return put32(0);
      case BLKBSZGET: return put32(bdevBlockSize(d));
      case BLKROGET: return put32(d.readOnly ? 1 : 0);
      case BLKFLSBUF: {
        if (t.tg.creds.euid !== 0) return -EACCES;
        const r = syncDev(k, t, d.dev);
        if (r < 0) return r;
        invalidateDev(k, d.dev);
        return 0;
      }
      case BLKRRPART: {
        if (t.tg.creds.euid !== 0) return -EACCES;
        if (d.partno !== 0) return -EINVAL;
        if (partitionsOf(k, d.dev).some((p) => k.block.opens.get(p.dev))) return -EBUSY;
        const s = syncDev(k, t, d.dev);
        if (s === -ERESTARTSYS) return s;
        invalidateDev(k, d.dev);
        const r = rescanPartitions(k, t, d.dev);
        if (r < 0) return r;
        blockNodesChanged(k);
        return 0;
      }
      case HDIO_GETGEO: {
        // struct hd_geometry { u8 heads; u8 sectors; u16 cylinders; unsigned long start; } (16 bytes on riscv64)
        const disk = lookupBlockDevice(k, d.disk) ?? d;
        const g = new Uint8Array(16);
        const cyl = Math.min(0xffff, Math.floor(disk.sectors / 2048));
        g[0] = 64;
        g[1] = 32;
        g[2] = cyl & 0xff;
        g[3] = cyl >>> 8;
        putU64(g, 8, d.startSector);
        return copyout(k.mmctx, mm, arg, g) < 0 ? -EFAULT : 0;
      }
      default: return -ENOTTY;
    }
  },
  // Mapping a block device (Linux maps its page cache) is not built: ENODEV, never the device node's own empty pages.
  mmap() { return -ENODEV; },
  release(k, f) {
    const dev = f.inode.rdev;
    const n = k.block.opens.get(dev) ?? 0;
    if (n <= 1) k.block.opens.delete(dev); else k.block.opens.set(dev, n - 1);
  },
});

/** The file operations of block device files (fs/file.ts opens S_IFBLK inodes with them). */
export const blkdevFops = BLKDEV_FOPS;

/**
 * Bring /dev's block nodes in line with the registered block devices: a node
 * for each (root:disk 0660), and the nodes of partitions that went away removed.
 */
export function blockNodesChanged(k: Kernel): void {
  const root = k.vfs.devfs?.root;
  if (!root) return;
  const want = new Map<string, BlockDevice>();
  for (const d of blockDevices(k)) want.set(d.name, d);
  // Nodes of block devices we made earlier that no longer exist (a partition table re-read).
  for (const name of k.block.nodes) {
    const d = want.get(name);
    const ino = tmpfsLookup(root, name);
    if (ino && (!d || ino.rdev !== makedev(devMajor(d.dev), devMinor(d.dev)))) iopsOf(root).unlink?.(k, root, name);
  }
  k.block.nodes = [];
  for (const d of want.values()) {
    const rdev = makedev(devMajor(d.dev), devMinor(d.dev));
    const ino = tmpfsLookup(root, d.name);
    if (!ino) tmpfsAdd(k, root, d.name, S_IFBLK | 0o660, 0, GID_DISK, { rdev });
    if (!ino || ((ino.mode & 0o170000) === S_IFBLK && majorOf(ino.rdev) === devMajor(d.dev) && minorOf(ino.rdev) === devMinor(d.dev))) k.block.nodes.push(d.name);
  }
}
