// The scheduler trace writer behind `tsix run --trace sched=FILE`: it
// subscribes to the kernel's scheduling tracepoints and streams the
// Chrome/Perfetto trace-event JSON format to FILE, so a run opens in Perfetto
// (ui.perfetto.dev) or chrome://tracing and `tsix trace gantt|report` can read it.
//
// What the file holds ({"traceEvents":[...], "displayTimeUnit":"ms", "otherData":{...}}):
//   - one complete event ("ph":"X") per running slice, on the track of its CPU
//     (pid 0 "CPUs", tid = the hart): name = the task's comm, args = its pid,
//     tid and the state it left the CPU in (R: preempted or yielded, S/D:
//     blocked, T: stopped, X: exited);
//   - instant events ("ph":"i") on the task's own track (pid, tid) for its
//     state changes (new, ready, running, blocked, stopped, exit), wake-ups
//     (with the CPU it was queued on), migrations, fork, exec and exit;
//   - metadata events ("ph":"M") naming the CPUs, processes and threads;
//   - otherData: the policy and its settings, the number of CPUs, the clock.
// Time stamps are kernel time (µs, the format's unit), so a --deterministic
// run gives the same file every time.
//
// Events are written as they come, in chunks of about 64 KiB: a long run
// holds only the open slice of each CPU and the names of the tasks seen.
//
// Concepts: C23 (context switches seen), C22 (task states), C29/C30 (the
// policies' behaviour, measured).
import { closeSync, openSync, writeSync } from "node:fs";
import * as K from "../../kernel/index.js";

/** The pid of the CPU tracks (no task has pid 0). */
export const CPU_TRACK_PID = 0;

export interface SchedTraceInfo {
  /** "instret" (deterministic) or "host". */
  clock: string;
  cpus: number;
}

export interface SchedTraceWriter {
  /** Subscribe to a kernel's tracepoints (each boot's kernel, and a restored one). */
  attach(k: K.Kernel): void;
  /** The kernel stopped: close its running slices at the last time it reported. */
  detach(k: K.Kernel): void;
  /** Write the names and the header, and close the file. */
  close(): void;
  /** Events written so far. */
  readonly count: number;
}

const CHUNK = 64 * 1024;

/** ns of kernel time to the format's µs (kernel time is a multiple of 100 ns: exact in decimal). */
function us(ns: number): number {
  return ns / 1000;
}

/**
 * Open `file` and return a writer. Throws the host's error when the file
 * cannot be created (the caller turns it into a one-line usage error).
 */
export function openSchedTrace(file: string, info: SchedTraceInfo): SchedTraceWriter {
  const fd = openSync(file, "w");
  let buf = "";
  let count = 0;
  let first = true;
  let closed = false;
  /** Append one event, already JSON. */
  const line = (json: string): void => {
    buf += (first ? "\n" : ",\n") + json;
    first = false;
    count++;
    if (buf.length >= CHUNK) { writeSync(fd, buf); buf = ""; }
  };
  const out = (ev: object): void => line(JSON.stringify(ev));
  // The frequent events (a few per context switch) are built by hand, in the
  // same form JSON.stringify gives, with task names quoted once.
  const quoted = new Map<string, string>();
  const q = (str: string): string => {
    let j = quoted.get(str);
    if (j === undefined) { j = JSON.stringify(str); quoted.set(str, j); }
    return j;
  };
  writeSync(fd, '{"traceEvents":[');
  // Per kernel: the open slice of each CPU, the names of tasks seen, the last time, the unsubscribers.
  interface Seen {
    slices: ({ start: number; pid: number; tid: number } | null)[];
    last: number;
    off: (() => void)[];
    policy: string;
  }
  const kernels = new Map<K.Kernel, Seen>();
  const names = new Map<number, { pid: number; comm: string }>();
  const pids = new Map<number, string>();
  let header: { policy: string; settings: Record<string, number | string | boolean> } | null = null;
  const name = (t: K.Task): void => {
    names.set(t.tid, { pid: t.tg.pid, comm: t.comm });
    if (t.tg.pid === t.tid || !pids.has(t.tg.pid)) pids.set(t.tg.pid, t.tg.comm);
  };
  /** An instant event on `t`'s track; `args` is the JSON of its arguments. */
  const instant = (n: string, nowNs: number, t: K.Task, args: string): void => {
    line(`{"name":"${n}","cat":"sched","ph":"i","s":"t","ts":${us(nowNs)},"pid":${t.tg.pid},"tid":${t.tid},"args":${args}}`);
  };
  const closeSlice = (s: Seen, cpu: number, end: number, endState: string, comm: string): void => {
    const open = s.slices[cpu];
    if (!open) return;
    line(`{"name":${q(comm)},"cat":"sched","ph":"X","ts":${us(open.start)},"dur":${us(end - open.start)},"pid":${CPU_TRACK_PID},"tid":${cpu},` +
      `"args":{"pid":${open.pid},"tid":${open.tid},"end":"${endState}"}}`);
    s.slices[cpu] = null;
  };
  return {
    get count() { return count; },
    attach(k) {
      const s: Seen = { slices: k.cpus.map(() => null), last: 0, off: [], policy: K.policyName(k) };
      kernels.set(k, s);
      s.off.push(K.subscribe(k, "sched_switch", (e) => {
        s.last = e.nowNs;
        // The policy's settings as the first task to run sees them (a time slice may depend on the task).
        if (header === null && e.next) header = { policy: K.policyName(k), settings: K.schedSettings(k, e.next) };
        if (e.prev) { name(e.prev); closeSlice(s, e.cpu, e.nowNs, e.prevState ?? "R", e.prev.comm); }
        else s.slices[e.cpu] = null;
        if (e.next) { name(e.next); s.slices[e.cpu] = { start: e.nowNs, pid: e.next.tg.pid, tid: e.next.tid }; }
      }));
      s.off.push(K.subscribe(k, "sched_state", (e) => { s.last = e.nowNs; name(e.t); instant("state", e.nowNs, e.t, `{"state":"${e.state}"}`); }));
      s.off.push(K.subscribe(k, "sched_wakeup", (e) => { s.last = e.nowNs; instant("wakeup", e.nowNs, e.t, `{"cpu":${e.cpu}}`); }));
      s.off.push(K.subscribe(k, "sched_migrate", (e) => { s.last = e.nowNs; instant("migrate", e.nowNs, e.t, `{"from":${e.from},"to":${e.to}}`); }));
      s.off.push(K.subscribe(k, "process_fork", (e) => {
        s.last = e.nowNs;
        out({ name: e.thread ? "thread_create" : "fork", cat: "process", ph: "i", s: "t", ts: us(e.nowNs), pid: e.pid, tid: e.child, args: { parent: e.parent } });
      }));
      s.off.push(K.subscribe(k, "process_exec", (e) => {
        out({ name: "exec", cat: "process", ph: "i", s: "p", ts: us(K.nowNs(k)), pid: e.pid, tid: e.pid, args: { path: e.path } });
      }));
      s.off.push(K.subscribe(k, "process_exit", (e) => {
        s.last = e.nowNs;
        out({ name: e.thread ? "thread_exit" : "exit", cat: "process", ph: "i", s: "t", ts: us(e.nowNs), pid: e.pid, tid: e.tid, args: { status: e.status } });
      }));
    },
    detach(k) {
      const s = kernels.get(k);
      if (!s) return;
      for (const off of s.off) off();
      const end = Math.max(s.last, K.nowNs(k));
      s.slices.forEach((sl, cpu) => { if (sl) closeSlice(s, cpu, end, "R", names.get(sl.tid)?.comm ?? "?"); });
      kernels.delete(k);
    },
    close() {
      if (closed) return;
      closed = true;
      const firstPolicy = [...kernels.values()][0]?.policy ?? "";
      for (const k of [...kernels.keys()]) this.detach(k);
      out({ name: "process_name", ph: "M", pid: CPU_TRACK_PID, tid: 0, args: { name: "CPUs" } });
      out({ name: "process_sort_index", ph: "M", pid: CPU_TRACK_PID, tid: 0, args: { sort_index: -1 } });
      for (let c = 0; c < info.cpus; c++) out({ name: "thread_name", ph: "M", pid: CPU_TRACK_PID, tid: c, args: { name: `CPU ${c}` } });
      for (const [pid, comm] of pids) out({ name: "process_name", ph: "M", pid, tid: pid, args: { name: `${comm} (${pid})` } });
      for (const [tid, n] of names) out({ name: "thread_name", ph: "M", pid: n.pid, tid, args: { name: `${n.comm} (${tid})` } });
      const other = {
        policy: header?.policy ?? firstPolicy, settings: header?.settings ?? {}, cpus: info.cpus, clock: info.clock,
        policies: K.schedPolicyNames(), generator: "tsix run --trace sched",
      };
      buf += `\n],\n"displayTimeUnit":"ms",\n"otherData":${JSON.stringify(other)}}\n`;
      writeSync(fd, buf);
      buf = "";
      closeSync(fd);
    },
  };
}
