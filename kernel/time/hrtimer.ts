// Arming and expiring a user-visible interval timer (timerfd and the POSIX
// timers share it): a timer is plain data, its next expiry `value` in the
// timer's own clock (0: disarmed) and its period `interval`; expiring it
// counts every period that has passed, so a timer whose owner did not look
// for a while reports all its expirations at once (timerfd's tick count,
// timer_getoverrun) instead of losing them. The kernel timer that wakes the
// owner at the deadline is kept in kernel time: for a CLOCK_REALTIME timer
// that is the value less the realtime offset, taken again at every arming so
// that clock_settime moves the deadline as it does on Linux.
//
// Concepts: C12 (timers), C02 (clocks).
import type { Kernel } from "../kernel.js";
import { nowNs, realtimeDelta } from "./clock.js";
import { CLOCK_REALTIME, CLOCK_REALTIME_ALARM } from "../abi/time.js";

/** A settable interval timer: next expiry and period, in ns of its clock. */
export interface IntervalTimer { clockid: number; value: number; interval: number }

/** Whether `clockid` follows CLOCK_REALTIME (and so moves with clock_settime). */
export function isRealtimeClock(clockid: number): boolean {
  return clockid === CLOCK_REALTIME || clockid === CLOCK_REALTIME_ALARM;
}

/** Now on a wall or monotonic clock (REALTIME, MONOTONIC, BOOTTIME and their ALARM forms). */
export function wallClockNow(k: Kernel, clockid: number): number {
  return isRealtimeClock(clockid) ? realtimeDelta(k) + nowNs(k) : nowNs(k);
}

/**
 * The shortest gap between two kernel timers of one periodic timer. A
 * period of 1 ns would otherwise take a timer interrupt every few guest
 * instructions and starve the machine; expirations are still counted
 * exactly (expireTimer), only the wake-ups are coalesced.
 */
export const MIN_REARM_NS = 50_000;

/** The kernel time at which a timer of a wall clock is due (a short period no sooner than MIN_REARM_NS from now). */
export function kernelDeadline(k: Kernel, it: IntervalTimer): number {
  const at = isRealtimeClock(it.clockid) ? it.value - realtimeDelta(k) : it.value;
  return it.interval > 0 && it.interval < MIN_REARM_NS ? Math.max(at, nowNs(k) + MIN_REARM_NS) : at;
}

/**
 * Expire `it` up to `now` (in its clock): the number of expirations that have
 * passed (0 when it is disarmed or not yet due). A periodic timer moves on
 * to its next expiry after `now`; a one-shot timer is disarmed.
 */
export function expireTimer(it: IntervalTimer, now: number): number {
  if (it.value === 0 || now < it.value) return 0;
  if (it.interval <= 0) { it.value = 0; return 1; }
  const n = 1 + Math.floor((now - it.value) / it.interval);
  it.value += n * it.interval;
  return n;
}

/**
 * Arm `it` from a settime request: `value` (0 disarms) relative to `now`
 * unless `abs`; a relative or absolute time already passed expires at once.
 */
export function armTimer(it: IntervalTimer, value: number, interval: number, abs: boolean, now: number): void {
  it.interval = interval;
  if (value === 0) { it.value = 0; return; }
  // An absolute time in the past (or 0 after the epoch) still arms: it is due now.
  it.value = abs ? Math.max(1, value) : now + value;
}

/** Time left to the next expiry (0: disarmed). */
export function remainingNs(it: IntervalTimer, now: number): number {
  if (it.value === 0) return 0;
  return Math.max(0, it.value - now);
}
