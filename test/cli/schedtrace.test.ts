// Seeing the scheduler from the command line, on real workloads in the
// default image (cpu_burn, userland/src) and the deterministic clock:
//   - `tsix run --trace sched=FILE` writes the Chrome/Perfetto trace-event
//     JSON format (its documented shape: traceEvents with X/i/M events,
//     displayTimeUnit, otherData), the same bytes on every run, alongside the
//     syscall tracer;
//   - under round robin every preempted running slice is exactly the quantum;
//   - `--sched-report` (the kernel's report) and `tsix trace report` (the
//     trace's) print the same rows and averages;
//   - `tsix trace gantt` draws a well-formed SVG with a lane per CPU, a bar
//     per slice, the legend and the policy;
//   - `tsix schedlab` compares policies with numbers that come from its runs;
//   - /proc/tsix/sched_report shows exited and live tasks;
//   - bad input is one line and exit status 2.
//
// Concepts: C23 (context switches), C29/C30 (policies and their criteria),
// C12 (the quantum), C31 (a lane per CPU), C22 (states on the chart).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, tsixAsync, explain } from "../kernel/harness.js";
import { schedPolicyNames, schedSysctlNames, reportAverages } from "../../kernel/index.js";
import { parseSchedTrace, traceReport } from "../../cli/schedtrace.js";

const dir = mkdtempSync(join(tmpdir(), "tsix-schedtrace-cli-"));
const CPU3 = "cpu_burn 30 A & cpu_burn 20 B & cpu_burn 10 C & wait";

interface Ev { name: string; ph: string; ts?: number; dur?: number; pid: number; tid: number; s?: string; args?: Record<string, unknown> }

/**
 * A minimal XML well-formedness check: every tag closes in order, attributes
 * are quoted, text has no bare '<' or '&'. Returns the element names seen.
 */
function checkXml(xml: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+);)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    if (m[2] === undefined) assert.fail(`bare '${m[0]}' at ${m.index}: ${xml.slice(m.index, m.index + 60)}`);
    if (m[1]) assert.equal(stack.pop(), m[2], `</${m[2]}> at ${m.index}`);
    else {
      seen.push(m[2]);
      if (!m[4]) stack.push(m[2]);
    }
  }
  assert.deepEqual(stack, [], "unclosed elements");
  return seen;
}

test("tsix run --trace syscall,sched=FILE: trace-event JSON of every slice, state and process event, the same bytes on every run", async () => {
  const file = join(dir, "two.json");
  // Round robin named, not the default (cfs): the policy, its fixed slice and the chart's title below are rr's.
  const args = ["run", "--deterministic", "--sched", "rr", "--cpus", "2", "--trace", `syscall,sched=${file}`, "--", "sh", "-c", CPU3];
  const r = await tsixAsync(args);
  assert.equal(r.status, 0, explain(r));
  // The syscall tracer still works next to it.
  assert.match(r.stderr, /execve\("\/usr\/local\/bin\/cpu_burn"/, explain(r));
  const text = readFileSync(file, "utf8");
  const doc = JSON.parse(text) as { traceEvents: Ev[]; displayTimeUnit: string; otherData: Record<string, unknown> };
  assert.ok(Array.isArray(doc.traceEvents));
  assert.equal(doc.displayTimeUnit, "ms");
  assert.equal(doc.otherData.policy, "rr");
  assert.equal(doc.otherData.cpus, 2);
  assert.equal(doc.otherData.clock, "instret");
  assert.deepEqual(doc.otherData.policies, schedPolicyNames());
  // The policy, what it gives the first task, and every /proc/sys/kernel/sched_* setting as its file reads.
  const { policy, preemptive, slice_ns, ...sysctls } = doc.otherData.settings as Record<string, unknown>;
  assert.deepEqual({ policy, preemptive, slice_ns }, { policy: "rr", preemptive: true, slice_ns: 10_000_000 });
  assert.equal(sysctls.sched_rr_timeslice_ms, "10");
  assert.deepEqual(Object.keys(sysctls).sort(), schedSysctlNames().sort());
  const evs = doc.traceEvents;
  for (const e of evs) {
    assert.ok(typeof e.name === "string" && ["X", "i", "M"].includes(e.ph) && Number.isInteger(e.pid) && Number.isInteger(e.tid), JSON.stringify(e));
    if (e.ph === "X") assert.ok(e.pid === 0 && e.tid >= 0 && e.tid < 2 && (e.dur ?? -1) >= 0 && (e.ts ?? -1) >= 0, JSON.stringify(e));
    if (e.ph === "i") assert.ok(e.s === "t" || e.s === "p", JSON.stringify(e));
  }
  // Per CPU, the running slices follow one another without overlapping.
  for (const cpu of [0, 1]) {
    const xs = evs.filter((e) => e.ph === "X" && e.tid === cpu).sort((a, b) => a.ts! - b.ts!);
    assert.ok(xs.length > 0, `slices on CPU ${cpu}`);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1].ts! + xs[i - 1].dur! <= xs[i].ts! + 1e-6, `overlap on CPU ${cpu}: ${JSON.stringify([xs[i - 1], xs[i]])}`);
  }
  // Names: the CPU tracks, and every process and thread that has events.
  const meta = evs.filter((e) => e.ph === "M");
  for (const cpu of [0, 1]) assert.ok(meta.some((e) => e.name === "thread_name" && e.pid === 0 && e.tid === cpu && e.args?.name === `CPU ${cpu}`));
  for (const e of evs.filter((x) => x.ph === "i")) {
    assert.ok(meta.some((m) => m.name === "process_name" && m.pid === e.pid), `no process_name for pid ${e.pid}`);
  }
  const burners = meta.filter((e) => e.name === "thread_name" && String(e.args?.name).startsWith("cpu_burn ("));
  assert.equal(burners.length, 3, JSON.stringify(meta));
  // Each job's life: new, ready, running, exit; forked, exec'd, exited.
  for (const b of burners) {
    const states = evs.filter((e) => e.ph === "i" && e.name === "state" && e.tid === b.tid).map((e) => e.args?.state);
    assert.deepEqual(states.slice(0, 3), ["new", "ready", "running"]);
    assert.equal(states.at(-1), "exit");
    assert.ok(evs.some((e) => e.name === "fork" && e.tid === b.tid));
    assert.ok(evs.some((e) => e.name === "exec" && e.pid === b.pid && e.args?.path === "/usr/local/bin/cpu_burn"));
    assert.ok(evs.some((e) => e.name === "exit" && e.tid === b.tid && e.args?.status === 0));
    assert.ok(evs.some((e) => e.name === "wakeup" && e.tid === b.tid && (e.args?.cpu === 0 || e.args?.cpu === 1)));
  }
  // The shell blocked in wait: a slice of it ends in S.
  assert.ok(evs.some((e) => e.ph === "X" && e.name === "sh" && e.args?.end === "S"));
  // Deterministic: a second run writes the same bytes.
  const file2 = join(dir, "two-again.json");
  const r2 = await tsixAsync(["run", "--deterministic", "--sched", "rr", "--cpus", "2", "--trace", `sched=${file2}`, "--", "sh", "-c", CPU3]);
  assert.equal(r2.status, 0, explain(r2));
  assert.equal(readFileSync(file2, "utf8"), text);
});

test("round robin: every running slice that ended by preemption is exactly the quantum; --sched-report equals tsix trace report", async () => {
  const file = join(dir, "rr.json");
  const r = await tsixAsync(["run", "--deterministic", "--sched", "rr", "--sched-report", "--trace", `sched=${file}`, "--", "sh", "-c", CPU3]);
  assert.equal(r.status, 0, explain(r));
  const t = parseSchedTrace(readFileSync(file, "utf8"));
  const quantum = t.settings.slice_ns as number;
  assert.equal(quantum, 10_000_000);
  const jobs = t.slices.filter((s) => s.comm === "cpu_burn");
  const preempted = jobs.filter((s) => s.end === "R");
  // 30 + 20 + 10 ms of CPU in 10 ms slices: at least 3 + 2 + 1 - 3 (the last of each ends by exit) full ones.
  assert.ok(preempted.length >= 3, JSON.stringify(jobs));
  for (const s of preempted) assert.equal(s.endNs - s.startNs, quantum, `slice of tid ${s.tid} at ${s.startNs}`);
  // They interleave: consecutive job slices belong to different jobs while more than one is left.
  const order = jobs.map((s) => s.tid);
  assert.ok(order.slice(0, 3).every((x, i, a) => a.indexOf(x) === i), `first three slices: ${order.join(" ")}`);
  // The kernel's report (stderr) and the trace's: the same table, line for line.
  const rep = tsix(["trace", "report", file]);
  assert.equal(rep.status, 0, explain(rep));
  const rows = (s: string): string[] => s.split("\n").filter((l) => /^\s*(\d+|avg)\s/.test(l)).sort();
  const fromKernel = rows(r.stderr), fromTrace = rows(rep.stdout);
  assert.equal(fromKernel.length, 6, r.stderr); // init, sh, three jobs, averages
  assert.deepEqual(fromKernel, fromTrace);
});

test("tsix trace gantt: a well-formed SVG with a lane per CPU, a bar per slice, blocked marks, a legend and the policy in the title", () => {
  const file = join(dir, "two.json");
  assert.ok(existsSync(file), "made by the first test");
  const out = join(dir, "two.svg");
  const r = tsix(["trace", "gantt", file, "-o", out]);
  assert.equal(r.status, 0, explain(r));
  const svg = readFileSync(out, "utf8");
  const elements = checkXml(svg);
  assert.equal(elements[0], "svg");
  const t = parseSchedTrace(readFileSync(file, "utf8"));
  const bars = [...svg.matchAll(/<rect class="slice" data-tid="(\d+)" data-cpu="(\d+)" data-start-ns="(\d+)" data-end-ns="(\d+)"/g)];
  assert.equal(bars.length, t.slices.length);
  assert.deepEqual(bars.map((b) => `${b[1]}/${b[2]}/${b[3]}/${b[4]}`), t.slices.map((s) => `${s.tid}/${s.cpu}/${s.startNs}/${s.endNs}`));
  assert.match(svg, />CPU 0</);
  assert.match(svg, />CPU 1</);
  assert.doesNotMatch(svg, />CPU 2</);
  assert.equal((svg.match(/class="idle"/g) ?? []).length, 2);
  assert.equal((svg.match(/class="blocked"/g) ?? []).length, t.slices.filter((s) => s.end === "S" || s.end === "D").length);
  assert.ok((svg.match(/class="woken"/g) ?? []).length > 0);
  assert.match(svg, /Gantt chart: policy rr \(preemptive, slice 10 ms\) · 2 CPUs · clock instret/);
  for (const s of t.slices.filter((x) => x.comm === "cpu_burn")) assert.match(svg, new RegExp(`>cpu_burn pid ${s.pid} \\(`));
});

test("tsix schedlab cpu3 with fcfs and rr: the table's numbers come from the runs, and the policies differ as predicted", async () => {
  const out = join(dir, "lab");
  const r = await tsixAsync(["schedlab", "--policies", "fcfs,rr", "--out", out, "cpu3"]);
  assert.equal(r.status, 0, explain(r));
  const row = (p: string): string[] => {
    const l = r.stdout.split("\n").find((x) => x.startsWith(`${p} `));
    assert.ok(l, explain(r));
    return l.trim().split(/\s+/);
  };
  const [fcfs, rr] = [row("fcfs"), row("rr")];
  for (const [p, cells] of [["fcfs", fcfs], ["rr", rr]] as const) {
    assert.equal(cells[1], "3", `three jobs under ${p}`);
    // Numbers from the run: the averages of the jobs in its trace.
    const t = parseSchedTrace(readFileSync(join(out, `${p}.json`), "utf8"));
    const jobs = traceReport(t).filter((x) => x.comm === "cpu_burn");
    const a = reportAverages(jobs);
    assert.deepEqual(cells.slice(2, 5), [a.waitNs, a.turnaroundNs, a.responseNs].map((ns) => (ns / 1e6).toFixed(3)), p);
    assert.equal(Number(cells[5]), t.slices.filter((s) => s.comm === "cpu_burn").length);
    const svg = readFileSync(join(out, `${p}.svg`), "utf8");
    checkXml(svg);
    assert.match(svg, new RegExp(`Gantt chart: policy ${p} `));
  }
  // FCFS: each job runs once, to its end; longest first, so responses are long and waits short.
  assert.equal(fcfs[5], "3");
  assert.ok(Number(rr[5]) > 3, rr.join(" "));
  assert.ok(Number(fcfs[4]) > Number(rr[4]), `response fcfs ${fcfs[4]} > rr ${rr[4]}`);
  assert.ok(Number(fcfs[2]) < Number(rr[2]), `waiting fcfs ${fcfs[2]} < rr ${rr[2]}`);
});

test("/proc/tsix/sched_report: rows of exited tasks with their completion, and of live ones without", () => {
  const r = tsix(["run", "--deterministic", "--", "sh", "-c", "cpu_burn 5 X >/dev/null; cat /proc/tsix/sched_report"]);
  assert.equal(r.status, 0, explain(r));
  const burn = r.stdout.split("\n").find((l) => /\bcpu_burn\b/.test(l));
  assert.ok(burn, r.stdout);
  const c = burn.trim().split(/\s+/);
  // PID TID COMM ARRIVAL FIRST_RUN COMPLETION CPU WAITING TURNAROUND RESPONSE
  assert.notEqual(c[5], "-");
  assert.ok(Number(c[6]) >= 5, burn);
  assert.equal(Number(c[8]).toFixed(3), (Number(c[5]) - Number(c[3])).toFixed(3), burn);
  const cat = r.stdout.split("\n").find((l) => /\bcat\b/.test(l));
  assert.ok(cat, r.stdout);
  assert.equal(cat.trim().split(/\s+/)[5], "-", cat);
  assert.match(r.stdout, /^avg\s+\d+ done/m);
});

test("bad input to the tracers, tsix trace and schedlab: one line, exit status 2", () => {
  const notJson = join(dir, "bad.json");
  writeFileSync(notJson, "{ not json");
  const noOther = join(dir, "noother.json");
  writeFileSync(noOther, JSON.stringify({ traceEvents: [] }));
  const cases: [string[], RegExp][] = [
    [["run", "--trace", "bogus", "--", "true"], /unknown tracer 'bogus'/],
    [["run", "--trace", "sched", "--", "true"], /--trace sched needs a file/],
    [["run", "--trace", `sched=${join(dir, "no/such/dir/t.json")}`, "--", "true"], /cannot write the file/],
    [["trace", "gantt", join(dir, "missing.json"), "-o", join(dir, "x.svg")], /no such file/],
    [["trace", "gantt", notJson, "-o", join(dir, "x.svg")], /not a tsix scheduler trace: not JSON/],
    [["trace", "report", noOther], /not a tsix scheduler trace: otherData.policy is missing/],
    [["trace", "gantt", noOther], /needs -o CHART.svg/],
    [["trace", "pie", noOther], /unknown trace command 'pie'/],
    [["trace"], /tsix trace needs a command: gantt/],
    [["schedlab", "--policies", "fcfs,nosuch", "cpu3"], new RegExp(`unknown policy 'nosuch' \\(choose from ${schedPolicyNames().join(", ")}\\)`)],
    [["schedlab"], /needs a WORKLOAD/],
  ];
  for (const [args, want] of cases) {
    const r = tsix(args);
    assert.equal(r.status, 2, `${args.join(" ")}\n${explain(r)}`);
    assert.match(r.stderr, want, args.join(" "));
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
    assert.match(r.stderr, /^tsix: /);
  }
});
