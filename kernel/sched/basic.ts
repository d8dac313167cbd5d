// The two simplest policies for normal tasks: first come, first served (a
// task runs until it blocks, yields or exits) and round robin (the same queue
// with a fixed quantum, k.schedSettings.rrQuantumNs, settable through
// kernel.sched_rr_timeslice_ms).
//
// Concepts: C29 (FCFS, round robin), C12 (the timer ends a quantum).
import { type SchedClass, removeFrom, noop } from "./class.js";

/** Round robin: FIFO queue, fixed slices; a preempted or yielding task goes to the back. */
export const roundRobin: SchedClass = {
  name: "rr",
  about: "round robin, quantum kernel.sched_rr_timeslice_ms",
  preemptive: true,
  sliceFor: (s) => s.rrQuantumNs,
  enqueue(_s, rq, t) { rq.queue.push(t); },
  dequeue(rq, t) { removeFrom(rq.queue, t); },
  pickNext(_s, rq) { return rq.queue.shift(); },
  putPrev(_s, rq, t) { rq.queue.push(t); },
  taskTick(_s, rq, t, now) { return t.sched.sliceEnd !== 0 && now >= t.sched.sliceEnd && rq.queue.length > 0; },
  taskFork: noop,
  yieldTask(_s, rq, t) { rq.queue.push(t); },
  // Equal priorities: a wake-up waits for the running task's slice to end.
  checkPreemptWakeup: () => false,
  update: noop,
  migrate: noop,
};

/** First come, first served: no preemption; a task runs until it blocks, yields or exits. */
export const fcfs: SchedClass = {
  name: "fcfs",
  about: "first come, first served (non-preemptive)",
  preemptive: false,
  sliceFor: () => 0,
  enqueue(_s, rq, t) { rq.queue.push(t); },
  dequeue(rq, t) { removeFrom(rq.queue, t); },
  pickNext(_s, rq) { return rq.queue.shift(); },
  // Only something outside the policy (a real-time wake-up, an affinity change) takes the CPU from a runnable task: it keeps its place at the front.
  putPrev(_s, rq, t, preempted) { if (preempted) rq.queue.unshift(t); else rq.queue.push(t); },
  taskTick: () => false,
  taskFork: noop,
  // Like SCHED_FIFO's sched_yield: to the back of the queue.
  yieldTask(_s, rq, t) { rq.queue.push(t); },
  checkPreemptWakeup: () => false,
  update: noop,
  migrate: noop,
};
