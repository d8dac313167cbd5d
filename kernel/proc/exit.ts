// Exit and the end of a process's life: a thread exits (its robust futexes
// are released, CHILD_CLEARTID is cleared and futex-woken so pthread_join
// returns, a vfork parent is released); the last thread makes the process a
// zombie that keeps only its exit status and resource usage; its children
// are adopted by PID 1 (and get their PR_SET_PDEATHSIG signal); process
// groups it leaves orphaned with stopped jobs get SIGHUP + SIGCONT; its
// parent gets SIGCHLD and is woken in wait4 (or reaps it at once when it
// ignores SIGCHLD). When PID 1 exits the system halts with its status.
//
// Concepts: C22 (terminated/zombie state), C24 (exit/wait), C25 (orphans
// adopted by init), C26 (orphaned process groups), C33 (a thread exits alone).
import { forgetTask } from "./spawn.js";
import { ptraceTracerExited, ptraceTraceeExited, ptraceThreadExited, ptraceZapStops, ptraceExitSignal } from "./ptrace.js";
import type { Kernel } from "../kernel.js";
import { removeTimersOf } from "../time/timer.js";
import { logInfo } from "../log.js";
import { type Task, type ThreadGroup, addAcct, taskUsage, insnsToTicks } from "./task.js";
import { releaseMM } from "../mm/mm.js";
import { putUser32 } from "../mm/uaccess.js";
import { releaseFdTable } from "../fs/fdtable.js";
import { pidfdNotify } from "../fs/pidfd.js";
import { dequeueTask } from "../sched/core.js";
import { recordExit } from "../sched/report.js";
import { nowNs } from "../time/clock.js";
import { tracepoints, emit } from "../trace/tracepoint.js";
import { wakeUp, wakeTask } from "../sched/wait.js";
import { sendSignalGroup, zapThread, isOrphanedPgrp } from "../signal/signal.js";
import {
  sigBit, SIGCHLD, SIG_IGN, SA_NOCLDWAIT, SIGKILL, SIGHUP, SIGCONT, SI_USER, SI_KERNEL, CLD_EXITED, CLD_KILLED, CLD_DUMPED,
} from "../abi/signal.js";
import { futexWake, exitRobustList, futexCancel } from "../ipc/futex.js";
import { semExit } from "../ipc/sem.js";
import { shmMmGone } from "../ipc/shm.js";

/** wait4 status words. */
export function exitedStatus(code: number): number { return (code & 0xff) << 8; }
export function signaledStatus(sig: number, core: boolean): number { return (sig & 0x7f) | (core ? 0x80 : 0); }
export function stoppedStatus(sig: number): number { return ((sig & 0xff) << 8) | 0x7f; }
export const CONTINUED_STATUS = 0xffff;


/**
 * Release what a thread holds in its address space before the address
 * space goes (exit, and exec): robust futexes, CLONE_CHILD_CLEARTID, the
 * vfork parent. Linux mm_release.
 */
export function mmRelease(k: Kernel, t: Task): void {
  if (t.mm) {
    if (t.robustList) exitRobustList(k, t);
    if (t.clearChildTid && t.mm.users > 1) {
      putUser32(k.mmctx, t.mm, t.clearChildTid, 0);
      futexWake(k, t, t.clearChildTid, 1);
    }
  }
  t.clearChildTid = 0;
  t.robustList = 0;
  if (t.vforkDone) { wakeUp(k, t.vforkDone); t.vforkDone = null; }
}

/** End one thread. The caller's trap path reschedules when it was running. */
export function exitThread(k: Kernel, t: Task): void {
  if (t.state === "Z" || t.state === "X") return;
  const tg = t.tg;
  mmRelease(k, t);
  if (t.waitingOn) {
    const q = t.waitingOn;
    q.waiters = q.waiters.filter((x) => x !== t);
    t.waitingOn = null;
  }
  futexCancel(k, t);
  dequeueTask(k, t);
  const now = nowNs(k);
  recordExit(k, t, now);
  removeTimersOf(k, t);
  addAcct(tg.acct, taskUsage(t));
  if (t.mm) { shmMmGone(k, t.mm, tg.pid); releaseMM(k.mmctx, t.mm); t.mm = null; }
  releaseFdTable(k, t.files);
  t.fs.refs--;
  t.state = "X";
  t.pending = 0n;
  t.sigq = [];
  // A traced thread's exit goes to its tracer under its tid (unless it is the process's last).
  if (t.ptrace) ptraceThreadExited(k, t, tg.exiting ? tg.exitStatus : null);
  forgetTask(k, t);
  const i = tg.threads.indexOf(t);
  if (i >= 0) tg.threads.splice(i, 1);
  wakeUp(k, tg.threadExit);
  const last = tg.threads.length === 0 && !tg.zombie;
  if (last && tg.exitStatus === null) tg.exitStatus = exitedStatus(0);
  const tp = tracepoints(k);
  if (tp.sched_state) emit(tp.sched_state, { t, state: "exit", nowNs: now });
  if (tp.process_exit) emit(tp.process_exit, { pid: tg.pid, tid: t.tid, status: tg.exitStatus ?? 0, thread: !last, nowNs: now });
  if (last) {
    semExit(k, tg.pid); // SEM_UNDO adjustments are the process's: applied when its last thread goes
    becomeZombie(k, tg);
  }
}

/**
 * Exit the whole thread group with `code` (an exit code, or a signal number
 * when `bySignal`; bit 0x80 of a signal number means "core dumped"): the
 * other threads are zapped (beginGroupExit), then this one goes.
 */
export function exitGroup(k: Kernel, t: Task, code: number, bySignal: boolean): void {
  if (t.tg.zombie) return;
  beginGroupExit(k, t, bySignal ? signaledStatus(code & 0x7f, (code & 0x80) !== 0) : exitedStatus(code));
  exitThread(k, t);
}

/**
 * The first half of Linux's do_group_exit: record the process's exit status
 * and zap every other thread (zap_other_threads), before the caller itself
 * goes through do_exit - where a traced caller stops at PTRACE_EVENT_EXIT
 * (syscalls/proc.ts, exitBySignal), so by then its siblings are dying or
 * stopped at their own PTRACE_EVENT_EXIT, as a tracer sees on Linux.
 * Threads running on other harts get SIGKILL and leave at their next trap,
 * and so do traced threads that stop at PTRACE_EVENT_EXIT first; the rest
 * go at once. Does nothing when the group is already exiting, or a sibling
 * is in execve (this thread then just goes).
 */
export function beginGroupExit(k: Kernel, t: Task, status: number): void {
  const tg = t.tg;
  if (tg.zombie || tg.exiting || (tg.execer !== null && tg.execer !== t)) return;
  tg.exiting = true;
  tg.exitStatus = status;
  for (const th of [...tg.threads]) {
    if (th === t) continue;
    // A thread whose tracer wants PTRACE_EVENT_EXIT must stop there before
    // it dies (Linux zap_other_threads, then do_exit in each thread): it is
    // woken with SIGKILL pending, and on its way back to user mode stops at
    // the event (trap.ts, ptraceExitSignal) and then exits.
    if (ptraceZapStops(th)) {
      zapThread(k, th);
      continue;
    }
    if (th.cpu >= 0 && th.cpu !== k.active) {
      th.pending |= sigBit(SIGKILL);
      th.interrupted = true;
      continue;
    }
    exitThread(k, th);
  }
}

/**
 * A fatal signal's default action for `t` (trap.ts, when deliverSignals
 * returns one): the group exit begins, then `t` stops at PTRACE_EVENT_EXIT
 * when its tracer asked (its siblings already zapped, as on Linux, where
 * get_signal calls do_group_exit), or goes. Resumed from that stop, it
 * comes back here (t.fatalPending) and goes.
 */
export function exitBySignal(k: Kernel, t: Task, fatal: number): void {
  if (t.tg.zombie) return;
  beginGroupExit(k, t, signaledStatus(fatal & 0x7f, (fatal & 0x80) !== 0));
  if (t.ptrace && ptraceExitSignal(k, t, t.ptrace, fatal)) return;
  exitThread(k, t);
}

/** Whether any member of process group `pgid` is stopped. */
function hasStoppedJobs(k: Kernel, pgid: number): boolean {
  for (const g of k.groups.values()) if (g.pgid === pgid && !g.zombie && g.stopped) return true;
  return false;
}

/** SIGHUP then SIGCONT to every member of a process group that was just orphaned with stopped jobs. */
function hangupOrphanedPgrp(k: Kernel, pgid: number): void {
  for (const sig of [SIGHUP, SIGCONT]) {
    for (const g of [...k.groups.values()]) {
      if (g.pgid === pgid && !g.zombie) sendSignalGroup(k, g, { signo: sig, code: SI_KERNEL, addr: 0, pid: 0, uid: 0, status: 0 });
    }
  }
}

function becomeZombie(k: Kernel, tg: ThreadGroup): void {
  tg.zombie = true;
  tg.exiting = false;
  pidfdNotify(k); // pidfds of this process become readable
  tg.execer = null;
  for (const it of tg.itimers) { it.value = 0; it.interval = 0; it.gen++; }
  tg.posixTimers = []; // their kernel timers find no timer of this id and do nothing
  if (tg.pid === 1) {
    const st = tg.exitStatus ?? 0;
    k.exitStatus = (st & 0x7f) === 0 ? (st >> 8) & 0xff : 128 + (st & 0x7f);
    k.halted = true;
    logInfo(k, `init exited with status ${k.exitStatus}`);
    return;
  }
  // Our exit may orphan our own process group.
  const parent = tg.parent;
  if (parent && parent.pgid !== tg.pgid && parent.sid === tg.sid && isOrphanedPgrp(k, tg.pgid, tg) && hasStoppedJobs(k, tg.pgid)) {
    hangupOrphanedPgrp(k, tg.pgid);
  }
  // Tracees of ours are let go; our own tracer hears of our exit.
  ptraceTracerExited(k, tg);
  ptraceTraceeExited(k, tg);
  // Children: parent-death signals, then adoption by init.
  const init = k.groups.get(1);
  const adopter = init && !init.zombie ? init : null;
  const children = [...tg.children];
  tg.children.clear();
  for (const c of children) {
    if (c.pdeathSig && !c.zombie) {
      sendSignalGroup(k, c, { signo: c.pdeathSig, code: SI_USER, addr: 0, pid: tg.pid, uid: tg.creds.uid, status: 0 });
    }
    if (c.pgid !== tg.pgid && c.sid === tg.sid && isOrphanedPgrp(k, c.pgid, tg) && hasStoppedJobs(k, c.pgid)) {
      hangupOrphanedPgrp(k, c.pgid);
    }
    c.parent = adopter;
    if (adopter) {
      adopter.children.add(c);
      if (c.zombie) notifyParentExit(k, c);
    } else if (c.zombie) {
      reap(k, c);
    }
  }
  notifyParentExit(k, tg);
}

/** Tell the parent a child is a zombie: SIGCHLD (or the clone exit signal) and a wake-up in wait4. */
function notifyParentExit(k: Kernel, tg: ThreadGroup): void {
  const parent = tg.parent;
  if (!parent) { reap(k, tg); return; }
  const act = parent.sighand.actions[SIGCHLD];
  let sig = tg.exitSignal;
  const autoreap = sig === SIGCHLD && (act.handler === SIG_IGN || (act.flags & SA_NOCLDWAIT) !== 0);
  if (autoreap && act.handler === SIG_IGN) sig = 0;
  if (sig > 0 && sig <= 64) {
    const st = tg.exitStatus ?? 0;
    const bySig = (st & 0x7f) !== 0;
    const usage = tg.acct;
    sendSignalGroup(k, parent, {
      signo: sig, code: bySig ? ((st & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED, addr: 0,
      pid: tg.pid, uid: tg.creds.uid, status: bySig ? st & 0x7f : (st >> 8) & 0xff,
      utime: insnsToTicks(usage.utime), stime: insnsToTicks(usage.stime),
    });
  }
  wakeUp(k, parent.childWait);
  if (autoreap) reap(k, tg);
}

/** Remove a zombie from the tables (after wait4 collected it); its usage goes to the parent's children total. */
export function reap(k: Kernel, tg: ThreadGroup): void {
  const p = tg.parent;
  if (p) {
    p.children.delete(tg);
    addAcct(p.cacct, tg.acct);
    addAcct(p.cacct, tg.cacct);
    p.cutime += tg.acct.utime + tg.cutime;
    p.cstime += tg.acct.stime + tg.cstime;
  }
  if (k.groups.get(tg.pid) === tg) k.groups.delete(tg.pid);
  pidfdNotify(k); // and now report POLLHUP
  for (const th of tg.threads) forgetTask(k, th);
}

/** SIGKILL every process (poweroff / end of `tsix run`). */
export function killAll(k: Kernel): void {
  for (const tg of [...k.groups.values()]) {
    if (tg.pid !== 1) sendSignalGroup(k, tg, { signo: SIGKILL, code: SI_KERNEL, addr: 0, pid: 0, uid: 0, status: 0 });
  }
}

export { wakeTask };
