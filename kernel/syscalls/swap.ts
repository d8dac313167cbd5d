// swapon(2) and swapoff(2): activate a swap area (a block device or
// partition holding Linux's swap header, or a regular file on a file system
// that can map its blocks: ext2) and turn it off again, reading every page
// back in first. The areas themselves, their slots and the page moves are
// mm/swap.ts; the header format is mm/swap_format.ts.
//
// Linux's checks, in its order: CAP_SYS_ADMIN (EPERM), unknown flag bits
// (EINVAL), the path, the file type (a block device or a regular file, else
// EINVAL), an area already active on it (EBUSY), the signature and header
// (EINVAL: "Unable to find swap-space signature", "Empty swap-file", "Swap
// area shorter than signature indicates", too many or bad bad pages), a
// file with holes (EINVAL), too few usable pages (EINVAL).
//
// Concepts: C55 (swap partitions and files, priorities, swapon/swapoff;
// swapoff pages everything back in).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { MM } from "../mm/mm.js";
import { type SyscallTable, argU, argU32 } from "./args.js";
import * as N from "../abi/sysno.js";
import { readPath } from "./fs_util.js";
import { lookupAt, LOOKUP_FOLLOW, displayPath } from "../fs/namei.js";
import { iput } from "../fs/inode.js";
import { AT_FDCWD, S_IFMT, S_IFBLK, S_IFREG } from "../abi/fs.js";
import { EINVAL, EPERM, EBUSY, ENXIO, ERESTARTSYS, EAGAIN, ENOMEM } from "../abi/errno.js";
import { lookupBlockDevice } from "../block/blkdev.js";
import { bread, syncDev, invalidateDev } from "../block/buffer.js";
import { shmemSwapoff } from "../mm/shmem_swap.js";
import { tmpfsSwapoff } from "../mm/tmpfs_swap.js";
import { mountList } from "../fs/mount.js";
import { RAM_BASE, putFrame } from "../mm/phys.js";
import { reclaimRetry } from "../mm/alloc.js";
import "../block/swapio.js"; // registers the swap I/O code (mm/swap.ts SWAP_IO)
import { iopsOf } from "../lib/fsops.js";
import { forEachPte } from "../mm/pagetable.js";
import { findVma, pteFlags } from "../mm/mm.js";
import { parseSwapHeader, SWAP_PAGE } from "../mm/swap_format.js";
import { swapActivate, swapBusy, swapDeactivate, swapGoodPages, isSwapPte, MAX_SWAPFILES } from "../mm/swap.js";
import { logInfo } from "../log.js";
import { vtToArray } from "../mm/vma_tree.js";

/** swapon flags (linux/swap.h). */
export const SWAP_FLAG_PREFER = 0x8000;
export const SWAP_FLAG_PRIO_MASK = 0x7fff;
export const SWAP_FLAG_DISCARD = 0x10000;
const SWAP_FLAGS_VALID = SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | 0x20000 | 0x40000;

function sysSwapon(k: Kernel, t: Task): number {
  const pathVa = argU(k, 0), flags = argU32(k, 1);
  if (t.tg.creds.euid !== 0) return -EPERM;
  if (flags & ~SWAP_FLAGS_VALID) return -EINVAL;
  const path = readPath(k, t, pathVa);
  if (typeof path === "number") return path;
  const d = lookupAt(k, t, AT_FDCWD, path, LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  const ino = d.inode;
  const type = ino.mode & S_IFMT;
  const sw = k.mmctx.vm.swap;
  if (sw.areas.filter((a) => a !== null).length >= MAX_SWAPFILES) return -EPERM; // Linux: no free type
  let dev: number, areaPages: number, devPage: Int32Array | null = null, headerBlock = 0, header: Uint8Array | null = null, blockSize = SWAP_PAGE;
  if (type === S_IFBLK) {
    const bd = lookupBlockDevice(k, ino.rdev);
    if (!bd) return -ENXIO;
    if (swapBusy(sw, ino.sb.dev, ino.ino, ino.rdev)) return -EBUSY;
    if (bd.readOnly) return -EPERM; // Linux opens the device for writing: EROFS from the block layer; util-linux reports it as such
    // A mounted file system on it, on its disk or on one of its partitions: Linux's exclusive open fails (EBUSY).
    for (const m of mountList(k)) {
      const md = lookupBlockDevice(k, m.sb.dev);
      if (md && (md.dev === bd.dev || md.dev === bd.disk || md.disk === bd.dev)) return -EBUSY;
    }
    dev = bd.dev;
    areaPages = Math.floor(bd.sectors / (SWAP_PAGE / 512));
    // What was written through the device file (mkswap) reaches the disk, and no stale block stays cached
    // (not again when this call restarts after its header read: that would drop the block just read, and
    // on a disk that answers later swapon would read it for ever).
    if (sw.swaponWaitTid !== t.tid) {
      const w = syncDev(k, t, dev);
      if (w === -ERESTARTSYS) return w;
      invalidateDev(k, dev);
    }
  } else if (type === S_IFREG) {
    if (swapBusy(sw, ino.sb.dev, ino.ino, 0)) return -EBUSY;
    const swapMap = iopsOf(ino).swapMap;
    if (!swapMap) return -EINVAL; // tmpfs, procfs, hostfs...: no block map (Linux: no swap_activate or bmap)
    areaPages = Math.floor(ino.size / SWAP_PAGE);
    if (areaPages < 1) return -EINVAL;
    // The file's data reaches the disk first (Linux writes the mapping back at swapon): its blocks get
    // allocated, and a dirty page-cache page written back later cannot land on a slot.
    iopsOf(ino).writeback?.(k, ino);
    const w = syncDev(k, t, ino.sb.dev);
    if (w === -ERESTARTSYS) return w;
    const m = swapMap(k, ino, areaPages);
    if (typeof m === "number") return m;
    dev = m.dev;
    devPage = m.blocks;
    blockSize = m.blockSize;
    headerBlock = devPage[0];
    // The header is read through the page cache (what mkswap wrote, whether or not it was on disk).
    const getPage = iopsOf(ino).getPage;
    if (!getPage) return -EINVAL;
    const fr = getPage(k, ino, 0);
    if (fr <= 0) return fr === -ERESTARTSYS ? fr : -EINVAL;
    header = k.pm.ram.slice(fr - RAM_BASE, fr - RAM_BASE + SWAP_PAGE);
    putFrame(k.pm, fr);
  } else {
    return -EINVAL;
  }
  const r = activateArea(k, t, { type, dev, inoDev: ino.sb.dev, ino: ino.ino, areaPages, devPage, blockSize, headerBlock, header, flags, shown: t.fs?.root ? displayPath(d, t.fs.root) : path });
  // The area keeps its inode (the file cannot go away under it) until swapoff.
  if (r === 0) { ino.refs++; sw.areas[findArea(k, ino.sb.dev, ino.ino)]!.holdsInode = true; }
  return r;
}

function findArea(k: Kernel, inoDev: number, ino: number): number {
  return k.mmctx.vm.swap.areas.findIndex((a) => a !== null && a.inoDev === inoDev && a.ino === ino);
}

interface AreaSpec {
  type: number; dev: number; inoDev: number; ino: number; areaPages: number; devPage: Int32Array | null; blockSize: number; headerBlock: number;
  /** Page 0 already read (a file: through its page cache), or null to read headerBlock of dev. */
  header: Uint8Array | null; flags: number; shown: string;
}

/** Read and check the header, then activate (the part of swapon after the file-type checks). */
function activateArea(k: Kernel, t: Task | null, o: AreaSpec): number {
  if (o.areaPages < 1) return -EINVAL;
  let page0 = o.header;
  if (page0 === null) {
    const bh = bread(k, t, o.dev, o.headerBlock, SWAP_PAGE);
    const sw = k.mmctx.vm.swap;
    sw.swaponWaitTid = bh === -ERESTARTSYS && t !== null ? t.tid : 0;
    if (typeof bh === "number") return bh === -ERESTARTSYS ? bh : bh === -EAGAIN ? -EAGAIN : -EINVAL;
    page0 = bh.data;
  }
  const h = parseSwapHeader(page0, o.areaPages);
  if (typeof h === "string") { logInfo(k, `Unable to use ${o.shown}: ${h}`); return -EINVAL; }
  // A regular file with bad pages is refused (Linux: "nr_badpages && S_ISREG").
  if (o.type === S_IFREG && h.header.badPages.length > 0) return -EINVAL;
  let devPage = o.devPage;
  if (devPage !== null && devPage.length > h.pages) devPage = devPage.slice(0, h.pages);
  const good = swapGoodPages(h.pages, h.header.badPages, devPage);
  if (good <= 0) return -EINVAL;
  const prio = (o.flags & SWAP_FLAG_PREFER) ? o.flags & SWAP_FLAG_PRIO_MASK : null;
  const r = swapActivate(k.mmctx, {
    path: o.shown, kind: o.type === S_IFBLK ? "partition" : "file", dev: o.dev, inoDev: o.inoDev, ino: o.ino,
    pages: h.pages, badPages: h.header.badPages, devPage, blockSize: o.blockSize, prio,
  });
  if (r < 0) return -EPERM;
  const a = k.mmctx.vm.swap.areas[r]!;
  logInfo(k, `Adding ${a.good * 4}k swap on ${o.shown}.  Priority:${a.prio} extents:1 across:${a.good * 4}k`);
  return 0;
}

/**
 * Activate the whole block device named `name` (vdb) as swap at boot,
 * before init runs (tsix run --swap): 0 or a negative errno (a disk that
 * answers later cannot be read before init: -EAGAIN).
 */
export function swaponAtBoot(k: Kernel, name: string): number {
  let bd = null;
  for (const d of k.block.devices.values()) if (d.name === name) bd = d;
  if (!bd) return -ENXIO;
  if (swapBusy(k.mmctx.vm.swap, 0, 0, bd.dev)) return -EBUSY;
  return activateArea(k, null, {
    type: S_IFBLK, dev: bd.dev, inoDev: -1, ino: -1, areaPages: Math.floor(bd.sectors / (SWAP_PAGE / 512)), devPage: null, blockSize: SWAP_PAGE, headerBlock: 0, header: null, flags: 0, shown: `/dev/${name}`,
  });
}

/** The address spaces of every live process, each once. */
function liveMms(k: Kernel): MM[] {
  const out = new Set<MM>();
  for (const x of k.tasks.values()) if (x.mm && x.state !== "X") out.add(x.mm);
  return [...out];
}

/**
 * Bring every page on area `type` back (it is draining): shared memory
 * objects' (mm/shmem_swap.ts), tmpfs files' (mm/tmpfs_swap.ts), then the
 * processes' anonymous pages, after which the area is gone. A step that
 * runs out of frames runs direct reclaim and goes on (the pages it already
 * brought back stay back, so each round makes progress); -ENOMEM only when
 * reclaim frees nothing - no other swap area has room and no page cache is
 * left to drop - as Linux's try_to_unuse failing. -EAGAIN: a read is in
 * flight (the call restarts).
 */
function unuseArea(k: Kernel, t: Task, type: number): number {
  const ctx = k.mmctx;
  for (;;) {
    let r = shmemSwapoff(ctx, type, t);
    if (r === 0) r = tmpfsSwapoff(ctx, type);
    if (r === 0) {
      r = swapDeactivate(ctx, type, liveMms(k), (mm, fn) => {
        for (const v of vtToArray(mm.vmaTree)) forEachPte(k.pm, mm.root, v.start, v.end, (va, pa, pte) => { if (isSwapPte(pte)) fn(va, pa, pte); }, true);
      }, (mm, va) => pteFlags(findVma(mm, va)!.prot), t);
    }
    if (r === -ENOMEM && reclaimRetry(ctx)) continue;
    return r;
  }
}

function sysSwapoff(k: Kernel, t: Task): number {
  if (t.tg.creds.euid !== 0) return -EPERM;
  const path = readPath(k, t, argU(k, 0));
  if (typeof path === "number") return path;
  const d = lookupAt(k, t, AT_FDCWD, path, LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  const ino = d.inode;
  const sw = k.mmctx.vm.swap;
  const blk = (ino.mode & S_IFMT) === S_IFBLK;
  const a = sw.areas.find((x) => x !== null && ((x.inoDev === ino.sb.dev && x.ino === ino.ino) || (blk && x.kind === "partition" && x.dev === ino.rdev)));
  if (!a) return -EINVAL;
  // No new slot goes to the area while its pages come back (Linux's try_to_unuse runs with SWP_WRITEOK
  // cleared): reclaim, which may run for the frames they need, sends other pages to the other areas.
  a.draining = true;
  const r = unuseArea(k, t, a.type);
  if (r < 0) { a.draining = false; return r === -EAGAIN ? -ERESTARTSYS : r; }
  // The inode the area held since swapon (the one swapon looked up: same device and number).
  if (a.holdsInode && a.inoDev === ino.sb.dev && a.ino === ino.ino) iput(k, ino);
  return 0;
}

export function registerSwapSyscalls(table: SyscallTable): void {
  table[N.SYS_swapon] = sysSwapon;
  table[N.SYS_swapoff] = sysSwapoff;
}
