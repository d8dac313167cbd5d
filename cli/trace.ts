// `tsix trace gantt FILE -o chart.svg` and `tsix trace report FILE`: what a
// scheduler trace (tsix run --trace sched=FILE) shows - the Gantt chart as
// SVG, and the per-task table (arrival, first run, completion, CPU, waiting,
// turnaround, response, averages). The work is in cli/schedtrace.ts.
//
// Concepts: C29/C30 (comparing policies by their criteria), C23, C31.
import { readFileSync, writeFileSync } from "node:fs";
import * as K from "../kernel/index.js";
import { UsageError, optionValue } from "./args.js";
import { parseSchedTrace, traceReport, ganttSvg, TraceFormatError, type SchedTrace } from "./schedtrace.js";

const USAGE = `usage: tsix trace gantt FILE -o CHART.svg
       tsix trace report FILE [--comm NAME,NAME...]
FILE is a scheduler trace written by tsix run --trace sched=FILE.
  gantt    draw the Gantt chart: a lane per CPU, a colour per task, idle time, blocked and woken marks
  report   print the per-task table: arrival, first run, completion, CPU, waiting, turnaround and
           response times, and their averages (--comm: only the tasks with these names)`;

/** Read and parse a trace file; every problem is a one-line usage error. */
export function loadTraceFile(file: string): SchedTrace {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code ?? "error";
    throw new UsageError(`${file}: cannot read the trace (${code === "ENOENT" ? "no such file" : code}); make one with tsix run --trace sched=${file} -- CMD`);
  }
  try {
    return parseSchedTrace(text);
  } catch (e) {
    if (e instanceof TraceFormatError) throw new UsageError(`${file} is not a tsix scheduler trace: ${e.message} (make one with tsix run --trace sched=FILE -- CMD)`);
    throw e;
  }
}

export async function traceMain(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError("tsix trace needs a command: gantt FILE -o CHART.svg, or report FILE (see tsix trace --help)");
  if (sub === "-h" || sub === "--help") { process.stdout.write(USAGE + "\n"); return 0; }
  let file: string | undefined, out: string | undefined, comm: string[] | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "-o" && sub === "gantt") out = optionValue(rest, i++, a);
    else if (a === "--comm" && sub === "report") comm = optionValue(rest, i++, a).split(",");
    else if (a === "-h" || a === "--help") { process.stdout.write(USAGE + "\n"); return 0; }
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a} for tsix trace ${sub} (see tsix trace --help)`);
    else if (file === undefined) file = a;
    else throw new UsageError(`tsix trace ${sub} takes one trace FILE (got ${file} and ${a})`);
  }
  if (sub !== "gantt" && sub !== "report") throw new UsageError(`unknown trace command '${sub}' (choose gantt or report)`);
  if (file === undefined) throw new UsageError(`tsix trace ${sub} needs a trace FILE (from tsix run --trace sched=FILE)`);
  if (sub === "gantt") {
    if (out === undefined) throw new UsageError("tsix trace gantt needs -o CHART.svg (where to write the chart)");
    const t = loadTraceFile(file);
    try {
      writeFileSync(out, ganttSvg(t));
    } catch (e) {
      throw new UsageError(`-o ${out}: cannot write the chart (${(e as { code?: string }).code ?? "error"}; check the directory exists and is writable)`);
    }
    return 0;
  }
  const t = loadTraceFile(file);
  let rows = traceReport(t);
  if (comm) rows = rows.filter((r) => comm.includes(r.comm));
  process.stdout.write(K.formatReport(rows));
  return 0;
}
