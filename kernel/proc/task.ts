// The process control block. A Task is one thread of execution (Linux's
// task_struct): saved registers, state, scheduling entity, signal mask. A
// ThreadGroup is the process (what has a PID): parent and children, process
// group and session, credentials, signal handlers, exit status. Both are
// plain data in the kernel's tables; nothing here holds a closure or promise.
//
// Concepts: C21 (PCB and process table), C22 (states), C25/C26 (parent,
// process group, session), C27 (credentials), C33 (threads share an mm).
import type { Kernel } from "../kernel.js";
import type { MM } from "../mm/mm.js";
import type { FdTable, FsContext, File } from "../fs/vfs.js";
import type { WaitQueue } from "../sched/wait.js";
import type { SigInfo } from "../signal/signal.js";
import type { IntervalTimer } from "../time/hrtimer.js";

/** Task states, spelled as `ps` shows them. */
export type TaskState =
  | "R"  // runnable or running
  | "S"  // sleeping (interruptible) on a wait queue
  | "D"  // uninterruptible sleep (disk I/O)
  | "T"  // stopped by a signal
  | "Z"  // zombie: exited, not yet reaped
  | "X"; // dead (reaped; about to disappear)

/** Bytes of saved user context: x0-x31, f0-f31, pc, priv, fcsr (the start of the hart state block). */
export const CTX_BYTES = 536;

export interface Creds {
  uid: number; euid: number; suid: number; fsuid: number;
  gid: number; egid: number; sgid: number; fsgid: number;
  groups: number[];
}

export interface SigAction {
  handler: number;   // SIG_DFL = 0, SIG_IGN = 1, or a user address
  flags: number;
  mask: bigint;
  restorer: number;
}

/** Signal handlers, shared by the threads of a process (CLONE_SIGHAND). */
export interface SigHand {
  actions: SigAction[]; // index = signal number (1..64)
  /** signalfd readers and pollers of the process sleep here (fs/signalfd.ts; made on first use, Linux's signalfd_wqh). */
  signalfdWait?: WaitQueue;
}

export interface Rlimit { cur: number; max: number }

/** A POSIX timer (timer_create): its clock and interval timer, how it notifies, and its overrun bookkeeping. */
export interface PosixTimer {
  id: number;
  /** The clock: a wall clock id, or an encoded CPU-time clock (negative: process or one thread). */
  timer: IntervalTimer;
  /** SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD_ID (SIGEV_THREAD is glibc's, over SIGEV_THREAD_ID). */
  notify: number;
  signo: number;
  /** sigev_value (the sigval's 64 bits as a number). */
  sigval: number;
  /** SIGEV_THREAD_ID: the thread the signal goes to. */
  tid: number;
  /** Bumped at every settime/delete: a kernel timer of an older arming is stale. */
  gen: number;
  /** The siginfo last queued: while it is still pending, expirations add to its si_overrun instead of queuing again. */
  info: SigInfo | null;
  /** si_overrun of the signal delivered before `info` (timer_getoverrun while `info` is still pending). */
  overrunLast: number;
}

/** An interval timer (setitimer): ITIMER_REAL counts kernel time, VIRTUAL/PROF count CPU time. */
export interface ITimer {
  /** When it expires, in its clock: kernel time (REAL) or the process's CPU time (VIRTUAL/PROF), ns; 0 = disarmed. */
  value: number;
  /** Reload value in ns (0 = one shot). */
  interval: number;
  /** Bumped on every (re)arm so that a stale kernel timer knows it is stale. */
  gen: number;
}

/** Resource usage of threads that have exited (a process's own total = live threads + this). */
/**
 * Progress a syscall keeps across its reruns (Linux's restart_block), tagged
 * by the syscall family that owns it. Deadlines are kernel time in ns (0 = none).
 */
export type RestartBlock =
  /** nanosleep, clock_nanosleep: the wake-up time stays fixed across restarts. */
  | { kind: "sleep"; deadline: number }
  /** ppoll, pselect6, epoll_pwait: which call, and its deadline. */
  | { kind: "poll"; nr: number; deadline: number }
  /** FUTEX_WAIT(_BITSET) asleep on the futex queue. */
  | { kind: "futex_wait"; deadline: number }
  /** futex_waitv asleep on the queues of all its futexes (kernel/ipc/futex_waitv.ts). */
  | { kind: "futex_waitv"; deadline: number }
  /** rt_sigsuspend: the temporary mask is installed. */
  | { kind: "sigsuspend" }
  /** rt_sigtimedwait asleep until a signal of its set or the deadline. */
  | { kind: "sigtimedwait"; deadline: number }
  /** clone(CLONE_VFORK): the parent waits for this child to exec or exit. */
  | { kind: "vfork"; child: number }
  /**
   * msgsnd, msgrcv, semop/semtimedop asleep on System V object `id`
   * (kernel/ipc/msg.ts, sem.ts): a rerun that finds the object gone returns
   * EIDRM; a semop's deadline stays and the semaphore it waits on
   * (GETNCNT/GETZCNT count it) is `semNum`, for a decrease or for zero.
   */
  | { kind: "sysv"; nr: number; id: number; deadline: number; semNum: number; semZero: boolean }
  /** A terminal read with a VTIME timer running. */
  | { kind: "tty_read"; deadline: number }
  /** FLUSH requests `ids` the syscall waits for (block/buffer.ts): to whole disk `disk`, or to every disk (-1, sync). */
  | { kind: "blk_flush"; disk: number; ids: number[] };

export interface Acct {
  /** Instructions retired in user / system mode. */
  utime: number;
  stime: number;
  minFlt: number;
  majFlt: number;
  nvcsw: number;
  nivcsw: number;
  /** Peak resident set, in pages. */
  maxRss: number;
}

/** A thread blocked in FUTEX_WAIT: the word it waits on and its wake-up state. */
export interface FutexWaiter {
  /** "m<mm root>:<va>" for a private word, "s<physical address>" for a shared one. */
  key: string;
  bitset: number;
  /** Set by FUTEX_WAKE (the restarted syscall then returns 0). */
  woken: boolean;
  /** futex_waitv: the key of every futex (`key` is the first); the task sits on each one's queue. */
  keys?: string[];
  /** futex_waitv: the index in `keys` of the futex whose wake-up woke it. */
  index?: number;
}

/**
 * A read/write-family syscall that has moved part of its data and will run
 * again: it slept (a pipe write larger than the pipe) or gave the CPU up
 * after its budget of work (kernel/syscalls/fs_rw.ts). The rerun carries on
 * from `done`; `nr`, `fd` and the open file tell a rerun from a new call (a
 * descriptor that another thread closed and reopened meanwhile starts afresh).
 */
export interface IoProgress { nr: number; fd: number; file: File; done: number }

/**
 * Per-task scheduling data (Linux's sched_entity and the policy fields of
 * task_struct); policies keep their own fields here. All numbers: times are
 * ns of kernel time. kernel/sched/ keeps them; /proc/PID/sched shows them.
 */
export interface SchedEntity {
  policy: number;        // SCHED_OTHER / SCHED_FIFO / SCHED_RR / SCHED_BATCH / SCHED_IDLE
  nice: number;
  /** sched_priority of SCHED_FIFO / SCHED_RR (1..99, higher runs first); 0 otherwise. */
  rtPriority: number;
  /** SCHED_RESET_ON_FORK: children start as SCHED_OTHER with nice >= 0 (1) or inherit (0). */
  resetOnFork: number;
  /** Kernel time (ns) at which the current time slice ends (0 = none). */
  sliceEnd: number;
  /**
   * SCHED_RR: what is left of the quantum (ns) when the task left the CPU
   * before using it up (preempted, blocked, yielded); 0 = a full quantum at
   * its next turn; -1 while it runs on a slice its previous policy armed.
   * Linux refills p->rt.time_slice only when it runs out.
   */
  rrLeft: number;
  /** CFS virtual runtime: ns of CPU weighted by 1024/weight(nice) (kernel/sched/fair.ts). */
  vruntime: number;
  /** When the task last became runnable (queued), for wait time and aging. */
  enqueuedAt: number;
  /** Total time spent runnable but waiting for a CPU (ns). */
  waitTime: number;
  /** CPU time (ns) in total, and when it last went on a CPU (its running time is charged from there). */
  sumExec: number;
  execStart: number;
  /** sumExec when it was last picked (what it has run of this turn = sumExec - prevSumExec). */
  prevSumExec: number;
  /** CPU time of the burst in progress (since it last became runnable after blocking), ns. */
  burstRun: number;
  /** Length of the last complete CPU burst (ns). */
  lastBurst: number;
  /** SJF/SRTF prediction of the next burst (ns); -1 = none yet (kernel.sched_sjf_tau0_ms applies). */
  burstEstimate: number;
  /** MLFQ level (0 = top) and the boost period in which it was set (kernel/sched/mlfq.ts). */
  mlfqLevel: number;
  mlfqPeriod: number;
  /** Times it moved to another hart (se.nr_migrations). */
  nrMigrations: number;
  /** 1 until it is first queued (fork, spawn): CFS starts it at the queue's min vruntime. */
  isNew: number;
  /** CPUs this task may run on (bit mask). */
  affinity: number;
  /** The hart whose run queue holds this task (-1: on none; kernel/sched/core.ts keeps it). */
  rq: number;
  /** The hart it last ran on (wake-up placement prefers it: its caches are warm there). */
  lastCpu: number;
  // The per-task report (kernel/sched/report.ts, C30's criteria; its CPU time is sumExec), in ns of kernel time:
  /** When the task was first made runnable (its arrival), -1 before. */
  arrivalNs: number;
  /** When it first got a CPU (response time = firstRunNs - arrivalNs), -1 before. */
  firstRunNs: number;
  /** When it exited (turnaround time = completionNs - arrivalNs), -1 while it lives. */
  completionNs: number;
}

/** A stop a tracee will enter when it is next resumed (an event before its syscall-exit stop). */
export interface PtraceQueuedStop { status: number; kind: PtraceStopKind; msg: number }

/** What a ptrace-stop is; "group" is a group-stop (SIGSTOP and co.) seen by the tracer. */
export type PtraceStopKind = "signal" | "syscall-entry" | "syscall-exit" | "event" | "group" | "none";

/**
 * A traced thread (proc/ptrace.ts): who traces it, the options, and the
 * ptrace-stop it is in. Threads are traced one by one, as on Linux (a tracee
 * is a task); plain data like the rest of the task.
 */
export interface PtraceState {
  /** Thread-group id of the tracer. */
  tracer: number;
  /** Attached with PTRACE_SEIZE (no SIGSTOP at attach; PTRACE_INTERRUPT and EVENT_STOP). */
  seized: boolean;
  options: number;
  /** Resumed with PTRACE_SYSCALL: stop at the next syscall entry and exit. */
  syscallTrace: boolean;
  /** Between the syscall-entry stop (or an untraced entry) and the end of that syscall. */
  inSyscall: boolean;
  /** The syscall-entry stop was taken: the ecall reruns and must not stop again. */
  entryTaken: boolean;
  /** In a ptrace-stop (the thread is in state T until the tracer resumes it). */
  stopped: boolean;
  /** PTRACE_LISTEN: left in its group-stop, out of the ptrace-stop until SIGCONT or PTRACE_INTERRUPT traps it again. */
  listening: boolean;
  kind: PtraceStopKind;
  /** The wait4 status of the stop, and whether the tracer collected it. */
  status: number;
  reported: boolean;
  /** The signal of a signal-delivery-stop (PTRACE_GETSIGINFO). */
  siginfo: SigInfo | null;
  /** A signal the tracer passed on resume: delivered without stopping again. */
  inject: SigInfo | null;
  /** PTRACE_GETEVENTMSG. */
  eventMsg: number;
  /** Stops to enter, in order, when resumed (an exec or fork event, then the syscall-exit stop). */
  queued: PtraceQueuedStop[];
  /** The syscall the tracee is in, for PTRACE_GET_SYSCALL_INFO: number, arguments, result. */
  sysNr: number;
  sysArgs: number[];
  sysRet: number;
  /** The PTRACE_EVENT_EXIT stop was taken: exit's ecall runs for good next time. */
  exitEventTaken: boolean;
  /**
   * A signal interrupted the syscall and its exit stop (-ERESTART*) was
   * reported (signal.ts): when the syscall restarts, the rerun is a new call
   * for the tracer and stops at its entry again.
   */
  restartEntry?: boolean;
  /**
   * The syscall's a0 (low and high words) while the exit stop of an
   * interrupted syscall shows the restart code in a0; put back when the
   * tracer lets the task run, so a restart sees its argument again.
   */
  restoreA0?: number[] | null;
}

/**
 * A process some of whose threads are traced (all by one tracer here): what
 * belongs to the process, not to a thread - its exit, which goes to the
 * tracer first, and the exits of traced threads not yet collected.
 */
export interface PtraceGroup {
  /** Thread-group id of the tracer. */
  tracer: number;
  /** The process exited: its status went to the tracer (the real parent may reap it now). */
  exitReported: boolean;
  /** Traced threads that exited while the process lives on: wait4 reports each once (tid, status). */
  threadExits: { tid: number; status: number }[];
}

export interface ThreadGroup {
  /** Some thread is traced by another process (PTRACE_TRACEME, ATTACH, SEIZE, or followed through fork), else null/absent. */
  ptrace?: PtraceGroup | null;
  pid: number;
  parent: ThreadGroup | null;
  children: Set<ThreadGroup>;
  threads: Task[];
  pgid: number;
  sid: number;
  creds: Creds;
  sighand: SigHand;
  /** Signals sent to the process as a whole (any thread may take them). */
  sharedPending: bigint;
  rlimits: Rlimit[];
  comm: string;
  /** Path of the executable (/proc/PID/exe). */
  exe: string;
  cmdline: string[];
  environ: string[];
  /** personality(2) flags (ADDR_NO_RANDOMIZE, ...), inherited across fork and exec; absent: PER_LINUX (0). */
  personality?: number;
  /** Exit status as wait4 reports it, once the group has exited. */
  exitStatus: number | null;
  zombie: boolean;
  /** Job control: stopped by a signal, and whether the parent has been told. */
  stopped: boolean;
  stopSignal: number;
  stopReported: boolean;
  continuedReported: boolean;
  /** Signal sent to the parent on exit (SIGCHLD for fork). */
  exitSignal: number;
  /** Accounted time of exited, reaped children (for getrusage/times). */
  cutime: number;
  cstime: number;
  startTime: number;
  /** The controlling terminal (an opaque tty id), or 0. */
  tty: number;
  /** Parent-death signal (prctl PR_SET_PDEATHSIG). */
  pdeathSig: number;
  /** Woken when a child changes state (wait4 sleeps here). */
  childWait: WaitQueue;
  oomScoreAdj: number;
  /**
   * The lowest oom_score_adj an unprivileged writer may set (Linux's
   * signal->oom_score_adj_min): the last value a CAP_SYS_RESOURCE writer set.
   */
  oomScoreAdjMin: number;
  /** Queued siginfo of the signals in sharedPending (oldest first; real-time signals queue). */
  sigq: SigInfo[];
  /** The process called execve since fork (setpgid on it then fails with EACCES). */
  didExec: boolean;
  /** The thread group is exiting (exit_group or a fatal signal): other threads die at their next trap. */
  exiting: boolean;
  /** A thread in execve is killing its siblings (de_thread): they exit alone, not the group. */
  execer: Task | null;
  /** Woken when a thread of the group exits (de_thread waits here). */
  threadExit: WaitQueue;
  /** ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF. */
  itimers: ITimer[];
  /** POSIX timers (timer_create; syscalls/posix_timers.ts): per process, none after fork or exec. */
  posixTimers: PosixTimer[];
  /** The id the next timer_create gives (ids are never reused within a process, so a stale kernel timer finds nothing). */
  posixTimerNext: number;
  /** Usage of this process's threads that have already exited. */
  acct: Acct;
  /** Usage of reaped children (and their reaped children): RUSAGE_CHILDREN. */
  cacct: Acct;
}

export interface Task {
  /** This thread is traced (proc/ptrace.ts), else null/absent. */
  ptrace?: PtraceState | null;
  tid: number;
  tg: ThreadGroup;
  mm: MM | null;
  files: FdTable;
  fs: FsContext;
  state: TaskState;
  /** Saved user registers while not on a hart (CTX_BYTES). */
  ctx: Uint8Array;
  /** The hart running this task, or -1. */
  cpu: number;
  /** Blocked signals. */
  sigmask: bigint;
  /** Signals pending for this thread only. */
  pending: bigint;
  /** Mask to restore after rt_sigsuspend / pselect returns (or null). */
  savedSigmask: bigint | null;
  altStack: { sp: number; size: number; flags: number };
  /** The wait queue this task sleeps on, if any. */
  waitingOn: WaitQueue | null;
  /** Kernel time (ns) at which a timed sleep ends, or 0. */
  wakeAt: number;
  /** Set when a timed sleep expired (the restarted syscall sees ETIMEDOUT). */
  timedOut: boolean;
  /** Set when a signal interrupted a sleep. */
  interrupted: boolean;
  clearChildTid: number;
  robustList: number;
  /** Time in user and system mode, in instructions retired (C02). */
  utime: number;
  stime: number;
  nvcsw: number;
  nivcsw: number;
  minFlt: number;
  majFlt: number;
  sched: SchedEntity;
  /** What a restarting syscall keeps between its runs (Linux's restart_block), or null. */
  restart: RestartBlock | null;
  /** Bytes already moved by a read/write that reruns (null when none is in progress). */
  io: IoProgress | null;
  /** vfork parent waits until this child execs or exits. */
  vforkDone: WaitQueue | null;
  comm: string;
  /** The syscall in progress when a signal arrives: number, ecall pc and original a0 (for SA_RESTART). */
  sysNr: number;
  sysPc: number;
  sysA0Lo: number;
  sysA0Hi: number;
  /**
   * The restart code (ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND,
   * ERESTART_RESTARTBLOCK; abi/errno.ts) the syscall in progress returned
   * when it slept or saw a signal; signal delivery decides by it whether the
   * syscall restarts or fails with EINTR. 0 when none.
   */
  sysRestart: number;
  /**
   * The syscall went to sleep when it last returned its restart code: if a
   * signal wakes it, it reruns once before the signal is delivered, to see
   * the signal and write what it must (nanosleep's time left, a partial
   * count), as a Linux syscall does on its way out.
   */
  sysSlept: boolean;
  /**
   * The syscall restart_syscall(2) continues (Linux's restart_block.fn): set
   * when an ERESTART_RESTARTBLOCK call restarts with no handler run, and a7
   * became __NR_restart_syscall (signal.ts restartAsRestartSyscall); 0 when
   * none.
   */
  restartNr: number;
  /** Queued siginfo of the signals in `pending` (oldest first). */
  sigq: SigInfo[];
  /** Signals rt_sigtimedwait waits for: they wake the task although blocked. */
  sigwaitSet: bigint;
  /** Set while blocked in FUTEX_WAIT. */
  futex: FutexWaiter | null;
  /** An uninterruptible sleep that SIGKILL may still end (vfork parent). */
  killable: boolean;
  /**
   * A fatal signal's exit waiting behind a PTRACE_EVENT_EXIT stop (its
   * deliverSignals result): once the tracer resumes (or lets go of) the
   * task, deliverSignals returns it first and the task dies as it would
   * have. Null/absent otherwise.
   */
  fatalPending?: number | null;
  /**
   * The task's sleep waits for a swap read (mm/swap.ts sets it; the wake-up
   * clears it): PSI counts that D as a memory stall, not as I/O (Linux's
   * in_memstall).
   */
  inMemstall: boolean;
  /** What PSI counts this task as now (sched/psi.ts: TSK_IOWAIT, TSK_MEMSTALL, or 0). */
  psiFlags: number;
  /**
   * A kernel thread's body (sched/kthread.ts: KTHREAD_*), absent or 0 for a
   * user task. A kernel thread has no mm and no user context: when the
   * scheduler picks it, its body runs in kernel context on that hart.
   */
  kthread?: number;
}

export function emptyAcct(): Acct {
  return { utime: 0, stime: 0, minFlt: 0, majFlt: 0, nvcsw: 0, nivcsw: 0, maxRss: 0 };
}

export function rootCreds(): Creds {
  return { uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, groups: [] };
}

export function addAcct(to: Acct, from: Acct): void {
  to.utime += from.utime; to.stime += from.stime; to.minFlt += from.minFlt; to.majFlt += from.majFlt;
  to.nvcsw += from.nvcsw; to.nivcsw += from.nivcsw; to.maxRss = Math.max(to.maxRss, from.maxRss);
}

/** Resource usage of one thread so far. */
export function taskUsage(t: Task): Acct {
  return {
    utime: t.utime, stime: t.stime, minFlt: t.minFlt, majFlt: t.majFlt, nvcsw: t.nvcsw, nivcsw: t.nivcsw,
    maxRss: t.mm ? t.mm.rss : 0,
  };
}

/** Resource usage of a whole process: its exited threads plus the live ones (RUSAGE_SELF). */
export function groupUsage(tg: ThreadGroup): Acct {
  const a = emptyAcct();
  addAcct(a, tg.acct);
  for (const t of tg.threads) addAcct(a, taskUsage(t));
  return a;
}

/** Clock ticks (100 Hz) for instructions retired (10 ns each). */
export function insnsToTicks(insns: number): number {
  return Math.floor((insns * 10) / 10_000_000);
}

/** The next free PID (also used for thread IDs): wraps at pid_max like Linux, skipping IDs in use. */
export function allocPid(k: Kernel): number {
  for (;;) {
    // PIDs run below kernel.pid_max; after the top they start again low (Linux restarts at 300).
    if (k.nextPid >= k.sysctl.pidMax) k.nextPid = 2;
    const pid = k.nextPid++;
    if (!k.tasks.has(pid) && !k.groups.has(pid)) return pid;
  }
}

/** The process with pid `pid` (a thread id finds its process too), or undefined. */
export function findProcess(k: Kernel, pid: number): ThreadGroup | undefined {
  return k.groups.get(pid) ?? k.tasks.get(pid)?.tg;
}
