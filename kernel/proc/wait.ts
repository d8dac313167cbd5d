// wait4 and waitid: a parent collects how its children ended (exit code,
// killing signal, core dump), or learns that one stopped or continued (job
// control). A zombie is reaped when collected: only then does its pid go
// away and its resource usage move into the parent's "children" totals.
// With no matching child the call fails with ECHILD; with nothing to report
// yet it sleeps on the parent's childWait queue and reruns when a child
// changes state (or returns EINTR for a signal, restarted per SA_RESTART).
//
// Concepts: C22 (zombies until reaped), C24 (wait collects the exit status),
// C26 (stopped/continued jobs for the shell's job control).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup, Acct } from "./task.js";
import { emptyAcct, groupUsage } from "./task.js";
import { reap, stoppedStatus, CONTINUED_STATUS } from "./exit.js";
import { sleepOn } from "../sched/wait.js";
import { deliverable } from "../signal/signal.js";
import { ptraceWaitable, ptraceHoldsZombie } from "./ptrace.js";
import { SIGCHLD, SIGCONT, CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED } from "../abi/signal.js";
import { ECHILD, ERESTARTSYS } from "../abi/errno.js";
import { WNOHANG, WSTOPPED, WEXITED, WCONTINUED, WNOWAIT, __WNOTHREAD, __WALL, __WCLONE } from "../abi/wait.js";

/** Which children a wait matches. */
export type WaitSel = { kind: "all" } | { kind: "pid"; pid: number } | { kind: "pgid"; pgid: number };

export interface WaitResult {
  pid: number;
  uid: number;
  /** The wait4 status word. */
  status: number;
  /** waitid: CLD_* and si_status. */
  code: number;
  siStatus: number;
  /** The child's usage including its reaped children (wait4's rusage). */
  usage: Acct;
}

function matches(c: ThreadGroup, sel: WaitSel, opts: number): boolean {
  if (sel.kind === "pid" && c.pid !== sel.pid) return false;
  if (sel.kind === "pgid" && c.pgid !== sel.pgid) return false;
  // A "clone" child reports to its parent with a signal other than SIGCHLD; only __WCLONE/__WALL see it.
  if (opts & __WALL) return true;
  const isClone = c.exitSignal !== SIGCHLD;
  return isClone === ((opts & __WCLONE) !== 0);
}

function bothUsage(c: ThreadGroup): Acct {
  const u = groupUsage(c);
  const a = emptyAcct();
  a.utime = u.utime + c.cacct.utime; a.stime = u.stime + c.cacct.stime;
  a.minFlt = u.minFlt + c.cacct.minFlt; a.majFlt = u.majFlt + c.cacct.majFlt;
  a.nvcsw = u.nvcsw + c.cacct.nvcsw; a.nivcsw = u.nivcsw + c.cacct.nivcsw;
  a.maxRss = Math.max(u.maxRss, c.cacct.maxRss);
  return a;
}

/**
 * Look for a child to report. Returns the result, 0 when matching children
 * exist but none has news, or -ECHILD when there is no matching child.
 */
export function findWaitable(k: Kernel, t: Task, sel: WaitSel, opts: number): WaitResult | number {
  // Tracees first (proc/ptrace.ts): their ptrace-stops, and exits of those that are not our children.
  // A traced thread is waited for by its tid (the process's pid names its first thread and its exit).
  const pw = ptraceWaitable(k, t, (c, tid) => (sel.kind !== "pid" || tid === sel.pid) && (sel.kind !== "pgid" || c.pgid === sel.pgid), (opts & WEXITED) !== 0, (opts & WNOWAIT) !== 0);
  if (pw.r) return { pid: pw.r.pid, uid: pw.r.uid, status: pw.r.status, code: pw.r.code, siStatus: pw.r.siStatus, usage: bothUsage(pw.r.tg) };
  let any = pw.any;
  for (const c of [...t.tg.children]) {
    if (!matches(c, sel, opts)) continue;
    any = true;
    if (ptraceHoldsZombie(c, t.tg)) continue; // its tracer sees the exit first
    if (c.ptrace && c.ptrace.tracer === t.tg.pid && !c.zombie) continue; // reported as a tracee above
    if (c.zombie && (opts & WEXITED)) {
      const st = c.exitStatus ?? 0;
      const sig = st & 0x7f;
      const r: WaitResult = {
        pid: c.pid, uid: c.creds.uid, status: st, usage: bothUsage(c),
        code: sig === 0 ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED,
        siStatus: sig === 0 ? (st >> 8) & 0xff : sig,
      };
      if (!(opts & WNOWAIT)) reap(k, c);
      return r;
    }
    if ((opts & WSTOPPED) && c.stopped && !c.stopReported && !c.zombie) {
      if (!(opts & WNOWAIT)) c.stopReported = true;
      return {
        pid: c.pid, uid: c.creds.uid, status: stoppedStatus(c.stopSignal), usage: bothUsage(c),
        code: CLD_STOPPED, siStatus: c.stopSignal,
      };
    }
    if ((opts & WCONTINUED) && !c.continuedReported && !c.zombie) {
      if (!(opts & WNOWAIT)) c.continuedReported = true;
      return { pid: c.pid, uid: c.creds.uid, status: CONTINUED_STATUS, usage: bothUsage(c), code: CLD_CONTINUED, siStatus: SIGCONT };
    }
  }
  return any ? 0 : -ECHILD;
}

/**
 * The blocking part shared by wait4 and waitid: a result, 0 for WNOHANG with
 * nothing to report, -ECHILD, or -ERESTARTSYS (asleep, or a signal is pending).
 */
export function doWait(k: Kernel, t: Task, sel: WaitSel, opts: number): WaitResult | number {
  const r = findWaitable(k, t, sel, opts);
  if (typeof r !== "number" || r !== 0) return r;
  if (opts & WNOHANG) return 0;
  if (deliverable(t) === 0n) sleepOn(t, t.tg.childWait);
  return -ERESTARTSYS;
}

