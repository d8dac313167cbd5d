// The work budget of one trap: no syscall moves more than WORK_BUDGET_BYTES
// before it gives the CPU back (RESTART_YIELD), so timers, signals and other
// tasks run while a long read, write or copy goes on; on the instret clock
// that budget costs WORK_BUDGET_INSNS of virtual time.
//
// Concepts: C12 (no syscall keeps the CPU), C02 (kernel time is accounted).

/** Bytes a syscall may move (copy in, copy out, or hand to a file) in one trap before it yields. */
export const WORK_BUDGET_BYTES = 1 << 20;

/**
 * Virtual time one budget of kernel work costs with the instret clock, in
 * instructions (8 bytes per instruction): a long copy takes time, so timers
 * and time slices run on while it goes on, as they would on real hardware.
 */
export const WORK_BUDGET_INSNS = WORK_BUDGET_BYTES / 8;
