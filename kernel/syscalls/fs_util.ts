// Helpers shared by the file-system system calls: reading a path argument,
// finding the open file of a descriptor, the descriptor limit, and the
// one way a file syscall goes to sleep (with the signal check that keeps a
// pending signal from being slept through).
//
// Concepts: C04 (argument decoding), C34 (blocking as a state), C44.
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import { copyinString } from "../mm/uaccess.js";
import { getFile } from "../fs/fdtable.js";
import { PATH_MAX, O_PATH } from "../abi/fs.js";
import { EBADF, EFAULT } from "../abi/errno.js";
import { RLIMIT_NOFILE } from "../abi/resource.js";

/** A path argument: the string, or -EFAULT / -ENAMETOOLONG (4096 bytes with the NUL). */
export function readPath(k: Kernel, t: Task, va: number): string | number {
  if (va === 0) return -EFAULT;
  return copyinString(k.mmctx, t.mm!, va, PATH_MAX);
}

/** The open file of `fd`, or -EBADF. */
export function fdFile(t: Task, fd: number): File | number {
  return getFile(t.files, fd) ?? -EBADF;
}

/** The open file of `fd` unless it is an O_PATH descriptor (usable only as a name). */
export function fdFileIO(t: Task, fd: number): File | number {
  const f = getFile(t.files, fd);
  if (!f || (f.flags & O_PATH)) return -EBADF;
  return f;
}

/** RLIMIT_NOFILE: descriptors must stay below it. */
export function nofile(t: Task): number {
  const r = t.tg.rlimits[RLIMIT_NOFILE];
  return Math.min(r ? r.cur : 1024, 1 << 20);
}
