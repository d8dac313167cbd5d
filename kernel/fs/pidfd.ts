// pidfd: a file that names one process (pidfd_open), so that a program can
// signal it (pidfd_send_signal) and poll for its exit without the races of a
// bare pid: once the process is reaped its pid may be reused, but the pidfd
// still names the old process and reports it gone (ESRCH) instead of hitting
// the new owner of the number.
//   - The file holds plain data: the process's pid and its start time (a
//     reused pid has another start time).
//   - poll/epoll: readable (POLLIN) once the process has exited (zombie or
//     reaped), and POLLHUP too once it is reaped; the exit path wakes one
//     kernel-wide queue (vfs.pidfdWq) and every poller checks its own pid.
//   - No read or write (EINVAL), as on Linux.
//
// Concepts: C24 (exit and wait: another process observes an exit), C47
// (exit notification through a pollable file), C44 (sending signals).
import type { Kernel } from "../kernel.js";
import type { ThreadGroup } from "../proc/task.js";
import type { File } from "./vfs.js";
import { type WaitQueue, createWaitQueue, wakeUp } from "../sched/wait.js";
import { anonFile } from "./file.js";
import { O_NONBLOCK, POLLIN, POLLRDNORM, POLLHUP } from "../abi/fs.js";
import { EINVAL } from "../abi/errno.js";
import { defineFileOps } from "../lib/fsops.js";

/** What a pidfd names. */
interface PidFd { pid: number; startTime: number }

function pidfdQueue(k: Kernel): WaitQueue {
  k.vfs.pidfdWq ??= createWaitQueue("pidfd");
  return k.vfs.pidfdWq;
}

const pidfdFops = defineFileOps("pidfd", {
  read() { return -EINVAL; },
  write() { return -EINVAL; },
  poll(k, _t, f, io) {
    io.wait = pidfdQueue(k);
    const g = pidfdGroup(k, f);
    if (!g) return POLLIN | POLLRDNORM | POLLHUP;
    return g.zombie ? POLLIN | POLLRDNORM : 0;
  },
});

/** A pidfd for `tg` (the caller installs it, always close-on-exec); O_NONBLOCK is kept as given. */
export function createPidFd(k: Kernel, tg: ThreadGroup, flags: number): File {
  const info: PidFd = { pid: tg.pid, startTime: tg.startTime };
  return anonFile(k, "[pidfd]", pidfdFops, flags & O_NONBLOCK, info);
}

/** Whether `f` is a pidfd. */
export function isPidFd(f: File): boolean {
  return f.ops === pidfdFops;
}

/** The process a pidfd names, or null once it has been reaped (its pid may belong to another process now). */
export function pidfdGroup(k: Kernel, f: File): ThreadGroup | null {
  const p = f.info as PidFd;
  const g = k.groups.get(p.pid);
  return g && g.startTime === p.startTime ? g : null;
}

/** A process exited or was reaped: pollers of pidfds look again. */
export function pidfdNotify(k: Kernel): void {
  if (k.vfs.pidfdWq) wakeUp(k, k.vfs.pidfdWq);
}
