// The scheduler's tracepoints and the kernel's per-task report, proved on
// real programs (progs/lifecycle.c) on the deterministic instruction clock:
// every state change a task goes through is reported where it happens and in
// an order the process-state diagram allows; fork, thread creation and exit
// fire; a task moved between harts fires sched_migrate; and the report the
// kernel keeps (sched/report.ts) equals, task by task and in its averages,
// the one computed from the trace the host writer made (tsix trace report).
//
// Concepts: C22 (task states), C23 (context switches), C30 (waiting,
// turnaround, response times), C31 (migration between CPUs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { subscribe, type SchedState } from "../../../kernel/trace/tracepoint.js";
import { reportRows, reportAverages, type SchedReportRow } from "../../../kernel/sched/report.js";
import { nowNs } from "../../../kernel/time/clock.js";
import { openSchedTrace } from "../../../host/node/sched_trace.js";
import { parseSchedTrace, traceReport } from "../../../cli/schedtrace.js";

const PROGS = join(SRC_ROOT, "test/kernel/sched/progs");

/** The moves the process-state diagram allows (C22). */
const LEGAL = new Set([
  "new>ready", "ready>running", "running>ready", "running>blocked", "running>stopped", "running>exit",
  "blocked>ready", "blocked>stopped", "blocked>exit", "ready>stopped", "ready>exit", "stopped>ready", "stopped>exit",
]);

test("sched_state follows each task through new, ready, running, blocked and exit; fork, thread creation and exits fire", { skip: skipNoCC }, async () => {
  const states = new Map<number, { s: SchedState; ns: number }[]>();
  const switches: { prev: number; next: number; prevState: string | null; ns: number }[] = [];
  const forks: { parent: number; child: number; pid: number; thread: boolean }[] = [];
  const exits: { pid: number; tid: number; status: number; thread: boolean }[] = [];
  const r = await run("lifecycle", {
    dir: PROGS, args: ["life"],
    setup: (k) => {
      subscribe(k, "sched_state", (e) => {
        const l = states.get(e.t.tid) ?? [];
        l.push({ s: e.state, ns: e.nowNs });
        states.set(e.t.tid, l);
      });
      subscribe(k, "sched_switch", (e) => switches.push({ prev: e.prev?.tid ?? 0, next: e.next?.tid ?? 0, prevState: e.prevState, ns: e.nowNs }));
      subscribe(k, "process_fork", (e) => forks.push({ parent: e.parent, child: e.child, pid: e.pid, thread: e.thread }));
      subscribe(k, "process_exit", (e) => exits.push({ pid: e.pid, tid: e.tid, status: e.status, thread: e.thread }));
    },
  });
  assert.equal(r.status, 0, explain(r));
  const m = /child (\d+) thread (\d+)/.exec(r.out);
  assert.ok(m, explain(r));
  const child = Number(m[1]), thread = Number(m[2]);

  // Fork and thread creation, each once, with the right process.
  assert.deepEqual(forks.filter((f) => f.child === child), [{ parent: 1, child, pid: child, thread: false }]);
  assert.deepEqual(forks.filter((f) => f.child === thread), [{ parent: 1, child: thread, pid: 1, thread: true }]);
  // The thread's exit leaves its process alive; the child's exit ends its process with status 3.
  assert.deepEqual(exits.filter((e) => e.tid === thread), [{ pid: 1, tid: thread, status: 0, thread: true }]);
  assert.deepEqual(exits.filter((e) => e.tid === child), [{ pid: child, tid: child, status: 3 << 8, thread: false }]);

  for (const tid of [child, thread]) {
    const seq = (states.get(tid) ?? []).map((x) => x.s);
    assert.deepEqual(seq.slice(0, 3), ["new", "ready", "running"], `tid ${tid}: ${seq.join(" ")}`);
    assert.equal(seq.at(-1), "exit", `tid ${tid}: ${seq.join(" ")}`);
    for (let i = 1; i < seq.length; i++) assert.ok(LEGAL.has(`${seq[i - 1]}>${seq[i]}`), `tid ${tid}: ${seq[i - 1]} -> ${seq[i]} in ${seq.join(" ")}`);
  }
  // The child slept in nanosleep: it blocked, was woken (ready) and ran again.
  const cs = (states.get(child) ?? []).map((x) => x.s).join(" ");
  assert.match(cs, /running blocked ready running/, cs);
  // Every switch away from the child carries the state it left in, and the state event agrees at the same instant.
  const away = switches.filter((s) => s.prev === child);
  assert.ok(away.some((s) => s.prevState === "S"), JSON.stringify(away));
  for (const s of away) {
    const want = s.prevState === "R" ? "ready" : s.prevState === "S" || s.prevState === "D" ? "blocked" : s.prevState === "X" ? "exit" : "stopped";
    assert.ok((states.get(child) ?? []).some((x) => x.s === want && x.ns === s.ns), `switch at ${s.ns} left ${s.prevState}: ${cs}`);
  }
});

test("sched_state reports a task stopped by SIGSTOP, whether it was ready or blocked, and ready again after SIGCONT", { skip: skipNoCC }, async () => {
  const states = new Map<number, SchedState[]>();
  const r = await run("lifecycle", {
    dir: PROGS, args: ["stop"],
    setup: (k) => {
      subscribe(k, "sched_state", (e) => {
        const l = states.get(e.t.tid) ?? [];
        l.push(e.state);
        states.set(e.t.tid, l);
      });
    },
  });
  assert.equal(r.status, 0, explain(r));
  const m = /stopped (\d+) (\d+)/.exec(r.out);
  assert.ok(m, explain(r));
  for (const tid of [Number(m[1]), Number(m[2])]) {
    const seq = states.get(tid) ?? [];
    const at = seq.indexOf("stopped");
    assert.ok(at > 0, `tid ${tid} never reported stopped: ${seq.join(" ")}`);
    // SIGCONT makes it runnable again; it then runs to its exit.
    assert.equal(seq[at + 1], "ready", `tid ${tid}: ${seq.join(" ")}`);
    assert.equal(seq.at(-1), "exit", `tid ${tid}: ${seq.join(" ")}`);
    for (let i = 1; i < seq.length; i++) assert.ok(LEGAL.has(`${seq[i - 1]}>${seq[i]}`), `tid ${tid}: ${seq[i - 1]} -> ${seq[i]} in ${seq.join(" ")}`);
  }
  // As on Linux, a task stops itself in its own context: the CPU-bound child, queued when SIGSTOP came,
  // runs once more and stops on its way back to user mode. The sleeper was blocked in nanosleep: SIGSTOP
  // wakes it, it stops, and after SIGCONT its nanosleep restarts (it blocks again for the rest of its time).
  const spin = (states.get(Number(m[1])) ?? []).join(" "), sleeper = (states.get(Number(m[2])) ?? []).join(" ");
  assert.match(spin, /ready running stopped ready/, spin);
  assert.match(sleeper, /blocked ready running stopped ready running blocked/, sleeper);
});

test("sched_migrate: on two CPUs, a task queued on another hart than its last one is reported, and runs there next", { skip: skipNoCC }, async () => {
  const events: ({ kind: "migrate"; tid: number; from: number; to: number } | { kind: "run"; tid: number; cpu: number })[] = [];
  const r = await run("lifecycle", {
    dir: PROGS, cpus: 2, sched: "rr", args: ["spin", "3", "3000000"],
    setup: (k) => {
      subscribe(k, "sched_migrate", (e) => events.push({ kind: "migrate", tid: e.t.tid, from: e.from, to: e.to }));
      subscribe(k, "sched_switch", (e) => { if (e.next) events.push({ kind: "run", tid: e.next.tid, cpu: e.cpu }); });
    },
  });
  assert.equal(r.status, 0, explain(r));
  const migrations = events.filter((e) => e.kind === "migrate");
  // Three CPU-bound tasks on two harts: the odd one out keeps being pulled from one queue to the other.
  assert.ok(migrations.length >= 2, `migrations: ${JSON.stringify(migrations)}`);
  events.forEach((e, i) => {
    if (e.kind !== "migrate") return;
    assert.notEqual(e.from, e.to);
    // Its next event is another move or a run on the hart it moved to.
    const next = events.slice(i + 1).find((x) => x.tid === e.tid);
    if (next?.kind === "run") assert.equal(next.cpu, e.to, `tid ${e.tid} moved to ${e.to} but ran on ${next.cpu}`);
  });
});

/** The rows of the tasks seen arriving in the trace, by tid. */
function byTid(rows: SchedReportRow[]): Map<number, SchedReportRow> {
  return new Map(rows.map((x) => [x.tid, x]));
}

test("the kernel's per-task report equals the one computed from the trace: every time of every task, and the averages", { skip: skipNoCC }, async () => {
  const file = join(mkdtempSync(join(tmpdir(), "tsix-schedtrace-")), "t.json");
  const w = openSchedTrace(file, { clock: "instret", cpus: 1 });
  let kernelRows: SchedReportRow[] = [];
  const r = await run("lifecycle", { dir: PROGS, sched: "rr", args: ["spin", "3", "1500000"], setup: (k) => w.attach(k) });
  assert.equal(r.status, 0, explain(r));
  kernelRows = reportRows(r.k, nowNs(r.k));
  w.detach(r.k);
  w.close();
  const traced = traceReport(parseSchedTrace(readFileSync(file, "utf8")));
  // The trace starts after PID 1 was made runnable: it reports every other task (the parent's children).
  assert.equal(traced.length, 3, JSON.stringify(traced));
  const k = byTid(kernelRows);
  for (const t of traced) {
    const kr = k.get(t.tid);
    assert.ok(kr, `tid ${t.tid} is in the kernel's report`);
    assert.deepEqual({ ...t, comm: kr.comm }, kr, `tid ${t.tid}`);
    assert.ok(t.completionNs > t.arrivalNs && t.cpuNs > 0 && t.waitNs > 0, JSON.stringify(t));
  }
  const ka = reportAverages(traced.map((t) => k.get(t.tid)!));
  const ta = reportAverages(traced);
  assert.equal(ka.waitNs, ta.waitNs);
  assert.equal(ka.turnaroundNs, ta.turnaroundNs);
  assert.equal(ka.responseNs, ta.responseNs);
  // Round robin on one CPU: three equal jobs share it, so each waits while the other two run.
  assert.ok(ta.waitNs > ta.cpuNs, `avg wait ${ta.waitNs} vs avg cpu ${ta.cpuNs}`);
});
