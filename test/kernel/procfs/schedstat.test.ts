// Per-CPU scheduling statistics on two harts (issue 8, C31): /proc/PID/stat
// field 39 (the hart a task last ran on), /proc/schedstat (Linux's version
// 15 cpuN lines: yld_count, 0, sched_count, sched_goidle, ttwu_count,
// ttwu_local, rq_cpu_time, run_delay, pcount) and /proc/PID/schedstat (run
// time, wait time, time slices), checked with CPU-bound work pinned to one
// hart by affinity (taskset). Deterministic clock, so runs repeat exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "../harness.js";

const LOOP = "i=0; while [ $i -lt 4000 ]; do i=$((i+1)); done";

/** cpuN lines of one /proc/schedstat text: id -> the nine numbers. */
function schedstat(text: string): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const l of text.split("\n")) {
    const x = /^cpu(\d+) ((?:\d+ ){8}\d+)$/.exec(l.trim());
    if (x) m.set(Number(x[1]), x[2].split(" ").map(Number));
  }
  return m;
}

test("field 39 and /proc/schedstat follow work pinned to each hart", () => {
  const r = sh([
    "cat /proc/schedstat; echo ==",
    `taskset -c 1 sh -c '${LOOP}; cat /proc/self/stat'; echo ==`,
    "cat /proc/schedstat; echo ==",
    `taskset -c 0 sh -c '${LOOP}; cat /proc/self/stat'; echo ==`,
    "cat /proc/schedstat",
  ].join("; "), { args: ["--cpus", "2", "--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  const [s0, stat1, s1, stat0, s2] = r.stdout.split("==\n");
  assert.match(s0, /^version 15\ntimestamp \d+\n/, explain(r));
  const field = (stat: string, n: number): number => Number(stat.slice(stat.lastIndexOf(")") + 2).trim().split(/\s+/)[n - 3]);
  assert.equal(field(stat1, 39), 1, `pinned to hart 1:\n${explain(r)}`);
  assert.equal(field(stat0, 39), 0, `pinned to hart 0:\n${explain(r)}`);
  const a = schedstat(s0), b = schedstat(s1), c = schedstat(s2);
  for (const m of [a, b, c]) assert.deepEqual([...m.keys()], [0, 1], explain(r));
  const RQ_CPU_TIME = 6, PCOUNT = 8, SCHED = 2;
  // The loop pinned to hart 1 ran there: hart 1's task time grew by its CPU time (more than hart 0's did meanwhile).
  const grew = (x: Map<number, number[]>, y: Map<number, number[]>, cpu: number, f: number): number => y.get(cpu)![f] - x.get(cpu)![f];
  const utime1 = Number(field(stat1, 14)) * 1e7;
  assert.ok(grew(a, b, 1, RQ_CPU_TIME) >= utime1 && utime1 > 0, `hart 1 ran ${grew(a, b, 1, RQ_CPU_TIME)} ns, the loop ${utime1}\n${explain(r)}`);
  assert.ok(grew(a, b, 1, RQ_CPU_TIME) > grew(a, b, 0, RQ_CPU_TIME), explain(r));
  assert.ok(grew(a, b, 1, PCOUNT) > 0 && grew(a, b, 1, SCHED) > 0, explain(r));
  // ... and the loop pinned to hart 0 ran on hart 0.
  assert.ok(grew(b, c, 0, RQ_CPU_TIME) > grew(b, c, 1, RQ_CPU_TIME), explain(r));
  // Every counter only grows.
  for (const cpu of [0, 1]) for (let f = 0; f < 9; f++) assert.ok(c.get(cpu)![f] >= b.get(cpu)![f] && b.get(cpu)![f] >= a.get(cpu)![f], explain(r));
});

test("/proc/PID/schedstat: run time, wait time and time slices of a task", () => {
  const r = sh(`taskset -c 1 sh -c '${LOOP}; cat /proc/$$/schedstat /proc/$$/stat'`, { args: ["--cpus", "2", "--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  const [ss, stat] = r.stdout.split("\n");
  const [run, wait, slices] = ss.trim().split(" ").map(Number);
  assert.equal(ss.trim().split(" ").length, 3, explain(r));
  const f = stat.slice(stat.lastIndexOf(")") + 2).trim().split(/\s+/);
  const utimeNs = Number(f[14 - 3]) * 1e7, stimeNs = Number(f[15 - 3]) * 1e7;
  // Run time is the task's CPU time in ns (stat shows it in 10 ms ticks, rounded down).
  assert.ok(run >= utimeNs + stimeNs && run < utimeNs + stimeNs + 2e7, `run ${run} vs stat ${utimeNs}+${stimeNs}\n${explain(r)}`);
  assert.ok(wait >= 0 && slices >= 1, explain(r));
  assert.equal(Number(f[39 - 3]), 1, explain(r));
});
