// Shortest job first (non-preemptive) and shortest remaining time first
// (preemptive) for normal tasks. A task's next CPU burst is predicted by
// exponential averaging, τ(n+1) = α·t(n) + (1−α)·τ(n) (core.ts does it when
// a burst ends: the CPU time between becoming runnable and blocking);
// α is kernel.sched_sjf_alpha and τ(0) kernel.sched_sjf_tau0_ms. Both
// policies pick the queued task with the least predicted time left
// (prediction minus what the burst has used so far); ties go in arrival
// order. SRTF also lets a task that becomes runnable preempt the running one
// when its prediction is shorter than the running task's time left.
//
// Concepts: C29 (SJF, SRTF, burst prediction), C32 (preemptive vs not).
import type { Task } from "../proc/task.js";
import { type SchedClass, type SchedSettings, type RunQueue, removeFrom, takeAt, noop } from "./class.js";

/** The predicted length of `t`'s current burst (ns): its estimate, or τ(0) before its first burst ended. */
export function predictedBurst(s: SchedSettings, t: Task): number {
  return t.sched.burstEstimate < 0 ? s.sjfTau0Ns : t.sched.burstEstimate;
}

/** Predicted time left in `t`'s current burst (ns, never below 0). */
export function remainingBurst(s: SchedSettings, t: Task): number {
  return Math.max(0, predictedBurst(s, t) - t.sched.burstRun);
}

function shortest(s: SchedSettings, rq: RunQueue): Task | undefined {
  let best = -1, bestKey = Infinity;
  for (let i = 0; i < rq.queue.length; i++) {
    const v = remainingBurst(s, rq.queue[i]);
    if (v < bestKey) { best = i; bestKey = v; }
  }
  return takeAt(rq.queue, best);
}

function shortestClass(name: string, preemptive: boolean, about: string): SchedClass {
  return {
    name, about, preemptive,
    sliceFor: () => 0,
    enqueue(_s, rq, t) { rq.queue.push(t); },
    dequeue(rq, t) { removeFrom(rq.queue, t); },
    pickNext: shortest,
    putPrev(_s, rq, t) { rq.queue.push(t); },
    taskTick: () => false,
    taskFork: noop,
    yieldTask(_s, rq, t) { rq.queue.push(t); },
    checkPreemptWakeup: preemptive ? (s, _rq, curr, woken) => remainingBurst(s, woken) < remainingBurst(s, curr) : () => false,
    update: noop,
    migrate: noop,
  };
}

export const sjf = shortestClass("sjf", false, "shortest job first by predicted burst (non-preemptive)");
export const srtf = shortestClass("srtf", true, "shortest remaining time first (a shorter arrival preempts)");
