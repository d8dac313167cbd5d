// Clocks and timers of the Linux ABI (uapi/linux/time.h): clock ids,
// TIMER_ABSTIME, interval timer kinds.
//
// Concepts: C05 (the ABI), C12 (timers).

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;

export const TIMER_ABSTIME = 1;
export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
