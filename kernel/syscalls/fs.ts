// File-system system calls: the VFS's part of the syscall table. Each area
// registers from its own file: data transfer (fs_rw.ts), descriptors
// (fs_fd.ts), names and attributes (fs_path.ts), stat and directory
// listing (fs_stat.ts), waiting on many files (fs_poll.ts), and mounting
// and flushing (fs_mount.ts).
//
// Concepts: C66, C67, C68.
import type { SyscallTable } from "./args.js";
import { registerRwSyscalls } from "./fs_rw.js";
import { registerFdSyscalls } from "./fs_fd.js";
import { registerPathSyscalls } from "./fs_path.js";
import { registerStatSyscalls } from "./fs_stat.js";
import { registerPollSyscalls } from "./fs_poll.js";
import { registerMountSyscalls } from "./fs_mount.js";

export function registerFsSyscalls(table: SyscallTable): void {
  registerRwSyscalls(table);
  registerFdSyscalls(table);
  registerPathSyscalls(table);
  registerStatSyscalls(table);
  registerPollSyscalls(table);
  registerMountSyscalls(table);
}
