// Descriptor system calls: openat, close, close_range, dup, dup3, fcntl,
// ioctl, flock and pipe2. openat walks the path, creates the file for
// O_CREAT (mode minus umask; O_EXCL refuses an existing name and does not
// follow a final symlink), opens it (permissions, devices, FIFOs that wait
// for a partner) and installs the lowest free descriptor.
//
// Concepts: C66 (descriptor -> open file -> inode), C67 (dup, redirection),
// C71 (fcntl record locks, flock), C35 (EDEADLK), C40 (pipes).
import { pack, unpack } from "../abi/layout.js";
import {
  FLOCK, PIPEFDS, O_VALID, O_CLOEXEC, O_PATH, O_NONBLOCK, O_DIRECT, O_APPEND, O_NOATIME, FASYNC, O_LARGEFILE, S_IFREG, O_RDWR, F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_GETPIPE_SZ, F_SETPIPE_SZ, F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, F_SETOWN_EX, F_GETOWN_EX, F_GETLEASE, F_SETLEASE, F_NOTIFY, F_ADD_SEALS, F_GET_SEALS, FD_CLOEXEC, F_RDLCK, F_WRLCK, F_UNLCK, SEEK_SET, SEEK_CUR, SEEK_END, SIZEOF_FLOCK, LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN, FIGETBSZ, CLOSE_RANGE_CLOEXEC, CLOSE_RANGE_UNSHARE, MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_HUGETLB, MFD_NOEXEC_SEAL, MFD_EXEC,
} from "../abi/fs.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, File, Mount } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt, argU32, argS64 } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout, copyinString, getUser32, putUser32 } from "../mm/uaccess.js";
import { readPath, fdFile, fdFileIO, nofile } from "./fs_util.js";
import { blockOn } from "../fs/poll.js";
import { fget, fput, installFd, installFdAt, closeFd, forkFdTable, releaseFdTable } from "../fs/fdtable.js";
import { fileReadable, fileWritable, newFile, fileAllocCheck } from "../fs/file_table.js";
import { createTmpfs, newInode } from "../fs/tmpfs/tmpfs.js";
import { internalMount } from "../fs/mount.js";
import { isDir, isReg } from "../fs/inode.js";
import { createPipeFiles, destroyPipeFiles, isPipeFile, pipeGetSize, pipeSetSize } from "../fs/pipe.js";
import { type PosixLock, findConflict, setPosixLock, setFlock, stopWaiting } from "../fs/locks.js";
import type { WaitQueue } from "../sched/wait.js";
import { FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIONREAD } from "../abi/ioctls.js";
import { EINVAL, ENOTDIR, EBADF, EFAULT, ENOTTY, EAGAIN, EOVERFLOW, EPERM, ENAMETOOLONG } from "../abi/errno.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { iopsOf, fopsOf } from "../lib/fsops.js";
import {
  doOpen,
} from "../fs/file.js";

// --- openat ---

function sysOpenat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), flags = argInt(k, 2), mode = argInt(k, 3);
  if (flags & ~O_VALID) return -EINVAL;
  const path = readPath(k, t, argU(k, 1));
  if (typeof path === "number") return path;
  const f = doOpen(k, t, dirfd, path, flags, mode);
  if (typeof f === "number") return f;
  const fd = installFd(t.files, f, (flags & O_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

// --- close, dup ---

function sysClose(k: Kernel, t: Task): number {
  return closeFd(k, t.files, argInt(k, 0));
}

function sysCloseRange(k: Kernel, t: Task): number {
  const first = argU32(k, 0), last = argU32(k, 1), flags = argU32(k, 2);
  if (flags & ~(CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE)) return -EINVAL;
  if (first > last) return -EINVAL;
  if ((flags & CLOSE_RANGE_UNSHARE) && t.files.refs > 1) {
    const mine = forkFdTable(t.files, k.mmctx);
    releaseFdTable(k, t.files);
    t.files = mine;
  }
  const fdt = t.files;
  const end = Math.min(last, fdt.fds.length - 1);
  for (let fd = first; fd <= end; fd++) {
    const e = fdt.fds[fd];
    if (!e) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) e.cloexec = true;
    else closeFd(k, fdt, fd);
  }
  return 0;
}

function sysDup(k: Kernel, t: Task): number {
  const f = fdFile(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const fd = installFd(t.files, fget(f), false, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

function sysDup3(k: Kernel, t: Task): number {
  const oldfd = argInt(k, 0), newfd = argInt(k, 1), flags = argInt(k, 2);
  if (flags & ~O_CLOEXEC) return -EINVAL;
  if (oldfd === newfd) return -EINVAL;
  const f = fdFile(t, oldfd);
  if (typeof f === "number") return f;
  if (newfd < 0 || newfd >= nofile(t)) return -EBADF;
  const r = installFdAt(k, t.files, newfd, fget(f), (flags & O_CLOEXEC) !== 0);
  if (r < 0) { fput(k, f); return r; }
  return newfd;
}

// --- fcntl ---

const SETFL_MASK = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | FASYNC;

/** Decode a struct flock into a byte range of `f` ([start, end], end Infinity = to EOF). */
function readFlock(k: Kernel, t: Task, f: File, va: number): { type: number; start: number; end: number; pid: number } | number {
  const b = new Uint8Array(SIZEOF_FLOCK);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const { l_type: type, l_whence: whence, l_start: lstart, l_len: llen, l_pid: pid } = unpack(FLOCK, b);
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -EINVAL;
  let base: number;
  switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = f.pos; break;
    case SEEK_END: iopsOf(f.inode).revalidate?.(k, f.inode); base = f.inode.size; break;
    default: return -EINVAL;
  }
  let start = base + lstart;
  if (start < 0) return -EINVAL;
  let end: number;
  if (llen > 0) end = start + llen - 1;
  else if (llen === 0) end = Infinity;
  else { end = start - 1; start += llen; if (start < 0) return -EINVAL; }
  if (!Number.isSafeInteger(start) || (end !== Infinity && !Number.isSafeInteger(end))) return -EOVERFLOW;
  return { type, start, end, pid };
}

function writeFlock(k: Kernel, t: Task, va: number, l: { type: number; start: number; end: number; pid: number }): number {
  const b = pack(FLOCK, {
    l_type: l.type, l_whence: SEEK_SET, l_start: l.start, l_len: l.end === Infinity ? 0 : l.end - l.start + 1, l_pid: l.pid,
  });
  return copyout(k.mmctx, t.mm!, va, b) < 0 ? -EFAULT : 0;
}

function fcntlLock(k: Kernel, t: Task, f: File, cmd: number, va: number): number {
  const ofd = cmd === F_OFD_GETLK || cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW;
  const l = readFlock(k, t, f, va);
  if (typeof l === "number") return l;
  if (ofd && l.pid !== 0) return -EINVAL;
  const owner = ofd ? f : t.files;
  if (cmd === F_GETLK || cmd === F_OFD_GETLK) {
    if (l.type === F_UNLCK) return -EINVAL;
    const c = findConflict(f.inode, owner, l.type, l.start, l.end);
    if (!c) {
      // Only l_type changes when there is no conflict.
      const b = pack(FLOCK, { l_type: F_UNLCK }).subarray(0, 2);
      return copyout(k.mmctx, t.mm!, va, b) < 0 ? -EFAULT : 0;
    }
    return writeFlock(k, t, va, { type: c.type, start: c.start, end: c.end, pid: c.ofd ? -1 : c.pid });
  }
  if (l.type === F_RDLCK && !fileReadable(f)) return -EBADF;
  if (l.type === F_WRLCK && !fileWritable(f)) return -EBADF;
  const wait = cmd === F_SETLKW || cmd === F_OFD_SETLKW;
  const lock: PosixLock = { owner, ofd, pid: ofd ? -1 : t.tg.pid, type: l.type, start: l.start, end: l.end };
  const out: { queue: WaitQueue | null } = { queue: null };
  const r = setPosixLock(k, f.inode, lock, wait, out);
  if (r === -EAGAIN && wait && out.queue) {
    const b = blockOn(k, t, out.queue);
    if (t.state === "R") stopWaiting(k, owner); // not sleeping after all: a signal is pending
    return b;
  }
  return r;
}

function sysFcntl(k: Kernel, t: Task): number {
  const fd = argInt(k, 0), cmd = argInt(k, 1);
  const f = fdFile(t, fd);
  if (typeof f === "number") return f;
  const e = t.files.fds[fd]!;
  const pathOnly = (f.flags & O_PATH) !== 0;
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC: {
      const min = argInt(k, 2);
      if (min < 0 || min >= nofile(t)) return -EINVAL;
      const nfd = installFd(t.files, fget(f), cmd === F_DUPFD_CLOEXEC, min, nofile(t), k.mmctx);
      if (nfd < 0) fput(k, f);
      return nfd;
    }
    case F_GETFD: return e.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD: e.cloexec = (argInt(k, 2) & FD_CLOEXEC) !== 0; return 0;
    case F_GETFL: return f.flags | (pathOnly ? 0 : O_LARGEFILE);
  }
  if (pathOnly) return -EBADF;
  switch (cmd) {
    case F_SETFL: {
      const v = argInt(k, 2);
      if ((v & O_DIRECT) && !isReg(f.inode) && !isPipeFile(f)) return -EINVAL;
      f.flags = (f.flags & ~SETFL_MASK) | (v & SETFL_MASK);
      return 0;
    }
    case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
      return fcntlLock(k, t, f, cmd, argU(k, 2));
    case F_GETPIPE_SZ:
      return isPipeFile(f) ? pipeGetSize(f) : -EBADF;
    case F_SETPIPE_SZ:
      return isPipeFile(f) ? pipeSetSize(k, t, f, Number(argS64(k, 2))) : -EBADF;
    case F_SETOWN: case F_SETSIG: return 0;
    case F_GETOWN: case F_GETSIG: return 0;
    case F_SETOWN_EX: return 0;
    case F_GETOWN_EX: return copyout(k.mmctx, t.mm!, argU(k, 2), new Uint8Array(8)) < 0 ? -EFAULT : 0;
    case F_GETLEASE: return F_UNLCK;
    case F_SETLEASE: return isReg(f.inode) ? (argInt(k, 2) === F_UNLCK ? 0 : -EAGAIN) : -EINVAL;
    case F_NOTIFY: return isDir(f.inode) ? 0 : -ENOTDIR;
    // Seals are not kept: a memfd reports F_SEAL_SEAL (no further seals may be added).
    case F_GET_SEALS: return isMemfd(k, f) ? 1 : -EINVAL;
    case F_ADD_SEALS: return isMemfd(k, f) ? -EPERM : -EINVAL;
    default: return -EINVAL;
  }
}

// --- ioctl ---

function sysIoctl(k: Kernel, t: Task): number {
  const fd = argInt(k, 0), cmd = argU32(k, 1), arg = argU(k, 2);
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  const e = t.files.fds[fd]!;
  switch (cmd) {
    case FIOCLEX: e.cloexec = true; return 0;
    case FIONCLEX: e.cloexec = false; return 0;
    case FIONBIO: {
      const v = getUser32(k.mmctx, t.mm!, arg);
      if (v === null) return -EFAULT;
      if (v) f.flags |= O_NONBLOCK; else f.flags &= ~O_NONBLOCK;
      return 0;
    }
    case FIOASYNC: {
      const v = getUser32(k.mmctx, t.mm!, arg);
      if (v === null) return -EFAULT;
      if (v) f.flags |= FASYNC; else f.flags &= ~FASYNC;
      return 0;
    }
    case FIONREAD:
      if (isReg(f.inode)) {
        iopsOf(f.inode).revalidate?.(k, f.inode);
        return putUser32(k.mmctx, t.mm!, arg, Math.max(0, Math.min(0x7fffffff, f.inode.size - f.pos))) < 0 ? -EFAULT : 0;
      }
      break;
    case FIGETBSZ:
      if (isReg(f.inode) || isDir(f.inode)) return putUser32(k.mmctx, t.mm!, arg, PAGE_SIZE) < 0 ? -EFAULT : 0;
      break;
  }
  const ioctl = fopsOf(f).ioctl;
  if (ioctl) return ioctl(k, t, f, cmd, arg);
  return -ENOTTY;
}

// --- flock ---

function sysFlock(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const op = argInt(k, 1);
  const nb = (op & LOCK_NB) !== 0;
  let type: number;
  switch (op & ~LOCK_NB) {
    case LOCK_SH: type = LOCK_SH; break;
    case LOCK_EX: type = LOCK_EX; break;
    case LOCK_UN: type = 0; break;
    default: return -EINVAL;
  }
  const out: { queue: WaitQueue | null } = { queue: null };
  const r = setFlock(k, f, t.tg.pid, type, !nb, out);
  if (r === -EAGAIN && out.queue) return blockOn(k, t, out.queue);
  return r;
}

// --- memfd_create ---

/** The internal tmpfs that holds memfd files (never mounted where a path can reach it). */
function memfdMount(k: Kernel): Mount {
  let m = k.vfs.memfdMount;
  if (!m) {
    const { sb, root } = createTmpfs(k, 0o1777);
    m = internalMount(k, sb, root, "memfd");
    k.vfs.memfdMount = m;
  }
  return m;
}

/** memfd_create(name, flags): an anonymous tmpfs file, already unlinked, freed with its last reference. */
function sysMemfdCreate(k: Kernel, t: Task): number {
  const flags = argU32(k, 1);
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC) || (flags & MFD_HUGETLB)) return -EINVAL;
  const name = copyinString(k.mmctx, t.mm!, argU(k, 0), 250);
  if (typeof name === "number") return name === -ENAMETOOLONG ? -EINVAL : name;
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const m = memfdMount(k);
  const c = t.tg.creds;
  const ino = newInode(k, m.sb, S_IFREG | (flags & MFD_NOEXEC_SEAL ? 0o666 : 0o777), c.fsuid, c.fsgid, 0);
  ino.nlink = 0;
  const d: Dentry = { name: `/memfd:${name} (deleted)`, parent: null, inode: ino, mount: m };
  const f = newFile(k, d, ino.fops, O_RDWR | O_LARGEFILE);
  const fd = installFd(t.files, f, (flags & MFD_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

/** Whether an open file is a memfd (F_GET_SEALS answers for it). */
function isMemfd(k: Kernel, f: File): boolean {
  return f.dentry.mount === k.vfs.memfdMount;
}

// --- pipe2 ---

function sysPipe2(k: Kernel, t: Task): number {
  const va = argU(k, 0), flags = argInt(k, 1);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) return -EINVAL;
  const p = createPipeFiles(k, t, flags);
  if (typeof p === "number") return p;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = installFd(t.files, p.r, cloexec, 0, nofile(t), k.mmctx);
  if (rfd < 0) { destroyPipeFiles(k, p.r, p.w); return rfd; }
  const wfd = installFd(t.files, p.w, cloexec, 0, nofile(t), k.mmctx);
  if (wfd < 0) { t.files.fds[rfd] = null; destroyPipeFiles(k, p.r, p.w); return wfd; }
  const b = pack(PIPEFDS, { rfd, wfd });
  if (copyout(k.mmctx, t.mm!, va, b) < 0) {
    // A failed copy-out undoes what was installed.
    closeFd(k, t.files, rfd);
    closeFd(k, t.files, wfd);
    return -EFAULT;
  }
  return 0;
}

export function registerFdSyscalls(table: SyscallTable): void {
  table[N.SYS_openat] = sysOpenat;
  table[N.SYS_close] = sysClose;
  table[N.SYS_close_range] = sysCloseRange;
  table[N.SYS_dup] = sysDup;
  table[N.SYS_dup3] = sysDup3;
  table[N.SYS_fcntl] = sysFcntl;
  table[N.SYS_ioctl] = sysIoctl;
  table[N.SYS_flock] = sysFlock;
  table[N.SYS_pipe2] = sysPipe2;
  table[N.SYS_memfd_create] = sysMemfdCreate;
}

