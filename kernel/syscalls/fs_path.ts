// Name-space system calls: mkdirat, mknodat, unlinkat, symlinkat, linkat,
// renameat2, readlinkat, the attribute changes (fchmodat, fchmod,
// fchownat, fchown, utimensat), truncate/ftruncate/fallocate, access
// checks (faccessat, faccessat2), and the working directory and root
// (chdir, fchdir, chroot, getcwd). Each walks its paths with namei, checks
// permissions the way Linux's may_create/may_delete do (write + search on
// the directory, the sticky bit, EXDEV across mounts, EBUSY for mount
// points) and then asks the file system to do it.
//
// Concepts: C64 (links: hard vs symbolic), C68 (names over mounts), C72
// (permissions, chmod, chown, umask), C63 (times and sizes), C66 (unlink
// of an open file).
import { unpack } from "../abi/layout.js";
import { TIMESPEC } from "../abi/time.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, SetAttr, Timespec } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt, argS64, argU32 } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { readPath, fdFile, fdFileIO } from "./fs_util.js";
import { resolveAt, lookupAt, LOOKUP_FOLLOW, LOOKUP_EMPTY, dentryPath, getLink, sameDentry, doRename } from "../fs/namei.js";
import { isDir, isLnk, isReg, isFifo, currentTime } from "../fs/inode.js";
import { vfsTruncate, vfsSetattr } from "../fs/file.js";
import { fileWritable } from "../fs/file_table.js";
import {
  permission, mayModifyDir, stickyCheck, isOwnerOrRoot, fsCred, realCred, inGroup, mountWritable, type FsCred,
} from "../fs/perm.js";
import { isTmpfsFile, tmpfsZeroRange } from "../fs/tmpfs/tmpfs.js";
import { isPipeFile } from "../fs/pipe.js";
import { makedev } from "../fs/fstypes.js";
import {
  AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH, AT_EACCESS, AT_FDCWD,
  S_IFMT, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFDIR, S_ISUID, S_ISGID, S_IALLUGO,
  MAY_EXEC, MAY_WRITE, MAY_READ, F_OK, X_OK, W_OK, R_OK,
  RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT, UTIME_NOW, UTIME_OMIT, MS_NOEXEC,
  FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE, MAX_LFS_FILESIZE,
} from "../abi/fs.js";
import {
  EEXIST, ENOENT, ENOTDIR, EISDIR, EPERM, EINVAL, EBUSY, EXDEV, ENOTEMPTY, ERANGE, EFAULT, EACCES, ESPIPE, ENODEV, EOPNOTSUPP, EFBIG, EBADF, } from "../abi/errno.js";
import { iopsOf } from "../lib/fsops.js";
import { strToBytes } from "../lib/bytestr.js";
import { fsnotifyCreate, fsnotifyDelete, fsnotifyLinkCount, fsnotifyChild } from "../fs/fsnotify.js";
import { IN_ACCESS, IN_ATTRIB, IN_MODIFY } from "../abi/inotify.js";

// --- creating names ---

/** Resolve the parent of a name to create; EEXIST if it exists. */
function createTarget(k: Kernel, t: Task, dirfd: number, path: string, allowSlash: boolean): { parent: Dentry; name: string } | number {
  const r = resolveAt(k, t, dirfd, path, 0);
  if (typeof r === "number") return r;
  if (r.dentry) return -EEXIST;
  if (r.slash && !allowSlash) return -ENOENT;
  const parent = r.parent!;
  const p = mayModifyDir(fsCred(t), parent);
  if (p < 0) return p;
  if (parent.inode.nlink === 0) return -ENOENT; // the directory was removed
  return { parent, name: r.name };
}

function sysMkdirat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), mode = argInt(k, 2);
  const path = readPath(k, t, argU(k, 1));
  if (typeof path === "number") return path;
  const c = createTarget(k, t, dirfd, path, true);
  if (typeof c === "number") return c;
  const mkdir = iopsOf(c.parent.inode).mkdir;
  if (!mkdir) return -EPERM;
  const r = mkdir(k, c.parent.inode, c.name, mode & 0o1777 & ~t.fs.umask, t);
  if (typeof r === "number") return r;
  fsnotifyCreate(k, c.parent.inode, c.name, r);
  return 0;
}

function sysMknodat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), mode = argU32(k, 2), dev = argU32(k, 3);
  const path = readPath(k, t, argU(k, 1));
  if (typeof path === "number") return path;
  let type = mode & S_IFMT;
  if (type === 0) type = S_IFREG;
  switch (type) {
    case S_IFREG: case S_IFIFO: case S_IFSOCK: break;
    case S_IFCHR: case S_IFBLK:
      if (t.tg.creds.euid !== 0) return -EPERM;
      break;
    case S_IFDIR: return -EPERM;
    default: return -EINVAL;
  }
  const c = createTarget(k, t, dirfd, path, false);
  if (typeof c === "number") return c;
  const perm = mode & S_IALLUGO & ~t.fs.umask;
  const dir = c.parent.inode;
  let r;
  const dops = iopsOf(dir);
  if (type === S_IFREG && dops.create) r = dops.create(k, dir, c.name, perm, t);
  else if (dops.mknod) {
    // The device number arrives in the old 32-bit encoding (major 12 bits, minor 20).
    const rdev = makedev((dev >>> 8) & 0xfff, (dev & 0xff) | ((dev >>> 12) & 0xfff00));
    r = dops.mknod(k, dir, c.name, type | perm, rdev, t);
  } else return -EPERM;
  if (typeof r === "number") return r;
  fsnotifyCreate(k, dir, c.name, r);
  return 0;
}

function sysSymlinkat(k: Kernel, t: Task): number {
  const target = readPath(k, t, argU(k, 0));
  if (typeof target === "number") return target;
  const dirfd = argInt(k, 1);
  const path = readPath(k, t, argU(k, 2));
  if (typeof path === "number") return path;
  if (target === "") return -ENOENT;
  const c = createTarget(k, t, dirfd, path, false);
  if (typeof c === "number") return c;
  const symlink = iopsOf(c.parent.inode).symlink;
  if (!symlink) return -EPERM;
  const r = symlink(k, c.parent.inode, c.name, target, t);
  if (typeof r === "number") return r;
  fsnotifyCreate(k, c.parent.inode, c.name, r);
  return 0;
}

function sysLinkat(k: Kernel, t: Task): number {
  const olddirfd = argInt(k, 0), newdirfd = argInt(k, 2), flags = argInt(k, 4);
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const oldpath = readPath(k, t, argU(k, 1));
  if (typeof oldpath === "number") return oldpath;
  const newpath = readPath(k, t, argU(k, 3));
  if (typeof newpath === "number") return newpath;
  const old = lookupAt(k, t, olddirfd, oldpath, (flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0) | (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0));
  if (typeof old === "number") return old;
  const c = createTarget(k, t, newdirfd, newpath, false);
  if (typeof c === "number") return c;
  if (c.parent.mount !== old.mount) return -EXDEV;
  if (isDir(old.inode)) return -EPERM;
  if (old.inode.nlink === 0) return -ENOENT;
  const link = iopsOf(c.parent.inode).link;
  if (!link) return -EPERM;
  const r = link(k, old.inode, c.parent.inode, c.name);
  if (r < 0) return r;
  fsnotifyLinkCount(k, old.inode);
  fsnotifyCreate(k, c.parent.inode, c.name, old.inode);
  return r;
}

// --- removing names ---

/** Resolve a name to remove: parent, name and victim, with the may_delete checks. */
function deleteTarget(k: Kernel, t: Task, dirfd: number, path: string, dir: boolean): { parent: Dentry; name: string; victim: Dentry } | number {
  const r = resolveAt(k, t, dirfd, path, 0);
  if (typeof r === "number") return r;
  if (r.name === "/") return dir ? -EBUSY : -EISDIR;
  if (r.name === "." || r.name === "..") {
    if (!dir) return r.dentry ? -EISDIR : -ENOENT;
    return r.name === "." ? -EINVAL : -ENOTEMPTY;
  }
  if (!r.dentry) return -ENOENT;
  if (!r.parent) return -EBUSY;
  if (r.slash && !isDir(r.dentry.inode)) return -ENOTDIR;
  const cred = fsCred(t);
  const p = mayModifyDir(cred, r.parent);
  if (p < 0) return p;
  const s = stickyCheck(cred, r.parent.inode, r.dentry.inode);
  if (s < 0) return s;
  if (r.dentry.mount !== r.parent.mount || r.dentry.inode.mounted) return -EBUSY;
  return { parent: r.parent, name: r.name, victim: r.dentry };
}

function sysUnlinkat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), flags = argInt(k, 2);
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const path = readPath(k, t, argU(k, 1));
  if (typeof path === "number") return path;
  const rmdir = (flags & AT_REMOVEDIR) !== 0;
  const d = deleteTarget(k, t, dirfd, path, rmdir);
  if (typeof d === "number") return d;
  const dir = d.parent.inode;
  if (rmdir) {
    if (!isDir(d.victim.inode)) return -ENOTDIR;
    if (sameDentry(d.victim, t.fs.root)) return -EBUSY;
    const rmdir = iopsOf(dir).rmdir;
    const r = rmdir ? rmdir(k, dir, d.name) : -EPERM;
    if (r === 0) fsnotifyDelete(k, dir, d.name, d.victim.inode);
    return r;
  }
  if (isDir(d.victim.inode)) return -EISDIR;
  const unlink = iopsOf(dir).unlink;
  const r = unlink ? unlink(k, dir, d.name) : -EPERM;
  if (r === 0) fsnotifyDelete(k, dir, d.name, d.victim.inode);
  return r;
}

// --- rename ---

function sysRenameat2(k: Kernel, t: Task): number {
  const olddirfd = argInt(k, 0), newdirfd = argInt(k, 2), flags = argU32(k, 4);
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -EINVAL;
  if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT))) return -EINVAL;
  if (flags & RENAME_WHITEOUT) return -EINVAL;
  const oldpath = readPath(k, t, argU(k, 1));
  if (typeof oldpath === "number") return oldpath;
  const newpath = readPath(k, t, argU(k, 3));
  if (typeof newpath === "number") return newpath;
  return doRename(k, t, olddirfd, oldpath, newdirfd, newpath, flags);
}

// --- symlinks ---

function sysReadlinkat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), buf = argU(k, 2), size = argInt(k, 3);
  const path = readPath(k, t, argU(k, 1));
  if (typeof path === "number") return path;
  if (size <= 0) return -EINVAL;
  const d = lookupAt(k, t, dirfd, path, LOOKUP_EMPTY);
  if (typeof d === "number") return d;
  if (!isLnk(d.inode)) return -EINVAL;
  const rl = iopsOf(d.inode).readlink;
  let target: string | number;
  if (rl) target = rl(k, d.inode, t);
  else {
    const l = getLink(k, t, d);
    target = typeof l === "object" ? (dentryPath(l, t.fs.root) ?? l.name) : l;
  }
  if (typeof target === "number") return target;
  const bytes = strToBytes(target);
  const n = Math.min(bytes.length, size);
  if (copyout(k.mmctx, t.mm!, buf, bytes.subarray(0, n)) < 0) return -EFAULT;
  return n;
}

// --- attributes ---

/** The dentry of a *at() call that also accepts AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH. */
function atTarget(k: Kernel, t: Task, dirfd: number, va: number, flags: number, allowed: number): Dentry | number {
  if (flags & ~allowed) return -EINVAL;
  const path = readPath(k, t, va);
  if (typeof path === "number") return path;
  return lookupAt(k, t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) | (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0));
}

function chmodCommon(k: Kernel, t: Task, d: Dentry, mode: number): number {
  const ino = d.inode;
  const cred = fsCred(t);
  if (!isOwnerOrRoot(cred, ino)) return -EPERM;
  const ro = mountWritable(d);
  if (ro < 0 && !isLnk(ino)) return ro;
  if (isLnk(ino)) return -EOPNOTSUPP;
  mode &= S_IALLUGO;
  // A non-root owner outside the file's group cannot set set-group-ID.
  if (cred.uid !== 0 && (mode & S_ISGID) && !inGroup(cred, ino.gid)) mode &= ~S_ISGID;
  const r = vfsSetattr(k, ino, { mode });
  if (r === 0) fsnotifyChild(k, d, IN_ATTRIB);
  return r;
}

function sysFchmodat(k: Kernel, t: Task, withFlags: boolean): number {
  const flags = withFlags ? argInt(k, 3) : 0;
  const d = atTarget(k, t, argInt(k, 0), argU(k, 1), flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
  if (typeof d === "number") return d;
  return chmodCommon(k, t, d, argU32(k, 2));
}

function sysFchmod(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  return chmodCommon(k, t, f.dentry, argU32(k, 1));
}

function chownCommon(k: Kernel, t: Task, d: Dentry, uid: number, gid: number): number {
  const ino = d.inode;
  const cred = fsCred(t);
  const ro = mountWritable(d);
  if (ro < 0) return ro;
  const attr: SetAttr = {};
  if (uid !== 0xffffffff) {
    // Only root gives a file away; the owner may "change" it to itself.
    if (cred.uid !== 0 && !(cred.uid === ino.uid && uid === ino.uid)) return -EPERM;
    attr.uid = uid;
  }
  if (gid !== 0xffffffff) {
    // The owner may pick any group it belongs to.
    if (cred.uid !== 0 && !(cred.uid === ino.uid && (gid === ino.gid || inGroup(cred, gid)))) return -EPERM;
    attr.gid = gid;
  }
  // A change of owner or group clears set-user-ID and (group-executable) set-group-ID on non-directories.
  if ((attr.uid !== undefined || attr.gid !== undefined) && !isDir(ino) && (ino.mode & (S_ISUID | S_ISGID))) {
    let m = ino.mode & ~S_ISUID;
    if (ino.mode & 0o010) m &= ~S_ISGID;
    attr.mode = m & S_IALLUGO;
  }
  const r = vfsSetattr(k, ino, attr);
  if (r === 0) fsnotifyChild(k, d, IN_ATTRIB);
  return r;
}

function sysFchownat(k: Kernel, t: Task): number {
  const d = atTarget(k, t, argInt(k, 0), argU(k, 1), argInt(k, 4), AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
  if (typeof d === "number") return d;
  return chownCommon(k, t, d, argU32(k, 2), argU32(k, 3));
}

function sysFchown(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  return chownCommon(k, t, f.dentry, argU32(k, 1), argU32(k, 2));
}

/** utimensat(dirfd, path|NULL, times[2]|NULL, flags). */
function sysUtimensat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), pathVa = argU(k, 1), timesVa = argU(k, 2), flags = argInt(k, 3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  let d: Dentry | number;
  if (pathVa === 0) {
    // futimens: the descriptor itself.
    if (dirfd === AT_FDCWD) return -EFAULT;
    const f = fdFile(t, dirfd);
    if (typeof f === "number") return f;
    d = f.dentry;
  } else {
    d = atTarget(k, t, dirfd, pathVa, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
  }
  if (typeof d === "number") return d;
  const now = currentTime(k);
  let at: Timespec | null = now, mt: Timespec | null = now;
  let explicit = false;
  if (timesVa) {
    // struct timespec times[2]: access, then modification.
    const b = new Uint8Array(2 * TIMESPEC.size);
    if (copyin(k.mmctx, t.mm!, timesVa, b) < 0) return -EFAULT;
    const decode = (off: number): Timespec | null | number => {
      const { tv_sec: sec, tv_nsec: nsec } = unpack(TIMESPEC, b, off);
      if (nsec === UTIME_OMIT) return null;
      if (nsec === UTIME_NOW) return now;
      if (nsec < 0 || nsec >= 1e9) return -EINVAL;
      explicit = true;
      return { sec, nsec };
    };
    const a = decode(0), m = decode(TIMESPEC.size);
    if (typeof a === "number") return a;
    if (typeof m === "number") return m;
    at = a; mt = m;
    if (!at && !mt) return 0;
  }
  const ino = d.inode;
  const cred = fsCred(t);
  const ro = mountWritable(d);
  if (ro < 0) return ro;
  if (explicit) {
    if (!isOwnerOrRoot(cred, ino)) return -EPERM;
  } else if (!isOwnerOrRoot(cred, ino)) {
    // Setting both to "now" is allowed to anyone who may write the file.
    if (timesVa && (at === null || mt === null)) return -EPERM;
    if (permission(cred, ino, MAY_WRITE) < 0) return -EACCES;
  }
  const attr: SetAttr = {};
  if (at) attr.atime = at;
  if (mt) attr.mtime = mt;
  const r = vfsSetattr(k, ino, attr);
  // Both times: IN_ATTRIB; only one: IN_ACCESS or IN_MODIFY (Linux's fsnotify_change).
  if (r === 0) fsnotifyChild(k, d, at && mt ? IN_ATTRIB : at ? IN_ACCESS : IN_MODIFY);
  return r;
}

// --- sizes ---

function sysTruncate(k: Kernel, t: Task): number {
  const path = readPath(k, t, argU(k, 0));
  if (typeof path === "number") return path;
  const len = argS64(k, 1);
  if (len < 0) return -EINVAL;
  const d = lookupAt(k, t, AT_FDCWD, path, LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  if (isDir(d.inode)) return -EISDIR;
  if (!isReg(d.inode)) return -EINVAL;
  const p = permission(fsCred(t), d.inode, MAY_WRITE);
  if (p < 0) return p;
  const ro = mountWritable(d);
  if (ro < 0) return ro;
  const r = vfsTruncate(k, d.inode, len);
  if (r === 0) fsnotifyChild(k, d, IN_MODIFY);
  return r;
}

function sysFtruncate(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const len = argS64(k, 1);
  if (len < 0) return -EINVAL;
  if (!isReg(f.inode) || !fileWritable(f)) return isDir(f.inode) ? -EISDIR : -EINVAL;
  const r = vfsTruncate(k, f.inode, len);
  if (r === 0) fsnotifyChild(k, f.dentry, IN_MODIFY);
  return r;
}

function sysFallocate(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const mode = argInt(k, 1), off = argS64(k, 2), len = argS64(k, 3);
  if (off < 0 || len <= 0) return -EINVAL;
  if (!fileWritable(f)) return -EBADF;
  if (isPipeFile(f) || isFifo(f.inode)) return -ESPIPE;
  if (isDir(f.inode)) return -EISDIR;
  if (!isReg(f.inode)) return -ENODEV;
  if (off + len > MAX_LFS_FILESIZE) return -EFBIG;
  const ino = f.inode;
  switch (mode) {
    case 0:
      if (off + len > ino.size) return vfsTruncate(k, ino, off + len);
      return 0;
    case FALLOC_FL_KEEP_SIZE:
      return 0;
    case FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE:
    case FALLOC_FL_ZERO_RANGE:
    case FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE:
      if (!isTmpfsFile(ino)) return -EOPNOTSUPP;
      tmpfsZeroRange(k, ino, off, off + len);
      if ((mode & FALLOC_FL_ZERO_RANGE) && !(mode & FALLOC_FL_KEEP_SIZE) && off + len > ino.size) return vfsTruncate(k, ino, off + len);
      return 0;
    default:
      return (mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE) ? -EINVAL : -EOPNOTSUPP;
  }
}

// --- access ---

function doAccess(k: Kernel, t: Task, dirfd: number, pathVa: number, mode: number, flags: number): number {
  if (mode & ~(R_OK | W_OK | X_OK)) return -EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const path = readPath(k, t, pathVa);
  if (typeof path === "number") return path;
  // access(2) checks with the real ids unless AT_EACCESS.
  const cred: FsCred = flags & AT_EACCESS ? fsCred(t) : realCred(t.tg.creds);
  const d = lookupAt(k, t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) | (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0), { cred });
  if (typeof d === "number") return d;
  if (mode === F_OK) return 0;
  const ino = d.inode;
  let mask = 0;
  if (mode & R_OK) mask |= MAY_READ;
  if (mode & W_OK) mask |= MAY_WRITE;
  if (mode & X_OK) mask |= MAY_EXEC;
  if (mask & MAY_WRITE) {
    const ro = mountWritable(d);
    if (ro < 0) return ro;
  }
  if ((mask & MAY_EXEC) && isReg(ino) && (d.mount.flags & MS_NOEXEC)) return -EACCES;
  return permission(cred, ino, mask);
}

// --- cwd and root ---

function setCwd(t: Task, d: Dentry): number {
  t.fs.cwd = d;
  return 0;
}

/** The directory named by the path in argument 0, if the caller may search it (chdir, chroot). */
function searchableDirArg(k: Kernel, t: Task): Dentry | number {
  const path = readPath(k, t, argU(k, 0));
  if (typeof path === "number") return path;
  const d = lookupAt(k, t, AT_FDCWD, path, LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  if (!isDir(d.inode)) return -ENOTDIR;
  const p = permission(fsCred(t), d.inode, MAY_EXEC);
  return p < 0 ? p : d;
}

function sysChdir(k: Kernel, t: Task): number {
  const d = searchableDirArg(k, t);
  return typeof d === "number" ? d : setCwd(t, d);
}

function sysFchdir(k: Kernel, t: Task): number {
  const f = fdFile(t, argInt(k, 0));
  if (typeof f === "number") return f;
  if (!isDir(f.inode)) return -ENOTDIR;
  const p = permission(fsCred(t), f.inode, MAY_EXEC);
  if (p < 0) return p;
  void k;
  return setCwd(t, f.dentry);
}

function sysChroot(k: Kernel, t: Task): number {
  const d = searchableDirArg(k, t);
  if (typeof d === "number") return d;
  if (t.tg.creds.euid !== 0) return -EPERM;
  t.fs.root = d;
  return 0;
}

function sysGetcwd(k: Kernel, t: Task): number {
  const buf = argU(k, 0), size = argU(k, 1);
  const cwd = t.fs.cwd;
  if (cwd.inode.nlink === 0) return -ENOENT;
  let path = dentryPath(cwd, t.fs.root);
  if (path === null) {
    // The working directory is outside the root (after chroot): Linux's "(unreachable)" prefix.
    const parts: string[] = [];
    for (let c: Dentry | null = cwd; c && c.parent; c = c.parent) parts.unshift(c.name);
    path = "(unreachable)/" + parts.join("/");
  }
  const bytes = strToBytes(path, true);
  if (bytes.length > size) return -ERANGE;
  if (copyout(k.mmctx, t.mm!, buf, bytes) < 0) return -EFAULT;
  return bytes.length;
}

export function registerPathSyscalls(table: SyscallTable): void {
  table[N.SYS_mkdirat] = sysMkdirat;
  table[N.SYS_mknodat] = sysMknodat;
  table[N.SYS_symlinkat] = sysSymlinkat;
  table[N.SYS_linkat] = sysLinkat;
  table[N.SYS_unlinkat] = sysUnlinkat;
  table[N.SYS_renameat2] = sysRenameat2;
  table[N.SYS_readlinkat] = sysReadlinkat;
  table[N.SYS_fchmodat] = (k, t) => sysFchmodat(k, t, false);
  table[452] = (k, t) => sysFchmodat(k, t, true); // fchmodat2
  table[N.SYS_fchmod] = sysFchmod;
  table[N.SYS_fchownat] = sysFchownat;
  table[N.SYS_fchown] = sysFchown;
  table[N.SYS_utimensat] = sysUtimensat;
  table[N.SYS_truncate] = sysTruncate;
  table[N.SYS_ftruncate] = sysFtruncate;
  table[N.SYS_fallocate] = sysFallocate;
  table[N.SYS_faccessat] = (k, t) => doAccess(k, t, argInt(k, 0), argU(k, 1), argInt(k, 2), 0);
  table[N.SYS_faccessat2] = (k, t) => doAccess(k, t, argInt(k, 0), argU(k, 1), argInt(k, 2), argInt(k, 3));
  table[N.SYS_chdir] = sysChdir;
  table[N.SYS_fchdir] = sysFchdir;
  table[N.SYS_chroot] = sysChroot;
  table[N.SYS_getcwd] = sysGetcwd;
}

