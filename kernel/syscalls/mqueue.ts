// POSIX message queue system calls: mq_open, mq_unlink, mq_timedsend,
// mq_timedreceive, mq_notify, mq_getsetattr. They decode arguments (the
// name, the absolute timeout) and call kernel/ipc/mqueue.ts.
//
// Concepts: C04 (the syscall layer only decodes), C42 (message queues).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argU32, argInt } from "./args.js";
import { EINVAL } from "../abi/errno.js";
import { readPath } from "./fs_util.js";
import { readTimespec } from "./time.js";
import * as N from "../abi/sysno.js";
import { mqOpen, mqUnlink, mqSend, mqReceive, mqNotify, mqGetSetAttr } from "../ipc/mqueue.js";

/** The absolute timeout argument as ns (-1: none), or -errno (EFAULT, EINVAL), read before anything else as Linux. */
function timeout(k: Kernel, t: Task, va: number): number {
  return va === 0 ? -1 : readTimespec(k, t, va);
}

function sysMqOpen(k: Kernel, t: Task): number {
  const name = readPath(k, t, argU(k, 0));
  if (typeof name === "number") return name;
  return mqOpen(k, t, name, argInt(k, 1), argInt(k, 2), argU(k, 3));
}

function sysMqUnlink(k: Kernel, t: Task): number {
  const name = readPath(k, t, argU(k, 0));
  if (typeof name === "number") return name;
  return mqUnlink(k, t, name);
}

function sysMqTimedsend(k: Kernel, t: Task): number {
  const prio = argU32(k, 3); // unsigned int msg_prio
  if (prio >= 32768) return -EINVAL; // MQ_PRIO_MAX: checked before the timeout is read, as do_mq_timedsend
  const ns = timeout(k, t, argU(k, 4));
  if (ns < -1) return ns;
  return mqSend(k, t, argInt(k, 0), argU(k, 1), argU(k, 2), prio, ns);
}

function sysMqTimedreceive(k: Kernel, t: Task): number {
  const ns = timeout(k, t, argU(k, 4));
  if (ns < -1) return ns;
  return mqReceive(k, t, argInt(k, 0), argU(k, 1), argU(k, 2), argU(k, 3), ns);
}

function sysMqNotify(k: Kernel, t: Task): number {
  return mqNotify(k, t, argInt(k, 0), argU(k, 1));
}

function sysMqGetsetattr(k: Kernel, t: Task): number {
  return mqGetSetAttr(k, t, argInt(k, 0), argU(k, 1), argU(k, 2));
}

export function registerMqueueSyscalls(tbl: SyscallTable): void {
  tbl[N.SYS_mq_open] = sysMqOpen;
  tbl[N.SYS_mq_unlink] = sysMqUnlink;
  tbl[N.SYS_mq_timedsend] = sysMqTimedsend;
  tbl[N.SYS_mq_timedreceive] = sysMqTimedreceive;
  tbl[N.SYS_mq_notify] = sysMqNotify;
  tbl[N.SYS_mq_getsetattr] = sysMqGetsetattr;
}
