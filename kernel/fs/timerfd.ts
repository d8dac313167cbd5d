// timerfd: a timer that is a file (timerfd_create/settime/gettime). It
// expires on CLOCK_REALTIME, MONOTONIC or BOOTTIME (the *_ALARM forms behave
// as their base clock; creating one needs CAP_WAKE_ALARM, root here); a read
// returns the 8-byte count of expirations since the last read and resets it,
// blocking (or EAGAIN) while it is 0; poll/epoll report POLLIN while it is
// not 0. The file holds plain data (the interval timer of time/hrtimer.ts,
// the tick count, a wait queue); a kernel timer of kind "timerfd" wakes the
// readers at each deadline (kernel/timers.ts), and the count is also brought
// up to date whenever the file is looked at, so a read right after the
// deadline never misses an expiry the timer interrupt has not handled yet.
// TFD_TIMER_CANCEL_ON_SET: an absolute CLOCK_REALTIME timer whose clock is
// set (clock_settime) makes the next read fail with ECANCELED, once.
// /proc/PID/fdinfo shows clockid, ticks, settime flags, it_value and
// it_interval as Linux does.
//
// Concepts: C12 (timers), C47 (event notification through a pollable file).
import type { Kernel } from "../kernel.js";
import type { File } from "./vfs.js";
import { type WaitQueue, createWaitQueue, wakeUp } from "../sched/wait.js";
import { anonFile } from "./file.js";
import { addTimer } from "../time/timer.js";
import { type IntervalTimer, wallClockNow, kernelDeadline, expireTimer, armTimer, remainingNs, isRealtimeClock } from "../time/hrtimer.js";
import { defineFileOps } from "../lib/fsops.js";
import { pack } from "../abi/layout.js";
import { EVENTFD_VALUE, O_NONBLOCK, POLLIN, POLLRDNORM } from "../abi/fs.js";
import { EAGAIN, EINVAL, ECANCELED } from "../abi/errno.js";

export const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

export interface TimerFd {
  timer: IntervalTimer;
  /** Expirations not yet read. */
  ticks: number;
  /** The flags of the last settime (fdinfo shows them). */
  settimeFlags: number;
  /** Armed absolute on a realtime clock with TFD_TIMER_CANCEL_ON_SET. */
  mightCancel: boolean;
  /** k.realtimeOffset when armed: a different one means the clock was set since. */
  realOffset: number;
  /** Bumped at every settime: a kernel timer of an older arming is stale. */
  gen: number;
  wq: WaitQueue;
}

const TIMERFD_FOPS = "timerfd";

function tfdOf(f: File): TimerFd {
  return f.info as TimerFd;
}

/** Whether `f` is a timerfd. */
export function isTimerFd(f: File): boolean {
  return f.ops === TIMERFD_FOPS;
}

/** Count the expirations that have passed since the file was last looked at. */
function update(k: Kernel, tf: TimerFd): void {
  tf.ticks += expireTimer(tf.timer, wallClockNow(k, tf.timer.clockid));
}

/** Whether the clock was set under a cancel-on-set timer (reported once, as Linux does). */
function canceled(k: Kernel, tf: TimerFd): boolean {
  if (!tf.mightCancel || tf.realOffset === k.realtimeOffset) return false;
  tf.realOffset = k.realtimeOffset;
  return true;
}

/** Put a kernel timer at the next deadline of `tf`, if it is armed. */
function arm(k: Kernel, tf: TimerFd): void {
  if (tf.timer.value === 0) return;
  addTimer(k, { at: kernelDeadline(k, tf.timer), kind: "timerfd", tfd: tf, gen: tf.gen });
}

/** A timerfd's kernel timer is due (kernel/timers.ts): count, wake readers, re-arm a periodic timer. */
export function timerfdFire(k: Kernel, tf: TimerFd, gen: number): void {
  if (tf.gen !== gen) return;
  const before = tf.ticks;
  update(k, tf);
  if (tf.ticks !== before) wakeUp(k, tf.wq);
  arm(k, tf); // periodic: the next expiry; one-shot not yet due (the clock was set back): the new deadline
}

/** clock_settime moved CLOCK_REALTIME: wake cancel-on-set readers, and re-arm realtime timers at their new deadlines. */
export function timerfdClockWasSet(k: Kernel): void {
  for (const tm of k.timers.slice()) {
    if (tm.kind !== "timerfd" || tm.gen !== tm.tfd.gen || !isRealtimeClock(tm.tfd.timer.clockid)) continue;
    const tf = tm.tfd;
    tf.gen++; // the old deadline is stale
    arm(k, tf);
    if (tf.mightCancel) wakeUp(k, tf.wq);
  }
}

defineFileOps(TIMERFD_FOPS, {
  read(k, _t, f, buf, _pos, io) {
    if (buf.length < 8) return -EINVAL;
    const tf = tfdOf(f);
    if (canceled(k, tf)) { tf.ticks = 0; return -ECANCELED; }
    update(k, tf);
    if (tf.ticks === 0) {
      if (!(f.flags & O_NONBLOCK)) io.wait = tf.wq;
      return -EAGAIN;
    }
    pack(EVENTFD_VALUE, { value: BigInt(tf.ticks) }, buf);
    tf.ticks = 0;
    return 8;
  },
  poll(k, _t, f, io) {
    const tf = tfdOf(f);
    io.wait = tf.wq;
    update(k, tf);
    // A canceled timer is readable: the read reports ECANCELED.
    return tf.ticks > 0 || (tf.mightCancel && tf.realOffset !== k.realtimeOffset) ? POLLIN | POLLRDNORM : 0;
  },
  release(_k, f) {
    const tf = tfdOf(f);
    tf.gen++; // its kernel timer, if any, is stale now
    tf.timer.value = 0;
  },
  fdinfo(k, f) {
    const tf = tfdOf(f);
    update(k, tf);
    const now = wallClockNow(k, tf.timer.clockid);
    const ts = (ns: number): string => `(${Math.floor(ns / 1e9)}, ${ns % 1e9})`;
    return `clockid: ${tf.timer.clockid}\nticks: ${tf.ticks}\nsettime flags: 0${tf.settimeFlags.toString(8)}\n` +
      `it_value: ${ts(remainingNs(tf.timer, now))}\nit_interval: ${ts(tf.timer.interval)}\n`;
  },
  recordSize: 8,
});

/** A new, disarmed timerfd on `clockid` (already checked). */
export function createTimerFd(k: Kernel, clockid: number, flags: number): File {
  const tf: TimerFd = { timer: { clockid, value: 0, interval: 0 }, ticks: 0, settimeFlags: 0, mightCancel: false, realOffset: k.realtimeOffset, gen: 0, wq: createWaitQueue("timerfd") };
  return anonFile(k, "[timerfd]", TIMERFD_FOPS, flags & O_NONBLOCK, tf);
}

/** The current setting: [time to the next expiry, interval] in ns. */
export function timerfdGet(k: Kernel, f: File): [number, number] {
  const tf = tfdOf(f);
  update(k, tf);
  return [remainingNs(tf.timer, wallClockNow(k, tf.timer.clockid)), tf.timer.interval];
}

/** Arm (value > 0) or disarm (value 0) the timer; the tick count starts again from 0. */
export function timerfdSet(k: Kernel, f: File, flags: number, value: number, interval: number): void {
  const tf = tfdOf(f);
  tf.gen++;
  tf.ticks = 0;
  tf.settimeFlags = flags;
  const abs = (flags & TFD_TIMER_ABSTIME) !== 0;
  tf.mightCancel = abs && (flags & TFD_TIMER_CANCEL_ON_SET) !== 0 && isRealtimeClock(tf.timer.clockid);
  tf.realOffset = k.realtimeOffset;
  armTimer(tf.timer, value, interval, abs, wallClockNow(k, tf.timer.clockid));
  arm(k, tf);
}
