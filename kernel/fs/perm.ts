// Permission checks: the rwx bits for owner, group and others, checked with
// the caller's file-system ids (fsuid/fsgid and supplementary groups) on
// every step of a path walk (search = x on each directory), on open, and on
// every change to a directory. Root (fsuid 0) passes every check, except
// that executing needs at least one x bit. The sticky bit on a directory
// (/tmp) lets only a file's owner, the directory's owner or root remove or
// rename it. Read-only mounts refuse writes with EROFS.
//
// Concepts: C72 (rwx for owner/group/other, checked on every access), C27
// (credentials: real vs effective vs file-system ids).
import type { Task, Creds } from "../proc/task.js";
import type { Dentry, Inode } from "./vfs.js";
import { isDir, isReg, isLnk } from "./inode.js";
import { MAY_EXEC, MAY_WRITE, S_ISVTX, MS_RDONLY } from "../abi/fs.js";
import { EACCES, EPERM, EROFS } from "../abi/errno.js";

/** The identity a check is made with: fs ids normally, real ids for access(2). */
export interface FsCred { uid: number; gid: number; groups: readonly number[] }

export function fsCred(t: Task): FsCred {
  const c = t.tg.creds;
  return { uid: c.fsuid, gid: c.fsgid, groups: c.groups };
}

export function realCred(c: Creds): FsCred {
  return { uid: c.uid, gid: c.gid, groups: c.groups };
}

export function inGroup(cred: FsCred, gid: number): boolean {
  return cred.gid === gid || cred.groups.includes(gid);
}

/** generic_permission: 0 if `cred` may access `ino` with MAY_* `mask`, else -EACCES. */
export function permission(cred: FsCred, ino: Inode, mask: number): number {
  if (cred.uid === 0) {
    // Root may do anything, except run a file that nobody may execute.
    if ((mask & MAY_EXEC) && !isDir(ino) && (ino.mode & 0o111) === 0) return -EACCES;
    return 0;
  }
  let bits: number;
  if (cred.uid === ino.uid) bits = (ino.mode >> 6) & 7;
  else if (inGroup(cred, ino.gid)) bits = (ino.mode >> 3) & 7;
  else bits = ino.mode & 7;
  return (bits & mask) === mask ? 0 : -EACCES;
}

/** Writes to files and directories on a read-only mount or file system fail with EROFS. */
export function mountWritable(d: Dentry): number {
  if ((d.mount.flags & MS_RDONLY) || d.mount.sb.readOnly) {
    if (isReg(d.inode) || isDir(d.inode) || isLnk(d.inode)) return -EROFS;
  }
  return 0;
}

/** May `cred` add or remove entries in directory `dir` (write + search)? */
export function mayModifyDir(cred: FsCred, dir: Dentry): number {
  const ro = (dir.mount.flags & MS_RDONLY) || dir.mount.sb.readOnly ? -EROFS : 0;
  if (ro) return ro;
  return permission(cred, dir.inode, MAY_WRITE | MAY_EXEC);
}

/** may_delete's sticky-bit rule: in a sticky directory only the owners (or root) may remove. */
export function stickyCheck(cred: FsCred, dir: Inode, victim: Inode): number {
  if (!(dir.mode & S_ISVTX) || cred.uid === 0) return 0;
  if (cred.uid === victim.uid || cred.uid === dir.uid) return 0;
  return -EPERM;
}

/** Whether `cred` owns the inode or is root (chmod, utimes with explicit times...). */
export function isOwnerOrRoot(cred: FsCred, ino: Inode): boolean {
  return cred.uid === 0 || cred.uid === ino.uid;
}
