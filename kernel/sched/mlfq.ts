// Multilevel feedback queue for normal tasks (the OSTEP rules): a task
// starts at the top level; the queued task on the highest level runs first
// (round robin within a level); a task that uses up its level's quantum
// moves down one level, one that blocks before that stays where it is; and
// every kernel.sched_mlfq_boost_ms all tasks go back to the top, so CPU hogs
// at the bottom cannot starve. The levels and their quanta are
// kernel.sched_mlfq_levels and kernel.sched_mlfq_quanta_ms. A task woken on
// a higher level preempts one running on a lower level at once.
//
// The boost is lazy: a task remembers the boost period in which its level
// was last set (se.mlfqPeriod); when a later period has begun its level
// reads as 0. So no timer has to visit every task, and sleeping tasks are
// boosted too.
//
// Concepts: C29 (MLFQ), C30 (dynamic priority, starvation prevented by the
// boost), C32 (I/O-bound tasks stay responsive).
import type { Task } from "../proc/task.js";
import { type SchedClass, type SchedSettings, type RunQueue, removeFrom, takeAt, noop } from "./class.js";

function period(s: SchedSettings, now: number): number {
  return s.mlfqBoostNs > 0 ? Math.floor(now / s.mlfqBoostNs) : 0;
}

/** `t`'s MLFQ level now (0 = top), after any boost since it was last set; also stores it. */
export function mlfqLevel(s: SchedSettings, t: Task, now: number): number {
  const p = period(s, now);
  const se = t.sched;
  if (p > se.mlfqPeriod) { se.mlfqLevel = 0; se.mlfqPeriod = p; }
  if (se.mlfqLevel >= s.mlfqLevels) se.mlfqLevel = s.mlfqLevels - 1;
  return se.mlfqLevel;
}

function quantum(s: SchedSettings, level: number): number {
  const q = s.mlfqQuantaNs;
  return q[Math.min(level, q.length - 1)];
}

/** Index of the first queued task on the highest level (round robin within it), or -1; `above`: only levels above this one. */
function topIndex(s: SchedSettings, rq: RunQueue, now: number, above: number): number {
  let best = -1, bestLevel = above;
  for (let i = 0; i < rq.queue.length; i++) {
    const l = mlfqLevel(s, rq.queue[i], now);
    if (l < bestLevel) { best = i; bestLevel = l; }
  }
  return best;
}

export const mlfq: SchedClass = {
  name: "mlfq",
  about: "multilevel feedback queue (kernel.sched_mlfq_levels, _quanta_ms, _boost_ms)",
  preemptive: true,
  sliceFor(s, _rq, t) { return quantum(s, t.sched.mlfqLevel); },
  enqueue(s, rq, t, now) { mlfqLevel(s, t, now); rq.queue.push(t); },
  dequeue(rq, t) { removeFrom(rq.queue, t); },
  pickNext(s, rq, now) { return takeAt(rq.queue, topIndex(s, rq, now, Infinity)); },
  putPrev(_s, rq, t) { rq.queue.push(t); },
  taskTick(s, rq, t, now) {
    const level = mlfqLevel(s, t, now);
    if (t.sched.sliceEnd !== 0 && now >= t.sched.sliceEnd) {
      // The quantum is used up: one level down, and a fresh slice of that level's length when it runs on.
      if (level < s.mlfqLevels - 1) t.sched.mlfqLevel = level + 1;
      t.sched.sliceEnd = 0;
      return topIndex(s, rq, now, t.sched.mlfqLevel + 1) >= 0;
    }
    return topIndex(s, rq, now, level) >= 0;
  },
  taskFork(_s, _rq, _parent, child) { child.sched.mlfqLevel = 0; },
  yieldTask(_s, rq, t) { rq.queue.push(t); },
  checkPreemptWakeup: (s, _rq, curr, woken, now) => mlfqLevel(s, woken, now) < mlfqLevel(s, curr, now),
  update: noop,
  migrate: noop,
};
