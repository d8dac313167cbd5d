// Futexes: the kernel half of every pthread mutex, condition variable,
// semaphore and pthread_join. User space does the fast path with atomics on
// a 32-bit word; only when it must wait does it call FUTEX_WAIT ("sleep if
// the word still holds the value I saw"), and the unlocker calls FUTEX_WAKE.
// Waiters sleep on a wait queue chosen by a key: (address space, address)
// for a private word, or the physical address of the word for one in a
// MAP_SHARED mapping (so different processes find the same queue).
// Also: bitset wake-ups, requeueing (condition variables), WAKE_OP, timeouts
// against CLOCK_MONOTONIC or CLOCK_REALTIME, and the robust-list walk at
// thread exit (a dead owner's lock gets FUTEX_OWNER_DIED).
//
// Concepts: C33 (threads: pthread_join wakes on CHILD_CLEARTID), C34 (a
// mutex waits on a wait queue instead of busy waiting).
import { unpackBig } from "../abi/layout.js";
import { ROBUST_LIST_HEAD, ROBUST_LIST, FUTEX_BITSET_MATCH_ANY, FUTEX_WAITERS, FUTEX_OWNER_DIED, FUTEX_TID_MASK } from "../abi/futex.js";
import type { Kernel } from "../kernel.js";
import { addWakeTimer } from "../time/timer.js";
import { nowNs, realtimeDelta } from "../time/clock.js";
import type { Task, FutexWaiter } from "../proc/task.js";
import type { MM } from "../mm/mm.js";
import { findVma } from "../mm/mm.js";
import { MAP_SHARED } from "../abi/mman.js";
import { userPage, getUser32, putUser32, copyin } from "../mm/uaccess.js";
import { type SysvState, createSysvState } from "./sysv.js";
import { type MqState, createMqState } from "./mqueue.js";
import { type WaitQueue, createWaitQueue, sleepOn, wakeTask } from "../sched/wait.js";
import { EAGAIN, EFAULT, EINVAL, ENOSYS, ERESTARTSYS, ERESTART_RESTARTBLOCK, ETIMEDOUT } from "../abi/errno.js";

/** Linux's bound on robust-list walking (ROBUST_LIST_LIMIT). */
const ROBUST_LIST_LIMIT = 2048;

/** Inter-process communication state (k.ipc): plain data, made at boot. */
export interface IpcState {
  /** The futex hash table: key -> queue of waiters. */
  futex: Map<string, WaitQueue>;
  /** System V message queues, semaphores and shared memory (sysv.ts). */
  sysv: SysvState;
  /** POSIX message queues (mqueue.ts). */
  mq: MqState;
}

export function createIpcState(): IpcState {
  return { futex: new Map(), sysv: createSysvState(), mq: createMqState() };
}

/** The futex hash table: key -> queue of waiters. */
function table(k: Kernel): Map<string, WaitQueue> {
  return k.ipc.futex;
}

/** The key of the futex word at `uaddr`, or -errno. */
export function futexKey(k: Kernel, mm: MM, uaddr: number, priv: boolean): string | number {
  if (uaddr % 4 !== 0) return -EINVAL;
  if (!priv) {
    const vma = findVma(mm, uaddr);
    if (!vma) return -EFAULT;
    if (vma.flags & MAP_SHARED) {
      const off = userPage(k.mmctx, mm, uaddr, false);
      if (off < 0) return -EFAULT;
      return `s${off}`;
    }
  }
  return `m${mm.root}:${uaddr}`;
}

function dropIfEmpty(k: Kernel, key: string): void {
  const q = table(k).get(key);
  if (q && q.waiters.length === 0) table(k).delete(key);
}

/** Whether a waiter waits on `key` (a futex_waitv waiter on any of its keys). */
function futexWaitsOn(w: FutexWaiter, key: string): boolean {
  return w.key === key || (w.keys !== undefined && w.keys.includes(key));
}

/** Wake up to `n` waiters of `key` whose bitset intersects `bitset`. Returns how many. */
export function wakeKey(k: Kernel, key: string, n: number, bitset: number): number {
  const q = table(k).get(key);
  if (!q) return 0;
  let woke = 0;
  for (const w of [...q.waiters]) {
    if (woke >= Math.max(1, n)) break;
    if (!w.futex || w.futex.woken || !futexWaitsOn(w.futex, key) || ((w.futex.bitset & bitset) >>> 0) === 0) continue;
    w.futex.woken = true;
    if (w.futex.keys) w.futex.index = w.futex.keys.indexOf(key);
    wakeTask(k, w);
    woke++;
  }
  dropIfEmpty(k, key);
  return woke;
}

/** FUTEX_WAKE on behalf of the kernel (CLONE_CHILD_CLEARTID at thread exit). */
export function futexWake(k: Kernel, t: Task, uaddr: number, n: number): number {
  if (!t.mm) return 0;
  const key = futexKey(k, t.mm, uaddr, false);
  if (typeof key === "number") return 0;
  return wakeKey(k, key, n, FUTEX_BITSET_MATCH_ANY);
}

/** Forget a waiter that is going away (thread exit). */
export function futexCancel(k: Kernel, t: Task): void {
  if (!t.futex) return;
  // A futex_waitv waiter sits on the queue of each of its keys.
  for (const key of t.futex.keys ?? [t.futex.key]) {
    const q = table(k).get(key);
    if (q) q.waiters = q.waiters.filter((x) => x !== t);
    dropIfEmpty(k, key);
  }
  t.futex = null;
}

/** Whether `t` is rerunning a FUTEX_WAIT (after a sleep or a restart): it keeps its deadline. */
export function futexWaitRerun(t: Task): boolean {
  return t.restart?.kind === "futex_wait";
}

function finishWait(k: Kernel, t: Task, ret: number): number {
  futexCancel(k, t);
  t.restart = null;
  return ret;
}

/**
 * FUTEX_WAIT / FUTEX_WAIT_BITSET. Restartable: the first run checks the word
 * and sleeps; the rerun after a wake-up reports why it woke. `timeoutNs` is
 * the decoded timeout (-1: none), read only on the first run.
 */
export function futexWait(k: Kernel, t: Task, uaddr: number, val: number, timeoutNs: number, bitset: number,
  priv: boolean, absolute: boolean, realtime: boolean): number {
  if (bitset === 0) return -EINVAL;
  const mm = t.mm!;
  const rerun = futexWaitRerun(t);
  let deadline = keptDeadline(t);
  if (rerun && t.futex !== null) {
    // Back from a sleep on the queue: why did it end?
    if (t.futex.woken) return finishWait(k, t, 0);
    if (t.timedOut) return finishWait(k, t, -ETIMEDOUT);
    if (t.interrupted) return interrupted(k, t, deadline);
    futexCancel(k, t); // woken for another reason (stop/continue): check the word again
  }
  if (!rerun && timeoutNs >= 0) {
    const ns = timeoutNs;
    deadline = absolute ? (realtime ? ns - realtimeDelta(k) : ns) : nowNs(k) + ns;
    if (deadline <= 0) deadline = 1; // already expired, but 0 means "no timeout"
  }
  const key = futexKey(k, mm, uaddr, priv);
  if (typeof key === "number") return finishWait(k, t, key);
  const cur = getUser32(k.mmctx, mm, uaddr);
  if (cur === null) return finishWait(k, t, -EFAULT);
  if ((cur >>> 0) !== (val >>> 0)) return finishWait(k, t, -EAGAIN);
  if (deadline !== 0 && nowNs(k) >= deadline) return finishWait(k, t, -ETIMEDOUT);
  if (t.interrupted) return interrupted(k, t, deadline);
  const m = table(k);
  let q = m.get(key);
  if (!q) { q = createWaitQueue("futex"); m.set(key, q); }
  t.futex = { key, bitset: bitset >>> 0, woken: false };
  t.restart = { kind: "futex_wait", deadline };
  sleepOn(t, q, deadline);
  if (deadline !== 0) addWakeTimer(k, t, deadline);
  return waitRestartCode(deadline);
}

/**
 * A timed wait restarts from its restart block and fails with EINTR when a
 * handler runs (Linux's futex_wait_restart); an untimed one is restarted
 * by SA_RESTART handlers too.
 */
function waitRestartCode(deadline: number): number {
  return deadline !== 0 ? -ERESTART_RESTARTBLOCK : -ERESTARTSYS;
}

/** The deadline a rerun keeps from its restart block (0: none, or a first run). */
function keptDeadline(t: Task): number {
  return t.restart?.kind === "futex_wait" ? t.restart.deadline : 0;
}

/**
 * A signal is pending: leave the queue and return the restart code. The
 * restart block stays, so a restart keeps the original deadline.
 */
function interrupted(k: Kernel, t: Task, deadline: number): number {
  futexCancel(k, t);
  t.restart = { kind: "futex_wait", deadline };
  return waitRestartCode(deadline);
}

/** FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wake some waiters of uaddr, move others to uaddr2. */
export function futexRequeue(k: Kernel, t: Task, uaddr: number, nrWake: number, nrRequeue: number, uaddr2: number,
  cmp: number | null, priv: boolean): number {
  if (nrWake < 0 || nrRequeue < 0) return -EINVAL;
  const mm = t.mm!;
  const key1 = futexKey(k, mm, uaddr, priv);
  if (typeof key1 === "number") return key1;
  const key2 = futexKey(k, mm, uaddr2, priv);
  if (typeof key2 === "number") return key2;
  if (cmp !== null) {
    const cur = getUser32(k.mmctx, mm, uaddr);
    if (cur === null) return -EFAULT;
    if ((cur >>> 0) !== (cmp >>> 0)) return -EAGAIN;
  }
  const m = table(k);
  const q1 = m.get(key1);
  if (!q1) return 0;
  let woke = 0;
  for (const w of [...q1.waiters]) {
    if (woke >= nrWake) break;
    if (!w.futex || w.futex.woken) continue;
    w.futex.woken = true;
    if (w.futex.keys) w.futex.index = w.futex.keys.indexOf(key1);
    wakeTask(k, w);
    woke++;
  }
  let moved = 0;
  if (key1 !== key2) {
    let q2 = m.get(key2);
    while (moved < nrRequeue && q1.waiters.length > 0) {
      if (!q2) { q2 = createWaitQueue("futex"); m.set(key2, q2); }
      const w = q1.waiters.shift()!;
      q2.waiters.push(w);
      w.waitingOn = q2;
      if (w.futex?.keys) {
        // A futex_waitv waiter: the requeued futex's slot now names the new word.
        const i = w.futex.keys.indexOf(key1);
        if (i >= 0) w.futex.keys[i] = key2;
        w.futex.key = w.futex.keys[0];
      } else if (w.futex) w.futex.key = key2;
      moved++;
    }
  }
  dropIfEmpty(k, key1);
  return woke + moved;
}

function signExtend12(x: number): number {
  return (x << 20) >> 20;
}

/** FUTEX_WAKE_OP: *uaddr2 = op(*uaddr2, oparg); wake uaddr; wake uaddr2 too if the old value passes cmp. */
export function futexWakeOp(k: Kernel, t: Task, uaddr: number, nrWake: number, nrWake2: number, uaddr2: number,
  encoded: number, priv: boolean): number {
  const mm = t.mm!;
  const key1 = futexKey(k, mm, uaddr, priv);
  if (typeof key1 === "number") return key1;
  const key2 = futexKey(k, mm, uaddr2, priv);
  if (typeof key2 === "number") return key2;
  let op = (encoded >>> 28) & 0xf;
  const cmp = (encoded >>> 24) & 0xf;
  let oparg = signExtend12((encoded >>> 12) & 0xfff);
  const cmparg = signExtend12(encoded & 0xfff);
  if (op & 8) { op &= 7; oparg = oparg < 0 || oparg > 31 ? 0 : (1 << oparg) | 0; }
  const old = getUser32(k.mmctx, mm, uaddr2);
  if (old === null) return -EFAULT;
  let nv: number;
  switch (op) {
    case 0: nv = oparg; break;
    case 1: nv = (old + oparg) | 0; break;
    case 2: nv = old | oparg; break;
    case 3: nv = old & ~oparg; break;
    case 4: nv = old ^ oparg; break;
    default: return -ENOSYS;
  }
  let pass: boolean;
  switch (cmp) {
    case 0: pass = old === cmparg; break;
    case 1: pass = old !== cmparg; break;
    case 2: pass = old < cmparg; break;
    case 3: pass = old <= cmparg; break;
    case 4: pass = old > cmparg; break;
    case 5: pass = old >= cmparg; break;
    default: return -ENOSYS;
  }
  if (putUser32(k.mmctx, mm, uaddr2, nv) < 0) return -EFAULT;
  let woke = nrWake > 0 ? wakeKey(k, key1, nrWake, FUTEX_BITSET_MATCH_ANY) : 0;
  if (pass && nrWake2 > 0) woke += wakeKey(k, key2, nrWake2, FUTEX_BITSET_MATCH_ANY);
  return woke;
}

/** Read a u64 from user memory as a BigInt (null on fault). */
/** The next pointer of the robust_list entry at va. */
function nextEntry(k: Kernel, mm: MM, va: number): bigint | null {
  const b = new Uint8Array(ROBUST_LIST.size);
  if (copyin(k.mmctx, mm, va, b) < 0) return null;
  return unpackBig(ROBUST_LIST, b, "next");
}

/** A robust lock whose owner died: mark it FUTEX_OWNER_DIED and wake one waiter. */
function handleFutexDeath(k: Kernel, t: Task, uaddr: number): void {
  const mm = t.mm!;
  if (uaddr % 4 !== 0) return;
  const v = getUser32(k.mmctx, mm, uaddr);
  if (v === null) return;
  const uval = v >>> 0;
  if ((uval & FUTEX_TID_MASK) !== t.tid) return;
  const nv = ((uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0;
  if (putUser32(k.mmctx, mm, uaddr, nv | 0) < 0) return;
  if (uval & FUTEX_WAITERS) futexWake(k, t, uaddr, 1);
}

/** Walk the thread's robust list (set_robust_list) at exit. */
export function exitRobustList(k: Kernel, t: Task): void {
  const mm = t.mm;
  const head = t.robustList;
  if (!mm || !head) return;
  const hb = new Uint8Array(ROBUST_LIST_HEAD.size);
  if (copyin(k.mmctx, mm, head, hb) < 0) return;
  const first = unpackBig(ROBUST_LIST_HEAD, hb, "list_next");
  const off = Number(unpackBig(ROBUST_LIST_HEAD, hb, "futex_offset"));
  const pendingRaw = unpackBig(ROBUST_LIST_HEAD, hb, "list_op_pending");
  const pending = Number(pendingRaw & ~1n);
  let entry = Number(first & ~1n);
  for (let n = 0; entry !== head && entry !== 0 && n < ROBUST_LIST_LIMIT; n++) {
    const next = nextEntry(k, mm, entry);
    if (next === null) return;
    if (entry !== pending) handleFutexDeath(k, t, entry + off);
    entry = Number(next & ~1n);
  }
  if (pending) handleFutexDeath(k, t, pending + off);
}
