// Exit and the end of a process's life: a thread exits (CHILD_CLEARTID
// cleared and futex-woken), the last thread makes the process a zombie that
// keeps only its exit status, its children are adopted by PID 1, its parent
// gets SIGCHLD and is woken in wait4. When PID 1 exits the system halts with
// its status.
//
// Concepts: C22 (terminated/zombie state), C24 (exit/wait), C25 (orphans
// adopted by init).
import type { Kernel } from "../kernel.js";
import { removeTimersOf, logInfo } from "../kernel.js";
import type { Task, ThreadGroup } from "./task.js";
import { releaseMM } from "../mm/mm.js";
import { putUser32 } from "../mm/uaccess.js";
import { releaseFdTable } from "../fs/fdtable.js";
import { removeTask } from "../sched/sched.js";
import { wakeUp, wakeTask } from "../sched/wait.js";
import { sendSignalGroup, setNotifyParentHook, SIGCHLD, SIG_IGN, SA_NOCLDWAIT, SA_NOCLDSTOP, SIGKILL } from "../signal/signal.js";

/** wait4 status words. */
export function exitedStatus(code: number): number { return (code & 0xff) << 8; }
export function signaledStatus(sig: number, core: boolean): number { return (sig & 0x7f) | (core ? 0x80 : 0); }

/** Futex wake hook for CHILD_CLEARTID (set by the futex module). */
export type FutexWakeFn = (k: Kernel, t: Task, uaddr: number, n: number) => void;
export function setFutexWake(k: Kernel, f: FutexWakeFn): void { k.sub.futexWake = f; }

/** End one thread. The caller's trap path reschedules when it was running. */
export function exitThread(k: Kernel, t: Task): void {
  if (t.state === "Z" || t.state === "X") return;
  if (t.clearChildTid && t.mm) {
    putUser32(k.mmctx, t.mm, t.clearChildTid, 0);
    const wake = k.sub.futexWake as FutexWakeFn | undefined;
    wake?.(k, t, t.clearChildTid, 1);
  }
  if (t.vforkDone) { wakeUp(t.vforkDone); t.vforkDone = null; }
  if (t.waitingOn) {
    const q = t.waitingOn;
    q.waiters = q.waiters.filter((x) => x !== t);
    t.waitingOn = null;
  }
  removeTask(k.rq, t);
  removeTimersOf(k, t);
  if (t.mm) { releaseMM(k.mmctx, t.mm); t.mm = null; }
  releaseFdTable(k, t.files);
  t.fs.refs--;
  t.state = "X";
  k.tasks.delete(t.tid);
  const tg = t.tg;
  const i = tg.threads.indexOf(t);
  if (i >= 0) tg.threads.splice(i, 1);
}

/**
 * Exit the whole thread group with `code` (an exit code, or a signal number
 * when `bySignal`; bit 0x80 of a signal number means "core dumped").
 */
export function exitGroup(k: Kernel, t: Task, code: number, bySignal: boolean): void {
  const tg = t.tg;
  if (tg.zombie) return;
  tg.exitStatus = bySignal ? signaledStatus(code & 0x7f, (code & 0x80) !== 0) : exitedStatus(code);
  for (const th of [...tg.threads]) exitThread(k, th);
  becomeZombie(k, tg);
}

function becomeZombie(k: Kernel, tg: ThreadGroup): void {
  tg.zombie = true;
  if (tg.pid === 1) {
    const st = tg.exitStatus ?? 0;
    k.exitStatus = (st & 0x7f) === 0 ? (st >> 8) & 0xff : 128 + (st & 0x7f);
    k.halted = true;
    logInfo(k, `init exited with status ${k.exitStatus}`);
    return;
  }
  // Orphans are adopted by init.
  const init = k.groups.get(1);
  for (const c of tg.children) {
    c.parent = init ?? null;
    if (init) {
      init.children.add(c);
      if (c.zombie) wakeUp(init.childWait);
    }
  }
  tg.children.clear();
  for (const c of k.groups.values()) if (c.parent === tg) c.parent = init ?? null;
  const parent = tg.parent;
  if (!parent) { reap(k, tg); return; }
  const act = parent.sighand.actions[SIGCHLD];
  if (tg.exitSignal === SIGCHLD && (act.handler === SIG_IGN || (act.flags & SA_NOCLDWAIT))) {
    // The parent asked not to keep zombies.
    reap(k, tg);
    wakeUp(parent.childWait);
    return;
  }
  if (tg.exitSignal) {
    const st = tg.exitStatus ?? 0;
    sendSignalGroup(k, parent, { signo: tg.exitSignal, code: (st & 0x7f) ? 2 : 1, addr: 0, pid: tg.pid, uid: tg.creds.uid, status: (st & 0x7f) || (st >> 8) });
  }
  wakeUp(parent.childWait);
}

/** Remove a zombie from the tables (after wait4 collected it). */
export function reap(k: Kernel, tg: ThreadGroup): void {
  tg.parent?.children.delete(tg);
  k.groups.delete(tg.pid);
  for (const th of tg.threads) k.tasks.delete(th.tid);
}

/** Job-control notifications: a child stopped or continued (SIGCHLD unless SA_NOCLDSTOP). */
setNotifyParentHook((k, tg, what) => {
  const parent = tg.parent;
  if (!parent) return;
  const act = parent.sighand.actions[SIGCHLD];
  if (!(act.flags & SA_NOCLDSTOP) && act.handler !== SIG_IGN) {
    sendSignalGroup(k, parent, { signo: SIGCHLD, code: what === "stopped" ? 5 : 6, addr: 0, pid: tg.pid, uid: tg.creds.uid, status: what === "stopped" ? tg.stopSignal : 18 });
  }
  wakeUp(parent.childWait);
});

/** SIGKILL every process (poweroff / end of `tsix run`). */
export function killAll(k: Kernel): void {
  for (const tg of k.groups.values()) {
    if (tg.pid !== 1) sendSignalGroup(k, tg, { signo: SIGKILL, code: 0, addr: 0, pid: 0, uid: 0, status: 0 });
  }
}

export { wakeTask };
