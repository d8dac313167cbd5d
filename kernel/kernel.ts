// The tsix kernel: its state (a few tables of plain data) and its main loop.
//
// The kernel is TypeScript that plays the role of S-mode software. The harts
// run user programs in U-mode on real Sv39 page tables; every exception and
// every delegated interrupt is a trap into S-mode, which the machine hands to
// us (HOST_TRAP) with scause/sepc/stval set exactly as hardware sets them. We
// handle it (kernel/trap/trap.ts) and "sret" by writing pc and the privilege.
// Time slices are enforced with the Sstc timer (stimecmp), so preemption is a
// real timer interrupt.
//
// Concepts: C01 (kernel vs user programs), C02 (user/system/idle time from
// retired instructions), C12 (timer interrupt drives preemption), C21-C23
// (PCB, states, context switch saving PC/SP).
import * as L from "../hw/core/layout.js";
import { createMachine, type Machine, type CoreExports, type ClockMode } from "../hw/machine.js";
import type { BlockBackend } from "../hw/disk.js";
import { createRegs, type Regs } from "./arch/regs.js";
import { createPhysMem, type PhysMem, PAGE_SIZE } from "./mm/phys.js";
import type { MmContext } from "./mm/mm.js";
import { createVmState } from "./mm/vmstate.js";
import { type Task, type ThreadGroup, CTX_BYTES } from "./proc/task.js";
import { createRunQueue, enqueueTask, pickNextTask, removeTask, POLICIES, type RunQueue } from "./sched/sched.js";
import { setWaker, wakeTask } from "./sched/wait.js";
import { createLog, type KernelLog } from "./log.js";
import { nowNs } from "./time/clock.js";
import { handleTrap } from "./trap/trap.js";
import type { SyscallHandler } from "./syscalls/table.js";
import { buildSyscallTable } from "./syscalls/table.js";
import { consoleTx } from "./drivers/uart.js";
import { syncFilesystems } from "./fs/mount.js";

export interface KernelOptions {
  memBytes?: number;
  cpus?: number;
  sched?: string;
  clock?: ClockMode;
  disk?: BlockBackend;
  /** Where console output goes (the host terminal). */
  consoleOut?: (bytes: Uint8Array) => void;
  /** Echo kernel log lines to the host as they are written. */
  logEcho?: (line: string) => void;
}

/** Per-hart state. */
export interface Cpu {
  id: number;
  current: Task | null;
  /** Instructions retired in user mode on this hart, and time idle (ns). */
  userInsns: number;
  idleNs: number;
  /** Estimated host time spent handling this hart's traps (sampled; C02 system time). */
  sysNs: number;
  /** Kernel time when the hart last went idle (0 while busy). */
  idleSince: number;
}

export interface KernelStats {
  syscalls: number;
  ctxSwitches: number;
  pageFaults: number;
  cowFaults: number;
  interrupts: number;
  timerTicks: number;
  bootNs: number;
}

/** A pending timed wake-up (sleeping task or an itimer); kept sorted by deadline. */
export interface KTimer { at: number; task: Task | null; fire: ((k: Kernel) => void) | null }

export interface Kernel {
  readonly machine: Machine;
  readonly core: CoreExports;
  readonly regs: Regs;
  readonly pm: PhysMem;
  readonly mmctx: MmContext;
  readonly cpus: Cpu[];
  /** The hart whose state is in the STATE block (the one being handled). */
  active: number;
  readonly rq: RunQueue;
  readonly tasks: Map<number, Task>;
  readonly groups: Map<number, ThreadGroup>;
  nextPid: number;
  readonly log: KernelLog;
  readonly stats: KernelStats;
  readonly syscalls: (SyscallHandler | undefined)[];
  /** Syscall numbers already reported as ENOSYS (logged once each). */
  readonly enosysSeen: Set<number>;
  /** Timers sorted by deadline. */
  timers: KTimer[];
  /**
   * Deferrable timers (Linux's TIMER_DEFERRABLE), sorted by deadline: they
   * fire once their time has passed while the system runs, but never wake an
   * idle system nor move the idle clock forward (housekeeping such as the
   * periodic write-back of shared mappings).
   */
  deferred: KTimer[];
  /** Realtime clock at boot (ns since the epoch) - CLOCK_REALTIME = this + now. */
  readonly realtimeBase: number;
  readonly clock: ClockMode;
  /** Console output sink. */
  readonly consoleOut: (bytes: Uint8Array) => void;
  /** Set when the kernel should stop its loop (PID 1 exited, or poweroff). */
  halted: boolean;
  exitStatus: number;
  /** Per-subsystem state, owned by the subsystem (vfs, tty, ipc, trace...). */
  readonly sub: Record<string, unknown>;
  /** Strace-like tracer hook (null = tracing off; costs one null check per syscall). */
  traceSyscall: ((t: Task, nr: number, args: number[], ret: number) => void) | null;
  /** Test hook: a syscall number whose handler throws (to test oops handling). */
  oopsSyscall: number;
  /** Counter for sampling system time (see runKernel). */
  trapSample: number;
  /** Test hook: a syscall number whose handler never returns (to test the host's watchdog). */
  hangSyscall: number;
  /** The watchdog's view of the trap in progress (trap/watch.ts), or null when no host thread watches. */
  watch: Int32Array | null;
}

/** One trap in SYS_SAMPLE is timed for system-time accounting. */
const SYS_SAMPLE = 16;

export function createKernel(module: WebAssembly.Module, opts: KernelOptions = {}): Kernel {
  const ncpus = opts.cpus ?? 1;
  const clock = opts.clock ?? "host";
  const machine = createMachine(module, {
    memBytes: opts.memBytes ?? 256 * 1024 * 1024, harts: ncpus, disk: opts.disk, clock,
    // The UART's transmitter: bytes go to the host through the console driver (batched per write).
    onUartOutput: (byte) => consoleTx(k, byte),
  });
  const core = machine.core;
  const regs = createRegs(machine.memory);
  const pm = createPhysMem(machine.ram);
  const mmctx: MmContext = {
    pm,
    vm: createVmState(),
    kernel: null,
    flushPage: (va) => core.flushTlbPageAllHarts(va),
    flushAll: () => core.flushTlbAllHarts(),
  };
  const policy = POLICIES.get(opts.sched ?? "rr");
  if (!policy) throw new Error(`unknown scheduling policy '${opts.sched}'`);
  const k: Kernel = {
    machine, core, regs, pm, mmctx,
    cpus: Array.from({ length: ncpus }, (_, id) => ({ id, current: null, userInsns: 0, idleNs: 0, sysNs: 0, idleSince: 0 })),
    active: 0,
    rq: createRunQueue(policy),
    tasks: new Map(), groups: new Map(), nextPid: 1,
    log: createLog(),
    stats: { syscalls: 0, ctxSwitches: 0, pageFaults: 0, cowFaults: 0, interrupts: 0, timerTicks: 0, bootNs: 0 },
    syscalls: buildSyscallTable(),
    enosysSeen: new Set(),
    timers: [],
    deferred: [],
    realtimeBase: Date.now() * 1e6,
    clock,
    consoleOut: opts.consoleOut ?? (() => {}),
    halted: false,
    exitStatus: 0,
    sub: {},
    traceSyscall: null,
    oopsSyscall: -1,
    trapSample: 0,
    hangSyscall: -1,
    watch: null,
  };
  mmctx.kernel = k; // a file backing's page-in calls its file system with the kernel (mm/backing.ts)
  if (opts.logEcho) k.log.echo = opts.logEcho;
  setWaker({ makeRunnable: (t) => makeRunnable(k, t) });
  for (let h = 0; h < ncpus; h++) setupHart(k, h);
  return k;
}

/** Configure a hart for running user programs under this kernel (what firmware + early boot do). */
function setupHart(k: Kernel, h: number): void {
  selectCpu(k, h);
  const c = k.core;
  c.csrWrite(0x302, 0xB3FFn);                 // medeleg: every exception from U/S goes to S
  c.csrWrite(0x303, 0x222n);                  // mideleg: S software, timer, external interrupts
  c.csrWrite(0x304, 0x222n);                  // mie: SSIE | STIE | SEIE
  c.csrWrite(0x30A, 1n << 63n);               // menvcfg.STCE: the Sstc timer drives STIP
  c.csrWrite(0x306, 7n);                      // mcounteren: cycle, time, instret readable below M
  c.csrWrite(0x106, 7n);                      // scounteren: ... and in U-mode
  c.csrWrite(0x14D, 0xffffffffffffffffn);     // stimecmp: no tick yet
  c.csrWrite(0x300, 1n << 13n);               // mstatus: FS = Initial, everything else clear
  const st = k.machine.hartState(h);
  st[L.HOST_TRAP / 8] = 1n << 1n;             // traps into S-mode come to us
  st[L.PRIV / 8] = 0n;
}

/** Make hart `h` the active one (its registers are in k.regs). */
export function selectCpu(k: Kernel, h: number): void {
  if (k.active !== h) {
    k.core.selectHart(h);
    k.active = h;
  }
}

export function allocPid(k: Kernel): number {
  for (;;) {
    const pid = k.nextPid++;
    if (k.nextPid > 4194304) k.nextPid = 2;
    if (!k.tasks.has(pid) && !k.groups.has(pid)) return pid;
  }
}

/** Put a runnable task on the ready queue (wake-ups land here). */
export function makeRunnable(k: Kernel, t: Task): void {
  if (t.cpu >= 0) return; // running on a hart already
  removeTask(k.rq, t);
  enqueueTask(k.rq, t, false, nowNs(k));
}

/** Save the active hart's user context into the task. */
function saveContext(k: Kernel, t: Task): void {
  t.ctx.set(k.regs.b.subarray(0, CTX_BYTES));
}

/** Load `t` onto the active hart: registers, address space, time slice. */
function loadContext(k: Kernel, cpu: Cpu, t: Task): void {
  k.regs.b.set(t.ctx, 0);
  const st = k.machine.hartState(cpu.id);
  st[L.PRIV / 8] = 0n;
  if (t.mm) k.core.setSatp(t.mm.root / PAGE_SIZE);
  armSlice(k, t);
}

/** Program stimecmp for the end of `t`'s time slice (or no tick at all for non-preemptive policies). */
export function armSlice(k: Kernel, t: Task): void {
  const slice = k.rq.policy.preemptive ? k.rq.policy.sliceFor(t) : 0;
  const st = k.machine.hartState(k.active);
  if (slice > 0) {
    const now = nowNs(k);
    t.sched.sliceEnd = now + slice;
    st[L.STIMECMP / 8] = BigInt(Math.ceil(t.sched.sliceEnd / 100));
  } else {
    t.sched.sliceEnd = 0;
    st[L.STIMECMP / 8] = 0xffffffffffffffffn;
  }
  const next = k.timers.length ? k.timers[0].at : Infinity;
  if (next < Infinity && BigInt(Math.ceil(next / 100)) < st[L.STIMECMP / 8]) {
    st[L.STIMECMP / 8] = BigInt(Math.ceil(next / 100));
  }
}

/**
 * Stop running `cpu.current` (it blocked, exited, or was preempted) and pick
 * the next task. A preempted task goes back on the ready queue.
 */
export function schedule(k: Kernel, cpu: Cpu, preempted: boolean): void {
  const prev = cpu.current;
  const now = nowNs(k);
  if (prev) {
    saveContext(k, prev);
    prev.cpu = -1;
    cpu.current = null;
    if (prev.state === "R") {
      if (preempted) prev.nivcsw++; else prev.nvcsw++;
      enqueueTask(k.rq, prev, preempted, now);
    } else {
      prev.nvcsw++;
    }
  }
  const next = pickNextTask(k.rq, cpu.id, now);
  if (next) {
    if (next !== prev) k.stats.ctxSwitches++;
    cpu.current = next;
    next.cpu = cpu.id;
    if (cpu.idleSince) { cpu.idleNs += now - cpu.idleSince; cpu.idleSince = 0; }
    loadContext(k, cpu, next);
  } else if (!cpu.idleSince) {
    cpu.idleSince = now;
  }
}

/**
 * Add a timer; keeps the list sorted. If it is due before the active hart's
 * next timer interrupt, that interrupt is brought forward, so a timer set by a
 * task that never traps again (alarm() then a busy loop) still fires.
 */
export function addTimer(k: Kernel, timer: KTimer): void {
  let i = k.timers.length;
  while (i > 0 && k.timers[i - 1].at > timer.at) i--;
  k.timers.splice(i, 0, timer);
  const st = k.machine.hartState(k.active);
  const at = BigInt(Math.ceil(timer.at / 100));
  if (at < st[L.STIMECMP / 8]) st[L.STIMECMP / 8] = at;
}

export function removeTimersOf(k: Kernel, t: Task): void {
  k.timers = k.timers.filter((x) => x.task !== t);
}

/** Add a deferrable timer (see Kernel.deferred). */
export function addDeferredTimer(k: Kernel, timer: KTimer): void {
  let i = k.deferred.length;
  while (i > 0 && k.deferred[i - 1].at > timer.at) i--;
  k.deferred.splice(i, 0, timer);
}

/** Fire every timer whose deadline has passed. */
export function runTimers(k: Kernel): void {
  const now = nowNs(k);
  while (k.deferred.length && k.deferred[0].at <= now) k.deferred.shift()!.fire?.(k);
  while (k.timers.length && k.timers[0].at <= now) {
    const tm = k.timers.shift()!;
    if (tm.task) {
      const t = tm.task;
      if ((t.state === "S" || t.state === "D") && t.wakeAt !== 0 && t.wakeAt <= now) {
        t.timedOut = true;
        wakeTask(t);
      }
    }
    tm.fire?.(k);
  }
}

/** Instructions per slice handed to the core between host checks. */
const BUDGET = 1 << 20;

/** Give the host's event loop one turn with what every JavaScript host has (a zero timer). */
function yieldByTimer(): Promise<void> {
  return new Promise((r) => { setTimeout(r, 0); });
}

/**
 * Run the system until it halts. Yields to the host event loop regularly
 * (`yieldToHost`, which a host may make cheaper than a timer: Node's
 * setImmediate) so that terminal input and host timers get through; when
 * every hart is idle it waits for the next timer (virtual time jumps ahead
 * in "instret" mode) or for input (`wakeIdle`).
 */
export async function runKernel(k: Kernel, wakeIdle: () => Promise<void>, yieldToHost: () => Promise<void> = yieldByTimer): Promise<number> {
  let lastYield = performance.now();
  let sinceSync = 0;
  while (!k.halted) {
    let ran = false;
    for (let c = 0; c < k.cpus.length; c++) {
      const cpu = k.cpus[c];
      if (k.halted) break;
      selectCpu(k, cpu.id);
      if (!cpu.current) schedule(k, cpu, false);
      if (!cpu.current) continue;
      ran = true;
      // Run this hart until its task leaves it, a timer may be due, or the
      // host needs a turn. Traps (syscalls, faults) are handled in place.
      const deadline = k.timers.length ? k.timers[0].at : Infinity;
      for (let burst = 0; burst < 256; burst++) {
        // The host clock is read every few traps, and always after a full slice.
        if (++sinceSync >= 32) { k.machine.syncClock(); sinceSync = 0; }
        const t: Task = cpu.current!;
        const reason = k.core.run(BUDGET);
        const n = k.core.retired();
        if (k.clock === "instret") k.machine.tickClock(n);
        t.utime += n;
        cpu.userInsns += n;
        if (reason === L.EXIT_TRAP) {
          // System time (C02) is sampled: one trap in SYS_SAMPLE is timed on
          // the host clock and charged SYS_SAMPLE times, in the instruction
          // units utime uses (10 ns each), so the common path stays cheap.
          let yielded: boolean;
          if (++k.trapSample >= SYS_SAMPLE) {
            k.trapSample = 0;
            const t0 = performance.now();
            yielded = handleTrap(k, cpu);
            const ns = (performance.now() - t0) * 1e6 * SYS_SAMPLE;
            t.stime += ns / 10;
            cpu.sysNs += ns;
          } else {
            yielded = handleTrap(k, cpu);
          }
          // A syscall that gave the CPU up after a budget of work: timers and the host get their turn now.
          if (yielded) { sinceSync = 32; break; }
        } else sinceSync = 32;
        if (cpu.current !== t || k.halted || reason !== L.EXIT_TRAP) break;
        if (deadline !== Infinity && nowNs(k) >= deadline) break;
      }
    }
    runTimers(k);
    if (k.halted) break;
    if (!ran) {
      // A timer that just fired may have made a task runnable: run it before idling.
      if (k.rq.ready.length > 0) continue;
      const next = k.timers.length ? k.timers[0].at : Infinity;
      const now = nowNs(k);
      if (k.clock === "instret") {
        if (next < Infinity) {
          k.machine.setMtime(BigInt(Math.ceil(next / 100)));
          continue;
        }
        await wakeIdle();
      } else if (next < Infinity) {
        const ms = Math.max(0, (next - now) / 1e6);
        await Promise.race([new Promise((r) => setTimeout(r, Math.min(ms, 50))), wakeIdle()]);
      } else {
        await wakeIdle();
      }
      // Every hart was idle: bring the clock up to date so that due timers fire.
      k.machine.syncClock();
      lastYield = performance.now();
      continue;
    }
    if (performance.now() - lastYield > 20) {
      await yieldToHost();
      lastYield = performance.now();
    }
  }
  // Halted (init exited, poweroff): what processes still alive wrote through shared mappings reaches the backing store.
  syncFilesystems(k);
  return k.exitStatus;
}

