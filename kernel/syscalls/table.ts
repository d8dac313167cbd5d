// The Linux riscv64 system-call table: one array maps syscall numbers to
// handlers (xv6's syscall.c, gVisor's sentry). A handler decodes its
// arguments from a0-a5 with the helpers of args.ts, validates them (unknown
// flag bits give EINVAL before anything happens) and calls kernel objects. It
// returns a value >= 0 or -errno; or
//   one of Linux's restart codes (ERESTARTSYS, ERESTARTNOINTR,
//   ERESTARTNOHAND, ERESTART_RESTARTBLOCK; abi/errno.ts) when it put the task
//   to sleep or saw a signal: the syscall reruns when the task runs again,
//   and the code tells signal delivery what a handler does to it;
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
import { registerSocketSyscalls } from "./socket.js";
import { registerSysvSyscalls } from "./sysv.js";
import { registerMqueueSyscalls } from "./mqueue.js";
import { registerXattrSyscalls } from "./xattr.js";
import { registerTimerfdSyscalls } from "./timerfd.js";
import { registerPosixTimerSyscalls } from "./posix_timers.js";
import { registerSignalfdSyscalls } from "./signalfd.js";
import { registerPtraceSyscalls } from "./ptrace.js";
import { registerSwapSyscalls } from "./swap.js";
import { registerSpliceSyscalls } from "./splice.js";
import { registerInotifySyscalls } from "./inotify.js";
import { registerFutexWaitvSyscalls } from "./futex_waitv.js";

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
  registerSocketSyscalls(table);
  registerSysvSyscalls(table);
  registerMqueueSyscalls(table);
  registerXattrSyscalls(table);
  registerTimerfdSyscalls(table);
  registerPosixTimerSyscalls(table);
  registerSignalfdSyscalls(table);
  registerPtraceSyscalls(table);
  registerSwapSyscalls(table);
  registerSpliceSyscalls(table);
  registerInotifySyscalls(table);
  registerFutexWaitvSyscalls(table);
  return table;
}
