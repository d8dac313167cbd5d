// Helpers shared by the file-system system calls: reading a path argument,
// finding the open file of a descriptor, the descriptor limit, and the
// one way a file syscall goes to sleep (with the signal check that keeps a
// pending signal from being slept through).
//
// Concepts: C04 (argument decoding), C34 (blocking as a state), C44.
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import type { WaitQueue } from "../sched/wait.js";
import { sleepOn } from "../sched/wait.js";
import { addWakeTimer } from "../time/timer.js";
import { copyinString } from "../mm/uaccess.js";
import { getFile } from "../fs/fdtable.js";
import { signalPending } from "../fs/poll.js";
import { PATH_MAX, O_PATH } from "../abi/fs.js";
import { EBADF, EFAULT, ERESTARTSYS } from "../abi/errno.js";
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

/**
 * Sleep on `wq` (until `deadline` ns of kernel time when non-zero) and
 * return -ERESTARTSYS: the syscall runs again when the task wakes. With a
 * signal pending the task does not sleep and the call returns -ERESTARTSYS
 * at once: signal delivery restarts it (no handler, or SA_RESTART) or makes
 * it fail with EINTR (signal.ts). A caller tells the two apart by the task's
 * state: asleep ("S") or still running ("R", interrupted).
 */
export function blockOn(k: Kernel, t: Task, wq: WaitQueue, deadline = 0): number {
  if (signalPending(t)) return -ERESTARTSYS;
  sleepOn(t, wq, deadline);
  if (deadline > 0) addWakeTimer(k, t, deadline);
  return -ERESTARTSYS;
}
