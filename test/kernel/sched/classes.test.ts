// The class stack of a run queue and the per-task bookkeeping (issue 8),
// driven directly on a booted kernel with stand-in tasks as in
// runqueue.test.ts: real-time tasks are picked before normal ones and
// SCHED_IDLE tasks last; a woken task of a higher band preempts at once,
// SCHED_BATCH never does; changing a queued task's policy or nice re-queues
// it at once; SCHED_RESET_ON_FORK; CFS places new tasks at the queue's min
// vruntime and bounds a sleeper's credit; its protected minimum slice holds
// only while the running task is eligible; the SJF predictor is the
// exponential average of the bursts.
//
// Concepts: C29, C30 (bands, real time, nice), C22 (ready queues).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { selectCpu, type Kernel } from "../../../kernel/kernel.js";
import { createVm } from "../../../vmm/vmm.js";
import { CTX_BYTES, type Task } from "../../../kernel/proc/task.js";
import { defaultSched } from "../../../kernel/proc/spawn.js";
import { makeRunnable, schedule, schedFork, setTaskSched, queuedTasks } from "../../../kernel/sched/core.js";
import { SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE } from "../../../kernel/abi/sched.js";
import { cfs } from "../../../kernel/sched/fair.js";
import { defaultSchedSettings, createRunQueue, type RunQueue } from "../../../kernel/sched/class.js";

function task(tid: number, policy = SCHED_OTHER, rtPriority = 0, nice = 0): Task {
  return {
    tid, comm: `t${tid}`, state: "R", cpu: -1, mm: null, ctx: new Uint8Array(CTX_BYTES), nvcsw: 0, nivcsw: 0,
    sched: { ...defaultSched(), policy, rtPriority, nice },
  } as unknown as Task;
}

function boot(sched: string): Kernel {
  return createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, cpus: 1, sched, clock: "instret" }).kernel;
}

function resched(k: Kernel): Task | null {
  selectCpu(k, 0);
  schedule(k, k.cpus[0], k.cpus[0].current !== null && k.cpus[0].current.state === "R");
  return k.cpus[0].current;
}

const tids = (ts: Task[]): number[] => ts.map((t) => t.tid);
const MS = 1e6;
const at = (k: Kernel, ns: number): void => k.machine.setMtime(BigInt(Math.round(ns / 100)));

for (const sched of ["rr", "fcfs", "cfs", "sjf", "mlfq", "prio"]) {
  test(`bands (${sched}): real time by priority, then normal, then SCHED_IDLE`, () => {
    const k = boot(sched);
    const idle = task(1, SCHED_IDLE), n = task(2), lo = task(3, SCHED_FIFO, 5), hi = task(4, SCHED_RR, 50), b = task(5, SCHED_BATCH);
    for (const t of [idle, n, lo, hi, b]) makeRunnable(k, t);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = resched(k)!;
      order.push(t.tid);
      t.state = "S"; // it blocks: the next one runs
    }
    assert.deepEqual(order.slice(0, 2), [4, 3]);
    assert.deepEqual(order.slice(2, 4).sort(), [2, 5]);
    assert.equal(order[4], 1);
  });
}

test("wake-up preemption across bands: real time preempts normal, normal preempts SCHED_IDLE, never the other way", () => {
  const k = boot("fcfs");
  const n = task(1);
  makeRunnable(k, n);
  assert.equal(resched(k), n);
  makeRunnable(k, task(2, SCHED_IDLE));
  assert.equal(k.cpus[0].needResched, false, "an idle task waits");
  makeRunnable(k, task(3, SCHED_FIFO, 1));
  assert.equal(k.cpus[0].needResched, true, "real time preempts even a non-preemptive policy");
  const k2 = boot("rr");
  const i = task(1, SCHED_IDLE);
  makeRunnable(k2, i);
  assert.equal(resched(k2), i);
  makeRunnable(k2, task(2));
  assert.equal(k2.cpus[0].needResched, true, "a normal task preempts SCHED_IDLE");
});

test("cfs: a woken SCHED_OTHER task far behind preempts; a SCHED_BATCH one in the same place does not", () => {
  const k = boot("cfs");
  const curr = task(1);
  makeRunnable(k, curr);
  assert.equal(resched(k), curr);
  at(k, 50 * MS); // curr runs 50 ms: its vruntime is far ahead
  const batch = task(2, SCHED_BATCH);
  batch.sched.isNew = 0;
  makeRunnable(k, batch);
  assert.equal(k.cpus[0].needResched, false);
  const other = task(3);
  other.sched.isNew = 0;
  makeRunnable(k, other);
  assert.equal(k.cpus[0].needResched, true);
});

test("setTaskSched: a queued task moves to its new band at once, and may preempt", () => {
  const k = boot("rr");
  const a = task(1), b = task(2), c = task(3);
  for (const t of [a, b, c]) makeRunnable(k, t);
  assert.equal(resched(k), a);
  assert.deepEqual(tids(queuedTasks(k, 0)), [2, 3]);
  setTaskSched(k, c, SCHED_FIFO, 10, 0);
  assert.deepEqual(tids(queuedTasks(k, 0)), [3, 2], "c is now first, in the real-time band");
  assert.equal(k.cpus[0].needResched, true);
  assert.equal(resched(k), c);
});

test("prio: a nice change of a queued task re-orders it at once", () => {
  const k = boot("prio");
  const a = task(1), b = task(2), c = task(3);
  for (const t of [a, b, c]) makeRunnable(k, t);
  assert.equal(resched(k), a);
  setTaskSched(k, c, SCHED_OTHER, 0, -5);
  assert.equal(k.cpus[0].needResched, true, "a better priority preempts");
  assert.equal(resched(k), c);
});

test("SCHED_RESET_ON_FORK: the child of a real-time task with negative nice starts as SCHED_OTHER, nice 0, without the flag", () => {
  const k = boot("rr");
  const p = task(1, SCHED_FIFO, 20, -5);
  p.sched.resetOnFork = 1;
  const c = task(2);
  c.sched = { ...p.sched };
  schedFork(k, p, c);
  assert.deepEqual([c.sched.policy, c.sched.rtPriority, c.sched.nice, c.sched.resetOnFork], [SCHED_OTHER, 0, 0, 0]);
  const q = task(3, SCHED_RR, 7, 3);
  const d = task(4);
  d.sched = { ...q.sched };
  schedFork(k, q, d);
  assert.deepEqual([d.sched.policy, d.sched.rtPriority, d.sched.nice], [SCHED_RR, 7, 3], "without the flag the child inherits");
});

test("cfs: a new task starts at the queue's min vruntime; a long sleeper gets at most half a latency of credit", () => {
  const k = boot("cfs");
  const a = task(1);
  makeRunnable(k, a);
  resched(k);
  at(k, 100 * MS);
  const b = task(2);
  makeRunnable(k, b); // a has run 100 ms alone: min vruntime is 100 ms
  const minV = k.cpus[0].rq.minVruntime;
  assert.equal(minV, 100 * MS);
  assert.equal(b.sched.vruntime, minV);
  const sleeper = task(3);
  sleeper.sched.isNew = 0;
  sleeper.sched.vruntime = 0;
  makeRunnable(k, sleeper);
  assert.equal(sleeper.sched.vruntime, minV - k.schedSettings.latencyNs / 2);
});

test("sjf: the predicted burst is the exponential average τ(n+1) = α·t(n) + (1−α)·τ(n) of the measured bursts", () => {
  const k = boot("sjf");
  const s = k.schedSettings;
  s.sjfAlpha = 0.25;
  const t = task(1);
  makeRunnable(k, t);
  let now = 0, tau = s.sjfTau0Ns;
  for (const burst of [20 * MS, 4 * MS, 8 * MS]) {
    assert.equal(resched(k), t);
    now += burst;
    at(k, now);
    t.state = "S";
    resched(k);
    tau = 0.25 * burst + 0.75 * tau;
    assert.ok(Math.abs(t.sched.burstEstimate - tau) < 1, `${t.sched.burstEstimate} vs ${tau}`);
    assert.equal(t.sched.lastBurst, burst);
    t.state = "R";
    makeRunnable(k, t);
    now += MS;
    at(k, now);
  }
});

test("cfs wake-up: the protected minimum slice holds only while the running task is eligible (EEVDF's pick_eevdf)", () => {
  const s = defaultSchedSettings();
  const curr = task(1), woken = task(2), ahead = task(3);
  const rq = (queue: Task[]): RunQueue => ({ cpu: 0, cls: "cfs", rt: [], queue, idle: [], minVruntime: 0, nextBalance: 0, nrMigrations: 0 }) as unknown as RunQueue;
  curr.sched.vruntime = 5 * MS;
  curr.sched.sumExec = 0.1 * MS; // 0.1 ms into its slice: inside the protected 0.75 ms
  woken.sched.vruntime = 1 * MS; // 4 ms behind: more than the wake-up granularity
  // Past the queue's average (only the woken task waits): it is preempted at once.
  assert.equal(cfs.checkPreemptWakeup(s, rq([woken]), curr, woken, 0), true);
  // A task far ahead waits too: the average is above it, it is eligible, and the
  // wake-up only ends its slice when the protection runs out.
  ahead.sched.vruntime = 20 * MS;
  assert.equal(cfs.checkPreemptWakeup(s, rq([woken, ahead]), curr, woken, 1000), false);
  assert.equal(curr.sched.sliceEnd, 1000 + 0.65 * MS);
  // Its minimum slice run, it is preempted either way.
  curr.sched.sumExec = 0.8 * MS;
  assert.equal(cfs.checkPreemptWakeup(s, rq([woken, ahead]), curr, woken, 2000), true);
});

test("cfs synchronous wake-up: the woken task runs next (the next buddy), a waker behind it takes its vruntime, one more than half a period ahead waits its turn", () => {
  const s = defaultSchedSettings();
  const rq = createRunQueue(0, "cfs");
  const writer = task(1), reader = task(2), other = task(3);
  writer.sched.vruntime = 10 * MS;
  other.sched.vruntime = 11.5 * MS;
  // The reader 2 ms ahead of the writer: an ordinary wake-up would not preempt (it is not behind).
  reader.sched.vruntime = 12 * MS;
  rq.queue.push(other, reader);
  assert.equal(cfs.checkPreemptWakeup(s, rq, writer, reader, 0), false);
  assert.equal(cfs.checkPreemptSync!(s, rq, writer, reader), true);
  assert.equal(writer.sched.vruntime, 12 * MS, "the waker pays the 2 ms it was behind");
  assert.equal(rq.next, reader);
  // The writer goes back on the queue (put_prev); the pick takes the buddy though `other` has less vruntime,
  // as it is within the wake-up granularity of it - and only once.
  cfs.putPrev(s, rq, writer, true, 0);
  assert.equal(cfs.pickNext(s, rq, 0), reader);
  assert.equal(rq.next, null);
  assert.equal(cfs.pickNext(s, rq, 0), other);
  // A buddy more than the granularity past the leftmost does not jump the queue: the leftmost runs.
  rq.queue.push(other, reader);
  other.sched.vruntime = 10 * MS;
  rq.next = reader;
  assert.equal(cfs.pickNext(s, rq, 0), other);
  assert.equal(rq.next, null);
  rq.queue.length = 0;
  // More than half a period (sched_latency_ns / 2) ahead: no switch, nothing charged, no buddy.
  const far = task(4);
  far.sched.vruntime = writer.sched.vruntime + s.latencyNs / 2 + 1;
  const before = writer.sched.vruntime;
  assert.equal(cfs.checkPreemptSync!(s, rq, writer, far), false);
  assert.equal(writer.sched.vruntime, before);
  assert.equal(rq.next, null);
  // A buddy that left the queue (it blocked, exited or moved) is forgotten.
  rq.queue.push(far);
  rq.next = far;
  cfs.dequeue(rq, far);
  assert.equal(rq.next, null);
});
