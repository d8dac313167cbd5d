// Scheduling calls: policies and priorities (sched_setscheduler and
// friends), the round-robin interval, affinity, sched_yield, and nice values
// (setpriority/getpriority). The mechanism is kernel/sched.
//
// Concepts: C29 (policies), C31 (nice, affinity).
import { pack, unpack } from "../abi/layout.js";
import { SCHED_PARAM, SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_RESET_ON_FORK } from "../abi/sched.js";
import { TIMESPEC } from "../abi/time.js";
import type { Kernel } from "../kernel.js";
import { schedule, schedYield, setAffinity, sliceFor } from "../sched/core.js";
import { type Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, putUser } from "./args.js";
import { JUSTRETURN, EINVAL, EFAULT, EPERM, ESRCH, EACCES } from "../abi/errno.js";
import * as N from "../abi/sysno.js";
import { copyin } from "../mm/uaccess.js";
import { getU32, putU32 } from "../abi/le.js";
import { setPc, setReg, REG_A0 } from "../arch/regs.js";
import { PRIO_PROCESS, PRIO_PGRP, PRIO_USER, RLIMIT_NICE } from "../abi/resource.js";

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
  return unpack(SCHED_PARAM, b).sched_priority;
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
  const b = pack(SCHED_PARAM, { sched_priority: target.sched.rtPriority });
  return putUser(k, t, argU(k, 1), b);
}

function sysSchedRrGetInterval(k: Kernel, t: Task): number {
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  const ns = target.sched.policy === SCHED_FIFO ? 0 : sliceFor(k, target);
  const b = pack(TIMESPEC, { tv_sec: Math.floor(ns / 1e9), tv_nsec: ns % 1e9 });
  return putUser(k, t, argU(k, 1), b);
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
  // The mask is one unsigned long (at most 32 CPUs): its low word, little-endian.
  putU32(b, 0, target.sched.affinity & onlineMask(k));
  if (putUser(k, t, argU(k, 2), b) < 0) return -EFAULT;
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
  const mask = getU32(b, 0) & onlineMask(k);
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

export function registerSchedSyscalls(table: SyscallTable): void {
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
}
