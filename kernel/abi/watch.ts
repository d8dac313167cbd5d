// The layout of the watchdog's cells (kernel/trap/watch.ts): an Int32Array
// the kernel's trap path writes and a host thread reads
// (host/node/watchdog_worker.ts). It is an interface between the kernel and
// its host, like a device's register map, so it lives with the ABI: the
// host's watchdog thread loads this small module alone, not the kernel.
//
// Concepts: C04 (the trap and syscall number seen from outside), C12 (no
// trap may keep a hart forever).

/** Cell indexes (32-bit words). */
export const WATCH_SEQ = 0;   // incremented at every trap (wraps)
export const WATCH_BUSY = 1;  // 1 while a trap is being handled
export const WATCH_TID = 2;   // the task that trapped
export const WATCH_CAUSE = 3; // scause's low word; interrupts are written as -cause - 1
export const WATCH_NR = 4;    // the syscall number, or -1 when the trap is not a syscall
export const WATCH_ARGS = 5;  // a0..a5 of the syscall, each as two words (low, high): 12 cells
export const WATCH_CELLS = 17;

/** Bytes of the shared array a host allocates. */
export const WATCH_BYTES = WATCH_CELLS * 4;

/** Argument i (0-5) as the watchdog reports it, from the cells. */
export function watchArg(w: Int32Array, i: number): bigint {
  return (BigInt(w[WATCH_ARGS + 2 * i + 1] >>> 0) << 32n) | BigInt(w[WATCH_ARGS + 2 * i] >>> 0);
}
