// Process-lifecycle system calls: clone (fork, vfork, threads), execve,
// wait4/waitid, and the resource usage they report (getrusage, times). Each
// handler decodes and validates its arguments, then calls the mechanism in
// kernel/proc (fork.ts, execve.ts, wait.ts).
//
// Concepts: C24 (fork/exec/wait), C02 (CPU time by mode).
import type { Kernel } from "../kernel.js";
import { nowNs } from "../time/clock.js";
import { type Task, type Acct, groupUsage, taskUsage, insnsToTicks } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32, putUser } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyinString, putUser32 } from "../mm/uaccess.js";
import { EINVAL, EFAULT, ENOSYS, ESRCH } from "../abi/errno.js";
import { doClone } from "../proc/fork.js";
import { doExecve, copyStrings } from "../proc/execve.js";
import { openExec } from "../fs/init.js";
import { ARG_MAX } from "../proc/exec.js";
import { doWait, type WaitSel } from "../proc/wait.js";
import { WNOHANG, WUNTRACED, WCONTINUED, WEXITED, WSTOPPED, WNOWAIT, __WNOTHREAD, __WALL, __WCLONE, P_ALL, P_PID, P_PGID } from "../abi/wait.js";
import { SIGCHLD } from "../abi/signal.js";
import { writeSiginfo } from "../signal/frame.js";
import { insnsToNs } from "./time.js";
import {
  AT_FDCWD, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, PATH_MAX,
} from "../abi/fs.js";
import { RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD, RUSAGE } from "../abi/resource.js";
import {
  pack,
} from "../abi/layout.js";
import {
  TMS, timevalOf,
} from "../abi/time.js";

// ---- clone / execve ------------------------------------------------------

function sysClone(k: Kernel, t: Task): number {
  // riscv64 uses the generic order: flags, stack, parent_tid, tls, child_tid.
  return doClone(k, t, { flags: argU32(k, 0), stack: argU(k, 1), parentTid: argU(k, 2), tls: argU(k, 3), childTid: argU(k, 4) });
}

function execCommon(k: Kernel, t: Task, path: string, argvVa: number, envpVa: number): number {
  const budget = { left: ARG_MAX };
  const argv = copyStrings(k, t, argvVa, budget);
  if (typeof argv === "number") return argv;
  const envp = copyStrings(k, t, envpVa, budget);
  if (typeof envp === "number") return envp;
  return doExecve(k, t, openExec, path, argv, envp);
}

function sysExecve(k: Kernel, t: Task): number {
  const path = copyinString(k.mmctx, t.mm!, argU(k, 0), PATH_MAX);
  if (typeof path === "number") return path;
  return execCommon(k, t, path, argU(k, 1), argU(k, 2));
}

function sysExecveat(k: Kernel, t: Task): number {
  const dirfd = argInt(k, 0), flags = argInt(k, 4);
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -EINVAL;
  let path = copyinString(k.mmctx, t.mm!, argU(k, 1), PATH_MAX);
  if (typeof path === "number") return path;
  // A descriptor-relative name is reached through /proc/self/fd (what Linux shows as /dev/fd/N).
  if (path === "") {
    if (!(flags & AT_EMPTY_PATH)) return -2; // ENOENT
    path = `/proc/self/fd/${dirfd}`;
  } else if (!path.startsWith("/") && dirfd !== AT_FDCWD) {
    path = `/proc/self/fd/${dirfd}/${path}`;
  }
  return execCommon(k, t, path, argU(k, 2), argU(k, 3));
}

// ---- wait ------------------------------------------------------------------

/** struct rusage from accounted usage. */
export function rusageBytes(a: Acct): Uint8Array {
  const b = pack(RUSAGE, {
    ru_maxrss: a.maxRss * 4, // KiB
    ru_minflt: a.minFlt, ru_majflt: a.majFlt, ru_nvcsw: a.nvcsw, ru_nivcsw: a.nivcsw,
  });
  timevalOf(insnsToNs(a.utime), b, RUSAGE.fields.ru_utime_sec[0]);
  timevalOf(insnsToNs(a.stime), b, RUSAGE.fields.ru_stime_sec[0]);
  return b;
}

function sysWait4(k: Kernel, t: Task): number {
  const pid = argInt(k, 0), statusVa = argU(k, 1), options = argInt(k, 2), ruVa = argU(k, 3);
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -EINVAL;
  if (pid === -2147483648) return -ESRCH;
  const sel: WaitSel = pid > 0 ? { kind: "pid", pid } : pid === -1 ? { kind: "all" }
    : { kind: "pgid", pgid: pid === 0 ? t.tg.pgid : -pid };
  const r = doWait(k, t, sel, options | WEXITED);
  if (typeof r === "number") return r;
  if (statusVa) {
    if (putUser32(k.mmctx, t.mm!, statusVa, r.status) < 0) return -EFAULT;
  }
  if (ruVa && putUser(k, t, ruVa, rusageBytes(r.usage)) < 0) return -EFAULT;
  return r.pid;
}

function sysWaitid(k: Kernel, t: Task): number {
  const idtype = argInt(k, 0), id = argInt(k, 1), infoVa = argU(k, 2), options = argInt(k, 3), ruVa = argU(k, 4);
  if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -EINVAL;
  if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) return -EINVAL;
  let sel: WaitSel;
  switch (idtype) {
    case P_ALL: sel = { kind: "all" }; break;
    case P_PID: if (id <= 0) return -EINVAL; sel = { kind: "pid", pid: id }; break;
    case P_PGID: if (id < 0) return -EINVAL; sel = { kind: "pgid", pgid: id === 0 ? t.tg.pgid : id }; break;
    default: return -EINVAL;
  }
  const r = doWait(k, t, sel, options);
  if (typeof r === "number" && r < 0) return r;
  if (infoVa) {
    const b = new Uint8Array(128);
    if (typeof r !== "number") {
      writeSiginfo(b, 0, {
        signo: SIGCHLD, code: r.code, addr: 0, pid: r.pid, uid: r.uid, status: r.siStatus,
        utime: insnsToTicks(r.usage.utime), stime: insnsToTicks(r.usage.stime),
      });
    }
    if (putUser(k, t, infoVa, b) < 0) return -EFAULT;
  }
  if (ruVa && typeof r !== "number" && putUser(k, t, ruVa, rusageBytes(r.usage)) < 0) return -EFAULT;
  return 0;
}

// ---- resource usage and times --------------------------------------------------

function sysGetrusage(k: Kernel, t: Task): number {
  const who = argInt(k, 0);
  let a: Acct;
  switch (who) {
    case RUSAGE_SELF: a = groupUsage(t.tg); break;
    case RUSAGE_CHILDREN: a = t.tg.cacct; break;
    case RUSAGE_THREAD: a = taskUsage(t); break;
    default: return -EINVAL;
  }
  return putUser(k, t, argU(k, 1), rusageBytes(a));
}

function sysTimes(k: Kernel, t: Task): number {
  const va = argU(k, 0);
  if (va) {
    const self = groupUsage(t.tg), ch = t.tg.cacct;
    const b = pack(TMS, {
      tms_utime: insnsToTicks(self.utime), tms_stime: insnsToTicks(self.stime),
      tms_cutime: insnsToTicks(ch.utime), tms_cstime: insnsToTicks(ch.stime),
    });
    if (putUser(k, t, va, b) < 0) return -EFAULT;
  }
  return Math.floor(nowNs(k) / 10_000_000);
}

export function registerProcessSyscalls(table: SyscallTable): void {
  table[N.SYS_clone3] = () => -ENOSYS;
  table[N.SYS_clone] = sysClone;
  table[N.SYS_execve] = sysExecve;
  table[N.SYS_execveat] = sysExecveat;
  table[N.SYS_wait4] = sysWait4;
  table[N.SYS_waitid] = sysWaitid;
  table[N.SYS_getrusage] = sysGetrusage;
  table[N.SYS_times] = sysTimes;
}
