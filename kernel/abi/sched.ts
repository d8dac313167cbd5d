// Process-creation and scheduling constants of the Linux riscv64 ABI
// (uapi/linux/sched.h): clone flags and scheduling policies.
//
// Concepts: C05 (the ABI), C21 (process creation), C29 (policies).

import { layout } from "./layout.js";

export const CSIGNAL = 0xff;
export const CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
  CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000,
  CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000,
  CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000,
  CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000, CLONE_NEWCGROUP = 0x02000000,
  CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
  CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, CLONE_IO = 0x80000000;

export const SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5, SCHED_DEADLINE = 6;
export const SCHED_RESET_ON_FORK = 0x40000000;
/** struct sched_param (sched_setparam/getparam/setscheduler): the real-time priority. */
export const SCHED_PARAM = layout(4, { sched_priority: [0, "i32"] });
