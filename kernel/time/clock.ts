// The kernel's clock: kernel time in nanoseconds since boot, read from the
// CLINT's mtime (10 MHz). In "instret" mode mtime advances with retired
// instructions, so kernel time is deterministic; in "host" mode it follows
// the host's monotonic clock. Everything that needs "now" asks here.
//
// Concepts: C02 (time accounting), C12 (the timer that drives preemption).
import type { Kernel } from "../kernel.js";

/** The frequency of mtime (and of the user-visible time CSR). */
export const MTIME_HZ = 10_000_000;

/** Kernel time in ns, from the CLINT's mtime (10 MHz). */
export function nowNs(k: Kernel): number {
  return k.machine.mtimeNumber() * 100;
}

/** CLOCK_REALTIME minus CLOCK_MONOTONIC (ns): the RTC at boot plus what the guest set with clock_settime. */
export function realtimeDelta(k: Kernel): number {
  return k.realtimeBase + k.realtimeOffset;
}
