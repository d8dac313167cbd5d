// The xattr system calls: setxattr, getxattr, listxattr, removexattr, each
// on a path (following a final symbolic link), an lpath (not following it)
// and a descriptor. The argument rules are Linux's (fs/xattr.c), in its
// order: flags, then the name (empty or longer than 255 bytes: ERANGE), then
// the value size (over 64 KiB: E2BIG), then the path; getxattr and
// listxattr cut a buffer size above 64 KiB down to 64 KiB and answer E2BIG
// instead of ERANGE when even that is too small. fs/xattr.ts does the rest.
//
// Concepts: C04 (argument decoding), C66 (extended attributes).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout, copyinString } from "../mm/uaccess.js";
import { lookupAt, LOOKUP_FOLLOW } from "../fs/namei.js";
import { AT_FDCWD } from "../abi/fs.js";
import { E2BIG, EFAULT, EINVAL, ENAMETOOLONG, ERANGE } from "../abi/errno.js";
import { readPath, fdFileIO } from "./fs_util.js";
import { strToBytes } from "../lib/bytestr.js";
import {
  XATTR_CREATE, XATTR_REPLACE, XATTR_NAME_MAX, XATTR_SIZE_MAX, XATTR_LIST_MAX,
  checkXattrName, vfsGetxattr, vfsSetxattr, vfsListxattr, vfsRemovexattr,
} from "../fs/xattr.js";

/** How the object is named: a path that is followed, a path that is not (l*), or a descriptor (f*). */
type Via = "path" | "lpath" | "fd";

/** The dentry the first argument names. */
function target(k: Kernel, t: Task, via: Via): Dentry | number {
  if (via === "fd") {
    const f = fdFileIO(t, argInt(k, 0));
    return typeof f === "number" ? f : f.dentry;
  }
  const path = readPath(k, t, argU(k, 0));
  if (typeof path === "number") return path;
  return lookupAt(k, t, AT_FDCWD, path, via === "path" ? LOOKUP_FOLLOW : 0);
}

/** The attribute name argument (a1): a byte string, or -EFAULT / -ERANGE (empty, or more than 255 bytes). */
function xattrName(k: Kernel, t: Task): string | number {
  const name = copyinString(k.mmctx, t.mm!, argU(k, 1), XATTR_NAME_MAX + 1);
  if (name === -ENAMETOOLONG) return -ERANGE;
  if (typeof name === "number") return name;
  return checkXattrName(name) || name;
}

function sysSetxattr(k: Kernel, t: Task, via: Via): number {
  const flags = argInt(k, 4);
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -EINVAL;
  const name = xattrName(k, t);
  if (typeof name === "number") return name;
  const size = argU(k, 3);
  if (size > XATTR_SIZE_MAX) return -E2BIG;
  const value = new Uint8Array(size);
  if (size > 0 && copyin(k.mmctx, t.mm!, argU(k, 2), value) < 0) return -EFAULT;
  const d = target(k, t, via);
  if (typeof d === "number") return d;
  return vfsSetxattr(k, t, d, name, value, flags);
}

function sysGetxattr(k: Kernel, t: Task, via: Via): number {
  const name = xattrName(k, t);
  if (typeof name === "number") return name;
  const size = Math.min(argU(k, 3), XATTR_SIZE_MAX);
  const d = target(k, t, via);
  if (typeof d === "number") return d;
  const v = vfsGetxattr(k, t, d, name);
  if (typeof v === "number") return v;
  if (size === 0) return v.length;
  if (v.length > size) return size >= XATTR_SIZE_MAX ? -E2BIG : -ERANGE;
  return copyout(k.mmctx, t.mm!, argU(k, 2), v) < 0 ? -EFAULT : v.length;
}

function sysListxattr(k: Kernel, t: Task, via: Via): number {
  const size = Math.min(argU(k, 2), XATTR_LIST_MAX);
  const d = target(k, t, via);
  if (typeof d === "number") return d;
  const names = vfsListxattr(k, t, d);
  if (typeof names === "number") return names;
  // Each name with its NUL, one after another.
  const list = strToBytes(names.map((n) => n + "\0").join(""));
  if (size === 0) return list.length;
  if (list.length > size) return size >= XATTR_LIST_MAX ? -E2BIG : -ERANGE;
  return copyout(k.mmctx, t.mm!, argU(k, 1), list) < 0 ? -EFAULT : list.length;
}

function sysRemovexattr(k: Kernel, t: Task, via: Via): number {
  const name = xattrName(k, t);
  if (typeof name === "number") return name;
  const d = target(k, t, via);
  if (typeof d === "number") return d;
  return vfsRemovexattr(k, t, d, name);
}

export function registerXattrSyscalls(table: SyscallTable): void {
  table[N.SYS_setxattr] = (k, t) => sysSetxattr(k, t, "path");
  table[N.SYS_lsetxattr] = (k, t) => sysSetxattr(k, t, "lpath");
  table[N.SYS_fsetxattr] = (k, t) => sysSetxattr(k, t, "fd");
  table[N.SYS_getxattr] = (k, t) => sysGetxattr(k, t, "path");
  table[N.SYS_lgetxattr] = (k, t) => sysGetxattr(k, t, "lpath");
  table[N.SYS_fgetxattr] = (k, t) => sysGetxattr(k, t, "fd");
  table[N.SYS_listxattr] = (k, t) => sysListxattr(k, t, "path");
  table[N.SYS_llistxattr] = (k, t) => sysListxattr(k, t, "lpath");
  table[N.SYS_flistxattr] = (k, t) => sysListxattr(k, t, "fd");
  table[N.SYS_removexattr] = (k, t) => sysRemovexattr(k, t, "path");
  table[N.SYS_lremovexattr] = (k, t) => sysRemovexattr(k, t, "lpath");
  table[N.SYS_fremovexattr] = (k, t) => sysRemovexattr(k, t, "fd");
}
