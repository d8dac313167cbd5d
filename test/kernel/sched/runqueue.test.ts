// Per-hart run queues (issue 7): where a task that becomes runnable is
// queued (idle hart first, its last hart preferred, affinity always
// respected, else the least loaded hart), idle balancing (a hart with nothing
// to run pulls a task it may run from the busiest queue), balancing at the
// round-robin tick, and migration when the affinity changes. These drive
// kernel/sched/core.ts directly on a booted two-hart kernel with stand-in
// tasks.
//
// Concepts: C22 (ready queues), C31 (multiprocessor scheduling, affinity, load balancing).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { selectCpu, type Kernel } from "../../../kernel/kernel.js";
import { createVm } from "../../../vmm/vmm.js";
import { CTX_BYTES, type Task } from "../../../kernel/proc/task.js";
import { defaultSched } from "../../../kernel/proc/spawn.js";
import { makeRunnable, schedule, schedTick, setAffinity, queuedTasks, nrQueued, nrRunning } from "../../../kernel/sched/core.js";

/** A stand-in task with what the scheduler touches (no address space). */
function task(tid: number, affinity = 0b11, lastCpu = 0): Task {
  return {
    tid, comm: `t${tid}`, state: "R", cpu: -1, mm: null, ctx: new Uint8Array(CTX_BYTES), nvcsw: 0, nivcsw: 0,
    sched: { ...defaultSched(), affinity, lastCpu },
  } as unknown as Task;
}

function boot(cpus: number, sched = "rr"): Kernel {
  return createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, cpus, sched, clock: "instret" }).kernel;
}

/** Run the scheduler on hart `h` (as the run loop does for an idle hart, or after its task blocked). */
function resched(k: Kernel, h: number): Task | null {
  selectCpu(k, h);
  schedule(k, k.cpus[h], false);
  return k.cpus[h].current;
}

const tids = (ts: Task[]): number[] => ts.map((t) => t.tid);

test("wake-up placement: an idle hart first (its last one preferred), then the least loaded; affinity always holds", () => {
  const k = boot(2);
  const t1 = task(1), t2 = task(2), t3 = task(3), t4 = task(4), pinned = task(5, 0b10, 0);
  makeRunnable(k, t1); // both harts idle: its last hart, 0
  makeRunnable(k, t2); // hart 0 has one: hart 1 is idle
  makeRunnable(k, t3); // one each: its last hart wins the tie
  makeRunnable(k, t4); // 2 against 1: hart 1
  assert.deepEqual(tids(queuedTasks(k, 0)), [1, 3]);
  assert.deepEqual(tids(queuedTasks(k, 1)), [2, 4]);
  makeRunnable(k, pinned); // hart 1 only, though hart 0 is no busier
  assert.deepEqual(tids(queuedTasks(k, 1)), [2, 4, 5]);
  const lastOne = task(6, 0b11, 1);
  makeRunnable(k, lastOne); // 2 against 3: hart 0, although it last ran on 1
  assert.deepEqual(tids(queuedTasks(k, 0)), [1, 3, 6]);
  assert.equal(nrQueued(k), 6);
  makeRunnable(k, t1); // already queued: nothing moves
  assert.equal(nrQueued(k), 6);
});

test("idle balancing: a hart with an empty queue pulls a task it may run from the busiest hart, never a pinned one", () => {
  const k = boot(2);
  const a = task(1), b = task(2);
  makeRunnable(k, a);
  makeRunnable(k, b);
  assert.equal(resched(k, 0), a);
  assert.equal(resched(k, 1), b);
  // Two more for hart 0 only, then one of them may run anywhere: hart 0's queue holds both.
  const pinned = task(3, 0b01), free = task(4, 0b01);
  makeRunnable(k, pinned);
  makeRunnable(k, free);
  setAffinity(k, free, 0b11);
  assert.deepEqual(tids(queuedTasks(k, 0)), [3, 4]);
  assert.deepEqual(tids(queuedTasks(k, 1)), []);
  assert.equal(nrRunning(k), 4);
  // b blocks: hart 1 has nothing of its own and takes `free` (not `pinned`, which is first in line).
  b.state = "S";
  assert.equal(resched(k, 1), free);
  assert.equal(free.cpu, 1);
  assert.deepEqual(tids(queuedTasks(k, 0)), [3]);
  // free blocks too: the pinned task stays where it may run, and hart 1 idles.
  free.state = "S";
  assert.equal(resched(k, 1), null);
  assert.deepEqual(tids(queuedTasks(k, 0)), [3]);
});

test("round-robin tick: a hart whose slice ended with an empty queue takes waiting work from a busier hart", () => {
  const k = boot(2, "rr");
  const a = task(1), b = task(2);
  makeRunnable(k, a);
  makeRunnable(k, b);
  resched(k, 0);
  resched(k, 1);
  const c = task(3, 0b01), d = task(4, 0b01);
  makeRunnable(k, c);
  makeRunnable(k, d);
  setAffinity(k, d, 0b11);
  // b's slice is not over: no preemption, nothing moves.
  b.sched.sliceEnd = Number.MAX_SAFE_INTEGER;
  selectCpu(k, 1);
  assert.equal(schedTick(k, k.cpus[1], b), false);
  assert.deepEqual(tids(queuedTasks(k, 0)), [3, 4]);
  // Over: d comes over and b is preempted for it.
  b.sched.sliceEnd = 1;
  k.machine.setMtime(10n);
  assert.equal(schedTick(k, k.cpus[1], b), true);
  assert.deepEqual(tids(queuedTasks(k, 1)), [4]);
  schedule(k, k.cpus[1], true);
  assert.equal(k.cpus[1].current, d);
  assert.deepEqual(tids(queuedTasks(k, 1)), [2], "the preempted task waits at the back of its hart's queue");
  assert.equal(b.nivcsw, 1);
});

test("fcfs ticks never preempt, even with work waiting", () => {
  const k = boot(1, "fcfs");
  const a = task(1), b = task(2);
  makeRunnable(k, a);
  makeRunnable(k, b);
  resched(k, 0);
  a.sched.sliceEnd = 1;
  k.machine.setMtime(10n);
  assert.equal(schedTick(k, k.cpus[0], a), false);
});

test("sched_setaffinity moves a queued or running task off a hart it may no longer use", () => {
  const k = boot(2);
  const a = task(1), b = task(2);
  makeRunnable(k, a);
  makeRunnable(k, b);
  assert.deepEqual(tids(queuedTasks(k, 0)), [1]);
  setAffinity(k, a, 0b10);
  assert.deepEqual(tids(queuedTasks(k, 0)), []);
  assert.deepEqual(tids(queuedTasks(k, 1)), [2, 1]);
  assert.equal(a.sched.rq, 1);
  // A task running on a hart it may no longer use is preempted there and moves as it leaves.
  assert.equal(resched(k, 1), b);
  setAffinity(k, b, 0b01);
  assert.equal(k.cpus[1].needResched, true);
  selectCpu(k, 1);
  schedule(k, k.cpus[1], true);
  assert.equal(k.cpus[1].current, a);
  assert.equal(k.cpus[1].needResched, false);
  assert.deepEqual(tids(queuedTasks(k, 0)), [2]);
  assert.equal(b.sched.rq, 0);
});
