// ptrace(2): one process (the tracer) stops, inspects and resumes another
// (the tracee) - what strace and debuggers are built on.
//
// A tracee enters a ptrace-stop (state T, signal.ts ptraceStop) at these
// points, and its tracer's wait4 reports each (wait.ts; status 0x7f | SIG<<8
// | EVENT<<16):
//   signal-delivery-stop: any signal but SIGKILL, before it acts (signal.ts);
//     the tracer's resume request passes it on, another one, or none;
//   syscall-entry and syscall-exit stops, after PTRACE_SYSCALL (trap.ts calls
//     ptraceSyscallEntry/ptraceSyscallDone): SIGTRAP, | 0x80 with
//     PTRACE_O_TRACESYSGOOD. The entry stop leaves the task on its ecall; the
//     ecall runs again when resumed (entryTaken tells that rerun not to stop
//     again), so the syscall sees registers the tracer changed. A syscall
//     that sleeps reruns as usual without new stops.
//   event stops: PTRACE_EVENT_EXIT before exit/exit_group or a fatal signal
//     (SIGKILL too, as current Linux) ends the process, the wait status as
//     event message - for every traced thread of the process, not only the
//     one that ends it: as Linux's do_group_exit, the others are zapped with
//     SIGKILL first (exit.ts beginGroupExit, ptraceZapStops) and stop on
//     their way out, then the one that ends it stops, all with the
//     process's status as message;
//     PTRACE_EVENT_EXEC after a successful execve, the former tid as
//     message (else, without the option, a plain SIGTRAP as Linux);
//     FORK/VFORK/CLONE with the new child's pid as event message (the child
//     is then traced too and starts in a stop: SIGSTOP, or
//     PTRACE_EVENT_STOP when seized) - VFORK before the parent waits for its
//     child, VFORK_DONE (the child's pid) when that wait ends; EVENT_STOP
//     for PTRACE_INTERRUPT. An event stop and the syscall-exit stop of the same
//     syscall come one after the other: the later ones wait in `queued` and
//     the resume request enters the next instead of running the task.
// The tracer collects stops with wait4 although the tracee need not be its
// child; a tracee's exit goes to the tracer first, and only then can its real
// parent reap it. A tracer that exits detaches its tracees (PTRACE_O_EXITKILL
// kills them).
//
// A tracee is a thread, as on Linux: the state is on the Task (t.ptrace),
// ATTACH and SEIZE take a tid, PTRACE_O_TRACECLONE attaches new threads
// (CLONE_THREAD) as it does new processes, each thread stops, is reported to
// wait4 under its tid and resumed on its own, and GETREGSET reads the
// registers of the thread named. The process keeps what is the process's
// (t.tg.ptrace, a PtraceGroup): the tracer, its exit (the tracer sees it
// first) and the exits of traced threads not collected yet. All traced threads
// of one process have the same tracer here (another tracer gets EPERM).
// Group-stops: a traced thread that enters a group-stop (SIGSTOP's default
// action) stops for its tracer too - plain WSTOPSIG for ATTACH/TRACEME
// tracees (GETSIGINFO: EINVAL, which tells it from a signal-delivery-stop),
// SIG | PTRACE_EVENT_STOP<<8 for SEIZE'd ones. PTRACE_LISTEN leaves a
// SEIZE'd tracee in its group-stop but out of the ptrace-stop (requests
// other than INTERRUPT/KILL get ESRCH); SIGCONT or PTRACE_INTERRUPT traps it
// again with a PTRACE_EVENT_STOP.
//
// Permission (Linux ptrace_may_access, PTRACE_MODE_ATTACH_REALCREDS): root, or
// the same real uid and gid as the target's real, effective and saved ids;
// never one's own process, never init, never a process already traced.
// Registers are written only into the stopped thread's saved user context
// (pc, x1-x31, f0-f31, fcsr): a bad value is the tracee's problem.
//
// Concepts: C44 (signals), C24 (wait), C04 (the syscall path), tracing.
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup, PtraceState, PtraceQueuedStop, PtraceGroup } from "./task.js";
import { ptraceStop, sendSignalGroup, sendSignalTask, kernelInfo, restartAsRestartSyscall, type SigInfo } from "../signal/signal.js";
import { writeSiginfo } from "../signal/frame.js";
import { wakeTask, wakeUp } from "../sched/wait.js";
import { copyin, copyout, getUser64, putUser64 } from "../mm/uaccess.js";
import { accessRemote } from "../mm/remote.js";
import { getRegSigned, REG_A0 } from "../arch/regs.js";
import * as L from "../../hw/core/layout.js";
import { getU64, putU32, putU64, putU64Big } from "../abi/le.js";
import { EFAULT, EINVAL, EIO, EPERM, ESRCH } from "../abi/errno.js";
import { SIGCHLD, SIGKILL, SIGSTOP, SIGTRAP, SI_USER, SIGINFO, NSIG, sigBit } from "../abi/signal.js";
import {
  PTRACE_TRACEME, PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_POKETEXT, PTRACE_POKEDATA, PTRACE_CONT, PTRACE_KILL,
  PTRACE_ATTACH, PTRACE_DETACH, PTRACE_SYSCALL, PTRACE_SETOPTIONS, PTRACE_GETEVENTMSG, PTRACE_GETSIGINFO,
  PTRACE_GETREGSET, PTRACE_SETREGSET, PTRACE_SEIZE, PTRACE_INTERRUPT, PTRACE_LISTEN, PTRACE_GET_SYSCALL_INFO,
  PTRACE_O_MASK, PTRACE_O_TRACEFORK, PTRACE_O_TRACEVFORK, PTRACE_O_TRACECLONE, PTRACE_O_TRACEEXEC,
  PTRACE_O_EXITKILL, PTRACE_O_TRACEEXIT, PTRACE_O_TRACEVFORKDONE, PTRACE_EVENT_EXIT, PTRACE_EVENT_VFORK_DONE, PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE, PTRACE_EVENT_EXEC, PTRACE_EVENT_STOP,
  PTRACE_SYSCALL_INFO_NONE, PTRACE_SYSCALL_INFO_ENTRY, PTRACE_SYSCALL_INFO_EXIT, AUDIT_ARCH_RISCV64,
  NT_PRSTATUS, NT_PRFPREG, USER_REGS_SIZE, USER_FPREGS_SIZE, REGSET_SLOT, CLD_TRAPPED, ptraceStopStatus, syscallStopStatus,
} from "../abi/ptrace.js";
import { SYS_clone, SYS_clone3, SYS_execve, SYS_execveat, SYS_exit } from "../abi/sysno.js";

const CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000;


function newState(tracer: number, seized: boolean, options: number): PtraceState {
  return {
    tracer, seized, options, syscallTrace: false, inSyscall: false, entryTaken: false, stopped: false, listening: false,
    kind: "none", status: 0, reported: true, siginfo: null, inject: null, eventMsg: 0, queued: [],
    sysNr: -1, sysArgs: [0, 0, 0, 0, 0, 0], sysRet: 0, exitEventTaken: false, restartEntry: false,
  };
}

/** Thread `t` becomes a tracee of `tracer` (its process records the tracer). */
function attach(t: Task, tracer: number, seized: boolean, options: number): PtraceState {
  const p = newState(tracer, seized, options);
  t.ptrace = p;
  t.tg.ptrace ??= { tracer, exitReported: false, threadExits: [] };
  return p;
}

/** Whether another tracer holds some thread of `tg` (one tracer per process here). */
function otherTracer(tg: ThreadGroup, tracer: number): boolean {
  return !!tg.ptrace && tg.ptrace.tracer !== tracer;
}

// ---------------------------------------------------------------- hooks of the syscall path

/**
 * Syscall entry of a traced task (trap.ts, before the handler). Returns true
 * when the task entered its syscall-entry stop: the caller leaves pc on the
 * ecall, and the syscall runs when the tracer resumes it.
 */
export function ptraceSyscallEntry(k: Kernel, t: Task, p: PtraceState, nr: number): boolean {
  if (p.exitEventTaken) return false; // exit's last run, after its PTRACE_EVENT_EXIT stop
  if (p.entryTaken) { p.entryTaken = false; return exitEvent(k, t, p, nr); } // the rerun after the entry stop
  const fresh = p.restartEntry ?? false;
  p.restartEntry = false;
  if (t.sysRestart !== 0 && !fresh) return false; // a rerun after a sleep: the same syscall
  p.inSyscall = true;
  p.sysNr = nr;
  const w = k.regs.w;
  for (let i = 0; i < 6; i++) p.sysArgs[i] = w[(10 + i) * 2] + w[(10 + i) * 2 + 1] * 4294967296;
  if (!p.syscallTrace) return exitEvent(k, t, p, nr);
  p.entryTaken = true;
  ptraceStop(k, t, syscallStopStatus(p.options), "syscall-entry");
  return true;
}

/**
 * PTRACE_O_TRACEEXIT: exit(2) stops once more before the thread goes
 * (PTRACE_EVENT_EXIT, the exit status as event message); the ecall then runs
 * for good. exit_group stops from its handler instead, once it has zapped
 * the other threads (ptraceExitGroupStop); a death by signal stops the same
 * way (ptraceExitSignal).
 */
function exitEvent(k: Kernel, t: Task, p: PtraceState, nr: number): boolean {
  if (nr !== SYS_exit || !(p.options & PTRACE_O_TRACEEXIT)) return false;
  // exit(2) of the last thread is the process's exit_group (syscalls/proc.ts): it stops there.
  if (t.tg.threads.length <= 1) return false;
  p.exitEventTaken = true;
  ptraceStop(k, t, ptraceStopStatus(SIGTRAP, PTRACE_EVENT_EXIT), "event", (p.sysArgs[0] & 0xff) << 8);
  return true;
}

/**
 * exit_group of a traced thread, after its siblings were zapped (Linux
 * do_group_exit: zap_other_threads, then do_exit's ptrace_event): with
 * PTRACE_O_TRACEEXIT the caller stops at PTRACE_EVENT_EXIT, the process's
 * exit status as message. Returns true when it stopped; the ecall runs again
 * when it is resumed, and then the thread goes.
 */
export function ptraceExitGroupStop(k: Kernel, t: Task, p: PtraceState): boolean {
  if (!(p.options & PTRACE_O_TRACEEXIT) || p.exitEventTaken) return false;
  p.exitEventTaken = true;
  ptraceStop(k, t, ptraceStopStatus(SIGTRAP, PTRACE_EVENT_EXIT), "event", t.tg.exitStatus ?? 0);
  return true;
}

/**
 * PTRACE_O_TRACEEXIT for a death by signal (exit.ts exitBySignal, when
 * deliverSignals found a fatal one): the tracee stops with
 * PTRACE_EVENT_EXIT, the wait status it will die with as event message, and
 * keeps that status in t.fatalPending; resumed or detached, it dies with it
 * (the tracer cannot prevent the exit). Returns true when it stopped.
 * SIGKILL stops here too: ptrace(2) says it "may", and current Linux does -
 * get_signal takes the SIGKILL off the pending set before do_group_exit, so
 * ptrace_stop in do_exit finds no fatal signal pending and sleeps. A zapped
 * thread (the SIGKILL beginGroupExit sent it) stops with the process's exit
 * status, not its SIGKILL.
 */
export function ptraceExitSignal(k: Kernel, t: Task, p: PtraceState, fatal: number): boolean {
  if (!(p.options & PTRACE_O_TRACEEXIT) || p.exitEventTaken) return false;
  const st = t.tg.exitStatus;
  p.exitEventTaken = true;
  t.fatalPending = fatal;
  ptraceStop(k, t, ptraceStopStatus(SIGTRAP, PTRACE_EVENT_EXIT), "event", t.tg.exiting && st !== null ? st : fatal & 0xff);
  return true;
}

/**
 * Whether `t`, a thread other than the one ending its process, must stop at
 * PTRACE_EVENT_EXIT before it dies (exit.ts beginGroupExit). On Linux,
 * zap_other_threads gives every other thread SIGKILL; each dies on its way
 * back to user mode, and do_exit stops it at PTRACE_EVENT_EXIT, the
 * process's exit status as message, when its tracer set PTRACE_O_TRACEEXIT
 * (whatever the status, SIGKILL included).
 */
export function ptraceZapStops(t: Task): boolean {
  const p = t.ptrace;
  return !!p && (p.options & PTRACE_O_TRACEEXIT) !== 0 && !p.exitEventTaken;
}

/**
 * A traced vfork parent is about to wait for its child (trap.ts, each time
 * the clone reruns while the child holds the parent's memory). The first
 * time, with PTRACE_O_TRACEVFORK, the child is attached and the parent stops
 * with PTRACE_EVENT_VFORK (the child's pid as message) before it waits, as
 * Linux's kernel_clone does; later reruns find the child attached already.
 */
export function ptraceVforkWait(k: Kernel, t: Task, p: PtraceState, nr: number, child: number): void {
  const ev = ptraceNewChild(k, t, p, nr, child);
  if (ev) ptraceStop(k, t, ptraceStopStatus(SIGTRAP, ev), "event", child);
}

/**
 * The syscall of a traced task finished (trap.ts; registers hold its result,
 * or the new program after execve): fork-family children are attached, the
 * event stops and then the syscall-exit stop are entered in turn.
 */
export function ptraceSyscallDone(k: Kernel, t: Task, p: PtraceState, nr: number, ret: number, execed: boolean): void {
  if (t.ptrace !== p || t.state === "Z" || t.state === "X") return;
  if (!p.inSyscall) return;
  p.inSyscall = false;
  // A call that set the registers itself (JUSTRETURN): execve's exit shows 0, rt_sigreturn's the a0 it restored (as Linux).
  p.sysRet = !execed ? ret : nr === SYS_execve || nr === SYS_execveat ? 0 : getRegSigned(k.regs, REG_A0);
  const q: PtraceQueuedStop[] = [];
  if (execed && (nr === SYS_execve || nr === SYS_execveat)) {
    if (p.options & PTRACE_O_TRACEEXEC) q.push({ status: ptraceStopStatus(SIGTRAP, PTRACE_EVENT_EXEC), kind: "event", msg: t.tid });
    else sendSignalTask(k, t, { ...kernelInfo(SIGTRAP, SI_USER), pid: t.tg.pid, uid: t.tg.creds.uid });
  }
  if ((nr === SYS_clone || nr === SYS_clone3) && ret > 0) {
    if (cloneFlags(k, t, nr) & CLONE_VFORK) {
      // The VFORK event came before the wait (ptraceVforkWait); the wait is over: VFORK_DONE.
      if (p.options & PTRACE_O_TRACEVFORKDONE) q.push({ status: ptraceStopStatus(SIGTRAP, PTRACE_EVENT_VFORK_DONE), kind: "event", msg: ret });
    } else {
      const ev = ptraceNewChild(k, t, p, nr, ret);
      if (ev) q.push({ status: ptraceStopStatus(SIGTRAP, ev), kind: "event", msg: ret });
    }
  }
  if (p.syscallTrace) q.push({ status: syscallStopStatus(p.options), kind: "syscall-exit", msg: 0 });
  const first = q.shift();
  if (!first) return;
  p.queued.push(...q);
  ptraceStop(k, t, first.status, first.kind, first.msg);
}

/** clone's flags (a0 of clone, clone_args.flags of clone3). */
function cloneFlags(k: Kernel, t: Task, nr: number): number {
  const a0 = t.sysA0Lo + t.sysA0Hi * 4294967296;
  if (nr !== SYS_clone3) return t.sysA0Lo;
  const v = t.mm ? getUser64(k.mmctx, t.mm, a0) : null;
  return v === null ? 0 : v % 4294967296;
}

/**
 * A traced process made child `pid` (fork, vfork, clone): with the matching
 * option the child is traced by the same tracer and starts in a stop.
 * Returns the event to report to the tracer, or 0. A vfork parent calls this
 * while it waits for its child (trap.ts), so it is idempotent.
 */
export function ptraceNewChild(k: Kernel, t: Task, p: PtraceState, nr: number, pid: number): number {
  const flags = nr === SYS_clone || nr === SYS_clone3 ? cloneFlags(k, t, nr) : 0;
  const ev = (flags & CLONE_VFORK) ? PTRACE_EVENT_VFORK : (flags & 0xff) === SIGCHLD && !(flags & CLONE_THREAD) ? PTRACE_EVENT_FORK : PTRACE_EVENT_CLONE;
  const opt = ev === PTRACE_EVENT_VFORK ? PTRACE_O_TRACEVFORK : ev === PTRACE_EVENT_FORK ? PTRACE_O_TRACEFORK : PTRACE_O_TRACECLONE;
  if (!(p.options & opt)) return 0;
  // A new thread (CLONE_THREAD) is found by its tid, a new process by its pid (its first thread).
  const ct = k.tasks.get(pid);
  if (!ct || ct.ptrace || ct.state === "Z" || ct.state === "X") return 0;
  if ((flags & CLONE_THREAD) ? ct.tg !== t.tg : ct.tg.pid !== pid || otherTracer(ct.tg, p.tracer)) return 0;
  const cp = attach(ct, p.tracer, p.seized, p.options);
  if (p.seized) {
    ptraceStop(k, ct, ptraceStopStatus(SIGTRAP, PTRACE_EVENT_STOP), "event");
  } else {
    cp.siginfo = { ...kernelInfo(SIGSTOP, SI_USER), pid: 0, uid: 0 };
    ptraceStop(k, ct, ptraceStopStatus(SIGSTOP), "signal");
  }
  return ev;
}

// ---------------------------------------------------------------- exit and wait

/** The traced threads of `tg`. */
function tracedThreads(tg: ThreadGroup): Task[] {
  return tg.threads.filter((x) => !!x.ptrace);
}

/** After a thread stopped being traced: the process is untraced once none is (and it is alive). */
function dropGroupIfUntraced(tg: ThreadGroup): void {
  if (tg.ptrace && !tg.zombie && tg.ptrace.threadExits.length === 0 && tracedThreads(tg).length === 0) tg.ptrace = null;
}

/**
 * A traced thread exits (exit.ts): unless it is the leader, its tracer
 * collects the exit under the thread's tid (Linux reports a traced thread's
 * exit to its tracer).
 */
export function ptraceThreadExited(k: Kernel, t: Task, groupStatus: number | null): void {
  const p = t.ptrace;
  if (!p) return;
  // exit(2) of this thread alone: its code is the syscall's argument (recorded at its entry).
  const status = groupStatus ?? (p.sysNr === SYS_exit ? (p.sysArgs[0] & 0xff) << 8 : 0);
  t.ptrace = null;
  const g = t.tg.ptrace;
  // The leader's exit is the process's (Linux delays a group leader until its
  // threads are gone): only other threads are reported on their own, each
  // one, also the last (its exit comes before the process's).
  if (!g || t.tid === t.tg.pid) return;
  g.threadExits.push({ tid: t.tid, status });
  const tracer = k.groups.get(g.tracer);
  if (tracer && !tracer.zombie) wakeUp(k, tracer.childWait);
}

/** A traced process became a zombie (exit.ts): its tracer hears of it (SIGCHLD, wait4). */
export function ptraceTraceeExited(k: Kernel, tg: ThreadGroup): void {
  const g = tg.ptrace;
  if (!g) return;
  const tracer = k.groups.get(g.tracer);
  if (!tracer || tracer.zombie) { tg.ptrace = null; return; }
  if (tracer !== tg.parent) {
    const st = tg.exitStatus ?? 0;
    sendSignalGroup(k, tracer, { signo: SIGCHLD, code: (st & 0x7f) ? 2 : 1, addr: 0, pid: tg.pid, uid: tg.creds.uid, status: (st & 0x7f) || ((st >> 8) & 0xff) });
  }
  wakeUp(k, tracer.childWait);
}

/** The tracer `tg` exits: its tracees are let go (killed with PTRACE_O_EXITKILL), stopped ones resume. */
export function ptraceTracerExited(k: Kernel, tg: ThreadGroup): void {
  for (const c of [...k.groups.values()]) {
    const g = c.ptrace;
    if (!g || g.tracer !== tg.pid) continue;
    for (const x of tracedThreads(c)) {
      const p = x.ptrace!;
      if (p.options & PTRACE_O_EXITKILL) sendSignalGroup(k, c, { ...kernelInfo(SIGKILL), pid: tg.pid });
      detach(k, x, p, 0);
    }
    c.ptrace = null;
    if (c.zombie && c.parent) wakeUp(k, c.parent.childWait);
  }
}

/** Whether the real parent must wait: the tracer has not collected this zombie's exit yet. */
export function ptraceHoldsZombie(tg: ThreadGroup, waiter: ThreadGroup): boolean {
  const g = tg.ptrace;
  return !!g && tg.zombie && g.tracer !== waiter.pid && !g.exitReported;
}

export interface PtraceWaitResult { pid: number; uid: number; status: number; code: number; siStatus: number; reap: boolean; tg: ThreadGroup }

/**
 * What the tracer `t` can collect from a tracee matching `match` (called
 * with the process and the tid that would be reported): a thread's
 * ptrace-stop, a traced thread's exit, or the exit of a traced process that
 * is not its child (the real parent may reap it after). Returns null when
 * none; `any` says whether some tracee matched.
 */
export function ptraceWaitable(k: Kernel, t: Task, match: (tg: ThreadGroup, tid: number) => boolean, exited: boolean, nowait: boolean): { r: PtraceWaitResult | null; any: boolean } {
  let any = false;
  for (const c of k.groups.values()) {
    const g = c.ptrace;
    if (!g || g.tracer !== t.tg.pid) continue;
    for (const x of c.threads) {
      const p = x.ptrace;
      if (!p || c.zombie || !match(c, x.tid)) continue;
      any = true;
      if (p.stopped && !p.reported) {
        if (!nowait) p.reported = true;
        return { r: { pid: x.tid, uid: c.creds.uid, status: p.status, code: CLD_TRAPPED, siStatus: (p.status >> 8) & 0xff, reap: false, tg: c }, any };
      }
    }
    // Traced threads that exited before (or with) their process: each is collected under its tid.
    for (let i = 0; i < g.threadExits.length; i++) {
      const e = g.threadExits[i];
      if (!match(c, e.tid)) continue;
      any = true;
      if (!exited) continue;
      if (!nowait) { g.threadExits.splice(i, 1); dropGroupIfUntraced(c); }
      const sig = e.status & 0x7f;
      return { r: { pid: e.tid, uid: c.creds.uid, status: e.status, code: sig === 0 ? 1 : 2, siStatus: sig === 0 ? (e.status >> 8) & 0xff : sig, reap: false, tg: c }, any };
    }
    if (!c.zombie) continue;
    if (c.parent === t.tg) { if (!nowait && match(c, c.pid)) c.ptrace = null; continue; } // our own child: reaped as one
    if (!match(c, c.pid)) continue;
    any = true;
    if (exited) {
      const st = c.exitStatus ?? 0;
      const sig = st & 0x7f;
      if (!nowait) {
        g.exitReported = true;
        c.ptrace = null;
        if (c.parent) wakeUp(k, c.parent.childWait);
      }
      return { r: { pid: c.pid, uid: c.creds.uid, status: st, code: sig === 0 ? 1 : (st & 0x80) ? 3 : 2, siStatus: sig === 0 ? (st >> 8) & 0xff : sig, reap: false, tg: c }, any };
    }
  }
  return { r: null, any };
}

// ---------------------------------------------------------------- requests

function mayAttach(t: Task, target: ThreadGroup): boolean {
  const c = t.tg.creds, tc = target.creds;
  if (c.euid === 0) return true;
  return c.uid === tc.uid && c.uid === tc.euid && c.uid === tc.suid && c.gid === tc.gid && c.gid === tc.egid && c.gid === tc.sgid;
}

/** Leave the ptrace-stop of thread `t`: the next queued stop, or run (passing on `sig`). */
function resume(k: Kernel, t: Task, p: PtraceState, sig: number, syscallTrace: boolean): void {
  p.syscallTrace = syscallTrace;
  p.listening = false;
  if (!syscallTrace) p.queued = p.queued.filter((s) => s.kind !== "syscall-exit");
  const next = p.queued.shift();
  if (next) { ptraceStop(k, t, next.status, next.kind, next.msg); return; }
  // An interrupted syscall's exit stop showed the restart code in a0: its argument is back before it reruns.
  const a0 = p.restoreA0 ?? null;
  if (a0 !== null) {
    putU32(t.ctx, L.X + 10 * 8, a0[0]);
    putU32(t.ctx, L.X + 10 * 8 + 4, a0[1]);
    p.restoreA0 = null;
  }
  if (sig) {
    if (p.kind === "signal") p.inject = { ...(p.siginfo ?? kernelInfo(sig)), signo: sig };
    else sendSignalTask(k, t, { ...kernelInfo(sig, SI_USER), pid: p.tracer });
  } else if (p.kind === "signal") {
    // The signal is suppressed: an interrupted restart-block call restarts as restart_syscall (a7 = 128).
    const a7 = restartAsRestartSyscall(t, getU64(t.ctx, L.PC));
    if (a7 >= 0) { putU32(t.ctx, L.X + 17 * 8, a7); putU32(t.ctx, L.X + 17 * 8 + 4, 0); }
  }
  p.stopped = false;
  p.kind = "none";
  p.siginfo = null;
  if (t.state === "T" && !t.tg.stopped) {
    t.state = "S";
    wakeTask(k, t);
  }
  // An injected signal, or a death by signal held at its PTRACE_EVENT_EXIT stop, is delivered on the way
  // out, before the tracee runs another user instruction: whatever switches it in next goes through
  // trap.ts returnToUser, which sees this mark (Linux: the signal acts in get_signal, right after the stop).
  if (p.inject || (t.fatalPending ?? null) !== null) t.interrupted = true;
}

function detach(k: Kernel, t: Task, p: PtraceState, sig: number): void {
  p.queued = [];
  if (p.stopped) resume(k, t, p, sig, false);
  else if (p.listening) { p.listening = false; if (!t.tg.stopped && t.state === "T") { t.state = "S"; wakeTask(k, t); } }
  const inject = p.inject;
  t.ptrace = null;
  dropGroupIfUntraced(t.tg);
  // A signal passed on at detach is delivered untraced.
  if (inject) sendSignalTask(k, t, inject);
}

function validSig(sig: number): boolean {
  return sig >= 0 && sig <= NSIG;
}

/** user_regs_struct: pc, then x1..x31 (each 8 bytes, little-endian, as the saved context holds them). */
function getRegs(t: Task): Uint8Array {
  const b = new Uint8Array(USER_REGS_SIZE);
  b.set(t.ctx.subarray(L.PC, L.PC + 8), 0);
  b.set(t.ctx.subarray(L.X + 8, L.X + 256), 8);
  return b;
}

function setRegs(t: Task, b: Uint8Array): void {
  t.ctx.set(b.subarray(0, 8), L.PC);
  t.ctx.set(b.subarray(8, USER_REGS_SIZE), L.X + 8);
}

function getFpRegs(t: Task): Uint8Array {
  const b = new Uint8Array(USER_FPREGS_SIZE);
  b.set(t.ctx.subarray(L.F, L.F + 256), 0);
  b.set(t.ctx.subarray(L.FCSR, L.FCSR + 4), 256);
  return b;
}

function setFpRegs(t: Task, b: Uint8Array): void {
  t.ctx.set(b.subarray(0, 256), L.F);
  t.ctx.set(b.subarray(256, 260), L.FCSR);
}

/** PTRACE_GETREGSET / SETREGSET: `iovVa` is a struct iovec naming the caller's buffer; its length is updated. */
function regset(k: Kernel, t: Task, tt: Task, note: number, iovVa: number, set: boolean): number {
  const mm = t.mm;
  if (!mm) return -EFAULT;
  const base = getUser64(k.mmctx, mm, iovVa), len = getUser64(k.mmctx, mm, iovVa + 8);
  if (base === null || len === null) return -EFAULT;
  const size = note === NT_PRSTATUS ? USER_REGS_SIZE : note === NT_PRFPREG ? USER_FPREGS_SIZE : -1;
  if (size < 0 || len % REGSET_SLOT !== 0) return -EINVAL;
  const n = Math.min(len, size);
  if (set) {
    const cur = note === NT_PRSTATUS ? getRegs(tt) : getFpRegs(tt);
    if (copyin(k.mmctx, mm, base, cur, 0, n) < 0) return -EFAULT;
    if (note === NT_PRSTATUS) setRegs(tt, cur); else setFpRegs(tt, cur);
  } else {
    const b = note === NT_PRSTATUS ? getRegs(tt) : getFpRegs(tt);
    if (copyout(k.mmctx, mm, base, b.subarray(0, n)) < 0) return -EFAULT;
  }
  return putUser64(k.mmctx, mm, iovVa + 8, n) < 0 ? -EFAULT : 0;
}

/** struct ptrace_syscall_info for the stop the tracee is in; returns the size of the filled part. */
function syscallInfo(p: PtraceState, tt: Task): Uint8Array {
  const b = new Uint8Array(80);
  const op = p.kind === "syscall-entry" ? PTRACE_SYSCALL_INFO_ENTRY : p.kind === "syscall-exit" ? PTRACE_SYSCALL_INFO_EXIT : PTRACE_SYSCALL_INFO_NONE;
  b[0] = op;
  putU32(b, 4, AUDIT_ARCH_RISCV64);
  b.set(tt.ctx.subarray(L.PC, L.PC + 8), 8);
  b.set(tt.ctx.subarray(L.X + 16, L.X + 24), 16); // sp = x2
  if (op === PTRACE_SYSCALL_INFO_ENTRY) {
    putU64(b, 24, p.sysNr);
    for (let i = 0; i < 6; i++) putU64(b, 32 + i * 8, p.sysArgs[i]);
    return b;
  }
  if (op === PTRACE_SYSCALL_INFO_EXIT) {
    putU64(b, 24, p.sysRet);
    b[32] = p.sysRet < 0 && p.sysRet >= -4095 ? 1 : 0;
    return b.subarray(0, 33);
  }
  return b.subarray(0, 24);
}

/** ptrace(request, pid, addr, data): `pid` names a thread (a tid; a process's pid is its first thread's). */
export function doPtrace(k: Kernel, t: Task, req: number, pid: number, addr: number, data: number, data64: bigint): number {
  if (req === PTRACE_TRACEME) {
    if (t.ptrace || !t.tg.parent || t.tg.parent.zombie || otherTracer(t.tg, t.tg.parent.pid)) return -EPERM;
    attach(t, t.tg.parent.pid, false, 0);
    return 0;
  }
  const target = k.tasks.get(pid);
  if (!target || target.state === "Z" || target.state === "X") return -ESRCH;
  const tg = target.tg;
  if (req === PTRACE_ATTACH || req === PTRACE_SEIZE) {
    if (tg === t.tg || tg.pid === 1 || target.ptrace || tg.exiting || tg.zombie || otherTracer(tg, t.tg.pid)) return -EPERM;
    if (!mayAttach(t, tg)) return -EPERM;
    if (req === PTRACE_SEIZE) {
      if (addr !== 0) return -EIO;
      if (data & ~PTRACE_O_MASK) return -EINVAL;
      attach(target, t.tg.pid, true, data);
      return 0;
    }
    attach(target, t.tg.pid, false, 0);
    // Linux sends the SIGSTOP to the thread (send_sig_info): it stops for the tracer first.
    sendSignalTask(k, target, { ...kernelInfo(SIGSTOP, SI_USER), pid: t.tg.pid, uid: t.tg.creds.uid });
    return 0;
  }
  const p = target.ptrace;
  if (!p || p.tracer !== t.tg.pid) return -ESRCH;
  if (req === PTRACE_KILL) {
    sendSignalGroup(k, tg, { ...kernelInfo(SIGKILL, SI_USER), pid: t.tg.pid });
    return 0;
  }
  if (req === PTRACE_INTERRUPT) {
    if (!p.seized) return -EIO;
    if (p.stopped) return 0;
    if (p.listening) {
      // A listening tracee traps again at once: EVENT_STOP with the stop signal while its group is stopped.
      p.listening = false;
      ptraceStop(k, target, ptraceStopStatus(tg.stopped ? tg.stopSignal : SIGTRAP, PTRACE_EVENT_STOP), "event");
      return 0;
    }
    if (target.state === "R" || target.state === "S" || target.state === "D") ptraceStop(k, target, ptraceStopStatus(SIGTRAP, PTRACE_EVENT_STOP), "event");
    return 0;
  }
  // Everything else needs the tracee in a ptrace-stop (a listening one is not: ESRCH, as Linux).
  const tt = p.stopped ? target : undefined;
  if (!tt) return -ESRCH;
  const mm = t.mm;
  switch (req) {
    case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA: {
      if (!tt.mm || !mm) return -EIO;
      const b = new Uint8Array(8);
      if (accessRemote(k.mmctx, tt.mm, addr, b, false, true) !== 8) return -EIO;
      return copyout(k.mmctx, mm, data, b) < 0 ? -EFAULT : 0;
    }
    case PTRACE_POKETEXT: case PTRACE_POKEDATA: {
      if (!tt.mm) return -EIO;
      const b = new Uint8Array(8);
      putU64Big(b, 0, data64); // all 64 bits (an instruction word, a pointer)
      // FOLL_FORCE: into read-only private text too (a private copy: breakpoints).
      return accessRemote(k.mmctx, tt.mm, addr, b, true, true) === 8 ? 0 : -EIO;
    }
    case PTRACE_CONT: case PTRACE_SYSCALL:
      if (!validSig(data)) return -EIO;
      resume(k, tt, p, data, req === PTRACE_SYSCALL);
      return 0;
    case PTRACE_LISTEN:
      // Only a SEIZE'd tracee in a PTRACE_EVENT_STOP (a group-stop or an interrupt) may listen (EIO otherwise).
      if (!p.seized || ((p.status >> 16) & 0xff) !== PTRACE_EVENT_STOP) return -EIO;
      p.stopped = false;
      p.listening = true;
      p.queued = [];
      return 0;
    case PTRACE_DETACH:
      if (!validSig(data)) return -EIO;
      detach(k, tt, p, data);
      return 0;
    case PTRACE_SETOPTIONS:
      if (data & ~PTRACE_O_MASK) return -EINVAL;
      p.options = data;
      return 0;
    case PTRACE_GETEVENTMSG:
      return mm && putUser64(k.mmctx, mm, data, p.eventMsg) === 0 ? 0 : -EFAULT;
    case PTRACE_GETSIGINFO: {
      if (!mm) return -EFAULT;
      // A plain group-stop has no siginfo (EINVAL: how a tracer tells it from a signal-delivery-stop).
      if (p.kind === "group" && !p.seized) return -EINVAL;
      const info: SigInfo = p.kind === "signal" && p.siginfo ? p.siginfo
        : { signo: p.kind === "group" ? (p.status >> 8) & 0xff : SIGTRAP, code: (p.status >> 8) & 0xffff, addr: 0, pid: 0, uid: 0, status: 0 };
      const b = new Uint8Array(SIGINFO.size);
      writeSiginfo(b, 0, info);
      return copyout(k.mmctx, mm, data, b) < 0 ? -EFAULT : 0;
    }
    case PTRACE_GETREGSET: return regset(k, t, tt, addr, data, false);
    case PTRACE_SETREGSET: return regset(k, t, tt, addr, data, true);
    case PTRACE_GET_SYSCALL_INFO: {
      if (!mm) return -EFAULT;
      const b = syscallInfo(p, tt);
      const n = Math.min(addr, b.length);
      if (n > 0 && copyout(k.mmctx, mm, data, b.subarray(0, n)) < 0) return -EFAULT;
      return b.length;
    }
    default: return -EIO;
  }
}
