// futex(2): decodes the operation and its arguments and calls the futex
// code in kernel/ipc/futex.ts (wait queues keyed by address, requeue,
// wake-op, timeouts).
//
// Concepts: C33 (threads), C34 (sleeping locks), C04 (the syscall layer only decodes).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32 } from "./args.js";
import { readTimespec } from "./time.js";
import * as N from "../abi/sysno.js";
import { EFAULT, EINVAL, ENOSYS } from "../abi/errno.js";
import { futexWait, futexWaitRerun, futexRequeue, futexWakeOp, futexKey, wakeKey } from "../ipc/futex.js";
import { FUTEX_WAIT, FUTEX_WAKE, FUTEX_FD, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP, FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET, FUTEX_WAIT_REQUEUE_PI, FUTEX_CMP_REQUEUE_PI, FUTEX_LOCK_PI2, FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME, FUTEX_BITSET_MATCH_ANY } from "../abi/futex.js";

function sysFutex(k: Kernel, t: Task): number {
  const uaddr = argU(k, 0), op = argInt(k, 1), val = argU32(k, 2);
  const timeout = argU(k, 3), uaddr2 = argU(k, 4), val3 = argU32(k, 5);
  const priv = (op & FUTEX_PRIVATE_FLAG) !== 0;
  const realtime = (op & FUTEX_CLOCK_REALTIME) !== 0;
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  if (realtime && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT_REQUEUE_PI && cmd !== FUTEX_LOCK_PI2) return -ENOSYS;
  if (!t.mm) return -EFAULT;
  // The fourth argument doubles as a count for the requeue and wake-op commands.
  const val2 = k.regs.i[(10 + 3) * 2];
  if (cmd === FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET) {
    // The timeout is read on the first run only: a rerun after a wake-up keeps its deadline.
    let ns = -1;
    if (timeout !== 0 && !futexWaitRerun(t)) {
      ns = readTimespec(k, t, timeout);
      if (ns < 0) return ns;
    }
    if (cmd === FUTEX_WAIT) return futexWait(k, t, uaddr, val, ns, FUTEX_BITSET_MATCH_ANY, priv, false, false);
    return futexWait(k, t, uaddr, val, ns, val3, priv, true, realtime);
  }
  switch (cmd) {
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET: {
      const bitset = cmd === FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3;
      if (bitset === 0) return -EINVAL;
      const key = futexKey(k, t.mm, uaddr, priv);
      if (typeof key === "number") return key;
      return wakeKey(k, key, val | 0, bitset);
    }
    case FUTEX_REQUEUE: return futexRequeue(k, t, uaddr, val | 0, val2, uaddr2, null, priv);
    case FUTEX_CMP_REQUEUE: return futexRequeue(k, t, uaddr, val | 0, val2, uaddr2, val3, priv);
    case FUTEX_WAKE_OP: return futexWakeOp(k, t, uaddr, val | 0, val2, uaddr2, val3, priv);
    case FUTEX_FD: case FUTEX_LOCK_PI: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI: case FUTEX_WAIT_REQUEUE_PI:
    case FUTEX_CMP_REQUEUE_PI: case FUTEX_LOCK_PI2:
      return -ENOSYS;
    default:
      return -ENOSYS;
  }
}

export function registerFutexSyscalls(tbl: SyscallTable): void {
  tbl[N.SYS_futex] = sysFutex;
}
