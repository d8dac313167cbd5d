// Process-lifecycle system calls: clone (fork, vfork, threads), execve,
// wait4/waitid, process groups and sessions, credentials and capabilities,
// resource usage and times, scheduling parameters, nice values and
// affinity. Each handler decodes and validates its arguments, then calls the
// mechanism in kernel/proc (fork.ts, execve.ts, wait.ts, exit.ts). futex and
// the signal calls register from their own files.
//
// Concepts: C24 (fork/exec/wait), C25 (sessions, daemons), C26 (process
// groups), C27 (user and group ids), C02 (CPU time by mode), C29/C31
// (scheduling policy, nice, affinity).
import type { Kernel } from "../kernel.js";
import { schedule, schedYield, setAffinity, sliceFor } from "../sched/core.js";
import { nowNs } from "../time/clock.js";
import type { Task, ThreadGroup, Acct, Creds } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32 } from "./args.js";
import { JUSTRETURN } from "../abi/errno.js";
import * as N from "../abi/sysno.js";
import { copyin, copyout, copyinString } from "../mm/uaccess.js";
import { setPc, setReg, REG_A0 } from "../arch/regs.js";
import {
  EINVAL, EFAULT, ENOSYS, EPERM, ESRCH, EACCES,
} from "../abi/errno.js";
import { doClone } from "../proc/fork.js";
import { doExecve, copyStrings } from "../proc/execve.js";
import { openExec } from "../fs/init.js";
import { ARG_MAX } from "../proc/exec.js";
import { doWait, type WaitSel } from "../proc/wait.js";
import { WNOHANG, WUNTRACED, WCONTINUED, WEXITED, WSTOPPED, WNOWAIT, __WNOTHREAD, __WALL, __WCLONE, P_ALL, P_PID, P_PGID } from "../abi/wait.js";
import { groupUsage, taskUsage, insnsToTicks } from "../proc/task.js";
import { SIGCHLD } from "../abi/signal.js";
import { writeSiginfo } from "../signal/frame.js";
import { registerFutexSyscalls } from "./futex.js";
import { insnsToNs } from "./time.js";
import {
  AT_FDCWD, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, PATH_MAX,
} from "../abi/fs.js";
import { SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_RESET_ON_FORK } from "../abi/sched.js";
import {
  CAP_V1, CAP_V2, CAP_V3,
} from "../abi/capability.js";
import {
  RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD, PRIO_PROCESS, PRIO_PGRP, PRIO_USER,
} from "../abi/resource.js";
import {
  RLIMIT_NICE,
} from "../abi/resource.js";

function put(k: Kernel, t: Task, va: number, b: Uint8Array): number {
  return copyout(k.mmctx, t.mm!, va, b) < 0 ? -EFAULT : 0;
}

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

function timevalBytes(dv: DataView, off: number, ns: number): void {
  dv.setBigInt64(off, BigInt(Math.floor(ns / 1e9)), true);
  dv.setBigInt64(off + 8, BigInt(Math.floor((ns % 1e9) / 1000)), true);
}

/** struct rusage (144 bytes) from accounted usage. */
export function rusageBytes(a: Acct): Uint8Array {
  const b = new Uint8Array(144);
  const dv = new DataView(b.buffer);
  timevalBytes(dv, 0, insnsToNs(a.utime));
  timevalBytes(dv, 16, insnsToNs(a.stime));
  dv.setBigInt64(32, BigInt(a.maxRss * 4), true);        // ru_maxrss in KiB
  dv.setBigInt64(64, BigInt(a.minFlt), true);
  dv.setBigInt64(72, BigInt(a.majFlt), true);
  dv.setBigInt64(128, BigInt(a.nvcsw), true);
  dv.setBigInt64(136, BigInt(a.nivcsw), true);
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
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, r.status, true);
    if (put(k, t, statusVa, b) < 0) return -EFAULT;
  }
  if (ruVa && put(k, t, ruVa, rusageBytes(r.usage)) < 0) return -EFAULT;
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
    if (put(k, t, infoVa, b) < 0) return -EFAULT;
  }
  if (ruVa && typeof r !== "number" && put(k, t, ruVa, rusageBytes(r.usage)) < 0) return -EFAULT;
  return 0;
}

// ---- process groups and sessions ---------------------------------------------

/** The process with pid `pid` (a thread id finds its process too), or undefined. */
function findProcess(k: Kernel, pid: number): ThreadGroup | undefined {
  return k.groups.get(pid) ?? k.tasks.get(pid)?.tg;
}

function sysSetpgid(k: Kernel, t: Task): number {
  const me = t.tg;
  let pid = argInt(k, 0), pgid = argInt(k, 1);
  if (pid === 0) pid = me.pid;
  if (pgid === 0) pgid = pid;
  if (pgid < 0) return -EINVAL;
  const p = findProcess(k, pid);
  if (!p || p.zombie) return -ESRCH;
  if (p.pid !== pid) return -EINVAL; // not a thread-group leader
  if (p.parent === me) {
    if (p.sid !== me.sid) return -EPERM;
    if (p.didExec) return -EACCES;
  } else if (p !== me) {
    return -ESRCH;
  }
  if (p.sid === p.pid) return -EPERM; // a session leader cannot move
  if (pgid !== pid) {
    let found = false;
    for (const g of k.groups.values()) if (g.pgid === pgid && g.sid === me.sid) { found = true; break; }
    if (!found) return -EPERM;
  }
  p.pgid = pgid;
  return 0;
}

function sysGetpgid(k: Kernel, t: Task): number {
  const pid = argInt(k, 0);
  if (pid === 0) return t.tg.pgid;
  const p = findProcess(k, pid);
  return p ? p.pgid : -ESRCH;
}

function sysGetsid(k: Kernel, t: Task): number {
  const pid = argInt(k, 0);
  if (pid === 0) return t.tg.sid;
  const p = findProcess(k, pid);
  return p ? p.sid : -ESRCH;
}

function sysSetsid(k: Kernel, t: Task): number {
  const me = t.tg;
  for (const g of k.groups.values()) if (g.pgid === me.pid) return -EPERM;
  me.sid = me.pid;
  me.pgid = me.pid;
  me.tty = 0;
  return me.sid;
}

// ---- credentials ---------------------------------------------------------------

const NO_ID = 0xffffffff;
const NGROUPS_MAX = 65536;

function sysSetuid(k: Kernel, t: Task): number {
  const c = t.tg.creds, uid = argU32(k, 0);
  if (uid === NO_ID) return -EINVAL;
  if (c.euid === 0) { c.uid = c.euid = c.suid = c.fsuid = uid; return 0; }
  if (uid !== c.uid && uid !== c.suid) return -EPERM;
  c.euid = c.fsuid = uid;
  return 0;
}

function sysSetgid(k: Kernel, t: Task): number {
  const c = t.tg.creds, gid = argU32(k, 0);
  if (gid === NO_ID) return -EINVAL;
  if (c.euid === 0) { c.gid = c.egid = c.sgid = c.fsgid = gid; return 0; }
  if (gid !== c.gid && gid !== c.sgid) return -EPERM;
  c.egid = c.fsgid = gid;
  return 0;
}

/** setreuid/setregid: -1 leaves a field alone; the saved id follows a changed effective id. */
function setre(c: Creds, r: number, e: number, which: "uid" | "gid"): number {
  const priv = c.euid === 0;
  const R = which === "uid" ? c.uid : c.gid, E = which === "uid" ? c.euid : c.egid, S = which === "uid" ? c.suid : c.sgid;
  if (r !== NO_ID && !priv && r !== R && r !== E) return -EPERM;
  if (e !== NO_ID && !priv && e !== R && e !== E && e !== S) return -EPERM;
  const nr = r !== NO_ID ? r : R, ne = e !== NO_ID ? e : E;
  const ns = r !== NO_ID || (e !== NO_ID && e !== R) ? ne : S;
  if (which === "uid") { c.uid = nr; c.euid = ne; c.suid = ns; c.fsuid = ne; }
  else { c.gid = nr; c.egid = ne; c.sgid = ns; c.fsgid = ne; }
  return 0;
}

function setres(c: Creds, r: number, e: number, s: number, which: "uid" | "gid"): number {
  const priv = c.euid === 0;
  const cur = which === "uid" ? [c.uid, c.euid, c.suid] : [c.gid, c.egid, c.sgid];
  for (const v of [r, e, s]) if (v !== NO_ID && !priv && !cur.includes(v)) return -EPERM;
  const nr = r !== NO_ID ? r : cur[0], ne = e !== NO_ID ? e : cur[1], ns = s !== NO_ID ? s : cur[2];
  if (which === "uid") { c.uid = nr; c.euid = ne; c.suid = ns; c.fsuid = ne; }
  else { c.gid = nr; c.egid = ne; c.sgid = ns; c.fsgid = ne; }
  return 0;
}

function getres(k: Kernel, t: Task, ids: number[]): number {
  for (let i = 0; i < 3; i++) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, ids[i] >>> 0, true);
    if (put(k, t, argU(k, i), b) < 0) return -EFAULT;
  }
  return 0;
}

function sysSetfsuid(k: Kernel, t: Task): number {
  const c = t.tg.creds, id = argU32(k, 0), old = c.fsuid;
  if (id !== NO_ID && (c.euid === 0 || [c.uid, c.euid, c.suid, c.fsuid].includes(id))) c.fsuid = id;
  return old;
}

function sysSetfsgid(k: Kernel, t: Task): number {
  const c = t.tg.creds, id = argU32(k, 0), old = c.fsgid;
  if (id !== NO_ID && (c.euid === 0 || [c.gid, c.egid, c.sgid, c.fsgid].includes(id))) c.fsgid = id;
  return old;
}

function sysGetgroups(k: Kernel, t: Task): number {
  const size = argInt(k, 0), va = argU(k, 1);
  const g = t.tg.creds.groups;
  if (size < 0) return -EINVAL;
  if (size === 0) return g.length;
  if (size < g.length) return -EINVAL;
  const b = new Uint8Array(g.length * 4);
  const dv = new DataView(b.buffer);
  g.forEach((x, i) => dv.setUint32(i * 4, x >>> 0, true));
  if (g.length && put(k, t, va, b) < 0) return -EFAULT;
  return g.length;
}

function sysSetgroups(k: Kernel, t: Task): number {
  const size = argInt(k, 0), va = argU(k, 1);
  if (t.tg.creds.euid !== 0) return -EPERM;
  if (size < 0 || size > NGROUPS_MAX) return -EINVAL;
  const b = new Uint8Array(size * 4);
  if (size && copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const dv = new DataView(b.buffer);
  t.tg.creds.groups = Array.from({ length: size }, (_, i) => dv.getUint32(i * 4, true));
  return 0;
}

// ---- capabilities (minimal: root has them all, others none) -------------------

const CAP_FULL = [0xffffffff, 0x1ff]; // CAP_LAST_CAP = 40

function capHeader(k: Kernel, t: Task): { version: number; pid: number } | number {
  const b = new Uint8Array(8);
  const va = argU(k, 0);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const dv = new DataView(b.buffer);
  const version = dv.getUint32(0, true), pid = dv.getInt32(4, true);
  if (version !== CAP_V1 && version !== CAP_V2 && version !== CAP_V3) {
    dv.setUint32(0, CAP_V3, true);
    if (put(k, t, va, b.subarray(0, 4)) < 0) return -EFAULT;
    // A probe without a data pointer learns the preferred version and succeeds.
    return argU(k, 1) === 0 ? 0 : -EINVAL;
  }
  return { version, pid };
}

function capsOf(tg: ThreadGroup): number[] {
  return tg.creds.euid === 0 ? CAP_FULL : [0, 0];
}

function sysCapget(k: Kernel, t: Task): number {
  const h = capHeader(k, t);
  if (typeof h === "number") return h;
  if (h.pid < 0) return -EINVAL;
  const tg = h.pid === 0 ? t.tg : findProcess(k, h.pid);
  if (!tg) return -ESRCH;
  const dataVa = argU(k, 1);
  if (!dataVa) return 0;
  const words = h.version === CAP_V1 ? 1 : 2;
  const caps = capsOf(tg);
  const b = new Uint8Array(words * 12);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < words; i++) {
    dv.setUint32(i * 12, caps[i] >>> 0, true);     // effective
    dv.setUint32(i * 12 + 4, caps[i] >>> 0, true); // permitted
    dv.setUint32(i * 12 + 8, 0, true);             // inheritable
  }
  return put(k, t, dataVa, b);
}

function sysCapset(k: Kernel, t: Task): number {
  const h = capHeader(k, t);
  if (typeof h === "number") return h;
  if (h.pid !== 0 && h.pid !== t.tg.pid && h.pid !== t.tid) return -EPERM;
  const words = h.version === CAP_V1 ? 1 : 2;
  const b = new Uint8Array(words * 12);
  if (copyin(k.mmctx, t.mm!, argU(k, 1), b) < 0) return -EFAULT;
  const dv = new DataView(b.buffer);
  const have = capsOf(t.tg);
  for (let i = 0; i < words; i++) {
    const eff = dv.getUint32(i * 12, true), perm = dv.getUint32(i * 12 + 4, true);
    // Capabilities can only be kept or dropped, never gained; effective must be within permitted.
    if ((perm & ~have[i]) >>> 0 || (eff & ~perm) >>> 0) return -EPERM;
  }
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
  return put(k, t, argU(k, 1), rusageBytes(a));
}

function sysTimes(k: Kernel, t: Task): number {
  const va = argU(k, 0);
  if (va) {
    const self = groupUsage(t.tg), ch = t.tg.cacct;
    const b = new Uint8Array(32);
    const dv = new DataView(b.buffer);
    [self.utime, self.stime, ch.utime, ch.stime].forEach((x, i) => dv.setBigInt64(i * 8, BigInt(insnsToTicks(x)), true));
    if (put(k, t, va, b) < 0) return -EFAULT;
  }
  return Math.floor(nowNs(k) / 10_000_000);
}

// ---- scheduling ----------------------------------------------------------------

/** The thread a scheduling call names (0 = the caller). */
function schedTarget(k: Kernel, t: Task, pid: number): Task | number {
  if (pid < 0) return -EINVAL;
  if (pid === 0) return t;
  return k.tasks.get(pid) ?? -ESRCH;
}

/** May `t` change the scheduling of `target`? */
function maySched(t: Task, target: Task): boolean {
  const c = t.tg.creds, tc = target.tg.creds;
  return c.euid === 0 || c.euid === tc.uid || c.euid === tc.euid;
}

function isRt(policy: number): boolean { return policy === SCHED_FIFO || policy === SCHED_RR; }

function readPrio(k: Kernel, t: Task, va: number): number {
  const b = new Uint8Array(4);
  if (!va || copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  return new DataView(b.buffer).getInt32(0, true);
}

function setScheduler(t: Task, target: Task, policy: number, prio: number): number {
  if (![SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE].includes(policy)) return -EINVAL;
  if (isRt(policy) ? prio < 1 || prio > 99 : prio !== 0) return -EINVAL;
  if (!maySched(t, target)) return -EPERM;
  if (isRt(policy) && t.tg.creds.euid !== 0) return -EPERM;
  target.sched.policy = policy;
  target.sched.rtPriority = prio;
  return 0;
}

function sysSchedSetscheduler(k: Kernel, t: Task): number {
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  const prio = readPrio(k, t, argU(k, 2));
  if (prio === -EFAULT && argU(k, 2) === 0) return -EINVAL;
  if (prio === -EFAULT) return prio;
  return setScheduler(t, target, argInt(k, 1) & ~SCHED_RESET_ON_FORK, prio);
}

function sysSchedSetparam(k: Kernel, t: Task): number {
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  if (argU(k, 1) === 0) return -EINVAL;
  const prio = readPrio(k, t, argU(k, 1));
  if (prio === -EFAULT) return prio;
  return setScheduler(t, target, target.sched.policy, prio);
}

function sysSchedGetparam(k: Kernel, t: Task): number {
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  if (argU(k, 1) === 0) return -EINVAL;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, target.sched.rtPriority, true);
  return put(k, t, argU(k, 1), b);
}

function sysSchedRrGetInterval(k: Kernel, t: Task): number {
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  const ns = target.sched.policy === SCHED_FIFO ? 0 : sliceFor(k, target);
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, BigInt(Math.floor(ns / 1e9)), true);
  dv.setBigInt64(8, BigInt(ns % 1e9), true);
  return put(k, t, argU(k, 1), b);
}

function onlineMask(k: Kernel): number {
  return 2 ** Math.min(k.cpus.length, 32) - 1;
}

function sysSchedGetaffinity(k: Kernel, t: Task): number {
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  const len = argU(k, 1);
  if (len * 8 < k.cpus.length || (len & 7) !== 0) return -EINVAL;
  const b = new Uint8Array(8);
  new DataView(b.buffer).setUint32(0, (target.sched.affinity & onlineMask(k)) >>> 0, true);
  if (put(k, t, argU(k, 2), b) < 0) return -EFAULT;
  return 8;
}

/**
 * Give up the CPU now (the task stays runnable): sched_yield (`yield`: the
 * class's yield_task places it) and an affinity change that excludes this
 * hart (the scheduler moves it to a hart it may use).
 */
function yieldCpu(k: Kernel, t: Task, yieldTask: boolean): number {
  setReg(k.regs, REG_A0, 0);
  setPc(k.regs, t.sysPc + 4);
  t.sysNr = -1;
  const cpu = k.cpus[k.active];
  if (cpu.current === t) {
    if (yieldTask) schedYield(k, cpu);
    else schedule(k, cpu, false);
  }
  return JUSTRETURN;
}

function sysSchedSetaffinity(k: Kernel, t: Task): number {
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  const len = Math.min(argU(k, 1), 8);
  const b = new Uint8Array(8);
  if (len > 0 && copyin(k.mmctx, t.mm!, argU(k, 2), b, 0, len) < 0) return -EFAULT;
  const mask = new DataView(b.buffer).getUint32(0, true) & onlineMask(k);
  if (mask === 0) return -EINVAL;
  if (!maySched(t, target)) return -EPERM;
  setAffinity(k, target, mask);
  // Running somewhere it may no longer run: move now.
  if (target === t && !(mask & (1 << k.active))) return yieldCpu(k, t, false);
  return 0;
}

// ---- nice values -------------------------------------------------------------------


function prioTargets(k: Kernel, t: Task, which: number, who: number): Task[] | number {
  switch (which) {
    case PRIO_PROCESS: {
      const x = who === 0 ? t : k.tasks.get(who);
      return x ? [x] : [];
    }
    case PRIO_PGRP: {
      const pg = who === 0 ? t.tg.pgid : who;
      return [...k.groups.values()].filter((g) => g.pgid === pg && !g.zombie).flatMap((g) => g.threads);
    }
    case PRIO_USER: {
      const uid = who === 0 ? t.tg.creds.uid : who;
      return [...k.groups.values()].filter((g) => g.creds.uid === uid && !g.zombie).flatMap((g) => g.threads);
    }
    default: return -EINVAL;
  }
}

function sysSetpriority(k: Kernel, t: Task): number {
  const targets = prioTargets(k, t, argInt(k, 0), argInt(k, 1));
  if (typeof targets === "number") return targets;
  if (targets.length === 0) return -ESRCH;
  const nice = Math.max(-20, Math.min(19, argInt(k, 2)));
  let err = 0;
  for (const x of targets) {
    if (!maySched(t, x)) { err = -EPERM; continue; }
    // Raising priority (lowering nice) needs privilege (RLIMIT_NICE is 0 by default).
    const rlim = t.tg.rlimits[RLIMIT_NICE]?.cur ?? 0;
    if (nice < x.sched.nice && t.tg.creds.euid !== 0 && 20 - nice > rlim) { err = -EACCES; continue; }
    x.sched.nice = nice;
  }
  return err;
}

function sysGetpriority(k: Kernel, t: Task): number {
  const targets = prioTargets(k, t, argInt(k, 0), argInt(k, 1));
  if (typeof targets === "number") return targets;
  if (targets.length === 0) return -ESRCH;
  // The kernel returns 20 - nice (1..40) so that the value is never negative; glibc converts.
  return Math.max(...targets.map((x) => 20 - x.sched.nice));
}

export function registerLifecycleSyscalls(table: SyscallTable): void {
  table[N.SYS_clone] = sysClone;
  table[N.SYS_clone3] = () => -ENOSYS;
  table[N.SYS_execve] = sysExecve;
  table[N.SYS_execveat] = sysExecveat;
  table[N.SYS_wait4] = sysWait4;
  table[N.SYS_waitid] = sysWaitid;
  table[N.SYS_setpgid] = sysSetpgid;
  table[N.SYS_getpgid] = sysGetpgid;
  table[N.SYS_getsid] = sysGetsid;
  table[N.SYS_setsid] = sysSetsid;
  table[N.SYS_setuid] = sysSetuid;
  table[N.SYS_setgid] = sysSetgid;
  table[N.SYS_setreuid] = (k, t) => setre(t.tg.creds, argU32(k, 0), argU32(k, 1), "uid");
  table[N.SYS_setregid] = (k, t) => setre(t.tg.creds, argU32(k, 0), argU32(k, 1), "gid");
  table[N.SYS_setresuid] = (k, t) => setres(t.tg.creds, argU32(k, 0), argU32(k, 1), argU32(k, 2), "uid");
  table[N.SYS_setresgid] = (k, t) => setres(t.tg.creds, argU32(k, 0), argU32(k, 1), argU32(k, 2), "gid");
  table[N.SYS_getresuid] = (k, t) => getres(k, t, [t.tg.creds.uid, t.tg.creds.euid, t.tg.creds.suid]);
  table[N.SYS_getresgid] = (k, t) => getres(k, t, [t.tg.creds.gid, t.tg.creds.egid, t.tg.creds.sgid]);
  table[N.SYS_setfsuid] = sysSetfsuid;
  table[N.SYS_setfsgid] = sysSetfsgid;
  table[N.SYS_getgroups] = sysGetgroups;
  table[N.SYS_setgroups] = sysSetgroups;
  table[N.SYS_capget] = sysCapget;
  table[N.SYS_capset] = sysCapset;
  table[N.SYS_getrusage] = sysGetrusage;
  table[N.SYS_times] = sysTimes;
  table[N.SYS_sched_setscheduler] = sysSchedSetscheduler;
  table[N.SYS_sched_getscheduler] = (k, t) => { const x = schedTarget(k, t, argInt(k, 0)); return typeof x === "number" ? x : x.sched.policy; };
  table[N.SYS_sched_setparam] = sysSchedSetparam;
  table[N.SYS_sched_getparam] = sysSchedGetparam;
  table[N.SYS_sched_get_priority_max] = (k) => { const p = argInt(k, 0); return isRt(p) ? 99 : [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE].includes(p) ? 0 : -EINVAL; };
  table[N.SYS_sched_get_priority_min] = (k) => { const p = argInt(k, 0); return isRt(p) ? 1 : [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE].includes(p) ? 0 : -EINVAL; };
  table[N.SYS_sched_rr_get_interval] = sysSchedRrGetInterval;
  table[N.SYS_sched_getaffinity] = sysSchedGetaffinity;
  table[N.SYS_sched_setaffinity] = sysSchedSetaffinity;
  table[N.SYS_sched_yield] = (k, t) => yieldCpu(k, t, true);
  table[N.SYS_setpriority] = sysSetpriority;
  table[N.SYS_getpriority] = sysGetpriority;
  registerFutexSyscalls(table);
}

