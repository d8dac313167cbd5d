// Scheduling classes: the policy half of the scheduler, shaped like Linux's
// `struct sched_class`. The mechanism (kernel/sched/core.ts) owns the run
// queues, the context switch, placement and balancing; a class only decides
// the order of one hart's queue and when the running task must give the CPU
// up. Both run queues and tasks are plain data; a run queue names its class
// (`rq.cls`), and the classes themselves are this immutable table of code, so
// kernel state never holds a function (issue 7: state as data).
//
// A new policy is one more object here and one more entry in POLICIES; it can
// keep per-task fields in `t.sched` (SchedEntity, kernel/proc/task.ts).
//
// Concepts: C07 (mechanism vs policy), C12 (timer-driven preemption),
// C22 (ready queue), C29 (policies: round robin, FCFS, ...), C30.
import type { Task } from "../proc/task.js";

/**
 * One hart's run queue: the tasks waiting for that hart (the running task is
 * not on it, as in Linux after pick_next_task). Every task on `queue` may run
 * on hart `cpu` (placement checks affinity). Plain data.
 */
export interface RunQueue {
  readonly cpu: number;
  /** Name of the scheduling class that orders this queue (a key of POLICIES). */
  cls: string;
  queue: Task[];
}

/** A scheduling class (Linux's struct sched_class, the hooks tsix needs so far). */
export interface SchedClass {
  readonly name: string;
  /** Whether the timer preempts a running task whose slice is used up. */
  readonly preemptive: boolean;
  /** Time slice length in nanoseconds of kernel time (0 = run until it blocks). */
  sliceFor(t: Task): number;
  /** enqueue_task: a task became runnable (woke, was created, or was moved here). */
  enqueue(rq: RunQueue, t: Task): void;
  /** dequeue_task: take a queued task off (it stopped, exited, or moves to another hart). */
  dequeue(rq: RunQueue, t: Task): void;
  /** pick_next_task: remove and return the task to run next, or undefined. */
  pickNext(rq: RunQueue): Task | undefined;
  /** put_prev_task: the running task left the CPU but is still runnable. `preempted`: it lost the CPU (a tick, a wake-up), it did not give it up. */
  putPrev(rq: RunQueue, t: Task, preempted: boolean): void;
  /** task_tick: the timer interrupted `t`; true when it should be preempted (the queue has work). */
  taskTick(rq: RunQueue, t: Task, nowNs: number): boolean;
  /** task_fork: `child` is new; set up its class fields from the parent's. */
  taskFork(parent: Task, child: Task): void;
  /** yield_task: the running task called sched_yield; put it where the policy says (it is not running any more). */
  yieldTask(rq: RunQueue, t: Task): void;
  /** check_preempt_curr: `woken` was queued on the hart where `curr` runs; true to preempt `curr` now. */
  checkPreemptWakeup(rq: RunQueue, curr: Task, woken: Task): boolean;
}

function dequeueFrom(rq: RunQueue, t: Task): void {
  const i = rq.queue.indexOf(t);
  if (i >= 0) rq.queue.splice(i, 1);
}

function takeHead(rq: RunQueue): Task | undefined {
  return rq.queue.length ? rq.queue.shift() : undefined;
}

/** The round-robin quantum in ns (what sched_rr_get_interval and kernel.sched_rr_timeslice_ms report). */
export const RR_SLICE_NS = 10_000_000;

/** Round robin: FIFO queue, fixed slices; a preempted or yielding task goes to the back. */
export const roundRobin: SchedClass = {
  name: "rr",
  preemptive: true,
  sliceFor: () => RR_SLICE_NS,
  enqueue(rq, t) { rq.queue.push(t); },
  dequeue: dequeueFrom,
  pickNext: takeHead,
  putPrev(rq, t) { rq.queue.push(t); },
  taskTick(rq, t, nowNs) { return t.sched.sliceEnd !== 0 && nowNs >= t.sched.sliceEnd && rq.queue.length > 0; },
  taskFork(_parent, child) { child.sched.sliceEnd = 0; },
  yieldTask(rq, t) { rq.queue.push(t); },
  // Equal priorities: a wake-up waits for the running task's slice to end (Linux SCHED_RR).
  checkPreemptWakeup: () => false,
};

/** First come, first served: no preemption; a task runs until it blocks, yields or exits. */
export const fcfs: SchedClass = {
  name: "fcfs",
  preemptive: false,
  sliceFor: () => 0,
  enqueue(rq, t) { rq.queue.push(t); },
  dequeue: dequeueFrom,
  pickNext: takeHead,
  // Only something outside the policy (an affinity change) takes the CPU from a runnable task: it keeps its place at the front.
  putPrev(rq, t, preempted) { if (preempted) rq.queue.unshift(t); else rq.queue.push(t); },
  taskTick: () => false,
  taskFork(_parent, child) { child.sched.sliceEnd = 0; },
  // Like SCHED_FIFO's sched_yield: to the back of the queue.
  yieldTask(rq, t) { rq.queue.push(t); },
  checkPreemptWakeup: () => false,
};

/** The classes by name: an immutable table of code (run queues refer to it by name). */
export const POLICIES: ReadonlyMap<string, SchedClass> = new Map([
  [roundRobin.name, roundRobin],
  [fcfs.name, fcfs],
]);

/** The class of a run queue. */
export function classOf(rq: RunQueue): SchedClass {
  const c = POLICIES.get(rq.cls);
  if (!c) throw new Error(`sched: unknown class '${rq.cls}'`);
  return c;
}

export function createRunQueue(cpu: number, cls: string): RunQueue {
  if (!POLICIES.has(cls)) throw new Error(`unknown scheduling policy '${cls}'`);
  return { cpu, cls, queue: [] };
}
