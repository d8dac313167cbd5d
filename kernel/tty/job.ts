// Job control around a terminal: signals to a process group, the
// "background process touches the terminal" checks (SIGTTIN / SIGTTOU, or EIO
// for an orphaned group, as Linux's __tty_check_change), and the session's
// controlling terminal: acquiring it (open by a session leader, TIOCSCTTY),
// giving it up (TIOCNOTTY, the session leader exiting: SIGHUP to the
// foreground group).
//
// Concepts: C25 (foreground/background), C26 (process groups get signals as
// a whole; sessions and the controlling tty).
import type { Kernel } from "../kernel.js";
import type { Task, ThreadGroup } from "../proc/task.js";
import { sendSignalGroup } from "../signal/signal.js";
import { sigBit, SIG_IGN, SIGHUP, SIGCONT, SIGTTIN, SI_KERNEL } from "../abi/signal.js";
import { EIO, ERESTARTSYS } from "../abi/errno.js";
import { type Tty, ttys } from "./tty.js";
import { wakeUp } from "../sched/wait.js";


/** Send `sig` to every live process of group `pgid`; false when the group is empty. */
export function killPgrp(k: Kernel, pgid: number, sig: number): boolean {
  if (pgid <= 0) return false;
  let any = false;
  for (const tg of [...k.groups.values()]) {
    if (tg.pgid !== pgid || tg.zombie) continue;
    sendSignalGroup(k, tg, { signo: sig, code: SI_KERNEL, addr: 0, pid: 0, uid: 0, status: 0 });
    any = true;
  }
  return any;
}

/** Whether any live process is in session `sid`. */
export function sessionAlive(k: Kernel, sid: number): boolean {
  if (sid <= 0) return false;
  for (const tg of k.groups.values()) if (tg.sid === sid && !tg.zombie) return true;
  return false;
}

/** Whether any live process is in group `pgid` (of session `sid` when given). */
export function pgrpExists(k: Kernel, pgid: number, sid = 0): boolean {
  for (const tg of k.groups.values()) {
    if (tg.pgid === pgid && !tg.zombie && (sid === 0 || tg.sid === sid)) return true;
  }
  return false;
}

/**
 * An orphaned process group (POSIX): no member has a parent in a different
 * group of the same session, so no shell is left to continue it after a stop.
 * Parents that are init do not count (Linux will_become_orphaned_pgrp).
 */
export function isOrphanedPgrp(k: Kernel, pgid: number): boolean {
  for (const tg of k.groups.values()) {
    if (tg.pgid !== pgid || tg.zombie) continue;
    const p = tg.parent;
    if (!p || p.pid === 1) continue;
    if (p.pgid !== pgid && p.sid === tg.sid) return false;
  }
  return true;
}

/** Whether `sig` is ignored or blocked by the calling thread. */
export function sigIgnoredOrBlocked(t: Task, sig: number): boolean {
  return (t.sigmask & sigBit(sig)) !== 0n || t.tg.sighand.actions[sig]?.handler === SIG_IGN;
}

/**
 * May the caller use (read / change) its controlling terminal now? A process
 * in a background group gets `sig` sent to its group and the call returns
 * -ERESTARTSYS: signal delivery stops the group, and the call restarts once
 * it is continued; 0 = go ahead, -EIO = refused.
 */
export function ttyCheckChange(k: Kernel, t: Task, tty: Tty, sig: number): number {
  if (t.tg.tty !== tty.id) return 0;
  if (!tty.pgrp || t.tg.pgid === tty.pgrp) return 0;
  if (sigIgnoredOrBlocked(t, sig)) return sig === SIGTTIN ? -EIO : 0;
  if (isOrphanedPgrp(k, t.tg.pgid)) return -EIO;
  killPgrp(k, t.tg.pgid, sig);
  return -ERESTARTSYS;
}

/** Make `tty` the controlling terminal of `tg`'s session (Linux __proc_set_tty). */
export function procSetTty(tg: ThreadGroup, tty: Tty): void {
  tty.session = tg.sid;
  tty.pgrp = tg.pgid;
  tg.tty = tty.id;
}

/** Every process of session `sid` loses its controlling terminal. */
export function sessionClearTty(k: Kernel, sid: number): void {
  for (const tg of k.groups.values()) if (tg.sid === sid) tg.tty = 0;
}

/** Whether a tty's owning session is gone (its leader exited without telling us). */
export function ttySessionStale(k: Kernel, tty: Tty): boolean {
  return tty.session !== 0 && !sessionAlive(k, tty.session);
}

/**
 * The session leader `tg` gives up its controlling terminal (TIOCNOTTY by the
 * leader, or its exit): the foreground group gets SIGHUP (and SIGCONT, so
 * that stopped jobs see it), the tty forgets the session, and every process
 * of the session loses its controlling terminal.
 */
export function disassociateCtty(k: Kernel, tg: ThreadGroup, onExit: boolean): void {
  const tty = ttys(k).get(tg.tty);
  if (tty && tty.session === tg.sid) {
    if (tty.pgrp) {
      killPgrp(k, tty.pgrp, SIGHUP);
      if (!onExit) killPgrp(k, tty.pgrp, SIGCONT);
    }
    tty.session = 0;
    tty.pgrp = 0;
    wakeUp(k, tty.wait);
  }
  sessionClearTty(k, tg.sid);
}

/**
 * Hook for process exit: when a session leader exits, its session loses the
 * terminal (Linux disassociate_ctty(1) from do_exit). Safe to call for any
 * thread group.
 */
export function ttyExitHook(k: Kernel, tg: ThreadGroup): void {
  if (tg.pid === tg.sid && tg.tty) disassociateCtty(k, tg, true);
}
