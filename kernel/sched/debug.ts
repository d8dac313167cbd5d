// What /proc/PID/sched and /proc/sched_debug show: the scheduler's own
// per-task fields and run queues, read from the very fields the policies
// decide by (nothing here is computed for show only, except the effective
// priority of prio-aging and the MLFQ level after a boost, which are worked
// out exactly as the policies work them out at their next decision).
//
// Concepts: C22 (ready queues), C29/C30 (policy fields: vruntime, predicted
// burst, MLFQ level, effective priority), C31 (per-CPU queues, migrations).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { nowNs } from "../time/clock.js";
import { SCHED_FIFO, SCHED_RR } from "../abi/sched.js";
import { policyName, taskClassName, sliceFor, queuedTasks, cpuLoad } from "./core.js";
import { predictedBurst } from "./sjf.js";
import { effectivePrio } from "./prio.js";
import { mlfqLevel } from "./mlfq.js";
import { weightOf } from "./fair.js";

/** ns as Linux's debug files print times: milliseconds with six decimals. */
function ms(ns: number): string {
  return (ns / 1e6).toFixed(6);
}

/** Linux's kernel priority (lower is better): 99 - sched_priority for real time, 120 + nice (100..139) otherwise. */
export function kernelPrio(t: Task): number {
  const p = t.sched.policy;
  return p === SCHED_FIFO || p === SCHED_RR ? 99 - t.sched.rtPriority : 120 + t.sched.nice;
}

/** The fields of /proc/PID/sched, in order: Linux's names first, then tsix's. */
export function taskSchedFields(k: Kernel, t: Task): [string, string | number][] {
  const s = k.schedSettings;
  const se = t.sched;
  const now = nowNs(k);
  // The running task's time since its last charge belongs to it already.
  const pending = t.cpu >= 0 ? Math.max(0, now - se.execStart) : 0;
  return [
    ["se.exec_start", ms(se.execStart)],
    ["se.vruntime", ms(se.vruntime)],
    ["se.sum_exec_runtime", ms(se.sumExec + pending)],
    ["se.nr_migrations", se.nrMigrations],
    ["nr_switches", t.nvcsw + t.nivcsw],
    ["nr_voluntary_switches", t.nvcsw],
    ["nr_involuntary_switches", t.nivcsw],
    ["se.load.weight", weightOf(t)],
    ["se.wait_sum", ms(se.waitTime)],
    ["policy", se.policy],
    ["prio", kernelPrio(t)],
    ["clock-delta", 0],
    // tsix: the teaching policies' fields.
    ["sched_class", taskClassName(k, t)],
    ["sched_policy_module", policyName(k)],
    ["se.timeslice_ns", sliceFor(k, t)],
    ["se.burst_current", ms(se.burstRun + pending)],
    ["se.last_burst", ms(se.lastBurst)],
    ["se.burst_predicted", ms(predictedBurst(s, t))],
    ["mlfq.level", mlfqLevel(s, t, now)],
    ["prio.effective", effectivePrio(s, t, now, policyName(k) === "prio-aging")],
    ["rt_priority", se.rtPriority],
    ["cpu", t.cpu >= 0 ? t.cpu : se.lastCpu],
  ];
}

/** /proc/sched_debug: the settings, then each hart's run queue with its current task and the queued ones. */
export function showSchedDebug(k: Kernel): string {
  const s = k.schedSettings;
  const now = nowNs(k);
  const kv = (key: string, v: string): string => `  .${key.padEnd(37)}: ${v}\n`;
  let out = `Sched Debug Version: v0.11, tsix\nktime${" ".repeat(35)}: ${ms(now)}\n\nsysctl_sched\n`;
  out += kv("policy", policyName(k)) + kv("sysctl_sched_latency", ms(s.latencyNs)) + kv("sysctl_sched_min_granularity", ms(s.minGranularityNs));
  out += kv("sysctl_sched_wakeup_granularity", ms(s.wakeupGranularityNs)) + kv("sysctl_sched_rr_timeslice", ms(s.rrQuantumNs));
  out += kv("sjf_alpha", String(s.sjfAlpha)) + kv("sjf_tau0", ms(s.sjfTau0Ns)) + kv("aging_rate", String(s.agingRate));
  out += kv("mlfq_quanta", s.mlfqQuantaNs.map(ms).join(" ")) + kv("mlfq_boost", ms(s.mlfqBoostNs)) + kv("balance_interval", ms(s.balanceIntervalNs));
  for (const cpu of k.cpus) {
    const rq = cpu.rq;
    const q = queuedTasks(k, cpu.id);
    out += `\ncpu#${cpu.id}\n  .nr_running                    : ${cpuLoad(k, cpu.id)}\n`;
    out += `  .curr->pid                     : ${cpu.current ? cpu.current.tid : 0}\n`;
    out += `  .min_vruntime                  : ${ms(rq.minVruntime)}\n  .nr_migrations                 : ${rq.nrMigrations}\n`;
    out += `\nrunnable tasks:\n S            task   PID         vruntime   prio  class   burst-pred  mlfq  eff-prio     wait-sum  sum-exec\n`;
    const row = (t: Task, running: boolean): string =>
      ` ${running ? ">R" : " R"} ${t.comm.slice(0, 15).padStart(15)} ${String(t.tid).padStart(5)} ${ms(t.sched.vruntime).padStart(16)} ${String(kernelPrio(t)).padStart(6)}` +
      `  ${taskClassName(k, t).padEnd(6)} ${ms(predictedBurst(s, t)).padStart(12)} ${String(mlfqLevel(s, t, now)).padStart(5)}` +
      ` ${String(effectivePrio(s, t, now, policyName(k) === "prio-aging")).padStart(9)} ${ms(t.sched.waitTime).padStart(12)} ${ms(t.sched.sumExec).padStart(9)}\n`;
    if (cpu.current && cpu.current.state === "R") out += row(cpu.current, true);
    for (const t of q) out += row(t, false);
  }
  return out;
}
