// System V IPC system calls: msgget/msgsnd/msgrcv/msgctl,
// semget/semop/semtimedop/semctl and shmget/shmat/shmdt/shmctl. They decode
// arguments and call kernel/ipc/msg.ts, sem.ts and shm.ts.
//
// Concepts: C04 (the syscall layer only decodes), C34 (semaphores), C42 (message queues), C43 (shared memory).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argS64, argBig } from "./args.js";
import { readTimespec } from "./time.js";
import * as N from "../abi/sysno.js";
import { E2BIG, EFAULT, EINVAL } from "../abi/errno.js";
import { copyin } from "../mm/uaccess.js";
import { msgGet, msgSnd, msgRcv, msgCtl } from "../ipc/msg.js";
import { shmGet, shmAt, shmDt, shmCtl } from "../ipc/shm.js";
import { semGet, semOp, semCtl, semopMax, SEMBUF_SIZE, type SemOp } from "../ipc/sem.js";

function sysMsgget(k: Kernel, t: Task): number {
  return msgGet(k, t, argInt(k, 0), argInt(k, 1));
}

function sysMsgsnd(k: Kernel, t: Task): number {
  return msgSnd(k, t, N.SYS_msgsnd, argInt(k, 0), argU(k, 1), argS64(k, 2), argInt(k, 3));
}

function sysMsgrcv(k: Kernel, t: Task): number {
  return msgRcv(k, t, N.SYS_msgrcv, argInt(k, 0), argU(k, 1), argS64(k, 2), argS64(k, 3), argInt(k, 4));
}

function sysMsgctl(k: Kernel, t: Task): number {
  return msgCtl(k, t, argInt(k, 0), argInt(k, 1), argU(k, 2));
}

function sysSemget(k: Kernel, t: Task): number {
  return semGet(k, t, argInt(k, 0), argInt(k, 1), argInt(k, 2));
}

function readOps(k: Kernel, t: Task, va: number, n: number): SemOp[] | number {
  if (n < 1) return -EINVAL;
  if (n > semopMax(k)) return -E2BIG;
  const b = new Uint8Array(n * SEMBUF_SIZE);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const ops: SemOp[] = [];
  for (let i = 0; i < n; i++) {
    const p = i * SEMBUF_SIZE;
    // struct sembuf: unsigned short sem_num; short sem_op; short sem_flg.
    ops.push({ num: b[p] | (b[p + 1] << 8), op: ((b[p + 2] | (b[p + 3] << 8)) << 16) >> 16, flg: ((b[p + 4] | (b[p + 5] << 8)) << 16) >> 16 });
  }
  return ops;
}

function semtimed(k: Kernel, t: Task, nr: number, timeout: number): number {
  const id = argInt(k, 0);
  const ops = readOps(k, t, argU(k, 1), argU(k, 2));
  if (typeof ops === "number") { t.restart = null; return ops; }
  // The timeout is read on the first run only: a rerun keeps its deadline (restart block).
  const r = t.restart;
  const rerun = r !== null && r.kind === "sysv" && r.nr === nr && r.id === id;
  let ns = -1;
  if (timeout !== 0 && !rerun) {
    ns = readTimespec(k, t, timeout);
    if (ns < 0) { t.restart = null; return ns; }
  }
  return semOp(k, t, nr, id, ops, ns);
}

function sysSemop(k: Kernel, t: Task): number {
  return semtimed(k, t, N.SYS_semop, 0);
}

function sysSemtimedop(k: Kernel, t: Task): number {
  return semtimed(k, t, N.SYS_semtimedop, argU(k, 3));
}

function sysSemctl(k: Kernel, t: Task): number {
  return semCtl(k, t, argInt(k, 0), argInt(k, 1), argInt(k, 2), argU(k, 3), argInt(k, 3));
}

function sysShmget(k: Kernel, t: Task): number {
  return shmGet(k, t, argInt(k, 0), argBig(k, 1), argInt(k, 2));
}

function sysShmat(k: Kernel, t: Task): number {
  return shmAt(k, t, argInt(k, 0), argU(k, 1), argInt(k, 2));
}

function sysShmdt(k: Kernel, t: Task): number {
  return shmDt(k, t, argU(k, 0));
}

function sysShmctl(k: Kernel, t: Task): number {
  return shmCtl(k, t, argInt(k, 0), argInt(k, 1), argU(k, 2));
}

export function registerSysvSyscalls(tbl: SyscallTable): void {
  tbl[N.SYS_msgget] = sysMsgget;
  tbl[N.SYS_msgsnd] = sysMsgsnd;
  tbl[N.SYS_msgrcv] = sysMsgrcv;
  tbl[N.SYS_msgctl] = sysMsgctl;
  tbl[N.SYS_semget] = sysSemget;
  tbl[N.SYS_semop] = sysSemop;
  tbl[N.SYS_semtimedop] = sysSemtimedop;
  tbl[N.SYS_semctl] = sysSemctl;
  tbl[N.SYS_shmget] = sysShmget;
  tbl[N.SYS_shmat] = sysShmat;
  tbl[N.SYS_shmdt] = sysShmdt;
  tbl[N.SYS_shmctl] = sysShmctl;
}
