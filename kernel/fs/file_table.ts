// The system's open files: making a File (an entry of Linux's open-file
// table: its dentry, mode, offset and reference count), counting them
// against fs.file-max (what /proc/sys/fs/file-nr shows) and charging each to
// kernel memory, and what an open mode allows. Everything that creates open
// files (open, pipes, sockets, epoll, eventfd) comes here.
//
// Concepts: C66 (the open-file table entry), C68 (limits: fs.file-max).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Dentry, File } from "./vfs.js";
import { O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, O_PATH } from "../abi/fs.js";
import { ENFILE, ENOMEM } from "../abi/errno.js";
import { KMEM_FILE, kmemFits, kmemForceCharge, kmemUncharge } from "../mm/kmem.js";

/**
 * Open files in the whole system (fs.file-nr) and their limit (fs.file-max).
 * Linux's default limit is 10% of RAM at 1 KiB a file, at least 8192.
 */
export interface FilesStat { nr: number }

export function filesStat(k: Kernel): FilesStat {
  return k.vfs.files;
}

export function fileMax(k: Kernel): number {
  return k.sysctl.fileMax;
}

/**
 * May `t` open `n` more files? ENFILE past fs.file-max (root is exempt, as
 * CAP_SYS_ADMIN is on Linux), ENOMEM when RAM has no room for them (each is
 * charged, kmem.ts). Called where syscalls make new open files.
 */
export function fileAllocCheck(k: Kernel, t: Task, n = 1): number {
  if (filesStat(k).nr + n > fileMax(k) && t.tg.creds.euid !== 0) return -ENFILE;
  return kmemFits(k.mmctx, n * KMEM_FILE) ? 0 : -ENOMEM;
}

/** Account a new open file (newFile does it; files made elsewhere call it too). */
export function fileAccount(k: Kernel): void {
  filesStat(k).nr++;
  kmemForceCharge(k.pm, KMEM_FILE);
}

/** An open file's last reference is gone (fput). */
export function fileUnaccount(k: Kernel): void {
  const s = filesStat(k);
  if (s.nr > 0) s.nr--;
  kmemUncharge(k.pm, KMEM_FILE);
}

/** A new open file on `d` with one reference (takes an inode reference). */
export function newFile(k: Kernel, d: Dentry, ops: string, flags: number, info: unknown = null): File {
  d.inode.refs++;
  fileAccount(k);
  return { dentry: d, inode: d.inode, flags, pos: 0, refs: 1, ops, info };
}

export function fileReadable(f: File): boolean {
  const a = f.flags & O_ACCMODE;
  return !(f.flags & O_PATH) && (a === O_RDONLY || a === O_RDWR);
}

export function fileWritable(f: File): boolean {
  const a = f.flags & O_ACCMODE;
  return !(f.flags & O_PATH) && (a === O_WRONLY || a === O_RDWR);
}
