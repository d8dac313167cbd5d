// Wait queues: where blocked tasks wait for an event (data in a pipe, a child
// exiting, a futex word changing, a timer). Blocking is a state, not a
// suspended JavaScript call: a syscall that cannot finish puts its task on a
// queue, marks it sleeping and returns -ERESTARTSYS; the task's pc stays on
// its ecall, so when it is woken and scheduled the same syscall runs again
// from its saved registers (DESIGN.md, "Blocking is a state, and syscalls
// restart").
//
// Wake-ups take the kernel they happen in (there is no global "waker"): two
// kernels in one process never touch each other's run queues.
//
// Concepts: C22 (blocked state, wait queues), C34 (waiting vs busy waiting).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { makeRunnable } from "./core.js";
import { cancelWakeTimer } from "../time/timer.js";

export interface WaitQueue {
  /** For traces and /proc/PID/wchan. */
  readonly name: string;
  waiters: Task[];
  /**
   * Queues of tasks in poll/select/epoll that watch this one (fs/poll.ts):
   * woken, and forgotten, whenever this queue is woken.
   */
  pollers?: WaitQueue[];
}

export function createWaitQueue(name: string): WaitQueue {
  return { name, waiters: [] };
}

/**
 * Put `t` to sleep on `wq` (optionally until kernel time `deadline` ns).
 * The caller returns -ERESTARTSYS from its syscall handler.
 */
export function sleepOn(t: Task, wq: WaitQueue, deadline = 0): void {
  if (t.waitingOn && t.waitingOn !== wq) removeWaiter(t.waitingOn, t);
  if (!wq.waiters.includes(t)) wq.waiters.push(t);
  t.waitingOn = wq;
  t.wakeAt = deadline;
  t.timedOut = false;
  t.interrupted = false;
  t.state = "S";
}

function removeWaiter(wq: WaitQueue, t: Task): void {
  const i = wq.waiters.indexOf(t);
  if (i >= 0) wq.waiters.splice(i, 1);
}

/** Wake one sleeping task `t` (from whatever queue it is on). */
export function wakeTask(k: Kernel, t: Task): void {
  if (t.waitingOn) removeWaiter(t.waitingOn, t);
  t.waitingOn = null;
  if (t.wakeAt !== 0) { cancelWakeTimer(k, t); t.wakeAt = 0; }
  if (t.state === "S" || t.state === "D") {
    t.state = "R";
    makeRunnable(k, t);
  }
}

/**
 * Wake every task sleeping on `wq`. Returns how many woke. `preempt` false:
 * the wake-ups do not preempt the running task (core.ts makeRunnable).
 */
export function wakeUp(k: Kernel, wq: WaitQueue, preempt = true): number {
  if (wq.pollers && wq.pollers.length) for (const p of wq.pollers.splice(0)) wakeUp(k, p, preempt);
  const ws = wq.waiters;
  if (ws.length === 0) return 0;
  if (ws.length === 1) {
    // The common case (a pipe's one reader or writer): empty the queue in
    // place rather than make a new array at every wake-up. A task that
    // sleeps on it again while being woken lands in the same, now empty, array.
    const t = ws[0];
    ws.length = 0;
    if (t.waitingOn !== wq) return 0;
    t.waitingOn = null;
    if (t.wakeAt !== 0) { cancelWakeTimer(k, t); t.wakeAt = 0; }
    if (t.state !== "S" && t.state !== "D") return 0;
    t.state = "R";
    makeRunnable(k, t, preempt);
    return 1;
  }
  wq.waiters = [];
  let n = 0;
  for (const t of ws) {
    if (t.waitingOn === wq) {
      t.waitingOn = null;
      if (t.wakeAt !== 0) { cancelWakeTimer(k, t); t.wakeAt = 0; }
      if (t.state === "S" || t.state === "D") {
        t.state = "R";
        makeRunnable(k, t, preempt);
        n++;
      }
    }
  }
  return n;
}

/** Wake at most `n` tasks (futex wake semantics). Returns how many woke. */
export function wakeUpN(k: Kernel, wq: WaitQueue, n: number, filter?: (t: Task) => boolean): number {
  if (wq.pollers && wq.pollers.length) for (const p of wq.pollers.splice(0)) wakeUp(k, p);
  let woke = 0;
  for (let i = 0; i < wq.waiters.length && woke < n;) {
    const t = wq.waiters[i];
    if (filter && !filter(t)) { i++; continue; }
    wq.waiters.splice(i, 1);
    t.waitingOn = null;
    if (t.wakeAt !== 0) { cancelWakeTimer(k, t); t.wakeAt = 0; }
    if (t.state === "S" || t.state === "D") {
      t.state = "R";
      makeRunnable(k, t);
      woke++;
    }
  }
  return woke;
}
