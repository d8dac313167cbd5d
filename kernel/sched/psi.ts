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
// Triggers (Linux's "Monitoring for pressure thresholds",
// Documentation/accounting/psi.rst): "some 150000 1000000" written to an
// open /proc/pressure/<res> registers a trigger on that fd: when the stall
// time of the state (some or full of res) grows by the threshold (µs)
// within the window (µs, 500 ms..10 s), the fd reports POLLPRI once (and at
// most once per window). The growth within the window is estimated as Linux's
// window_update does: the growth since the window started plus the previous
// window's growth weighed by the part of it still inside the sliding window.
// Triggers are checked whenever the totals are charged (every scheduler
// change, memory stall, read, and the timer tick, psiTick); a firing sets
// `wakePending` and the trap layer wakes `wait` (the pollers look again).
// Closing the fd removes the trigger.
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
import type { WaitQueue } from "./wait.js";
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

/** Windows a trigger may have (Linux's WINDOW_MIN_US, WINDOW_MAX_US), ns. */
export const PSI_WINDOW_MIN_NS = 500_000_000, PSI_WINDOW_MAX_NS = 10_000_000_000;

/** A registered trigger (plain data). */
export interface PsiTrigger {
  id: number;
  /** Index into PsiState.total: res * 2 + (full ? 1 : 0). */
  state: number;
  threshold: number;
  window: number;
  /** The window's start: kernel time and the state's total then; the previous window's growth. */
  winStart: number;
  winStartTotal: number;
  prevGrowth: number;
  /** The total when last looked at (a trigger fires only on new stall). */
  lastTotal: number;
  /** Kernel time of the last firing (-1: never). */
  lastEvent: number;
  /** Fired and not yet seen by a poll. */
  event: boolean;
  /** Times fired. */
  fired: number;
}

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
  /** Registered triggers, and the next trigger id. */
  triggers: PsiTrigger[];
  nextTrigger: number;
  /** Pollers of trigger fds wait here; wakePending: a trigger fired and `wait` is to be woken (by the trap layer). */
  wait: WaitQueue;
  wakePending: boolean;
}

function state(k: Kernel): PsiState {
  let s = k.psi;
  if (s === undefined) {
    const now = nowNs(k);
    s = { last: now, flags: 0, total: [0, 0, 0, 0, 0, 0], avgTotal: [0, 0, 0, 0, 0, 0], avg: new Array<number>(18).fill(0), avgNext: now + PSI_PERIOD_NS, thrashing: false, episodes: 0, nrIowait: 0, nrMemstall: 0, verify: false, verifyErrors: 0,
      triggers: [], nextTrigger: 1, wait: { name: "psi", waiters: [] }, wakePending: false };
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
    if (now < s.avgNext) { if (s.triggers.length !== 0) triggersCheck(s, now); return; }
    average(s);
    s.avgNext += PSI_PERIOD_NS;
    thrashCheck(k, s);
  }
}

/** window_update and the threshold test of every trigger, at kernel time `now`. */
function triggersCheck(s: PsiState, now: number): void {
  for (let i = 0; i < s.triggers.length; i++) {
    const t = s.triggers[i];
    const total = s.total[t.state];
    if (total === t.lastTotal) continue;
    t.lastTotal = total;
    let growth = total - t.winStartTotal;
    const elapsed = now - t.winStart;
    if (elapsed >= t.window) {
      t.winStart = now; t.winStartTotal = total; t.prevGrowth = growth;
    } else {
      growth += Math.floor((t.prevGrowth * (t.window - elapsed)) / t.window);
    }
    if (growth < t.threshold) continue;
    if (t.lastEvent >= 0 && now < t.lastEvent + t.window) continue;
    t.lastEvent = now;
    t.event = true;
    t.fired++;
    s.wakePending = true;
  }
}

/**
 * A write to /proc/pressure/<res> (`text`): register a trigger, returning its
 * id, or -EINVAL for a malformed string, a window outside 500 ms..10 s, a
 * threshold of 0 or over the window.
 */
export function psiTriggerCreate(k: Kernel, res: number, text: string): number {
  const m = /^(some|full)[ \t]+\+?(\d+)[ \t]+\+?(\d+)/.exec(text.replace(/^[ \t\n]+/, ""));
  if (m === null) return -22;
  const thresholdUs = Number(m[2]), windowUs = Number(m[3]);
  // sscanf's %u takes 32 bits.
  if (thresholdUs > 0xffffffff || windowUs > 0xffffffff) return -22;
  if (windowUs * 1000 < PSI_WINDOW_MIN_NS || windowUs * 1000 > PSI_WINDOW_MAX_NS) return -22;
  if (thresholdUs === 0 || thresholdUs > windowUs) return -22;
  const s = state(k);
  const now = nowNs(k);
  charge(k, s, now);
  const st = res * 2 + (m[1] === "full" ? 1 : 0);
  const id = s.nextTrigger++;
  s.triggers.push({
    id, state: st, threshold: thresholdUs * 1000, window: windowUs * 1000, winStart: now, winStartTotal: s.total[st],
    prevGrowth: 0, lastTotal: s.total[st], lastEvent: -1, event: false, fired: 0,
  });
  return id;
}

/** The trigger's fd is closed: it goes. */
export function psiTriggerDestroy(k: Kernel, id: number): void {
  const s = state(k);
  const i = s.triggers.findIndex((t) => t.id === id);
  if (i >= 0) s.triggers.splice(i, 1);
}

/**
 * poll on a trigger's fd: whether it fired since the last poll (the event is
 * consumed, as Linux's psi_trigger_poll does); -1 when there is no such
 * trigger. The caller sleeps on PsiState.wait.
 */
export function psiTriggerPoll(k: Kernel, id: number): number {
  const s = state(k);
  charge(k, s, nowNs(k));
  const t = s.triggers.find((x) => x.id === id);
  if (t === undefined) return -1;
  if (!t.event) return 0;
  t.event = false;
  return 1;
}

/** The queue pollers of trigger fds sleep on. */
export function psiWaitQueue(k: Kernel): WaitQueue {
  return state(k).wait;
}

/**
 * The timer tick: with triggers registered, charge the totals (a stall with
 * no scheduler change still moves them) and say whether pollers are to be
 * woken now (the flag is cleared: the caller wakes PsiState.wait).
 */
export function psiTick(k: Kernel): boolean {
  const s = k.psi;
  if (s === undefined || s.triggers.length === 0 && !s.wakePending) return false;
  charge(k, s, nowNs(k));
  if (!s.wakePending) return false;
  s.wakePending = false;
  return true;
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
