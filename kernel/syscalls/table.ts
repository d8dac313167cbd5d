// The Linux riscv64 system-call table: one array maps syscall numbers to
// handlers (xv6's syscall.c, gVisor's sentry). A handler decodes its
// arguments from a0-a5 with the helpers below, validates them (unknown flag
// bits give EINVAL before anything happens) and calls kernel objects. It
// returns a value >= 0 or -errno; or
//   -ERESTARTSYS when it put the task to sleep (the syscall reruns when woken);
//   JUSTRETURN when it set the user registers itself (execve, rt_sigreturn, exit);
//   RESTART_YIELD when it did one budget of a long operation, saved its
//   progress in the task and gives the CPU up (the syscall carries on when the
//   task next runs), so that no syscall holds a hart for long.
// Each area registers its handlers from its own file.
//
// Concepts: C04 (number in a7 indexes the table; result in a0), C05 (the ABI).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { getReg, getRegInt, getRegSigned, getRegBig, REG_A0 } from "../arch/regs.js";
import { registerProcSyscalls } from "./proc.js";
import { registerMmSyscalls } from "./mm.js";
import { registerTimeSyscalls } from "./time.js";
import { registerInfoSyscalls } from "./info.js";
import { registerFsSyscalls } from "./fs.js";
import { registerSignalSyscalls } from "./signal.js";
import { registerProcTtySyscalls } from "./tty.js";
import { registerRebootSyscalls } from "./reboot.js";

export type SyscallHandler = (k: Kernel, t: Task) => number;

/** Bytes a syscall may move (copy in, copy out, or hand to a file) in one trap before it yields. */
export const WORK_BUDGET_BYTES = 1 << 20;

/**
 * Virtual time one budget of kernel work costs with the instret clock, in
 * instructions (8 bytes per instruction): a long copy takes time, so timers
 * and time slices run on while it goes on, as they would on real hardware.
 */
export const WORK_BUDGET_INSNS = WORK_BUDGET_BYTES / 8;

export type SyscallTable = (SyscallHandler | undefined)[];

export function buildSyscallTable(): SyscallTable {
  const table: SyscallTable = [];
  registerProcSyscalls(table);
  registerMmSyscalls(table);
  registerTimeSyscalls(table);
  registerInfoSyscalls(table);
  registerFsSyscalls(table);
  registerSignalSyscalls(table);
  registerProcTtySyscalls(table);
  registerRebootSyscalls(table);
  return table;
}

/** Argument i (0-5) as an unsigned number: addresses, sizes. */
export function argU(k: Kernel, i: number): number { return getReg(k.regs, REG_A0 + i); }
/** Argument i as a signed 32-bit int: fds, flags, pids, modes. */
export function argInt(k: Kernel, i: number): number { return getRegInt(k.regs, REG_A0 + i); }
/** Argument i as a signed 64-bit value (file offsets). */
export function argS64(k: Kernel, i: number): number { return getRegSigned(k.regs, REG_A0 + i); }
export function argBig(k: Kernel, i: number): bigint { return getRegBig(k.regs, REG_A0 + i); }
/** Argument i as an unsigned 32-bit value (flag words). */
export function argU32(k: Kernel, i: number): number { return k.regs.w[(REG_A0 + i) * 2]; }
