// signalfd4(2): make a signalfd (fd == -1) or change an existing one's mask
// (fs/signalfd.ts has the file). Flags: SFD_CLOEXEC, SFD_NONBLOCK; the mask
// size must be 8 (sizeof(kernel_sigset_t) on riscv64).
//
// Concepts: C44, C47.
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import * as N from "../abi/sysno.js";
import { unpackBig } from "../abi/layout.js";
import { SIGSET } from "../abi/signal.js";
import { O_CLOEXEC, O_NONBLOCK } from "../abi/fs.js";
import { EBADF, EFAULT, EINVAL } from "../abi/errno.js";
import { copyin } from "../mm/uaccess.js";
import { fileAllocCheck } from "../fs/file_table.js";
import { installFd, fput, getFile } from "../fs/fdtable.js";
import { createSignalFd, updateSignalFd } from "../fs/signalfd.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import { nofile } from "./fs_util.js";

/** SFD_CLOEXEC and SFD_NONBLOCK are O_CLOEXEC and O_NONBLOCK. */
const SFD_FLAGS = O_CLOEXEC | O_NONBLOCK;

function sysSignalfd4(k: Kernel, t: Task): number {
  const fd = argInt(k, 0), maskVa = argU(k, 1), size = argU(k, 2), flags = argInt(k, 3);
  if (flags & ~SFD_FLAGS) return -EINVAL;
  if (size !== SIGSET.size) return -EINVAL;
  const b = new Uint8Array(SIGSET.size);
  if (!t.mm || copyin(k.mmctx, t.mm, maskVa, b) < 0) return -EFAULT;
  const mask = unpackBig(SIGSET, b, "sig");
  if (fd !== -1) {
    const f = getFile(t.files, fd);
    if (!f) return -EBADF;
    const r = updateSignalFd(f, mask);
    return r < 0 ? r : fd;
  }
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const f = createSignalFd(k, mask, flags);
  const nfd = installFd(t.files, f, (flags & O_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (nfd < 0) fput(k, f);
  return nfd;
}

export function registerSignalfdSyscalls(table: SyscallTable): void {
  table[N.SYS_signalfd4] = sysSignalfd4;
}
