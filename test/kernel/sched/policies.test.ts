// The scheduling policies of issue 8, proved by behaviour: jobs.c runs a
// workload of known CPU jobs on the deterministic instruction clock (a mark
// is ~1.26 ms of CPU), and the order of the marks and the context switches
// from the sched_switch tracepoint show each policy's textbook behaviour:
// FCFS in arrival order, SJF shortest first (by the burst it learned),
// round robin slices equal to the quantum (also after the quantum is
// changed through /proc/sys), SRTF preempting for a shorter arrival, static
// priority starving a low-priority job and aging bounding its wait, MLFQ
// sinking hogs and keeping an interactive task's response short, CFS
// sharing by nice weight, real-time tasks above normal ones, a policy switch
// at run time, and load balancing and affinity on two CPUs.
//
// Concepts: C29 (the policies), C30 (priority, aging, real time), C31
// (per-CPU queues, balancing, affinity, migrations), C32 (preemptive vs
// non-preemptive, CPU-bound vs interactive), C12 (the timer ends a slice).
import { test } from "node:test";
import assert from "node:assert/strict";
import { explain, skipNoCC } from "../fs/harness.js";
import { runJobs, blocks, runs, cpuTime, PER, type JobsResult } from "./jobs.js";
import { writeSchedSysctl } from "../../../kernel/fs/proc/sys.js";
import { queuedTasks } from "../../../kernel/sched/core.js";
import type { Kernel } from "../../../kernel/index.js";

const MS = 1e6;
const P = String(PER);

/** The letter of a tid. */
function letterOf(j: JobsResult, tid: number): string | undefined {
  return Object.keys(j.pid).find((l) => j.pid[l] === tid);
}

/** When the child with `letter` last became runnable (for a job with a DELAY: its arrival). */
function lastWakeup(j: JobsResult, letter: string): number {
  const w = j.wakeups.filter((x) => x.tid === j.pid[letter]);
  assert.ok(w.length > 0, `${letter} never woke`);
  return w[w.length - 1].ns;
}

/** When the child with `letter` next got a CPU at or after `ns`. */
function nextRun(j: JobsResult, letter: string, ns: number): number {
  const s = j.switches.find((x) => x.next === j.pid[letter] && x.ns >= ns);
  assert.ok(s, `${letter} never ran after ${ns}`);
  return s.ns;
}

/** Response times (ns) of `letter` to each of its wake-ups after the start signal. */
function responses(j: JobsResult, letter: string): number[] {
  const w = j.wakeups.filter((x) => x.tid === j.pid[letter] && x.ns >= j.goNs);
  return w.map((x) => nextRun(j, letter, x.ns) - x.ns);
}

/** When the child with `letter` ended (its last switch away). */
function endOf(j: JobsResult, letter: string): number {
  const s = j.switches.filter((x) => x.prev === j.pid[letter]);
  return s[s.length - 1].ns;
}

const sysctl = (pairs: [string, string][]) => (k: Kernel): void => {
  for (const [n, v] of pairs) assert.equal(writeSchedSysctl(k, n, v), 0, `${n}=${v}`);
};

// Three CPU-bound jobs of 30, 20 and 10 marks, arriving in that order; each
// first ran one burst of its own length (so SJF has learned it).
const THREE = [P, "a,30,30", "b,20,20", "c,10,10"];

test("fcfs: three jobs started together finish in arrival order, each in one piece", { skip: skipNoCC }, async () => {
  const j = await runJobs(THREE, { sched: "fcfs" });
  assert.equal(j.r.status, 0, explain(j.r));
  assert.equal(j.marks, "a".repeat(30) + "b".repeat(20) + "c".repeat(10), explain(j.r));
});

test("sjf: the same jobs run shortest first, by the burst length each one's first burst predicted", { skip: skipNoCC }, async () => {
  const j = await runJobs(THREE, { sched: "sjf" });
  assert.equal(j.r.status, 0, explain(j.r));
  assert.equal(j.marks, "c".repeat(10) + "b".repeat(20) + "a".repeat(30), explain(j.r));
});

/** The lengths (ns) of the turns the jobs lost by preemption (full slices). */
function preemptedSlices(j: JobsResult): number[] {
  const kids = new Set(Object.values(j.pid));
  return runs(j.switches).filter((x) => kids.has(x.tid) && x.preempted).map((x) => x.end - x.start);
}

test("rr: the jobs interleave, and every turn that ends by preemption is exactly the quantum (10 ms)", { skip: skipNoCC }, async () => {
  const j = await runJobs(THREE, { sched: "rr" });
  assert.equal(j.r.status, 0, explain(j.r));
  const bs = blocks(j.marks);
  assert.ok(bs.length >= 8, `interleaved: ${j.marks}`);
  const slices = preemptedSlices(j);
  assert.ok(slices.length >= 5, `${slices.length} preempted turns`);
  for (const s of slices) assert.ok(Math.abs(s - 10 * MS) < 0.05 * MS, `slice ${s / MS} ms`);
});

test("rr: writing 4 to /proc/sys/kernel/sched_rr_timeslice_ms makes every slice 4 ms", { skip: skipNoCC }, async () => {
  const j = await runJobs(["-q", "4", ...THREE], { sched: "rr" });
  assert.equal(j.r.status, 0, explain(j.r));
  const slices = preemptedSlices(j);
  assert.ok(slices.length >= 12, `${slices.length} preempted turns`);
  for (const s of slices) assert.ok(Math.abs(s - 4 * MS) < 0.05 * MS, `slice ${s / MS} ms`);
  assert.equal(j.r.k.schedSettings.rrQuantumNs, 4 * MS);
});

// A long job (trained on a 30-mark burst) runs; a short one (5-mark burst) arrives 10 ms later.
const ARRIVAL = [P, "a,30,40", "b,5,5,10"];

test("srtf: a shorter job arriving while a long one runs preempts it at once; sjf lets the long one finish", { skip: skipNoCC }, async () => {
  const j = await runJobs(ARRIVAL, { sched: "srtf" });
  assert.equal(j.r.status, 0, explain(j.r));
  assert.match(j.marks, /^a+b{5}a+$/, explain(j.r));
  const arrive = lastWakeup(j, "b");
  assert.equal(nextRun(j, "b", arrive), arrive, "b runs the moment it arrives");
  const s = await runJobs(ARRIVAL, { sched: "sjf" });
  assert.equal(s.marks, "a".repeat(40) + "b".repeat(5), explain(s.r));
});

// Two nice-0 hogs and a nice-10 job, started together.
const PRIO = [P, "h,0,100", "i,0,100", "l,0,5,0,10"];

test("prio: a low-priority job starves while higher-priority load lasts", { skip: skipNoCC }, async () => {
  const j = await runJobs(PRIO, { sched: "prio" });
  assert.equal(j.r.status, 0, explain(j.r));
  assert.match(j.marks, /^[hi]{200}l{5}$/, explain(j.r));
  assert.ok(nextRun(j, "l", j.goNs) >= Math.max(endOf(j, "h"), endOf(j, "i")), "l ran only after both hogs ended");
});

test("prio-aging: the low-priority job runs within the wait its nice gap, the aging rate and the quantum imply", { skip: skipNoCC }, async () => {
  const rate = 200, gap = 10, q = 10 * MS;
  const j = await runJobs(PRIO, { sched: "prio-aging", setupMore: sysctl([["sched_aging_rate", String(rate)]]) });
  assert.equal(j.r.status, 0, explain(j.r));
  const start = j.goNs;
  const waited = nextRun(j, "l", start) - start;
  // It must out-age a hog that waited at most one quantum (-rate*q levels): gap/rate <= wait <= (gap + rate*q)/rate + q.
  const lo = (gap / rate) * 1e9, hi = ((gap + (rate * q) / 1e9) / rate) * 1e9 + q;
  assert.ok(waited >= lo && waited <= hi, `l waited ${waited / MS} ms, bound [${lo / MS}, ${hi / MS}]`);
  assert.match(j.marks, /^[hi]+l{5}[hi]+$/, explain(j.r));
});

// Two CPU hogs and an interactive task: 30 marks of work, each followed by a 3 ms sleep.
const MLFQ = [P, "h,0,100", "i,0,100", "n,0,30,0,0,0,0,3"];

test("mlfq: CPU hogs sink to the bottom level, the interactive task stays on top and is answered at once", { skip: skipNoCC }, async () => {
  const j = await runJobs(MLFQ, { sched: "mlfq", setupMore: sysctl([["sched_mlfq_boost_ms", "0"]]) });
  assert.equal(j.r.status, 0, explain(j.r));
  const s = j.r.k.schedSettings;
  assert.deepEqual([j.report.h?.mlfq, j.report.i?.mlfq, j.report.n?.mlfq], [s.mlfqLevels - 1, s.mlfqLevels - 1, 0], explain(j.r));
  const resp = responses(j, "n");
  assert.ok(resp.length >= 30, "30 sleeps");
  // At first both hogs are on the top level too: at most their two top-level quanta (and the parent's few instructions).
  const q0 = s.mlfqQuantaNs[0];
  assert.ok(resp[0] <= 2 * q0 + 0.1 * MS, `first response ${resp[0] / MS} ms`);
  // Once they have sunk, each wake-up preempts a hog at once.
  for (const r of resp.slice(2)) assert.equal(r, 0, `responses ${resp.map((x) => x / MS).join(" ")}`);
  // The control: round robin makes the same task wait behind the hogs' slices.
  const rr = await runJobs(MLFQ, { sched: "rr" });
  assert.ok(Math.max(...responses(rr, "n")) >= 5 * MS, "rr answers later");
});

test("mlfq: the periodic boost brings sunk hogs back to the top level (and its short quantum)", { skip: skipNoCC }, async () => {
  const hogs = [P, "h,0,150", "i,0,150"];
  const topSlices = (j: JobsResult, after: number): number =>
    runs(j.switches).filter((x) => x.preempted && x.start >= after && Math.abs(x.end - x.start - 10 * MS) < 0.05 * MS).length;
  const off = await runJobs(hogs, { sched: "mlfq", setupMore: sysctl([["sched_mlfq_boost_ms", "0"]]) });
  assert.equal(off.r.status, 0, explain(off.r));
  assert.equal(topSlices(off, off.goNs + 60 * MS), 0, "without a boost, no top-level slice once sunk");
  const on = await runJobs(hogs, { sched: "mlfq", setupMore: sysctl([["sched_mlfq_boost_ms", "100"]]) });
  assert.equal(on.r.status, 0, explain(on.r));
  assert.ok(topSlices(on, on.goNs + 60 * MS) >= 2, "boosted hogs run top-level quanta again");
});

test("cfs: nice 0 and nice 5 share one CPU in the ratio of their weights, 1024:335 (±10%)", { skip: skipNoCC }, async () => {
  const j = await runJobs([P, "x,0,100", "y,0,100,0,5"], { sched: "cfs" });
  assert.equal(j.r.status, 0, explain(j.r));
  const from = j.goNs, to = Math.min(endOf(j, "x"), endOf(j, "y"));
  const t = cpuTime(j.switches, from, to);
  const ratio = (t.get(j.pid.x) ?? 0) / (t.get(j.pid.y) ?? 1);
  const want = 1024 / 335;
  assert.ok(Math.abs(ratio - want) / want <= 0.1, `ratio ${ratio.toFixed(3)}, want ${want.toFixed(3)}`);
});

for (const sched of ["rr", "fcfs", "cfs"]) {
  test(`SCHED_FIFO (${sched}): a real-time task that wakes preempts the running normal task at once and runs to its end`, { skip: skipNoCC }, async () => {
    // A normal hog; a SCHED_FIFO task (priority 10) that sleeps 20 ms after the start, then works 5 marks.
    const j = await runJobs([P, "n,0,60", "f,0,5,20,0,1,10"], { sched });
    assert.equal(j.r.status, 0, explain(j.r));
    const woke = lastWakeup(j, "f");
    assert.equal(nextRun(j, "f", woke), woke, "no delay at all");
    assert.match(j.marks, /^n+f{5}n+$/, explain(j.r));
  });
}

test("SCHED_RR: two tasks of equal priority alternate by the quantum, and a normal task waits until both are done", { skip: skipNoCC }, async () => {
  const j = await runJobs([P, "r,0,30,0,0,2,10", "s,0,30,0,0,2,10", "n,0,20"], { sched: "cfs" });
  assert.equal(j.r.status, 0, explain(j.r));
  assert.match(j.marks, /^[rs]{60}n{20}$/, explain(j.r));
  const rt = new Set([j.pid.r, j.pid.s]);
  const turns = runs(j.switches).filter((x) => rt.has(x.tid) && x.end - x.start > 0.5 * MS);
  assert.ok(turns.length >= 6, explain(j.r));
  turns.forEach((x, i) => i > 0 && assert.notEqual(x.tid, turns[i - 1].tid, "they alternate"));
  for (const x of turns.filter((y) => y.preempted)) assert.ok(Math.abs(x.end - x.start - 10 * MS) < 0.05 * MS, `turn ${(x.end - x.start) / MS} ms`);
});

test("sched_policy switched at run time (rr -> sjf, 25 ms in): the jobs stop interleaving and finish shortest first", { skip: skipNoCC }, async () => {
  const j = await runJobs(["-s", "sjf@25", P, "a,60,60", "b,40,40", "c,20,20"], { sched: "rr" });
  assert.equal(j.r.status, 0, explain(j.r));
  const [before, after] = j.marks.split("|");
  assert.ok(after !== undefined, explain(j.r));
  assert.ok(blocks(before).length >= 3, `interleaved before: ${before}`);
  assert.match(after, /^c*b+a+$/, `shortest first after: ${after}`);
});

/** Loads (running + queued) of both harts at every context switch, from `k`. */
function loadSampler(samples: { ns: number; l: number[] }[]) {
  return (k: Kernel): void => {
    const list = k.host.tracepoints?.sched_switch;
    assert.ok(list);
    list.push((e) => samples.push({ ns: e.nowNs, l: k.cpus.map((c) => queuedTasks(k, c.id).length + (c.current?.state === "R" ? 1 : 0)) }));
  };
}

for (const n of [4, 6]) {
  test(`two CPUs: ${n} CPU-bound tasks started on CPU 0 are balanced ${n / 2}+${n / 2}, and migrations are counted`, { skip: skipNoCC }, async () => {
    const letters = "abcdef".slice(0, n).split("");
    const samples: { ns: number; l: number[] }[] = [];
    const j = await runJobs(["-p", "3", P, ...letters.map((l) => `${l},0,150`)], { sched: "rr", cpus: 2, setupMore: loadSampler(samples) });
    assert.equal(j.r.status, 0, explain(j.r));
    const go = j.goNs;
    const firstEnd = Math.min(...letters.map((l) => endOf(j, l)));
    // Within two balance intervals and a quantum of the start, until a task ends, the loads differ by at most one.
    const settle = go + 2 * j.r.k.schedSettings.balanceIntervalNs + 10 * MS;
    const window = samples.filter((s) => s.ns >= settle && s.ns < firstEnd && s.l[0] + s.l[1] === n);
    assert.ok(window.length >= 10, `${window.length} samples`);
    for (const s of window) assert.deepEqual(s.l, [n / 2, n / 2], `loads at ${s.ns / MS} ms`);
    // se.nr_migrations (each task's /proc/self/sched) is 0 exactly for the tasks that never ran on CPU 1.
    for (const l of letters) {
      const onOne = j.switches.some((s) => s.cpu === 1 && s.next === j.pid[l]);
      assert.equal(j.report[l].mig > 0, onOne, `${l}: mig ${j.report[l].mig}, ran on cpu 1: ${onOne}`);
    }
    assert.ok(j.r.k.cpus[1].rq.nrMigrations >= n / 2 - 1, "CPU 1 counted the tasks it took");
  });
}

test("two CPUs: tasks whose affinity is set to CPU 1 run only there from then on", { skip: skipNoCC }, async () => {
  const j = await runJobs(["-p", "2", P, "a,0,40", "b,0,40", "c,0,40"], { sched: "rr", cpus: 2 });
  assert.equal(j.r.status, 0, explain(j.r));
  for (const l of ["a", "b", "c"]) {
    const go = j.goNs;
    const on0 = cpuTime(j.switches, go, Infinity, 0).get(j.pid[l]) ?? 0;
    const on1 = cpuTime(j.switches, go, Infinity, 1).get(j.pid[l]) ?? 0;
    assert.ok(on0 < 0.1 * MS, `${l} ran ${on0 / MS} ms on CPU 0`);
    assert.ok(on1 >= 40 * MS, `${l} ran ${on1 / MS} ms on CPU 1`);
    assert.ok(j.report[l].mig >= 1, `${l} migrated`);
  }
});
