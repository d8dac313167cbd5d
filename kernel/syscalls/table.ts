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
import { type SyscallTable } from "./args.js";
import { registerProcSyscalls } from "./proc.js";
import { registerMmSyscalls } from "./mm.js";
import { registerTimeSyscalls } from "./time.js";
import { registerInfoSyscalls } from "./info.js";
import { registerFsSyscalls } from "./fs.js";
import { registerSignalSyscalls } from "./signal.js";
import { registerProcTtySyscalls } from "./tty.js";
import { registerRebootSyscalls } from "./reboot.js";

export type { SyscallHandler, SyscallTable } from "./args.js";

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
