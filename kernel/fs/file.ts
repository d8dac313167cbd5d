// Open files: turning a dentry into a File (permission checks, device and
// FIFO dispatch, O_TRUNC), the generic lseek, truncation and attribute
// changes that every file system shares, and anonymous files (epoll,
// eventfd) that live on no directory.
//
// Concepts: C66 (the open-file table entry: offset, mode, reference count),
// C14 (device nodes open their driver), C72 (access checked at open).
import type { Kernel } from "../kernel.js";
import { lookupBlockDevice } from "../block/blkdev.js";
import { blkdevFops } from "./blockdev.js";
import type { Task } from "../proc/task.js";
import type { Dentry, File, Inode, SetAttr, Mount } from "./vfs.js";
import { isDir, isReg, isChr, isBlk, isFifo, isSock, isLnk, currentTime, touch } from "./inode.js";
import { permission, mountWritable, fsCred, type FsCred, mayModifyDir } from "./perm.js";
import { lookupCharDevice } from "./chardev.js";
import { major, minor } from "./fstypes.js";
import { fifoOpen, pipeFops } from "./pipe.js";
import { fileAllocCheck, fileUnaccount, newFile } from "./file_table.js";
import { createPseudoFs, newInode } from "./tmpfs/tmpfs.js";
import {
  O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, O_TRUNC, O_DIRECTORY, O_PATH, O_CREAT, O_EXCL, O_NOCTTY, O_CLOEXEC, O_LARGEFILE, MAY_READ, MAY_WRITE, MS_NODEV, SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE, ANON_INODE_FS_MAGIC, S_IFREG, MAX_LFS_FILESIZE, O_NOFOLLOW, O_TMPFILE, S_IALLUGO,
} from "../abi/fs.js";
import { EACCES, EISDIR, ENOTDIR, ENXIO, ESPIPE, EINVAL, ELOOP, EPERM, EFBIG, EEXIST, ENOENT, EOPNOTSUPP } from "../abi/errno.js";
import { iopsOf, fopsOf, fileOps, defineFileOps } from "../lib/fsops.js";
import * as N from "../abi/sysno.js";
import { resolveAt, LOOKUP_FOLLOW } from "./namei.js";
import { signalPending } from "./poll.js";
import { fsnotifyCreate, fsnotifyOpen, fsnotifyChild } from "./fsnotify.js";
import { IN_MODIFY } from "../abi/inotify.js";

/** O_PATH descriptors: a name only; read, write, ioctl and mmap fail with EBADF at the syscall layer. */
export const pathFops = defineFileOps("path", {})

/** The access the open mode asks for, as MAY_* bits. */
function accessMask(flags: number): number {
  const acc = flags & O_ACCMODE;
  let m = 0;
  if (acc === O_RDONLY || acc === O_RDWR || acc === 3) m |= MAY_READ;
  if (acc === O_WRONLY || acc === O_RDWR || acc === 3) m |= MAY_WRITE;
  if (flags & O_TRUNC) m |= MAY_WRITE;
  return m;
}

/**
 * Open the file `d` names with open(2) `flags` (O_CREAT already handled).
 * `created`: the caller just made it (no permission check: the creator may
 * open a file it made with mode 0). Returns the File, -errno, or
 * -ERESTARTSYS when the task went to sleep (a FIFO waiting for a partner).
 */
export function openDentry(k: Kernel, t: Task, d: Dentry, flags: number, created = false, signalPending = false, cred: FsCred = fsCred(t)): File | number {
  const ino = d.inode;
  if (flags & O_PATH) {
    if ((flags & O_DIRECTORY) && !isDir(ino)) return -ENOTDIR;
    const e = fileAllocCheck(k, t);
    if (e < 0) return e;
    return newFile(k, d, pathFops, flags & (O_PATH | O_DIRECTORY | 0o400000 /* O_NOFOLLOW */ | O_LARGEFILE));
  }
  if (isLnk(ino)) return -ELOOP;
  if ((flags & O_DIRECTORY) && !isDir(ino)) return -ENOTDIR;
  const acc = flags & O_ACCMODE;
  if (isDir(ino) && (acc !== O_RDONLY || (flags & O_TRUNC))) return -EISDIR;
  const mask = accessMask(flags);
  if (!created) {
    const p = permission(cred, ino, mask);
    if (p < 0) return p;
  }
  if (mask & MAY_WRITE) {
    const ro = mountWritable(d);
    if (ro < 0) return ro;
  }
  let ops: string = ino.fops;
  if (isChr(ino) || isBlk(ino)) {
    if (d.mount.flags & MS_NODEV) return -EACCES;
    if (isBlk(ino)) {
      if (!lookupBlockDevice(k, ino.rdev)) return -ENXIO;
      ops = blkdevFops;
    } else {
      const dev = lookupCharDevice(k, major(ino.rdev), minor(ino.rdev));
      if (!dev) return -ENXIO;
      ops = dev.fops;
    }
  } else if (isFifo(ino)) {
    ops = pipeFops;
  } else if (isSock(ino)) {
    return -ENXIO;
  }
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const f = newFile(k, d, ops, (flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE);
  let r = 0;
  const open = fileOps(ops).open;
  if (ops === pipeFops) r = fifoOpen(k, t, f, signalPending);
  else if (open) r = open(k, t, f);
  if (r < 0) {
    // Not opened: no release, just give back the inode reference and the file's accounting.
    ino.refs--;
    fileUnaccount(k);
    return r;
  }
  f.flags &= ~O_NOCTTY;
  fsnotifyOpen(k, f);
  if ((flags & O_TRUNC) && isReg(ino) && (acc === O_WRONLY || acc === O_RDWR || acc === O_RDONLY)) {
    if (ino.size > 0) {
      const tr = vfsTruncate(k, ino, 0);
      if (tr < 0) { fopsOf(f).release?.(k, f); ino.refs--; fileUnaccount(k); return tr; }
    }
    fsnotifyChild(k, d, IN_MODIFY); // Linux's truncation at open reports IN_MODIFY even for an empty file
  }
  return f;
}

/** Change a regular file's size (truncate, ftruncate, O_TRUNC). */
export function vfsTruncate(k: Kernel, ino: Inode, size: number): number {
  if (isDir(ino)) return -EISDIR;
  if (!isReg(ino)) return -EINVAL;
  if (size < 0) return -EINVAL;
  if (size > MAX_LFS_FILESIZE) return -EFBIG;
  const tr = iopsOf(ino).truncate;
  if (!tr) return -EPERM;
  if (size === ino.size) { touch(k, ino, "mc"); return 0; }
  return tr(k, ino, size);
}

/** Change attributes (chmod, chown, utimes): the file system's setattr first, then the inode's fields. */
export function vfsSetattr(k: Kernel, ino: Inode, attr: SetAttr): number {
  const setattr = iopsOf(ino).setattr;
  if (setattr) {
    const r = setattr(k, ino, attr);
    if (r < 0) return r;
  }
  applyAttr(k, ino, attr);
  return 0;
}

/** Put `attr` into the inode's fields, and stamp ctime (a file system's setattr may do it before writing the inode out). */
export function applyAttr(k: Kernel, ino: Inode, attr: SetAttr): void {
  if (attr.mode !== undefined) ino.mode = (ino.mode & ~0o7777) | (attr.mode & 0o7777);
  if (attr.uid !== undefined) ino.uid = attr.uid;
  if (attr.gid !== undefined) ino.gid = attr.gid;
  if (attr.atime) ino.atime = { ...attr.atime };
  if (attr.mtime) ino.mtime = { ...attr.mtime };
  ino.ctime = currentTime(k);
}

/** lseek: the file system's own, or the generic one for regular files, directories and block devices. */
export function vfsLlseek(k: Kernel, f: File, off: number, whence: number): number {
  const llseek = fopsOf(f).llseek;
  if (llseek) return llseek(k, f, off, whence);
  const ino = f.inode;
  if (!isReg(ino) && !isDir(ino) && !isBlk(ino)) return -ESPIPE;
  iopsOf(ino).revalidate?.(k, ino);
  let pos: number;
  switch (whence) {
    case SEEK_SET: pos = off; break;
    case SEEK_CUR: pos = f.pos + off; break;
    case SEEK_END: pos = ino.size + off; break;
    case SEEK_DATA:
      if (off < 0 || off >= ino.size) return -ENXIO;
      pos = off;
      break;
    case SEEK_HOLE:
      if (off < 0 || off >= ino.size) return -ENXIO;
      pos = ino.size;
      break;
    default: return -EINVAL;
  }
  if (pos < 0 || !Number.isFinite(pos)) return -EINVAL;
  if (pos > MAX_LFS_FILESIZE) return -EINVAL;
  f.pos = pos;
  return pos;
}

// --- anonymous inodes (epoll, eventfd): files that live on no directory ---

export interface AnonFs { mount: Mount; inode: Inode }

function anonfs(k: Kernel): AnonFs {
  let s = k.vfs.anonInodeFs;
  if (!s) {
    const { sb, mount } = createPseudoFs(k, "anon_inodefs", ANON_INODE_FS_MAGIC);
    const inode = newInode(k, sb, S_IFREG | 0o600, 0, 0, 0);
    inode.mode = 0o600; // Linux's anon inode has no file type bits
    s = { mount, inode };
    k.vfs.anonInodeFs = s;
  }
  return s;
}

/** A file on the shared anonymous inode, named like Linux ("anon_inode:[eventpoll]"). */
export function anonFile(k: Kernel, name: string, ops: string, flags: number, info: unknown): File {
  const a = anonfs(k);
  const d: Dentry = { name: `anon_inode:${name}`, parent: null, inode: a.inode, mount: a.mount };
  return newFile(k, d, ops, flags | O_RDWR, info);
}

/** Open `path` for task `t` (used by openat and by kernel callers). Returns the File or -errno. */
export function doOpen(k: Kernel, t: Task, dirfd: number, path: string, flags: number, mode: number): File | number {
  if ((flags & O_TMPFILE) === O_TMPFILE) return -EOPNOTSUPP;
  if (flags & O_PATH) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  const creat = (flags & O_CREAT) !== 0 && !(flags & O_PATH);
  const follow = !(flags & O_NOFOLLOW) && !(creat && (flags & O_EXCL));
  const r = resolveAt(k, t, dirfd, path, follow ? LOOKUP_FOLLOW : 0);
  if (typeof r === "number") return r;
  let d: Dentry;
  let created = false;
  if (r.dentry === null) {
    if (!creat) return -ENOENT;
    if (r.slash) return -EISDIR;
    const parent = r.parent!;
    const p = mayModifyDir(fsCred(t), parent);
    if (p < 0) return p;
    if (parent.inode.nlink === 0) return -ENOENT; // the directory was removed
    const create = iopsOf(parent.inode).create;
    if (!create) return -EACCES;
    const ino = create(k, parent.inode, r.name, (mode & S_IALLUGO & ~t.fs.umask), t);
    if (typeof ino === "number") return ino;
    fsnotifyCreate(k, parent.inode, r.name, ino);
    d = { name: r.name, parent, inode: ino, mount: parent.mount };
    created = true;
  } else {
    d = r.dentry;
    if (creat && (flags & O_EXCL)) return -EEXIST;
    if (creat && isDir(d.inode)) return -EISDIR;
    if (r.slash && !isDir(d.inode)) return -ENOTDIR;
  }
  if (isLnk(d.inode) && !(flags & O_PATH)) return -ELOOP;
  return openDentry(k, t, d, flags, created, signalPending(t));
}
