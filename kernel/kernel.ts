// The tsix kernel: its state (a few tables of plain data), the context
// switch and the timers. The run loop that drives the harts is the vmm's
// (vmm/run.ts); hosts reach the kernel through kernel/index.ts.
//
// The kernel is TypeScript that plays the role of S-mode software. The harts
// run user programs in U-mode on real Sv39 page tables; every exception and
// every delegated interrupt is a trap into S-mode, which the machine hands to
// us (HOST_TRAP) with scause/sepc/stval set exactly as hardware sets them. We
// handle it (kernel/trap/trap.ts) and "sret" by writing pc and the privilege.
// Time slices are enforced with the Sstc timer (stimecmp), so preemption is a
// real timer interrupt. Scheduling (the context switch, run queues, slices)
// is kernel/sched/core.ts; timers are kernel/time/timer.ts, fired by
// kernel/timers.ts; the loop here calls them.
//
// Concepts: C01 (kernel vs user programs), C02 (user/system/idle time from
// retired instructions), C12 (timer interrupt drives preemption), C21-C22
// (PCB, states).
import * as L from "../hw/core/layout.js";
import type { Machine, CoreExports, ClockMode } from "../hw/machine.js";
import type { HostNet } from "./net/inet_types.js";
import { createRegs, type Regs } from "./arch/regs.js";
import { createPhysMem, type PhysMem } from "./mm/phys.js";
import type { MmContext } from "./mm/mm.js";
import type { Task, ThreadGroup } from "./proc/task.js";
import { createRunQueue, defaultSchedSettings, POLICIES, DEFAULT_POLICY, type RunQueue, type SchedSettings } from "./sched/sched.js";
import type { KTimer } from "./time/timer.js";
import { createVmState } from "./mm/vmstate.js";
import { createLog, type KernelLog } from "./log.js";
import { createVfsState, type VfsState } from "./fs/mount.js";
import { createSysctl, type Sysctl } from "./fs/proc/sys.js";
import { createSysInfo, type SysInfo } from "./lib/sysinfo.js";
import { createTtyState, type TtyState } from "./tty/tty.js";
import { createIpcState, type IpcState } from "./ipc/futex.js";
import { registerMqueueFs } from "./ipc/mqueue.js";
import { registerDevpts } from "./tty/pty.js";
import { createNetState, type NetState } from "./net/unix.js";
import { createDriverState, type DriverState } from "./drivers/irq.js";
import { createSyslogState, type SyslogState } from "./fs/proc/kmsg.js";
import { createLoadavgState, type LoadavgState } from "./fs/proc/loadavg.js";
import type { PsiState } from "./sched/psi.js";
import { REPLACEMENT_POLICIES, replacementPolicyIndex } from "./mm/replace.js";
import { createSchedReportState, type SchedReportState } from "./sched/report.js";
import type { Tracepoints } from "./trace/tracepoint.js";
import type { HostFs } from "./fs/hostfs/hostfs.js";
import type { SyscallHandler } from "./syscalls/args.js";
import { buildSyscallTable } from "./syscalls/table.js";
import { writeSchedSysctl, checkSchedSysctl } from "./fs/proc/sys.js";
import { createEntropy, type EntropyState } from "./lib/random.js";
import { createBlockState, type BlockState } from "./block/blkdev.js";

/**
 * What the kernel is given besides its machine (which the vmm creates, vmm/vmm.ts).
 */
export interface KernelOptions {
  sched?: string;
  /** Page replacement policy of frame budgets (mm/replace.ts; `tsix run --mm-policy`). */
  mmPolicy?: string;
  /** Scheduler settings to apply at boot, as NAME=VALUE pairs of /proc/sys/kernel (`tsix run --sysctl`). */
  sysctl?: [string, string][];
  /**
   * Deterministic mode (C84): the random pool is seeded with `seed` instead
   * of the host's generator, and no host time reaches the guest (the boot
   * log's host timings are left out). The vmm pairs it with the instret
   * clock and a fixed RTC epoch.
   */
  deterministic?: boolean;
  /** The seed of the random pool in deterministic mode (default 0). */
  seed?: number;
  /** Where console output goes (the host terminal). */
  consoleOut?: (bytes: Uint8Array) => void;
  /** Echo kernel log lines to the host as they are written. */
  logEcho?: (line: string) => void;
}

/** Fresh host attachments: the console sink and log echo from `opts`, nothing else attached yet. */
export function createHostHooks(opts: Pick<KernelOptions, "consoleOut" | "logEcho">): HostHooks {
  return {
    consoleOut: opts.consoleOut ?? (() => {}), logEcho: opts.logEcho ?? null, traceSyscall: null,
    tracepoints: null, stdio: null, hostDirs: new Map(), watch: null,
  };
}

/** A hart's scheduler statistics, as Linux's struct rq keeps them for /proc/schedstat (version 15). */
export interface CpuSchedstat {
  /** sched_yield calls (yld_count). */
  yld: number;
  /** schedule() calls (sched_count). */
  sched: number;
  /** schedule() calls that left the hart idle (sched_goidle). */
  goidle: number;
  /** Wake-ups that queued a task here (ttwu_count), and those of them done by this hart itself (ttwu_local). */
  ttwu: number;
  ttwuLocal: number;
  /** Time tasks waited runnable in this hart's queue before they ran (run_delay, ns), and the time slices run here (pcount). */
  runDelayNs: number;
  pcount: number;
}

/** Per-hart state. */
export interface Cpu {
  id: number;
  current: Task | null;
  /**
   * User time charged on this hart, in 10 ns units (the unit of Task.utime),
   * and time idle (ns). CPU time is time on the kernel clock while the hart
   * held a task (vmm/run.ts charges it), so user + system + idle never
   * exceeds the elapsed time, however fast the host runs the core.
   */
  userInsns: number;
  idleNs: number;
  /** Estimated host time spent handling this hart's traps (sampled; C02 system time), as charged. */
  sysNs: number;
  /** Kernel time (ns) up to which this hart's busy time has been charged to its tasks. */
  acctNs: number;
  /** Sampled system time (10 ns units) not yet taken out of the busy time: it is charged as stime instead of utime. */
  sysOwed: number;
  /** Bytes the syscall in progress on this hart has copied (sched/budget.ts chargeWork); the instret clock charges them when it returns. */
  workBytes: number;
  /** The user, system and idle ticks /proc/stat last showed for this hart: what it shows never goes back (top takes differences). */
  shownUser: number;
  shownSystem: number;
  shownIdle: number;
  /** The counters of this hart's line in /proc/schedstat (kernel/sched/core.ts counts them). */
  schedstat: CpuSchedstat;
  /** Kernel time when the hart last went idle (0 while busy). */
  idleSince: number;
  /** This hart's run queue (owned by kernel/sched/core.ts; nothing else reads it). */
  readonly rq: RunQueue;
  /** A wake-up asked to preempt the task running here (set by the class's check_preempt_curr). */
  needResched: boolean;
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

export type { KTimer } from "./time/timer.js";

/**
 * What the host attaches to a kernel: functions and host objects the kernel
 * calls out to. Everything here is host-side, not kernel state: a snapshot
 * skips this record and the restoring host attaches its own (a console
 * sink, the host directories of --mount by their source names, its tracers).
 * Nothing else under k holds a function value (see
 * test/kernel/state/plain-data.test.ts).
 */
export interface HostHooks {
  /** Console output sink (the host terminal). */
  consoleOut: (bytes: Uint8Array) => void;
  /** Echo of each kernel log line to the host (--verbose, tests), or null. */
  logEcho: ((line: string) => void) | null;
  /** Strace-like tracer hook (null = tracing off; costs one null check per syscall). */
  traceSyscall: ((t: Task, nr: number, args: number[], ret: number) => void) | null;
  /** Tracepoint subscribers (host observers; trace/tracepoint.ts), null until one subscribes. */
  tracepoints: Tracepoints | null;
  /** The host's stdout and stderr when PID 1's stdio is the host's (drivers/hostio.ts). */
  stdio: { out: (bytes: Uint8Array) => void; err: (bytes: Uint8Array) => void } | null;
  /** Host directories the guest may mount by source name (mount -t hostfs SOURCE DIR). */
  hostDirs: Map<string, HostFs>;
  /** The watchdog's view of the trap in progress (trap/watch.ts; shared with a host thread), or null when none watches. */
  watch: Int32Array | null;
  /** User-mode networking's host side (`tsix run --net user`), or null: then only lo exists. */
  net?: HostNet | null;
}

export interface Kernel {
  readonly machine: Machine;
  readonly core: CoreExports;
  readonly regs: Regs;
  readonly pm: PhysMem;
  readonly mmctx: MmContext;
  readonly cpus: Cpu[];
  /** The scheduler's settings (kernel/sched/class.ts; /proc/sys/kernel/sched_*). */
  schedSettings: SchedSettings;
  /** The hart whose state is in the STATE block (the one being handled). */
  active: number;
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
  /** Realtime clock at boot (ns since the epoch, read from the RTC) - CLOCK_REALTIME = this + now. */
  readonly realtimeBase: number;
  /**
   * What clock_settime/settimeofday added to CLOCK_REALTIME (ns; 0 until
   * root sets the time). The guest's own setting: the host clock is never
   * touched, and it survives a snapshot while realtimeBase is re-read.
   */
  realtimeOffset: number;
  readonly clock: ClockMode;
  /** Deterministic mode: no host time or host randomness reaches the guest (see KernelOptions). */
  readonly deterministic: boolean;
  /** The random pool (getrandom, /dev/urandom, AT_RANDOM). */
  readonly entropy: EntropyState;
  /**
   * What reboot(2) asked for: the kernel stops its loop (halted) and the vmm
   * powers off, halts or builds a new machine ("restart"). null: not asked.
   */
  power: "poweroff" | "halt" | "restart" | null;
  /** reboot(2) LINUX_REBOOT_CMD_CAD_ON/OFF: whether Ctrl-Alt-Del reboots at once (Linux's C_A_D). */
  cadReboot: boolean;
  /** Host attachments (functions the host gives the kernel); not kernel state. */
  readonly host: HostHooks;
  /** Set when the kernel should stop its loop (PID 1 exited, or poweroff). */
  halted: boolean;
  exitStatus: number;
  // Per-subsystem state: each a plain-data record owned by its subsystem, made at boot.
  /** Numeric settings of /proc/sys (fs/proc/sys.ts). */
  readonly sysctl: Sysctl;
  /** uname fields, the command line, the boot id (lib/sysinfo.ts). */
  readonly sysinfo: SysInfo;
  /** Mounts, file-system types, devices, internal mounts, locks (fs/mount.ts). */
  readonly vfs: VfsState;
  /** Terminals (tty/tty.ts). */
  readonly tty: TtyState;
  /** Futexes (ipc/futex.ts). */
  readonly ipc: IpcState;
  /** AF_UNIX sockets: abstract names, live sockets (net/unix.ts). */
  readonly net: NetState;
  /** Console UART, host stdio, interrupt routing (drivers/irq.ts). */
  readonly drivers: DriverState;
  /** The syslog(2) and /proc/kmsg reader (fs/proc/kmsg.ts). */
  readonly syslog: SyslogState;
  /** Block devices, requests in flight and the buffer cache (block/blkdev.ts, block/buffer.ts). */
  readonly block: BlockState;
  /** Load averages (fs/proc/loadavg.ts). */
  readonly loadavg: LoadavgState;
  /** Pressure stall information (sched/psi.ts), made on first use. */
  psi?: PsiState;
  /** Rows of exited tasks for the per-task scheduling report (sched/report.ts). */
  readonly schedReport: SchedReportState;
  /** The signal trampoline's frame (signal/frame.ts), 0 until first needed. */
  vdsoFrame: number;
  /** Test hook: a syscall number whose handler throws (to test oops handling). */
  oopsSyscall: number;
  /** Counter for sampling system time (see the run loop, vmm/run.ts). */
  trapSample: number;
  /** Test hook: a syscall number whose handler never returns (to test the host's watchdog). */
  hangSyscall: number;
}

/**
 * A kernel for `machine` (created by the vmm, vmm/vmm.ts, which also routes
 * the UART's transmitted bytes to consoleTx). The harts are set up for
 * running user programs; bootKernel (boot.ts) then starts PID 1.
 */
export function createKernel(machine: Machine, opts: KernelOptions = {}): Kernel {
  const ncpus = machine.harts;
  const clock = machine.clock;
  const core = machine.core;
  const regs = createRegs(machine.memory);
  const pm = createPhysMem(machine.ram);
  const mmctx: MmContext = {
    pm,
    vm: createVmState(),
    kernel: null,
  };
  const policy = opts.sched ?? DEFAULT_POLICY;
  if (!POLICIES.has(policy)) throw new RangeError(`unknown scheduling policy '${policy}' (choose ${[...POLICIES.keys()].join(", ")})`);
  const schedSettings = defaultSchedSettings();
  const k: Kernel = {
    machine, core, regs, pm, mmctx,
    cpus: Array.from({ length: ncpus }, (_, id) => ({ id, current: null, userInsns: 0, idleNs: 0, sysNs: 0, acctNs: 0, sysOwed: 0, workBytes: 0, shownUser: 0, shownSystem: 0, shownIdle: 0,
      schedstat: { yld: 0, sched: 0, goidle: 0, ttwu: 0, ttwuLocal: 0, runDelayNs: 0, pcount: 0 }, idleSince: 0, rq: createRunQueue(id, policy, schedSettings.balanceIntervalNs), needResched: false })),
    active: 0,
    tasks: new Map(), groups: new Map(), nextPid: 1,
    log: createLog(),
    stats: { syscalls: 0, ctxSwitches: 0, pageFaults: 0, cowFaults: 0, interrupts: 0, timerTicks: 0, bootNs: 0 },
    syscalls: buildSyscallTable(),
    enosysSeen: new Set(),
    timers: [],
    deferred: [],
    realtimeBase: readRtcNs(machine) - machine.mtimeNumber() * 100,
    realtimeOffset: 0,
    clock,
    deterministic: opts.deterministic ?? false,
    entropy: createEntropy(opts.deterministic ? opts.seed ?? 0 : null),
    power: null,
    cadReboot: true,
    host: createHostHooks(opts),
    halted: false,
    exitStatus: 0,
    sysctl: createSysctl(pm.frames),
    schedSettings,
    sysinfo: createSysInfo(),
    vfs: createVfsState(),
    tty: createTtyState(),
    ipc: createIpcState(),
    net: createNetState(),
    drivers: createDriverState(),
    syslog: createSyslogState(),
    block: createBlockState(machine.memBytes),
    loadavg: createLoadavgState(),
    schedReport: createSchedReportState(),
    vdsoFrame: 0,
    oopsSyscall: -1,
    trapSample: 0,
    hangSyscall: -1,
  };
  mmctx.kernel = k; // a file backing's page-in calls its file system with the kernel (mm/backing.ts)
  for (let h = 0; h < ncpus; h++) setupHart(k, h);
  registerMqueueFs(k); // mount -t mqueue; vfsInit mounts it on /dev/mqueue (fs/ cannot name ipc/ code)
  registerDevpts(k); // mount -t devpts and /dev/ptmx; vfsInit mounts it on /dev/pts (tty/pty.ts)
  for (const [name, value] of opts.sysctl ?? []) {
    if (writeSchedSysctl(k, name, value) < 0) throw new RangeError(`sysctl ${name}=${value}: ${checkSchedSysctl(name, value) ?? "rejected"}`);
  }
  if (opts.mmPolicy !== undefined) {
    const i = replacementPolicyIndex(opts.mmPolicy);
    if (i < 0) throw new RangeError(`unknown replacement policy '${opts.mmPolicy}' (choose ${REPLACEMENT_POLICIES.join(", ")})`);
    mmctx.vm.replacementPolicy = i;
  }
  return k;
}

/** The wall clock from the RTC (goldfish: TIME_LOW latches TIME_HIGH), as a kernel reads it at boot (and at resume). */
export function readRtcNs(machine: Machine): number {
  const lo = machine.bus.read(L.RTC_BASE, 4);
  const hi = machine.bus.read(L.RTC_BASE + 4, 4);
  return hi * 4294967296 + lo;
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

