// The scheduler mechanism: run queues, picking the next task, time slices
// enforced by the timer interrupt (Sstc stimecmp), and accounting. Which task
// runs next is decided by a policy module behind a narrow interface, chosen
// at boot (`--sched`) and switchable at run time through
// /proc/sys/kernel/sched_policy (mechanism vs policy, seed 004).
//
// Concepts: C07 (mechanism vs policy), C12 (timer-driven preemption),
// C22 (ready queue), C29 (policies: round robin, FCFS, ...), C30.
import type { Task } from "../proc/task.js";

/** A scheduling policy: owns the order of the ready queue. */
export interface SchedPolicy {
  readonly name: string;
  /** Whether the timer preempts a running task whose slice is used up. */
  readonly preemptive: boolean;
  /** Time slice length in nanoseconds of kernel time (0 = run until it blocks). */
  sliceFor(t: Task): number;
  /** Add a runnable task to the queue. `preempted`: it was running and lost the CPU. */
  enqueue(q: Task[], t: Task, preempted: boolean): void;
  /** Remove and return the next task allowed on `cpu`, or undefined. */
  pickNext(q: Task[], cpu: number): Task | undefined;
}

function takeFirst(q: Task[], cpu: number): Task | undefined {
  for (let i = 0; i < q.length; i++) {
    if (q[i].sched.affinity & (1 << cpu)) return q.splice(i, 1)[0];
  }
  return undefined;
}

/** Round robin: FIFO queue, fixed slices, preempted tasks go to the back. */
export const roundRobin: SchedPolicy = {
  name: "rr",
  preemptive: true,
  sliceFor: () => 10_000_000,
  enqueue(q, t) { q.push(t); },
  pickNext: takeFirst,
};

/** First come, first served: no preemption; a task runs until it blocks or exits. */
export const fcfs: SchedPolicy = {
  name: "fcfs",
  preemptive: false,
  sliceFor: () => 0,
  enqueue(q, t, preempted) { if (preempted) q.unshift(t); else q.push(t); },
  pickNext: takeFirst,
};

export const POLICIES: ReadonlyMap<string, SchedPolicy> = new Map([
  [roundRobin.name, roundRobin],
  [fcfs.name, fcfs],
]);

export interface RunQueue {
  policy: SchedPolicy;
  ready: Task[];
}

export function createRunQueue(policy: SchedPolicy): RunQueue {
  return { policy, ready: [] };
}

export function enqueueTask(rq: RunQueue, t: Task, preempted: boolean, nowNs: number): void {
  t.sched.enqueuedAt = nowNs;
  rq.policy.enqueue(rq.ready, t, preempted);
}

export function removeTask(rq: RunQueue, t: Task): void {
  const i = rq.ready.indexOf(t);
  if (i >= 0) rq.ready.splice(i, 1);
}

export function pickNextTask(rq: RunQueue, cpu: number, nowNs: number): Task | undefined {
  const t = rq.policy.pickNext(rq.ready, cpu);
  if (t) t.sched.waitTime += Math.max(0, nowNs - t.sched.enqueuedAt);
  return t;
}

/** Switch policy at run time: the queue is re-ordered by the new policy. */
export function setPolicy(rq: RunQueue, p: SchedPolicy, nowNs: number): void {
  const old = rq.ready;
  rq.policy = p;
  rq.ready = [];
  for (const t of old) enqueueTask(rq, t, false, nowNs);
}
