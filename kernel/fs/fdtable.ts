// File descriptor tables: descriptor number -> open file (shared by
// reference count) plus the close-on-exec flag. fork copies the table (both
// point at the same open files, sharing offsets); CLONE_FILES shares the
// table itself; exec closes close-on-exec descriptors.
//
// Concepts: C66 (fd table -> open-file table with reference counts),
// C67 (0/1/2, dup, redirection).
import type { Kernel } from "../kernel.js";
import type { FdTable, File } from "./vfs.js";
import { EBADF, EMFILE } from "../abi/errno.js";

export const NR_OPEN_DEFAULT = 1024;

export function createFdTable(): FdTable {
  return { fds: [], refs: 1 };
}

/** Take a reference to an open file. */
export function fget(f: File): File {
  f.refs++;
  return f;
}

/** Drop a reference; the last one releases the file (and its inode reference). */
export function fput(k: Kernel, f: File): void {
  if (--f.refs > 0) return;
  f.ops.release?.(k, f);
  const ino = f.inode;
  if (--ino.refs <= 0 && ino.nlink === 0) ino.iops.evict?.(k, ino);
}

export function getFile(fdt: FdTable, fd: number): File | undefined {
  if (fd < 0 || fd >= fdt.fds.length) return undefined;
  return fdt.fds[fd]?.file;
}

/** Install `f` (the caller's reference moves into the table) at the lowest free fd >= minFd. */
export function installFd(fdt: FdTable, f: File, cloexec: boolean, minFd = 0, limit = NR_OPEN_DEFAULT): number {
  let fd = minFd;
  while (fd < fdt.fds.length && fdt.fds[fd]) fd++;
  if (fd >= limit) return -EMFILE;
  fdt.fds[fd] = { file: f, cloexec };
  return fd;
}

/** Put `f` at exactly `fd` (dup2/dup3), closing what was there. */
export function installFdAt(k: Kernel, fdt: FdTable, fd: number, f: File, cloexec: boolean): void {
  const old = fdt.fds[fd];
  while (fdt.fds.length < fd) fdt.fds.push(null);
  fdt.fds[fd] = { file: f, cloexec };
  if (old) fput(k, old.file);
}

export function closeFd(k: Kernel, fdt: FdTable, fd: number): number {
  const e = fd >= 0 && fd < fdt.fds.length ? fdt.fds[fd] : null;
  if (!e) return -EBADF;
  fdt.fds[fd] = null;
  fput(k, e.file);
  return 0;
}

/** fork without CLONE_FILES: a new table pointing at the same open files. */
export function forkFdTable(fdt: FdTable): FdTable {
  return { fds: fdt.fds.map((e) => (e ? { file: fget(e.file), cloexec: e.cloexec } : null)), refs: 1 };
}

/** Drop one task's use of a table; the last user closes every descriptor. */
export function releaseFdTable(k: Kernel, fdt: FdTable): void {
  if (--fdt.refs > 0) return;
  const all = fdt.fds;
  fdt.fds = [];
  for (const e of all) if (e) fput(k, e.file);
}

/** execve: close the close-on-exec descriptors. */
export function closeOnExec(k: Kernel, fdt: FdTable): void {
  for (let fd = 0; fd < fdt.fds.length; fd++) {
    const e = fdt.fds[fd];
    if (e && e.cloexec) { fdt.fds[fd] = null; fput(k, e.file); }
  }
}
