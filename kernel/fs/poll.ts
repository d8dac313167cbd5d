// The readiness mechanism behind poll, select and epoll. A polling task asks
// every file for its ready mask (FileOps.poll, which also names the wait
// queue that is woken when the mask may change). If nothing is ready, the
// task's own poll queue is hung on each of those queues as a "poller" and the
// task sleeps there (with a deadline for a timeout); a wake-up on any watched
// queue wakes it, and the syscall runs again and looks afresh.
//
// Concepts: C34 (waiting instead of busy-waiting), C47 (I/O multiplexing
// over pipes, terminals and sockets).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "./vfs.js";
import { type WaitQueue, createWaitQueue, sleepOn } from "../sched/wait.js";
import { DEFAULT_POLLMASK } from "../abi/fs.js";
import { sigBit, SIGKILL } from "../abi/signal.js";
import { fopsOf } from "../lib/fsops.js";
import { addWakeTimer } from "../time/timer.js";
import { ERESTARTSYS } from "../abi/errno.js";

/** The queue task `t` sleeps on while polling (one per task, reused). */
export function pollQueue(k: Kernel, t: Task): WaitQueue {
  const m = k.vfs.pollQueues;
  let q = m.get(t);
  if (!q) {
    // Forget the queues of tasks that are gone.
    if (m.size > 64) for (const x of m.keys()) if (x.state === "X" || x.state === "Z") m.delete(x);
    q = createWaitQueue("poll");
    m.set(t, q);
  }
  return q;
}

/** Hang `pq` on `wq` so that waking `wq` wakes whoever sleeps on `pq`. */
export function addPoller(wq: WaitQueue, pq: WaitQueue): void {
  if (wq === pq) return;
  const ps = wq.pollers ?? (wq.pollers = []);
  if (!ps.includes(pq)) ps.push(pq);
}

/** The ready mask of `f`; with `pq`, also register pq on the queue the file would wake. */
export function filePoll(k: Kernel, t: Task, f: File, pq: WaitQueue | null): number {
  const poll = fopsOf(f).poll;
  if (!poll) return DEFAULT_POLLMASK;
  const io: IoCtx = { wait: null, also: null };
  const mask = poll(k, t, f, io);
  if (pq && io.wait) addPoller(io.wait, pq);
  if (pq && io.also) addPoller(io.also, pq);
  return mask;
}

/** Whether a signal that is not blocked is waiting for `t` (Linux's signal_pending). */
export function signalPending(t: Task): boolean {
  // Nearly always nothing is pending: answer that without BigInt arithmetic,
  // which makes a heap number per operation (this runs at every blocking
  // read and write and every partial copy of a pipe).
  const own = t.pending, shared = t.tg.sharedPending;
  if (own === 0n && shared === 0n) return false;
  const pend = own | shared;
  if (pend & SIGKILL_BIT) return true;
  return (pend & ~t.sigmask) !== 0n;
}

const SIGKILL_BIT = sigBit(SIGKILL);

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
