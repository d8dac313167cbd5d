// Process system calls: identity (getpid, gettid, getppid), exit, thread
// bookkeeping (set_tid_address, set_robust_list). The rest of the process
// calls register from their areas' files: process.ts (clone, execve, wait,
// usage), session.ts, cred.ts, sched.ts, futex.ts.
//
// Concepts: C21 (the PCB answers getpid), C24 (exit).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import { JUSTRETURN, ERESTARTNOINTR } from "../abi/errno.js";
import * as N from "../abi/sysno.js";
import { beginGroupExit, exitGroup, exitThread, exitedStatus } from "../proc/exit.js";
import { ptraceExitGroupStop } from "../proc/ptrace.js";
import { registerProcessSyscalls } from "./process.js";
import { registerSessionSyscalls } from "./session.js";
import { registerCredSyscalls } from "./cred.js";
import { registerSchedSyscalls } from "./sched.js";
import { registerFutexSyscalls } from "./futex.js";

/**
 * exit_group, and exit(2) of a process's last thread. As Linux's
 * do_group_exit, the other threads are zapped before this one goes through
 * do_exit, where a traced one stops at PTRACE_EVENT_EXIT: so a tracer finds
 * every thread dying or stopped at its own PTRACE_EVENT_EXIT while the
 * caller is held at its stop. Resumed, the ecall runs again and the thread
 * goes (beginGroupExit does nothing the second time).
 */
function groupExit(k: Kernel, t: Task, code: number): number {
  beginGroupExit(k, t, exitedStatus(code));
  if (t.ptrace && ptraceExitGroupStop(k, t, t.ptrace)) return -ERESTARTNOINTR;
  exitGroup(k, t, code, false);
  return JUSTRETURN;
}

function sysExitGroup(k: Kernel, t: Task): number {
  return groupExit(k, t, argInt(k, 0) & 0xff);
}

function sysExit(k: Kernel, t: Task): number {
  const code = argInt(k, 0) & 0xff;
  if (t.tg.threads.length <= 1) return groupExit(k, t, code);
  exitThread(k, t);
  return JUSTRETURN;
}

export function registerProcSyscalls(table: SyscallTable): void {
  table[N.SYS_getpid] = (_k, t) => t.tg.pid;
  table[N.SYS_gettid] = (_k, t) => t.tid;
  table[N.SYS_getppid] = (_k, t) => t.tg.parent?.pid ?? 0;
  table[N.SYS_exit_group] = sysExitGroup;
  table[N.SYS_exit] = sysExit;
  table[N.SYS_set_tid_address] = (k, t) => { t.clearChildTid = argU(k, 0); return t.tid; };
  table[N.SYS_set_robust_list] = (k, t) => { if (argU(k, 1) !== 24) return -22; t.robustList = argU(k, 0); return 0; };
  registerProcessSyscalls(table);
  registerSessionSyscalls(table);
  registerCredSyscalls(table);
  registerSchedSyscalls(table);
  registerFutexSyscalls(table);
}
