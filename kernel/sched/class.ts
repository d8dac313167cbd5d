// The scheduling-class interface (Linux's `struct sched_class`), the run
// queue and the scheduler's settings: what every class file (rt.ts, fair.ts,
// mlfq.ts, sjf.ts, prio.ts, basic.ts) and the mechanism (core.ts) share. It
// is its own module so that the class files and the table of classes
// (sched.ts) do not import each other.
//
// A run queue holds one list per class band, as Linux stacks its classes:
// real-time tasks (SCHED_FIFO/SCHED_RR) on `rt`, normal tasks (SCHED_OTHER,
// SCHED_BATCH) on `queue`, ordered by the switchable teaching policy named
// by `cls`, and SCHED_IDLE tasks on `idle`. The bands are tried in that
// order. Everything here is plain data: the classes are immutable code that
// kernel state names by string; settings and per-task fields are numbers.
//
// Concepts: C07 (mechanism vs policy), C22 (ready queues), C29 (policies
// behind one interface), C30 (priorities and real time).
import type { Task } from "../proc/task.js";

/** One hart's run queue (the running task is not on it, as in Linux after pick_next_task). Plain data. */
export interface RunQueue {
  readonly cpu: number;
  /** Name of the policy that orders the normal band (a key of POLICIES, sched.ts). */
  cls: string;
  /** Real-time band: SCHED_FIFO and SCHED_RR tasks, highest rtPriority first, FIFO within a priority. */
  rt: Task[];
  /** Normal band: SCHED_OTHER and SCHED_BATCH tasks, in the order the policy keeps. */
  queue: Task[];
  /** SCHED_IDLE band: run only when the other two are empty. */
  idle: Task[];
  /** CFS: the queue's monotonic minimum vruntime (new tasks start here; sleepers are bounded by it). */
  minVruntime: number;
  /**
   * CFS: the "next buddy", a task a synchronous wake-up asked to run next
   * (checkPreemptSync); the next pick takes it if it is still queued and not
   * more than the wake-up granularity ahead of the leftmost. Absent or null: none.
   */
  next?: Task | null;
  /** Kernel time (ns) of this hart's next periodic load balance. */
  nextBalance: number;
  /** Tasks that arrived on this hart from another one (migrations in). */
  nrMigrations: number;
}

/**
 * The scheduler's settings (kernel state, k.schedSettings): plain numbers,
 * read by the classes at every decision and written through
 * /proc/sys/kernel/sched_* (fs/proc/sys.ts) and `tsix run --sysctl`.
 */
export interface SchedSettings {
  /** Round-robin quantum (policy rr, prio's equal-priority turns, SCHED_RR, SCHED_IDLE): kernel.sched_rr_timeslice_ms. */
  rrQuantumNs: number;
  /** SJF/SRTF: the weight α of the last burst in τ(n+1) = α·t(n) + (1−α)·τ(n), 0..1. */
  sjfAlpha: number;
  /** SJF/SRTF: τ(0), the prediction of a task that never blocked. */
  sjfTau0Ns: number;
  /** prio-aging: priority levels a waiting task gains per second of waiting. */
  agingRate: number;
  /** MLFQ: number of levels (1..8); quanta per level (ns, length = levels); period of the boost to the top (ns). */
  mlfqLevels: number;
  mlfqQuantaNs: number[];
  mlfqBoostNs: number;
  /** CFS: target latency (every runnable task runs once per period), minimum slice, wake-up preemption granularity. */
  latencyNs: number;
  minGranularityNs: number;
  wakeupGranularityNs: number;
  /** Periodic load balancing interval (ns). */
  balanceIntervalNs: number;
}

export function defaultSchedSettings(): SchedSettings {
  return {
    rrQuantumNs: 10_000_000,
    sjfAlpha: 0.5,
    sjfTau0Ns: 10_000_000,
    agingRate: 100,
    mlfqLevels: 3,
    mlfqQuantaNs: [10_000_000, 20_000_000, 40_000_000],
    mlfqBoostNs: 1_000_000_000,
    // Linux's defaults for one CPU (sysctl_sched_latency, _min_granularity, _wakeup_granularity).
    latencyNs: 6_000_000,
    minGranularityNs: 750_000,
    wakeupGranularityNs: 1_000_000,
    balanceIntervalNs: 4_000_000,
  };
}

/** What enqueue is told about why the task arrives. */
export const ENQ_WAKEUP = 1, ENQ_NEW = 2;

/** A scheduling class: the hooks tsix uses of Linux's struct sched_class. `s` is k.schedSettings. */
export interface SchedClass {
  readonly name: string;
  /** One line for `--sched` help and docs. */
  readonly about: string;
  /** Whether the class ever takes the CPU from a runnable task (timer or wake-up). */
  readonly preemptive: boolean;
  /** Slice length (ns) for `t` now (0 = no timer: it runs until it blocks, yields or is preempted by a wake-up). */
  sliceFor(s: SchedSettings, rq: RunQueue, t: Task): number;
  /** enqueue_task: `t` became runnable (flags: ENQ_WAKEUP, ENQ_NEW) or moved here. */
  enqueue(s: SchedSettings, rq: RunQueue, t: Task, now: number, flags: number): void;
  /** dequeue_task: take a queued task off. */
  dequeue(rq: RunQueue, t: Task): void;
  /** pick_next_task: remove and return the task to run next, or undefined. */
  pickNext(s: SchedSettings, rq: RunQueue, now: number): Task | undefined;
  /** put_prev_task: the running task left the CPU still runnable; `preempted`: it lost the CPU rather than gave it up. */
  putPrev(s: SchedSettings, rq: RunQueue, t: Task, preempted: boolean, now: number): void;
  /** task_tick: the timer interrupted `t` (its runtime is accounted); true to preempt it. */
  taskTick(s: SchedSettings, rq: RunQueue, t: Task, now: number): boolean;
  /** task_fork: set up `child`'s class fields (it is not queued yet). */
  taskFork(s: SchedSettings, rq: RunQueue, parent: Task, child: Task): void;
  /** yield_task: the running task called sched_yield; queue it where the policy says. */
  yieldTask(s: SchedSettings, rq: RunQueue, t: Task, now: number): void;
  /** check_preempt_curr: `woken` (same band) was queued where `curr` runs; true to preempt `curr` now. */
  checkPreemptWakeup(s: SchedSettings, rq: RunQueue, curr: Task, woken: Task, now: number): boolean;
  /**
   * A synchronous wake-up: `curr` has just handed `woken` (same band) a whole
   * piece of work, and the piece is only done once `woken` runs (a full
   * buffer for a reader). True to switch to `woken` now rather than let `curr`
   * pile up more; absent: such wake-ups are ordinary ones.
   */
  checkPreemptSync?(s: SchedSettings, rq: RunQueue, curr: Task, woken: Task): boolean;
  /** update_curr: `t` (running) used `delta` ns of CPU. */
  update(s: SchedSettings, rq: RunQueue, t: Task, delta: number): void;
  /** `t` moves from queue `from` to `to` (not queued on either at the call). */
  migrate(from: RunQueue, to: RunQueue, t: Task): void;
}

/** Remove `t` from `list` if it is there (no allocation). */
export function removeFrom(list: Task[], t: Task): void {
  const i = list.indexOf(t);
  if (i >= 0) list.splice(i, 1);
}

/** Remove and return the element at `i`. */
export function takeAt(list: Task[], i: number): Task | undefined {
  if (i < 0 || i >= list.length) return undefined;
  const t = list[i];
  list.splice(i, 1);
  return t;
}

/** Index of the first task with the smallest `key` (ties: queue order, i.e. arrival), or -1. */
export function argMin(list: Task[], key: (t: Task) => number): number {
  let best = -1, bestKey = Infinity;
  for (let i = 0; i < list.length; i++) {
    const v = key(list[i]);
    if (v < bestKey) { best = i; bestKey = v; }
  }
  return best;
}

/** A class hook that does nothing (most classes keep no runtime or per-queue position). */
export function noop(): void {}

/** An empty run queue for hart `cpu` ordered by policy `cls`; its first periodic balance is at `firstBalance` ns. */
export function createRunQueue(cpu: number, cls: string, firstBalance = 0): RunQueue {
  return { cpu, cls, rt: [], queue: [], idle: [], minVruntime: 0, next: null, nextBalance: firstBalance, nrMigrations: 0 };
}
