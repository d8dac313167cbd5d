// Scheduling policies proved by behaviour (issue 7, "policy classes"): a
// known workload runs on the deterministic instruction clock (the harness
// boots with clock "instret") and the order in which it gets the CPU is the
// textbook one for each policy. Also sched_yield, two harts running two
// tasks at once, and the context-switch tracepoint. The programs are in
// progs/ (cross-compiled at test time).
//
// Concepts: C29 (round robin vs FCFS), C12 (preemption by the timer),
// C31 (two CPUs), C23 (context switches, traced).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { subscribe } from "../../../kernel/trace/tracepoint.js";
import { schedPolicyNames } from "../../../kernel/index.js";

const PROGS = join(SRC_ROOT, "test/kernel/sched/progs");

/** The maximal runs of one letter: "aabbba" -> ["aa", "bbb", "a"]. */
function blocks(s: string): string[] {
  return s.match(/(.)\1*/g) ?? [];
}

// Each mark is ~0.7 M instructions of work: about one per 10 ms round-robin
// slice (1 M instructions on the instruction clock).
const MARKS = 12, PER = 100_000;

test("fcfs: the first CPU-bound child runs to completion before the second starts", { skip: skipNoCC }, async () => {
  const r = await run("policy", { dir: PROGS, sched: "fcfs", args: [String(MARKS), String(PER)] });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out.trim(), "a".repeat(MARKS) + "b".repeat(MARKS), explain(r));
});

test("rr: the two CPU-bound children interleave, a time slice at a time", { skip: skipNoCC }, async () => {
  const r = await run("policy", { dir: PROGS, sched: "rr", args: [String(MARKS), String(PER)] });
  assert.equal(r.status, 0, explain(r));
  const marks = r.out.trim();
  assert.match(marks, /^[ab]+$/, explain(r));
  assert.equal(marks.replace(/b/g, "").length, MARKS, explain(r));
  assert.equal(marks.replace(/a/g, "").length, MARKS, explain(r));
  // A slice holds at most two marks' work, so neither child ever gets more
  // than two in a row, and the CPU changes hands at least once per mark.
  const bs = blocks(marks);
  assert.ok(bs.every((b) => b.length <= 2), `runs of at most 2: ${marks}`);
  assert.ok(bs.length >= MARKS, `at least ${MARKS} turns: ${marks}`);
});

for (const sched of schedPolicyNames()) {
  test(`sched_yield (${sched}): two processes on one CPU alternate exactly`, { skip: skipNoCC }, async () => {
    const N = 20;
    const r = await run("yield", { dir: PROGS, sched, args: [String(N)] });
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.out.trim().split("\n")[0], "ab".repeat(N), explain(r));
  });
}

test("the sched_switch tracepoint fires on every context switch (hart, both tasks, time), sched_wakeup on wake-ups", { skip: skipNoCC }, async () => {
  const N = 20;
  const switches: { cpu: number; prev: number; next: number; nowNs: number }[] = [];
  const wakeups: number[] = [];
  const r = await run("yield", {
    dir: PROGS, args: [String(N)],
    setup: (k) => {
      subscribe(k, "sched_switch", (e) => switches.push({ cpu: e.cpu, prev: e.prev?.tid ?? 0, next: e.next?.tid ?? 0, nowNs: e.nowNs }));
      subscribe(k, "sched_wakeup", (e) => wakeups.push(e.t.tid));
    },
  });
  assert.equal(r.status, 0, explain(r));
  const [a, b] = (r.out.match(/pids (\d+) (\d+)/) ?? []).slice(1).map(Number);
  assert.ok(a > 0 && b > 0, explain(r));
  // Every hand-over between the two yielding children is an event, on hart 0, in time order.
  const between = switches.filter((s) => (s.prev === a && s.next === b) || (s.prev === b && s.next === a));
  assert.ok(between.length >= 2 * N - 1, `${between.length} switches between ${a} and ${b}`);
  assert.ok(switches.every((s) => s.cpu === 0));
  assert.ok(switches.every((s, i) => i === 0 || s.nowNs >= switches[i - 1].nowNs), "in time order");
  // The parent blocking in waitpid is a switch too (to the first child), and the last exit leaves the hart to the parent.
  assert.ok(switches.some((s) => s.next === a), "a child was switched to");
  // sched_wakeup: the parent (PID 1), asleep in waitpid, is woken by its children's exits.
  assert.ok(wakeups.includes(1), `wake-ups: ${wakeups.join(" ")}`);
});

test("two CPUs: two busy-waiting tasks run at the same time (ping-pong over shared memory), on different harts", { skip: skipNoCC }, async () => {
  const r = await run("parallel", { dir: PROGS, sched: "fcfs", cpus: 2, args: ["20", "5"] });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /rounds 20 complete/, explain(r));
  const cpus = [...r.out.matchAll(/child \d done on cpu (\d+)/g)].map((m) => Number(m[1])).sort();
  assert.deepEqual(cpus, [0, 1], explain(r));
});

test("one CPU, no preemption: the same ping-pong cannot progress (the control for the test above)", { skip: skipNoCC }, async () => {
  const r = await run("parallel", { dir: PROGS, sched: "fcfs", cpus: 1, args: ["20", "1"] });
  assert.equal(r.status, 0, explain(r));
  // Child 0 moves once and spins until SIGALRM; only then does child 1 run, move once, and spin until its own.
  assert.match(r.out, /child 0 killed by signal 14\nchild 1 killed by signal 14\n/, explain(r));
  assert.match(r.out, /rounds 1 incomplete/, explain(r));
});
