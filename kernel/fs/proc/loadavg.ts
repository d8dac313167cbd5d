// The load average (Linux calc_load): every 5 s of kernel time the number of
// active tasks - running, waiting on a run queue, or in uninterruptible sleep
// - is folded into three exponentially damped averages with 1, 5 and 15
// minute time constants. They live in k.loadavg.avg ([1, 5, 15] minutes) for
// sysinfo(2), /proc/loadavg, uptime and top.
//
// A fully idle system arms no sampling timer (it would keep a virtual clock
// spinning with nothing to do); the missed periods are folded in as zeros when
// something happens again (bumpLoadavg), like Linux's NO_HZ catch-up.
//
// Concepts: C22 (ready and blocked tasks), C29/C30 (how busy the CPUs are).
import type { Kernel } from "../../kernel.js";
import { addTimer, nextTimerAt } from "../../time/timer.js";
import { nrRunning } from "../../sched/core.js";
import { nowNs } from "../../time/clock.js";

/** Sampling period (Linux LOAD_FREQ = 5 s + 1 tick). */
export const LOAD_FREQ_NS = 5e9;
const DECAY = [Math.exp(-5 / 60), Math.exp(-5 / 300), Math.exp(-5 / 900)];

interface LoadavgSampler {
  /** Kernel time of the last sample. */
  lastNs: number;
  /** A sampling timer is pending. */
  armed: boolean;
  samples: number;
}

/** The load average (k.loadavg): the three averages, and the sampler once started. */
export interface LoadavgState {
  avg: number[];
  sampler: LoadavgSampler | null;
}

export function createLoadavgState(): LoadavgState {
  return { avg: [0, 0, 0], sampler: null };
}

function st(k: Kernel): LoadavgSampler {
  return (k.loadavg.sampler ??= { lastNs: nowNs(k), armed: false, samples: 0 });
}

/** The three averages (1, 5, 15 minutes). */
export function loadavg(k: Kernel): number[] {
  return k.loadavg.avg;
}

/** Tasks that count towards the load: running, runnable, uninterruptible. */
export function nrActive(k: Kernel): number {
  let n = nrRunning(k);
  for (const t of k.tasks.values()) if (t.state === "D") n++;
  return n;
}

function fold(la: number[], active: number, periods: number): void {
  for (let i = 0; i < 3; i++) {
    const e = Math.pow(DECAY[i], periods);
    la[i] = la[i] * e + active * (1 - e);
  }
}

function arm(k: Kernel, s: LoadavgSampler): void {
  s.armed = true;
  addTimer(k, { at: s.lastNs + LOAD_FREQ_NS, kind: "loadavg" });
}

/** The sampling timer (dispatched by kernel/timers.ts). */
export function sampleLoad(k: Kernel): void {
  const s = st(k);
  s.armed = false;
  const now = nowNs(k);
  const periods = Math.floor((now - s.lastNs) / LOAD_FREQ_NS);
  if (periods <= 0) { arm(k, s); return; }
  const la = loadavg(k);
  const active = nrActive(k);
  fold(la, active, 1);
  if (periods > 1) fold(la, 0, periods - 1);
  s.lastNs += periods * LOAD_FREQ_NS;
  s.samples++;
  // Stay armed while anything can still happen by itself.
  if (active > 0 || nextTimerAt(k) < Infinity) arm(k, s);
}

/** Start sampling (boot). */
export function startLoadavg(k: Kernel): void {
  const s = st(k);
  loadavg(k);
  if (!s.armed) { s.lastNs = nowNs(k); arm(k, s); }
}

/**
 * Something happened on an idle system (input arrived, /proc/loadavg was
 * read): fold in the idle periods since the last sample and sample again.
 */
export function bumpLoadavg(k: Kernel): void {
  const s = k.loadavg.sampler;
  if (!s || s.armed) return;
  const now = nowNs(k);
  const periods = Math.floor((now - s.lastNs) / LOAD_FREQ_NS);
  if (periods > 0) {
    fold(loadavg(k), 0, periods);
    s.lastNs += periods * LOAD_FREQ_NS;
  }
  arm(k, s);
}
