// ext2 in the VFS: mount (reading and checking the superblock, the group
// descriptors and the bitmaps of a block device), the inode and file
// operations, sync and unmount (which marks the superblock clean again).
//
// Every operation has two phases. Phase one reads everything the operation
// will touch - directory blocks, inode-table blocks, indirect blocks, the
// data blocks a partial write keeps - and checks it; a block not in the
// buffer cache puts the task to sleep and the operation gives up with
// -ERESTARTSYS (bio.ts), having changed nothing, so the syscall simply runs
// again once the disk has answered. Phase two changes the blocks, which are
// all in the cache by then (the buffer cache keeps the blocks a syscall used
// until it ends), and cannot wait. A corrupt image found by either phase
// gives EIO and a kernel log line; no exception leaves this module.
//
// Regular file data: write() goes through to the data blocks' buffers (and to
// the page-cache pages already there); read() and mmap take pages from the
// page cache, which fill copies from the data blocks. Pages changed through
// shared mappings are written back to their blocks at msync, fsync, sync,
// when the last user goes away and at unmount.
//
// Concepts: C62 (mounting reads the superblock and group metadata; unmount
// writes it clean), C63, C64 (directories, hard links, fast and slow
// symlinks), C65 (block maps), C66 (an unlinked file lives until its last
// close), C68 (ext2 behind the VFS's operation tables), C74 (page cache over
// the buffer cache).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import type { Inode, InodeOps, FileOps, SuperBlock, DirEntry, File, SetAttr } from "../vfs.js";
import { defineFsType, registerFsType } from "../fstypes.js";
import { applyAttr } from "../file.js";
import { currentTime, touch, initOwner, isDir, isReg, isLnk } from "../inode.js";
import { createPageCache, pcRead, pcGetPage, pcFrame, pcTruncate, pcFree, pcUpdateCached, pcCachedPages, type PageFill } from "../pagecache.js";
import { PAGE_SIZE, FF_DIRTY, frameIndex } from "../../mm/phys.js";
import { SHMEM_RETRY } from "../../mm/shmem_swap.js";
import { mmsById, frameMkclean, frameRedirty } from "../../mm/reclaim.js";
import { defineFileOps, defineInodeOps, defineSuperOps } from "../../lib/fsops.js";
import { blockDevices, lookupBlockDevice, SECTOR_SIZE } from "../../block/blkdev.js";
import { bread, breadBatch, syncDev, invalidateDev } from "../../block/buffer.js";
import {
  S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFBLK, S_ISUID, S_ISGID, S_IALLUGO, O_NOATIME, RENAME_NOREPLACE, MS_RDONLY,
} from "../../abi/fs.js";
import {
  EEXIST, ENOENT, ENOTEMPTY, ENOSPC, EINVAL, EFBIG, EISDIR, ENOTDIR, EIO, ENAMETOOLONG, EMLINK, ENOTBLK, EBUSY, ERESTARTSYS, EAGAIN, EROFS,
} from "../../abi/errno.js";
import { logInfo } from "../../log.js";
import {
  Ext2Corrupt, parseSuper, checkSuper, parseGroupDesc, fileTypeOf, DT_OF_FT, corrupt, getU32,
  GD_SIZE, EXT2_ROOT_INO, EXT2_VALID_FS, EXT2_ERROR_FS, INCOMPAT_FILETYPE, INCOMPAT_RECOVER,
  RO_COMPAT_SPARSE_SUPER, RO_COMPAT_SUPPORTED, COMPAT_HAS_JOURNAL, type DiskInode,
} from "./layout.js";
import { type Ext2Fs, fsOf, flushMeta, writeSuper, ext2Statfs } from "./super.js";
import { defaultOpts, parseExt2Opts, showExt2Opts } from "./options.js";
import { ext3Prepare, ext3Attach, ext3Fsync, ext3Sync, ext3Unmount, ext3WaitUnmounted } from "./journal.js";
import { Ext2Err, blk, cached, callerTask, dirtyBlock, dirtyDataBlock, newBlock, newDataBlock, startDataWrite } from "./bio.js";
import { allocBlock, blocksAvailable, pickInodeGroup, peekFreeInode, takeInode, freeInode } from "./balloc.js";
import {
  type Ext2Inode, ei, iget, writeInode, needInode, inodeLocation, bmap, bmapAlloc, blocksToMap, planFree, freeFrom, maxFileBytes,
  EXT2_DIR_IOPS, EXT2_REG_IOPS, EXT2_LNK_IOPS, EXT2_OTHER_IOPS, EXT2_REG_FOPS,
} from "./inode.js";
import { enc, dec, findEntry, planAdd, applyAdd, removeAt, retarget, dirEntries, dirEmpty, initDirBlock } from "./dir.js";
import { ext2XattrOps, prepareXattr, releaseXattrBlock } from "./xattr.js";

/** Most bytes one read() or write() call moves (a longer one is short, as the caller's loop expects of any file). */
const IO_CAP = 1 << 20;
/** Largest file prepareExec reads in whole before a program is mapped from it. */
const EXEC_PREFETCH_MAX = 64 << 20;
const EXT2_SUPER_MAGIC = 0xef53;

// --- running operations ---

/** Run one operation: Ext2Err gives its errno; corruption gives EIO and a log line; nothing else escapes. */
function guard<T>(k: Kernel, fs: Ext2Fs, what: string, f: () => T | number): T | number {
  try {
    return f();
  } catch (e) {
    if (e instanceof Ext2Err) return e.errno;
    if (e instanceof Ext2Corrupt) {
      logInfo(k, `EXT2-fs (${fs.source}): error: ${what}: ${e.what}`);
      onError(k, fs);
      return -EIO;
    }
    const msg = e instanceof Error ? e.message : String(e);
    logInfo(k, `EXT2-fs (${fs.source}): internal error in ${what}: ${msg}`);
    return -EIO;
  } finally {
    fs.updating = false;
  }
}

/**
 * A detected inconsistency: what mount -o errors= asks for (Linux's
 * ext4_handle_error): continue as if nothing happened, go read-only (later
 * writes fail with EROFS; /proc/mounts shows ro), or stop the machine.
 */
function onError(k: Kernel, fs: Ext2Fs): void {
  if (fs.opts.errors === "remount-ro" && !fs.readOnly) {
    logInfo(k, `EXT2-fs (${fs.source}): Remounting filesystem read-only`);
    fs.readOnly = true;
    fs.vfsSb.readOnly = true;
  } else if (fs.opts.errors === "panic") {
    logInfo(k, `Kernel panic - not syncing: EXT2-fs (device ${fs.source}): panic forced after error`);
    k.exitStatus = 1;
    k.halted = true;
  }
}

/** Phase two begins: from here on, nothing may wait for the disk. */
function beginUpdate(fs: Ext2Fs): void {
  fs.updating = true;
}

function privileged(t: Task | null): boolean {
  return t === null || t.tg.creds.fsuid === 0;
}

/** Inodes unlinked while open, whose storage could not be freed at their last close: free them now (may wait; before any change). */
function reapOrphans(k: Kernel, fs: Ext2Fs): void {
  while (fs.orphans.length > 0) {
    const ino = fs.inodes.get(fs.orphans[0]);
    if (!ino || ino.nlink !== 0 || ino.refs > 0) { fs.orphans.shift(); continue; }
    prepareDestroy(k, fs, ino);
    beginUpdate(fs);
    destroy(k, fs, ino);
    fs.orphans.shift();
    flushMeta(k, fs);
    fs.updating = false;
  }
}

/** Whether the inode's blocks hold data (not a fast symlink's target or a device number). */
function hasBlockMap(fs: Ext2Fs, ino: Inode): boolean {
  const t = ino.mode & S_IFMT;
  if (t === S_IFDIR || t === S_IFREG) return true;
  if (t === S_IFLNK) return !isFastSymlink(fs, ei(ino).d);
  return false;
}

function isFastSymlink(fs: Ext2Fs, d: DiskInode): boolean {
  const ea = d.fileAcl ? fs.bs / 512 : 0;
  return d.blocks512 - ea === 0;
}

/**
 * ext3's orphan list, as Linux's ext3/ext4 keep it: an inode whose last link
 * goes while it is still open is put at the head of a list on the disk
 * (s_last_orphan in the superblock, then each inode's i_dtime naming the
 * next), in the same journal transaction as the unlink. Freeing it at the
 * last close takes it off the list. After a power cut the mount frees
 * whatever is still listed (orphanCleanup), so the blocks of files that were
 * open but unlinked are not lost and e2fsck finds nothing. Phase two only
 * (the inode's table block was read with the unlink).
 */
function orphanAdd(fs: Ext2Fs, ino: Inode): void {
  if (!fs.journal || fs.diskOrphans.includes(ino.ino)) return;
  ei(ino).d.dtime = fs.sup.lastOrphan;
  fs.sup.lastOrphan = ino.ino;
  fs.superDirty = true;
  fs.diskOrphans.unshift(ino.ino);
}

/** Phase one of orphanDel: the table block of the inode before it in the list (whose link changes). */
function prepareOrphanDel(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  const i = fs.diskOrphans.indexOf(ino.ino);
  if (i > 0) needInode(k, fs, fs.diskOrphans[i - 1]);
}

/** Take `ino` off the orphan list (phase two): the superblock or the previous inode now names the next one. */
function orphanDel(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  const i = fs.diskOrphans.indexOf(ino.ino);
  if (i < 0) return;
  const next = fs.diskOrphans[i + 1] ?? 0;
  if (i === 0) { fs.sup.lastOrphan = next; fs.superDirty = true; }
  else {
    const prev = fs.inodes.get(fs.diskOrphans[i - 1]);
    if (prev) { ei(prev).d.dtime = next; writeInode(k, fs, prev); }
  }
  fs.diskOrphans.splice(i, 1);
}

/**
 * At a read-write mount of ext3 (after the journal replay): free the inodes
 * still on the orphan list (unlinked while open when the machine stopped),
 * as Linux's ext4_orphan_cleanup. Phase one reads the whole chain (a loop, a
 * free inode or a number out of range ends it: corruption, e2fsck's job);
 * phase two frees each and clears s_last_orphan. Returns how many were freed.
 */
function orphanChain(k: Kernel, fs: Ext2Fs): number[] {
  const chain: number[] = [];
  const seen = new Set<number>(); // a hostile list may be long or loop: each step stays O(1)
  for (let ino = fs.sup.lastOrphan; ino !== 0;) {
    if (ino < fs.sup.firstIno || ino > fs.sup.inodesCount || seen.has(ino)) corrupt(`bad orphan inode ${ino}`);
    const i = iget(k, fs, ino, true);
    if (i.nlink === 0) prepareDestroy(k, fs, i);
    chain.push(ino);
    seen.add(ino);
    ino = ei(i).d.dtime;
  }
  return chain;
}

/** Phase two of the cleanup (the journal attached): free the chain orphanChain read; how many were freed. */
function orphanCleanup(k: Kernel, fs: Ext2Fs, chain: number[]): number {
  beginUpdate(fs);
  fs.diskOrphans = chain.slice();
  let freed = 0;
  for (const ino of chain) {
    const i = fs.inodes.get(ino)!;
    if (i.nlink === 0) { destroy(k, fs, i); freed++; }
    else { orphanDel(k, fs, i); ei(i).d.dtime = 0; writeInode(k, fs, i); } // linked again: only off the list (tsix lists no truncations)
  }
  fs.sup.lastOrphan = 0;
  fs.diskOrphans = [];
  fs.superDirty = true;
  flushMeta(k, fs);
  return freed;
}

/** Phase one of freeing an inode's storage. */
function prepareDestroy(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  needInode(k, fs, ino.ino);
  prepareOrphanDel(k, fs, ino);
  if (hasBlockMap(fs, ino)) planFree(k, fs, ino, 0);
  prepareXattr(k, fs, ino);
}

/** Phase two: free the blocks and the inode (dtime set, as e2fsck expects of a deleted inode). */
function destroy(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  const x = ei(ino);
  orphanDel(k, fs, ino);
  if (hasBlockMap(fs, ino)) freeFrom(k, fs, ino, 0);
  else if ((ino.mode & S_IFMT) === S_IFLNK) x.d.block.fill(0);
  releaseXattrBlock(k, fs, ino);
  x.d.dtime = currentTime(k).sec >>> 0;
  ino.nlink = 0;
  if (isReg(ino)) ino.size = 0;
  writeInode(k, fs, ino);
  freeInode(fs, ino.ino, isDir(ino));
  if (x.pc) pcFree(k, x.pc);
  fs.inodes.delete(ino.ino);
}

/** The name as bytes, or -ENAMETOOLONG. */
function nameBytes(name: string): Uint8Array | number {
  const b = enc.encode(name);
  return b.length > 255 ? -ENAMETOOLONG : b;
}

// --- directories ---

function newDiskInode(fs: Ext2Fs): DiskInode {
  const extra = fs.inodeSize > 128 ? Math.min(fs.sup.wantExtraIsize || 32, fs.inodeSize - 128) : 0;
  return {
    mode: 0, uid: 0, gid: 0, size: 0, atime: 0, ctime: 0, mtime: 0, dtime: 0, atimeNs: 0, ctimeNs: 0, mtimeNs: 0,
    links: 0, blocks512: 0, flags: 0, block: new Array<number>(15).fill(0), generation: 0, fileAcl: 0, extraIsize: extra,
  };
}

/** create, mknod, mkdir, symlink. */
function makeNode(k: Kernel, dir: Inode, name: string, mode: number, t: Task, rdev: number, target: string | null): Inode | number {
  const fs = fsOf(dir.sb);
  return guard(k, fs, "create", () => {
    const nb = nameBytes(name);
    if (typeof nb === "number") return nb;
    const tb = target === null ? null : enc.encode(target);
    if (tb && tb.length >= fs.bs) return -ENAMETOOLONG;
    reapOrphans(k, fs);
    const type = mode & S_IFMT;
    const newDir = type === S_IFDIR;
    if (newDir && dir.nlink >= 32000) return -EMLINK;
    // Phase one.
    if (findEntry(k, fs, dir, nb)) return -EEXIST;
    const plan = planAdd(k, fs, dir, nb.length);
    const g = pickInodeGroup(fs, Math.floor((dir.ino - 1) / fs.sup.inodesPerGroup), newDir);
    const ino = peekFreeInode(fs, g);
    if (ino === 0) return -ENOSPC;
    needInode(k, fs, ino);
    needInode(k, fs, dir.ino);
    const slow = tb !== null && tb.length >= 60;
    const blocks = plan.allocs + (newDir || slow ? 1 : 0);
    if (blocks > blocksAvailable(fs, privileged(t))) return -ENOSPC;
    // Phase two.
    beginUpdate(fs);
    takeInode(fs, ino, newDir);
    const o = initOwner(t, dir, mode);
    const now = currentTime(k);
    const d = newDiskInode(fs);
    d.generation = (fs.sup.raw[0x3f0] + ino * 2654435761) >>> 0;
    const x: Ext2Inode = { d, pc: type === S_IFREG ? createPageCache() : null };
    const inode: Inode = {
      ino, sb: dir.sb, mode: o.mode, uid: o.uid, gid: o.gid, nlink: newDir ? 2 : 1, size: 0,
      atime: { ...now }, mtime: { ...now }, ctime: { ...now },
      rdev: type === S_IFCHR || type === S_IFBLK ? rdev : 0,
      iops: newDir ? EXT2_DIR_IOPS : type === S_IFREG ? EXT2_REG_IOPS : type === S_IFLNK ? EXT2_LNK_IOPS : EXT2_OTHER_IOPS,
      fops: type === S_IFREG ? EXT2_REG_FOPS : "none", info: x, refs: 0,
    };
    // The slot may hold a deleted inode's bytes: start from zeros.
    const loc = inodeLocation(fs, ino);
    blk(k, fs, loc.block).fill(0, loc.off, loc.off + fs.inodeSize);
    const goal = fs.groups[Math.floor((ino - 1) / fs.sup.inodesPerGroup)].inodeTable;
    if (newDir) {
      const nr = allocBlock(fs, goal, true);
      initDirBlock(fs, newBlock(k, fs, nr), ino, dir.ino);
      d.block[0] = nr;
      d.blocks512 = fs.bs / 512;
      inode.size = fs.bs;
      dir.nlink++;
    } else if (tb !== null) {
      inode.size = tb.length;
      if (slow) {
        const nr = allocBlock(fs, goal, true);
        const b = newBlock(k, fs, nr);
        b.set(tb);
        d.block[0] = nr;
        d.blocks512 = fs.bs / 512;
      } else {
        const raw = new Uint8Array(60);
        raw.set(tb);
        for (let i = 0; i < 15; i++) d.block[i] = getU32(raw, i * 4);
      }
    }
    fs.inodes.set(ino, inode);
    writeInode(k, fs, inode);
    if (!applyAdd(k, fs, dir, plan, nb, ino, fileTypeOf(inode.mode))) corrupt("directory block allocation failed after the check");
    touch(k, dir, "mc");
    writeInode(k, fs, dir);
    flushMeta(k, fs);
    return inode;
  });
}

function unlinkOrRmdir(k: Kernel, dir: Inode, name: string, rmdir: boolean): number {
  const fs = fsOf(dir.sb);
  return guard(k, fs, rmdir ? "rmdir" : "unlink", () => {
    const nb = nameBytes(name);
    if (typeof nb === "number") return nb;
    reapOrphans(k, fs);
    const s = findEntry(k, fs, dir, nb);
    if (!s) return -ENOENT;
    const target = iget(k, fs, s.e.ino);
    if (rmdir && !isDir(target)) return -ENOTDIR;
    if (!rmdir && isDir(target)) return -EISDIR;
    if (rmdir && !dirEmpty(k, fs, target)) return -ENOTEMPTY;
    needInode(k, fs, target.ino);
    needInode(k, fs, dir.ino);
    const gone = (rmdir || target.nlink <= 1) && target.refs === 0;
    if (gone) prepareDestroy(k, fs, target);
    beginUpdate(fs);
    removeAt(k, fs, dir, s);
    if (rmdir) { target.nlink = 0; dir.nlink--; } else target.nlink = Math.max(0, target.nlink - 1);
    touch(k, target, "c");
    if (gone) destroy(k, fs, target);
    else {
      if (target.nlink === 0) orphanAdd(fs, target); // still open: on the orphan list until its last close
      writeInode(k, fs, target);
    }
    touch(k, dir, "mc");
    writeInode(k, fs, dir);
    flushMeta(k, fs);
    return 0;
  });
}

const dirIops: InodeOps = {
  lookup(k, dir, name) {
    const fs = fsOf(dir.sb);
    return guard(k, fs, "lookup", () => {
      const nb = nameBytes(name);
      if (typeof nb === "number") return nb;
      const s = findEntry(k, fs, dir, nb);
      return s ? iget(k, fs, s.e.ino) : -ENOENT;
    });
  },
  create: (k, dir, name, mode, t) => makeNode(k, dir, name, S_IFREG | (mode & S_IALLUGO), t, 0, null),
  mknod: (k, dir, name, mode, rdev, t) => makeNode(k, dir, name, mode, t, rdev, null),
  mkdir: (k, dir, name, mode, t) => makeNode(k, dir, name, S_IFDIR | (mode & S_IALLUGO), t, 0, null),
  symlink: (k, dir, name, target, t) => makeNode(k, dir, name, S_IFLNK | 0o777, t, 0, target),
  unlink: (k, dir, name) => unlinkOrRmdir(k, dir, name, false),
  rmdir: (k, dir, name) => unlinkOrRmdir(k, dir, name, true),
  link(k, target, dir, name) {
    const fs = fsOf(dir.sb);
    return guard(k, fs, "link", () => {
      const nb = nameBytes(name);
      if (typeof nb === "number") return nb;
      if (target.nlink >= 65000) return -EMLINK;
      reapOrphans(k, fs);
      if (findEntry(k, fs, dir, nb)) return -EEXIST;
      const plan = planAdd(k, fs, dir, nb.length);
      needInode(k, fs, target.ino);
      needInode(k, fs, dir.ino);
      if (plan.allocs > blocksAvailable(fs, true)) return -ENOSPC;
      beginUpdate(fs);
      if (!applyAdd(k, fs, dir, plan, nb, target.ino, fileTypeOf(target.mode))) corrupt("directory block allocation failed after the check");
      target.nlink++;
      touch(k, target, "c");
      writeInode(k, fs, target);
      touch(k, dir, "mc");
      writeInode(k, fs, dir);
      flushMeta(k, fs);
      return 0;
    });
  },
  rename(k, oldDir, oldName, newDir, newName, flags) {
    const fs = fsOf(oldDir.sb);
    return guard(k, fs, "rename", () => {
      if (flags & ~RENAME_NOREPLACE) return -EINVAL; // as Linux's ext2: no RENAME_EXCHANGE or WHITEOUT
      const ob = nameBytes(oldName), nb = nameBytes(newName);
      if (typeof ob === "number") return ob;
      if (typeof nb === "number") return nb;
      reapOrphans(k, fs);
      const so = findEntry(k, fs, oldDir, ob);
      if (!so) return -ENOENT;
      const src = iget(k, fs, so.e.ino);
      const sn = findEntry(k, fs, newDir, nb);
      const dst = sn ? iget(k, fs, sn.e.ino) : null;
      if (dst) {
        if (flags & RENAME_NOREPLACE) return -EEXIST;
        if (dst === src) return 0;
        if (isDir(dst)) {
          if (!isDir(src)) return -EISDIR;
          if (!dirEmpty(k, fs, dst)) return -ENOTEMPTY;
        } else if (isDir(src)) return -ENOTDIR;
      }
      const moveDir = isDir(src) && oldDir !== newDir;
      if (moveDir && !dst && newDir.nlink >= 32000) return -EMLINK;
      const plan = dst ? null : planAdd(k, fs, newDir, nb.length);
      const dotdot = moveDir ? findEntry(k, fs, src, enc.encode("..")) : null;
      if (moveDir && !dotdot) corrupt(`directory inode ${src.ino} has no '..'`);
      for (const x of [src, oldDir, newDir]) needInode(k, fs, x.ino);
      let dstGone = false;
      if (dst) {
        needInode(k, fs, dst.ino);
        dstGone = (isDir(dst) || dst.nlink <= 1) && dst.refs === 0;
        if (dstGone) prepareDestroy(k, fs, dst);
      }
      if (plan && plan.allocs > blocksAvailable(fs, true)) return -ENOSPC;
      beginUpdate(fs);
      if (sn && dst) {
        retarget(k, fs, sn, src.ino, fileTypeOf(src.mode));
        if (isDir(dst)) { dst.nlink = 0; newDir.nlink--; } else dst.nlink--;
        touch(k, dst, "c");
        if (dstGone) destroy(k, fs, dst);
        else {
          if (dst.nlink === 0) orphanAdd(fs, dst); // replaced while open: an orphan
          writeInode(k, fs, dst);
        }
      } else if (plan) {
        if (!applyAdd(k, fs, newDir, plan, nb, src.ino, fileTypeOf(src.mode))) corrupt("directory block allocation failed after the check");
      }
      // Find the old entry again: adding the new one may have split its record (all blocks are cached).
      const again = findEntry(k, fs, oldDir, ob);
      if (!again || again.e.ino !== src.ino) corrupt("rename: the old entry moved");
      removeAt(k, fs, oldDir, again);
      if (moveDir && dotdot) {
        retarget(k, fs, dotdot, newDir.ino, 2);
        oldDir.nlink--;
        newDir.nlink++;
      }
      touch(k, src, "c");
      touch(k, oldDir, "mc");
      touch(k, newDir, "mc");
      for (const x of new Set([src, oldDir, newDir])) writeInode(k, fs, x);
      flushMeta(k, fs);
      return 0;
    });
  },
  readdir(k, dir) {
    const fs = fsOf(dir.sb);
    return guard(k, fs, "readdir", () => dirEntries(k, fs, dir).map((s): DirEntry => ({
      name: dec.decode(s.e.name), ino: s.e.ino, type: fs.filetype ? DT_OF_FT[s.e.fileType & 7] ?? 0 : 0,
      off: s.lblk * fs.bs + s.e.off + s.e.recLen,
    })));
  },
  setattr: ext2Setattr,
  evict: ext2Evict,
};

function ext2Setattr(k: Kernel, ino: Inode, attr: SetAttr): number {
  const fs = fsOf(ino.sb);
  return guard(k, fs, "setattr", () => {
    needInode(k, fs, ino.ino);
    beginUpdate(fs);
    applyAttr(k, ino, attr);
    writeInode(k, fs, ino);
    return 0;
  });
}

/** The last user of an unlinked inode went away: free it now if its blocks are at hand, else at the next operation. */
function ext2Evict(k: Kernel, ino: Inode): void {
  const fs = fsOf(ino.sb);
  if (fs.inodes.get(ino.ino) !== ino) return; // already freed (unlink of an unused inode)
  const r = guard(k, fs, "evict", () => {
    prepareDestroy(k, fs, ino);
    beginUpdate(fs);
    destroy(k, fs, ino);
    flushMeta(k, fs);
    return 0;
  });
  if (r === -ERESTARTSYS || (r < 0 && fs.inodes.get(ino.ino) === ino)) {
    if (!fs.orphans.includes(ino.ino)) fs.orphans.push(ino.ino);
  }
}

// --- regular files ---

/** Read the data blocks (and their indirect blocks) of pages [first, last] not in the page cache yet. */
function needPages(k: Kernel, fs: Ext2Fs, ino: Inode, first: number, last: number): void {
  const pc = ei(ino).pc!;
  const per = PAGE_SIZE / fs.bs;
  const missing: number[] = [];
  const endBlock = Math.ceil(ino.size / fs.bs);
  for (let p = first; p <= last; p++) {
    if (pc.pages.has(p)) continue;
    for (let l = p * per; l < (p + 1) * per && l < endBlock; l++) {
      const nr = bmap(k, fs, ino, l);
      if (nr !== 0 && !cached(k, fs, nr)) missing.push(nr);
    }
  }
  if (missing.length > 0) {
    const r = breadBatch(k, callerTask(k), fs.dev, missing, fs.bs);
    if (r < 0) throw new Ext2Err(r === -ERESTARTSYS ? r : -EIO);
  }
}

/** The page cache's fill: a page's bytes from its data blocks (all in the cache: needPages ran). */
function filler(k: Kernel, fs: Ext2Fs, ino: Inode): PageFill {
  // The file's pages can be written back one by one (regWritePage): reclaim may take them, clean or dirty.
  const pc = ei(ino).pc;
  if (pc && pc.owner === null) pc.owner = ino;
  return (index, dst) => {
    const per = PAGE_SIZE / fs.bs;
    const endBlock = Math.ceil(ino.size / fs.bs);
    for (let i = 0; i < per; i++) {
      const l = index * per + i;
      if (l >= endBlock) break;
      const nr = bmap(k, fs, ino, l);
      if (nr !== 0) dst.set(blk(k, fs, nr), i * fs.bs);
    }
  };
}

function regRead(k: Kernel, _t: Task, f: File, buf: Uint8Array, pos: number): number {
  const ino = f.inode;
  const fs = fsOf(ino.sb);
  return guard(k, fs, "read", () => {
    if (pos >= ino.size || buf.length === 0) return 0;
    const n = Math.min(buf.length, ino.size - pos, IO_CAP);
    needPages(k, fs, ino, Math.floor(pos / PAGE_SIZE), Math.floor((pos + n - 1) / PAGE_SIZE));
    const got = pcRead(k, ei(ino).pc!, ino.size, buf.subarray(0, n), pos, filler(k, fs, ino));
    if (got > 0 && !(f.flags & O_NOATIME) && !fs.readOnly) relatime(k, fs, ino);
    return got;
  });
}

/** relatime: atime moves when it is older than mtime or ctime; written when the inode's block is at hand. */
function relatime(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  const a = ino.atime;
  const older = (x: { sec: number; nsec: number }): boolean => a.sec < x.sec || (a.sec === x.sec && a.nsec < x.nsec);
  if (!older(ino.mtime) && !older(ino.ctime)) return;
  ino.atime = currentTime(k);
  if (cached(k, fs, inodeLocation(fs, ino.ino).block)) writeInode(k, fs, ino);
}

function regWrite(k: Kernel, t: Task, f: File, buf: Uint8Array, pos: number): number {
  const ino = f.inode;
  const fs = fsOf(ino.sb);
  return guard(k, fs, "write", () => {
    if (buf.length === 0) return 0;
    const max = maxFileBytes(fs);
    if (pos >= max) return -EFBIG;
    reapOrphans(k, fs);
    let n = Math.min(buf.length, IO_CAP, max - pos);
    // Phase one: the inode's block, the block maps, the blocks a partial write keeps part of, and room on the disk.
    needInode(k, fs, ino.ino);
    const bs = fs.bs;
    let avail = blocksAvailable(fs, privileged(t));
    const partial: number[] = [];
    let l = Math.floor(pos / bs);
    for (; l * bs < pos + n; l++) {
      const need = blocksToMap(k, fs, ino, l);
      if (need > avail) break;
      avail -= need;
      const from = Math.max(pos, l * bs), to = Math.min(pos + n, (l + 1) * bs);
      const whole = from === l * bs && (to === (l + 1) * bs || to >= ino.size);
      const nr = bmap(k, fs, ino, l);
      if (nr !== 0 && !whole && !cached(k, fs, nr)) partial.push(nr);
    }
    const fits = Math.min(n, l * bs - pos);
    if (fits <= 0) return -ENOSPC;
    n = fits;
    if (partial.length > 0) {
      const r = breadBatch(k, callerTask(k), fs.dev, partial, bs);
      if (r < 0) throw new Ext2Err(r === -ERESTARTSYS ? r : -EIO);
    }
    // Phase two.
    beginUpdate(fs);
    const data = buf.subarray(0, n);
    for (let b = Math.floor(pos / bs); b * bs < pos + n; b++) {
      const from = Math.max(pos, b * bs), to = Math.min(pos + n, (b + 1) * bs);
      let nr = bmap(k, fs, ino, b);
      const fresh = nr === 0;
      if (fresh) nr = bmapAlloc(k, fs, ino, b, privileged(t));
      if (nr === 0) corrupt("block allocation failed after the check");
      const whole = from === b * bs && (to === (b + 1) * bs || to >= ino.size);
      if (whole && !fresh && !cached(k, fs, nr)) {
        // Overwritten from its start to its end (or to the end of the file): no need to read it.
        const bytes = new Uint8Array(bs);
        bytes.set(data.subarray(from - pos, to - pos));
        newDataBlock(k, fs, nr, bytes);
      } else {
        blk(k, fs, nr).set(data.subarray(from - pos, to - pos), from - b * bs);
        dirtyDataBlock(k, fs, nr);
      }
    }
    pcUpdateCached(k, ei(ino).pc!, data, pos);
    if (pos + n > ino.size) ino.size = pos + n;
    touch(k, ino, "mc");
    if ((ino.mode & (S_ISUID | S_ISGID)) && t.tg.creds.fsuid !== 0) {
      ino.mode &= ~S_ISUID;
      if (ino.mode & 0o010) ino.mode &= ~S_ISGID;
    }
    writeInode(k, fs, ino);
    flushMeta(k, fs);
    return n;
  });
}

function regTruncate(k: Kernel, ino: Inode, size: number): number {
  const fs = fsOf(ino.sb);
  return guard(k, fs, "truncate", () => {
    if (size > maxFileBytes(fs)) return -EFBIG;
    reapOrphans(k, fs);
    needInode(k, fs, ino.ino);
    const bs = fs.bs;
    const keep = Math.ceil(size / bs);
    let tail = 0;
    if (size < ino.size) {
      planFree(k, fs, ino, keep);
      if (size % bs !== 0) {
        tail = bmap(k, fs, ino, Math.floor(size / bs));
        if (tail !== 0) blk(k, fs, tail);
      }
    }
    beginUpdate(fs);
    const x = ei(ino);
    if (size < ino.size) {
      if (x.pc) pcTruncate(k, x.pc, ino.size, size);
      freeFrom(k, fs, ino, keep);
      if (tail !== 0) { blk(k, fs, tail).fill(0, size % bs); dirtyDataBlock(k, fs, tail); }
    }
    ino.size = size;
    touch(k, ino, "mc");
    writeInode(k, fs, ino);
    flushMeta(k, fs);
    return 0;
  });
}

/** Write the pages of a mapped file back into its blocks (stores through MAP_SHARED mappings). */
function regWriteback(k: Kernel, ino: Inode): number {
  const fs = fsOf(ino.sb);
  const pc = ei(ino).pc;
  if (!pc || pc.count === 0 || fs.readOnly) return 0;
  return guard(k, fs, "writeback", () => {
    // Only pages a writable mapping may have changed: the fault marks them FF_DIRTY, and a store after an
    // earlier write-back sets D in the PTE again (frameMkclean clears both before the write). read()/exec pages
    // are skipped.
    const mms = mmsById(k);
    const pages = pcCachedPages(k, pc).filter((p) => frameMkclean(k.mmctx, mms, pc.pages.get(p.index)!));
    // A write that fails (or gives up to wait: it throws) leaves them dirty.
    let r = -EIO;
    try { r = writePages(k, fs, ino, pages); return r; } finally { if (r < 0) for (const p of pages) frameRedirty(k.pm, pc.pages.get(p.index)!); }
  });
}

/**
 * Reclaim's pageout of one page (InodeOps.writePage): the same write as
 * msync's, for page `index` only, with no task to sleep - a block map or
 * bitmap block not in the buffer cache yet makes it fail (the page stays
 * dirty and reclaim passes it over; the read it started makes the next try
 * succeed) instead of waiting. The data is copied into the buffer cache and
 * its write is started at once (Linux's ->writepage starts the I/O; reclaim
 * plugs around its page-outs, so neighbouring pages merge). On a disk that
 * answers later the buffers are under write-back while reclaim goes on;
 * the page's frame does not have to wait for them, since the buffers hold
 * the bytes (see mm/reclaim.ts). Ordered mode on ext3: the data goes to
 * the disk before the commit that holds the blocks' allocation.
 */
function regWritePage(k: Kernel, ino: Inode, index: number, bytes: Uint8Array): number {
  const fs = fsOf(ino.sb);
  if (fs.readOnly) return -EROFS;
  // Called in the middle of an operation on this file system (it never is: reclaim runs in faults and in kswapd).
  if (fs.updating) return -EAGAIN;
  const caller = k.vfs.hostfs.caller;
  k.vfs.hostfs.caller = 0; // bread with no task: a read in flight fails at once instead of putting the faulting task to sleep
  try {
    return guard(k, fs, "writepage", () => writePages(k, fs, ino, [{ index, bytes }], true));
  } finally {
    k.vfs.hostfs.caller = caller;
  }
}

/** Write `pages` (index and bytes) into the file's blocks, up to i_size; holes that stay zero stay holes. `start`: start the blocks' disk writes now. */
function writePages(k: Kernel, fs: Ext2Fs, ino: Inode, pages: { index: number; bytes: Uint8Array }[], start = false): number {
  {
    if (pages.length === 0) return 0;
    const per = PAGE_SIZE / fs.bs;
    const endBlock = Math.ceil(ino.size / fs.bs);
    // Phase one: every block's place (indirect blocks read); holes written through a mapping need blocks.
    let allocs = 0;
    for (const p of pages) for (let i = 0; i < per && p.index * per + i < endBlock; i++) allocs += blocksToMap(k, fs, ino, p.index * per + i);
    if (allocs > blocksAvailable(fs, true)) return -ENOSPC;
    // A block allocated below changes the inode too: its inode-table block must be in the cache before anything
    // changes. (Reclaim has no task to wait: on a disk that answers later, an inode block read in phase two failed
    // after the block pointers and the in-memory bitmap had changed, and the image lost the bitmap bits and
    // i_blocks - the corruption seen when page-outs first went to such disks.)
    if (allocs > 0) needInode(k, fs, ino.ino);
    beginUpdate(fs);
    let changed = false;
    for (const p of pages) {
      for (let i = 0; i < per && p.index * per + i < endBlock; i++) {
        const l = p.index * per + i;
        let nr = bmap(k, fs, ino, l);
        let bytes = p.bytes.subarray(i * fs.bs, (i + 1) * fs.bs);
        // The block that holds EOF: only up to i_size goes to the disk (stores past EOF through a mapping do not;
        // a later growth of the file must read zeros there).
        if ((l + 1) * fs.bs > ino.size) { bytes = bytes.slice(); bytes.fill(0, ino.size - l * fs.bs); }
        if (nr === 0) {
          if (bytes.every((b) => b === 0)) continue; // still a hole
          nr = bmapAlloc(k, fs, ino, l, true);
          changed = true;
        }
        const have = cached(k, fs, nr) ? blk(k, fs, nr) : null;
        if (have && have.every((b, j) => b === bytes[j])) continue;
        newDataBlock(k, fs, nr, bytes);
        if (start) startDataWrite(k, fs, nr);
      }
    }
    if (changed) { writeInode(k, fs, ino); flushMeta(k, fs); }
    return 0;
  }
}

const regIops: InodeOps = {
  truncate: regTruncate,
  setattr: ext2Setattr,
  evict: ext2Evict,
  writeback: regWriteback,
  writePage: regWritePage,
  idle(k, ino) { regWriteback(k, ino); },
  swapMap(k, ino, pages) {
    const fs = fsOf(ino.sb);
    const per = PAGE_SIZE / fs.bs;
    const blocks = new Int32Array(pages);
    const r = guard(k, fs, "swapon", () => {
      for (let p = 0; p < pages; p++) {
        const first = bmap(k, fs, ino, p * per);
        if (first === 0) return -EINVAL; // a hole: Linux refuses the file ("swapfile has holes")
        let ok = true;
        for (let i = 1; i < per; i++) {
          const nr = bmap(k, fs, ino, p * per + i);
          if (nr === 0) return -EINVAL;
          if (nr !== first + i) ok = false;
        }
        blocks[p] = ok ? first : -1;
      }
      return 0;
    });
    return r < 0 ? r : { dev: fs.dev, blockSize: fs.bs, blocks };
  },
  getPage(k, ino, index) {
    const fs = fsOf(ino.sb);
    const r = guard(k, fs, "page fault", () => {
      needPages(k, fs, ino, index, index);
      return pcGetPage(k, ei(ino).pc!, index, filler(k, fs, ino));
    });
    // The blocks are being read (the faulting task sleeps on them): the access reruns when they are in,
    // as for a swap read (a page reclaim dropped is read again like this).
    return r === -ERESTARTSYS ? SHMEM_RETRY : r;
  },
  prepareExec(k, ino) {
    // The loader maps the program after its point of no return: bring every page in now, while the syscall can still wait.
    const fs = fsOf(ino.sb);
    if (ino.size > EXEC_PREFETCH_MAX) return 0;
    return guard(k, fs, "exec", () => {
      const last = Math.ceil(ino.size / PAGE_SIZE) - 1;
      if (last < 0) return 0;
      needPages(k, fs, ino, 0, last);
      const fill = filler(k, fs, ino);
      for (let p = 0; p <= last; p++) if (pcFrame(k, ei(ino).pc!, p, fill) === 0) return -ENOSPC;
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
    flushMeta(k, fs);
    // ext3: the file's changes are durable once the transaction holding them has committed (its data went first).
    if (fs.journal) {
      const c = ext3Fsync(k, callerTask(k), fs);
      if (c < 0) return c;
    }
    return syncDev(k, callerTask(k), fs.dev);
  },
};

// --- symbolic links, devices, FIFOs, sockets ---

const lnkIops: InodeOps = {
  readlink(k, ino) {
    const fs = fsOf(ino.sb);
    return guard(k, fs, "readlink", () => {
      const d = ei(ino).d;
      if (isFastSymlink(fs, d)) {
        if (ino.size >= 60) corrupt(`fast symlink inode ${ino.ino} has size ${ino.size}`);
        const raw = new Uint8Array(60);
        for (let i = 0; i < 15; i++) { raw[i * 4] = d.block[i] & 0xff; raw[i * 4 + 1] = (d.block[i] >>> 8) & 0xff; raw[i * 4 + 2] = (d.block[i] >>> 16) & 0xff; raw[i * 4 + 3] = d.block[i] >>> 24; }
        return dec.decode(raw.subarray(0, ino.size));
      }
      if (ino.size >= fs.bs || ino.size === 0) corrupt(`symlink inode ${ino.ino} has size ${ino.size}`);
      const nr = bmap(k, fs, ino, 0);
      if (nr === 0) corrupt(`symlink inode ${ino.ino} has no block`);
      return dec.decode(blk(k, fs, nr).subarray(0, ino.size));
    });
  },
  setattr: ext2Setattr,
  evict: ext2Evict,
};

const otherIops: InodeOps = { setattr: ext2Setattr, evict: ext2Evict };

// Extended attributes (xattr.ts), on every kind of inode: the change is written with the inode.
const xattrIops = ext2XattrOps(guard, beginUpdate, (k, fs, ino) => {
  ino.ctime = currentTime(k);
  writeInode(k, fs, ino);
  flushMeta(k, fs);
});
for (const ops of [dirIops, regIops, lnkIops, otherIops]) Object.assign(ops, xattrIops);

defineInodeOps(EXT2_DIR_IOPS, dirIops);
defineInodeOps(EXT2_REG_IOPS, regIops);
defineFileOps(EXT2_REG_FOPS, regFops);
defineInodeOps(EXT2_LNK_IOPS, lnkIops);
defineInodeOps(EXT2_OTHER_IOPS, otherIops);
const EXT2_SOPS = defineSuperOps("ext2", {
  statfs: (_k, sb) => ext2Statfs(fsOf(sb)),
  showOptions: (sb) => showExt2Opts(fsOf(sb).opts, fsOf(sb).sErrors),
});

// --- mount, sync, unmount ---

/** The block device a mount source names (/dev/vda1, vda1, /dev/ram0). */
function sourceDevice(k: Kernel, source: string): number {
  const name = source.startsWith("/dev/") ? source.slice(5) : source;
  const d = blockDevices(k).find((x) => x.name === name);
  if (!d) return source.startsWith("/dev/") || !source.includes("/") ? -ENOENT : -ENOTBLK;
  return d.dev;
}

/** Mount the ext2 file system on block device `dev`. */
export function ext2Mount(k: Kernel, source: string, flags: number, asType: string, data = ""): { sb: SuperBlock; root: Inode } | number {
  const dev = sourceDevice(k, source);
  if (dev < 0) return dev;
  // Mounted already: the same superblock (as Linux's get_tree_bdev).
  for (const m of k.vfs.mounts) {
    if ((m.sb.fsType === "ext2" || m.sb.fsType === "ext3") && m.sb.dev === dev) {
      const fs = fsOf(m.sb);
      const root = fs.inodes.get(EXT2_ROOT_INO);
      return root ? { sb: m.sb, root } : -EBUSY;
    }
  }
  const bdev = lookupBlockDevice(k, dev)!;
  const t = callerTask(k);
  // ext3: an unmount of this device whose journal is still being drained (a disk that answers later) ends first.
  const w = ext3WaitUnmounted(k, t, dev);
  if (w < 0) return w === -ERESTARTSYS ? w : w === -EAGAIN ? -EBUSY : -EIO;
  const log = (msg: string): void => logInfo(k, `EXT2-fs (${bdev.name}): ${msg}`);
  const rs = bread(k, t, dev, 1, 1024);
  if (typeof rs === "number") {
    if (rs !== -ERESTARTSYS) log("unable to read superblock");
    return rs === -ERESTARTSYS ? rs : -EIO;
  }
  const sup = parseSuper(rs.data);
  const why = checkSuper(sup, bdev.sectors * SECTOR_SIZE);
  if (why !== null) {
    log(`error: ${why}; not mounted (run e2fsck)`);
    return -EINVAL;
  }
  // The options (mount -o); s_errors (offset 0x3c) gives errors='s default.
  const sErrors = rs.data[0x3c] | (rs.data[0x3d] << 8);
  const opts = parseExt2Opts(data, defaultOpts(sErrors), false);
  if ("bad" in opts) { log(`${opts.bad}; not mounted`); return -EINVAL; }
  if (opts.noload && !(flags & MS_RDONLY)) { log("norecovery/noload needs a read-only mount (-o ro); not mounted"); return -EINVAL; }
  // ext3: replay the journal first if it holds transactions; the mount then starts over on the recovered image.
  // noload: the journal is neither replayed nor used.
  const found = opts.noload ? { kind: "none" as const } : ext3Prepare(k, t, dev, sup, !bdev.readOnly, bdev.name);
  if (typeof found === "number") return found === -ERESTARTSYS ? found : -EIO;
  if (found.kind === "replayed") {
    invalidateDev(k, dev);
    return ext2Mount(k, source, flags, asType, data);
  }
  if (opts.noload && sup.featureCompat & COMPAT_HAS_JOURNAL) log(`journal not loaded (norecovery)${sup.featureIncompat & INCOMPAT_RECOVER ? ": it needs recovery, the file system may look inconsistent" : ""}`);
  const bs = 1024 << sup.logBlockSize;
  const ngroups = Math.ceil((sup.blocksCount - sup.firstDataBlock) / sup.blocksPerGroup);
  const gdtBlock = sup.firstDataBlock + 1;
  const gdtBlocks = Math.ceil((ngroups * GD_SIZE) / bs);
  if (gdtBlock + gdtBlocks > sup.blocksCount) { log("error: group descriptor table past the end; not mounted"); return -EINVAL; }
  const sbBlock = bs === 1024 ? 1 : 0;
  const want = [sbBlock];
  for (let i = 0; i < gdtBlocks; i++) want.push(gdtBlock + i);
  let r = breadBatch(k, t, dev, want, bs);
  if (r < 0) return r === -ERESTARTSYS ? r : -EIO;
  const gdtBytes = new Uint8Array(gdtBlocks * bs);
  for (let i = 0; i < gdtBlocks; i++) {
    const b = bread(k, t, dev, gdtBlock + i, bs);
    if (typeof b === "number") return b === -ERESTARTSYS ? b : -EIO;
    gdtBytes.set(b.data, i * bs);
  }
  const groups = [];
  const itb = Math.ceil((sup.inodesPerGroup * sup.inodeSize) / bs);
  for (let g = 0; g < ngroups; g++) {
    const gd = parseGroupDesc(gdtBytes, g * GD_SIZE);
    const lo = sup.firstDataBlock + g * sup.blocksPerGroup;
    const hi = Math.min(sup.blocksCount, lo + sup.blocksPerGroup);
    const inGroup = (x: number): boolean => x >= lo && x < hi;
    if (!inGroup(gd.blockBitmap) || !inGroup(gd.inodeBitmap) || !inGroup(gd.inodeTable) || gd.inodeTable + itb > hi) {
      log(`error: group ${g}'s bitmaps or inode table are outside the group; not mounted (run e2fsck)`);
      return -EINVAL;
    }
    groups.push(gd);
  }
  const bitmapBlocks = groups.flatMap((g) => [g.blockBitmap, g.inodeBitmap]);
  r = breadBatch(k, t, dev, bitmapBlocks, bs);
  if (r < 0) return r === -ERESTARTSYS ? r : -EIO;
  const blockBitmaps: Uint8Array[] = [], inodeBitmaps: Uint8Array[] = [];
  for (const g of groups) {
    const bb = bread(k, t, dev, g.blockBitmap, bs), ib = bread(k, t, dev, g.inodeBitmap, bs);
    if (typeof bb === "number" || typeof ib === "number") return -EIO;
    blockBitmaps.push(bb.data.slice());
    inodeBitmaps.push(ib.data.slice());
  }
  const sbb = bread(k, t, dev, sbBlock, bs);
  if (typeof sbb === "number") return -EIO;
  // Read-only when asked, when the device is, for unknown read-only-compatible features, and for a journal to replay.
  let readOnly = (flags & MS_RDONLY) !== 0 || bdev.readOnly;
  const unknownRo = sup.featureRoCompat & ~RO_COMPAT_SUPPORTED;
  if (unknownRo && !readOnly) { log(`unsupported read-only-compatible features 0x${unknownRo.toString(16)}: mounted read-only`); readOnly = true; }
  if (found.kind === "unusable") {
    log(`journal: ${found.why}: mounted read-only (e2fsck can check and replay it)`);
    readOnly = true;
  } else if (found.kind === "none" && sup.featureIncompat & INCOMPAT_RECOVER && !opts.noload) {
    log("needs_recovery is set but there is no journal: mounted read-only (run e2fsck)");
    readOnly = true;
  }
  if (sup.state & EXT2_ERROR_FS) { log("warning: mounting a file system with errors, running e2fsck is recommended"); }
  else if (!(sup.state & EXT2_VALID_FS)) log("warning: mounting unchecked fs, running e2fsck is recommended");
  const vfsSb: SuperBlock = { dev, fsType: asType, readOnly, info: null, magic: EXT2_SUPER_MAGIC, sops: EXT2_SOPS };
  const fs: Ext2Fs = {
    dev, bs, blocksCount: sup.blocksCount, firstDataBlock: sup.firstDataBlock, updating: false,
    sup, sbBlock, sbBlockBytes: sbb.data.slice(), ngroups, groups, gdtBlock, gdtBytes, blockBitmaps, inodeBitmaps,
    dirtyGroups: new Set(), superDirty: false, inodeSize: sup.inodeSize, inodesPerBlock: bs / sup.inodeSize,
    addrPerBlock: bs / 4, filetype: (sup.featureIncompat & INCOMPAT_FILETYPE) !== 0,
    sparse: (sup.featureRoCompat & RO_COMPAT_SPARSE_SUPER) !== 0, readOnly, inodes: new Map(), orphans: [], diskOrphans: [],
    source: bdev.name, vfsSb, journal: null, journalInfo: found.kind === "ready" ? found : null, opts, sErrors,
  };
  vfsSb.info = fs;
  const root = guard(k, fs, "mount", () => {
    const ri = iget(k, fs, EXT2_ROOT_INO);
    if (!isDir(ri)) corrupt("the root inode is not a directory");
    return ri;
  });
  if (typeof root === "number") {
    if (root !== -ERESTARTSYS) log("error: cannot read the root directory; not mounted");
    return root;
  }
  // ext3's orphan list (inodes unlinked while open at a power cut): read now, freed once the journal is attached.
  // A read-only mount leaves it for the next read-write one (Linux frees it even then, with the journal loaded).
  let orphanList: number[] = [];
  if (sup.lastOrphan !== 0 && !readOnly && fs.journalInfo) {
    const c = guard(k, fs, "orphan list", () => orphanChain(k, fs));
    if (c === -ERESTARTSYS) return c;
    if (typeof c === "number") log("the orphan list is damaged: not cleaned up (run e2fsck)");
    else orphanList = c;
  }
  if (!readOnly) {
    // Mounted read-write: one more mount (s_mnt_count); without a journal, not clean until unmounted (s_state).
    // With one, needs_recovery says that instead (and s_state stays valid, as Linux's ext3/ext4).
    sup.mntCount = (sup.mntCount + 1) & 0xffff;
    sup.mtime = currentTime(k).sec >>> 0;
    fs.stateAtMount = sup.state | EXT2_VALID_FS;
    if (fs.journalInfo) ext3Attach(k, fs, fs.journalInfo);
    else { sup.state &= ~EXT2_VALID_FS; writeSuper(k, fs); }
  }
  if (orphanList.length > 0 && fs.journal) {
    const n = guard(k, fs, "orphan cleanup", () => orphanCleanup(k, fs, orphanList));
    if (typeof n === "number" && n >= 0) log(`${n} orphan inode${n === 1 ? "" : "s"} deleted`);
  }
  if (fs.journal) log("mounted with its journal (ext3, data=ordered)");
  else if (sup.featureCompat & COMPAT_HAS_JOURNAL) log("has a journal (ext3): mounted read-only, the journal is not used");
  root.refs++; // the root stays in memory while mounted
  return { sb: vfsSb, root };
}

/**
 * Write back what the file system holds in memory (mapped pages, metadata)
 * into the buffer cache and start writing the device's dirty buffers. It does
 * not wait: sync(2) waits for every disk itself (syncAll), and a wait here
 * would be a second sleep in the same call.
 */
function ext2Sync(k: Kernel, sb: SuperBlock): number {
  const fs = fsOf(sb);
  if (fs.readOnly) return 0;
  for (const ino of [...fs.inodes.values()]) if (isReg(ino)) regWriteback(k, ino);
  const r = guard(k, fs, "sync", () => {
    reapOrphans(k, fs);
    flushMeta(k, fs);
    // The machine halts (power-off, reboot, init exited): nothing writes after this, so the file
    // system is left clean, as Linux's remount of / read-only at shutdown leaves it.
    if (k.halted) { fs.sup.state = fs.stateAtMount ?? EXT2_VALID_FS; fs.sup.wtime = currentTime(k).sec >>> 0; writeSuper(k, fs); }
    return 0;
  });
  if (r < 0 && r !== -ERESTARTSYS) return r;
  // ext3: commit what is running (at halt: everything home and the journal left empty).
  if (fs.journal) ext3Sync(k, fs, k.halted);
  const w = syncDev(k, null, fs.dev);
  return w === -EAGAIN ? 0 : w;
}

for (const name of ["ext2", "ext3"]) {
  defineFsType({
    name,
    mount: (k, source, flags, data) => ext2Mount(k, source, flags, name, data),
    sync: (k, sb) => ext2Sync(k, sb),
    unmount(k, sb) {
      const fs = fsOf(sb);
      if (fs.readOnly) return;
      ext2Sync(k, sb);
      // Clean again: the state as it was at mount with VALID set, and the time of this last write.
      guard(k, fs, "unmount", () => {
        fs.sup.state = fs.stateAtMount ?? EXT2_VALID_FS;
        fs.sup.wtime = currentTime(k).sec >>> 0;
        writeSuper(k, fs);
        return 0;
      });
      // ext3: commit, checkpoint, mark the journal empty, clear needs_recovery.
      if (fs.journal) ext3Unmount(k, fs);
      syncDev(k, null, fs.dev);
    },
    remount(k, sb, flags, data) {
      const fs = fsOf(sb);
      const opts = parseExt2Opts(data, fs.opts, true);
      if ("bad" in opts) { logInfo(k, `EXT2-fs (${fs.source}): ${opts.bad}; not remounted`); return -EINVAL; }
      fs.opts = opts;
      if (fs.journal) fs.journal.commitNs = opts.commitSec * 1e9;
      const ro = (flags & MS_RDONLY) !== 0;
      if (ro === fs.readOnly) return 0;
      if (ro) {
        ext2Sync(k, sb);
        fs.sup.state = fs.stateAtMount ?? EXT2_VALID_FS;
        writeSuper(k, fs);
        const j = fs.journal;
        if (j) {
          ext3Unmount(k, fs);
          if (fs.journal) return -EBUSY; // the disk has not finished yet: try again
          fs.unmounting = false;
          fs.journalInfo = { kind: "ready", sb: j.sb, sbBytes: j.sbBytes, map: j.map, nextTid: (j.runningTid + 1) >>> 0 };
        }
        syncDev(k, null, fs.dev);
        fs.readOnly = true;
        return 0;
      }
      if (fs.sup.featureIncompat & INCOMPAT_RECOVER || fs.sup.featureRoCompat & ~RO_COMPAT_SUPPORTED) return -EINVAL;
      if (fs.sup.featureCompat & COMPAT_HAS_JOURNAL && !fs.journalInfo) return -EINVAL; // its journal is unusable
      fs.readOnly = false;
      fs.stateAtMount = fs.sup.state | EXT2_VALID_FS;
      if (fs.journalInfo) ext3Attach(k, fs, fs.journalInfo);
      else { fs.sup.state &= ~EXT2_VALID_FS; writeSuper(k, fs); }
      return 0;
    },
  });
}

/** Offer ext2 and ext3 to mount(2) (an ext3 is mounted without its journal when the journal is clean). */
export function registerExt2(k: Kernel): void {
  registerFsType(k, "ext2");
  registerFsType(k, "ext3");
}

