// The work budget of one trap: no syscall moves more than WORK_BUDGET_BYTES
// before it gives the CPU back (RESTART_YIELD), so timers, signals and other
// tasks run while a long read, write or copy goes on; on the instret clock
// that budget costs WORK_BUDGET_INSNS of virtual time.
//
// Every copy a read, write or socket call makes is work too: chargeWork
// counts its bytes on the hart, and the trap (trap.ts) turns them into
// virtual time at the same rate when the call returns. Without it a pipe's
// writer and reader on the instret clock would move megabytes in no time at
// all, keep the least CFS vruntime and hold the CPU while a busy task waits.
//
// Concepts: C12 (no syscall keeps the CPU), C02 (kernel time is accounted).
import type { Kernel } from "../kernel.js";

/** Bytes a syscall may move (copy in, copy out, or hand to a file) in one trap before it yields. */
export const WORK_BUDGET_BYTES = 1 << 20;

/**
 * Virtual time one budget of kernel work costs with the instret clock, in
 * instructions (8 bytes per instruction): a long copy takes time, so timers
 * and time slices run on while it goes on, as they would on real hardware.
 */
export const WORK_BUDGET_INSNS = WORK_BUDGET_BYTES / 8;

/** Count `bytes` a syscall moved on the active hart (trap.ts charges them as WORK_BUDGET_INSNS per WORK_BUDGET_BYTES). */
export function chargeWork(k: Kernel, bytes: number): void {
  k.cpus[k.active].workBytes += bytes;
}

/** Instructions of virtual time `bytes` of kernel copying cost (8 bytes per instruction, as a work budget). */
export function workInsns(bytes: number): number {
  return Math.floor(bytes / 8);
}
