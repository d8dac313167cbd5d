// Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigsuspend,
// sigaltstack, kill, tgkill, tkill, rt_sigreturn. (Registered by the signal work.)
//
// Concepts: C44.
import type { SyscallTable } from "./table.js";

export function registerSignalSyscalls(_table: SyscallTable): void {}
