// Kernel timers as tagged records: a timer says *what* should happen at its
// deadline (`kind` and the ids it needs), never holds a closure, so the timer
// lists are plain data a snapshot can copy. The one dispatcher that acts on
// them (kernel/timers.ts, a switch on `kind`) sits at the top of the layer
// chain, where it may call every subsystem; the code here only keeps the
// lists sorted and the hart's timer interrupt early enough.
//
// Concepts: C12 (the timer interrupt: a sleeping task's deadline, alarm(),
// the load-average sampler are all timers), C02 (time accounting).
import * as L from "../../hw/core/layout.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { SuperBlock } from "../fs/vfs.js";
import type { TimerFd } from "../fs/timerfd.js";
import type { UnixSock } from "../net/unix.js";

/** A pending timed event; kept sorted by deadline `at` (ns of kernel time). */
export type KTimer =
  /** Wake `task` if it still sleeps with this deadline (nanosleep, poll, futex, read timeouts...). */
  | { at: number; kind: "wake"; task: Task }
  /** Check interval timer `which` (ITIMER_REAL/VIRTUAL/PROF) of process `tgid`; stale when the timer's generation moved on. */
  | { at: number; kind: "itimer"; tgid: number; which: number; gen: number }
  /** Expire timerfd `tfd` (fs/timerfd.ts); stale when its generation moved on. */
  | { at: number; kind: "timerfd"; tfd: TimerFd; gen: number }
  /** Expire POSIX timer `id` of process `tgid` (syscalls/posix_timers.ts); stale when its generation moved on. */
  | { at: number; kind: "posixTimer"; tgid: number; id: number; gen: number }
  /** Sample the load average (fs/proc/loadavg.ts). */
  | { at: number; kind: "loadavg" }
  /** Write back shared mappings of host files (fs/hostfs/hostfs.ts), deferrable. */
  | { at: number; kind: "writeback" }
  /** Write back old dirty buffers of block devices (block/buffer.ts), deferrable. */
  | { at: number; kind: "blockWriteback" }
  /** Commit (or keep committing) the journal of ext3 file system `sb` (fs/ext2/journal.ts, fs/jbd2). */
  | { at: number; kind: "jbd2"; sb: SuperBlock }
  /** Neighbour discovery for socket `sock`'s link-local connect gives up (net/inet.ts neighFail); stale unless sock.inet.ndUntil is still `at`. */
  | { at: number; kind: "neigh"; sock: UnixSock };

export type TimerKind = KTimer["kind"];

function insertSorted(list: KTimer[], timer: KTimer): void {
  let i = list.length;
  while (i > 0 && list[i - 1].at > timer.at) i--;
  list.splice(i, 0, timer);
}

/**
 * Add a timer; keeps the list sorted. If it is due before the active hart's
 * next timer interrupt, that interrupt is brought forward, so a timer set by a
 * task that never traps again (alarm() then a busy loop) still fires.
 */
export function addTimer(k: Kernel, timer: KTimer): void {
  insertSorted(k.timers, timer);
  const st = k.machine.hartState(k.active);
  const at = BigInt(Math.ceil(timer.at / 100));
  if (at < st[L.STIMECMP / 8]) st[L.STIMECMP / 8] = at;
}

/** Wake `t` at `at` (it sleeps with t.wakeAt = at; see sched/wait.ts sleepOn). */
export function addWakeTimer(k: Kernel, t: Task, at: number): void {
  addTimer(k, { at, kind: "wake", task: t });
}

/**
 * Forget the wake-up timer of a task woken before its deadline (Linux's
 * hrtimer_cancel at the end of a timed sleep). Without this every timed
 * wait left a stale timer behind: a futex ping-pong with a 1 s timeout kept
 * a second's worth of them (tens of thousands) in the sorted list, and each
 * later insert and expiry paid for them. Sleepers add a new timer at every
 * sleep, so none relies on an old one surviving a wake-up.
 */
export function cancelWakeTimer(k: Kernel, t: Task): void {
  const l = k.timers;
  for (let i = 0; i < l.length; i++) {
    const x = l[i];
    if (x.kind === "wake" && x.task === t) { l.splice(i, 1); i--; }
  }
}

/** Forget the wake-up timers of a task that is gone. */
export function removeTimersOf(k: Kernel, t: Task): void {
  k.timers = k.timers.filter((x) => x.kind !== "wake" || x.task !== t);
}

/** Add a deferrable timer (see Kernel.deferred). */
export function addDeferredTimer(k: Kernel, timer: KTimer): void {
  insertSorted(k.deferred, timer);
}

/** The earliest deadline of a non-deferrable timer (Infinity: none). */
export function nextTimerAt(k: Kernel): number {
  return k.timers.length ? k.timers[0].at : Infinity;
}
