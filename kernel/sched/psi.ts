// Pressure stall information (Linux's kernel/sched/psi.c): how much of the
// time tasks could not run because they waited for memory, for block I/O or
// for a CPU, shown in /proc/pressure/{memory,io,cpu} in Linux's format:
//
//   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
//   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
//
// The states, system-wide (Linux computes them per CPU and weighs them by
// each CPU's busy time; tsix judges the whole machine at once, which is the
// same on one hart):
//   - io some: a task is in D waiting for a block device or the host's files
//     (not a vfork parent, whose D waits for its child); io full: and no task
//     holds a hart.
//   - memory some: a task is stalled on memory - a refault (a page the
//     kernel took away is needed again: a budget page, a file page dropped by
//     reclaim), a swap-in, direct reclaim. memory full: and it is the only
//     task that could run. Those stalls take no instructions in tsix (the
//     kernel handles them in the trap, and a disk backed by memory answers at
//     once), so each costs MEMSTALL_NS of kernel time: on the instret clock
//     the clock moves by that much while the task holds its hart (the stall
//     is real: a thrashing program takes longer and its neighbours wait), on
//     the host clock the handler took what it took and MEMSTALL_NS is added
//     to the totals.
//   - cpu some: a runnable task waits in a run queue while the harts run
//     others. The system-wide cpu full is undefined, and Linux prints zeros
//     (since 5.13 the line is there for the format's sake).
//
// Per-task counts (Linux's psi_group_cpu tasks[]): each task records in
// t.psiFlags what it is counted as (TSK_IOWAIT: asleep in D on a disk;
// TSK_MEMSTALL: asleep in D on a swap read, t.inMemstall), and
// PsiState.nrIowait / nrMemstall are kept by psiTaskSync at the scheduler's
// state changes (a task leaving its hart, a wake-up, a dequeue), so that no
// change has to scan the task table. A swap-in that sleeps counts as a
// memory stall and not as I/O, as the brief for this work asks (Linux sets
// both there: the swap read is also an io_schedule); other D sleeps on a
// disk count as I/O. PsiState.verify (tests) rescans at every change and
// counts disagreements in `verifyErrors`.
//
// Time between two changes of state is charged to the states that held
// (the kernel's clock does not move while a trap is handled, so every
// change made in a trap is seen before time passes): the scheduler calls
// psiChange after every wake-up, switch and dequeue. The totals are ns (shown
// in µs, as Linux does). Every PSI_PERIOD_NS the averages fold the share of
// that period spent stalled into avg10/60/300 with Linux's fixed-point
// calc_load (FIXED_1 = 2048, EXP_10s = 1677, EXP_60s = 1981, EXP_300s =
// 2034); periods with no change are folded in when the next change or read
// comes, one by one, as if the periodic work had run at each.
//
// The thrashing detector: when memory some avg10 climbs to
// PSI_THRASH_PCT percent or more, the kernel logs one line; the
// next line comes only after it has fallen below again. The per-process
// detector of frame budgets (mm/replace.ts, refaults per CPU second) stays:
// it names the process, this one sees the whole system.
//
// Concepts: C55 (thrashing, measured as memory stall time), C22 (blocked
// states: D on I/O), C29 (waiting for a CPU).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { nowNs } from "../time/clock.js";
import { logInfo } from "../log.js";

/** The averaging period (Linux: PSI_FREQ, 2 s). */
export const PSI_PERIOD_NS = 2_000_000_000;
/** Kernel time one memory stall (refault, swap-in, direct reclaim) costs: a fast SSD's read. */
export const MEMSTALL_NS = 20_000;
/** Memory some avg10 (%) from which the system counts as thrashing. */
export const PSI_THRASH_PCT = 10;

/** Resources, in Linux's order (enum psi_res). */
export const PSI_IO = 0, PSI_MEM = 1, PSI_CPU = 2;
/** What a task is counted as (Task.psiFlags; Linux's TSK_IOWAIT, TSK_MEMSTALL). */
export const TSK_IOWAIT = 1, TSK_MEMSTALL = 2;
/** State bits (some, full per resource): bit res*2 = some, res*2+1 = full. */
const IO_SOME = 1, IO_FULL = 2, MEM_SOME = 4, MEM_FULL = 8, CPU_SOME = 16;

const FSHIFT = 11, FIXED_1 = 1 << FSHIFT;
const EXP = [1677, 1981, 2034];

/** PSI's state (k.psi, made on first use): plain numbers. */
export interface PsiState {
  /** Kernel time up to which the totals are charged. */
  last: number;
  /** State bits that hold since `last`. */
  flags: number;
  /** Stall time (ns) per state: [io some, io full, mem some, mem full, cpu some, cpu full]. */
  total: number[];
  /** `total` as the averages last took it. */
  avgTotal: number[];
  /** Fixed-point averages (100% = 100 * FIXED_1), per state, [10 s, 60 s, 300 s]: 18 numbers. */
  avg: number[];
  /** Kernel time of the next averaging. */
  avgNext: number;
  /** The memory-pressure thrashing detector is in an episode (logged once per episode). */
  thrashing: boolean;
  /** Episodes logged. */
  episodes: number;
  /** Tasks asleep in D on a disk (TSK_IOWAIT), and on a swap read (TSK_MEMSTALL). */
  nrIowait: number;
  nrMemstall: number;
  /** Tests: compare the counts with a scan of the task table at every change ... */
  verify: boolean;
  /** ... and count the changes where they disagreed. */
  verifyErrors: number;
}

function state(k: Kernel): PsiState {
  let s = k.psi;
  if (s === undefined) {
    const now = nowNs(k);
    s = { last: now, flags: 0, total: [0, 0, 0, 0, 0, 0], avgTotal: [0, 0, 0, 0, 0, 0], avg: new Array<number>(18).fill(0), avgNext: now + PSI_PERIOD_NS, thrashing: false, episodes: 0, nrIowait: 0, nrMemstall: 0, verify: false, verifyErrors: 0 };
    k.psi = s;
  }
  return s;
}

/** Linux's calc_load: one step of the exponential decay, in fixed point. */
function calcLoad(load: number, exp: number, active: number): number {
  let n = load * exp + active * (FIXED_1 - exp);
  if (active >= load) n += FIXED_1 - 1;
  return Math.floor(n / FIXED_1);
}

/** The averaging at the end of one period (update_averages with no missed period). */
function average(s: PsiState): void {
  for (let i = 0; i < 6; i++) {
    let sample = s.total[i] - s.avgTotal[i];
    if (sample > PSI_PERIOD_NS) sample = PSI_PERIOD_NS;
    s.avgTotal[i] += sample;
    const pct = Math.floor((sample * 100) / PSI_PERIOD_NS) * FIXED_1;
    for (let w = 0; w < 3; w++) s.avg[i * 3 + w] = calcLoad(s.avg[i * 3 + w], EXP[w], pct);
  }
}

/** Charge the time from s.last to `now` to the states in s.flags, averaging at each period's end on the way. */
function charge(k: Kernel, s: PsiState, now: number): void {
  for (;;) {
    const end = now < s.avgNext ? now : s.avgNext;
    const dt = end - s.last;
    if (dt > 0) {
      const f = s.flags;
      if (f !== 0) for (let i = 0; i < 5; i++) if (f & (1 << i)) s.total[i] += dt;
      s.last = end;
    }
    if (now < s.avgNext) return;
    average(s);
    s.avgNext += PSI_PERIOD_NS;
    thrashCheck(k, s);
  }
}

/** Log the start of a memory-pressure episode (memory some avg10 at or over PSI_THRASH_PCT %). */
function thrashCheck(k: Kernel, s: PsiState): void {
  if (s.avg[6] < PSI_THRASH_PCT * FIXED_1) { s.thrashing = false; return; }
  if (s.thrashing) return;
  s.thrashing = true;
  s.episodes++;
  logInfo(k, `psi: memory pressure some avg10=${fmt(s.avg[6])} avg60=${fmt(s.avg[7])}, over ${PSI_THRASH_PCT}%: thrashing`);
}

/** What `t` should be counted as now: off its hart, in D, not a vfork parent's killable D. */
function taskFlags(t: Task): number {
  if (t.cpu >= 0 || t.state !== "D" || t.killable) return 0;
  return t.inMemstall ? TSK_MEMSTALL : TSK_IOWAIT;
}

/**
 * Bring `t`'s contribution to the counts up to date (the scheduler calls it
 * when `t` leaves its hart, wakes, or is dequeued; O(1), allocation-free).
 */
export function psiTaskSync(k: Kernel, t: Task): void {
  const want = taskFlags(t);
  const had = t.psiFlags | 0; // | 0: a task made without the field (tests' fakes) counts as nothing
  if (want === had) return;
  const s = state(k);
  if (had & TSK_IOWAIT) s.nrIowait--;
  if (had & TSK_MEMSTALL) s.nrMemstall--;
  if (want & TSK_IOWAIT) s.nrIowait++;
  if (want & TSK_MEMSTALL) s.nrMemstall++;
  t.psiFlags = want;
}

/** Tests: turn the verify mode on (every change compares the counts with a scan). */
export function psiSetVerify(k: Kernel, on: boolean): void {
  state(k).verify = on;
}

/** The counts by a scan of the task table (the verify mode's reference): [iowait, memstall]. */
export function psiScan(k: Kernel): [number, number] {
  let io = 0, mem = 0;
  for (const t of k.tasks.values()) {
    const f = taskFlags(t);
    if (f & TSK_IOWAIT) io++;
    if (f & TSK_MEMSTALL) mem++;
  }
  return [io, mem];
}

/** Harts running a task. */
function onCpu(k: Kernel): number {
  let n = 0;
  for (let i = 0; i < k.cpus.length; i++) if (k.cpus[i].current !== null) n++;
  return n;
}

/**
 * The scheduler changed who runs or waits (`queued`: tasks waiting on run
 * queues now): charge the time since the last change, then take the new state.
 */
export function psiChange(k: Kernel, queued: number): void {
  const s = state(k);
  charge(k, s, nowNs(k));
  if (s.verify) {
    const [io, mem] = psiScan(k);
    if (io !== s.nrIowait || mem !== s.nrMemstall) s.verifyErrors++;
  }
  const running = onCpu(k);
  let f = 0;
  if (s.nrIowait > 0) f |= running === 0 ? IO_SOME | IO_FULL : IO_SOME;
  if (s.nrMemstall > 0) f |= running === 0 ? MEM_SOME | MEM_FULL : MEM_SOME;
  if (queued > 0) f |= CPU_SOME;
  s.flags = f;
}

/**
 * The running task's access stalled on memory `events` times (refaults,
 * swap-ins, direct reclaim runs): MEMSTALL_NS each. `queued`: tasks waiting
 * on run queues; with none, no task in D and no other hart busy, nothing
 * else could have run meanwhile (memory full). Returns the stall in ns (0
 * when events is 0).
 */
export function psiMemstall(k: Kernel, events: number, queued: number): number {
  if (events <= 0) return 0;
  const s = state(k);
  const now = nowNs(k);
  charge(k, s, now);
  const alone = queued === 0 && onCpu(k) <= 1 && s.nrIowait === 0 && s.nrMemstall === 0;
  const ns = events * MEMSTALL_NS;
  const mem = alone ? MEM_SOME | MEM_FULL : MEM_SOME;
  if (k.clock === "instret") {
    // The clock moves by the stall (tickClock counts instructions: insnsPerTick of them make a 100 ns tick).
    k.machine.tickClock(Math.round((ns / 100) * k.machine.config.insnsPerTick));
    const saved = s.flags;
    s.flags = saved | mem;
    charge(k, s, nowNs(k));
    s.flags = saved;
  } else {
    s.total[2] += ns;
    if (alone) s.total[3] += ns;
  }
  return ns;
}

/** Fixed point as "%lu.%02lu" (LOAD_INT, LOAD_FRAC). */
function fmt(x: number): string {
  const int = Math.floor(x / FIXED_1);
  const frac = Math.floor(((x & (FIXED_1 - 1)) * 100) / FIXED_1);
  return `${int}.${String(frac).padStart(2, "0")}`;
}

/** The stall totals in ns (io some, io full, memory some, memory full, cpu some, cpu full), brought up to now. */
export function psiTotals(k: Kernel): number[] {
  const s = state(k);
  charge(k, s, nowNs(k));
  return s.total.slice();
}

/** /proc/pressure/<res> (res: PSI_IO, PSI_MEM, PSI_CPU). */
export function psiShow(k: Kernel, res: number): string {
  const s = state(k);
  charge(k, s, nowNs(k));
  let out = "";
  for (let full = 0; full < 2; full++) {
    const i = res * 2 + full;
    // The system-wide cpu full is not defined: zeros (Linux since 5.13).
    const z = res === PSI_CPU && full === 1;
    const a = (w: number): string => fmt(z ? 0 : s.avg[i * 3 + w]);
    const total = z ? 0 : Math.floor(s.total[i] / 1000);
    out += `${full ? "full" : "some"} avg10=${a(0)} avg60=${a(1)} avg300=${a(2)} total=${total}\n`;
  }
  return out;
}
