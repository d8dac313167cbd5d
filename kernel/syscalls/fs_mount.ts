// Mounting and flushing: mount, umount2, sync, syncfs, fsync, fdatasync,
// sync_file_range, and the fadvise64 hint. tmpfs, proc, sysfs, devtmpfs and hostfs are mounted by
// type name through the file-system registry; MS_BIND, MS_MOVE and
// MS_REMOUNT work on existing mounts. Everything here lives in memory (or
// is written through to the host), so the flushes have nothing to wait for
// beyond each file system's own fsync; sync and syncfs write back what
// shared mappings stored in host files (hostfs).
//
// Concepts: C68 (mount, mount points, unmount flushing), C74 (write-back).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32, argS64 } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyinString } from "../mm/uaccess.js";
import { readPath, fdFile, fdFileIO } from "./fs_util.js";
import { lookupAt, LOOKUP_FOLLOW } from "../fs/namei.js";
import { doMount, doUmount, syncFilesystems } from "../fs/mount.js";
import { isDir, isReg, isFifo } from "../fs/inode.js";
import { AT_FDCWD, MS_BIND, MS_MOVE, MS_REMOUNT, UMOUNT_NOFOLLOW } from "../abi/fs.js";
import { EINVAL, EPERM, ESPIPE, ERESTARTSYS } from "../abi/errno.js";
import { syncAll } from "../block/buffer.js";
import { fopsOf } from "../lib/fsops.js";

function sysMount(k: Kernel, t: Task): number {
  const srcVa = argU(k, 0), tgtVa = argU(k, 1), typeVa = argU(k, 2), dataVa = argU(k, 4);
  let flags = argU32(k, 3);
  if ((flags & 0xffff0000) === 0xc0ed0000) flags &= 0xffff; // MS_MGC_VAL
  if (t.tg.creds.euid !== 0) return -EPERM;
  const target = readPath(k, t, tgtVa);
  if (typeof target === "number") return target;
  let source = "";
  if (srcVa) {
    const s = readPath(k, t, srcVa);
    if (typeof s === "number") return s;
    source = s;
  }
  let fstype = "";
  if (typeVa && !(flags & (MS_BIND | MS_MOVE | MS_REMOUNT))) {
    const s = copyinString(k.mmctx, t.mm!, typeVa, 256);
    if (typeof s === "number") return s;
    fstype = s;
  }
  let data = "";
  if (dataVa) {
    const s = copyinString(k.mmctx, t.mm!, dataVa, 4096);
    data = typeof s === "number" ? "" : s;
  }
  const tgt = lookupAt(k, t, AT_FDCWD, target, LOOKUP_FOLLOW);
  if (typeof tgt === "number") return tgt;
  let srcDentry = null;
  if (flags & (MS_BIND | MS_MOVE)) {
    const sd = lookupAt(k, t, AT_FDCWD, source, LOOKUP_FOLLOW);
    if (typeof sd === "number") return sd;
    srcDentry = sd;
  }
  return doMount(k, t, source, tgt, fstype, flags, data, srcDentry);
}

function sysUmount2(k: Kernel, t: Task): number {
  const flags = argInt(k, 1);
  if (t.tg.creds.euid !== 0) return -EPERM;
  const path = readPath(k, t, argU(k, 0));
  if (typeof path === "number") return path;
  const d = lookupAt(k, t, AT_FDCWD, path, flags & UMOUNT_NOFOLLOW ? 0 : LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  return doUmount(k, t, d, flags);
}

function sysFsync(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const fsync = fopsOf(f).fsync;
  if (fsync) return fsync(k, f, t);
  return isReg(f.inode) || isDir(f.inode) ? 0 : -EINVAL;
}

function sysSyncFileRange(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  if (argU32(k, 3) & ~7) return -EINVAL;
  return 0;
}

// posix_fadvise advice values (uapi/linux/fadvise.h): NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTNEED, NOREUSE.
const POSIX_FADV_NOREUSE = 5;

/**
 * fadvise64(fd, offset, len, advice): advice about the access pattern. It is
 * a hint that changes no result, so as Linux does for tmpfs (no backing
 * device) a valid call does nothing and returns 0 on every file system here;
 * the errors are Linux's: EBADF (also O_PATH), ESPIPE on a pipe or FIFO,
 * EINVAL for a negative length or an unknown advice.
 */
function sysFadvise64(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  if (isFifo(f.inode)) return -ESPIPE;
  const advice = argInt(k, 3);
  if (argS64(k, 2) < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE) return -EINVAL;
  return 0;
}

export function registerMountSyscalls(table: SyscallTable): void {
  table[N.SYS_fadvise64] = sysFadvise64;
  table[N.SYS_mount] = sysMount;
  table[N.SYS_umount2] = sysUmount2;
  // sync(2) cannot fail; syncfs(2) reports the file system's write-back error.
  // sync(2) also writes every dirty block buffer and waits for the disks (the task sleeps in D meanwhile; sync returns 0 regardless).
  table[N.SYS_sync] = (k, t) => { syncFilesystems(k); return syncAll(k, t) === -ERESTARTSYS ? -ERESTARTSYS : 0; };
  table[N.SYS_syncfs] = (k, t) => { const f = fdFile(t, argInt(k, 0)); return typeof f === "number" ? f : syncFilesystems(k, f.inode.sb); };
  table[N.SYS_fsync] = sysFsync;
  table[N.SYS_fdatasync] = sysFsync;
  table[N.SYS_sync_file_range] = sysSyncFileRange;
}
