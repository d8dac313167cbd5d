// POSIX per-process timers: timer_create, timer_settime, timer_gettime,
// timer_getoverrun, timer_delete, and the kernel timer that expires them.
// A timer lives in its process (tg.posixTimers): fork gives the child none,
// exec and exit delete them. It runs on CLOCK_REALTIME, MONOTONIC or
// BOOTTIME (a kernel timer at its deadline), or on a CPU-time clock
// (PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID, or a clock id of
// clock_getcpuclockid / pthread_getcpuclockid naming this process or one of
// its threads), which is checked after at least the CPU time still missing
// has passed in kernel time, as setitimer's VIRTUAL/PROF timers are.
// On expiry it queues its signal (SIGEV_SIGNAL to the process,
// SIGEV_THREAD_ID to one thread; glibc's SIGEV_THREAD is a helper thread
// that waits for a SIGEV_THREAD_ID signal) with si_code SI_TIMER, si_timerid,
// si_overrun and sigev_value; SIGEV_NONE only counts. As on Linux a timer
// queues at most one signal at a time: expirations while it is still pending
// add to its si_overrun, which timer_getoverrun reports for the last signal
// delivered. The number of timers is bounded, as on Linux, by
// RLIMIT_SIGPENDING (each timer holds a preallocated queued signal), so a
// timer flood gets EAGAIN. /proc/PID/timers (fs/proc/pid.ts) lists them.
//
// Concepts: C12 (timers), C44 (a timer's expiry is a signal).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup, PosixTimer } from "../proc/task.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { EINVAL, EFAULT, EAGAIN, EOPNOTSUPP } from "../abi/errno.js";
import { layout, unpack, pack } from "../abi/layout.js";
import {
  CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_BOOTTIME,
  CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM, TIMER_ABSTIME,
} from "../abi/time.js";
import { SIGALRM, NSIG, SI_TIMER } from "../abi/signal.js";
import { RLIMIT_SIGPENDING } from "../abi/resource.js";
import { addTimer } from "../time/timer.js";
import { nowNs } from "../time/clock.js";
import { wallClockNow, kernelDeadline, expireTimer, armTimer, remainingNs } from "../time/hrtimer.js";
import { type SigInfo, sendSignalGroup, sendSignalTask } from "../signal/signal.js";
import { clockNs } from "./time.js";
import { readItimerspec, writeItimerspec } from "./timerfd.js";

export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
/** struct sigevent (riscv64, 64 bytes): sigev_value, sigev_signo, sigev_notify, then the union whose first int is _tid. */
const SIGEVENT = layout(64, { sigev_value: [0, "u64"], sigev_signo: [8, "i32"], sigev_notify: [12, "i32"], sigev_tid: [16, "i32"] });
/** Linux's DELAYTIMER_MAX: si_overrun stops there. */
const DELAYTIMER_MAX = 0x7fffffff;
const TIMER_T = layout(4, { id: [0, "i32"] });

/** Whether `clockid` is a CPU-time clock (the named ones or an encoded negative id). */
function isCpuClock(clockid: number): boolean {
  return clockid < 0 || clockid === CLOCK_PROCESS_CPUTIME_ID || clockid === CLOCK_THREAD_CPUTIME_ID;
}

/** Now on the timer's clock, or -EINVAL when a CPU clock's thread or process is gone. */
function timerNow(k: Kernel, tg: ThreadGroup, pt: PosixTimer): number {
  const c = pt.timer.clockid;
  if (!isCpuClock(c)) return wallClockNow(k, c);
  const t = tg.threads.find((x) => x.state !== "Z" && x.state !== "X") ?? tg.threads[0];
  return t ? clockNs(k, t, c) : -EINVAL;
}

function findTimer(tg: ThreadGroup, id: number): PosixTimer | undefined {
  return tg.posixTimers.find((x) => x.id === id);
}

/** Put a kernel timer at the next time `pt` may be due (SIGEV_NONE timers are only looked at lazily). */
function arm(k: Kernel, tg: ThreadGroup, pt: PosixTimer): void {
  if (pt.timer.value === 0 || pt.notify === SIGEV_NONE) return;
  let at: number;
  if (isCpuClock(pt.timer.clockid)) {
    const now = timerNow(k, tg, pt);
    if (now < 0) return;
    // CPU time never runs faster than kernel time; at least 1 ms so a busy process is not checked at every tick.
    at = nowNs(k) + Math.max(pt.timer.value - now, 1_000_000);
  } else {
    at = kernelDeadline(k, pt.timer);
  }
  addTimer(k, { at, kind: "posixTimer", tgid: tg.pid, id: pt.id, gen: pt.gen });
}

/** Whether `info` is still on a pending queue of the process (not yet delivered). */
function stillQueued(tg: ThreadGroup, info: SigInfo): boolean {
  if (tg.sigq.includes(info)) return true;
  for (const t of tg.threads) if (t.sigq.includes(info)) return true;
  return false;
}

/** `n` expirations of `pt`: queue its signal, or add them to the overrun of the one still pending. */
function notify(k: Kernel, tg: ThreadGroup, pt: PosixTimer, n: number): void {
  if (pt.notify === SIGEV_NONE) return;
  if (pt.info && stillQueued(tg, pt.info)) {
    pt.info.overrun = Math.min(DELAYTIMER_MAX, (pt.info.overrun ?? 0) + n);
    return;
  }
  if (pt.info) pt.overrunLast = pt.info.overrun ?? 0;
  const info: SigInfo = { signo: pt.signo, code: SI_TIMER, addr: 0, pid: 0, uid: 0, status: 0, tid: pt.id, overrun: Math.min(DELAYTIMER_MAX, n - 1), value: pt.sigval };
  pt.info = info;
  if (pt.notify & SIGEV_THREAD_ID) {
    const t = k.tasks.get(pt.tid);
    if (t && t.tg === tg) { sendSignalTask(k, t, info); return; }
  }
  sendSignalGroup(k, tg, info);
}

/** A POSIX timer's kernel timer is due (kernel/timers.ts): expire it, signal, re-arm. */
export function posixTimerFire(k: Kernel, tgid: number, id: number, gen: number): void {
  const tg = k.groups.get(tgid);
  if (!tg || tg.zombie) return;
  const pt = findTimer(tg, id);
  if (!pt || pt.gen !== gen) return;
  const now = timerNow(k, tg, pt);
  if (now < 0) { pt.timer.value = 0; return; }
  const n = expireTimer(pt.timer, now);
  if (n > 0) notify(k, tg, pt, n);
  arm(k, tg, pt);
}

/** The clock a new timer runs on, or -errno (Linux: unknown EINVAL, no timers on RAW/COARSE EOPNOTSUPP). */
function timerClock(k: Kernel, t: Task, clockid: number): [number] | number {
  switch (clockid) {
    case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: return [clockid];
    // A CPU-time clock of the caller: encode which one, so that the timer keeps counting that thread (or process) whoever looks.
    case CLOCK_PROCESS_CPUTIME_ID: return [(~t.tg.pid << 3) | 2];
    case CLOCK_THREAD_CPUTIME_ID: return [(~t.tid << 3) | 6];
    case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE: return -EOPNOTSUPP;
    // The alarm clocks need an RTC that can wake the machine; tsix's has none (Linux: EOPNOTSUPP without an rtc device).
    case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM: return -EOPNOTSUPP;
    default: {
      if (clockid >= 0) return -EINVAL;
      // Another CPU clock id (clock_getcpuclockid, pthread_getcpuclockid): as on Linux, any existing
      // process, or a thread of this process (clockNs checks both); pid 0 means the caller, kept as such.
      const r = clockNs(k, t, clockid);
      if (r < 0) return r;
      const pid = ~(clockid >> 3);
      if (pid !== 0) return [clockid];
      return [clockid & 4 ? (~t.tid << 3) | (clockid & 7) : (~t.tg.pid << 3) | (clockid & 7)];
    }
  }
}

function sysTimerCreate(k: Kernel, t: Task): number {
  const clockid = argInt(k, 0), sevVa = argU(k, 1), idVa = argU(k, 2);
  const c = timerClock(k, t, clockid);
  if (typeof c === "number") return c;
  const clock = c[0];
  const tg = t.tg;
  const id = tg.posixTimerNext;
  let notifyKind = SIGEV_SIGNAL, signo = SIGALRM, sigval = id, tid = 0;
  if (sevVa) {
    const b = new Uint8Array(SIGEVENT.size);
    if (copyin(k.mmctx, t.mm!, sevVa, b) < 0) return -EFAULT;
    const ev = unpack(SIGEVENT, b);
    notifyKind = ev.sigev_notify; signo = ev.sigev_signo; sigval = ev.sigev_value;
    // Linux's good_sigevent: the thread of SIGEV_THREAD_ID must be of this process; a signal must be 1..64.
    if (notifyKind === (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
      const th = k.tasks.get(ev.sigev_tid);
      if (!th || th.tg !== tg || th.state === "Z" || th.state === "X") return -EINVAL;
      tid = th.tid;
    } else if (notifyKind !== SIGEV_SIGNAL && notifyKind !== SIGEV_THREAD && notifyKind !== SIGEV_NONE) {
      return -EINVAL;
    }
    if (notifyKind !== SIGEV_NONE && (signo <= 0 || signo > NSIG)) return -EINVAL;
    // The kernel treats SIGEV_THREAD as a signal to the process (glibc never passes it down).
    if (notifyKind === SIGEV_THREAD) notifyKind = SIGEV_SIGNAL;
  }
  // Each timer holds a preallocated queued signal, charged to RLIMIT_SIGPENDING as Linux does.
  const limit = tg.rlimits[RLIMIT_SIGPENDING]?.cur ?? 4096;
  let charged = tg.posixTimers.length + tg.sigq.length;
  for (const th of tg.threads) charged += th.sigq.length;
  if (charged >= limit) return -EAGAIN;
  if (copyout(k.mmctx, t.mm!, idVa, pack(TIMER_T, { id })) < 0) return -EFAULT;
  tg.posixTimerNext = (id + 1) & 0x7fffffff;
  tg.posixTimers.push({ id, timer: { clockid: clock, value: 0, interval: 0 }, notify: notifyKind, signo, sigval, tid, gen: 0, info: null, overrunLast: 0 });
  return 0;
}

/** The timer `id` of the caller's process, or -EINVAL. */
function timerArg(t: Task, id: number): PosixTimer | number {
  return findTimer(t.tg, id) ?? -EINVAL;
}

/** Bring a timer up to date (a SIGEV_NONE timer, or one whose kernel timer has not run yet) and give its setting. */
function current(k: Kernel, tg: ThreadGroup, pt: PosixTimer): [number, number] {
  const now = timerNow(k, tg, pt);
  if (now < 0) return [0, pt.timer.interval];
  if (pt.notify === SIGEV_NONE) expireTimer(pt.timer, now);
  let left = remainingNs(pt.timer, now);
  // An armed timer whose expiry is being handled reports 1 ns left, never "disarmed" (Linux common_timer_get).
  if (pt.timer.value !== 0 && left === 0) left = 1;
  return [left, pt.timer.interval];
}

function sysTimerSettime(k: Kernel, t: Task): number {
  const id = argInt(k, 0), flags = argInt(k, 1), newVa = argU(k, 2), oldVa = argU(k, 3);
  if (!newVa) return -EINVAL;
  const spec = readItimerspec(k, t, newVa);
  if (typeof spec === "number") return spec;
  const pt = timerArg(t, id);
  if (typeof pt === "number") return pt;
  const tg = t.tg;
  const old = current(k, tg, pt);
  pt.gen++;
  const now = timerNow(k, tg, pt);
  armTimer(pt.timer, spec[0], spec[1], (flags & TIMER_ABSTIME) !== 0, Math.max(0, now));
  if (pt.notify !== SIGEV_NONE && pt.timer.value !== 0 && now >= pt.timer.value) {
    // Already due (an absolute time in the past): it expires now, as Linux does.
    posixTimerFire(k, tg.pid, pt.id, pt.gen);
  } else {
    arm(k, tg, pt);
  }
  if (oldVa) return writeItimerspec(k, t, oldVa, old[0], old[1]);
  return 0;
}

function sysTimerGettime(k: Kernel, t: Task): number {
  const pt = timerArg(t, argInt(k, 0));
  if (typeof pt === "number") return pt;
  const [v, i] = current(k, t.tg, pt);
  return writeItimerspec(k, t, argU(k, 1), v, i);
}

function sysTimerGetoverrun(k: Kernel, t: Task): number {
  const pt = timerArg(t, argInt(k, 0));
  if (typeof pt === "number") return pt;
  if (!pt.info) return 0;
  return stillQueued(t.tg, pt.info) ? pt.overrunLast : pt.info.overrun ?? 0;
}

function sysTimerDelete(k: Kernel, t: Task): number {
  const tg = t.tg;
  const pt = timerArg(t, argInt(k, 0));
  if (typeof pt === "number") return pt;
  pt.gen++;
  tg.posixTimers = tg.posixTimers.filter((x) => x !== pt);
  return 0;
}

export function registerPosixTimerSyscalls(table: SyscallTable): void {
  table[N.SYS_timer_create] = sysTimerCreate;
  table[N.SYS_timer_settime] = sysTimerSettime;
  table[N.SYS_timer_gettime] = sysTimerGettime;
  table[N.SYS_timer_getoverrun] = sysTimerGetoverrun;
  table[N.SYS_timer_delete] = sysTimerDelete;
}
