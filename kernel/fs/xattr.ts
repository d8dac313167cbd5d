// Extended attributes (xattr(7)): name=value pairs attached to an inode,
// beside its data, in namespaces that say who may touch them. The rules that
// do not depend on the file system live here, in Linux's order (fs/xattr.c):
// the permission check first (xattr_permission), then the namespace a name
// resolves to (xattr_resolve_name), then the file system's own operations
// (InodeOps.getxattr/setxattr/listxattr/removexattr, vfs.ts), which only
// store and fetch.
//
//   user.*     regular files and directories only (another type: EPERM to
//              write, ENODATA to read); the file's own read/write
//              permission; in a sticky directory only its owner or root
//              writes.
//   trusted.*  root only (others: EPERM to write, ENODATA to read; listxattr
//              leaves them out).
//   security.*, system.*, anything else: EOPNOTSUPP (tsix has no security
//              module and no POSIX ACLs), as Linux for a namespace the file
//              system does not handle.
// A file system without xattr operations (proc, sysfs, devfs, hostfs, the
// mqueue and pipe inodes) answers EOPNOTSUPP to get/set/remove - never
// ENOSYS - and an empty list to listxattr, exactly as Linux (its
// vfs_listxattr falls back to the security module, which lists nothing).
// Programs depend on that: python's shutil.copy2 ignores EOPNOTSUPP.
//
// Names are byte strings (lib/bytestr.ts); values are bytes.
//
// Concepts: C66 (an inode's attributes beyond stat), C27 (who may read and
// change them).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, Inode } from "./vfs.js";
import { iopsOf } from "../lib/fsops.js";
import { permission, fsCred, isOwnerOrRoot } from "./perm.js";
import { isDir, isReg, currentTime } from "./inode.js";
import { MAY_READ, MAY_WRITE, S_ISVTX, MS_RDONLY } from "../abi/fs.js";
import { EEXIST, EINVAL, ENODATA, EOPNOTSUPP, EPERM, ERANGE, EROFS } from "../abi/errno.js";

/** setxattr flags (uapi/linux/xattr.h). */
export const XATTR_CREATE = 1, XATTR_REPLACE = 2;
/** Longest name (bytes, without the NUL), largest value and largest list (limits.h). */
export const XATTR_NAME_MAX = 255, XATTR_SIZE_MAX = 65536, XATTR_LIST_MAX = 65536;

/** The namespaces tsix's file systems store (the prefix includes the dot). */
export const XATTR_USER_PREFIX = "user.", XATTR_TRUSTED_PREFIX = "trusted.";

function isRoot(t: Task): boolean {
  return t.tg.creds.euid === 0;
}

/** xattr_permission: may `t` read (or write) attribute `name` of `ino`? 0 or -errno. */
function xattrPermission(t: Task, ino: Inode, name: string, write: boolean): number {
  if (name.startsWith("security.") || name.startsWith("system.")) return 0;
  if (name.startsWith(XATTR_TRUSTED_PREFIX)) return isRoot(t) ? 0 : write ? -EPERM : -ENODATA;
  if (name.startsWith(XATTR_USER_PREFIX)) {
    if (!isReg(ino) && !isDir(ino)) return write ? -EPERM : -ENODATA;
    if (write && isDir(ino) && (ino.mode & S_ISVTX) && !isOwnerOrRoot(fsCred(t), ino)) return -EPERM;
  }
  return permission(fsCred(t), ino, write ? MAY_WRITE : MAY_READ);
}

/** xattr_resolve_name: 0 when the inode's file system stores `name`, else -EOPNOTSUPP (or -EINVAL for a bare prefix). */
function resolveName(ino: Inode, name: string): number {
  const ops = iopsOf(ino);
  if (!ops.getxattr) return -EOPNOTSUPP;
  for (const p of [XATTR_USER_PREFIX, XATTR_TRUSTED_PREFIX]) {
    if (name.startsWith(p)) return name.length === p.length ? -EINVAL : 0;
  }
  return -EOPNOTSUPP;
}

/** A name from user space (as strncpy_from_user of XATTR_NAME_MAX + 1 bytes gives it): ERANGE when empty or too long. */
export function checkXattrName(name: string): number {
  return name.length === 0 || name.length > XATTR_NAME_MAX ? -ERANGE : 0;
}

/** getxattr: the value, or -errno (ENODATA when there is none). */
export function vfsGetxattr(k: Kernel, t: Task, d: Dentry, name: string): Uint8Array | number {
  const ino = d.inode;
  const p = xattrPermission(t, ino, name, false);
  if (p < 0) return p;
  const r = resolveName(ino, name);
  if (r < 0) return r;
  return iopsOf(ino).getxattr!(k, ino, name);
}

/** setxattr with XATTR_CREATE / XATTR_REPLACE semantics (EEXIST / ENODATA from the file system). */
export function vfsSetxattr(k: Kernel, t: Task, d: Dentry, name: string, value: Uint8Array, flags: number): number {
  const ino = d.inode;
  const r = mayChangeXattr(t, d, name);
  return r < 0 ? r : changed(k, ino, iopsOf(ino).setxattr!(k, ino, name, value, flags));
}

/** removexattr: 0, or -ENODATA when there is no such attribute. */
export function vfsRemovexattr(k: Kernel, t: Task, d: Dentry, name: string): number {
  const ino = d.inode;
  const r = mayChangeXattr(t, d, name);
  return r < 0 ? r : changed(k, ino, iopsOf(ino).removexattr!(k, ino, name));
}

/**
 * What setxattr and removexattr check first, in Linux's order: the mount
 * (mnt_want_write: EROFS for every kind of inode), the permission, the name.
 */
function mayChangeXattr(t: Task, d: Dentry, name: string): number {
  if ((d.mount.flags & MS_RDONLY) || d.mount.sb.readOnly) return -EROFS;
  const p = xattrPermission(t, d.inode, name, true);
  return p < 0 ? p : resolveName(d.inode, name);
}

/** After the file system changed an attribute (`e` = its result): a success updates ctime. */
function changed(k: Kernel, ino: Inode, e: number): number {
  if (e < 0) return e;
  ino.ctime = currentTime(k);
  return 0;
}

/** listxattr: the names `t` may see (trusted.* for root only), in the file system's order; [] where there are none. */
export function vfsListxattr(k: Kernel, t: Task, d: Dentry): string[] | number {
  const ino = d.inode;
  const list = iopsOf(ino).listxattr;
  if (!list) return [];
  const names = list(k, ino);
  if (typeof names === "number") return names;
  return isRoot(t) ? names : names.filter((n) => !n.startsWith(XATTR_TRUSTED_PREFIX));
}

/**
 * A simple in-memory attribute store (tmpfs: Linux's simple_xattr): a Map
 * from name to value, plain data (structuredClone copies it). Returns 0 or
 * -EEXIST (XATTR_CREATE on an existing name) / -ENODATA (XATTR_REPLACE
 * on a missing one).
 */
export function simpleXattrSet(map: Map<string, Uint8Array>, name: string, value: Uint8Array, flags: number): number {
  const has = map.has(name);
  if ((flags & XATTR_CREATE) && has) return -EEXIST;
  if ((flags & XATTR_REPLACE) && !has) return -ENODATA;
  map.set(name, value.slice());
  return 0;
}
