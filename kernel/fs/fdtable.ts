// File descriptor tables: descriptor number -> open file (shared by
// reference count) plus the close-on-exec flag. fork copies the table (both
// point at the same open files, sharing offsets); CLONE_FILES shares the
// table itself; exec closes close-on-exec descriptors. Closing a
// descriptor drops the POSIX record locks the table holds on the file (the
// table is the lock owner, as in Linux); the last reference to an open file
// drops its flock/OFD locks and then the inode reference.
//
// Concepts: C66 (fd table -> open-file table with reference counts),
// C67 (0/1/2, dup, redirection).
import type { Kernel } from "../kernel.js";
import type { FdTable, File } from "./vfs.js";
import { EBADF, EMFILE, ENOMEM } from "../abi/errno.js";
import type { MmContext } from "../mm/mm.js";
import { KMEM_FD_SLOT, kmemCharge, kmemForceCharge, kmemUncharge } from "../mm/kmem.js";
import { iput } from "./inode.js";
import { removePosixLocks, releaseFileLocks } from "./locks.js";
import { fileUnaccount } from "./file_table.js";
import { fopsOf } from "../lib/fsops.js";
import { fsnotifyClose } from "./fsnotify.js";

export const NR_OPEN_DEFAULT = 1024;

export function createFdTable(): FdTable {
  return { fds: [], refs: 1, charged: 0 };
}

/**
 * The table grows to `len` slots: charge the new slots to RAM (a root
 * process with RLIMIT_NOFILE at fs.nr_open could otherwise make a
 * million-slot table per process). False when RAM has no room.
 */
function growCharge(mm: MmContext | undefined, fdt: FdTable, len: number, force = false): boolean {
  if (!mm || len <= fdt.charged) return true;
  const bytes = (len - fdt.charged) * KMEM_FD_SLOT;
  if (force) kmemForceCharge(mm.pm, bytes);
  else if (!kmemCharge(mm, bytes)) return false;
  fdt.charged = len;
  return true;
}

/** Take a reference to an open file. */
export function fget(f: File): File {
  f.refs++;
  return f;
}

/** Drop a reference; the last one releases the file (and its inode reference). */
export function fput(k: Kernel, f: File): void {
  if (--f.refs > 0) return;
  fsnotifyClose(k, f);
  if (f.inode.locks) releaseFileLocks(k, f);
  fopsOf(f).release?.(k, f);
  fileUnaccount(k);
  iput(k, f.inode);
}

/** A descriptor of `fdt` that referred to `f` is going away: the table's record locks on the file go with it. */
function filpClose(k: Kernel, fdt: FdTable, f: File): void {
  if (f.inode.locks) removePosixLocks(k, f.inode, fdt);
  fput(k, f);
}

export function getFile(fdt: FdTable, fd: number): File | undefined {
  if (fd < 0 || fd >= fdt.fds.length) return undefined;
  return fdt.fds[fd]?.file;
}

/**
 * Install `f` (the caller's reference moves into the table) at the lowest
 * free fd >= minFd. With `mm` (k.mmctx), growing the table is charged to RAM (ENOMEM
 * when it has no room); boot code that makes PID 1's stdio passes none.
 */
export function installFd(fdt: FdTable, f: File, cloexec: boolean, minFd = 0, limit = NR_OPEN_DEFAULT, mm?: MmContext): number {
  let fd = minFd;
  while (fd < fdt.fds.length && fdt.fds[fd]) fd++;
  if (fd >= limit) return -EMFILE;
  if (!growCharge(mm, fdt, fd + 1)) return -ENOMEM;
  fdt.fds[fd] = { file: f, cloexec };
  return fd;
}

/** Put `f` at exactly `fd` (dup2/dup3), closing what was there; -ENOMEM (nothing done) when the table cannot grow. */
export function installFdAt(k: Kernel, fdt: FdTable, fd: number, f: File, cloexec: boolean): number {
  if (!growCharge(k.mmctx, fdt, fd + 1)) return -ENOMEM;
  const old = fdt.fds[fd];
  while (fdt.fds.length < fd) fdt.fds.push(null);
  fdt.fds[fd] = { file: f, cloexec };
  if (old) filpClose(k, fdt, old.file);
  return 0;
}

export function closeFd(k: Kernel, fdt: FdTable, fd: number): number {
  const e = fd >= 0 && fd < fdt.fds.length ? fdt.fds[fd] : null;
  if (!e) return -EBADF;
  fdt.fds[fd] = null;
  filpClose(k, fdt, e.file);
  return 0;
}

/** fork without CLONE_FILES: a new table pointing at the same open files (its slots charged like the parent's). */
export function forkFdTable(fdt: FdTable, mm?: MmContext): FdTable {
  const copy: FdTable = { fds: fdt.fds.map((e) => (e ? { file: fget(e.file), cloexec: e.cloexec } : null)), refs: 1, charged: 0 };
  growCharge(mm, copy, copy.fds.length, true);
  return copy;
}

/** Drop one task's use of a table; the last user closes every descriptor. */
export function releaseFdTable(k: Kernel, fdt: FdTable): void {
  if (--fdt.refs > 0) return;
  const all = fdt.fds;
  fdt.fds = [];
  kmemUncharge(k.pm, fdt.charged * KMEM_FD_SLOT);
  fdt.charged = 0;
  for (const e of all) if (e) filpClose(k, fdt, e.file);
}

/** execve: close the close-on-exec descriptors. */
export function closeOnExec(k: Kernel, fdt: FdTable): void {
  for (let fd = 0; fd < fdt.fds.length; fd++) {
    const e = fdt.fds[fd];
    if (e && e.cloexec) { fdt.fds[fd] = null; filpClose(k, fdt, e.file); }
  }
}
