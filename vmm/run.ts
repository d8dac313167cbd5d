// The run loop: the vCPUs of a machine, driven until its kernel stops.
//
// For each hart: ask the kernel for a task (schedule), let it take its
// pending signals (returnToUser), run the core for a budget of
// instructions, and hand each trap that comes back to the kernel
// (handleTrap), which handles it in place and "srets". Between rounds, due
// timers fire (runTimers). When every hart is idle the loop waits for the
// next timer (virtual time jumps ahead in "instret" mode) or for the host's
// input (`wakeIdle`), and it yields to the host's event loop regularly so
// that terminal input and host timers get through. It calls the kernel only
// through kernel/index.ts.
//
// Several harts (C34): a hart's turn in a round is the interleave quantum
// (VmOptions.interleave, `tsix run --interleave N`): after that many
// instructions the next hart runs. Real harts run at the same time, so two
// threads on two CPUs race at instruction granularity; a quantum of a few
// thousand instructions lets an unlocked read-modify-write of one hart
// land between another's load and store, as on hardware, while a large one
// (the old 4 M) makes each thread's whole loop finish before the other
// starts. One hart alone has no one to interleave with and keeps the large
// turn. A hart switched out mid LR/SC loses its reservation in the core
// (hw/core/index.ts selectHart), so the other hart's writes are never lost.
//
// CPU time (C02) is time on the kernel clock, so a task's user + system time
// never exceeds the real time it held a hart. On the host clock, after each
// run of the core the time since the hart's last charge (Cpu.acctNs) goes to
// the task it ran (a core faster than 100 MIPS used to be charged 10 ns an
// instruction, more than the real time that passed: `time` showed user >
// real). With several harts that is the real time while the others took
// their turns too: they run at the same time, so two busy threads on two
// CPUs get twice the real time, as on Linux. On the instret clock with one
// hart a run's instructions take exactly the time the clock advances for
// them, and that is charged without reading the clock. System time is sampled on the host
// clock: one trap in SYS_SAMPLE is timed, and SYS_SAMPLE times that is
// taken out of the busy time as system time. In deterministic mode nothing
// is sampled (host time would make two runs differ), so system time stays 0.
//
// Hot path: the inner loop allocates nothing.
// Concepts: C81 (the monitor runs the vCPUs), C02 (user/system/idle time), C12 (the timer interrupt drives
// preemption), C21-C23 (the hart runs the task the scheduler picked),
// C84 (no host timing reaches a deterministic guest).
import * as L from "../hw/core/layout.js";
import * as K from "../kernel/index.js";
import type { Vm } from "./vmm.js";

/** What the machine's user (the CLI, a test) provides while it runs. */
export interface VmHost {
  /** Every hart is idle and no timer is armed (or, in "host" clock mode, none is due soon): resolve when input may have come. */
  wakeIdle: () => Promise<void>;
  /**
   * Called at every round boundary of the loop, where the whole system's
   * state is in the machine and the kernel (no trap is being handled): the
   * one place a snapshot may be taken (vmm/snapshot.ts). Returns a promise
   * when it has work to finish before the guest goes on, else undefined.
   */
  boundary?: (vm: Vm) => Promise<void> | undefined;
  /** Give the host's event loop a turn (default: a zero timer; Node may pass setImmediate). */
  yieldToHost?: () => Promise<void>;
}

/** How a run ended: init's exit status (0 after power off or halt), and what reboot(2) asked, if it did. */
export interface VmExit {
  status: number;
  power: "poweroff" | "halt" | "restart" | null;
}

/** Instructions per slice handed to the core between host checks. */
const BUDGET = 1 << 20;

/**
 * A hart's turn in one round of the loop ends after this many instructions
 * even when its task keeps trapping (timer ticks, syscalls) without leaving
 * the hart: the round boundary - where timers fire, every hart is
 * considered, and snapshots are taken (VmHost.boundary) - comes at least
 * every ~4 M instructions of each hart, the same in every run.
 */
const ROUND_INSNS = 1 << 22;

/**
 * Default interleave quantum (instructions per hart turn with more than one
 * hart): the largest power of two at which the race demo still loses
 * updates in every run, see docs/smp.md and bench/interleave.ts.
 */
export const DEFAULT_INTERLEAVE = 1 << 12;
/** The smallest quantum accepted: an LR/SC retry loop (a few instructions) must fit in a turn to succeed. */
export const MIN_INTERLEAVE = 64;
/** The largest: the round boundary (ROUND_INSNS). */
export const MAX_INTERLEAVE = 1 << 22;

/** One trap in SYS_SAMPLE is timed for system-time accounting. */
const SYS_SAMPLE = 16;

/**
 * A timed trap counts at most this long (ms). A longer one means the host
 * descheduled this process mid-trap (a loaded host): that time was stolen by
 * the host, not spent in the kernel, and charged SYS_SAMPLE times over it
 * would swallow the task's whole user time.
 */
const SYS_SAMPLE_MAX_MS = 1;

/**
 * Charge `busy` units (10 ns) of a hart's time to the task `t` it ran:
 * system time sampled meanwhile first, the rest as user time.
 */
function charge(cpu: K.Cpu, t: K.Task, busy: number): void {
  const sys = cpu.sysOwed < busy ? cpu.sysOwed : busy;
  cpu.sysOwed -= sys;
  t.stime += sys;
  cpu.sysNs += sys * 10;
  t.utime += busy - sys;
  cpu.userInsns += busy - sys;
}

/** Give the host's event loop one turn with what every JavaScript host has (a zero timer). */
function yieldByTimer(): Promise<void> {
  return new Promise((r) => { setTimeout(r, 0); });
}

/**
 * Run the machine until its kernel halts (init exited, or reboot(2)); then
 * write back what processes still alive stored through shared mappings.
 */
export async function runVm(vm: Vm, host: VmHost): Promise<VmExit> {
  const k = vm.kernel;
  const core = vm.machine.core;
  const machine = vm.machine;
  const yieldToHost = host.yieldToHost ?? yieldByTimer;
  const instret = machine.clock === "instret";
  const deterministic = k.deterministic;
  let lastYield = performance.now();
  let sinceSync = 0;
  const boundary = host.boundary;
  // A hart's turn per round: the interleave quantum when harts take turns, the long round when one hart runs alone.
  const turn = k.cpus.length > 1 ? vm.options?.interleave ?? DEFAULT_INTERLEAVE : ROUND_INSNS;
  const slice = Math.min(BUDGET, turn);
  // CPU time units (10 ns) per instruction on the instret clock: 10 instructions a 100 ns tick make 1.
  const insnUnits = instret ? 10 / machine.config.insnsPerTick : 0;
  // The instret clock with one hart charges instructions (the cheap path); otherwise the hart's busy time on the clock
  // is charged, which with several harts includes the other harts' turns: they run at the same time as this one.
  const alone = instret && k.cpus.length === 1;
  // A disk that answers later (an asynchronous backend): its answers are taken between rounds; an idle
  // system waits for them as an idle hart waits in wfi for the completion interrupt.
  // Every disk (vda, vdb, ...) seen as one: requests in flight on any, and the answers of all taken together.
  const disks = machine.blks ?? [];
  const blk = disks.length === 0 ? undefined : {
    inFlight: (): number => { let n = 0; for (const d of disks) n += d.inFlight(); return n; },
    pollCompletions: (): number => { let n = 0; for (const d of disks) n += d.pollCompletions(); return n; },
  };
  let diskWake: (() => void) | null = null;
  for (const d of disks) d.backend.onCompletion?.(() => { const w = diskWake; diskWake = null; w?.(); });
  const diskAnswer = (): Promise<void> => new Promise<void>((r) => { diskWake = r; setTimeout(r, 50); });
  // The boot's partition scan waits for the disk before init runs, as Linux's probe of a disk waits for its MBR.
  for (let guard = 0; blk !== undefined && K.blockScanPending(k) && blk.inFlight() > 0 && guard < 10000; guard++) {
    await diskAnswer();
    if (blk.pollCompletions() > 0) K.handleExternalInterrupt(k, 0);
  }
  while (!k.halted) {
    // The disk's answers: its interrupt, taken by hart 0 (as a hart idle in wfi, or between two of its slices, would).
    if (blk !== undefined && blk.pollCompletions() > 0) K.handleExternalInterrupt(k, 0);
    if (boundary) {
      const p = boundary(vm);
      if (p) { await p; if (k.halted) break; }
    }
    let ran = false;
    for (let c = 0; c < k.cpus.length; c++) {
      const cpu = k.cpus[c];
      if (k.halted) break;
      K.selectCpu(k, cpu.id);
      const wasIdle = cpu.current === null;
      if (!cpu.current || cpu.needResched) K.schedule(k, cpu, cpu.current !== null);
      // The task picked (or the one going on) returns to user mode: its signals first - one sent while it
      // waited on a queue, or from another hart while it ran (the IPI Linux would send).
      K.returnToUser(k, cpu);
      if (k.halted) break; // a fatal signal ended init
      if (!cpu.current) continue;
      // Idle time is the scheduler's; busy time is charged from here on.
      if (wasIdle) cpu.acctNs = K.nowNs(k);
      ran = true;
      // Run this hart until its task leaves it, a timer may be due, or the
      // host needs a turn. Traps (syscalls, faults) are handled in place.
      const deadline = K.nextTimerAt(k);
      let roundInsns = 0;
      for (let burst = 0; burst < 256; burst++) {
        // The host clock is read every few traps, and always after a full slice.
        if (++sinceSync >= 32) { machine.syncClock(); sinceSync = 0; }
        const t: K.Task = cpu.current!;
        const left = turn - roundInsns;
        const reason = core.run(left < slice ? left : slice);
        const n = core.retired();
        roundInsns += n;
        if (instret) machine.tickClock(n);
        if (alone) {
          // One hart on the instret clock: the clock moved by exactly the time these instructions take.
          const u = n * insnUnits;
          if (cpu.sysOwed === 0) { t.utime += u; cpu.userInsns += u; } else charge(cpu, t, u);
        } else {
          // The host clock (read at syncs, not at every run), or several harts taking turns: what passed since this hart's last charge.
          const now = machine.mtimeNumber() * 100; // K.nowNs, without the calls
          if (now !== cpu.acctNs) { charge(cpu, t, (now - cpu.acctNs) / 10); cpu.acctNs = now; }
        }
        if (reason === L.EXIT_TRAP) {
          let yielded: boolean;
          if (++k.trapSample >= SYS_SAMPLE && !deterministic) {
            // Sampled system time, in the instruction units utime uses (10 ns each).
            k.trapSample = 0;
            const t0 = performance.now();
            yielded = K.handleTrap(k, cpu);
            const ms = performance.now() - t0;
            cpu.sysOwed += Math.round((ms < SYS_SAMPLE_MAX_MS ? ms : SYS_SAMPLE_MAX_MS) * 1e5 * SYS_SAMPLE);
          } else {
            yielded = K.handleTrap(k, cpu);
          }
          // A syscall that gave the CPU up after a budget of work: timers and the host get their turn now.
          if (yielded) { sinceSync = 32; break; }
        } else sinceSync = 32;
        if (cpu.current !== t || k.halted || reason !== L.EXIT_TRAP || roundInsns >= turn) break;
        if (deadline !== Infinity && K.nowNs(k) >= deadline) break;
      }
    }
    K.runTimers(k);
    if (k.halted) break;
    if (!ran) {
      // A timer that just fired may have made a task runnable: run it before idling.
      if (K.hasReadyTask(k)) continue;
      if (blk !== undefined && blk.inFlight() > 0) {
        // Every hart waits for the disk (tasks asleep in D): wait for its answer, not for time to pass.
        await diskAnswer();
        machine.syncClock();
        lastYield = performance.now();
        continue;
      }
      const next = K.nextTimerAt(k);
      const now = K.nowNs(k);
      if (instret) {
        if (next < Infinity) {
          machine.setMtime(BigInt(Math.ceil(next / 100)));
          continue;
        }
        await host.wakeIdle();
      } else if (next < Infinity) {
        const ms = Math.max(0, (next - now) / 1e6);
        await Promise.race([new Promise((r) => setTimeout(r, Math.min(ms, 50))), host.wakeIdle()]);
      } else {
        await host.wakeIdle();
      }
      // Every hart was idle: bring the clock up to date so that due timers fire.
      machine.syncClock();
      lastYield = performance.now();
      continue;
    }
    if (performance.now() - lastYield > 20) {
      await yieldToHost();
      lastYield = performance.now();
    }
  }
  // Halted (init exited, reboot(2)): what processes still alive wrote through shared mappings reaches the backing store.
  K.syncFilesystems(k);
  // ... and dirty block buffers reach the disk (halt, power off and init's exit flush everything).
  K.startSyncAll(k);
  for (let guard = 0; K.blockBusy(k) && guard < 100000; guard++) {
    if (blk !== undefined && blk.inFlight() > 0) await diskAnswer();
    if (blk !== undefined && blk.pollCompletions() > 0) K.handleExternalInterrupt(k, 0);
    K.flushJournalTimers(k); // an ext3 journal's final commit and checkpoint move on as the disk answers
    // A buffer dirtied again while its write was in flight (a disk that answers later) was passed over by the
    // sync above (its write had not ended): once the disk is idle, write what is still dirty.
    if (k.block.inflight.size === 0 && K.blockBusy(k)) K.startSyncAll(k);
    if (K.virtioBlkPoll(k) === 0 && (blk === undefined || blk.inFlight() === 0)) break;
  }
  for (const d of disks) d.backend.onCompletion?.(null);
  return { status: k.exitStatus, power: k.power };
}
