// fork/clone/vfork, execve, wait4, process groups and sessions, credentials.
// (Registered by the process-lifecycle work.)
//
// Concepts: C24, C25, C26, C27.
import type { SyscallTable } from "./table.js";

export function registerLifecycleSyscalls(_table: SyscallTable): void {}
