// File-system system calls (openat, read, write, close, ...). Registered by
// the VFS work; until then only write to the console exists, for bring-up.
//
// Concepts: C66, C67.
import type { SyscallTable } from "./table.js";
import * as N from "../abi/sysno.js";
import { argU, argInt } from "./table.js";
import { copyin } from "../mm/uaccess.js";
import { EBADF, EFAULT } from "../abi/errno.js";

export function registerFsSyscalls(table: SyscallTable): void {
  table[N.SYS_write] = (k, t) => {
    const fd = argInt(k, 0), buf = argU(k, 1), len = argU(k, 2);
    if (fd !== 1 && fd !== 2) return -EBADF;
    const b = new Uint8Array(len);
    if (copyin(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
    k.consoleOut(b);
    return len;
  };
}
