// Inquiry system calls: newfstatat, fstat, statx, statfs, fstatfs and
// getdents64 (directory listing in linux_dirent64 records, resumable at the
// d_off positions it returns).
//
// Concepts: C63 (inode contents: ls -li, stat), C64 (directories are lists
// of names -> inode numbers), C68 (statfs of each mounted file system).
import { pack } from "../abi/layout.js";
import { DIRENT64, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_FDCWD } from "../abi/fs.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt, argU32 } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyout } from "../mm/uaccess.js";
import { readPath, fdFile, fdFileIO } from "./fs_util.js";
import { lookupAt, LOOKUP_FOLLOW, LOOKUP_EMPTY } from "../fs/namei.js";
import { encodeStat, encodeStatx, encodeStatfs } from "../fs/stat.js";
import { isDir } from "../fs/inode.js";
import { EINVAL, EFAULT, ENOTDIR } from "../abi/errno.js";
import { iopsOf } from "../lib/fsops.js";
import { strToBytes } from "../lib/bytestr.js";

function statTarget(k: Kernel, t: Task, dirfd: number, pathVa: number, flags: number): Dentry | number {
  const path = readPath(k, t, pathVa);
  if (typeof path === "number") return path;
  return lookupAt(k, t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) | (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0));
}

function sysNewfstatat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), flags = argInt(k, 3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) return -EINVAL;
  const d = statTarget(k, t, dirfd, argU(k, 1), flags);
  if (typeof d === "number") return d;
  return copyout(k.mmctx, t.mm!, argU(k, 2), encodeStat(k, d.inode)) < 0 ? -EFAULT : 0;
}

function sysFstat(k: Kernel, t: Task): number {
  const f = fdFile(t, argInt(k, 0));
  if (typeof f === "number") return f;
  return copyout(k.mmctx, t.mm!, argU(k, 1), encodeStat(k, f.inode)) < 0 ? -EFAULT : 0;
}

function sysStatx(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), flags = argInt(k, 2), mask = argU32(k, 3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) return -EINVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return -EINVAL;
  if (mask & 0x80000000) return -EINVAL;
  const d = statTarget(k, t, dirfd, argU(k, 1), flags);
  if (typeof d === "number") return d;
  return copyout(k.mmctx, t.mm!, argU(k, 4), encodeStatx(k, d.inode, d.mount)) < 0 ? -EFAULT : 0;
}

function sysStatfs(k: Kernel, t: Task): number {
  const path = readPath(k, t, argU(k, 0));
  if (typeof path === "number") return path;
  const d = lookupAt(k, t, AT_FDCWD, path, LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  return copyout(k.mmctx, t.mm!, argU(k, 1), encodeStatfs(k, d.mount)) < 0 ? -EFAULT : 0;
}

function sysFstatfs(k: Kernel, t: Task): number {
  const f = fdFile(t, argInt(k, 0));
  if (typeof f === "number") return f;
  return copyout(k.mmctx, t.mm!, argU(k, 1), encodeStatfs(k, f.dentry.mount)) < 0 ? -EFAULT : 0;
}

/** getdents64(fd, dirp, count): as many linux_dirent64 records as fit, from the directory offset on. */
function sysGetdents64(k: Kernel, t: Task): number {
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const va = argU(k, 1), count = Math.min(argU(k, 2), 1 << 20);
  if (!isDir(f.inode)) return -ENOTDIR;
  if (f.inode.nlink === 0) return 0; // a removed directory lists nothing
  const readdir = iopsOf(f.inode).readdir;
  if (!readdir) return -ENOTDIR;
  let list = f.pos !== 0 ? f.dirCache : undefined;
  if (!list) {
    const l = readdir(k, f.inode, t);
    if (typeof l === "number") return l;
    list = l;
    f.dirCache = l.length > 0 && l.every((e) => e.off === undefined) ? l : undefined;
  }
  const out = new Uint8Array(count);
  let used = 0;
  let pos = f.pos;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const off = e.off ?? i + 1;
    if (off <= f.pos) continue;
    const name = strToBytes(e.name);
    const reclen = (DIRENT64.size + name.length + 1 + 7) & ~7;
    if (used + reclen > count) {
      if (used === 0) return -EINVAL;
      break;
    }
    pack(DIRENT64, { d_ino: e.ino, d_off: off, d_reclen: reclen, d_type: e.type }, out, used);
    out.set(name, used + DIRENT64.size);
    used += reclen;
    pos = off;
  }
  if (used > 0 && copyout(k.mmctx, t.mm!, va, out.subarray(0, used)) < 0) return -EFAULT;
  f.pos = pos;
  return used;
}

export function registerStatSyscalls(table: SyscallTable): void {
  table[N.SYS_newfstatat] = sysNewfstatat;
  table[N.SYS_fstat] = sysFstat;
  table[N.SYS_statx] = sysStatx;
  table[N.SYS_statfs] = sysStatfs;
  table[N.SYS_fstatfs] = sysFstatfs;
  table[N.SYS_getdents64] = sysGetdents64;
}
