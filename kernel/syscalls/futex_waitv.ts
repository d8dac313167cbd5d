// futex_waitv(waiters, nr_futexes, flags, timeout, clockid): the argument
// checks of Linux's kernel/futex/syscalls.c in its order - flags must be 0,
// 1..128 entries, the clock (CLOCK_MONOTONIC or CLOCK_REALTIME, only
// looked at with a timeout) and the absolute timeout, then each struct
// futex_waitv { u64 val; u64 uaddr; u32 flags; u32 __reserved; }: only
// FUTEX2_SIZE_U32 (with FUTEX2_PRIVATE) is valid, the reserved word must be
// 0 and the value must fit in 32 bits. The wait is kernel/ipc/futex_waitv.ts.
//
// Concepts: C34, C04.
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32 } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin } from "../mm/uaccess.js";
import { getU32, getU64 } from "../abi/le.js";
import { readTimespec } from "./time.js";
import { realtimeDelta } from "../time/clock.js";
import { CLOCK_REALTIME, CLOCK_MONOTONIC } from "../abi/time.js";
import { EINVAL, EFAULT } from "../abi/errno.js";
import { futexWaitv, futexWaitvRerun, FUTEX_WAITV_MAX, type WaitvEntry } from "../ipc/futex_waitv.js";

const FUTEX2_SIZE_U32 = 0x02;
const FUTEX2_SIZE_MASK = 0x03;
const FUTEX2_NUMA = 0x04;
const FUTEX2_PRIVATE = 128;
const SIZEOF_FUTEX_WAITV = 24;

function sysFutexWaitv(k: Kernel, t: Task): number {
  const va = argU(k, 0), nr = argU32(k, 1), flags = argU32(k, 2), timeout = argU(k, 3), clockid = argInt(k, 4);
  if (flags !== 0) return -EINVAL;
  if (nr === 0 || nr > FUTEX_WAITV_MAX || va === 0) return -EINVAL;
  if (!t.mm) return -EFAULT;
  let deadline = 0;
  if (timeout !== 0) {
    if (clockid !== CLOCK_REALTIME && clockid !== CLOCK_MONOTONIC) return -EINVAL;
    if (!futexWaitvRerun(t)) {
      const ns = readTimespec(k, t, timeout);
      if (ns < 0) return ns;
      deadline = clockid === CLOCK_REALTIME ? ns - realtimeDelta(k) : ns;
      if (deadline <= 0) deadline = 1; // already past; 0 means "no timeout"
    }
  }
  const b = new Uint8Array(nr * SIZEOF_FUTEX_WAITV);
  if (copyin(k.mmctx, t.mm, va, b) < 0) return -EFAULT;
  const entries: WaitvEntry[] = [];
  for (let i = 0; i < nr; i++) {
    const o = i * SIZEOF_FUTEX_WAITV;
    const valHi = getU32(b, o + 4), f = getU32(b, o + 16), reserved = getU32(b, o + 20);
    if ((f & ~(FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_PRIVATE)) || reserved !== 0) return -EINVAL;
    // Only 32-bit words exist (as in Linux); tsix has no NUMA nodes to name.
    if ((f & FUTEX2_SIZE_MASK) !== FUTEX2_SIZE_U32 || (f & FUTEX2_NUMA)) return -EINVAL;
    if (valHi !== 0) return -EINVAL;
    entries.push({ uaddr: getU64(b, o + 8), val: getU32(b, o), priv: (f & FUTEX2_PRIVATE) !== 0 });
  }
  return futexWaitv(k, t, entries, deadline);
}

export function registerFutexWaitvSyscalls(table: SyscallTable): void {
  table[N.SYS_futex_waitv] = sysFutexWaitv;
}
