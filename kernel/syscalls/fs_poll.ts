// Waiting for I/O on many descriptors: ppoll, pselect6, epoll_create1,
// epoll_ctl, epoll_pwait(2), and eventfd2. Each asks every file for its
// readiness; if nothing is ready and time remains it sleeps on the task's
// poll queue, hung on every watched file's queue (fs/poll.ts), with a timer
// for the deadline, and looks again when woken. The deadline survives the
// reruns in t.restart. The optional signal mask is installed for the wait
// and the old one kept in t.savedSigmask; it is restored on return (or, when
// a signal interrupts, by the signal delivery code after the handler).
//
// Concepts: C47 (I/O multiplexing), C34 (blocking with a timeout), C44
// (atomic signal-mask swap: pselect/ppoll).
import { pack, unpack, unpackBig } from "../abi/layout.js";
import {
  POLLFD, EPOLL_EVENT, EFD_SEMAPHORE, POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLWRBAND, EPOLL_CLOEXEC, EPOLL_CTL_DEL, O_CLOEXEC, O_NONBLOCK, SIZEOF_POLLFD, SIZEOF_EPOLL_EVENT,
} from "../abi/fs.js";
import { SIGSET, SIGSET_ARGPACK, sigBit, SIGKILL, SIGSTOP } from "../abi/signal.js";
import { fileAllocCheck } from "../fs/file_table.js";
import type { Kernel } from "../kernel.js";
import { nowNs } from "../time/clock.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt, argU32 } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { fdFile, fdFileIO, nofile } from "./fs_util.js";
import { blockOn, filePoll, pollQueue } from "../fs/poll.js";
import { installFd, fput, getFile } from "../fs/fdtable.js";
import { createEpollFile, epollCtl, epollOf, collect } from "../fs/eventpoll.js";
import { createEventFd } from "../fs/eventfd.js";
import { EINVAL, EFAULT, EBADF, ERESTARTSYS, ERESTARTNOHAND, isRestart } from "../abi/errno.js";
import {
  readTimespec, writeTimespec,
} from "./time.js";

/**
 * The deadline (kernel ns; Infinity = none, 0 = do not wait) of this call,
 * from t.restart on a rerun or from `ns` (relative, -1 = none).
 */
function deadlineOf(k: Kernel, t: Task, nr: number, ns: number): number {
  const r = t.restart;
  if (r?.kind === "poll" && r.nr === nr) return r.deadline;
  if (ns < 0) return Infinity;
  if (ns === 0) return 0;
  return nowNs(k) + ns;
}

/** Read a struct timespec: { ns } (ns -1 for a NULL pointer), or -errno. */
function readTimeout(k: Kernel, t: Task, va: number): { ns: number } | number {
  if (va === 0) return { ns: -1 };
  const ns = readTimespec(k, t, va);
  return ns < 0 ? ns : { ns };
}

function writeRemaining(k: Kernel, t: Task, va: number, deadline: number): void {
  if (va === 0 || deadline === Infinity) return;
  writeTimespec(k, t, va, Math.max(0, deadline - nowNs(k)));
}

/** Install the temporary signal mask of ppoll/pselect/epoll_pwait. Returns 0 or -errno. */
function setTempMask(k: Kernel, t: Task, va: number, size: number): number {
  if (va === 0) return 0;
  if (size !== 8) return -EINVAL;
  const b = new Uint8Array(SIGSET.size);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const mask = unpackBig(SIGSET, b, "sig") & ~(sigBit(SIGKILL) | sigBit(SIGSTOP));
  if (t.savedSigmask === null) t.savedSigmask = t.sigmask;
  t.sigmask = mask;
  return 0;
}

/**
 * Finish a call that may have swapped the mask: keep the temporary mask and
 * the restart block while it sleeps or a signal interrupts (delivery restores
 * the saved mask after the handler), otherwise put the old mask back now.
 */
function finish(t: Task, hadMask: boolean, ret: number): number {
  if (isRestart(ret)) return ret;
  t.restart = null;
  if (hadMask && t.savedSigmask !== null) {
    t.sigmask = t.savedSigmask;
    t.savedSigmask = null;
  }
  return ret;
}

/**
 * Sleep until something is ready or the deadline passes. Returns
 * -ERESTARTNOHAND, asleep or with a signal pending: ppoll, pselect6 and
 * epoll_pwait fail with EINTR when a handler runs, whatever SA_RESTART says,
 * and restart with the same deadline otherwise (man 7 signal).
 */
function waitMore(k: Kernel, t: Task, nr: number, deadline: number): number {
  t.restart = { kind: "poll", nr, deadline };
  // blockOn does not sleep when a signal is pending; either way it says -ERESTARTSYS.
  const r = blockOn(k, t, pollQueue(k, t), deadline === Infinity ? 0 : deadline);
  return r === -ERESTARTSYS ? -ERESTARTNOHAND : r;
}

/** A wait a signal interrupted (the task did not go to sleep). */
function interrupted(t: Task, r: number): boolean {
  return isRestart(r) && t.state === "R";
}

// --- ppoll ---

function sysPpoll(k: Kernel, t: Task): number {
  const fdsVa = argU(k, 0), nfds = argU(k, 1), tmo = argU(k, 2), sigVa = argU(k, 3), sigSize = argU(k, 4);
  if (nfds > nofile(t)) return -EINVAL;
  const to = readTimeout(k, t, tmo);
  if (typeof to === "number") return to;
  const ns = to.ns;
  const m = setTempMask(k, t, sigVa, sigSize);
  if (m < 0) return m;
  const hadMask = sigVa !== 0;
  const deadline = deadlineOf(k, t, N.SYS_ppoll, ns);
  const b = new Uint8Array(nfds * SIZEOF_POLLFD);
  if (nfds > 0 && copyin(k.mmctx, t.mm!, fdsVa, b) < 0) return finish(t, hadMask, -EFAULT);
  const timedOut = deadline !== Infinity && nowNs(k) >= deadline;
  const pq = timedOut ? null : pollQueue(k, t);
  let ready = 0;
  for (let i = 0; i < nfds; i++) {
    const p = unpack(POLLFD, b, i * POLLFD.size);
    const fd = p.fd;
    const events = p.events & 0xffff;
    let rev = 0;
    if (fd >= 0) {
      const f = getFile(t.files, fd);
      if (!f) rev = POLLNVAL;
      else rev = filePoll(k, t, f, pq) & (events | POLLERR | POLLHUP);
    }
    pack(POLLFD, { revents: rev }, b, i * POLLFD.size);
    if (rev) ready++;
  }
  if (ready > 0 || timedOut) {
    if (copyout(k.mmctx, t.mm!, fdsVa, b) < 0) return finish(t, hadMask, -EFAULT);
    writeRemaining(k, t, tmo, deadline);
    return finish(t, hadMask, ready);
  }
  const r = waitMore(k, t, N.SYS_ppoll, deadline);
  if (interrupted(t, r)) writeRemaining(k, t, tmo, deadline);
  return finish(t, hadMask, r);
}

// --- pselect6 ---

const POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
const POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
const POLLEX_SET = POLLPRI;

function readFdSet(k: Kernel, t: Task, va: number, bytes: number): Uint8Array | null | number {
  if (va === 0) return null;
  const b = new Uint8Array(bytes);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  return b;
}

function sysPselect6(k: Kernel, t: Task): number {
  let nfds = argInt(k, 0);
  const rVa = argU(k, 1), wVa = argU(k, 2), eVa = argU(k, 3), tmo = argU(k, 4), sigArg = argU(k, 5);
  if (nfds < 0) return -EINVAL;
  nfds = Math.min(nfds, nofile(t));
  const to = readTimeout(k, t, tmo);
  if (typeof to === "number") return to;
  const ns = to.ns;
  let hadMask = false;
  if (sigArg) {
    const b = new Uint8Array(SIGSET_ARGPACK.size);
    if (copyin(k.mmctx, t.mm!, sigArg, b) < 0) return -EFAULT;
    const { p: ss, size: len } = unpack(SIGSET_ARGPACK, b);
    if (ss) {
      const m = setTempMask(k, t, ss, len);
      if (m < 0) return m;
      hadMask = true;
    }
  }
  const deadline = deadlineOf(k, t, N.SYS_pselect6, ns);
  const bytes = Math.ceil(nfds / 64) * 8;
  const sets = [readFdSet(k, t, rVa, bytes), readFdSet(k, t, wVa, bytes), readFdSet(k, t, eVa, bytes)];
  for (const s of sets) if (typeof s === "number") return finish(t, hadMask, s);
  const [rin, win, ein] = sets as (Uint8Array | null)[];
  const outs = [rin ? new Uint8Array(bytes) : null, win ? new Uint8Array(bytes) : null, ein ? new Uint8Array(bytes) : null];
  const timedOut = deadline !== Infinity && nowNs(k) >= deadline;
  const pq = timedOut ? null : pollQueue(k, t);
  let ready = 0;
  for (let fd = 0; fd < nfds; fd++) {
    const bit = 1 << (fd & 7), byte = fd >> 3;
    const wantR = rin !== null && (rin[byte] & bit) !== 0;
    const wantW = win !== null && (win[byte] & bit) !== 0;
    const wantE = ein !== null && (ein[byte] & bit) !== 0;
    if (!wantR && !wantW && !wantE) continue;
    const f = getFile(t.files, fd);
    if (!f) return finish(t, hadMask, -EBADF);
    const mask = filePoll(k, t, f, pq);
    if (wantR && (mask & POLLIN_SET)) { outs[0]![byte] |= bit; ready++; }
    if (wantW && (mask & POLLOUT_SET)) { outs[1]![byte] |= bit; ready++; }
    if (wantE && (mask & POLLEX_SET)) { outs[2]![byte] |= bit; ready++; }
  }
  if (ready > 0 || timedOut) {
    const vas = [rVa, wVa, eVa];
    for (let i = 0; i < 3; i++) {
      const o = outs[i];
      if (o && copyout(k.mmctx, t.mm!, vas[i], o) < 0) return finish(t, hadMask, -EFAULT);
    }
    writeRemaining(k, t, tmo, deadline);
    return finish(t, hadMask, ready);
  }
  const r = waitMore(k, t, N.SYS_pselect6, deadline);
  if (interrupted(t, r)) writeRemaining(k, t, tmo, deadline);
  return finish(t, hadMask, r);
}

// --- epoll ---

function sysEpollCreate1(k: Kernel, t: Task): number {
  const flags = argInt(k, 0);
  if (flags & ~EPOLL_CLOEXEC) return -EINVAL;
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const f = createEpollFile(k, 0);
  const fd = installFd(t.files, f, (flags & EPOLL_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

function sysEpollCtl(k: Kernel, t: Task): number {
  const epfd = argInt(k, 0), op = argInt(k, 1), fd = argInt(k, 2), evVa = argU(k, 3);
  let events = 0, data = 0n;
  if (op !== EPOLL_CTL_DEL) {
    const b = new Uint8Array(SIZEOF_EPOLL_EVENT);
    if (copyin(k.mmctx, t.mm!, evVa, b) < 0) return -EFAULT;
    events = unpack(EPOLL_EVENT, b).events;
    data = unpackBig(EPOLL_EVENT, b, "data");
  }
  const epf = fdFile(t, epfd);
  if (typeof epf === "number") return epf;
  const target = fdFileIO(t, fd);
  if (typeof target === "number") return target;
  if (!epollOf(epf) || epfd === fd) return -EINVAL;
  return epollCtl(k, epf, op, fd, target, events, data);
}

function epollWait(k: Kernel, t: Task, nr: number, ns: number, sigVa: number, sigSize: number): number {
  const epfd = argInt(k, 0), evVa = argU(k, 1), max = argInt(k, 2);
  if (max <= 0 || max > 0x7fffffff / SIZEOF_EPOLL_EVENT) return -EINVAL;
  const epf: File | number = fdFile(t, epfd);
  if (typeof epf === "number") return epf;
  const ep = epollOf(epf);
  if (!ep) return -EINVAL;
  const m = setTempMask(k, t, sigVa, sigSize);
  if (m < 0) return m;
  const hadMask = sigVa !== 0;
  const deadline = deadlineOf(k, t, nr, ns);
  const timedOut = deadline !== Infinity && nowNs(k) >= deadline;
  const evs = collect(k, t, ep, max, timedOut ? null : pollQueue(k, t));
  if (evs.length > 0 || timedOut) {
    const b = new Uint8Array(evs.length * SIZEOF_EPOLL_EVENT);
    evs.forEach((e, i) => { pack(EPOLL_EVENT, { events: e.events, data: e.data }, b, i * EPOLL_EVENT.size); });
    if (evs.length > 0 && copyout(k.mmctx, t.mm!, evVa, b) < 0) return finish(t, hadMask, -EFAULT);
    return finish(t, hadMask, evs.length);
  }
  return finish(t, hadMask, waitMore(k, t, nr, deadline));
}

function sysEpollPwait(k: Kernel, t: Task): number {
  const ms = argInt(k, 3);
  return epollWait(k, t, N.SYS_epoll_pwait, ms < 0 ? -1 : ms * 1e6, argU(k, 4), argU(k, 5));
}

function sysEpollPwait2(k: Kernel, t: Task): number {
  const to = readTimeout(k, t, argU(k, 3));
  if (typeof to === "number") return to;
  return epollWait(k, t, N.SYS_epoll_pwait2, to.ns, argU(k, 4), argU(k, 5));
}

// --- eventfd ---

function sysEventfd2(k: Kernel, t: Task): number {
  const initval = argU32(k, 0), flags = argInt(k, 1);
  if (flags & ~(EFD_SEMAPHORE | O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const f = createEventFd(k, initval, flags);
  const fd = installFd(t.files, f, (flags & O_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

export function registerPollSyscalls(table: SyscallTable): void {
  table[N.SYS_ppoll] = sysPpoll;
  table[N.SYS_pselect6] = sysPselect6;
  table[N.SYS_epoll_create1] = sysEpollCreate1;
  table[N.SYS_epoll_ctl] = sysEpollCtl;
  table[N.SYS_epoll_pwait] = sysEpollPwait;
  table[N.SYS_epoll_pwait2] = sysEpollPwait2;
  table[N.SYS_eventfd2] = sysEventfd2;
}
