// vfat in the VFS: mount (boot sector, the whole FAT into memory, FSInfo,
// options uid=, gid=, umask=, fmask=, dmask=), inodes made from directory
// entries, and the inode, file and superblock operations. FAT has no inodes
// on disk: an inode is the short entry it came from (found by the entry's
// device address), its number is given out here, its owner and permission
// bits come from the mount options (read-only attribute: no w bits), and it
// has one link - hard links, symbolic links and device nodes are refused
// with EPERM, as Linux's vfat has no such operations. Directories count
// their subdirectories for nlink.
//
// Every operation has ext2's two phases (see bio.ts): read and check all it
// needs, then change; a corrupt image gives EIO and a kernel log line, and
// no exception leaves this module.
//
// Concepts: C73 (FAT behind the VFS), C68 (one interface, many file
// systems), C74 (page cache over the buffer cache).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import type { Inode, InodeOps, FileOps, SuperBlock, DirEntry, File, SetAttr } from "../vfs.js";
import { defineFsType, registerFsType } from "../fstypes.js";
import { applyAttr } from "../file.js";
import { currentTime, isDir, isReg } from "../inode.js";
import { createPageCache, pcRead, pcGetPage, pcFrame, pcTruncate, pcFree, pcUpdateCached, pcCachedPages, type PageFill } from "../pagecache.js";
import { PAGE_SIZE, FF_DIRTY, frameIndex } from "../../mm/phys.js";
import { defineFileOps, defineInodeOps, defineSuperOps } from "../../lib/fsops.js";
import { blockDevices, lookupBlockDevice, SECTOR_SIZE } from "../../block/blkdev.js";
import { bread, getBh, brelse, findBuffer, syncDev } from "../../block/buffer.js";
import { S_IFDIR, S_IFREG, RENAME_NOREPLACE, MS_RDONLY } from "../../abi/fs.js";
import { EEXIST, ENOENT, ENOTEMPTY, EINVAL, EFBIG, EISDIR, ENOTDIR, EIO, ENOTBLK, EBUSY, ERESTARTSYS, EAGAIN, EPERM, ENOSPC, EROFS } from "../../abi/errno.js";
import { logInfo } from "../../log.js";
import { FatErr, FatCorrupt, corrupt, parseBpb, fsInfoValid, u32, fsOf, type VfatFs, type FatOptions } from "./bpb.js";
import { callerTask, needRange, readRange, readBlocks, zeroRange, writeRange } from "./bio.js";
import { countFree, clusterAddr, planAlloc, commitAlloc, freeClusters, flushFat, needMeta, validCluster } from "./fat.js";
import {
  type FatEntry, type DirSpace, ATTR_DIR, ATTR_ARCH, ATTR_RO, dirSpace, needDir, scanDir, findName, checkName, shortFor, buildSlots,
  planSlots, writeSlots, removeSlots, isEmptyDir, dotSlots, slotAddr, fatMtime, fatAtime,
} from "./dir.js";
import {
  type VfatInode, vi, chainOfInode, needPages, fillPage, needEntry, writeEntry, planGrow, applyGrow, writeData, shrinkTo, pieces, FAT_MAX_BYTES,
} from "./file.js";

const IO_CAP = 1 << 20;
const EXEC_PREFETCH_MAX = 64 << 20;
const MSDOS_SUPER_MAGIC = 0x4d44;
const ROOT_INO = 1;
export const VFAT_DIR_IOPS = "vfat.dir", VFAT_REG_IOPS = "vfat.reg", VFAT_REG_FOPS = "vfat.reg";

// --- running operations ---

function guard<T>(k: Kernel, fs: VfatFs, what: string, f: () => T | number): T | number {
  try {
    return f();
  } catch (e) {
    if (e instanceof FatErr) return e.errno;
    if (e instanceof FatCorrupt) {
      logInfo(k, `FAT-fs (${fs.source}): error: ${what}: ${e.what}`);
      return -EIO;
    }
    const msg = e instanceof Error ? e.message : String(e);
    logInfo(k, `FAT-fs (${fs.source}): internal error in ${what}: ${msg}`);
    return -EIO;
  } finally {
    fs.updating = false;
  }
}

function beginUpdate(fs: VfatFs): void {
  fs.updating = true;
}

function writable(fs: VfatFs): number {
  return fs.readOnly ? -EROFS : 0;
}

// --- inodes ---

function modeOf(fs: VfatFs, attr: number): number {
  if (attr & ATTR_DIR) return S_IFDIR | (0o777 & ~fs.opts.dmask);
  let m = 0o777 & ~fs.opts.fmask;
  if (attr & ATTR_RO) m &= ~0o222;
  return S_IFREG | m;
}

/** The inode number of the entry at device address `pos` (given out on first sight, kept while it lives). */
function inoAt(fs: VfatFs, pos: number): number {
  let n = fs.byPos.get(pos);
  if (n === undefined) { n = fs.nextIno++; fs.byPos.set(pos, n); }
  return n;
}

/** Subdirectories of a directory (for its link count): reads the directory (phase one). */
function subdirs(k: Kernel, fs: VfatFs, first: number): number {
  const sp = dirSpace(fs, first);
  needDir(k, fs, sp);
  return scanDir(k, fs, sp).entries.filter((e) => (e.attr & ATTR_DIR) && e.short[0] !== 0x2e).length;
}

/** The inode of a directory entry (made on first sight; may read the directory it names). */
function iget(k: Kernel, fs: VfatFs, dir: Inode, e: FatEntry): Inode {
  const ino = inoAt(fs, e.pos);
  const have = fs.inodes.get(ino);
  if (have) return have;
  const isd = (e.attr & ATTR_DIR) !== 0;
  if (isd && !validCluster(fs, e.first)) corrupt(`directory '${e.name}' has first cluster ${e.first}`);
  const x: VfatInode = { pos: e.pos, first: e.first, attr: e.attr, chain: null, parent: dir.ino, pc: isd ? null : createPageCache() };
  const inode: Inode = {
    ino, sb: fs.vfsSb, mode: modeOf(fs, e.attr), uid: fs.opts.uid, gid: fs.opts.gid, nlink: 1, size: isd ? 0 : e.size,
    atime: { sec: e.atime, nsec: 0 }, mtime: { sec: e.mtime, nsec: 0 }, ctime: { sec: e.mtime, nsec: 0 }, rdev: 0,
    iops: isd ? VFAT_DIR_IOPS : VFAT_REG_IOPS, fops: isd ? "none" : VFAT_REG_FOPS, info: x, refs: 0,
  };
  if (isd) {
    inode.size = chainOfInode(fs, inode).length * fs.g.clusterSize;
    inode.nlink = 2 + subdirs(k, fs, e.first);
  } else chainOfInode(fs, inode); // a size past the chain is found now, not at the first read
  fs.inodes.set(ino, inode);
  return inode;
}

function spaceOf(fs: VfatFs, dir: Inode): DirSpace {
  return dirSpace(fs, vi(dir).first);
}

/** Read a directory whole (phase one) and list its entries. */
function readDir(k: Kernel, fs: VfatFs, dir: Inode): { sp: DirSpace; entries: FatEntry[]; end: number } {
  const sp = spaceOf(fs, dir);
  needDir(k, fs, sp);
  const r = scanDir(k, fs, sp);
  return { sp, ...r };
}

function now(k: Kernel): number {
  return currentTime(k).sec;
}

/** Times as FAT keeps them (mtime and ctime: 2 s; atime: the day). */
function setFatTimes(ino: Inode, m: number, a: number): void {
  ino.mtime = { sec: fatMtime(m), nsec: 0 };
  ino.ctime = { ...ino.mtime };
  ino.atime = { sec: fatAtime(a), nsec: 0 };
}

interface SlotPlan { at: number; grow: number; clusters: number[] }

/** Phase one of adding `nslots` slots to a directory, with `extra` more clusters for the caller (mkdir's own). */
function planEntry(k: Kernel, fs: VfatFs, sp: DirSpace, end: number, nslots: number, extra: number): SlotPlan | number {
  const p = planSlots(fs, sp, end, k, nslots);
  if (typeof p === "number") return p;
  const growClusters = Math.ceil((p.grow * 32) / fs.g.clusterSize);
  const clusters = planAlloc(fs, growClusters + extra);
  if (clusters === null) return -ENOSPC;
  const missing: number[] = [];
  for (const c of clusters) needRange(k, fs, clusterAddr(fs, c), fs.g.clusterSize, true, missing);
  readBlocks(k, fs, [...new Set(missing)]);
  needMeta(k, fs);
  return { at: p.at, grow: growClusters, clusters };
}

/** Phase two: grow the directory by the planned clusters (zeroed), and write the slots. */
function applyEntry(k: Kernel, fs: VfatFs, dir: Inode, sp: DirSpace, p: SlotPlan, slots: Uint8Array): void {
  if (p.grow > 0) {
    const fresh = p.clusters.slice(0, p.grow);
    commitAlloc(fs, fresh, sp.chain[sp.chain.length - 1]);
    for (const c of fresh) { zeroRange(k, fs, clusterAddr(fs, c), fs.g.clusterSize); sp.chain.push(c); sp.addrs.push(clusterAddr(fs, c)); }
    vi(dir).chain = sp.chain.slice();
    dir.size = sp.chain.length * fs.g.clusterSize;
  }
  writeSlots(k, fs, sp, p.at, slots);
}

function takenShorts(entries: FatEntry[]): Set<string> {
  return new Set(entries.map((e) => String.fromCharCode(...e.short)));
}

/** create and mkdir. */
function makeNode(k: Kernel, dir: Inode, name: string, mode: number, t: Task, mkdir: boolean): Inode | number {
  const fs = fsOf(dir.sb);
  return guard(k, fs, mkdir ? "mkdir" : "create", () => {
    const ro = writable(fs);
    if (ro) return ro;
    const nm = checkName(name);
    if (typeof nm === "number") return nm;
    // Phase one.
    const { sp, entries, end } = readDir(k, fs, dir);
    if (findName(entries, nm)) return -EEXIST;
    const s = shortFor(nm, takenShorts(entries));
    const attr = mkdir ? ATTR_DIR : ATTR_ARCH | ((mode & 0o222) === 0 ? ATTR_RO : 0);
    const tnow = now(k);
    const slots = buildSlots(nm, s.short, s.ntres, s.lfn, attr, 0, 0, tnow);
    const plan = planEntry(k, fs, sp, end, slots.length / 32, mkdir ? 1 : 0);
    if (typeof plan === "number") return plan;
    needEntry(k, fs, dir);
    // Phase two.
    beginUpdate(fs);
    let first = 0;
    if (mkdir) {
      const own = plan.clusters[plan.clusters.length - 1];
      commitAlloc(fs, [own], 0);
      const a = clusterAddr(fs, own);
      zeroRange(k, fs, a, fs.g.clusterSize);
      const pf = vi(dir).pos === -1 ? 0 : vi(dir).first; // ".." of a directory in the root is 0
      writeRange(k, fs, a, dotSlots(own, pf, tnow));
      first = own;
      const o = slots.length - 32;
      slots[o + 20] = (first >>> 16) & 0xff; slots[o + 21] = (first >>> 24) & 0xff;
      slots[o + 26] = first & 0xff; slots[o + 27] = (first >>> 8) & 0xff;
    }
    applyEntry(k, fs, dir, sp, plan, slots);
    const pos = slotAddr(sp, plan.at + slots.length / 32 - 1);
    fs.byPos.delete(pos);
    const ino = inoAt(fs, pos);
    const x: VfatInode = { pos, first, attr, chain: mkdir ? [first] : [], parent: dir.ino, pc: mkdir ? null : createPageCache() };
    const inode: Inode = {
      ino, sb: dir.sb, mode: modeOf(fs, attr), uid: fs.opts.uid, gid: fs.opts.gid, nlink: mkdir ? 2 : 1,
      size: mkdir ? fs.g.clusterSize : 0, atime: { sec: 0, nsec: 0 }, mtime: { sec: 0, nsec: 0 }, ctime: { sec: 0, nsec: 0 }, rdev: 0,
      iops: mkdir ? VFAT_DIR_IOPS : VFAT_REG_IOPS, fops: mkdir ? "none" : VFAT_REG_FOPS, info: x, refs: 0,
    };
    setFatTimes(inode, tnow, tnow);
    fs.inodes.set(ino, inode);
    if (mkdir) dir.nlink++;
    setFatTimes(dir, tnow, dir.atime.sec);
    writeEntry(k, fs, dir);
    flushFat(k, fs);
    return inode;
  });
}

/** Free an inode's clusters and forget it (its entry is gone already). */
function destroy(k: Kernel, fs: VfatFs, ino: Inode): void {
  shrinkTo(fs, ino, 0);
  const x = vi(ino);
  if (x.pc) pcFree(k, x.pc);
  fs.inodes.delete(ino.ino);
}

/** The entry's inode, if it is in memory (no directory read). */
function cachedInode(fs: VfatFs, e: FatEntry): Inode | undefined {
  const n = fs.byPos.get(e.pos);
  return n === undefined ? undefined : fs.inodes.get(n);
}

function unlinkOrRmdir(k: Kernel, dir: Inode, name: string, rmdir: boolean): number {
  const fs = fsOf(dir.sb);
  return guard(k, fs, rmdir ? "rmdir" : "unlink", () => {
    const ro = writable(fs);
    if (ro) return ro;
    const { sp, entries } = readDir(k, fs, dir);
    const e = findName(entries, name);
    if (!e) return -ENOENT;
    const target = iget(k, fs, dir, e);
    if (rmdir && !isDir(target)) return -ENOTDIR;
    if (!rmdir && isDir(target)) return -EISDIR;
    if (rmdir && !isEmptyDir(readDir(k, fs, target).entries)) return -ENOTEMPTY;
    chainOfInode(fs, target);
    needEntry(k, fs, dir);
    needMeta(k, fs);
    beginUpdate(fs);
    removeSlots(k, fs, sp, e);
    fs.byPos.delete(e.pos);
    vi(target).pos = -2;
    target.nlink = 0;
    if (rmdir) dir.nlink--;
    if (target.refs === 0 || rmdir) destroy(k, fs, target);
    const t = now(k);
    setFatTimes(dir, t, dir.atime.sec);
    writeEntry(k, fs, dir);
    flushFat(k, fs);
    return 0;
  });
}

/** The last user of an unlinked file went away: free its clusters (the FAT is in memory; its edges are pinned). */
function vfatEvict(k: Kernel, ino: Inode): void {
  const fs = fsOf(ino.sb);
  if (fs.inodes.get(ino.ino) !== ino) return;
  guard(k, fs, "evict", () => {
    chainOfInode(fs, ino);
    beginUpdate(fs);
    destroy(k, fs, ino);
    flushFat(k, fs);
    return 0;
  });
}

function rename(k: Kernel, oldDir: Inode, oldName: string, newDir: Inode, newName: string, flags: number): number {
  const fs = fsOf(oldDir.sb);
  return guard(k, fs, "rename", () => {
    if (flags & ~RENAME_NOREPLACE) return -EINVAL;
    const ro = writable(fs);
    if (ro) return ro;
    const nm = checkName(newName);
    if (typeof nm === "number") return nm;
    const od = readDir(k, fs, oldDir);
    const se = findName(od.entries, oldName);
    if (!se) return -ENOENT;
    const src = iget(k, fs, oldDir, se);
    const nd = newDir === oldDir ? od : readDir(k, fs, newDir);
    let de = findName(nd.entries, nm);
    if (de && de.pos === se.pos) {
      if (se.name === nm) return 0; // the same name: nothing to do
      de = null; // a change of case only: the entry is written again under the new name
    }
    let dst: Inode | null = null;
    if (de) {
      if (flags & RENAME_NOREPLACE) return -EEXIST;
      dst = iget(k, fs, newDir, de);
      if (isDir(dst)) {
        if (!isDir(src)) return -EISDIR;
        if (!isEmptyDir(readDir(k, fs, dst).entries)) return -ENOTEMPTY;
      } else if (isDir(src)) return -ENOTDIR;
      chainOfInode(fs, dst);
    }
    const moveDir = isDir(src) && oldDir !== newDir;
    // The new entry: the old short entry's bytes under the new name.
    const raw = new Uint8Array(32);
    readRange(k, fs, se.pos, raw);
    const taken = takenShorts(nd.entries.filter((e) => e.pos !== se.pos));
    const s = shortFor(nm, taken);
    const slots = buildSlots(nm, s.short, s.ntres, s.lfn, raw[11], 0, 0, 0);
    const o = slots.length - 32;
    slots.set(raw.subarray(11, 32), o + 11);
    slots[o + 12] = s.ntres;
    const plan = planEntry(k, fs, nd.sp, nd.end, slots.length / 32, 0);
    if (typeof plan === "number") return plan;
    let dotdotAddr = -1;
    if (moveDir) {
      dotdotAddr = clusterAddr(fs, vi(src).first) + 32;
      needRange(k, fs, dotdotAddr, 32, false);
    }
    needEntry(k, fs, oldDir);
    needEntry(k, fs, newDir);
    // Phase two.
    beginUpdate(fs);
    if (de && dst) {
      removeSlots(k, fs, nd.sp, de);
      fs.byPos.delete(de.pos);
      vi(dst).pos = -2;
      if (isDir(dst)) { dst.nlink = 0; newDir.nlink--; } else dst.nlink = 0;
      if (dst.refs === 0 || isDir(dst)) destroy(k, fs, dst);
    }
    // Removing first lets the old slots be found free again when both are in one directory (all blocks are present).
    removeSlots(k, fs, od.sp, se);
    applyEntry(k, fs, newDir, nd.sp, plan, slots);
    const pos = slotAddr(nd.sp, plan.at + slots.length / 32 - 1);
    fs.byPos.delete(se.pos);
    fs.byPos.delete(pos);
    fs.byPos.set(pos, src.ino);
    vi(src).pos = pos;
    vi(src).parent = newDir.ino;
    if (moveDir) {
      const b = new Uint8Array(32);
      readRange(k, fs, dotdotAddr, b);
      const pf = vi(newDir).pos === -1 ? 0 : vi(newDir).first;
      b[20] = (pf >>> 16) & 0xff; b[21] = (pf >>> 24) & 0xff; b[26] = pf & 0xff; b[27] = (pf >>> 8) & 0xff;
      writeRange(k, fs, dotdotAddr, b);
      oldDir.nlink--;
      newDir.nlink++;
    }
    const t = now(k);
    src.ctime = { ...src.mtime };
    setFatTimes(oldDir, t, oldDir.atime.sec);
    setFatTimes(newDir, t, newDir.atime.sec);
    writeEntry(k, fs, oldDir);
    writeEntry(k, fs, newDir);
    flushFat(k, fs);
    return 0;
  });
}

/** chmod, chown, utimensat as Linux's fat_setattr: the owner is the mount's; of the permission bits only w may come and go. */
function vfatSetattr(k: Kernel, ino: Inode, attr: SetAttr): number {
  const fs = fsOf(ino.sb);
  return guard(k, fs, "setattr", () => {
    if (attr.uid !== undefined && attr.uid !== fs.opts.uid) return -EPERM;
    if (attr.gid !== undefined && attr.gid !== fs.opts.gid) return -EPERM;
    const x = vi(ino);
    let newAttr = x.attr;
    if (attr.mode !== undefined) {
      const mask = isDir(ino) ? fs.opts.dmask : fs.opts.fmask;
      const perm = attr.mode & 0o777 & ~mask;
      if ((perm & 0o555) !== (ino.mode & 0o555)) return -EPERM;
      if (isDir(ino)) { if ((perm & 0o222) !== (0o222 & ~mask)) return -EPERM; }
      else if ((perm & 0o222) && (perm & 0o222) !== (0o222 & ~mask)) return -EPERM;
      if (!isDir(ino)) newAttr = perm & 0o222 ? newAttr & ~ATTR_RO : newAttr | ATTR_RO;
    }
    if (fs.readOnly) return -EROFS;
    needEntry(k, fs, ino);
    beginUpdate(fs);
    // The times as FAT keeps them; the VFS puts `attr` into the inode after this, so they are rounded in it too.
    if (attr.mtime) attr.mtime = { sec: fatMtime(attr.mtime.sec), nsec: 0 };
    if (attr.atime) attr.atime = { sec: fatAtime(attr.atime.sec), nsec: 0 };
    applyAttr(k, ino, { atime: attr.atime, mtime: attr.mtime });
    x.attr = newAttr;
    ino.mode = modeOf(fs, newAttr);
    writeEntry(k, fs, ino);
    return 0;
  });
}

const dirIops: InodeOps = {
  lookup(k, dir, name) {
    const fs = fsOf(dir.sb);
    return guard(k, fs, "lookup", () => {
      const { entries } = readDir(k, fs, dir);
      const e = findName(entries, name.replace(/\.+$/, ""));
      return e ? iget(k, fs, dir, e) : -ENOENT;
    });
  },
  create: (k, dir, name, mode, t) => makeNode(k, dir, name, mode, t, false),
  mkdir: (k, dir, name, mode, t) => makeNode(k, dir, name, mode, t, true),
  unlink: (k, dir, name) => unlinkOrRmdir(k, dir, name, false),
  rmdir: (k, dir, name) => unlinkOrRmdir(k, dir, name, true),
  rename,
  readdir(k, dir) {
    const fs = fsOf(dir.sb);
    return guard(k, fs, "readdir", () => {
      const { entries } = readDir(k, fs, dir);
      const out: DirEntry[] = [];
      const x = vi(dir);
      if (x.pos === -1) out.push({ name: ".", ino: dir.ino, type: 4, off: 1 }, { name: "..", ino: dir.ino, type: 4, off: 2 });
      for (const e of entries) {
        const dot = e.short[0] === 0x2e;
        const ino = dot ? (e.short[1] === 0x2e ? x.parent : dir.ino) : inoAt(fs, e.pos);
        out.push({ name: dot ? (e.short[1] === 0x2e ? ".." : ".") : e.name, ino, type: e.attr & ATTR_DIR ? 4 : 8, off: (e.slot + 1) * 32 });
      }
      return out;
    });
  },
  setattr: vfatSetattr,
};

// --- regular files ---

function filler(k: Kernel, fs: VfatFs, ino: Inode): PageFill {
  return (index, dst) => fillPage(k, fs, ino, index, dst);
}

function regRead(k: Kernel, _t: Task, f: File, buf: Uint8Array, pos: number): number {
  const ino = f.inode;
  const fs = fsOf(ino.sb);
  return guard(k, fs, "read", () => {
    if (pos >= ino.size || buf.length === 0) return 0;
    const n = Math.min(buf.length, ino.size - pos, IO_CAP);
    needPages(k, fs, ino, Math.floor(pos / PAGE_SIZE), Math.floor((pos + n - 1) / PAGE_SIZE));
    return pcRead(k, vi(ino).pc!, ino.size, buf.subarray(0, n), pos, filler(k, fs, ino));
  });
}

function regWrite(k: Kernel, _t: Task, f: File, buf: Uint8Array, pos: number): number {
  const ino = f.inode;
  const fs = fsOf(ino.sb);
  return guard(k, fs, "write", () => {
    if (buf.length === 0) return 0;
    const ro = writable(fs);
    if (ro) return ro;
    if (pos >= FAT_MAX_BYTES) return -EFBIG;
    let n = Math.min(buf.length, IO_CAP, FAT_MAX_BYTES - pos);
    // Phase one: clusters for the new end (fewer bytes if the disk is nearly full), the blocks written in part.
    const chain = chainOfInode(fs, ino);
    const room = (chain.length + fs.freeCount) * fs.g.clusterSize;
    if (pos + n > room) n = room - pos;
    if (n <= 0) return -ENOSPC;
    const end = Math.max(ino.size, pos + n);
    const plan = planGrow(k, fs, ino, end, pos);
    if (typeof plan === "number") return plan;
    needEntry(k, fs, ino);
    needMeta(k, fs);
    // Phase two.
    beginUpdate(fs);
    applyGrow(k, fs, ino, plan);
    const data = buf.subarray(0, n);
    writeData(k, fs, ino, data, pos);
    pcUpdateCached(k, vi(ino).pc!, data, pos);
    if (pos + n > ino.size) ino.size = pos + n;
    vi(ino).attr |= ATTR_ARCH;
    const t = now(k);
    setFatTimes(ino, t, ino.atime.sec);
    writeEntry(k, fs, ino);
    flushFat(k, fs);
    return n;
  });
}

function regTruncate(k: Kernel, ino: Inode, size: number): number {
  const fs = fsOf(ino.sb);
  return guard(k, fs, "truncate", () => {
    const ro = writable(fs);
    if (ro) return ro;
    if (size > FAT_MAX_BYTES) return -EFBIG;
    chainOfInode(fs, ino);
    let plan = null;
    if (size > ino.size) {
      const p = planGrow(k, fs, ino, size, size);
      if (typeof p === "number") return p;
      plan = p;
    }
    needEntry(k, fs, ino);
    needMeta(k, fs);
    beginUpdate(fs);
    const x = vi(ino);
    if (plan) applyGrow(k, fs, ino, plan);
    else if (size < ino.size) {
      if (x.pc) pcTruncate(k, x.pc, ino.size, size);
      shrinkTo(fs, ino, size);
    }
    ino.size = size;
    setFatTimes(ino, now(k), ino.atime.sec);
    writeEntry(k, fs, ino);
    flushFat(k, fs);
    return 0;
  });
}

/** Write pages changed through shared mappings back into their clusters (the file's bytes only, not the slack). */
function regWriteback(k: Kernel, ino: Inode): number {
  const fs = fsOf(ino.sb);
  const pc = vi(ino).pc;
  if (!pc || pc.count === 0 || fs.readOnly || fs.inodes.get(ino.ino) !== ino) return 0;
  return guard(k, fs, "writeback", () => {
    const pages = pcCachedPages(k, pc).filter((p) => (k.pm.flags[frameIndex(pc.pages.get(p.index)!)] & FF_DIRTY) !== 0);
    if (pages.length === 0) return 0;
    const chain = chainOfInode(fs, ino);
    const missing: number[] = [];
    const spans: [number, Uint8Array][] = [];
    for (const p of pages) {
      const from = p.index * PAGE_SIZE, to = Math.min(ino.size, from + PAGE_SIZE);
      if (to <= from) continue;
      for (const [a, off, n] of pieces(fs, chain, from, to - from)) {
        needRange(k, fs, a, n, true, missing);
        spans.push([a, p.bytes.subarray(off - from, off - from + n)]);
      }
    }
    readBlocks(k, fs, [...new Set(missing)]);
    beginUpdate(fs);
    for (const [a, bytes] of spans) writeRange(k, fs, a, bytes);
    return 0;
  });
}

const regIops: InodeOps = {
  truncate: regTruncate,
  setattr: vfatSetattr,
  evict: vfatEvict,
  writeback: regWriteback,
  idle(k, ino) { regWriteback(k, ino); },
  getPage(k, ino, index) {
    const fs = fsOf(ino.sb);
    return guard(k, fs, "page fault", () => {
      needPages(k, fs, ino, index, index);
      return pcGetPage(k, vi(ino).pc!, index, filler(k, fs, ino));
    });
  },
  prepareExec(k, ino) {
    const fs = fsOf(ino.sb);
    if (ino.size > EXEC_PREFETCH_MAX) return 0;
    return guard(k, fs, "exec", () => {
      const last = Math.ceil(ino.size / PAGE_SIZE) - 1;
      if (last < 0) return 0;
      needPages(k, fs, ino, 0, last);
      const fill = filler(k, fs, ino);
      for (let p = 0; p <= last; p++) if (pcFrame(k, vi(ino).pc!, p, fill) === 0) return -ENOSPC;
      return 0;
    });
  },
};

const regFops: FileOps = {
  read: regRead,
  write: regWrite,
  fsync(k, f) {
    const fs = fsOf(f.inode.sb);
    const r = regWriteback(k, f.inode);
    if (r < 0) return r;
    return syncDev(k, callerTask(k), fs.dev);
  },
};

defineInodeOps(VFAT_DIR_IOPS, dirIops);
defineInodeOps(VFAT_REG_IOPS, regIops);
defineFileOps(VFAT_REG_FOPS, regFops);
const VFAT_SOPS = defineSuperOps("vfat", {
  statfs: (_k, sb) => {
    const fs = fsOf(sb);
    return { bsize: fs.g.clusterSize, blocks: fs.g.clusterCount, bfree: fs.freeCount, bavail: fs.freeCount, files: 0, ffree: 0, namelen: 1530 };
  },
  showOptions: (sb) => fsOf(sb).opts.shown,
});

// --- mount, sync, unmount ---

function sourceDevice(k: Kernel, source: string): number {
  const name = source.startsWith("/dev/") ? source.slice(5) : source;
  const d = blockDevices(k).find((x) => x.name === name);
  if (!d) return source.startsWith("/dev/") || !source.includes("/") ? -ENOENT : -ENOTBLK;
  return d.dev;
}

/** uid=, gid=, umask=, fmask=, dmask= (octal masks); the names Linux's fat also takes without effect here are accepted. */
function parseOptions(data: string, t: Task | null): FatOptions | string {
  const c = t?.tg.creds;
  const um = t?.fs?.umask ?? 0o022;
  const o = { uid: c?.fsuid ?? 0, gid: c?.fsgid ?? 0, fmask: um, dmask: um };
  const ignored = new Set(["utf8", "iocharset", "codepage", "shortname", "quiet", "errors", "tz", "time_offset", "flush", "showexec", "check", "rw", "ro", "defaults"]);
  for (const item of data.split(",").filter((s) => s !== "")) {
    const [key, val] = item.split("=", 2) as [string, string | undefined];
    const num = (base: number, max: number): number | null => {
      if (val === undefined || !(base === 8 ? /^[0-7]+$/ : /^\d+$/).test(val)) return null;
      const v = parseInt(val, base);
      return v <= max ? v : null;
    };
    switch (key) {
      case "uid": case "gid": { const v = num(10, 0xfffffffe); if (v === null) return item; o[key] = v; break; }
      case "umask": { const v = num(8, 0o777); if (v === null) return item; o.fmask = o.dmask = v; break; }
      case "fmask": case "dmask": { const v = num(8, 0o777); if (v === null) return item; o[key] = v; break; }
      default: if (!ignored.has(key)) return item;
    }
  }
  const oct = (v: number): string => v.toString(8).padStart(4, "0");
  return { ...o, shown: `uid=${o.uid},gid=${o.gid},fmask=${oct(o.fmask)},dmask=${oct(o.dmask)}` };
}

/** Mount the FAT file system on the block device a source names. */
export function vfatMount(k: Kernel, source: string, flags: number, data: string, asType: string): { sb: SuperBlock; root: Inode } | number {
  const dev = sourceDevice(k, source);
  if (dev < 0) return dev;
  for (const m of k.vfs.mounts) {
    if (m.sb.fsType === "vfat" && m.sb.dev === dev) {
      const root = fsOf(m.sb).inodes.get(ROOT_INO);
      return root ? { sb: m.sb, root } : -EBUSY;
    }
  }
  const bdev = lookupBlockDevice(k, dev)!;
  const t = callerTask(k);
  const log = (msg: string): void => logInfo(k, `FAT-fs (${bdev.name}): ${msg}`);
  const opts = parseOptions(data, t);
  if (typeof opts === "string") { log(`Unrecognized mount option "${opts}" or missing value`); return -EINVAL; }
  const devBytes = bdev.sectors * SECTOR_SIZE;
  if (devBytes < 1024) { log("device too small for a FAT file system"); return -EINVAL; }
  const b0 = bread(k, t, dev, 0, 1024);
  if (typeof b0 === "number") return b0 === -ERESTARTSYS ? b0 : -EIO;
  const g = parseBpb(b0.data.subarray(0, 512), devBytes);
  if (typeof g === "string") { log(`bogus boot sector: ${g}; not mounted (run fsck.fat)`); return -EINVAL; }
  let bs = 1024;
  for (const s of [4096, 2048]) if (g.dataStart % s === 0 && g.clusterSize % s === 0 && devBytes % s === 0 && g.fatStart % s === 0) { bs = s; break; }
  const readOnly = (flags & MS_RDONLY) !== 0 || bdev.readOnly || g.noMirror;
  if (g.noMirror && !(flags & MS_RDONLY)) log("FAT mirroring is off (one active FAT): mounted read-only");
  const vfsSb: SuperBlock = { dev, fsType: asType, readOnly, info: null, magic: MSDOS_SUPER_MAGIC, sops: VFAT_SOPS };
  const fs: VfatFs = {
    dev, bs, devBytes, g, fat: new Uint8Array(0), dirtyFat: new Set(), freeCount: 0, nextFree: 2, fsInfoOk: false, fsInfoDirty: false,
    metaEdges: [], opts, readOnly, updating: false, inodes: new Map(), byPos: new Map(), nextIno: 2, source: bdev.name, vfsSb,
  };
  vfsSb.info = fs;
  const r = guard(k, fs, "mount", () => {
    // The whole FAT, FSInfo, and the blocks a FAT flush writes only in part (kept pinned while mounted).
    const edges = new Set<number>();
    for (let i = 0; i <= g.nfats; i++) { const x = g.fatStart + i * g.fatBytes; if (x % bs !== 0) edges.add(Math.floor(x / bs)); }
    if (g.fsInfo >= 0) edges.add(Math.floor(g.fsInfo / bs));
    fs.metaEdges = [...edges];
    const missing: number[] = [];
    needRange(k, fs, g.fatStart, g.fatBytes, false, missing);
    for (const nr of fs.metaEdges) needRange(k, fs, nr * bs, bs, false, missing);
    readBlocks(k, fs, [...new Set(missing)]);
    fs.fat = new Uint8Array(g.fatBytes);
    readRange(k, fs, g.fatStart, fs.fat);
    fs.freeCount = countFree(fs);
    if (g.fsInfo >= 0) {
      const s = new Uint8Array(512);
      readRange(k, fs, g.fsInfo, s);
      fs.fsInfoOk = fsInfoValid(s);
      const hint = u32(s, 492);
      if (fs.fsInfoOk && validCluster(fs, hint)) fs.nextFree = hint;
      // A wrong free count is put right at the first change (fsck.fat compares it with the FAT).
      if (fs.fsInfoOk && u32(s, 488) !== fs.freeCount) fs.fsInfoDirty = true;
    }
    const x: VfatInode = { pos: -1, first: g.type === 32 ? g.rootCluster : 0, attr: ATTR_DIR, chain: null, parent: ROOT_INO, pc: null };
    const root: Inode = {
      ino: ROOT_INO, sb: vfsSb, mode: modeOf(fs, ATTR_DIR), uid: opts.uid, gid: opts.gid, nlink: 2, size: 0,
      atime: { sec: 0, nsec: 0 }, mtime: { sec: 0, nsec: 0 }, ctime: { sec: 0, nsec: 0 }, rdev: 0,
      iops: VFAT_DIR_IOPS, fops: "none", info: x, refs: 0,
    };
    root.size = x.first === 0 ? g.rootBytes : chainOfInode(fs, root).length * g.clusterSize;
    root.nlink = 2 + subdirs(k, fs, x.first);
    return root;
  });
  if (typeof r === "number") {
    if (r !== -ERESTARTSYS) log("error: cannot read the FAT or the root directory; not mounted");
    return r;
  }
  for (const nr of fs.metaEdges) { const bh = findBuffer(k, dev, nr, bs); if (bh) getBh(bh); }
  fs.inodes.set(ROOT_INO, r);
  r.refs++;
  return { sb: vfsSb, root: r };
}

function vfatSync(k: Kernel, sb: SuperBlock): number {
  const fs = fsOf(sb);
  if (fs.readOnly) return 0;
  for (const ino of [...fs.inodes.values()]) if (isReg(ino)) regWriteback(k, ino);
  const r = guard(k, fs, "sync", () => { flushFat(k, fs); return 0; });
  if (r < 0 && r !== -ERESTARTSYS) return r;
  const w = syncDev(k, null, fs.dev);
  return w === -EAGAIN ? 0 : w;
}

for (const name of ["vfat"]) {
  defineFsType({
    name,
    mount: (k, source, flags, data) => vfatMount(k, source, flags, data, name),
    sync: (k, sb) => vfatSync(k, sb),
    unmount(k, sb) {
      const fs = fsOf(sb);
      vfatSync(k, sb);
      for (const nr of fs.metaEdges) { const bh = findBuffer(k, fs.dev, nr, fs.bs); if (bh) brelse(bh); }
    },
    remount(k, sb, flags) {
      const fs = fsOf(sb);
      const ro = (flags & MS_RDONLY) !== 0;
      if (ro === fs.readOnly) return 0;
      if (ro) { vfatSync(k, sb); fs.readOnly = true; return 0; }
      if (fs.g.noMirror) return -EINVAL;
      fs.readOnly = false;
      return 0;
    },
  });
}

/** Offer vfat to mount(2) (no "msdos": that name promises 8.3 names only, and this driver writes long names). */
export function registerVfat(k: Kernel): void {
  registerFsType(k, "vfat");
}
