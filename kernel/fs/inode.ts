// Inode helpers every file system shares: the file-type predicates, the
// wall-clock timestamps, inode-number and device-number allocation, and the
// reference drop (iput) that frees an unlinked file's storage with its last
// user - the reason a deleted file that is still open keeps working.
//
// Concepts: C63 (inode fields: type, mode, owner, times, link count),
// C66 (reference counts; deleting an open file).
import type { Kernel } from "../kernel.js";
import { nowNs, realtimeDelta } from "../time/clock.js";
import type { Task } from "../proc/task.js";
import type { Inode, Timespec } from "./vfs.js";
import { S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_ISGID } from "../abi/fs.js";
import { iopsOf } from "../lib/fsops.js";

export const isDir = (i: Inode): boolean => (i.mode & S_IFMT) === S_IFDIR;
export const isReg = (i: Inode): boolean => (i.mode & S_IFMT) === S_IFREG;
export const isLnk = (i: Inode): boolean => (i.mode & S_IFMT) === S_IFLNK;
export const isChr = (i: Inode): boolean => (i.mode & S_IFMT) === S_IFCHR;
export const isBlk = (i: Inode): boolean => (i.mode & S_IFMT) === S_IFBLK;
export const isFifo = (i: Inode): boolean => (i.mode & S_IFMT) === S_IFIFO;
export const isSock = (i: Inode): boolean => (i.mode & S_IFMT) === S_IFSOCK;

/** CLOCK_REALTIME now, as a timestamp for inode times. */
export function currentTime(k: Kernel): Timespec {
  const ns = realtimeDelta(k) + nowNs(k);
  const sec = Math.floor(ns / 1e9);
  return { sec, nsec: Math.floor(ns - sec * 1e9) };
}

/** Set the times named by `which` ("a", "m", "c") to now. */
export function touch(k: Kernel, ino: Inode, which: string): void {
  const now = currentTime(k);
  if (which.includes("a")) ino.atime = { ...now };
  if (which.includes("m")) ino.mtime = { ...now };
  if (which.includes("c")) ino.ctime = { ...now };
}

/** Drop one reference (an open file closed, a mapping went away). */
export function iput(k: Kernel, ino: Inode): void {
  if (--ino.refs > 0) return;
  if (ino.refs < 0) ino.refs = 0;
  if (ino.nlink === 0) iopsOf(ino).evict?.(k, ino);
  else iopsOf(ino).idle?.(k, ino);
}

/** After unlink/rmdir/rename dropped a link: free the storage now if nobody holds the inode. */
export function maybeEvict(k: Kernel, ino: Inode): void {
  if (ino.nlink === 0 && ino.refs <= 0) iopsOf(ino).evict?.(k, ino);
}

/** A fresh anonymous device number (major 0) for a new superblock, as Linux's get_anon_bdev. */
export function allocAnonDev(k: Kernel): number {
  return k.vfs.nextAnonMinor++;
}

/**
 * Owner, group and mode of a new inode in `dir` (inode_init_owner): the
 * creator's fs ids, except that a set-group-ID directory passes on its group
 * (and, to new subdirectories, the set-group-ID bit itself).
 */
export function initOwner(t: Task, dir: Inode, mode: number): { uid: number; gid: number; mode: number } {
  const c = t.tg.creds;
  let gid = c.fsgid;
  if (dir.mode & S_ISGID) {
    gid = dir.gid;
    if ((mode & S_IFMT) === S_IFDIR) mode |= S_ISGID;
  }
  return { uid: c.fsuid, gid, mode };
}
