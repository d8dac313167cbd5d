// `tsix schedlab [--policies a,b,...] [--cpus N] [--out DIR] WORKLOAD`: the
// scheduler lab. It runs the same workload - real programs on the real kernel
// - once under each scheduling policy, on the deterministic clock, with the
// scheduler trace on (tsix run --deterministic --trace sched=FILE), and
// prints the comparison table the course draws by hand (average waiting,
// turnaround and response time, context switches) with one Gantt chart per
// policy written into DIR.
//
// WORKLOAD is a named mix of the workload programs in userland/src
// (cpu_burn, io_burst, interactive; see MIXES) or a shell command line. The
// jobs measured are the tasks the workload starts: every task but PID 1 and
// the shells (comm "sh") that start them.
//
// Concepts: C29 (the policies side by side), C30 (their criteria measured),
// C31 (--cpus: a lane per CPU), C23 (context switches counted).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as K from "../kernel/index.js";
import * as L from "../hw/core/layout.js";
import { CommandError, UsageError, optionValue, parseCount } from "./args.js";
import { parseSchedTrace, traceReport, ganttSvg, type Slice } from "./schedtrace.js";

/** The named workloads: shell command lines over the workload programs (installed in /usr/local/bin). */
export const MIXES: Readonly<Record<string, { what: string; cmd: string }>> = {
  cpu3: {
    what: "three CPU-bound jobs of 60, 40 and 20 ms started together, longest first",
    cmd: "cpu_burn 60 A & cpu_burn 40 B & cpu_burn 20 C & wait",
  },
  bursts: {
    what: "three jobs of 6 CPU bursts (12, 6 and 2 ms) with 1 ms waits between them: SJF/SRTF learn each job's burst length",
    cmd: "io_burst 6 12 1 A & io_burst 6 6 1 B & io_burst 6 2 1 C & wait",
  },
  mixed: {
    what: "2 CPU-bound jobs (60 and 40 ms), 1 I/O-bound (10 x 1 ms bursts, 5 ms sleeps), 1 interactive (10 x 10 ms period)",
    cmd: "cpu_burn 60 A & cpu_burn 40 B & io_burst 10 1 5 IO & interactive 10 10 1 UI & wait",
  },
};

const USAGE = `usage: tsix schedlab [--policies a,b,...] [--cpus N] [--out DIR] WORKLOAD
Runs WORKLOAD once under each scheduling policy (on the deterministic clock, traced), prints the
comparison table (average waiting, turnaround and response times, context switches of its jobs)
and writes a Gantt chart per policy, DIR/POLICY.svg, with the trace DIR/POLICY.json.
  --policies LIST   comma-separated policies (default: all of ${K.schedPolicyNames().join(", ")})
  --cpus N          harts (default 1)
  --out DIR         where the charts and traces go (default ./schedlab)
WORKLOAD: a named mix, or a shell command line (quote it):
${Object.entries(MIXES).map(([n, m]) => `  ${n.padEnd(8)}${m.what}\n          ${m.cmd}`).join("\n")}
The jobs measured are the workload's tasks, not PID 1 or the shells (comm sh) that start them.`;

/** One policy's row of the comparison table. */
export interface LabRow {
  policy: string;
  jobs: number;
  waitMs: number;
  turnaroundMs: number;
  responseMs: number;
  switches: number;
  chart: string;
}

function isJob(pid: number, comm: string): boolean {
  return pid !== 1 && comm !== "sh";
}

/** The comparison table as text (times in ms). */
export function formatLabTable(rows: readonly LabRow[]): string {
  const head = ["policy", "jobs", "avg_waiting_ms", "avg_turnaround_ms", "avg_response_ms", "ctx_switches", "chart"];
  const lines = [head, ...rows.map((r) => [r.policy, String(r.jobs), r.waitMs.toFixed(3), r.turnaroundMs.toFixed(3), r.responseMs.toFixed(3), String(r.switches), r.chart])];
  const w = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => (i === 0 || i === 6 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ").trimEnd()).join("\n") + "\n";
}

export async function schedlabMain(argv: string[]): Promise<number> {
  let policies = K.schedPolicyNames();
  let cpus = 1;
  let out = "schedlab";
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (words.length === 0 && a.startsWith("-")) {
      switch (a) {
        case "-h": case "--help": process.stdout.write(USAGE + "\n"); return 0;
        case "--policies": {
          const list = optionValue(argv, i++, a).split(",").filter((p) => p !== "");
          const bad = list.find((p) => !K.schedPolicyNames().includes(p));
          if (bad !== undefined || list.length === 0) throw new UsageError(`--policies: unknown policy '${bad ?? ""}' (choose from ${K.schedPolicyNames().join(", ")})`);
          policies = list;
          break;
        }
        case "--cpus": cpus = parseCount(a, optionValue(argv, i++, a), L.MAX_HARTS); break;
        case "--out": out = optionValue(argv, i++, a); break;
        case "--": words.push(...argv.slice(i + 1)); i = argv.length; break;
        default: throw new UsageError(`unknown option ${a} (see tsix schedlab --help)`);
      }
    } else words.push(a);
  }
  if (words.length === 0) throw new UsageError(`schedlab needs a WORKLOAD: ${Object.keys(MIXES).join(", ")} or a shell command line`);
  const spec = words.join(" ");
  const mix = MIXES[spec];
  const cmd = mix ? mix.cmd : spec;
  const dir = resolve(out);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot create the directory (${(e as { code?: string }).code ?? "error"})`);
  }
  process.stdout.write(`schedlab: ${mix ? `${spec}: ${mix.what}` : "command"}\n  sh -c '${cmd}'\n  ${cpus} CPU${cpus === 1 ? "" : "s"}, deterministic clock; charts in ${dir}\n\n`);
  const rows: LabRow[] = [];
  for (const p of policies) {
    const trace = join(dir, `${p}.json`);
    const r = spawnSync(process.execPath, [process.argv[1], "run", "--deterministic", "--sched", p, "--cpus", String(cpus), "--trace", `sched=${trace}`, "--", "sh", "-c", cmd], {
      encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20,
    });
    if (r.status !== 0) {
      const why = (r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" / ");
      throw new CommandError(`the workload failed under ${p} (tsix run exited ${r.status ?? r.signal}): ${why}`, 1);
    }
    const t = parseSchedTrace(readFileSync(trace, "utf8"));
    const jobs = traceReport(t).filter((row) => isJob(row.pid, row.comm));
    const a = K.reportAverages(jobs);
    const jobTids = new Set(jobs.map((j) => j.tid));
    const focus = (s: Slice): boolean => jobTids.has(s.tid);
    const chart = join(dir, `${p}.svg`);
    writeFileSync(chart, ganttSvg(t, { focus }));
    rows.push({
      policy: p, jobs: a.n, waitMs: a.waitNs / 1e6, turnaroundMs: a.turnaroundNs / 1e6, responseMs: a.responseNs / 1e6,
      switches: t.slices.filter(focus).length, chart: `${p}.svg`,
    });
  }
  process.stdout.write(formatLabTable(rows));
  return 0;
}
