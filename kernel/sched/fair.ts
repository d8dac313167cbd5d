// A CFS-like fair-share policy for normal tasks (Linux's kernel/sched/fair.c
// before EEVDF, much simplified). Each task's virtual runtime advances by its
// runtime · 1024 / weight, where the weight comes from its nice value through
// Linux's sched_prio_to_weight table (each nice level is about 10% of CPU);
// the task with the least vruntime runs next. Every runnable task should run
// once per period (kernel.sched_latency_ns, stretched to nr ·
// kernel.sched_min_granularity_ns when many are runnable), each for a slice
// in proportion to its weight, never shorter than the minimum granularity.
// A new task starts at the queue's min vruntime; a woken sleeper gets at most
// half a period of credit below it; a woken task preempts the running one if
// it is behind by more than kernel.sched_wakeup_granularity_ns (SCHED_BATCH
// never preempts on wake-up: core.ts). A task that moves to another hart
// keeps its lag relative to the queue's min vruntime.
//
// The running task's first kernel.sched_min_granularity_ns after it was
// picked are protected from wake-up preemption, as Linux 6.6's EEVDF does
// with RUN_TO_PARITY (a picked task keeps the CPU for its base slice): a
// wake-up that would preempt earlier instead ends the running task's slice
// when that protection runs out (core.ts re-arms the timer). Without it a
// pipe writer that wakes its reader at every write switches at every write
// (stress-ng --pipe: 11 times the context switches of rr, twice the time);
// with it, a woken task still gets the CPU within the minimum granularity.
//
// Concepts: C29 (fair share), C30 (nice as a weight), C31 (per-CPU queues).
import type { Task } from "../proc/task.js";
import { type SchedClass, type SchedSettings, type RunQueue, ENQ_NEW, ENQ_WAKEUP, removeFrom, takeAt } from "./class.js";

/** Linux's sched_prio_to_weight: the load weight of nice -20..19 (nice 0 = 1024; a level is ~1.25x). */
export const NICE_TO_WEIGHT: readonly number[] = Object.freeze([
  /* -20 */ 88761, 71755, 56483, 46273, 36291,
  /* -15 */ 29154, 23254, 18705, 14949, 11916,
  /* -10 */ 9548, 7620, 6100, 4904, 3906,
  /*  -5 */ 3121, 2501, 1991, 1586, 1277,
  /*   0 */ 1024, 820, 655, 526, 423,
  /*   5 */ 335, 272, 215, 172, 137,
  /*  10 */ 110, 87, 70, 56, 45,
  /*  15 */ 36, 29, 23, 18, 15,
]);

export function weightOf(t: Task): number {
  return NICE_TO_WEIGHT[Math.max(-20, Math.min(19, t.sched.nice)) + 20];
}

/** The smallest vruntime queued (Infinity when none). */
function leftmost(rq: RunQueue): number {
  let m = Infinity;
  for (let i = 0; i < rq.queue.length; i++) if (rq.queue[i].sched.vruntime < m) m = rq.queue[i].sched.vruntime;
  return m;
}

/** min_vruntime only moves forward: to the least of the running task's and the queue's vruntimes. */
function updateMin(rq: RunQueue, curr: Task | null): void {
  let m = leftmost(rq);
  if (curr !== null && curr.sched.vruntime < m) m = curr.sched.vruntime;
  if (m !== Infinity && m > rq.minVruntime) rq.minVruntime = m;
}

/**
 * entity_eligible: whether `curr`'s vruntime is at most the load-weighted
 * average of the queue's and its own (its lag is not negative). Offsets from
 * curr's vruntime keep the sums small. Allocation-free.
 */
function eligible(rq: RunQueue, curr: Task): boolean {
  const v = curr.sched.vruntime;
  let sum = 0, load = weightOf(curr);
  for (let i = 0; i < rq.queue.length; i++) {
    const w = weightOf(rq.queue[i]);
    sum += (rq.queue[i].sched.vruntime - v) * w;
    load += w;
  }
  // avg - v = sum / load >= 0
  return sum >= 0 && load > 0;
}

/** The wake-up granularity in `t`'s vruntime (kernel.sched_wakeup_granularity_ns scaled by its weight, as Linux's wakeup_gran). */
function wakeupGran(s: SchedSettings, t: Task): number {
  return (s.wakeupGranularityNs * 1024) / weightOf(t);
}

/** sched_slice: `t`'s share of the period, by weight among the queue and itself (ns). */
export function fairSlice(s: SchedSettings, rq: RunQueue, t: Task): number {
  let total = weightOf(t), nr = 1;
  for (let i = 0; i < rq.queue.length; i++) {
    if (rq.queue[i] !== t) { total += weightOf(rq.queue[i]); nr++; }
  }
  const period = nr * s.minGranularityNs > s.latencyNs ? nr * s.minGranularityNs : s.latencyNs;
  return Math.max(s.minGranularityNs, Math.floor((period * weightOf(t)) / total));
}

export const cfs: SchedClass = {
  name: "cfs",
  about: "fair share by vruntime and nice weights (Linux-like; kernel.sched_latency_ns, _min_granularity_ns)",
  preemptive: true,
  sliceFor: fairSlice,
  enqueue(s, rq, t, _now, flags) {
    const se = t.sched;
    if (flags & ENQ_NEW) se.vruntime = rq.minVruntime;
    else if (flags & ENQ_WAKEUP) se.vruntime = Math.max(se.vruntime, rq.minVruntime - s.latencyNs / 2);
    rq.queue.push(t);
  },
  dequeue(rq, t) {
    removeFrom(rq.queue, t);
    if (rq.next === t) rq.next = null;
  },
  pickNext(s, rq) {
    let best = -1, v = Infinity;
    for (let i = 0; i < rq.queue.length; i++) {
      if (rq.queue[i].sched.vruntime < v) { best = i; v = rq.queue[i].sched.vruntime; }
    }
    // The next buddy of a synchronous wake-up runs out of order, by at most the wake-up granularity (Linux's
    // pick_next_entity with cfs_rq->next): it pays for it in vruntime, so fair share evens out after.
    const nb = rq.next;
    if (nb != null) {
      rq.next = null;
      const i = rq.queue.indexOf(nb);
      if (i >= 0 && nb.sched.vruntime - v <= wakeupGran(s, nb)) best = i;
    }
    const t = takeAt(rq.queue, best);
    if (t) updateMin(rq, t);
    return t;
  },
  putPrev(_s, rq, t) { rq.queue.push(t); },
  // check_preempt_tick: the slice is used up, or (after the minimum granularity) the task is a slice ahead of the leftmost.
  taskTick(s, rq, t, now) {
    if (rq.queue.length === 0) return false;
    // A wake-up cut the slice short (checkPreemptWakeup): it ends now.
    if (t.sched.sliceEnd !== 0 && now >= t.sched.sliceEnd) return true;
    const ran = t.sched.sumExec - t.sched.prevSumExec;
    const ideal = fairSlice(s, rq, t);
    if (ran >= ideal) return true;
    if (ran < s.minGranularityNs) return false;
    return t.sched.vruntime - leftmost(rq) > ideal;
  },
  taskFork() { /* ENQ_NEW places the child */ },
  // Behind every queued task: the others run before it does again.
  yieldTask(_s, rq, t) {
    let m = t.sched.vruntime;
    for (let i = 0; i < rq.queue.length; i++) if (rq.queue[i].sched.vruntime > m) m = rq.queue[i].sched.vruntime;
    t.sched.vruntime = m;
    rq.queue.push(t);
  },
  checkPreemptWakeup(s, rq, curr, woken, now) {
    if (curr.sched.vruntime - woken.sched.vruntime <= wakeupGran(s, woken)) return false;
    const left = s.minGranularityNs - (curr.sched.sumExec - curr.sched.prevSumExec);
    if (left <= 0) return true;
    // The protection holds only while the running task is eligible - its
    // vruntime not past the queue's weighted average - as Linux's pick_eevdf
    // drops a non-eligible curr before RUN_TO_PARITY is asked. A task that
    // keeps waking a waiter far behind it (a futex waker spinning on
    // FUTEX_WAKE, stress-ng --futex) is past the average and yields at once,
    // instead of making every wake-up wait out the minimum granularity.
    if (!eligible(rq, curr)) return true;
    // Protected (RUN_TO_PARITY): the slice ends when the protection does; core.ts arms the timer for it.
    const end = now + left;
    if (curr.sched.sliceEnd === 0 || end < curr.sched.sliceEnd) curr.sched.sliceEnd = end;
    return false;
  },
  // A synchronous wake-up (the waker handed the woken task a whole piece of
  // work, core.ts preemptForSync): the waker gives the woken task its turn,
  // which runs next as the next buddy. A waker that is behind the woken task
  // pays for it, taking the woken task's vruntime (as EEVDF's yield_task_fair
  // pushes the yielder's deadline on), and only up to half a period (the most
  // a sleeper's credit is worth): further ahead, the woken task waits its turn.
  // Without the charge a reader that got ahead once (a host pause charged to
  // it) stays ahead, and a writer that runs on fills the buffer every time.
  // The RUN_TO_PARITY protection above is for wakers that go on working (a
  // pipe writer's next small write); this waker would only pile up more work.
  checkPreemptSync(s, rq, curr, woken) {
    const gap = woken.sched.vruntime - curr.sched.vruntime;
    if (gap > s.latencyNs / 2) return false;
    if (gap > 0) {
      curr.sched.vruntime = woken.sched.vruntime;
      updateMin(rq, curr);
    }
    rq.next = woken;
    return true;
  },
  update(_s, rq, t, delta) {
    t.sched.vruntime += (delta * 1024) / weightOf(t);
    updateMin(rq, t);
  },
  migrate(from, to, t) { t.sched.vruntime += to.minVruntime - from.minVruntime; },
};
