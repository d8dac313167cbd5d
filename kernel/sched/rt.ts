// The bands above and below the normal tasks, as Linux stacks its classes:
// real-time SCHED_FIFO and SCHED_RR tasks (rq.rt; sched_priority 1..99,
// higher first; always picked before any normal task, and a woken one
// preempts a lower one at once) and SCHED_IDLE tasks (rq.idle; they run only
// when no other task on the hart can). SCHED_FIFO runs until it blocks,
// yields or a higher priority arrives (and then stays at the head of its
// priority); SCHED_RR tasks of equal priority take turns by the
// round-robin quantum (kernel.sched_rr_timeslice_ms).
//
// Concepts: C30 (real-time priorities above time sharing), C29 (FIFO, RR).
import type { Task } from "../proc/task.js";
import { SCHED_RR } from "../abi/sched.js";
import { type SchedClass, type RunQueue, removeFrom, takeAt, noop } from "./class.js";

/** Index of the first queued task of the highest priority (above `min`), or -1. */
function highest(rq: RunQueue, min: number): number {
  let best = -1, p = min;
  for (let i = 0; i < rq.rt.length; i++) {
    if (rq.rt[i].sched.rtPriority > p) { best = i; p = rq.rt[i].sched.rtPriority; }
  }
  return best;
}

function sliceOver(t: Task, now: number): boolean {
  return t.sched.sliceEnd !== 0 && now >= t.sched.sliceEnd;
}

export const realTime: SchedClass = {
  name: "rt",
  about: "SCHED_FIFO / SCHED_RR, priorities 1..99",
  preemptive: true,
  sliceFor: (s, _rq, t) => (t.sched.policy === SCHED_RR ? s.rrQuantumNs : 0),
  enqueue(_s, rq, t) { rq.rt.push(t); },
  dequeue(rq, t) { removeFrom(rq.rt, t); },
  pickNext(_s, rq) { return takeAt(rq.rt, highest(rq, 0)); },
  // Preempted before its quantum ended (or FIFO): it stays at the head of its priority.
  putPrev(_s, rq, t, preempted, now) {
    if (preempted && (t.sched.policy !== SCHED_RR || !sliceOver(t, now))) rq.rt.unshift(t);
    else rq.rt.push(t);
  },
  taskTick(_s, rq, t, now) {
    const p = t.sched.rtPriority;
    if (highest(rq, p) >= 0) return true;
    return t.sched.policy === SCHED_RR && sliceOver(t, now) && highest(rq, p - 1) >= 0;
  },
  taskFork: noop,
  yieldTask(_s, rq, t) { rq.rt.push(t); },
  checkPreemptWakeup: (_s, _rq, curr, woken) => woken.sched.rtPriority > curr.sched.rtPriority,
  update: noop,
  migrate: noop,
};

export const idleBand: SchedClass = {
  name: "idle",
  about: "SCHED_IDLE: only when nothing else can run",
  preemptive: true,
  sliceFor: (s) => s.rrQuantumNs,
  enqueue(_s, rq, t) { rq.idle.push(t); },
  dequeue(rq, t) { removeFrom(rq.idle, t); },
  pickNext(_s, rq) { return rq.idle.shift(); },
  putPrev(_s, rq, t) { rq.idle.push(t); },
  taskTick: (_s, rq, t, now) => sliceOver(t, now) && rq.idle.length > 0,
  taskFork: noop,
  yieldTask(_s, rq, t) { rq.idle.push(t); },
  checkPreemptWakeup: () => false,
  update: noop,
  migrate: noop,
};
