// System V semaphore sets (Linux's ipc/sem.c): semget, semop/semtimedop,
// semctl, and SEM_UNDO. A set is plain data in k.ipc.sysv.sem. semop applies
// its whole array of operations atomically: all of them, or (when one would
// block) none. A blocked semop sleeps on the set's wait queue; any change to
// the set wakes its waiters, whose syscalls rerun and try again. A rerun
// that finds the set removed returns EIDRM; a signal returns EINTR (semop is
// never restarted after a handler, as on Linux); a semtimedop deadline gives
// EAGAIN.
//
// SEM_UNDO: each operation with the flag adds its opposite to the process's
// adjustment for that semaphore (semadj); when the process exits the
// adjustments are applied (clamped to 0..SEMVMX), so a process killed while
// holding a semaphore releases it. Adjustments belong to the process (its
// threads share them, as CLONE_SYSVSEM threads do on Linux), survive execve
// and are not inherited by fork.
//
// Concepts: C34 (semaphores: P/V as atomic kernel operations that may sleep).
import { putU32, putU64 } from "../abi/le.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { nowNs } from "../time/clock.js";
import { addWakeTimer } from "../time/timer.js";
import { createWaitQueue, sleepOn, wakeUp } from "../sched/wait.js";
import { EACCES, EEXIST, EFAULT, EFBIG, EIDRM, EINVAL, ENOENT, ENOSPC, EPERM, EAGAIN, ERANGE, EINTR, ERESTARTNOHAND } from "../abi/errno.js";
import {
  type SemSet, type IpcPerm, IPC_PRIVATE, IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, IPC_64,
  lookupId, lookupForStat, findKey, allocId, freeId, maxIdx, newPerm, ipcPermitted, ipcOwner, putPerm, setPerm,
} from "./sysv.js";
import { ipcSeconds } from "./msg.js";

export const SEM_UNDO = 0x1000;
export const GETPID = 11;
export const GETVAL = 12;
export const GETALL = 13;
export const GETNCNT = 14;
export const GETZCNT = 15;
export const SETVAL = 16;
export const SETALL = 17;
export const SEM_STAT = 18;
export const SEM_INFO = 19;
export const SEM_STAT_ANY = 20;
/** Largest semaphore value, and largest adjustment. */
export const SEMVMX = 32767;
export const SEMAEM = SEMVMX;
/** sizeof(struct semid64_ds), struct seminfo, struct sembuf on riscv64. */
const SEMID_DS_SIZE = 88;
const SEMINFO_SIZE = 40;
export const SEMBUF_SIZE = 6;

export interface SemOp { num: number; op: number; flg: number }

function sysv(k: Kernel) { return k.ipc.sysv; }

/** semget(2). */
export function semGet(k: Kernel, t: Task, key: number, nsems: number, flg: number): number {
  const s = sysv(k), c = t.tg.creds;
  if (nsems < 0 || nsems > s.limits.semmsl) return -EINVAL;
  if (key !== IPC_PRIVATE) {
    const set = findKey(s.sem, key);
    if (set) {
      if ((flg & IPC_CREAT) && (flg & IPC_EXCL)) return -EEXIST;
      if (!ipcPermitted(set.perm, c, flg & 0o777)) return -EACCES;
      if (nsems > set.vals.length) return -EINVAL;
      return set.perm.id;
    }
    if (!(flg & IPC_CREAT)) return -ENOENT;
  }
  if (nsems === 0) return -EINVAL;
  let total = 0;
  for (const x of s.sem.slots) if (x) total += x.vals.length;
  if (total + nsems > s.limits.semmns) return -ENOSPC;
  const perm: IpcPerm = newPerm(key, flg, c);
  const idx = allocId(s.sem, s.limits.semmni, perm);
  if (idx < 0) return -ENOSPC;
  const set: SemSet = { perm, vals: new Array<number>(nsems).fill(0), pids: new Array<number>(nsems).fill(0), otime: 0, ctime: ipcSeconds(k), wait: createWaitQueue("semop") };
  s.sem.slots[idx] = set;
  s.sem.inUse++;
  return perm.id;
}

function done(t: Task, r: number): number {
  t.restart = null;
  return r;
}

/**
 * Try the operations on a copy of the values: the new values; or where it
 * must wait (the semaphore, and whether for zero); or -ERANGE (a value past SEMVMX).
 */
function attempt(set: SemSet, ops: SemOp[]): number[] | { num: number; zero: boolean } | number {
  const v = set.vals.slice();
  for (const o of ops) {
    const cur = v[o.num];
    if (o.op === 0) {
      if (cur !== 0) return { num: o.num, zero: true };
    } else {
      const nv = cur + o.op;
      if (nv < 0) return { num: o.num, zero: false };
      if (nv > SEMVMX) return -ERANGE;
      v[o.num] = nv;
    }
  }
  return v;
}

/** The process's adjustments for `id` (created on demand). */
function undoFor(k: Kernel, pid: number, set: SemSet): number[] {
  const u = sysv(k).undo;
  let m = u.get(pid);
  if (!m) { m = new Map(); u.set(pid, m); }
  let a = m.get(set.perm.id);
  if (!a) { a = new Array<number>(set.vals.length).fill(0); m.set(set.perm.id, a); }
  return a;
}

/**
 * semtimedop(2) with the operations already read from user space.
 * `timeoutNs` is the relative timeout (-1: none), used on the first run only.
 */
export function semOp(k: Kernel, t: Task, nr: number, id: number, ops: SemOp[], timeoutNs: number): number {
  const s = sysv(k);
  const r = t.restart;
  const rerun = r !== null && r.kind === "sysv" && r.nr === nr && r.id === id;
  const set = lookupId(s.sem, id);
  if (!set) return done(t, rerun ? -EIDRM : -EINVAL);
  let alter = false, undo = false;
  for (const o of ops) {
    if (o.num >= set.vals.length) return done(t, -EFBIG);
    if (o.op !== 0) alter = true;
    if (o.flg & SEM_UNDO) undo = true;
  }
  if (!ipcPermitted(set.perm, t.tg.creds, alter ? 0o222 : 0o444)) return done(t, -EACCES);
  if (undo) {
    // Check the adjustments stay within -SEMAEM..SEMAEM before changing anything.
    const cur = sysv(k).undo.get(t.tg.pid)?.get(id);
    const adj = cur ? cur.slice() : new Array<number>(set.vals.length).fill(0);
    for (const o of ops) if (o.flg & SEM_UNDO) {
      adj[o.num] -= o.op;
      if (adj[o.num] < -SEMAEM || adj[o.num] > SEMAEM) return done(t, -ERANGE);
    }
  }
  const res = attempt(set, ops);
  if (typeof res === "number") return done(t, res);
  if (Array.isArray(res)) {
    set.vals = res;
    for (const o of ops) set.pids[o.num] = t.tg.pid;
    if (undo) {
      const a = undoFor(k, t.tg.pid, set);
      for (const o of ops) if (o.flg & SEM_UNDO) a[o.num] -= o.op;
    }
    set.otime = ipcSeconds(k);
    if (alter) wakeUp(k, set.wait);
    return done(t, 0);
  }
  // It must wait: for IPC_NOWAIT on the operation that blocks, EAGAIN.
  const blocking = ops.find((o) => o.num === res.num && (res.zero ? o.op === 0 : o.op < 0));
  if (blocking && (blocking.flg & IPC_NOWAIT)) return done(t, -EAGAIN);
  let deadline = rerun ? r.deadline : 0;
  if (!rerun && timeoutNs >= 0) deadline = Math.max(1, nowNs(k) + timeoutNs);
  if (deadline !== 0 && nowNs(k) >= deadline) return done(t, -EAGAIN);
  if (t.interrupted) return done(t, -EINTR);
  t.restart = { kind: "sysv", nr, id, deadline, semNum: res.num, semZero: res.zero };
  sleepOn(t, set.wait, deadline);
  if (deadline !== 0) addWakeTimer(k, t, deadline);
  // Woken by a signal, the rerun returns EINTR itself (above): Linux's semop is never
  // restarted after a handler, SA_RESTART or not.
  return -ERESTARTNOHAND;
}

/** Tasks blocked on semaphore `num` of `set`, waiting for zero or for an increase. */
function waitCount(set: SemSet, num: number, zero: boolean): number {
  let n = 0;
  for (const w of set.wait.waiters) {
    const r = w.restart;
    if (r && r.kind === "sysv" && r.id === set.perm.id && r.semNum === num && r.semZero === zero) n++;
  }
  return n;
}

/** Forget every process's adjustments for semaphore `num` of `set` (all of them when num < 0). */
function clearUndo(k: Kernel, set: SemSet, num: number): void {
  for (const m of sysv(k).undo.values()) {
    const a = m.get(set.perm.id);
    if (!a) continue;
    if (num < 0) a.fill(0); else a[num] = 0;
  }
}

/** Apply and forget a process's SEM_UNDO adjustments (its last thread is exiting). */
export function semExit(k: Kernel, pid: number): void {
  const s = sysv(k);
  const m = s.undo.get(pid);
  if (!m) return;
  s.undo.delete(pid);
  for (const [id, adj] of m) {
    const set = lookupId(s.sem, id);
    if (!set) continue;
    let changed = false;
    for (let i = 0; i < adj.length && i < set.vals.length; i++) {
      if (adj[i] === 0) continue;
      set.vals[i] = Math.min(SEMVMX, Math.max(0, set.vals[i] + adj[i]));
      set.pids[i] = pid;
      changed = true;
    }
    if (changed) { set.otime = ipcSeconds(k); wakeUp(k, set.wait); }
  }
}

function removeSet(k: Kernel, set: SemSet): void {
  const s = sysv(k);
  freeId(s.sem, set);
  for (const m of s.undo.values()) m.delete(set.perm.id);
  wakeUp(k, set.wait);
}

/** semctl(2). `arg` is the union semun passed by value (an int or a pointer). */
export function semCtl(k: Kernel, t: Task, id: number, num: number, cmd: number, arg: number, argInt: number): number {
  const s = sysv(k), c = t.tg.creds;
  cmd &= ~IPC_64;
  if (id < 0 || cmd < 0) return -EINVAL;
  if (cmd === IPC_INFO || cmd === SEM_INFO) {
    const L = s.limits;
    let used = 0;
    for (const x of s.sem.slots) if (x) used += x.vals.length;
    const b = new Uint8Array(SEMINFO_SIZE);
    // struct seminfo: semmap semmni semmns semmnu semmsl semopm semume semusz semvmx semaem (ipc/sem.c).
    const f = [L.semmni, L.semmni, L.semmns, L.semmns, L.semmsl, L.semopm, L.semopm, 20, SEMVMX, SEMAEM];
    if (cmd === SEM_INFO) { f[7] = s.sem.inUse; f[9] = used; }
    f.forEach((x, i) => putU32(b, i * 4, x));
    if (copyout(k.mmctx, t.mm!, arg, b) < 0) return -EFAULT;
    return Math.max(maxIdx(s.sem), 0);
  }
  if (cmd === IPC_STAT || cmd === SEM_STAT || cmd === SEM_STAT_ANY) {
    const set = lookupForStat(s.sem, id, cmd !== IPC_STAT);
    if (!set) return -EINVAL;
    if (cmd !== SEM_STAT_ANY && !ipcPermitted(set.perm, c, 0o444)) return -EACCES;
    const b = new Uint8Array(SEMID_DS_SIZE);
    putPerm(b, 0, set.perm);
    putU64(b, 48, set.otime);
    putU64(b, 56, set.ctime);
    putU64(b, 64, set.vals.length);
    if (copyout(k.mmctx, t.mm!, arg, b) < 0) return -EFAULT;
    return cmd === IPC_STAT ? 0 : set.perm.id;
  }
  const set = lookupId(s.sem, id);
  switch (cmd) {
    case GETVAL: case GETPID: case GETNCNT: case GETZCNT: {
      if (!set) return -EINVAL;
      if (!ipcPermitted(set.perm, c, 0o444)) return -EACCES;
      if (num < 0 || num >= set.vals.length) return -EINVAL;
      if (cmd === GETVAL) return set.vals[num];
      if (cmd === GETPID) return set.pids[num];
      return waitCount(set, num, cmd === GETZCNT);
    }
    case GETALL: {
      if (!set) return -EINVAL;
      if (!ipcPermitted(set.perm, c, 0o444)) return -EACCES;
      const b = new Uint8Array(set.vals.length * 2);
      set.vals.forEach((x, i) => { b[i * 2] = x & 0xff; b[i * 2 + 1] = x >>> 8; });
      return copyout(k.mmctx, t.mm!, arg, b) < 0 ? -EFAULT : 0;
    }
    case SETVAL: {
      if (!set) return -EINVAL;
      if (num < 0 || num >= set.vals.length) return -EINVAL;
      if (!ipcPermitted(set.perm, c, 0o222)) return -EACCES;
      if (argInt < 0 || argInt > SEMVMX) return -ERANGE;
      set.vals[num] = argInt;
      set.pids[num] = t.tg.pid;
      clearUndo(k, set, num);
      set.ctime = ipcSeconds(k);
      wakeUp(k, set.wait);
      return 0;
    }
    case SETALL: {
      if (!set) return -EINVAL;
      if (!ipcPermitted(set.perm, c, 0o222)) return -EACCES;
      const b = new Uint8Array(set.vals.length * 2);
      if (copyin(k.mmctx, t.mm!, arg, b) < 0) return -EFAULT;
      const v: number[] = [];
      for (let i = 0; i < set.vals.length; i++) {
        const x = (b[i * 2] | (b[i * 2 + 1] << 8));
        if (x > SEMVMX) return -ERANGE;
        v.push(x);
      }
      set.vals = v;
      set.pids.fill(t.tg.pid);
      clearUndo(k, set, -1);
      set.ctime = ipcSeconds(k);
      wakeUp(k, set.wait);
      return 0;
    }
    case IPC_RMID: case IPC_SET: {
      const b = new Uint8Array(SEMID_DS_SIZE);
      if (cmd === IPC_SET) {
        if (copyin(k.mmctx, t.mm!, arg, b) < 0) return -EFAULT;
      }
      if (!set) return -EINVAL;
      if (!ipcOwner(set.perm, c)) return -EPERM;
      if (cmd === IPC_RMID) { removeSet(k, set); return 0; }
      setPerm(b, 0, set.perm);
      set.ctime = ipcSeconds(k);
      return 0;
    }
    default:
      return -EINVAL;
  }
}

/** semop's limit on operations per call (E2BIG past it). */
export function semopMax(k: Kernel): number { return sysv(k).limits.semopm; }
