// Signals: sending (to a thread or a whole process), the pending and blocked
// sets, and delivery on the way back to user mode. This file holds the
// mechanism and the default actions (terminate, core, stop, continue,
// ignore); user handlers and signal frames live in frame.ts.
//
// Concepts: C44 (handlers, default actions, pending/blocked sets, delivered
// on return to user mode), C26 (signals to process groups).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup } from "../proc/task.js";
import { exitGroup } from "../proc/exit.js";
import { wakeTask } from "../sched/wait.js";
import { setupFrame } from "./frame.js";

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
  SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
  SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
  SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
  SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const NSIG = 64;
export const SIG_DFL = 0;
export const SIG_IGN = 1;

export const SA_NOCLDSTOP = 0x1, SA_NOCLDWAIT = 0x2, SA_SIGINFO = 0x4, SA_ONSTACK = 0x08000000,
  SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000, SA_RESTORER = 0x04000000;

export type DefaultAction = "term" | "core" | "ign" | "stop" | "cont";

export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: return "ign";
    case SIGCONT: return "cont";
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return "stop";
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS: return "core";
    default: return sig >= 32 ? "term" : "term";
  }
}

export function sigBit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** Extra information delivered with a signal (siginfo_t). */
export interface SigInfo { signo: number; code: number; addr: number; pid: number; uid: number; status: number }

/** Queued siginfo per task and signal (one per standard signal, like Linux). */
export function infoQueue(k: Kernel): Map<Task | ThreadGroup, Map<number, SigInfo>> {
  let q = k.sub.siginfo as Map<Task | ThreadGroup, Map<number, SigInfo>> | undefined;
  if (!q) { q = new Map(); k.sub.siginfo = q; }
  return q;
}

function queueInfo(k: Kernel, who: Task | ThreadGroup, info: SigInfo): void {
  const q = infoQueue(k);
  let m = q.get(who);
  if (!m) { m = new Map(); q.set(who, m); }
  if (!m.has(info.signo)) m.set(info.signo, info);
}

export function takeInfo(k: Kernel, who: Task | ThreadGroup, sig: number): SigInfo | undefined {
  const m = infoQueue(k).get(who);
  const i = m?.get(sig);
  if (i) m!.delete(sig);
  return i;
}

/** Whether the signal would be ignored (so sending it can drop it at once). */
function ignored(tg: ThreadGroup, sig: number): boolean {
  const a = tg.sighand.actions[sig];
  if (sig === SIGKILL || sig === SIGSTOP) return false;
  return a.handler === SIG_IGN || (a.handler === SIG_DFL && defaultAction(sig) === "ign");
}

/** Wake a thread that can take `sig` so that delivery happens promptly. */
function signalWake(t: Task, sig: number): void {
  if ((t.state === "S") && (sig === SIGKILL || !(t.sigmask & sigBit(sig)))) {
    t.interrupted = true;
    wakeTask(t);
  }
}

/** Send `sig` to a whole process (kill). */
export function sendSignalGroup(k: Kernel, tg: ThreadGroup, info: SigInfo): void {
  const sig = info.signo;
  if (sig === 0 || tg.zombie) return;
  if (sig === SIGCONT || sig === SIGKILL) continueGroup(k, tg);
  if (sig === SIGSTOP || sig === SIGTSTP || sig === SIGTTIN || sig === SIGTTOU) {
    tg.sharedPending &= ~sigBit(SIGCONT);
  }
  if (ignored(tg, sig)) return;
  tg.sharedPending |= sigBit(sig);
  queueInfo(k, tg, info);
  for (const t of tg.threads) signalWake(t, sig);
}

/** Send `sig` to one thread (tgkill, faults). */
export function sendSignalTask(k: Kernel, t: Task, info: SigInfo): void {
  const sig = info.signo;
  if (sig === 0 || t.tg.zombie) return;
  if (sig === SIGCONT || sig === SIGKILL) continueGroup(k, t.tg);
  if (ignored(t.tg, sig)) return;
  t.pending |= sigBit(sig);
  queueInfo(k, t, info);
  signalWake(t, sig);
}

/**
 * A synchronous fault signal (SIGSEGV, SIGILL...): it cannot be blocked or
 * ignored usefully - if it is, the default action applies, as in Linux.
 */
export function forceSignal(k: Kernel, t: Task, sig: number, code: number, addr: number): void {
  const a = t.tg.sighand.actions[sig];
  if ((t.sigmask & sigBit(sig)) || a.handler === SIG_IGN) {
    a.handler = SIG_DFL;
    t.sigmask &= ~sigBit(sig);
  }
  t.pending |= sigBit(sig);
  queueInfo(k, t, { signo: sig, code, addr, pid: 0, uid: 0, status: 0 });
}

function continueGroup(k: Kernel, tg: ThreadGroup): void {
  const stopMask = sigBit(SIGSTOP) | sigBit(SIGTSTP) | sigBit(SIGTTIN) | sigBit(SIGTTOU);
  tg.sharedPending &= ~stopMask;
  for (const t of tg.threads) t.pending &= ~stopMask;
  if (tg.stopped) {
    tg.stopped = false;
    tg.continuedReported = false;
    for (const t of tg.threads) if (t.state === "T") { t.state = "S"; wakeTask(t); }
    notifyParentHook?.(k, tg, "continued");
  }
}

/** Set by proc/exit.ts: tell the parent a child stopped or continued (SIGCHLD, wait4). */
export let notifyParentHook: ((k: Kernel, tg: ThreadGroup, what: "stopped" | "continued") => void) | null = null;
export function setNotifyParentHook(f: (k: Kernel, tg: ThreadGroup, what: "stopped" | "continued") => void): void {
  notifyParentHook = f;
}

/** The lowest deliverable signal for `t`, or 0. Synchronous faults come first. */
function nextSignal(t: Task): { sig: number; shared: boolean } {
  const mine = t.pending & ~t.sigmask;
  const shared = t.tg.sharedPending & ~t.sigmask;
  // SIGKILL and SIGSTOP cannot be blocked.
  const forced = (t.pending | t.tg.sharedPending) & (sigBit(SIGKILL) | sigBit(SIGSTOP));
  const pick = (mask: bigint): number => {
    for (const s of [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS]) if (mask & sigBit(s)) return s;
    for (let s = 1; s <= NSIG; s++) if (mask & sigBit(s)) return s;
    return 0;
  };
  if (forced & sigBit(SIGKILL)) return { sig: SIGKILL, shared: !(t.pending & sigBit(SIGKILL)) };
  let s = pick(mine | (forced & t.pending));
  if (s) return { sig: s, shared: false };
  s = pick(shared | (forced & t.tg.sharedPending));
  return { sig: s, shared: s !== 0 };
}

/**
 * Deliver pending, unblocked signals to `t` before it returns to user mode:
 * run default actions, or build a frame for a user handler.
 */
export function deliverSignals(k: Kernel, t: Task): void {
  for (let guard = 0; guard < NSIG + 1; guard++) {
    if (t.state === "Z" || t.state === "X") return;
    const { sig, shared } = nextSignal(t);
    if (sig === 0) return;
    if (shared) t.tg.sharedPending &= ~sigBit(sig); else t.pending &= ~sigBit(sig);
    const info = takeInfo(k, shared ? t.tg : t, sig) ?? { signo: sig, code: 0, addr: 0, pid: 0, uid: 0, status: 0 };
    const act = t.tg.sighand.actions[sig];
    if (act.handler === SIG_IGN && sig !== SIGKILL && sig !== SIGSTOP) continue;
    if (act.handler !== SIG_DFL && sig !== SIGKILL && sig !== SIGSTOP) {
      setupFrame(k, t, sig, act, info);
      return;
    }
    const what = defaultAction(sig);
    if (what === "ign" || what === "cont") continue;
    if (what === "stop") {
      stopGroup(k, t.tg, sig);
      return;
    }
    // Terminate (with a core flag for "core" signals, reported as such by wait4).
    exitGroup(k, t, sig | (what === "core" ? 0x80 : 0), true);
    return;
  }
}

function stopGroup(k: Kernel, tg: ThreadGroup, sig: number): void {
  tg.stopped = true;
  tg.stopSignal = sig;
  tg.stopReported = false;
  for (const t of tg.threads) if (t.state === "R" || t.state === "S") t.state = "T";
  notifyParentHook?.(k, tg, "stopped");
}
