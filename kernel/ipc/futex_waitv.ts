// futex_waitv (syscall 449): wait on up to 128 futex words at once and
// learn which one was woken - what Wine/Proton use for
// WaitForMultipleObjects. Each word must still hold its expected value
// (else EAGAIN, before sleeping); the task then sits on the wait queue of
// every word, and an ordinary FUTEX_WAKE on any of them wakes it: the call
// returns that word's index. An absolute timeout on CLOCK_MONOTONIC or
// CLOCK_REALTIME ends it with ETIMEDOUT; a signal with ERESTARTSYS (the
// deadline is absolute, so a restart needs nothing kept but it).
// Blocking is a state: the first run checks and sleeps, the rerun after the
// wake-up reports why it woke (t.futex carries the keys and the index).
//
// Concepts: C34 (waiting on wait queues, not busy waiting), C22 (a task
// asleep on several queues at once; the syscall restarts).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { addWakeTimer } from "../time/timer.js";
import { nowNs } from "../time/clock.js";
import { getUser32 } from "../mm/uaccess.js";
import { createWaitQueue, sleepOn } from "../sched/wait.js";
import { FUTEX_BITSET_MATCH_ANY } from "../abi/futex.js";
import { EAGAIN, EFAULT, ERESTARTSYS, ETIMEDOUT } from "../abi/errno.js";
import { futexKey, futexCancel } from "./futex.js";

/** Most futexes one call may wait on (FUTEX_WAITV_MAX). */
export const FUTEX_WAITV_MAX = 128;

/** One decoded struct futex_waitv (u32 futexes only). */
export interface WaitvEntry { uaddr: number; val: number; priv: boolean }

/** Whether `t` is rerunning a futex_waitv (it keeps its deadline; the arguments are read again). */
export function futexWaitvRerun(t: Task): boolean {
  return t.restart?.kind === "futex_waitv";
}

function finish(k: Kernel, t: Task, ret: number): number {
  futexCancel(k, t);
  t.restart = null;
  return ret;
}

/**
 * Wait on every entry's word. `deadline` is kernel time in ns (0: none),
 * used on the first run only. Returns the woken index, -EAGAIN, -ETIMEDOUT,
 * -EFAULT/-EINVAL for a bad word, or -ERESTARTSYS (asleep, or a signal).
 */
export function futexWaitv(k: Kernel, t: Task, entries: readonly WaitvEntry[], deadline: number): number {
  const mm = t.mm!;
  if (futexWaitvRerun(t)) {
    deadline = t.restart!.kind === "futex_waitv" ? t.restart!.deadline : 0;
    if (t.futex !== null) {
      if (t.futex.woken) return finish(k, t, t.futex.index ?? 0);
      if (t.timedOut) return finish(k, t, -ETIMEDOUT);
      if (t.interrupted) { futexCancel(k, t); return -ERESTARTSYS; }
      futexCancel(k, t); // woken for another reason (stop/continue): check the words again
    }
  }
  const keys: string[] = [];
  for (const e of entries) {
    const key = futexKey(k, mm, e.uaddr, e.priv);
    if (typeof key === "number") return finish(k, t, key);
    keys.push(key);
  }
  for (const e of entries) {
    const cur = getUser32(k.mmctx, mm, e.uaddr);
    if (cur === null) return finish(k, t, -EFAULT);
    if ((cur >>> 0) !== (e.val >>> 0)) return finish(k, t, -EAGAIN);
  }
  if (deadline !== 0 && nowNs(k) >= deadline) return finish(k, t, -ETIMEDOUT);
  if (t.interrupted) { futexCancel(k, t); t.restart = { kind: "futex_waitv", deadline }; return -ERESTARTSYS; }
  const m = k.ipc.futex;
  t.futex = { key: keys[0], keys, bitset: FUTEX_BITSET_MATCH_ANY, woken: false, index: -1 };
  t.restart = { kind: "futex_waitv", deadline };
  // On every other word's queue directly; sleepOn puts it on the first one's and makes it sleep.
  for (let i = keys.length - 1; i >= 0; i--) {
    let q = m.get(keys[i]);
    if (!q) { q = createWaitQueue("futex"); m.set(keys[i], q); }
    if (i === 0) sleepOn(t, q, deadline);
    else if (!q.waiters.includes(t)) q.waiters.push(t);
  }
  if (deadline !== 0) addWakeTimer(k, t, deadline);
  return -ERESTARTSYS;
}
