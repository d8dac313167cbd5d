// The per-task scheduling report: the table an operating-systems course works
// out by hand for a set of jobs - arrival, first run, completion, CPU time,
// waiting time, turnaround time (completion - arrival), response time (first
// run - arrival) - and their averages, kept by the kernel for real tasks.
//
// The scheduler (sched/core.ts) stamps the times into each task's
// SchedEntity as they happen; when a task exits, exit.ts copies them into a
// row here (a bounded list in kernel state, plain data). The report is read
// on demand from /proc/tsix/sched_report (fs/proc/info.ts) and printed by
// `tsix run --sched-report` when a run ends. `tsix trace report` computes the
// same table from a trace (cli/schedtrace.ts); a test shows the two agree.
//
// Concepts: C30 (scheduling criteria: waiting, turnaround, response time),
// C22 (the states a task passes through), C29 (comparing policies).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";

/** One task's row; times in ns of kernel time, -1 when it has not happened. */
export interface SchedReportRow {
  pid: number;
  tid: number;
  comm: string;
  arrivalNs: number;
  firstRunNs: number;
  completionNs: number;
  cpuNs: number;
  waitNs: number;
}

/** Rows of exited tasks, oldest first, at most REPORT_MAX_EXITED (the oldest go first). */
export interface SchedReportState {
  exited: SchedReportRow[];
  /** Rows dropped to keep the list bounded. */
  dropped: number;
}

export const REPORT_MAX_EXITED = 1024;

export function createSchedReportState(): SchedReportState {
  return { exited: [], dropped: 0 };
}

function rowOf(t: Task): SchedReportRow {
  const s = t.sched;
  return {
    pid: t.tg.pid, tid: t.tid, comm: t.comm,
    arrivalNs: s.arrivalNs, firstRunNs: s.firstRunNs, completionNs: s.completionNs, cpuNs: s.sumExec, waitNs: s.waitTime,
  };
}

/**
 * Task `t` exits at `now`: its completion time, the CPU time of the slice it
 * is in (when it exits on a hart), and its row kept for the report.
 */
export function recordExit(k: Kernel, t: Task, now: number): void {
  const s = t.sched;
  s.completionNs = now;
  if (t.cpu >= 0) {
    // Charge the slice it exits in (update_curr's bookkeeping; the switch that takes it off its hart adds nothing more).
    s.sumExec += now - s.execStart;
    s.execStart = now;
  }
  if (s.arrivalNs < 0) return; // never ran: nothing to report
  const st = k.schedReport;
  if (st.exited.length >= REPORT_MAX_EXITED) { st.exited.shift(); st.dropped++; }
  st.exited.push(rowOf(t));
}

/**
 * The rows: exited tasks (oldest first), then live ones by tid. A live task's
 * CPU time includes its slice in progress; its completion is -1.
 */
export function reportRows(k: Kernel, now: number): SchedReportRow[] {
  const rows = k.schedReport.exited.slice();
  const live = [...k.tasks.values()].filter((t) => t.sched.arrivalNs >= 0 && t.state !== "X").sort((a, b) => a.tid - b.tid);
  for (const t of live) {
    const r = rowOf(t);
    if (t.cpu >= 0) r.cpuNs += now - t.sched.execStart;
    rows.push(r);
  }
  return rows;
}

/** Averages over the completed rows (a live task has no turnaround yet). */
export interface ReportAverages {
  n: number;
  waitNs: number;
  turnaroundNs: number;
  responseNs: number;
  cpuNs: number;
}

export function reportAverages(rows: readonly SchedReportRow[]): ReportAverages {
  const done = rows.filter((r) => r.completionNs >= 0 && r.arrivalNs >= 0);
  const n = done.length;
  const avg = (f: (r: SchedReportRow) => number): number => (n === 0 ? 0 : done.reduce((a, r) => a + f(r), 0) / n);
  return {
    n,
    waitNs: avg((r) => r.waitNs),
    turnaroundNs: avg((r) => r.completionNs - r.arrivalNs),
    responseNs: avg((r) => (r.firstRunNs >= 0 ? r.firstRunNs - r.arrivalNs : 0)),
    cpuNs: avg((r) => r.cpuNs),
  };
}

/** Milliseconds with three decimals (ns exact to the microsecond); "-" for a time that has not come. */
function ms(ns: number): string {
  return ns < 0 ? "-" : (ns / 1e6).toFixed(3);
}

/**
 * The report as text: one line per task and a line of averages over the
 * completed ones (times in ms). The same layout as `tsix trace report`.
 */
export function formatReport(rows: readonly SchedReportRow[], dropped = 0): string {
  const head = ["PID", "TID", "COMM", "ARRIVAL", "FIRST_RUN", "COMPLETION", "CPU", "WAITING", "TURNAROUND", "RESPONSE"];
  const lines: string[][] = [head];
  for (const r of rows) {
    lines.push([
      String(r.pid), String(r.tid), r.comm || "?", ms(r.arrivalNs), ms(r.firstRunNs), ms(r.completionNs), ms(r.cpuNs), ms(r.waitNs),
      r.completionNs >= 0 ? ms(r.completionNs - r.arrivalNs) : "-",
      r.firstRunNs >= 0 ? ms(r.firstRunNs - r.arrivalNs) : "-",
    ]);
  }
  const a = reportAverages(rows);
  lines.push(["avg", "", `${a.n} done`, "", "", "", ms(a.cpuNs), ms(a.waitNs), ms(a.turnaroundNs), ms(a.responseNs)]);
  const width = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  let out = "# times in ms of kernel time\n";
  for (const l of lines) out += l.map((c, i) => (i === 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join("  ").trimEnd() + "\n";
  if (dropped > 0) out += `# ${dropped} older exited tasks not shown\n`;
  return out;
}

/** The report of kernel `k` now (/proc/tsix/sched_report, `tsix run --sched-report`). */
export function schedReportText(k: Kernel, now: number): string {
  return formatReport(reportRows(k, now), k.schedReport.dropped);
}
