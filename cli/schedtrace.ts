// Reading a scheduler trace (the trace-event JSON that `tsix run --trace
// sched=FILE` writes, host/node/sched_trace.ts) and what is computed from it:
// the per-task report (arrival, first run, completion, CPU, waiting,
// turnaround, response; the same table the kernel keeps, sched/report.ts)
// and the Gantt chart as SVG (one lane per CPU, a colour per task, idle time,
// blocked/woken marks, a time axis, the policy in the title). Pure functions
// of the file's text: `tsix trace` and `tsix schedlab` call them.
//
// Concepts: C29/C30 (policies compared by their criteria), C22 (states on
// the chart), C23 (each bar is a context switch in and out), C31 (a lane per CPU).
import * as K from "../kernel/index.js";

/** A trace that is not one `tsix run --trace sched=FILE` wrote (the message says what is wrong). */
export class TraceFormatError extends Error {}

/** One running slice: task `tid` (of process `pid`) ran on `cpu` from startNs to endNs. */
export interface Slice {
  cpu: number;
  startNs: number;
  endNs: number;
  pid: number;
  tid: number;
  comm: string;
  /** The state it left in: R (preempted/yielded), S or D (blocked), T (stopped), X (exited). */
  end: string;
}

/** An instant on a task's track: a state change, a wake-up (cpu: where it was queued), a migration. */
export interface Mark {
  ns: number;
  pid: number;
  tid: number;
  kind: string;
  state?: string;
  cpu?: number;
}

export interface SchedTrace {
  slices: Slice[];
  marks: Mark[];
  cpus: number;
  policy: string;
  settings: Record<string, unknown>;
  clock: string;
  /** Task names by tid (from the metadata). */
  names: Map<number, string>;
}

const NS = (us: number): number => Math.round(us * 1000);

function num(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TraceFormatError(`${what} is not a number`);
  return v;
}

/** Parse a trace file's text. Throws TraceFormatError when it is not a scheduler trace. */
export function parseSchedTrace(text: string): SchedTrace {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TraceFormatError(`not JSON (${(e as Error).message.split("\n")[0]})`);
  }
  const d = doc as { traceEvents?: unknown; otherData?: Record<string, unknown> } | null;
  if (!d || typeof d !== "object" || !Array.isArray(d.traceEvents)) throw new TraceFormatError("no traceEvents array");
  const other = d.otherData ?? {};
  if (typeof other.policy !== "string") throw new TraceFormatError("otherData.policy is missing (not written by tsix run --trace sched=FILE)");
  const t: SchedTrace = {
    slices: [], marks: [], cpus: typeof other.cpus === "number" ? other.cpus : 1, policy: other.policy,
    settings: (other.settings && typeof other.settings === "object" ? other.settings : {}) as Record<string, unknown>,
    clock: typeof other.clock === "string" ? other.clock : "?", names: new Map(),
  };
  d.traceEvents.forEach((raw, i) => {
    const e = raw as { name?: unknown; ph?: unknown; ts?: unknown; dur?: unknown; pid?: unknown; tid?: unknown; args?: Record<string, unknown> };
    if (!e || typeof e !== "object") throw new TraceFormatError(`event ${i} is not an object`);
    const args = e.args ?? {};
    if (e.ph === "X") {
      const a = args as { pid?: unknown; tid?: unknown; end?: unknown };
      t.slices.push({
        cpu: num(e.tid, `event ${i} tid`), startNs: NS(num(e.ts, `event ${i} ts`)), endNs: NS(num(e.ts, "ts") + num(e.dur, `event ${i} dur`)),
        pid: num(a.pid, `event ${i} args.pid`), tid: num(a.tid, `event ${i} args.tid`), comm: String(e.name ?? "?"), end: String(a.end ?? "R"),
      });
    } else if (e.ph === "i") {
      const m: Mark = { ns: NS(num(e.ts, `event ${i} ts`)), pid: num(e.pid, `event ${i} pid`), tid: num(e.tid, `event ${i} tid`), kind: String(e.name) };
      if (typeof args.state === "string") m.state = args.state;
      if (typeof args.cpu === "number") m.cpu = args.cpu;
      if (typeof args.to === "number") m.cpu = args.to;
      t.marks.push(m);
    } else if (e.ph === "M" && e.name === "thread_name" && e.pid !== 0 && typeof args.name === "string") {
      t.names.set(num(e.tid, `event ${i} tid`), args.name.replace(/ \(\d+\)$/, ""));
    }
  });
  t.slices.sort((a, b) => a.startNs - b.startNs || a.cpu - b.cpu);
  return t;
}

/**
 * The per-task report from a trace: for each task that arrived while it was
 * traced, arrival ("new"), first run (first "running"), completion ("exit"),
 * CPU (its slices summed), waiting (each ready -> running interval).
 */
export function traceReport(t: SchedTrace): K.SchedReportRow[] {
  const rows = new Map<number, K.SchedReportRow & { readySince: number }>();
  const row = (pid: number, tid: number): K.SchedReportRow & { readySince: number } => {
    let r = rows.get(tid);
    if (!r) {
      r = { pid, tid, comm: t.names.get(tid) ?? "?", arrivalNs: -1, firstRunNs: -1, completionNs: -1, cpuNs: 0, waitNs: 0, readySince: -1 };
      rows.set(tid, r);
    }
    return r;
  };
  for (const m of t.marks) {
    if (m.kind !== "state") continue;
    const r = row(m.pid, m.tid);
    switch (m.state) {
      case "new": r.arrivalNs = m.ns; break;
      case "ready": r.readySince = m.ns; break;
      case "running":
        if (r.readySince >= 0) r.waitNs += m.ns - r.readySince;
        if (r.firstRunNs < 0) r.firstRunNs = m.ns;
        r.readySince = -1;
        break;
      case "exit": r.completionNs = m.ns; r.readySince = -1; break;
      default: r.readySince = -1;
    }
  }
  for (const s of t.slices) {
    const r = row(s.pid, s.tid);
    r.cpuNs += s.endNs - s.startNs;
    r.comm = s.comm;
  }
  return [...rows.values()]
    .filter((r) => r.arrivalNs >= 0)
    .sort((a, b) => a.arrivalNs - b.arrivalNs || a.tid - b.tid)
    .map(({ readySince: _, ...r }) => r);
}

/** "10 ms", "1.5 s": a human time for titles and axes. */
export function fmtTime(ns: number): string {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(3)} µs`;
  return `${ns} ns`;
}

/** The policy, whether it preempts and its slice, for a chart's title (the /proc/sys/kernel/sched_* values go in its <desc>: policySettings). */
export function policyTitle(t: SchedTrace): string {
  const s = t.settings;
  const parts: string[] = [];
  if (typeof s.preemptive === "boolean") parts.push(s.preemptive ? "preemptive" : "non-preemptive");
  for (const [key, v] of Object.entries(s)) {
    if (key === "policy" || key === "preemptive" || key.startsWith("sched_")) continue;
    if (key.endsWith("_ns") && typeof v === "number") { if (v > 0) parts.push(`${key.slice(0, -3)} ${fmtTime(v)}`); }
    else parts.push(`${key} ${String(v)}`);
  }
  return `policy ${t.policy}${parts.length ? ` (${parts.join(", ")})` : ""} · ${t.cpus} CPU${t.cpus === 1 ? "" : "s"} · clock ${t.clock}`;
}

/** Every kernel.sched_* setting the trace recorded, as `name=value` pairs. */
export function policySettings(t: SchedTrace): string {
  return Object.entries(t.settings).filter(([key]) => key.startsWith("sched_")).map(([key, v]) => `${key}=${String(v)}`).join(" ");
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A distinct colour for the i-th task (golden-angle hues). */
function colour(i: number): string {
  return `hsl(${Math.round((i * 137.508) % 360)},62%,${i % 2 ? 48 : 60}%)`;
}

/** 1, 2 or 5 times a power of ten: a tick step giving about `n` ticks over `span`. */
function tickStep(span: number, n: number): number {
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** A tick's label: time since the first event, in the unit of the step. */
function axisLabel(v: number, step: number): string {
  const [div, unit] = step >= 1e9 ? [1e9, "s"] : step >= 1e6 ? [1e6, "ms"] : step >= 1e3 ? [1e3, "µs"] : [1, "ns"];
  return `${+(v / div).toFixed(3)} ${unit}`;
}

export interface GanttOptions {
  /** Only these tasks get a colour of their own (others are drawn grey as "other"); default: all. */
  focus?: (s: Slice) => boolean;
  width?: number;
}

/**
 * The Gantt chart of a trace as an SVG document: one lane per CPU with a bar
 * per running slice (hatched where the CPU is idle), a legend of tasks, red
 * marks where a task blocked, green ones where a task was woken (on the lane
 * of the CPU it was queued on), a time axis, and the policy in the title.
 */
export function ganttSvg(t: SchedTrace, opts: GanttOptions = {}): string {
  const W = opts.width ?? 1000;
  const left = 70, right = 20, top = 48, laneH = 34, gap = 10;
  const plotW = W - left - right;
  const slices = t.slices;
  // Loops, not Math.min(...): a long trace has more slices than a call has arguments.
  let t0 = Infinity, t1 = -Infinity;
  for (const s of slices) { if (s.startNs < t0) t0 = s.startNs; if (s.endNs > t1) t1 = s.endNs; }
  for (const m of t.marks) { if (m.ns < t0) t0 = m.ns; if (m.ns > t1) t1 = m.ns; }
  const start = Number.isFinite(t0) ? t0 : 0;
  const span = Number.isFinite(t1) && t1 > start ? t1 - start : 1;
  const x = (ns: number): number => left + ((ns - start) / span) * plotW;
  const laneY = (cpu: number): number => top + cpu * (laneH + gap);
  // Colours by first appearance; the legend lists the tasks in that order.
  const tasks = new Map<number, { i: number; pid: number; comm: string; cpuNs: number }>();
  for (const s of slices) {
    if (opts.focus && !opts.focus(s)) continue;
    const e = tasks.get(s.tid);
    if (e) { e.comm = s.comm; e.cpuNs += s.endNs - s.startNs; } else tasks.set(s.tid, { i: tasks.size, pid: s.pid, comm: s.comm, cpuNs: s.endNs - s.startNs });
  }
  const legendRows = Math.ceil((tasks.size + 3) / 4);
  const axisY = laneY(t.cpus) + 4;
  const legendY = axisY + 36;
  const H = legendY + legendRows * 18 + 12;
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  o.push(`<defs><pattern id="idle" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d0d0d0" stroke-width="2"/></pattern></defs>`);
  o.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  o.push(`<desc>${esc(`scheduler settings: ${policySettings(t)}`)}</desc>`);
  o.push(`<text x="${left}" y="20" font-size="15" font-weight="bold">${esc(`Gantt chart: ${policyTitle(t)}`)}</text>`);
  o.push(`<text x="${left}" y="37" fill="#555">${esc(`${slices.length} running slices over ${fmtTime(span)}; hatched: idle; red mark: blocked; green mark: woken`)}</text>`);
  for (let c = 0; c < t.cpus; c++) {
    const y = laneY(c);
    o.push(`<text x="${left - 8}" y="${y + laneH / 2 + 4}" text-anchor="end">CPU ${c}</text>`);
    o.push(`<rect class="idle" x="${left}" y="${y}" width="${plotW}" height="${laneH}" fill="url(#idle)" stroke="#bbb"/>`);
  }
  for (const s of slices) {
    if (s.cpu >= t.cpus) continue;
    const e = opts.focus && !opts.focus(s) ? undefined : tasks.get(s.tid);
    const x0 = x(s.startNs), w = Math.max(0.5, x(s.endNs) - x0);
    const fill = e ? colour(e.i) : "#9a9a9a";
    o.push(`<rect class="slice" data-tid="${s.tid}" data-cpu="${s.cpu}" data-start-ns="${s.startNs}" data-end-ns="${s.endNs}" x="${x0.toFixed(2)}" y="${laneY(s.cpu) + 2}" width="${w.toFixed(2)}" height="${laneH - 4}" fill="${fill}">` +
      `<title>${esc(`${s.comm} pid ${s.pid} tid ${s.tid}: ${fmtTime(s.startNs)} to ${fmtTime(s.endNs)} (${fmtTime(s.endNs - s.startNs)}), left ${s.end}`)}</title></rect>`);
    if (s.end === "S" || s.end === "D") {
      const xe = x(s.endNs), y = laneY(s.cpu);
      o.push(`<path class="blocked" d="M${xe.toFixed(2)},${y} l-4,-6 h8 z" fill="#d22"/>`);
    }
  }
  for (const m of t.marks) {
    if (m.kind !== "wakeup" || m.cpu === undefined || m.cpu >= t.cpus) continue;
    const xm = x(m.ns), y = laneY(m.cpu) + laneH;
    o.push(`<path class="woken" d="M${xm.toFixed(2)},${y} l-4,6 h8 z" fill="#2a2"><title>${esc(`tid ${m.tid} woken at ${fmtTime(m.ns)}`)}</title></path>`);
  }
  // Time axis (relative to the first event).
  const step = tickStep(span, 10);
  o.push(`<line x1="${left}" y1="${axisY}" x2="${left + plotW}" y2="${axisY}" stroke="#333"/>`);
  for (let v = 0; v <= span + step / 1e6; v += step) {
    const xv = x(start + v);
    o.push(`<line x1="${xv.toFixed(2)}" y1="${axisY}" x2="${xv.toFixed(2)}" y2="${axisY + 5}" stroke="#333"/><text class="tick" x="${xv.toFixed(2)}" y="${axisY + 18}" text-anchor="middle">${esc(axisLabel(v, step))}</text>`);
  }
  // Legend: the tasks, then idle and the marks.
  const items: string[] = [];
  for (const [tid, e] of tasks) {
    items.push(`<rect width="12" height="12" fill="${colour(e.i)}"/><text x="16" y="10">${esc(`${e.comm} pid ${e.pid}${tid !== e.pid ? ` tid ${tid}` : ""} (${fmtTime(e.cpuNs)})`)}</text>`);
  }
  if (opts.focus) items.push(`<rect width="12" height="12" fill="#9a9a9a"/><text x="16" y="10">other tasks</text>`);
  items.push(`<rect width="12" height="12" fill="url(#idle)" stroke="#bbb"/><text x="16" y="10">idle</text>`);
  items.push(`<path d="M6,12 l-5,-8 h10 z" fill="#d22"/><text x="16" y="10">blocked</text><path d="M86,0 l-5,8 h10 z" fill="#2a2"/><text x="96" y="10">woken</text>`);
  const colW = plotW / 4;
  items.forEach((it, i) => {
    o.push(`<g class="legend" transform="translate(${(left + (i % 4) * colW).toFixed(1)},${legendY + Math.floor(i / 4) * 18})">${it}</g>`);
  });
  o.push("</svg>");
  return o.join("\n") + "\n";
}
