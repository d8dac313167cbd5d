// The table of scheduling policies for normal tasks: the names `--sched`
// and /proc/sys/kernel/sched_policy take, each an immutable SchedClass
// (class.ts) that orders the normal band of a run queue. Run queues refer
// to their policy by name, so kernel state never holds a function (issue 7:
// state as data). The bands above and below (real time, SCHED_IDLE; rt.ts)
// are not switchable and are not in this table.
//
// The classes live one family per file: basic.ts (fcfs, rr), sjf.ts (sjf,
// srtf), prio.ts (prio, prio-aging), mlfq.ts, fair.ts (cfs). A new policy is
// one more object and one more entry here; it keeps its per-task fields in
// `t.sched` (SchedEntity, kernel/proc/task.ts) and its settings in
// SchedSettings (class.ts).
//
// Concepts: C07 (mechanism vs policy), C29 (the policies), C30.
import { type SchedClass, type RunQueue } from "./class.js";
import { roundRobin, fcfs } from "./basic.js";
import { sjf, srtf } from "./sjf.js";
import { prioStatic, prioAging } from "./prio.js";
import { mlfq } from "./mlfq.js";
import { cfs } from "./fair.js";

export type { SchedClass, RunQueue, SchedSettings } from "./class.js";
export { createRunQueue, defaultSchedSettings } from "./class.js";

/**
 * The default policy of a kernel booted without `--sched`: cfs, as Linux
 * schedules SCHED_OTHER tasks, with wake-up preemption (a woken task that
 * has waited longer takes the CPU once the running task's protected minimum
 * slice is over: fair.ts). Round robin let a woken task wait for the
 * waker's whole 10 ms quantum: stress-ng --futex made 100 bogo ops per
 * virtual second under it, 1,328 under cfs (instret clock; the protected
 * slice bounds it); pipes, message queues and semaphores are no slower and
 * udp is 8 times faster (docs/scheduling.md). The kernel's own copying is charged as time on the instret
 * clock (sched/budget.ts), so two tasks that feed each other through a pipe
 * cannot keep the least vruntime for ever (test/security/freeze.test.ts).
 */
export const DEFAULT_POLICY = "cfs";

/** The policies by name: an immutable table of code (run queues refer to it by name). */
export const POLICIES: ReadonlyMap<string, SchedClass> = new Map(
  [cfs, roundRobin, fcfs, sjf, srtf, prioStatic, prioAging, mlfq].map((c) => [c.name, c] as const),
);

/** The policy that orders a run queue's normal band. */
export function classOf(rq: RunQueue): SchedClass {
  const c = POLICIES.get(rq.cls);
  if (!c) throw new Error(`sched: unknown class '${rq.cls}'`);
  return c;
}
