// Signals: sending (to a thread or a whole process), the pending and blocked
// sets with their queued siginfo, job-control stop and continue, and delivery
// on the way back to user mode: default actions (terminate, core, stop,
// continue, ignore) or a user handler (frame.ts builds its frame).
//
// Interrupted system calls. A syscall that sleeps, or sees a signal pending,
// returns one of Linux's restart codes and its pc stays on the ecall (the
// trap layer records the code in t.sysRestart). A signal that wakes a
// sleeping task sets t.interrupted; the syscall reruns once, sees it, and
// returns its code again, having written what it must (nanosleep's time
// left). Delivery here then obeys the code: with no handler the syscall
// simply reruns (a restart block keeps its deadline); a handler makes it
// fail with EINTR, except ERESTARTSYS with SA_RESTART and ERESTARTNOINTR,
// which rerun after the handler. A task that is woken and still sits on its
// ecall reruns the syscall before any delivery, so the syscall sees what
// happened (a child exiting, data arriving) as on Linux.
//
// Concepts: C44 (handlers, default actions, pending/blocked sets, delivered
// on return to user mode), C26 (signals to process groups, job control).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup, PtraceStopKind } from "../proc/task.js";
import { groupUsage, insnsToTicks } from "../proc/task.js";
import { wakeTask, wakeUp } from "../sched/wait.js";
import { dequeueTask, traceStopped } from "../sched/core.js";
import { setupFrame } from "./frame.js";
import { PTRACE_EVENT_STOP, ptraceStopStatus, syscallStopStatus } from "../abi/ptrace.js";
import { getPc, setPc, REG_A0, REG_A7 } from "../arch/regs.js";
import { EINTR, ERESTARTSYS, ERESTARTNOINTR, ERESTART_RESTARTBLOCK } from "../abi/errno.js";
import { SYS_restart_syscall } from "../abi/sysno.js";
import {
  SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGSEGV, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGXCPU, SIGXFSZ, SIGWINCH, SIGSYS, SIGRTMIN, NSIG, SIG_DFL, SIG_IGN, SA_NOCLDSTOP, SA_RESTART, SI_KERNEL, CLD_STOPPED, CLD_CONTINUED, sigBit, UNBLOCKABLE,
} from "../abi/signal.js";
import {
  RLIMIT_CORE,
} from "../abi/resource.js";

/** Per-process limit of queued real-time signals (RLIMIT_SIGPENDING default). */
const MAX_QUEUED = 4096;

export type DefaultAction = "term" | "core" | "ign" | "stop" | "cont";

export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: return "ign";
    case SIGCONT: return "cont";
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return "stop";
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS: return "core";
    default: return "term";
  }
}

const STOP_MASK = sigBit(SIGSTOP) | sigBit(SIGTSTP) | sigBit(SIGTTIN) | sigBit(SIGTTOU);
/** Synchronous (fault) signals are dequeued first, as Linux does. */
const SYNC_SIGNALS = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS];

/**
 * Extra information delivered with a signal (siginfo_t). Which fields the
 * user sees depends on the signal and si_code (frame.ts writes the layout).
 */
export interface SigInfo {
  signo: number;
  code: number;
  /** Faulting address (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP). */
  addr: number;
  /** Sender (kill, sigqueue, SIGCHLD: the child). */
  pid: number;
  uid: number;
  /** SIGCHLD: exit code or signal number. */
  status: number;
  /** sigqueue / timers: the sigval. */
  value?: number;
  /** SIGCHLD: the child's CPU time in clock ticks. */
  utime?: number;
  stime?: number;
  /** Timers: timer id and overrun count. */
  tid?: number;
  overrun?: number;
  /** SIGIO/SIGPOLL: band event and descriptor. */
  band?: number;
  fd?: number;
  /** si_errno. */
  errno?: number;
}

export function kernelInfo(sig: number, code = SI_KERNEL): SigInfo {
  return { signo: sig, code, addr: 0, pid: 0, uid: 0, status: 0 };
}

/** Whether the action for `sig` ignores it (SIG_IGN, or SIG_DFL of an ignored-by-default signal). */
export function sigIgnoredByAction(tg: ThreadGroup, sig: number): boolean {
  if (sig === SIGKILL || sig === SIGSTOP) return false;
  const a = tg.sighand.actions[sig];
  return a.handler === SIG_IGN || (a.handler === SIG_DFL && defaultAction(sig) === "ign");
}

/**
 * A signal that is ignored can be dropped at once (Linux sig_ignored) -
 * unless a thread that could take it blocks it or waits for it in
 * sigtimedwait: the handler may change before it is unblocked.
 */
function ignoredFor(threads: readonly Task[], tg: ThreadGroup, sig: number): boolean {
  if (!sigIgnoredByAction(tg, sig)) return false;
  // A tracer sees even ignored signals (a signal-delivery-stop), SIGKILL aside (Linux sig_ignored).
  if (tg.ptrace && sig !== SIGKILL) return false;
  for (const t of threads) if ((t.sigmask | t.sigwaitSet) & sigBit(sig)) return false;
  return true;
}

/** Queue `info` on a pending set; standard signals do not queue twice. Returns false if it was dropped. */
function enqueue(pending: bigint, q: SigInfo[], info: SigInfo): boolean {
  const sig = info.signo;
  if (sig < SIGRTMIN) {
    if (pending & sigBit(sig)) return false;
  } else if (q.length >= MAX_QUEUED) {
    // Linux still sets the bit with a minimal siginfo when the queue is full (rt signals: -EAGAIN for sigqueue).
    if (pending & sigBit(sig)) return false;
  }
  q.push(info);
  return true;
}

/** Remove and return the oldest queued info of `sig`; `more` says whether another is still queued. */
function dequeueInfo(q: SigInfo[], sig: number): { info: SigInfo | undefined; more: boolean } {
  const i = q.findIndex((x) => x.signo === sig);
  if (i < 0) return { info: undefined, more: false };
  const info = q.splice(i, 1)[0];
  return { info, more: q.some((x) => x.signo === sig) };
}

/** Drop every pending instance of the signals in `mask` from a pending set and its queue. */
function flushMask(q: SigInfo[], mask: bigint): SigInfo[] {
  return q.filter((x) => !(mask & sigBit(x.signo)));
}

/** Remove `mask` from the pending signals of the whole process (all threads too). */
export function flushPending(tg: ThreadGroup, mask: bigint): void {
  tg.sharedPending &= ~mask;
  tg.sigq = flushMask(tg.sigq, mask);
  for (const t of tg.threads) {
    t.pending &= ~mask;
    t.sigq = flushMask(t.sigq, mask);
  }
}

/** Signals `t` can take now (pending and not blocked), per-thread and shared together. */
export function deliverable(t: Task): bigint {
  return ((t.pending | t.tg.sharedPending) & ~t.sigmask) | ((t.pending | t.tg.sharedPending) & UNBLOCKABLE);
}

/**
 * Tell `t` that a signal is there for it: a blocking syscall must return
 * EINTR, so mark it interrupted and wake an interruptible sleep (SIGKILL
 * also ends a killable one).
 */
function signalWake(k: Kernel, t: Task, sig: number): void {
  if (t.state === "Z" || t.state === "X") return;
  const wanted = sig === SIGKILL || !(t.sigmask & sigBit(sig)) || (t.sigwaitSet & sigBit(sig)) !== 0n;
  if (!wanted) return;
  t.interrupted = true;
  if (t.state === "S" || (t.state === "D" && t.killable && sig === SIGKILL)) wakeTask(k, t);
  // SIGKILL ends a ptrace-stop too (the tracer cannot hold a killed process).
  else if (sig === SIGKILL && t.state === "T" && (t.ptrace?.stopped || t.ptrace?.listening)) {
    t.ptrace.stopped = false;
    t.ptrace.listening = false;
    t.state = "S";
    wakeTask(k, t);
  }
}

/** Whether thread `t` can take `sig` (not blocked, alive). */
function wantsSignal(t: Task, sig: number): boolean {
  if (t.state === "Z" || t.state === "X") return false;
  return sig === SIGKILL || !(t.sigmask & sigBit(sig)) || (t.sigwaitSet & sigBit(sig)) !== 0n;
}

/**
 * Job-control side effects of sending a signal (Linux prepare_signal): a stop
 * signal cancels a pending SIGCONT, SIGCONT (and SIGKILL) cancels pending
 * stops and resumes a stopped process. Returns false when the signal must be
 * dropped (the process is already exiting).
 */
function prepareSignal(k: Kernel, tg: ThreadGroup, sig: number): boolean {
  if (tg.zombie) return false;
  // A process that is ending takes no more signals, not even SIGKILL (Linux
  // prepare_signal under SIGNAL_GROUP_EXIT): its threads were zapped already,
  // and one its tracer holds at PTRACE_EVENT_EXIT stays there until resumed.
  if (tg.exiting) return false;
  if (STOP_MASK & sigBit(sig)) {
    flushPending(tg, sigBit(SIGCONT));
  } else if (sig === SIGCONT || sig === SIGKILL) {
    flushPending(tg, STOP_MASK);
    // SIGCONT wakes a SEIZE'd tracee left listening (PTRACE_LISTEN) into a new trap, stopped group or not.
    if (sig === SIGCONT && tg.ptrace) for (const t of tg.threads) if (t.ptrace?.listening) ptraceContinued(k, t);
    continueGroup(k, tg);
  }
  return true;
}

/** Send `sig` to a whole process (kill, SIGCHLD, SIGALRM...). Any thread not blocking it takes it. */
export function sendSignalGroup(k: Kernel, tg: ThreadGroup, info: SigInfo): void {
  const sig = info.signo;
  if (sig <= 0 || sig > NSIG) return;
  // Kernel threads (proc/kthread.ts) take no signals, as on Linux.
  if (tg.threads.length !== 0 && tg.threads[0].kthread) return;
  if (!prepareSignal(k, tg, sig)) return;
  if (ignoredFor(tg.threads, tg, sig)) return;
  if (!enqueue(tg.sharedPending, tg.sigq, info)) return;
  tg.sharedPending |= sigBit(sig);
  if (tg.sighand.signalfdWait) wakeUp(k, tg.sighand.signalfdWait); // a signalfd may read it (blocked or not)
  if (sig === SIGKILL) {
    for (const t of tg.threads) signalWake(k, t, sig);
    return;
  }
  // Wake one thread that can take it; a running one takes it on its next return to user mode (its next trap, or
  // the start of its hart's next turn in the run loop: trap.ts returnToUser).
  const taker = tg.threads.find((t) => wantsSignal(t, sig));
  if (taker) signalWake(k, taker, sig);
}

/** Send `sig` to one thread (tgkill, faults, timers of a thread). */
export function sendSignalTask(k: Kernel, t: Task, info: SigInfo): void {
  const sig = info.signo;
  if (sig <= 0 || sig > NSIG) return;
  if (t.state === "Z" || t.state === "X" || t.kthread) return;
  if (!prepareSignal(k, t.tg, sig)) return;
  if (ignoredFor([t], t.tg, sig)) return;
  if (!enqueue(t.pending, t.sigq, info)) return;
  t.pending |= sigBit(sig);
  if (t.tg.sighand.signalfdWait) wakeUp(k, t.tg.sighand.signalfdWait);
  signalWake(k, t, sig);
}

/**
 * Kill one thread of a process that is ending (proc/exit.ts beginGroupExit,
 * Linux zap_other_threads): SIGKILL is made pending directly - prepareSignal
 * drops every signal sent to an exiting process, as Linux's prepare_signal
 * does once SIGNAL_GROUP_EXIT is set - and the thread is woken from a sleep
 * or a ptrace-stop to die on its way back to user mode.
 */
export function zapThread(k: Kernel, t: Task): void {
  if (t.state === "Z" || t.state === "X" || t.kthread) return;
  t.pending |= sigBit(SIGKILL);
  signalWake(k, t, SIGKILL);
}

/**
 * A synchronous fault signal (SIGSEGV, SIGILL...): it cannot be blocked or
 * ignored usefully - if it is, the default action applies, as in Linux.
 */
export function forceSignal(k: Kernel, t: Task, sig: number, code: number, addr: number): void {
  const a = t.tg.sighand.actions[sig];
  const blocked = (t.sigmask & sigBit(sig)) !== 0n;
  if (blocked || a.handler === SIG_IGN) {
    a.handler = SIG_DFL;
    t.sigmask &= ~sigBit(sig);
  }
  if (sig === SIGKILL) flushPending(t.tg, STOP_MASK);
  // A fault signal replaces a pending instance of the same signal (its address is the one that matters).
  t.sigq = t.sigq.filter((x) => x.signo !== sig || sig >= SIGRTMIN);
  t.pending |= sigBit(sig);
  t.sigq.push({ signo: sig, code, addr, pid: 0, uid: 0, status: 0 });
  t.interrupted = true;
}

/**
 * Whether a signal that will kill the process is waiting (Linux's
 * fatal_signal_pending): SIGKILL, or one whose action is the default and the
 * default terminates. A long regular-file read or write stops early only for
 * these; any other signal waits until it is done.
 */
export function fatalSignalPending(t: Task): boolean {
  const d = deliverable(t);
  if (d === 0n) return false;
  if (d & sigBit(SIGKILL)) return true;
  for (let sig = 1; sig <= NSIG; sig++) {
    if (!(d & sigBit(sig)) || t.tg.sighand.actions[sig].handler !== SIG_DFL) continue;
    const what = defaultAction(sig);
    if (what === "term" || what === "core") return true;
  }
  return false;
}

/** Resume a stopped process (SIGCONT, SIGKILL). */
function continueGroup(k: Kernel, tg: ThreadGroup): void {
  if (!tg.stopped) return;
  tg.stopped = false;
  tg.stopReported = true;
  tg.continuedReported = false;
  for (const t of tg.threads) {
    if (t.state !== "T" || t.ptrace?.stopped) continue; // SIGCONT does not end a ptrace-stop
    t.state = "S";
    wakeTask(k, t);
  }
  notifyParentStop(k, tg, "continued");
}

/** Stop every thread of the process (default action of SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU). */
function stopGroup(k: Kernel, tg: ThreadGroup, sig: number): void {
  tg.stopped = true;
  tg.stopSignal = sig;
  tg.stopReported = false;
  tg.continuedReported = true;
  for (const t of tg.threads) {
    if (t.state === "R" || t.state === "S" || t.state === "D") {
      t.state = "T";
      dequeueTask(k, t);
      // A running thread's change shows when it leaves its hart (sched/core.ts).
      if (t.cpu < 0) traceStopped(k, t);
    }
    if (t.ptrace) ptraceGroupStop(k, t, sig);
  }
  notifyParentStop(k, tg, "stopped");
}

/**
 * A traced thread `t` of a process entering a group-stop with `sig`: it
 * stops for its tracer too (proc/ptrace.ts) - SIG | PTRACE_EVENT_STOP<<8
 * when SEIZE'd, a plain WSTOPSIG otherwise (Linux do_jobctl_trap).
 */
function ptraceGroupStop(k: Kernel, t: Task, sig: number): void {
  const p = t.ptrace;
  if (!p || p.stopped || p.listening) return;
  const status = ptraceStopStatus(sig, p.seized ? PTRACE_EVENT_STOP : 0);
  ptraceStop(k, t, status, "group");
}

/**
 * SIGCONT reaches a SEIZE'd tracee left listening (PTRACE_LISTEN): it traps
 * again with SIGTRAP | PTRACE_EVENT_STOP<<8 (Linux ptrace_trap_notify), so
 * its tracer learns the group-stop ended.
 */
function ptraceContinued(k: Kernel, t: Task): void {
  const p = t.ptrace;
  if (!p || !p.listening) return;
  p.listening = false;
  ptraceStop(k, t, ptraceStopStatus(SIGTRAP, PTRACE_EVENT_STOP), "event");
}

/**
 * A process group is orphaned when no member has a parent in another group
 * of the same session: nobody is left to resume its stopped jobs. Stop
 * signals from the terminal are then discarded, and an exit that orphans a
 * group with stopped members sends them SIGHUP and SIGCONT.
 */
export function isOrphanedPgrp(k: Kernel, pgid: number, ignore: ThreadGroup | null = null): boolean {
  for (const tg of k.groups.values()) {
    if (tg.pgid !== pgid || tg === ignore || tg.zombie) continue;
    // A parent in another group of the same session can resume the group; init does not count.
    const p = tg.parent;
    if (p && p !== ignore && p.pid !== 1 && !p.zombie && p.pgid !== pgid && p.sid === tg.sid) return false;
  }
  return true;
}

/** Pick the next signal to deliver to `t`: SIGKILL first, then fault signals, then the lowest. */
function nextSignal(t: Task): { sig: number; shared: boolean } {
  const mine = (t.pending & ~t.sigmask) | (t.pending & UNBLOCKABLE);
  const shared = (t.tg.sharedPending & ~t.sigmask) | (t.tg.sharedPending & UNBLOCKABLE);
  if (mine & sigBit(SIGKILL)) return { sig: SIGKILL, shared: false };
  if (shared & sigBit(SIGKILL)) return { sig: SIGKILL, shared: true };
  const pick = (mask: bigint): number => {
    if (mask === 0n) return 0;
    for (const s of SYNC_SIGNALS) if (mask & sigBit(s)) return s;
    for (let s = 1; s <= NSIG; s++) if (mask & sigBit(s)) return s;
    return 0;
  };
  let s = pick(mine);
  if (s) return { sig: s, shared: false };
  s = pick(shared);
  return { sig: s, shared: s !== 0 };
}

/** Take signal `sig` off the pending set it is on, with its siginfo. */
export function dequeueSignal(t: Task, sig: number, shared: boolean): SigInfo {
  let info: SigInfo | undefined;
  if (shared) {
    const r = dequeueInfo(t.tg.sigq, sig);
    info = r.info;
    if (!r.more) t.tg.sharedPending &= ~sigBit(sig);
  } else {
    const r = dequeueInfo(t.sigq, sig);
    info = r.info;
    if (!r.more) t.pending &= ~sigBit(sig);
  }
  return info ?? kernelInfo(sig);
}

/**
 * Take a pending signal from `set` for rt_sigtimedwait (blocked or not).
 * Returns its info, or undefined when none is pending.
 */
export function dequeueFromSet(t: Task, set: bigint): SigInfo | undefined {
  const mine = t.pending & set, shared = t.tg.sharedPending & set;
  for (let s = 1; s <= NSIG; s++) {
    if (mine & sigBit(s)) return dequeueSignal(t, s, false);
    if (shared & sigBit(s)) return dequeueSignal(t, s, true);
  }
  return undefined;
}

// ---- System-call restart -------------------------------------------------
//
// A syscall that could not finish left its task on the ecall with a restart
// code in t.sysRestart (trap/trap.ts; the codes are in abi/errno.ts). Its
// handler chose the code, so the rules below know nothing of particular
// syscalls: they are Linux's (arch/riscv/kernel/signal.c, handle_signal).

/** Whether the interrupted syscall restarts when a handler with `flags` runs. */
function restartsWithHandler(t: Task, flags: number): boolean {
  switch (t.sysRestart) {
    case ERESTARTNOINTR: return true;
    case ERESTARTSYS: return (flags & SA_RESTART) !== 0;
    default: return false; // ERESTARTNOHAND, ERESTART_RESTARTBLOCK: EINTR once a handler runs
  }
}

/** Make the syscall return -EINTR. */
function failSyscall(k: Kernel, t: Task): void {
  setPc(k.regs, t.sysPc + 4);
  k.regs.i[REG_A0 * 2] = -EINTR;
  k.regs.i[REG_A0 * 2 + 1] = -1;
  t.sysRestart = 0;
  t.restart = null;
  t.restartNr = 0;
  t.io = null;
}

/**
 * An ERESTART_RESTARTBLOCK syscall (nanosleep, a relative clock_nanosleep, a
 * timed futex wait) restarts with no handler run - a stop and SIGCONT, an
 * ignored signal, a signal its tracer suppressed. As Linux's arch signal
 * code does, it restarts as restart_syscall(2): a7 becomes
 * __NR_restart_syscall (128), which a tracer sees enter as a new syscall
 * (strace: "restart_syscall(<... resuming interrupted nanosleep ...>)") and
 * user space finds in a7 afterwards; restart_syscall continues the call from
 * its restart block (t.restart: the deadline stays, the time left is
 * slept). `pc` is the task's pc (still on the ecall when it restarts).
 * Returns the value a7 must take, or -1 for no change; the caller writes it
 * where the registers are (k.regs, or a stopped task's saved context).
 */
export function restartAsRestartSyscall(t: Task, pc: number): number {
  if (t.sysNr < 0 || t.sysRestart !== ERESTART_RESTARTBLOCK || pc !== t.sysPc) return -1;
  if (t.sysNr !== SYS_restart_syscall) t.restartNr = t.sysNr;
  // The tracer sees the restart enter as a new call (proc/ptrace.ts ptraceSyscallEntry).
  if (t.ptrace) t.ptrace.restartEntry = true;
  return SYS_restart_syscall;
}

/** restartAsRestartSyscall for the task whose registers are live in k.regs. */
function restartBlockLive(k: Kernel, t: Task): void {
  const a7 = restartAsRestartSyscall(t, getPc(k.regs));
  if (a7 < 0) return;
  k.regs.i[REG_A7 * 2] = a7;
  k.regs.i[REG_A7 * 2 + 1] = 0;
}

/**
 * Whether the task's last syscall is still on its ecall (it slept, saw a
 * signal, or yielded after a budget of work): it reruns unless a handler
 * makes it fail.
 */
function restartPending(k: Kernel, t: Task): boolean {
  return t.sysNr >= 0 && t.sysRestart !== 0 && getPc(k.regs) === t.sysPc;
}

/** deliverSignals found no fatal signal (any other result is an exit status). */
export const NO_FATAL_SIGNAL = -1;

function isDead(t: Task): boolean {
  return t.state === "Z" || t.state === "X";
}

/**
 * Deliver pending, unblocked signals to `t` (whose registers are live in
 * k.regs) before it returns to user mode: run default actions, or build
 * frames for user handlers (several nest, the last one runs first). The
 * first handler also decides the fate of an interrupted syscall.
 *
 * Returns NO_FATAL_SIGNAL, or the wait status the process must exit with
 * (a fatal signal's default action). The caller, higher up the chain, does
 * the exit (Linux's get_signal / do_group_exit split): signal delivery
 * itself never tears a process down.
 */
export function deliverSignals(k: Kernel, t: Task): number {
  if (isDead(t)) return NO_FATAL_SIGNAL;
  // A death by signal that stopped for its tracer first (PTRACE_EVENT_EXIT, proc/ptrace.ts) goes on now.
  const fatal = t.fatalPending ?? null;
  if (fatal !== null) { t.fatalPending = null; return fatal; }
  let restart = restartPending(k, t);
  // The syscall on its ecall runs again before any signal is delivered (SIGKILL aside) when
  //   - it must not be interrupted (ERESTARTNOINTR: a vfork wait, exec waiting for its threads);
  //   - it was woken from its sleep: it sees the signal and returns its restart code having
  //     written what it must (nanosleep's time left); the signal comes on that return;
  //   - it is a read or write that has moved data (it slept, or yielded after its budget): it
  //     returns its count, as Linux returns a partial count; delivering now would lose that
  //     count (EINTR) or, with SA_RESTART, redo the transfer from the start.
  if (restart && (t.sysRestart === ERESTARTNOINTR || t.sysSlept || t.io !== null) && !(deliverable(t) & sigBit(SIGKILL))) {
    t.interrupted = deliverable(t) !== 0n || (t.ptrace?.inject ?? null) !== null;
    return NO_FATAL_SIGNAL;
  }
  let frames = 0;
  // A signal the tracer passed on when it resumed a signal-delivery-stop comes first, without stopping again.
  let injected = t.ptrace?.inject ?? null;
  if (injected) t.ptrace!.inject = null;
  for (let guard = 0; guard <= 2 * NSIG; guard++) {
    if (isDead(t)) return NO_FATAL_SIGNAL;
    let sig: number;
    let info: SigInfo;
    const wasInjected = injected !== null;
    if (injected) {
      sig = injected.signo;
      info = injected;
      injected = null;
    } else {
      const next = nextSignal(t);
      sig = next.sig;
      if (sig === 0) break;
      info = dequeueSignal(t, sig, next.shared);
    }
    // A traced process stops before any signal but SIGKILL acts (signal-delivery-stop): its tracer decides.
    if (t.ptrace && sig !== SIGKILL && !wasInjected) {
      const p = t.ptrace;
      p.siginfo = info;
      const sigStop = ptraceStopStatus(sig);
      if (restart && p.syscallTrace && p.inSyscall && !p.entryTaken) {
        // The signal interrupts a syscall whose entry the tracer saw: as on
        // Linux, the syscall's exit stop comes first, its result the restart
        // code (strace's "= ? ERESTARTSYS"), then the signal-delivery-stop;
        // a restart is a new entry for the tracer (ptraceSyscallEntry).
        p.inSyscall = false;
        p.sysRet = -t.sysRestart;
        p.restartEntry = true;
        // a0 shows the restart code during the stops, as on Linux (strace reads it there); resume puts the argument back.
        p.restoreA0 = [t.sysA0Lo, t.sysA0Hi];
        k.regs.i[REG_A0 * 2] = -t.sysRestart;
        k.regs.i[REG_A0 * 2 + 1] = -1;
        p.queued.push({ status: sigStop, kind: "signal", msg: 0 });
        ptraceStop(k, t, syscallStopStatus(p.options), "syscall-exit");
      } else {
        ptraceStop(k, t, sigStop, "signal");
      }
      t.interrupted = false;
      return NO_FATAL_SIGNAL;
    }
    const act = t.tg.sighand.actions[sig];
    if (sig !== SIGKILL && sig !== SIGSTOP) {
      if (act.handler === SIG_IGN) continue;
      if (act.handler !== SIG_DFL) {
        if (restart) {
          // The first handler decides what becomes of the interrupted syscall:
          // it reruns from the start after the handler (pc and a0 are still
          // on the ecall, and the frame saves them) or returns EINTR.
          if (!restartsWithHandler(t, act.flags)) failSyscall(k, t);
          restart = false;
        }
        t.sysNr = -1;
        t.sysRestart = 0;
        t.restart = null;
        t.restartNr = 0;
        t.io = null;
        if (setupFrame(k, t, sig, act, info)) frames++;
        else forceSignal(k, t, SIGSEGV, SI_KERNEL, 0); // no room for the frame: SIGSEGV, as on Linux
        continue;
      }
    }
    const what = defaultAction(sig);
    if (what === "ign" || what === "cont") continue;
    if (what === "stop") {
      // Terminal stop signals are discarded in an orphaned process group.
      if (sig !== SIGSTOP && isOrphanedPgrp(k, t.tg.pgid)) continue;
      // After the stop the syscall restarts as if nothing happened (it is still
      // on its ecall; a restart block's call as restart_syscall, as Linux does
      // once SIGCONT ends the stop).
      if (restart) restartBlockLive(k, t);
      stopGroup(k, t.tg, sig);
      t.interrupted = false;
      return NO_FATAL_SIGNAL;
    }
    // Terminate. "core" signals report a dump (WCOREDUMP) only when RLIMIT_CORE allows one, as on Linux.
    const dumped = what === "core" && (t.tg.rlimits[RLIMIT_CORE]?.cur ?? 0) > 0;
    return sig | (dumped ? 0x80 : 0);
  }
  // No handler ran: a pending restart simply reruns (a restart block keeps its deadline).
  if (frames === 0 && !restart && t.savedSigmask !== null) {
    // sigsuspend/pselect returned without running a handler: restore the mask now.
    t.sigmask = t.savedSigmask;
    t.savedSigmask = null;
  }
  if (!restart) { t.sysNr = -1; t.sysRestart = 0; }
  else restartBlockLive(k, t);
  t.interrupted = deliverable(t) !== 0n;
  return NO_FATAL_SIGNAL;
}

/**
 * Enter a ptrace-stop (proc/ptrace.ts): thread `t` stops (state T) until its
 * tracer resumes it, and the tracer's wait4 reports `status`; the tracer gets
 * SIGCHLD (CLD_TRAPPED) and is woken.
 */
export function ptraceStop(k: Kernel, t: Task, status: number, kind: PtraceStopKind, msg = 0): void {
  const p = t.ptrace;
  if (!p) return;
  p.stopped = true;
  p.listening = false;
  p.status = status;
  p.kind = kind;
  p.reported = false;
  if (kind === "event") p.eventMsg = msg;
  if (t.state === "R" || t.state === "S" || t.state === "D") {
    t.state = "T";
    dequeueTask(k, t);
    if (t.cpu < 0) traceStopped(k, t);
  }
  const tracer = k.groups.get(p.tracer);
  if (tracer && !tracer.zombie) {
    sendSignalGroup(k, tracer, { signo: SIGCHLD, code: 4 /* CLD_TRAPPED */, addr: 0, pid: t.tid, uid: t.tg.creds.uid, status: (status >> 8) & 0xff });
    wakeUp(k, tracer.childWait);
  }
}

/** Job-control notification: a child stopped or continued (SIGCHLD unless SA_NOCLDSTOP; wait4 wakes). */
export function notifyParentStop(k: Kernel, tg: ThreadGroup, what: "stopped" | "continued"): void {
  const parent = tg.parent;
  if (!parent) return;
  const act = parent.sighand.actions[SIGCHLD];
  if (!(act.flags & SA_NOCLDSTOP)) {
    const usage = groupUsage(tg);
    sendSignalGroup(k, parent, {
      signo: SIGCHLD, code: what === "stopped" ? CLD_STOPPED : CLD_CONTINUED, addr: 0, pid: tg.pid,
      uid: tg.creds.uid, status: what === "stopped" ? tg.stopSignal : SIGCONT,
      utime: insnsToTicks(usage.utime), stime: insnsToTicks(usage.stime),
    });
  }
  wakeUp(k, parent.childWait);
}
