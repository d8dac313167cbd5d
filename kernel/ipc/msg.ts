// System V message queues (Linux's ipc/msg.c): msgget, msgsnd, msgrcv,
// msgctl. A queue is plain data in k.ipc.sysv.msg; its messages are byte
// arrays. Blocking is a state: a sender without room or a receiver without a
// matching message sleeps on the queue's wait queue and returns
// ERESTARTNOHAND; every change to the queue wakes the other side, whose
// syscall reruns and looks again. A rerun that finds its queue removed
// returns EIDRM; a signal ends the wait with EINTR once a handler runs (and
// a restart when none does), as on Linux.
//
// Concepts: C42 (message passing: a kernel-held queue of typed messages).
import { getU64, getI64, putU32, putU64 } from "../abi/le.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { nowNs, realtimeDelta } from "../time/clock.js";
import { createWaitQueue, sleepOn, wakeUp } from "../sched/wait.js";
import { E2BIG, EACCES, EEXIST, EFAULT, EIDRM, EINVAL, ENOENT, ENOMSG, ENOSPC, ENOSYS, EPERM, EAGAIN, ERESTARTNOHAND } from "../abi/errno.js";
import {
  type MsgQueue, type IpcPerm, IPC_PRIVATE, IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, IPC_64,
  lookupId, lookupForStat, findKey, allocId, freeId, maxIdx, newPerm, ipcPermitted, ipcOwner, putPerm, setPerm,
} from "./sysv.js";

export const MSG_NOERROR = 0o10000;
export const MSG_EXCEPT = 0o20000;
export const MSG_COPY = 0o40000;
export const MSG_STAT = 11;
export const MSG_INFO = 12;
export const MSG_STAT_ANY = 13;
/** sizeof(struct msqid64_ds) and struct msginfo on riscv64. */
const MSQID_DS_SIZE = 120;
const MSGINFO_SIZE = 32;

/** Wall-clock seconds (msg_stime and friends). */
export function ipcSeconds(k: Kernel): number {
  return Math.floor((realtimeDelta(k) + nowNs(k)) / 1e9);
}

function sysv(k: Kernel) { return k.ipc.sysv; }

/** msgget(2). */
export function msgGet(k: Kernel, t: Task, key: number, flg: number): number {
  const s = sysv(k), c = t.tg.creds;
  if (key !== IPC_PRIVATE) {
    const q = findKey(s.msg, key);
    if (q) {
      if ((flg & IPC_CREAT) && (flg & IPC_EXCL)) return -EEXIST;
      if (!ipcPermitted(q.perm, c, flg & 0o777)) return -EACCES;
      return q.perm.id;
    }
    if (!(flg & IPC_CREAT)) return -ENOENT;
  }
  const perm: IpcPerm = newPerm(key, flg, c);
  const idx = allocId(s.msg, s.limits.msgmni, perm);
  if (idx < 0) return -ENOSPC;
  const q: MsgQueue = {
    perm, msgs: [], cbytes: 0, qbytes: s.limits.msgmnb, stime: 0, rtime: 0, ctime: ipcSeconds(k), lspid: 0, lrpid: 0,
    sendWait: createWaitQueue("msgsnd"), recvWait: createWaitQueue("msgrcv"),
  };
  s.msg.slots[idx] = q;
  s.msg.inUse++;
  return perm.id;
}

/** The queue `id` names, or -errno: EIDRM for a task that slept on it and finds it gone. */
function queueFor(k: Kernel, t: Task, id: number, nr: number): MsgQueue | number {
  const q = lookupId(sysv(k).msg, id);
  if (q) return q;
  const r = t.restart;
  const wasWaiting = r !== null && r.kind === "sysv" && r.nr === nr && r.id === id;
  t.restart = null;
  return wasWaiting ? -EIDRM : -EINVAL;
}

/** Sleep on `wq` for object `id`; the syscall reruns when woken. */
function block(t: Task, wq: ReturnType<typeof createWaitQueue>, nr: number, id: number): number {
  t.restart = { kind: "sysv", nr, id, deadline: 0, semNum: 0, semZero: false };
  if (t.interrupted) return -ERESTARTNOHAND;
  sleepOn(t, wq);
  return -ERESTARTNOHAND;
}

function done(t: Task, r: number): number {
  t.restart = null;
  return r;
}

/** msgsnd(2): `ptr` holds a long mtype followed by `size` bytes of text. */
export function msgSnd(k: Kernel, t: Task, nr: number, id: number, ptr: number, size: number, flg: number): number {
  const s = sysv(k);
  if (size < 0 || size > s.limits.msgmax || id < 0) return done(t, -EINVAL);
  const hdr = new Uint8Array(8);
  if (copyin(k.mmctx, t.mm!, ptr, hdr) < 0) return done(t, -EFAULT);
  const type = getI64(hdr, 0);
  if (type < 1) return done(t, -EINVAL);
  const data = new Uint8Array(size);
  if (size > 0 && copyin(k.mmctx, t.mm!, ptr + 8, data) < 0) return done(t, -EFAULT);
  const q = queueFor(k, t, id, nr);
  if (typeof q === "number") return q;
  if (!ipcPermitted(q.perm, t.tg.creds, 0o222)) return done(t, -EACCES);
  // Linux's test: the bytes fit in msg_qbytes and so does one more message (a queue of
  // empty messages still fills up).
  if (size + q.cbytes > q.qbytes || 1 + q.msgs.length > q.qbytes) {
    if (flg & IPC_NOWAIT) return done(t, -EAGAIN);
    return block(t, q.sendWait, nr, id);
  }
  q.msgs.push({ type, data });
  q.cbytes += size;
  q.lspid = t.tg.pid;
  q.stime = ipcSeconds(k);
  wakeUp(k, q.recvWait);
  return done(t, 0);
}

/** The index of the message msgrcv's `msgtyp` selects, or -1. */
function pick(q: MsgQueue, msgtyp: number, flg: number): number {
  if (msgtyp === 0) return q.msgs.length ? 0 : -1;
  if (msgtyp > 0) {
    for (let i = 0; i < q.msgs.length; i++) {
      const m = q.msgs[i];
      if ((flg & MSG_EXCEPT) ? m.type !== msgtyp : m.type === msgtyp) return i;
    }
    return -1;
  }
  // Negative: the first message of the lowest type <= |msgtyp|.
  let best = -1;
  for (let i = 0; i < q.msgs.length; i++) {
    const m = q.msgs[i];
    if (m.type <= -msgtyp && (best < 0 || m.type < q.msgs[best].type)) best = i;
  }
  return best;
}

/** msgrcv(2). Returns the number of text bytes copied. */
export function msgRcv(k: Kernel, t: Task, nr: number, id: number, ptr: number, size: number, msgtyp: number, flg: number): number {
  if (size < 0 || id < 0) return done(t, -EINVAL);
  if (flg & MSG_COPY) return done(t, -ENOSYS); // Linux without CONFIG_CHECKPOINT_RESTORE
  const q = queueFor(k, t, id, nr);
  if (typeof q === "number") return q;
  if (!ipcPermitted(q.perm, t.tg.creds, 0o444)) return done(t, -EACCES);
  const i = pick(q, msgtyp, flg);
  if (i < 0) {
    if (flg & IPC_NOWAIT) return done(t, -ENOMSG);
    return block(t, q.recvWait, nr, id);
  }
  const m = q.msgs[i];
  if (m.data.length > size && !(flg & MSG_NOERROR)) return done(t, -E2BIG);
  const n = Math.min(size, m.data.length);
  const out = new Uint8Array(8 + n);
  putU64(out, 0, m.type);
  out.set(m.data.subarray(0, n), 8);
  // As Linux: the message leaves the queue first, then is copied out; a bad
  // buffer gives EFAULT and the message is gone.
  q.msgs.splice(i, 1);
  q.cbytes -= m.data.length;
  q.lrpid = t.tg.pid;
  q.rtime = ipcSeconds(k);
  wakeUp(k, q.sendWait);
  if (copyout(k.mmctx, t.mm!, ptr, out) < 0) return done(t, -EFAULT);
  return done(t, n);
}

function removeQueue(k: Kernel, q: MsgQueue): void {
  freeId(sysv(k).msg, q);
  // Waiters rerun, find the identifier gone and return EIDRM.
  wakeUp(k, q.sendWait);
  wakeUp(k, q.recvWait);
}

/** Total messages and bytes over all queues (MSG_INFO). */
function totals(k: Kernel): { msgs: number; bytes: number } {
  let msgs = 0, bytes = 0;
  for (const q of sysv(k).msg.slots) if (q) { msgs += q.msgs.length; bytes += q.cbytes; }
  return { msgs, bytes };
}

/** msgctl(2). `buf` is a user address. */
export function msgCtl(k: Kernel, t: Task, id: number, cmd: number, buf: number): number {
  const s = sysv(k), c = t.tg.creds;
  cmd &= ~IPC_64;
  if (id < 0 || cmd < 0) return -EINVAL;
  if (cmd === IPC_INFO || cmd === MSG_INFO) {
    const b = new Uint8Array(MSGINFO_SIZE);
    const L = s.limits, tot = totals(k);
    // struct msginfo: msgpool msgmap msgmax msgmnb msgmni msgssz msgtql msgseg (ipc/msg.c msg_info).
    putU32(b, 0, cmd === MSG_INFO ? s.msg.inUse : Math.floor(L.msgmni * L.msgmnb / 1024));
    putU32(b, 4, cmd === MSG_INFO ? tot.msgs : L.msgmnb / 16 | 0);
    putU32(b, 8, L.msgmax);
    putU32(b, 12, L.msgmnb);
    putU32(b, 16, L.msgmni);
    putU32(b, 20, 16);
    putU32(b, 24, cmd === MSG_INFO ? tot.bytes : L.msgmnb / 16 | 0);
    b[28] = 0xff; b[29] = 0xff; // msgseg (unsigned short)
    if (copyout(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
    return Math.max(maxIdx(s.msg), 0);
  }
  if (cmd === IPC_STAT || cmd === MSG_STAT || cmd === MSG_STAT_ANY) {
    const q = lookupForStat(s.msg, id, cmd !== IPC_STAT);
    if (!q) return -EINVAL;
    if (cmd !== MSG_STAT_ANY && !ipcPermitted(q.perm, c, 0o444)) return -EACCES;
    const b = new Uint8Array(MSQID_DS_SIZE);
    putPerm(b, 0, q.perm);
    putU64(b, 48, q.stime);
    putU64(b, 56, q.rtime);
    putU64(b, 64, q.ctime);
    putU64(b, 72, q.cbytes);
    putU64(b, 80, q.msgs.length);
    putU64(b, 88, q.qbytes);
    putU32(b, 96, q.lspid);
    putU32(b, 100, q.lrpid);
    if (copyout(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
    return cmd === IPC_STAT ? 0 : q.perm.id;
  }
  if (cmd !== IPC_SET && cmd !== IPC_RMID) return -EINVAL;
  const b = new Uint8Array(MSQID_DS_SIZE);
  if (cmd === IPC_SET) {
    if (copyin(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
  }
  const q = lookupId(s.msg, id);
  if (!q) return -EINVAL;
  if (!ipcOwner(q.perm, c)) return -EPERM;
  if (cmd === IPC_RMID) { removeQueue(k, q); return 0; }
  const qbytes = Number(getU64(b, 88));
  if (qbytes > s.limits.msgmnb && c.euid !== 0) return -EPERM; // raising past msgmnb needs CAP_SYS_RESOURCE
  setPerm(b, 0, q.perm);
  q.qbytes = qbytes;
  q.ctime = ipcSeconds(k);
  wakeUp(k, q.sendWait); // more room, perhaps
  return 0;
}
