// The scheduler's mechanism (Linux's kernel/sched/core.c): per-hart run
// queues, the context switch (save the leaving task's registers into its
// PCB, load the next one's and its address space), time slices armed on the
// Sstc timer, wake-up placement, load balancing, sched_yield, and the
// counters /proc reads. Which task runs next is decided by the run queue's
// scheduling class (kernel/sched/sched.ts); this file never orders a queue
// itself.
//
// Classes are stacked per run queue as in Linux: real-time tasks first, then
// normal tasks in the order of the switchable policy, then SCHED_IDLE tasks
// (class.ts). This file picks the band; the band's class picks the task.
// It also charges CPU time to the running task (update_curr: sum_exec_runtime,
// the SJF burst and its exponential average, the class's own clock such as
// CFS's vruntime) and balances the queues every
// k.schedSettings.balanceIntervalNs from the tick, counting migrations.
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
import { activateMm } from "../mm/asid.js";
import { nowNs } from "../time/clock.js";
import { nextTimerAt } from "../time/timer.js";
import { tracepoints, emit, type TraceFn, type SchedState } from "../trace/tracepoint.js";
import { SCHED_FIFO, SCHED_RR, SCHED_IDLE, SCHED_BATCH, SCHED_OTHER } from "../abi/sched.js";
import { POLICIES, classOf, type RunQueue, type SchedClass } from "./sched.js";
import { ENQ_NEW, ENQ_WAKEUP } from "./class.js";
import { realTime, idleBand } from "./rt.js";
import { predictedBurst } from "./sjf.js";
import { psiChange, psiTaskSync } from "./psi.js";
import { kthreadBody } from "./kthread.js";

/** The class bands of a run queue, lowest first. */
const BAND_IDLE = 0, BAND_NORMAL = 1, BAND_RT = 2;

/** The band of `t` by its policy. */
function band(t: Task): number {
  const p = t.sched.policy;
  return p === SCHED_FIFO || p === SCHED_RR ? BAND_RT : p === SCHED_IDLE ? BAND_IDLE : BAND_NORMAL;
}

/** The class that queues `t` on `rq`: real time, the queue's normal policy, or SCHED_IDLE. */
function classFor(rq: RunQueue, t: Task): SchedClass {
  const b = band(t);
  return b === BAND_RT ? realTime : b === BAND_IDLE ? idleBand : classOf(rq);
}

/** The highest band with a queued task (-1: the queue is empty). */
function topBand(rq: RunQueue): number {
  return rq.rt.length ? BAND_RT : rq.queue.length ? BAND_NORMAL : rq.idle.length ? BAND_IDLE : -1;
}

function queuedOn(rq: RunQueue): number {
  return rq.rt.length + rq.queue.length + rq.idle.length;
}

/** Runnable tasks on a hart: the one running there (if runnable) and its queue. */
function load(cpu: Cpu): number {
  return queuedOn(cpu.rq) + (cpu.current !== null && cpu.current.state === "R" ? 1 : 0);
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

function enqueueOn(k: Kernel, rq: RunQueue, t: Task, now: number, flags: number): void {
  t.sched.enqueuedAt = now;
  t.sched.rq = rq.cpu;
  classFor(rq, t).enqueue(k.schedSettings, rq, t, now, flags);
}

/** Fire sched_state for `t` (the caller checked that someone listens). */
function stateEvent(subs: TraceFn<"sched_state">[], t: Task, state: SchedState, now: number): void {
  emit(subs, { t, state, nowNs: now });
}

/** Take `t` off whatever run queue holds it (it stopped, exited or moves). */
export function dequeueTask(k: Kernel, t: Task): void {
  // A sleeper that stops (D -> T) is no longer counted as waiting (PSI).
  if (t.psiFlags) psiTaskSync(k, t);
  const c = t.sched.rq;
  if (c < 0) return;
  const rq = k.cpus[c].rq;
  classFor(rq, t).dequeue(rq, t);
  t.sched.rq = -1;
  psiChange(k, nrQueued(k));
}

/**
 * update_curr: charge the task running on `cpu` with the CPU time since it
 * was last charged (sum_exec_runtime, the burst in progress, the class's
 * clock). Allocation-free: it runs at every tick and switch.
 */
function updateCurr(k: Kernel, cpu: Cpu, t: Task, now: number): void {
  const se = t.sched;
  const delta = now - se.execStart;
  se.execStart = now;
  if (delta <= 0) return;
  se.sumExec += delta;
  se.burstRun += delta;
  classFor(cpu.rq, t).update(k.schedSettings, cpu.rq, t, delta);
}

/** check_preempt_curr across bands: a higher band always wins, a lower never; SCHED_BATCH never preempts on wake-up. */
function wakeupPreempts(k: Kernel, rq: RunQueue, curr: Task, woken: Task, now: number): boolean {
  const bw = band(woken), bc = band(curr);
  if (bw !== bc) return bw > bc;
  if (woken.sched.policy === SCHED_BATCH) return false;
  return classFor(rq, woken).checkPreemptWakeup(k.schedSettings, rq, curr, woken, now);
}

/** Ask hart `cpu` to reschedule if `t`, just queued there, should run before its current task. */
function checkPreempt(k: Kernel, cpu: Cpu, t: Task, now: number): void {
  const curr = cpu.current;
  if (curr === null || curr.state !== "R") return;
  updateCurr(k, cpu, curr, now);
  const end = curr.sched.sliceEnd;
  if (wakeupPreempts(k, cpu.rq, curr, t, now)) cpu.needResched = true;
  // The class shortened the running task's slice instead (CFS's protected slice): its timer must fire by then.
  else if (curr.sched.sliceEnd !== end && curr.sched.sliceEnd > 0) armEarlier(k, cpu.id, curr.sched.sliceEnd);
}

/**
 * A synchronous wake-up (Linux's WF_SYNC hint): the running task just woke
 * `t` on this hart with a whole piece of work to do (a socket sender filled a
 * sleeping reader's buffer, net/unix.ts handOff) and would only pile up more
 * behind it if it ran on. Reschedule now when the class agrees (CFS: `t` runs
 * next as its "next buddy"), so `t` takes what it was given first.
 */
export function preemptForSync(k: Kernel, t: Task): void {
  const cpu = k.cpus[k.active];
  const curr = cpu.current;
  if (curr === null || curr === t || curr.state !== "R" || t.sched.rq !== cpu.id || t.cpu !== -1) return;
  if (band(t) !== band(curr) || band(t) !== BAND_NORMAL || t.sched.policy === SCHED_BATCH) return;
  const cls = classFor(cpu.rq, t);
  if (cls.checkPreemptSync === undefined) return;
  updateCurr(k, cpu, curr, nowNs(k));
  if (cls.checkPreemptSync(k.schedSettings, cpu.rq, curr, t)) cpu.needResched = true;
}

/** Make hart `cpu`'s timer fire by `at` (ns) if it was set later. Allocation-free but for the BigInt. */
function armEarlier(k: Kernel, cpu: number, at: number): void {
  const st = k.machine.hartState(cpu);
  const when = BigInt(Math.ceil(at / 100));
  if (when < st[L.STIMECMP / 8]) st[L.STIMECMP / 8] = when;
}

/**
 * Put a runnable task on a run queue (wake-ups and new tasks land here).
 * `preempt` false: the wake-up does not ask for the running task's hart (the
 * waker is mid-way through work the woken task waits on; it gets the CPU when
 * the waker sleeps or its slice ends).
 */
export function makeRunnable(k: Kernel, t: Task, preempt = true): void {
  if (t.cpu >= 0 || t.sched.rq >= 0) return; // running on a hart, or queued already
  // Its wait is over: PSI stops counting it (psi_enqueue).
  t.inMemstall = false;
  if (t.psiFlags) psiTaskSync(k, t);
  const cpu = k.cpus[selectTaskRq(k, t)];
  const now = nowNs(k);
  const flags = t.sched.isNew ? ENQ_NEW : ENQ_WAKEUP;
  t.sched.isNew = 0;
  const arrived = t.sched.arrivalNs < 0;
  if (arrived) t.sched.arrivalNs = now;
  const last = t.sched.lastCpu;
  // update_curr first: the queue's clock (CFS's min vruntime) is current when the new task is placed.
  const curr = cpu.current;
  if (curr !== null && curr.state === "R") updateCurr(k, cpu, curr, now);
  // A sleeper woken on another hart keeps its place relative to that queue (CFS's vruntime lag).
  if (flags === ENQ_WAKEUP && last !== cpu.id && last >= 0 && last < k.cpus.length) classFor(cpu.rq, t).migrate(k.cpus[last].rq, cpu.rq, t);
  enqueueOn(k, cpu.rq, t, now, flags);
  cpu.schedstat.ttwu++;
  if (cpu.id === k.active) cpu.schedstat.ttwuLocal++;
  if (preempt) checkPreempt(k, cpu, t, now);
  const tp = tracepoints(k);
  if (tp.sched_state) {
    if (arrived) stateEvent(tp.sched_state, t, "new", now);
    stateEvent(tp.sched_state, t, "ready", now);
  }
  if (tp.sched_wakeup) emit(tp.sched_wakeup, { t, cpu: cpu.id, nowNs: now });
  psiChange(k, nrQueued(k));
}

/** task_fork: a new task inherits its class fields from `parent` (before it is first made runnable). */
export function schedFork(k: Kernel, parent: Task, child: Task): void {
  const se = child.sched;
  se.rq = -1;
  se.lastCpu = parent.sched.lastCpu;
  se.isNew = 1;
  se.sumExec = 0; se.execStart = 0; se.prevSumExec = 0; se.burstRun = 0; se.lastBurst = 0; se.waitTime = 0;
  se.arrivalNs = -1; se.firstRunNs = -1; se.completionNs = -1;
  se.burstEstimate = -1; se.mlfqLevel = 0; se.mlfqPeriod = 0; se.nrMigrations = 0; se.sliceEnd = 0; se.rrLeft = 0;
  // SCHED_RESET_ON_FORK: the child starts as a normal task with a nice of 0 or worse, and without the flag.
  if (se.resetOnFork) {
    if (band(child) === BAND_RT) { se.policy = SCHED_OTHER; se.rtPriority = 0; }
    if (se.nice < 0) se.nice = 0;
    se.resetOnFork = 0;
  }
  const rq = k.cpus[parent.cpu >= 0 ? parent.cpu : 0].rq;
  classFor(rq, child).taskFork(k.schedSettings, rq, parent, child);
}

/** Move queued task `t` from `from` to hart `to` (it may run there), counting nothing yet (the count is taken when it runs there). */
function moveTask(k: Kernel, from: RunQueue, t: Task, to: Cpu): void {
  const cls = classFor(from, t);
  cls.dequeue(from, t);
  t.sched.rq = -1;
  classFor(to.rq, t).migrate(from, to.rq, t);
  // It keeps its enqueue time: its wait (and aging) goes on.
  enqueueOn(k, to.rq, t, t.sched.enqueuedAt, 0);
}

/** The first queued task on `rq` that may run on hart `cpu` (normal band first, then idle, then real time), or null. */
function movable(rq: RunQueue, cpu: number): Task | null {
  const bit = 1 << cpu;
  for (let j = 0; j < rq.queue.length; j++) if (rq.queue[j].sched.affinity & bit) return rq.queue[j];
  for (let j = 0; j < rq.idle.length; j++) if (rq.idle[j].sched.affinity & bit) return rq.idle[j];
  for (let j = 0; j < rq.rt.length; j++) if (rq.rt[j].sched.affinity & bit) return rq.rt[j];
  return null;
}

/**
 * Move one task that may run on `cpu` from the busiest other queue to
 * `cpu`'s queue (at least `min` tasks must wait there). Returns whether one moved.
 */
function pullTask(k: Kernel, cpu: Cpu, min: number): boolean {
  let busiest: RunQueue | null = null;
  let cand: Task | null = null;
  for (let i = 0; i < k.cpus.length; i++) {
    const rq = k.cpus[i].rq;
    const n = queuedOn(rq);
    if (i === cpu.id || n < min) continue;
    if (busiest !== null && n <= queuedOn(busiest)) continue;
    const t = movable(rq, cpu.id);
    if (t !== null) { busiest = rq; cand = t; }
  }
  if (busiest === null || cand === null) return false;
  moveTask(k, busiest, cand, cpu);
  return true;
}

/**
 * Periodic load balancing (from the tick): pull queued tasks that may run
 * here from the busiest hart while its load (running + queued) exceeds this
 * hart's by more than one, so that loads end up differing by at most one.
 */
function balance(k: Kernel, cpu: Cpu): void {
  for (let n = 0; n < k.cpus.length * 4; n++) {
    let busiest: Cpu | null = null, busiestLoad = load(cpu) + 1;
    let cand: Task | null = null;
    for (let i = 0; i < k.cpus.length; i++) {
      const other = k.cpus[i];
      if (i === cpu.id) continue;
      const l = load(other);
      if (l <= busiestLoad) continue;
      const t = movable(other.rq, cpu.id);
      if (t !== null) { busiest = other; busiestLoad = l; cand = t; }
    }
    if (busiest === null || cand === null) return;
    moveTask(k, busiest.rq, cand, cpu);
  }
}

/** Save the active hart's user context into the task (its ctx is CTX_BYTES long, proc/task.ts). */
function saveContext(k: Kernel, t: Task): void {
  const src = k.regs.ctx;
  t.ctx.set(src.length === t.ctx.length ? src : k.regs.b.subarray(0, t.ctx.length));
}

/** Load `t` onto the active hart: registers, address space, time slice. */
function loadContext(k: Kernel, cpu: Cpu, t: Task): void {
  k.regs.b.set(t.ctx, 0);
  const st = k.machine.hartState(cpu.id);
  st[L.PRIV / 8] = 0n;
  if (t.mm) activateMm(k.mmctx, cpu.id, t.mm);
  armSlice(k, t, true);
}

/**
 * Program stimecmp for the end of `t`'s time slice (none for a class
 * without one), the next periodic balance (with more than one hart), or the
 * next timer, whichever is first. `fresh`: `t` was just picked and starts a
 * new slice; otherwise (after a tick that did not preempt) a slice still
 * running is kept and one that is over is renewed.
 */
export function armSlice(k: Kernel, t: Task, fresh = false): void {
  const cpu = k.cpus[k.active];
  const now = nowNs(k);
  const se = t.sched;
  if (fresh || se.sliceEnd === 0 || now >= se.sliceEnd) {
    let slice = classFor(cpu.rq, t).sliceFor(k.schedSettings, cpu.rq, t);
    // SCHED_RR resumes the unexpired part of its quantum (sched(7)); only a quantum that ran out is renewed.
    if (fresh && se.rrLeft > 0 && se.policy === SCHED_RR && slice > 0) slice = Math.min(slice, se.rrLeft);
    se.rrLeft = 0;
    se.sliceEnd = slice > 0 ? now + slice : 0;
  }
  let at = se.sliceEnd > 0 ? se.sliceEnd : Infinity;
  if (k.cpus.length > 1 && cpu.rq.nextBalance < at) at = Math.max(cpu.rq.nextBalance, now);
  const next = nextTimerAt(k);
  if (next < at) at = next;
  const st = k.machine.hartState(k.active);
  st[L.STIMECMP / 8] = at < Infinity ? BigInt(Math.ceil(at / 100)) : 0xffffffffffffffffn;
}

/** How the running task leaves the CPU in __schedule. */
const SWITCH_BLOCK = 0, SWITCH_PREEMPT = 1, SWITCH_YIELD = 2;

/** Put a task that was just picked back at the head of its band (it was not to run after all). */
function requeueHead(rq: RunQueue, t: Task): void {
  const b = band(t);
  (b === BAND_RT ? rq.rt : b === BAND_IDLE ? rq.idle : rq.queue).unshift(t);
}

/** pick_next_task: the highest band with work decides. */
function pickNext(k: Kernel, rq: RunQueue, now: number): Task | undefined {
  const s = k.schedSettings;
  if (rq.rt.length) return realTime.pickNext(s, rq, now);
  if (rq.queue.length) return classOf(rq).pickNext(s, rq, now);
  if (rq.idle.length) return idleBand.pickNext(s, rq, now);
  return undefined;
}

function switchTask(k: Kernel, cpu: Cpu, how: number): void {
  const prev = cpu.current;
  let now = nowNs(k);
  const rq = cpu.rq;
  const s = k.schedSettings;
  const ss = cpu.schedstat;
  ss.sched++;
  if (how === SWITCH_YIELD) ss.yld++;
  cpu.needResched = false;
  if (prev) {
    updateCurr(k, cpu, prev, now);
    saveContext(k, prev);
    prev.cpu = -1;
    cpu.current = null;
    const se = prev.sched;
    // SCHED_RR keeps what it has not used of its quantum, whether preempted by a higher priority, blocked or yielding:
    // without this a task preempted more often than its quantum would start a full one each time and never let its equals run.
    se.rrLeft = se.policy === SCHED_RR && se.rrLeft !== -1 && se.sliceEnd > now ? se.sliceEnd - now : 0;
    if (prev.state === "R") {
      if (how === SWITCH_PREEMPT) prev.nivcsw++; else prev.nvcsw++;
      if (!(se.affinity & (1 << cpu.id))) {
        // It may not run here any more (sched_setaffinity): place it where it may.
        const to = k.cpus[selectTaskRq(k, prev)];
        classFor(to.rq, prev).migrate(rq, to.rq, prev);
        enqueueOn(k, to.rq, prev, now, 0);
      } else {
        se.enqueuedAt = now;
        se.rq = cpu.id;
        if (how === SWITCH_YIELD) classFor(rq, prev).yieldTask(s, rq, prev, now);
        else classFor(rq, prev).putPrev(s, rq, prev, how === SWITCH_PREEMPT, now);
      }
    } else {
      prev.nvcsw++;
      // It sleeps: PSI counts a D wait from now (psi_dequeue).
      psiTaskSync(k, prev);
      // The CPU burst ends when the task blocks: τ(n+1) = α·t(n) + (1−α)·τ(n).
      se.lastBurst = se.burstRun;
      se.burstEstimate = s.sjfAlpha * se.burstRun + (1 - s.sjfAlpha) * predictedBurst(s, prev);
      se.burstRun = 0;
    }
  }
  let next = pickNext(k, rq, now);
  // sched_yield gives the CPU to another task of its band when there is one, whatever the policy would pick (Linux's skip buddy).
  if (how === SWITCH_YIELD && next === prev && prev !== null) {
    const other = pickNext(k, rq, now);
    if (other !== undefined) {
      if (band(other) === band(prev)) {
        classFor(rq, prev).yieldTask(s, rq, prev, now);
        next = other;
      } else {
        requeueHead(rq, other);
      }
    }
  }
  // Idle balancing: nothing here, so take work from the busiest hart.
  if (!next && k.cpus.length > 1 && pullTask(k, cpu, 1)) next = pickNext(k, rq, now);
  // A kernel thread picked runs its work here, in kernel context, and sleeps again; then the next task is picked.
  while (next !== undefined && next.kthread) {
    runKthread(k, cpu, next, now);
    now = nowNs(k);
    next = pickNext(k, rq, now);
    if (!next && k.cpus.length > 1 && pullTask(k, cpu, 1)) next = pickNext(k, rq, now);
  }
  if (next) {
    const se = next.sched;
    se.rq = -1;
    const waited = Math.max(0, now - se.enqueuedAt);
    se.waitTime += waited;
    if (next !== prev) { ss.pcount++; ss.runDelayNs += waited; }
    se.execStart = now;
    se.prevSumExec = se.sumExec;
    if (se.lastCpu !== cpu.id) {
      // set_task_cpu: it runs on another hart than last time (moved by placement, balancing or affinity).
      se.nrMigrations++; rq.nrMigrations++;
      const m = tracepoints(k).sched_migrate;
      if (m && se.firstRunNs >= 0) emit(m, { t: next, from: se.lastCpu, to: cpu.id, nowNs: now });
    }
    se.lastCpu = cpu.id;
    if (se.firstRunNs < 0) se.firstRunNs = now;
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
    const tp = tracepoints(k);
    if (tp.sched_switch) emit(tp.sched_switch, { cpu: cpu.id, prev, next: next ?? null, nowNs: now, prevState: prev ? prev.state : null });
    const st = tp.sched_state;
    if (st) {
      // An exited task had its "exit" event from proc/exit.ts; a stopped one that was queued, from signal.ts.
      if (prev && prev.state !== "X" && prev.state !== "Z") stateEvent(st, prev, leftState(prev), now);
      if (next) stateEvent(st, next, "running", now);
    }
  }
  psiChange(k, nrQueued(k));
}

/**
 * Run kernel thread `t` (just picked on `cpu`) once: it holds the hart for
 * the time its work took (sched/kthread.ts), charged to it as system time
 * and CPU time; on the instret clock the clock moves by that much (the hart
 * was busy), and the hart's clock-based charge skips it.
 */
function runKthread(k: Kernel, cpu: Cpu, t: Task, now: number): void {
  const se = t.sched;
  const ss = cpu.schedstat;
  se.rq = -1;
  const waited = Math.max(0, now - se.enqueuedAt);
  se.waitTime += waited;
  ss.pcount++; ss.runDelayNs += waited;
  if (se.lastCpu !== cpu.id) { se.nrMigrations++; cpu.rq.nrMigrations++; }
  se.lastCpu = cpu.id;
  if (se.firstRunNs < 0) se.firstRunNs = now;
  k.stats.ctxSwitches++;
  if (cpu.idleSince) { cpu.idleNs += now - cpu.idleSince; cpu.idleSince = 0; }
  cpu.current = t;
  t.cpu = cpu.id;
  const ns = kthreadBody(k, t);
  if (ns > 0) {
    if (k.clock === "instret") {
      k.machine.tickClock(Math.round((ns / 100) * k.machine.config.insnsPerTick));
      cpu.acctNs += ns;
    }
    t.stime += ns / 10; // Task.stime counts 10 ns units
    se.sumExec += ns;
  }
  t.nvcsw++;
  cpu.current = null;
  t.cpu = -1;
}

/** The sched_state name of a task that just left its hart. */
function leftState(t: Task): SchedState {
  switch (t.state) {
    case "R": return "ready";
    case "S": case "D": return "blocked";
    case "T": return "stopped";
    default: return "exit";
  }
}

/** Fire sched_state "stopped" for a task that was not running when a signal stopped it (signal.ts). */
export function traceStopped(k: Kernel, t: Task): void {
  const st = tracepoints(k).sched_state;
  if (st) stateEvent(st, t, "stopped", nowNs(k));
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
 * scheduler_tick for the running task `t` on hart `cpu`: charge its time,
 * balance the queues when the interval is up, and say whether it should be
 * preempted (a higher band is queued, or its class says so). A preemptive
 * class whose slice is over with an empty local queue balances at once.
 * Allocation-free.
 */
export function schedTick(k: Kernel, cpu: Cpu, t: Task): boolean {
  const rq = cpu.rq;
  const now = nowNs(k);
  updateCurr(k, cpu, t, now);
  const multi = k.cpus.length > 1;
  if (multi && now >= rq.nextBalance) {
    rq.nextBalance = now + k.schedSettings.balanceIntervalNs;
    balance(k, cpu);
  }
  const cls = classFor(rq, t);
  // A slice ended with nothing queued here: balance now rather than at the interval (only a real imbalance moves a task, so two harts never pass one back and forth).
  if (multi && cls.preemptive && queuedOn(rq) === 0 && t.sched.sliceEnd !== 0 && now >= t.sched.sliceEnd) balance(k, cpu);
  if (topBand(rq) > band(t)) return true;
  return cls.taskTick(k.schedSettings, rq, t, now) || cpu.needResched;
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
    const from = k.cpus[t.sched.rq].rq;
    dequeueTask(k, t);
    const to = k.cpus[selectTaskRq(k, t)];
    classFor(to.rq, t).migrate(from, to.rq, t);
    enqueueOn(k, to.rq, t, nowNs(k), 0);
  }
}

/**
 * Change `t`'s policy, real-time priority and nice (sched_setscheduler,
 * sched_setparam, setpriority): it takes effect at once. A queued task is
 * re-queued in its new band and place (and may preempt where it waits); a
 * running one is charged under its old class, and its hart reschedules if
 * it got worse.
 */
export function setTaskSched(k: Kernel, t: Task, policy: number, rtPriority: number, nice: number): void {
  const se = t.sched;
  if (se.policy === policy && se.rtPriority === rtPriority && se.nice === nice) return;
  // A new policy starts with a whole SCHED_RR quantum (Linux's rt.time_slice is only used up while running as RR):
  // the slice a running task has now is its old policy's, so it leaves no remainder (-1, see switchTask).
  if (se.policy !== policy) se.rrLeft = t.cpu >= 0 ? -1 : 0;
  const now = nowNs(k);
  if (t.cpu >= 0) {
    const cpu = k.cpus[t.cpu];
    updateCurr(k, cpu, t, now);
    const oldBand = band(t), oldRt = se.rtPriority, oldNice = se.nice;
    se.policy = policy; se.rtPriority = rtPriority; se.nice = nice;
    // As Linux: a running task reschedules when it got worse (a lower band, a lower real-time priority, a higher nice); better, it just runs on.
    const b = band(t);
    if (b < oldBand || (b === oldBand && (rtPriority < oldRt || nice > oldNice))) cpu.needResched = true;
    return;
  }
  const c = se.rq;
  if (c < 0) { se.policy = policy; se.rtPriority = rtPriority; se.nice = nice; return; }
  const cpu = k.cpus[c];
  const at = se.enqueuedAt;
  dequeueTask(k, t);
  se.policy = policy; se.rtPriority = rtPriority; se.nice = nice;
  enqueueOn(k, cpu.rq, t, at, 0);
  checkPreempt(k, cpu, t, now);
}

/** Switch every run queue's normal band to policy `name` at run time (queued tasks are re-ordered by it, running ones reschedule). False: no such policy. */
export function setPolicy(k: Kernel, name: string): boolean {
  if (!POLICIES.has(name)) return false;
  for (const cpu of k.cpus) {
    const rq = cpu.rq;
    const old = rq.queue;
    rq.cls = name;
    rq.queue = [];
    for (const t of old) { t.sched.rq = -1; enqueueOn(k, rq, t, t.sched.enqueuedAt, 0); }
    if (cpu.current !== null && band(cpu.current) === BAND_NORMAL) cpu.needResched = true;
  }
  return true;
}

/** The policy of normal tasks in force (all harts use one, switchable through /proc/sys/kernel/sched_policy). */
export function policyName(k: Kernel): string {
  return k.cpus[0].rq.cls;
}

export function policyPreemptive(k: Kernel): boolean {
  return classOf(k.cpus[0].rq).preemptive;
}

/** The run queue `t` is on, runs on, or would go to (hart 0 when neither). */
function rqOf(k: Kernel, t: Task): RunQueue {
  return k.cpus[t.cpu >= 0 ? t.cpu : t.sched.rq >= 0 ? t.sched.rq : 0].rq;
}

/** The time slice `t` gets from its class now (sched_rr_get_interval), in ns; 0 = none. */
export function sliceFor(k: Kernel, t: Task): number {
  const rq = rqOf(k, t);
  return classFor(rq, t).sliceFor(k.schedSettings, rq, t);
}

/** The name of the class that schedules `t` ("rt", "idle", or the normal policy). */
export function taskClassName(k: Kernel, t: Task): string {
  return classFor(rqOf(k, t), t).name;
}

/** Tasks waiting on run queues (not running). */
export function nrQueued(k: Kernel): number {
  let n = 0;
  for (let i = 0; i < k.cpus.length; i++) n += queuedOn(k.cpus[i].rq);
  return n;
}

/** Tasks running or runnable (procs_running in /proc/stat, the load average). */
export function nrRunning(k: Kernel): number {
  let n = 0;
  for (let i = 0; i < k.cpus.length; i++) n += load(k.cpus[i]);
  return n;
}

/** Tasks running or queued on hart `cpu` (its load). */
export function cpuLoad(k: Kernel, cpu: number): number {
  return load(k.cpus[cpu]);
}

/** A copy of hart `cpu`'s queue in pick order of the bands (real time, normal in the policy's order, idle). */
export function queuedTasks(k: Kernel, cpu: number): Task[] {
  const rq = k.cpus[cpu].rq;
  return [...rq.rt, ...rq.queue, ...rq.idle];
}
