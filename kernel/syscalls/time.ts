// Time system calls: clocks (realtime, monotonic, boot, per-process and
// per-thread CPU time, also of other tasks by clock id), setting the guest's
// realtime clock, and sleeping. Kernel time is the CLINT's mtime; in the
// deterministic "instret" clock mode it advances with retired instructions.
//
// Concepts: C02 (CPU time by mode), C12 (timer).
import type { Kernel } from "../kernel.js";
import { addWakeTimer } from "../time/timer.js";
import { nowNs, realtimeDelta } from "../time/clock.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { EINVAL, EFAULT, EPERM, ERESTARTNOHAND, ERESTART_RESTARTBLOCK } from "../abi/errno.js";
import { sleepOn, createWaitQueue } from "../sched/wait.js";
import { timerfdClockWasSet } from "../fs/timerfd.js";
import {
  CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, TIMER_ABSTIME, TIMESPEC, timespecOf, timevalOf, timespecNs,
} from "../abi/time.js";


/** Nanoseconds of CPU time for `insns` retired instructions: the virtual CPU runs at 100 MIPS. */
export function insnsToNs(insns: number): number {
  return insns * 10;
}

/** Read clock `id` in ns, or -EINVAL. */
export function clockNs(k: Kernel, t: Task, id: number): number {
  switch (id) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: return realtimeDelta(k) + nowNs(k);
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
      return nowNs(k);
    case CLOCK_PROCESS_CPUTIME_ID: {
      let n = 0;
      for (const th of t.tg.threads) n += th.utime + th.stime;
      return insnsToNs(n);
    }
    case CLOCK_THREAD_CPUTIME_ID: return insnsToNs(t.utime + t.stime);
    default: return id < 0 ? cpuClockNs(k, t, id) : -EINVAL;
  }
}

// A negative clock id names the CPU-time clock of another task, as
// clock_getcpuclockid and pthread_getcpuclockid make them (Linux's
// posix-cpu-timers encoding): ~pid in the bits above 3, bit 2 set for one
// thread rather than the whole process, and the kind in the low two bits.
const CPUCLOCK_PROF = 0, CPUCLOCK_VIRT = 1, CPUCLOCK_SCHED = 2, CPUCLOCK_PERTHREAD = 4;

/**
 * Read a CPU-time clock named by a negative id, or -EINVAL. As on Linux a
 * thread clock must name a thread of the caller's own process (tid 0: the
 * caller); a process clock may name any process (pid 0: the caller's).
 * PROF and SCHED count user and system time, VIRT user time only.
 */
function cpuClockNs(k: Kernel, t: Task, id: number): number {
  const which = id & 3;
  if (which !== CPUCLOCK_PROF && which !== CPUCLOCK_VIRT && which !== CPUCLOCK_SCHED) return -EINVAL;
  const pid = ~(id >> 3);
  const time = (th: Task): number => (which === CPUCLOCK_VIRT ? th.utime : th.utime + th.stime);
  if (id & CPUCLOCK_PERTHREAD) {
    const th = pid === 0 ? t : k.tasks.get(pid);
    if (!th || th.tg !== t.tg) return -EINVAL;
    return insnsToNs(time(th));
  }
  const tg = pid === 0 ? t.tg : k.groups.get(pid);
  if (!tg) return -EINVAL;
  let n = 0;
  for (const th of tg.threads) n += time(th);
  return insnsToNs(n);
}

export function writeTimespec(k: Kernel, t: Task, va: number, ns: number): number {
  return copyout(k.mmctx, t.mm!, va, timespecOf(ns));
}

/** Read a struct timespec; returns ns or -errno. */
export function readTimespec(k: Kernel, t: Task, va: number): number {
  const b = new Uint8Array(TIMESPEC.size);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  return timespecNs(b);
}

function sysClockGettime(k: Kernel, t: Task): number {
  const ns = clockNs(k, t, argInt(k, 0));
  if (ns < 0) return ns;
  return writeTimespec(k, t, argU(k, 1), ns) < 0 ? -EFAULT : 0;
}

// The largest time settimeofday/clock_settime accept (Linux's TIME_SETTOD_SEC_MAX: KTIME_SEC_MAX less 30 years of uptime).
const SETTOD_SEC_MAX = 9223372036 - 946080000;

/**
 * clock_settime: only CLOCK_REALTIME can be set, by root (CAP_SYS_TIME). It
 * moves the guest's CLOCK_REALTIME by an offset kept in kernel state; the
 * host's clock is never touched, and CLOCK_MONOTONIC goes on unchanged.
 * As on Linux: an unknown or unsettable clock is EINVAL, a CPU-time clock
 * EPERM, a bad timespec EINVAL before the permission check.
 */
function sysClockSettime(k: Kernel, t: Task): number {
  const id = argInt(k, 0);
  if (id < 0) {
    const r = cpuClockNs(k, t, id);
    return r < 0 ? r : -EPERM;
  }
  if (id !== CLOCK_REALTIME) return -EINVAL;
  const ns = readTimespec(k, t, argU(k, 1));
  if (ns < 0) return ns;
  if (ns / 1e9 >= SETTOD_SEC_MAX) return -EINVAL;
  if (t.tg.creds.euid !== 0) return -EPERM;
  k.realtimeOffset = ns - k.realtimeBase - nowNs(k);
  timerfdClockWasSet(k); // realtime timerfds move to the new clock; cancel-on-set ones report ECANCELED
  return 0;
}

function sysClockGetres(k: Kernel, t: Task): number {
  const id = argInt(k, 0);
  if (clockNs(k, t, id) < 0) return -EINVAL;
  const va = argU(k, 1);
  if (va === 0) return 0;
  return writeTimespec(k, t, va, 100) < 0 ? -EFAULT : 0; // 10 MHz timebase
}

function sysGettimeofday(k: Kernel, t: Task): number {
  const va = argU(k, 0);
  if (va === 0) return 0;
  return copyout(k.mmctx, t.mm!, va, timevalOf(realtimeDelta(k) + nowNs(k))) < 0 ? -EFAULT : 0;
}

/**
 * Sleep until an absolute deadline, kept in the restart block across the
 * reruns of the syscall. Returns 0 when the time has come, or `code` (asleep,
 * or a signal is pending: the task is still running then).
 */
function sleepUntil(k: Kernel, t: Task, deadline: number, code: number): number {
  if (nowNs(k) >= deadline) { t.restart = null; return 0; }
  t.restart = { kind: "sleep", deadline };
  if (t.interrupted) { t.interrupted = false; return code; }
  const wq = createWaitQueue("nanosleep");
  sleepOn(t, wq, deadline);
  addWakeTimer(k, t, deadline);
  return code;
}

/** The deadline a restarted sleep keeps (undefined on the first run). */
function sleepDeadline(t: Task): number | undefined {
  return t.restart?.kind === "sleep" ? t.restart.deadline : undefined;
}

function sysClockNanosleep(k: Kernel, t: Task): number {
  const id = argInt(k, 0), flags = argInt(k, 1), req = argU(k, 2);
  if (id !== CLOCK_REALTIME && id !== CLOCK_MONOTONIC && id !== CLOCK_BOOTTIME) return id === CLOCK_PROCESS_CPUTIME_ID ? -EINVAL : -EINVAL;
  let deadline = sleepDeadline(t);
  if (deadline === undefined) {
    const ns = readTimespec(k, t, req);
    if (ns < 0) return ns;
    if (flags & TIMER_ABSTIME) deadline = id === CLOCK_REALTIME ? ns - realtimeDelta(k) : ns;
    else deadline = nowNs(k) + ns;
  }
  // Linux: an absolute sleep is simply redone (-ERESTARTNOHAND); a relative one continues from its restart block.
  const abs = (flags & TIMER_ABSTIME) !== 0;
  const r = sleepUntil(k, t, deadline, abs ? -ERESTARTNOHAND : -ERESTART_RESTARTBLOCK);
  // Interrupted: a relative sleep reports the time left.
  if (r !== 0 && t.state === "R" && !abs && argU(k, 3)) writeTimespec(k, t, argU(k, 3), Math.max(0, deadline - nowNs(k)));
  return r;
}

function sysNanosleep(k: Kernel, t: Task): number {
  let deadline = sleepDeadline(t);
  if (deadline === undefined) {
    const ns = readTimespec(k, t, argU(k, 0));
    if (ns < 0) return ns;
    deadline = nowNs(k) + ns;
  }
  const r = sleepUntil(k, t, deadline, -ERESTART_RESTARTBLOCK);
  if (r !== 0 && t.state === "R" && argU(k, 1)) writeTimespec(k, t, argU(k, 1), Math.max(0, deadline - nowNs(k)));
  return r;
}

export function registerTimeSyscalls(table: SyscallTable): void {
  table[N.SYS_clock_gettime] = sysClockGettime;
  table[N.SYS_clock_getres] = sysClockGetres;
  table[N.SYS_clock_settime] = sysClockSettime;
  table[N.SYS_gettimeofday] = sysGettimeofday;
  table[N.SYS_clock_nanosleep] = sysClockNanosleep;
  table[N.SYS_nanosleep] = sysNanosleep;
}
