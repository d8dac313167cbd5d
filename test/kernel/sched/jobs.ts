// Runs test/kernel/sched/progs/jobs.c (a workload of known CPU jobs) in a
// booted kernel on the instruction clock and returns what the policy tests
// assert on: the marks in the order the jobs wrote them, each child's pid
// and report (MLFQ level, migrations), and the context switches and
// wake-ups from the sched_switch / sched_wakeup tracepoints, so that slices
// and response times are measured on the kernel's own clock.
import { join } from "node:path";
import { run, SRC_ROOT, type RunResult, type RunOpts } from "../fs/harness.js";
import { subscribe } from "../../../kernel/trace/tracepoint.js";
import type { Kernel } from "../../../kernel/index.js";
import { nowNs } from "../../../kernel/time/clock.js";
import { SYS_write } from "../../../kernel/abi/sysno.js";

export const PROGS = join(SRC_ROOT, "test/kernel/sched/progs");

/** Busy-loop iterations of one mark: about 1 ms of CPU on the instruction clock. */
export const PER = 14_000;

export interface Switch { cpu: number; prev: number; next: number; prevRunnable: boolean; ns: number }

export interface JobsResult {
  r: RunResult;
  /** The marks, with the children's report lines and the parent's pid lines taken out ('|' = the policy switch). */
  marks: string;
  pid: Record<string, number>;
  report: Record<string, { mlfq: number; mig: number }>;
  switches: Switch[];
  wakeups: { tid: number; ns: number }[];
  /** When the parent released the jobs (its first write(2): the start signal). */
  goNs: number;
}

/** Run jobs.c with `args` (options, PER, specs). */
export async function runJobs(args: string[], opts: RunOpts & { setupMore?: (k: Kernel) => void } = {}): Promise<JobsResult> {
  const switches: Switch[] = [];
  const wakeups: { tid: number; ns: number }[] = [];
  let goNs = -1;
  const r = await run("jobs", {
    dir: PROGS, args, timeoutMs: 120_000, ...opts,
    setup: (k, t) => {
      subscribe(k, "sched_switch", (e) => switches.push({ cpu: e.cpu, prev: e.prev?.tid ?? 0, next: e.next?.tid ?? 0, prevRunnable: e.prev?.state === "R", ns: e.nowNs }));
      subscribe(k, "sched_wakeup", (e) => wakeups.push({ tid: e.t.tid, ns: e.nowNs }));
      subscribe(k, "sys_exit", (e) => { if (goNs < 0 && e.t.tid === 1 && e.nr === SYS_write) goNs = nowNs(k); });
      opts.setupMore?.(k);
      opts.setup?.(k, t);
    },
  });
  const pid: Record<string, number> = {};
  for (const m of r.out.matchAll(/^pid (\S) (\d+)$/gm)) pid[m[1]] = Number(m[2]);
  const report: Record<string, { mlfq: number; mig: number }> = {};
  for (const m of r.out.matchAll(/^#(\S) mlfq=(-?\d+) mig=(-?\d+)$/gm)) report[m[1]] = { mlfq: Number(m[2]), mig: Number(m[3]) };
  const marks = r.out.replace(/^#.*$/gm, "").replace(/^pid .*$/gm, "").replace(/\n/g, "");
  return { r, marks, pid, report, switches, wakeups, goNs };
}

/** The maximal runs of one letter: "aabbba" -> ["aa", "bbb", "a"]. */
export function blocks(s: string): string[] {
  return s.match(/(.)\1*/g) ?? [];
}

/**
 * The stretches each task ran, from the switch trace: [tid, start, end,
 * preempted] where `preempted` says it left the CPU still runnable.
 */
export function runs(switches: Switch[], cpu = 0): { tid: number; start: number; end: number; preempted: boolean }[] {
  const out: { tid: number; start: number; end: number; preempted: boolean }[] = [];
  let cur = 0, since = 0;
  for (const s of switches) {
    if (s.cpu !== cpu) continue;
    if (cur !== 0) out.push({ tid: cur, start: since, end: s.ns, preempted: s.prevRunnable });
    cur = s.next;
    since = s.ns;
  }
  return out;
}

/** CPU time (ns) each tid got on `cpu` between `from` and `to`. */
export function cpuTime(switches: Switch[], from: number, to: number, cpu = 0): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of runs(switches, cpu)) {
    const a = Math.max(from, x.start), b = Math.min(to, x.end);
    if (b > a) m.set(x.tid, (m.get(x.tid) ?? 0) + (b - a));
  }
  return m;
}
