// Priority scheduling of normal tasks from their nice value (-20 best, 19
// worst), preemptive: `prio` is static (a better-priority task always runs
// first; equal priorities take turns by the round-robin quantum), and
// `prio-aging` is the same with aging: every second a task waits in the
// queue raises its effective priority by kernel.sched_aging_rate levels,
// and running resets it to its nice. So a low-priority task starves under
// `prio` while better ones stay runnable, and under `prio-aging` it waits
// at most about (its nice - theirs) / rate seconds plus a quantum.
//
// Concepts: C29 (priority scheduling), C30 (static and dynamic priority,
// starvation and aging).
import type { Task } from "../proc/task.js";
import { type SchedClass, type SchedSettings, type RunQueue, removeFrom, takeAt, noop } from "./class.js";

/** The effective priority of `t` now (lower runs first): its nice, less what waiting since `enqueuedAt` earned it under aging. */
export function effectivePrio(s: SchedSettings, t: Task, now: number, aging: boolean): number {
  if (!aging || t.sched.rq < 0) return t.sched.nice;
  const waited = Math.max(0, now - t.sched.enqueuedAt);
  return t.sched.nice - Math.floor((waited * s.agingRate) / 1e9);
}

function bestIndex(s: SchedSettings, rq: RunQueue, now: number, aging: boolean): number {
  let best = -1, bestKey = Infinity;
  for (let i = 0; i < rq.queue.length; i++) {
    const v = effectivePrio(s, rq.queue[i], now, aging);
    if (v < bestKey) { best = i; bestKey = v; }
  }
  return best;
}

function prioClass(name: string, aging: boolean, about: string): SchedClass {
  return {
    name, about, preemptive: true,
    sliceFor: (s) => s.rrQuantumNs,
    enqueue(_s, rq, t) { rq.queue.push(t); },
    dequeue(rq, t) { removeFrom(rq.queue, t); },
    pickNext(s, rq, now) { return takeAt(rq.queue, bestIndex(s, rq, now, aging)); },
    putPrev(_s, rq, t) { rq.queue.push(t); },
    // A better queued task takes the CPU at the tick; an equal one when the quantum is over.
    taskTick(s, rq, t, now) {
      const i = bestIndex(s, rq, now, aging);
      if (i < 0) return false;
      const best = effectivePrio(s, rq.queue[i], now, aging);
      const mine = t.sched.nice;
      return best < mine || (best === mine && t.sched.sliceEnd !== 0 && now >= t.sched.sliceEnd);
    },
    taskFork: noop,
    yieldTask(_s, rq, t) { rq.queue.push(t); },
    checkPreemptWakeup: (s, _rq, curr, woken, now) => effectivePrio(s, woken, now, aging) < curr.sched.nice,
    update: noop,
    migrate: noop,
  };
}

export const prioStatic = prioClass("prio", false, "static priority from nice (preemptive; equal priorities take turns)");
export const prioAging = prioClass("prio-aging", true, "priority with aging at kernel.sched_aging_rate levels per second waited");
