// Scheduling calls: policies and priorities (sched_setscheduler and
// friends), the round-robin interval, affinity, sched_yield, and nice values
// (setpriority/getpriority; riscv64 has no nice(2): libc's nice() calls
// these). They decide scheduling: a change re-queues the task at once
// (kernel/sched/core.ts setTaskSched). The permission rules are Linux's: a
// task without root may only act on its own user's tasks, may raise its
// nice value but lower it only as far as RLIMIT_NICE allows, and may enter
// a real-time policy only up to the priority RLIMIT_RTPRIO allows (and may
// not clear SCHED_RESET_ON_FORK, nor leave SCHED_IDLE without the nice
// rights).
//
// Concepts: C29 (policies), C30 (priorities, real time), C31 (nice, affinity).
import { pack, unpack } from "../abi/layout.js";
import { SCHED_PARAM, SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_RESET_ON_FORK } from "../abi/sched.js";
import { TIMESPEC } from "../abi/time.js";
import type { Kernel } from "../kernel.js";
import { schedule, schedYield, setAffinity, sliceFor, setTaskSched } from "../sched/core.js";
import { type Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, putUser } from "./args.js";
import { JUSTRETURN, EINVAL, EFAULT, EPERM, ESRCH, EACCES } from "../abi/errno.js";
import * as N from "../abi/sysno.js";
import { copyin } from "../mm/uaccess.js";
import { getU32, putU32 } from "../abi/le.js";
import { setPc, setReg, REG_A0 } from "../arch/regs.js";
import { PRIO_PROCESS, PRIO_PGRP, PRIO_USER, RLIMIT_NICE, RLIMIT_RTPRIO } from "../abi/resource.js";

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

/** The sched_priority of the struct sched_param at `va`, or null when it cannot be read. */
function readPrio(k: Kernel, t: Task, va: number): number | null {
  const b = new Uint8Array(4);
  if (!va || copyin(k.mmctx, t.mm!, va, b) < 0) return null;
  return unpack(SCHED_PARAM, b).sched_priority;
}

/** can_nice: may `t` (its RLIMIT_NICE) set nice value `nice`? Root always may. */
function canNice(t: Task, nice: number): boolean {
  return t.tg.creds.euid === 0 || 20 - nice <= (t.tg.rlimits[RLIMIT_NICE]?.cur ?? 0);
}

const VALID_POLICIES = [SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE];

/** __sched_setscheduler: validate, check permission (Linux's order), then change it now. */
function setScheduler(k: Kernel, t: Task, target: Task, policyArg: number, prio: number): number {
  const resetOnFork = (policyArg & SCHED_RESET_ON_FORK) !== 0;
  const policy = policyArg & ~SCHED_RESET_ON_FORK;
  if (!VALID_POLICIES.includes(policy)) return -EINVAL;
  if (isRt(policy) ? prio < 1 || prio > 99 : prio !== 0) return -EINVAL;
  if (t.tg.creds.euid !== 0) {
    const se = target.sched;
    if (isRt(policy)) {
      // RLIMIT_RTPRIO of the target: 0 forbids entering a real-time policy; otherwise it caps a raised priority.
      const rlim = target.tg.rlimits[RLIMIT_RTPRIO]?.cur ?? 0;
      if (policy !== se.policy && rlim === 0) return -EPERM;
      if (prio > se.rtPriority && prio > rlim) return -EPERM;
    }
    // Leaving SCHED_IDLE needs the right to the task's nice value.
    if (se.policy === SCHED_IDLE && policy !== SCHED_IDLE && !canNice(target, se.nice)) return -EPERM;
    if (!maySched(t, target)) return -EPERM;
    if (se.resetOnFork && !resetOnFork) return -EPERM;
  }
  target.sched.resetOnFork = resetOnFork ? 1 : 0;
  setTaskSched(k, target, policy, prio, target.sched.nice);
  return 0;
}

function sysSchedSetscheduler(k: Kernel, t: Task): number {
  if (argU(k, 2) === 0 || argInt(k, 0) < 0) return -EINVAL;
  const prio = readPrio(k, t, argU(k, 2));
  if (prio === null) return -EFAULT;
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  return setScheduler(k, t, target, argInt(k, 1), prio);
}

function sysSchedSetparam(k: Kernel, t: Task): number {
  if (argU(k, 1) === 0 || argInt(k, 0) < 0) return -EINVAL;
  const prio = readPrio(k, t, argU(k, 1));
  if (prio === null) return -EFAULT;
  const target = schedTarget(k, t, argInt(k, 0));
  if (typeof target === "number") return target;
  // SCHED_SETPARAM keeps the policy and its reset-on-fork flag.
  return setScheduler(k, t, target, target.sched.policy | (target.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0), prio);
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
  // The real quantum of its class: SCHED_RR's, the normal policy's slice (CFS: its share of the period), 0 for none (SCHED_FIFO, fcfs, sjf).
  const ns = sliceFor(k, target);
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
    if (nice < x.sched.nice && !canNice(t, nice)) { err = -EACCES; continue; }
    setTaskSched(k, x, x.sched.policy, x.sched.rtPriority, nice);
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
  table[N.SYS_sched_getscheduler] = (k, t) => { const x = schedTarget(k, t, argInt(k, 0)); return typeof x === "number" ? x : x.sched.policy | (x.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0); };
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
