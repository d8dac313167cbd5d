// timerfd system calls: timerfd_create, timerfd_settime, timerfd_gettime
// (the file itself is fs/timerfd.ts). Argument checks in Linux's order:
// an unknown clock or flag is EINVAL, an *_ALARM clock without
// CAP_WAKE_ALARM EPERM; settime reads and checks both timespecs (EFAULT,
// then EINVAL for a negative or unnormalized one) before it looks at the
// descriptor (EBADF, EINVAL when it is not a timerfd).
//
// Concepts: C12 (timers), C47 (a pollable timer file).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { EINVAL, EFAULT, EPERM } from "../abi/errno.js";
import { O_CLOEXEC, O_NONBLOCK } from "../abi/fs.js";
import { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM, ITIMERSPEC } from "../abi/time.js";
import { pack, unpack } from "../abi/layout.js";
import { fileAllocCheck } from "../fs/file_table.js";
import { installFd, fput } from "../fs/fdtable.js";
import { fdFileIO, nofile } from "./fs_util.js";
import { createTimerFd, isTimerFd, timerfdGet, timerfdSet, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET } from "../fs/timerfd.js";

/** Read a struct itimerspec: [value, interval] in ns, or -EFAULT / -EINVAL. */
export function readItimerspec(k: Kernel, t: Task, va: number): [number, number] | number {
  const b = new Uint8Array(ITIMERSPEC.size);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const v = unpack(ITIMERSPEC, b);
  for (const [s, ns] of [[v.it_interval_sec, v.it_interval_nsec], [v.it_value_sec, v.it_value_nsec]]) {
    if (s < 0 || ns < 0 || ns >= 1e9) return -EINVAL;
  }
  return [v.it_value_sec * 1e9 + v.it_value_nsec, v.it_interval_sec * 1e9 + v.it_interval_nsec];
}

/** Write a struct itimerspec: 0 or -EFAULT. */
export function writeItimerspec(k: Kernel, t: Task, va: number, value: number, interval: number): number {
  const b = pack(ITIMERSPEC, {
    it_interval_sec: Math.floor(interval / 1e9), it_interval_nsec: interval % 1e9,
    it_value_sec: Math.floor(value / 1e9), it_value_nsec: value % 1e9,
  });
  return copyout(k.mmctx, t.mm!, va, b) < 0 ? -EFAULT : 0;
}

function sysTimerfdCreate(k: Kernel, t: Task): number {
  const clockid = argInt(k, 0), flags = argInt(k, 1);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  if (clockid !== CLOCK_REALTIME && clockid !== CLOCK_MONOTONIC && clockid !== CLOCK_BOOTTIME &&
      clockid !== CLOCK_REALTIME_ALARM && clockid !== CLOCK_BOOTTIME_ALARM) return -EINVAL;
  // CAP_WAKE_ALARM: root only (tsix keeps no capability sets apart from the uid).
  if ((clockid === CLOCK_REALTIME_ALARM || clockid === CLOCK_BOOTTIME_ALARM) && t.tg.creds.euid !== 0) return -EPERM;
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const f = createTimerFd(k, clockid, flags);
  const fd = installFd(t.files, f, (flags & O_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

function timerFile(t: Task, fd: number): File | number {
  const f = fdFileIO(t, fd);
  if (typeof f === "number") return f;
  return isTimerFd(f) ? f : -EINVAL;
}

function sysTimerfdSettime(k: Kernel, t: Task): number {
  const fd = argInt(k, 0), flags = argInt(k, 1), newVa = argU(k, 2), oldVa = argU(k, 3);
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -EINVAL;
  const spec = readItimerspec(k, t, newVa);
  if (typeof spec === "number") return spec;
  const f = timerFile(t, fd);
  if (typeof f === "number") return f;
  const [v, i] = timerfdGet(k, f);
  timerfdSet(k, f, flags, spec[0], spec[1]);
  // As Linux: the old setting is copied out after the new one took effect.
  return oldVa ? writeItimerspec(k, t, oldVa, v, i) : 0;
}

function sysTimerfdGettime(k: Kernel, t: Task): number {
  const f = timerFile(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const [v, i] = timerfdGet(k, f);
  return writeItimerspec(k, t, argU(k, 1), v, i);
}

export function registerTimerfdSyscalls(table: SyscallTable): void {
  table[N.SYS_timerfd_create] = sysTimerfdCreate;
  table[N.SYS_timerfd_settime] = sysTimerfdSettime;
  table[N.SYS_timerfd_gettime] = sysTimerfdGettime;
}
