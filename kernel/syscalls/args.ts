// Decoding a syscall's arguments: the handler type, the table type, and the
// helpers that read a0-a5 as the C types Linux's prototypes give them.
// Every handler module imports these; the table (table.ts) imports every
// handler module, so the two are kept apart to keep the chain one-way.
//
// Concepts: C04 (arguments in registers), C05 (the ABI).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { getReg, getRegInt, getRegSigned, getRegBig, REG_A0 } from "../arch/regs.js";
import { copyout } from "../mm/uaccess.js";
import { EFAULT } from "../abi/errno.js";

export type SyscallHandler = (k: Kernel, t: Task) => number;

export type SyscallTable = (SyscallHandler | undefined)[];

/** Argument i (0-5) as an unsigned number: addresses, sizes. */
export function argU(k: Kernel, i: number): number { return getReg(k.regs, REG_A0 + i); }
/** Argument i as a signed 32-bit int: fds, flags, pids, modes. */
export function argInt(k: Kernel, i: number): number { return getRegInt(k.regs, REG_A0 + i); }
/** Argument i as a signed 64-bit value (file offsets). */
export function argS64(k: Kernel, i: number): number { return getRegSigned(k.regs, REG_A0 + i); }
export function argBig(k: Kernel, i: number): bigint { return getRegBig(k.regs, REG_A0 + i); }
/** Argument i as an unsigned 32-bit value (flag words). */
export function argU32(k: Kernel, i: number): number { return k.regs.w[(REG_A0 + i) * 2]; }

/** Copy a result out to the caller's memory at `va`: 0, or -EFAULT. */
export function putUser(k: Kernel, t: Task, va: number, b: Uint8Array): number {
  return copyout(k.mmctx, t.mm!, va, b) < 0 ? -EFAULT : 0;
}
