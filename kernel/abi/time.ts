// Clocks and timers of the Linux ABI (uapi/linux/time.h): clock ids,
// TIMER_ABSTIME, interval timer kinds, and the time structs (timespec,
// timeval, itimerval, tms) with their conversions from kernel nanoseconds.
//
// Concepts: C05 (the ABI), C12 (timers).
import { layout, pack, unpack } from "./layout.js";
import { EINVAL } from "./errno.js";

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
  CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;

export const TIMER_ABSTIME = 1;
export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

/** struct timespec (__kernel_timespec: 64-bit seconds and nanoseconds). */
export const TIMESPEC = layout(16, { tv_sec: [0, "i64"], tv_nsec: [8, "i64"] });
/** struct timeval (__kernel_old_timeval on riscv64: 64-bit seconds and microseconds). */
export const TIMEVAL = layout(16, { tv_sec: [0, "i64"], tv_usec: [8, "i64"] });
/** struct itimerval: the interval, then the time to the next expiry. */
export const ITIMERVAL = layout(32, { it_interval_sec: [0, "i64"], it_interval_usec: [8, "i64"], it_value_sec: [16, "i64"], it_value_usec: [24, "i64"] });
/** struct itimerspec (timerfd_settime, timer_settime): the interval, then the time to the next expiry. */
export const ITIMERSPEC = layout(32, { it_interval_sec: [0, "i64"], it_interval_nsec: [8, "i64"], it_value_sec: [16, "i64"], it_value_nsec: [24, "i64"] });
/** struct tms (times(2)): clock ticks. */
export const TMS = layout(32, { tms_utime: [0, "i64"], tms_stime: [8, "i64"], tms_cutime: [16, "i64"], tms_cstime: [24, "i64"] });

/** A timespec holding `ns` nanoseconds. */
export function timespecOf(ns: number): Uint8Array {
  return pack(TIMESPEC, { tv_sec: Math.floor(ns / 1e9), tv_nsec: Math.floor(ns % 1e9) });
}

/** A timeval holding `ns` nanoseconds (rounded down to microseconds), written into `into` at `at`. */
export function timevalOf(ns: number, into?: Uint8Array, at = 0): Uint8Array {
  return pack(TIMEVAL, { tv_sec: Math.floor(ns / 1e9), tv_usec: Math.floor((ns % 1e9) / 1000) }, into, at);
}

/** The nanoseconds a timespec holds, or -EINVAL for a negative or unnormalized one. */
export function timespecNs(b: Uint8Array): number {
  const { tv_sec, tv_nsec } = unpack(TIMESPEC, b);
  if (tv_sec < 0 || tv_nsec < 0 || tv_nsec >= 1e9) return -EINVAL;
  return tv_sec * 1e9 + tv_nsec;
}
