// The path walk (Linux's namei): turn a path into a dentry, one component at
// a time, from the task's root ("/...") or from its working directory or a
// directory descriptor (the *at() calls). On each step the current directory
// must be a directory (ENOTDIR) the caller may search (x permission, EACCES);
// "." stays, ".." climbs the dentry parent chain but never above the task's
// root (chroot) or the global root; a covered directory crosses onto the
// mounted file system; symbolic links are expanded in place (40 of them at
// most, then ELOOP), and the last component's link is followed only when the
// caller asks (stat vs lstat) or the path ends in "/". Names longer than 255
// bytes are ENAMETOOLONG.
//
// Dentries are made by the walk and link to their parents, so a working
// directory or an open directory knows its path (getcwd, /proc/PID/cwd).
//
// Concepts: C68 (VFS: one name space over many file systems, mount points),
// C64 (symbolic links), C72 (search permission on every directory).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, Inode } from "./vfs.js";
import { getFile } from "./fdtable.js";
import { crossMounts } from "./mount.js";
import { isDir, isLnk } from "./inode.js";
import { permission, fsCred, type FsCred, mayModifyDir, stickyCheck } from "./perm.js";
import { AT_FDCWD, NAME_MAX, MAXSYMLINKS, MAY_EXEC, O_PATH, MAY_WRITE, RENAME_NOREPLACE, RENAME_EXCHANGE } from "../abi/fs.js";
import { EBADF, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, EEXIST, EISDIR, EPERM, EINVAL, EBUSY, EXDEV } from "../abi/errno.js";
import { iopsOf } from "../lib/fsops.js";
import { fsnotifyMove } from "./fsnotify.js";
import * as N from "../abi/sysno.js";

/** Follow a symbolic link in the last component. */
export const LOOKUP_FOLLOW = 1;
/** An empty path means the dirfd itself (AT_EMPTY_PATH). */
export const LOOKUP_EMPTY = 4;

/** The outcome of a walk. */
export interface Resolved {
  /** What the path names, or null when its last component does not exist (yet). */
  dentry: Dentry | null;
  /** The directory that holds (or would hold) the last component; null for "/", "." and "..". */
  parent: Dentry | null;
  /** The last component ("/" when the path is only slashes). */
  name: string;
  /** The path ended in "/": the result must be a directory. */
  slash: boolean;
}

export interface WalkOpts {
  /** Check search permission with these ids (access(2) uses the real ids). */
  cred?: FsCred;
}

/** Names are byte strings (lib/bytestr.ts): the length is the byte count. */
function nameTooLong(name: string): boolean {
  return name.length > NAME_MAX;
}

export function sameDentry(a: Dentry, b: Dentry): boolean {
  return a.inode === b.inode && a.mount === b.mount;
}

/** The directory a relative path starts from: the cwd for AT_FDCWD, else the descriptor's dentry. */
export function startDentry(t: Task, dirfd: number): Dentry | number {
  if (dirfd === AT_FDCWD) return t.fs.cwd;
  const f = getFile(t.files, dirfd);
  if (!f) return -EBADF;
  return f.dentry;
}

/** ".." of `cur`: its parent, but never above the task's root. */
function dotdot(k: Kernel, t: Task, cur: Dentry): Dentry {
  const root = t.fs.root;
  if (sameDentry(cur, root) || !cur.parent) return cur;
  return crossMounts(k, cur.parent);
}

/**
 * Walk `path` relative to `dirfd`. Every component but the last must exist;
 * the last may be missing (dentry null) so that creating calls know where to
 * create. Returns -errno for a failure on the way.
 */
export function resolveAt(k: Kernel, t: Task, dirfd: number, path: string, flags: number, opts: WalkOpts = {}): Resolved | number {
  if (!t.fs || !t.fs.root) return -ENOENT;
  if (path === "") {
    if (!(flags & LOOKUP_EMPTY)) return -ENOENT;
    if (dirfd === AT_FDCWD) return { dentry: t.fs.cwd, parent: null, name: ".", slash: false };
    const f = getFile(t.files, dirfd);
    if (!f) return -EBADF;
    return { dentry: f.dentry, parent: null, name: ".", slash: false };
  }
  let cur: Dentry;
  if (path.charCodeAt(0) === 47 /* / */) cur = t.fs.root;
  else {
    const s = startDentry(t, dirfd);
    if (typeof s === "number") return s;
    if (dirfd !== AT_FDCWD && !isDir(s.inode)) return -ENOTDIR;
    cur = s;
  }
  return walk(k, t, cur, path, flags, opts.cred ?? fsCred(t));
}

function pushComponents(stack: string[], path: string): void {
  const parts = path.split("/");
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== "") stack.push(parts[i]);
}

function walk(k: Kernel, t: Task, start: Dentry, path: string, flags: number, cred: FsCred): Resolved | number {
  const slash = path.length > 1 && path.charCodeAt(path.length - 1) === 47;
  const stack: string[] = [];
  pushComponents(stack, path);
  let cur = start;
  let links = 0;
  while (stack.length > 0) {
    const name = stack.pop()!;
    const last = stack.length === 0;
    if (nameTooLong(name)) return -ENAMETOOLONG;
    if (!isDir(cur.inode)) return -ENOTDIR;
    const p = permission(cred, cur.inode, MAY_EXEC);
    if (p < 0) return p;
    if (name === ".") {
      if (last) return { dentry: cur, parent: null, name, slash };
      continue;
    }
    if (name === "..") {
      cur = dotdot(k, t, cur);
      if (last) return { dentry: cur, parent: null, name, slash };
      continue;
    }
    const lookup = iopsOf(cur.inode).lookup;
    const ino = lookup ? lookup(k, cur.inode, name) : -ENOENT;
    if (typeof ino === "number") {
      if (ino === -ENOENT && last) return { dentry: null, parent: cur, name, slash };
      return ino;
    }
    const d = crossMounts(k, { name, parent: cur, inode: ino, mount: cur.mount });
    if (isLnk(d.inode) && (!last || (flags & LOOKUP_FOLLOW) || slash)) {
      if (++links > MAXSYMLINKS) return -ELOOP;
      const target = getLink(k, t, d);
      if (typeof target === "number") return target;
      if (typeof target !== "string") {
        // A magic link (/proc/PID/fd/N): jump to the dentry itself.
        if (last) return { dentry: target, parent: null, name, slash };
        cur = target;
        continue;
      }
      if (target === "") return -ENOENT;
      if (target.charCodeAt(0) === 47) cur = t.fs.root;
      pushComponents(stack, target);
      // cur stays at the link's directory: relative targets resolve from there.
      continue;
    }
    if (last) return { dentry: d, parent: cur, name, slash };
    cur = d;
  }
  // Only slashes, or a symlink to "/": the root itself.
  return { dentry: cur, parent: null, name: "/", slash };
}

/** The target of a symbolic link: a path to walk, or (magic links) a dentry. */
export function getLink(k: Kernel, t: Task, d: Dentry): string | Dentry | number {
  const ops = iopsOf(d.inode);
  if (ops.followLink) return ops.followLink(k, t, d.inode);
  if (ops.readlink) return ops.readlink(k, d.inode, t);
  return -ENOENT;
}

/** Look up an existing file (stat, chdir, open without O_CREAT...). */
export function lookupAt(k: Kernel, t: Task, dirfd: number, path: string, flags: number, opts: WalkOpts = {}): Dentry | number {
  const r = resolveAt(k, t, dirfd, path, flags, opts);
  if (typeof r === "number") return r;
  if (!r.dentry) return -ENOENT;
  if (r.slash && !isDir(r.dentry.inode)) return -ENOTDIR;
  return r.dentry;
}

/** Look up from the task's root or cwd (kernel callers: exec, boot). */
export function lookupPath(k: Kernel, t: Task, path: string, follow = true): Dentry | number {
  return lookupAt(k, t, AT_FDCWD, path, follow ? LOOKUP_FOLLOW : 0);
}

/**
 * The path of `d` as seen from `root` ("/a/b"), or null when `d` is not
 * below `root` (a working directory outside a chroot). getcwd and
 * /proc/PID/cwd use it.
 */
export function dentryPath(d: Dentry, root: Dentry): string | null {
  const parts: string[] = [];
  let cur: Dentry | null = d;
  for (let guard = 0; cur && guard < 4096; guard++) {
    if (sameDentry(cur, root)) return "/" + parts.reverse().join("/");
    if (!cur.parent) return null;
    parts.push(cur.name);
    cur = cur.parent;
  }
  return null;
}

/** A path for display even when unreachable from `root` (Linux prefixes "(unreachable)"). */
export function displayPath(d: Dentry, root: Dentry): string {
  const p = dentryPath(d, root);
  if (p !== null) return p;
  if (!d.parent && d.name !== "/") return d.name;
  const parts: string[] = [];
  let cur: Dentry | null = d;
  while (cur && cur.parent) { parts.unshift(cur.name); cur = cur.parent; }
  return "/" + parts.join("/");
}

/** Whether a descriptor was opened with O_PATH (only usable as a name). */
export function isPathOnly(flags: number): boolean {
  return (flags & O_PATH) !== 0;
}

export function doRename(k: Kernel, t: Task, olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): number {
  const o = resolveAt(k, t, olddirfd, oldpath, 0);
  if (typeof o === "number") return o;
  const n = resolveAt(k, t, newdirfd, newpath, 0);
  if (typeof n === "number") return n;
  if (o.name === "." || o.name === ".." || !o.parent) return -EBUSY;
  if (n.name === "." || n.name === ".." || !n.parent) return o.dentry ? -EBUSY : -ENOENT;
  if (!o.dentry) return -ENOENT;
  const src = o.dentry.inode;
  const dst = n.dentry?.inode ?? null;
  if ((o.slash || n.slash) && !isDir(src)) return -ENOTDIR;
  if (o.parent.mount !== n.parent.mount) return -EXDEV;
  if (n.parent.inode.nlink === 0) return -ENOENT;
  const cred = fsCred(t);
  let p = mayModifyDir(cred, o.parent);
  if (p < 0) return p;
  p = mayModifyDir(cred, n.parent);
  if (p < 0) return p;
  p = stickyCheck(cred, o.parent.inode, src);
  if (p < 0) return p;
  if (dst) {
    p = stickyCheck(cred, n.parent.inode, dst);
    if (p < 0) return p;
  }
  if (src.mounted || o.dentry.mount !== o.parent.mount || (n.dentry && (dst!.mounted || n.dentry.mount !== n.parent.mount))) return -EBUSY;
  if (flags & RENAME_EXCHANGE) {
    if (!dst) return -ENOENT;
    if (isDir(src) && isBelow(n.parent, src)) return -EINVAL;
    if (isDir(dst) && isBelow(o.parent, dst)) return -EINVAL;
  } else {
    if (dst && (flags & RENAME_NOREPLACE)) return -EEXIST;
    if (dst === src) return 0;
    if (dst) {
      if (isDir(src) && !isDir(dst)) return -ENOTDIR;
      if (!isDir(src) && isDir(dst)) return -EISDIR;
    }
    // A directory cannot move below itself.
    if (isDir(src) && isBelow(n.parent, src)) return -EINVAL;
    if (dst && isDir(dst) && sameDentry(n.dentry!, t.fs.root)) return -EBUSY;
  }
  // Moving a directory to another parent rewrites its "..": that needs write permission on it.
  if (isDir(src) && o.parent.inode !== n.parent.inode) {
    p = permission(cred, src, MAY_WRITE);
    if (p < 0) return p;
  }
  const rename = iopsOf(o.parent.inode).rename;
  if (!rename) return -EPERM;
  const r = rename(k, o.parent.inode, o.name, n.parent.inode, n.name, flags);
  if (r === 0) {
    fsnotifyMove(k, o.parent.inode, o.name, n.parent.inode, n.name, src, flags & RENAME_EXCHANGE ? null : dst);
    if (dst && (flags & RENAME_EXCHANGE)) fsnotifyMove(k, n.parent.inode, n.name, o.parent.inode, o.name, dst, null);
  }
  return r;
}

/** Whether `d` is `anc` or below it. */
export function isBelow(d: Dentry, anc: Inode): boolean {
  for (let c: Dentry | null = d; c; c = c.parent) if (c.inode === anc) return true;
  return false;
}
