// The scheduler's mechanism (Linux's kernel/sched/core.c): per-hart run
// queues, the context switch (save the leaving task's registers into its
// PCB, load the next one's and its address space), time slices armed on the
// Sstc timer, wake-up placement, load balancing, sched_yield, and the
// counters /proc reads. Which task runs next is decided by the run queue's
// scheduling class (kernel/sched/sched.ts); this file never orders a queue
// itself.
//
// Every hart has its own run queue (`k.cpus[i].rq`). A task that becomes
// runnable is placed on one (select_task_rq): an idle hart it may run on,
// preferring the one it last ran on, else the least loaded allowed hart. A
// hart that runs out of work pulls a task it may run from the busiest queue
// (idle balancing), and a preemptive class's tick with an empty local queue
// pulls one too, so a queue never waits behind one hart while another
// round-robins alone. Nothing outside kernel/sched/ touches the queues: other
// code asks through the functions here (nrRunning, queuedTasks, ...).
//
// Concepts: C07 (mechanism vs policy), C12 (timer interrupt drives
// preemption), C22 (ready queues), C23 (context switch saves PC/SP in the
// PCB), C29 (policies behind one interface), C31 (multiprocessor scheduling:
// per-CPU queues, affinity, balancing).
import * as L from "../../hw/core/layout.js";
import type { Kernel, Cpu } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { nowNs } from "../time/clock.js";
import { nextTimerAt } from "../time/timer.js";
import { tracepoints, emit } from "../trace/tracepoint.js";
import { POLICIES, classOf, type RunQueue } from "./sched.js";

/** Runnable tasks on a hart: the one running there (if runnable) and its queue. */
function load(cpu: Cpu): number {
  return cpu.rq.queue.length + (cpu.current !== null && cpu.current.state === "R" ? 1 : 0);
}

/**
 * select_task_rq: the hart whose queue gets `t`. An idle allowed hart first
 * (the one it last ran on if that is idle), else the allowed hart with the
 * least load (the last one on a tie). A mask with no online hart (cannot
 * happen through sched_setaffinity) falls back to hart 0.
 */
function selectTaskRq(k: Kernel, t: Task): number {
  const cpus = k.cpus;
  if (cpus.length === 1) return 0;
  const mask = t.sched.affinity;
  const prev = t.sched.lastCpu;
  const prevOk = prev >= 0 && prev < cpus.length && (mask & (1 << prev)) !== 0;
  if (prevOk && load(cpus[prev]) === 0) return prev;
  let best = -1, bestLoad = Infinity;
  for (let i = 0; i < cpus.length; i++) {
    if (!(mask & (1 << i))) continue;
    const l = load(cpus[i]);
    if (l < bestLoad || (l === bestLoad && i === prev)) { best = i; bestLoad = l; }
  }
  return best >= 0 ? best : 0;
}

function enqueueOn(k: Kernel, rq: RunQueue, t: Task, now: number): void {
  t.sched.enqueuedAt = now;
  t.sched.rq = rq.cpu;
  classOf(rq).enqueue(rq, t);
}

/** Put a runnable task on a run queue (wake-ups and new tasks land here). */
export function makeRunnable(k: Kernel, t: Task): void {
  if (t.cpu >= 0 || t.sched.rq >= 0) return; // running on a hart, or queued already
  const cpu = k.cpus[selectTaskRq(k, t)];
  const now = nowNs(k);
  enqueueOn(k, cpu.rq, t, now);
  cpu.schedstat.ttwu++;
  if (cpu.id === k.active) cpu.schedstat.ttwuLocal++;
  const curr = cpu.current;
  if (curr !== null && curr.state === "R" && classOf(cpu.rq).checkPreemptWakeup(cpu.rq, curr, t)) cpu.needResched = true;
  const s = tracepoints(k).sched_wakeup;
  if (s) emit(s, { t, nowNs: now });
}

/** Take `t` off whatever run queue holds it (it stopped, exited or moves). */
export function dequeueTask(k: Kernel, t: Task): void {
  const c = t.sched.rq;
  if (c < 0) return;
  const rq = k.cpus[c].rq;
  classOf(rq).dequeue(rq, t);
  t.sched.rq = -1;
}

/** task_fork: a new task inherits its class fields from `parent` (before it is first made runnable). */
export function schedFork(k: Kernel, parent: Task, child: Task): void {
  child.sched.rq = -1;
  child.sched.lastCpu = parent.sched.lastCpu;
  classOf(k.cpus[0].rq).taskFork(parent, child);
}

/**
 * Move one task that may run on `cpu` from the busiest other queue to
 * `cpu`'s queue (at least `min` tasks must wait there). Returns whether one moved.
 */
function pullTask(k: Kernel, cpu: Cpu, min: number): boolean {
  const bit = 1 << cpu.id;
  let busiest: RunQueue | null = null;
  for (let i = 0; i < k.cpus.length; i++) {
    const rq = k.cpus[i].rq;
    if (i === cpu.id || rq.queue.length < min) continue;
    if (busiest !== null && rq.queue.length <= busiest.queue.length) continue;
    for (let j = 0; j < rq.queue.length; j++) {
      if (rq.queue[j].sched.affinity & bit) { busiest = rq; break; }
    }
  }
  if (busiest === null) return false;
  for (let j = 0; j < busiest.queue.length; j++) {
    const t = busiest.queue[j];
    if (!(t.sched.affinity & bit)) continue;
    classOf(busiest).dequeue(busiest, t);
    t.sched.rq = -1;
    enqueueOn(k, cpu.rq, t, t.sched.enqueuedAt);
    return true;
  }
  return false;
}

/** Save the active hart's user context into the task (its ctx is CTX_BYTES long, proc/task.ts). */
function saveContext(k: Kernel, t: Task): void {
  t.ctx.set(k.regs.b.subarray(0, t.ctx.length));
}

/** Load `t` onto the active hart: registers, address space, time slice. */
function loadContext(k: Kernel, cpu: Cpu, t: Task): void {
  k.regs.b.set(t.ctx, 0);
  const st = k.machine.hartState(cpu.id);
  st[L.PRIV / 8] = 0n;
  if (t.mm) k.core.setSatp(t.mm.root / PAGE_SIZE);
  armSlice(k, t);
}

/** Program stimecmp for the end of `t`'s time slice (or no tick at all for non-preemptive classes), or the next timer if sooner. */
export function armSlice(k: Kernel, t: Task): void {
  const cls = classOf(k.cpus[k.active].rq);
  const slice = cls.preemptive ? cls.sliceFor(t) : 0;
  const st = k.machine.hartState(k.active);
  if (slice > 0) {
    const now = nowNs(k);
    t.sched.sliceEnd = now + slice;
    st[L.STIMECMP / 8] = BigInt(Math.ceil(t.sched.sliceEnd / 100));
  } else {
    t.sched.sliceEnd = 0;
    st[L.STIMECMP / 8] = 0xffffffffffffffffn;
  }
  const next = nextTimerAt(k);
  if (next < Infinity && BigInt(Math.ceil(next / 100)) < st[L.STIMECMP / 8]) {
    st[L.STIMECMP / 8] = BigInt(Math.ceil(next / 100));
  }
}

/** How the running task leaves the CPU in __schedule. */
const SWITCH_BLOCK = 0, SWITCH_PREEMPT = 1, SWITCH_YIELD = 2;

function switchTask(k: Kernel, cpu: Cpu, how: number): void {
  const prev = cpu.current;
  const now = nowNs(k);
  const rq = cpu.rq;
  const ss = cpu.schedstat;
  ss.sched++;
  if (how === SWITCH_YIELD) ss.yld++;
  cpu.needResched = false;
  if (prev) {
    saveContext(k, prev);
    prev.cpu = -1;
    cpu.current = null;
    if (prev.state === "R") {
      if (how === SWITCH_PREEMPT) prev.nivcsw++; else prev.nvcsw++;
      if (!(prev.sched.affinity & (1 << cpu.id))) {
        // It may not run here any more (sched_setaffinity): place it where it may.
        enqueueOn(k, k.cpus[selectTaskRq(k, prev)].rq, prev, now);
      } else {
        prev.sched.enqueuedAt = now;
        prev.sched.rq = cpu.id;
        if (how === SWITCH_YIELD) classOf(rq).yieldTask(rq, prev);
        else classOf(rq).putPrev(rq, prev, how === SWITCH_PREEMPT);
      }
    } else {
      prev.nvcsw++;
    }
  }
  let next = classOf(rq).pickNext(rq);
  // Idle balancing: nothing here, so take work from the busiest hart.
  if (!next && k.cpus.length > 1 && pullTask(k, cpu, 1)) next = classOf(rq).pickNext(rq);
  if (next) {
    next.sched.rq = -1;
    const waited = Math.max(0, now - next.sched.enqueuedAt);
    next.sched.waitTime += waited;
    if (next !== prev) { ss.pcount++; ss.runDelayNs += waited; }
    next.sched.lastCpu = cpu.id;
    if (next !== prev) k.stats.ctxSwitches++;
    cpu.current = next;
    next.cpu = cpu.id;
    if (cpu.idleSince) { cpu.idleNs += now - cpu.idleSince; cpu.idleSince = 0; }
    loadContext(k, cpu, next);
  } else {
    ss.goidle++;
    if (!cpu.idleSince) cpu.idleSince = now;
  }
  if (next !== prev) {
    const s = tracepoints(k).sched_switch;
    if (s) emit(s, { cpu: cpu.id, prev, next: next ?? null, nowNs: now });
  }
}

/**
 * Stop running `cpu.current` (it blocked, exited, or was preempted) and pick
 * the next task; `cpu` must be the active hart. A runnable task goes back on
 * a queue (put_prev_task).
 */
export function schedule(k: Kernel, cpu: Cpu, preempted: boolean): void {
  switchTask(k, cpu, preempted ? SWITCH_PREEMPT : SWITCH_BLOCK);
}

/** sched_yield: the running task on the active hart `cpu` gives the CPU up and stays runnable (yield_task). */
export function schedYield(k: Kernel, cpu: Cpu): void {
  switchTask(k, cpu, SWITCH_YIELD);
}

/**
 * scheduler_tick for the running task `t` on hart `cpu` (its time slice may
 * be over): true when it should be preempted. A preemptive class with an
 * empty local queue first pulls a waiting task from the busiest hart.
 */
export function schedTick(k: Kernel, cpu: Cpu, t: Task): boolean {
  const rq = cpu.rq;
  const cls = classOf(rq);
  const now = nowNs(k);
  if (cls.preemptive && rq.queue.length === 0 && k.cpus.length > 1 && t.sched.sliceEnd !== 0 && now >= t.sched.sliceEnd) pullTask(k, cpu, 1);
  return cls.taskTick(rq, t, now) || cpu.needResched;
}

/**
 * sched_setaffinity: a queued task that may no longer use its hart moves now;
 * one running on such a hart is preempted there (needResched) and placed on
 * an allowed hart as it leaves (the caller itself yields at once: syscalls/sched.ts).
 */
export function setAffinity(k: Kernel, t: Task, mask: number): void {
  t.sched.affinity = mask;
  if (t.cpu >= 0 && !(mask & (1 << t.cpu))) k.cpus[t.cpu].needResched = true;
  if (t.sched.rq >= 0 && !(mask & (1 << t.sched.rq))) {
    dequeueTask(k, t);
    enqueueOn(k, k.cpus[selectTaskRq(k, t)].rq, t, nowNs(k));
  }
}

/** Switch every run queue to class `name` at run time (queued tasks are re-ordered by it). False: no such class. */
export function setPolicy(k: Kernel, name: string): boolean {
  if (!POLICIES.has(name)) return false;
  const now = nowNs(k);
  for (const cpu of k.cpus) {
    const rq = cpu.rq;
    const old = rq.queue;
    rq.cls = name;
    rq.queue = [];
    for (const t of old) { t.sched.rq = -1; enqueueOn(k, rq, t, now); }
  }
  return true;
}

/** The scheduling class in force (all harts use one, switchable through /proc/sys/kernel/sched_policy). */
export function policyName(k: Kernel): string {
  return k.cpus[0].rq.cls;
}

export function policyPreemptive(k: Kernel): boolean {
  return classOf(k.cpus[0].rq).preemptive;
}

/** The time slice `t` gets (sched_rr_get_interval), in ns; 0 = none. */
export function sliceFor(k: Kernel, t: Task): number {
  const rq = k.cpus[t.cpu >= 0 ? t.cpu : t.sched.rq >= 0 ? t.sched.rq : 0].rq;
  return classOf(rq).sliceFor(t);
}

/** Tasks waiting on run queues (not running). */
export function nrQueued(k: Kernel): number {
  let n = 0;
  for (let i = 0; i < k.cpus.length; i++) n += k.cpus[i].rq.queue.length;
  return n;
}

/** Tasks running or runnable (procs_running in /proc/stat, the load average). */
export function nrRunning(k: Kernel): number {
  let n = 0;
  for (let i = 0; i < k.cpus.length; i++) n += load(k.cpus[i]);
  return n;
}

/** A copy of hart `cpu`'s queue in the class's order (for /proc/runqueue). */
export function queuedTasks(k: Kernel, cpu: number): Task[] {
  return k.cpus[cpu].rq.queue.slice();
}
