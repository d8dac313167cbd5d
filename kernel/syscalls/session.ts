// Process groups and sessions: setpgid, getpgid, getsid, setsid, with
// Linux's rules (a session leader cannot move, a group must be in the
// caller's session, a child that has exec'd cannot be moved).
//
// Concepts: C25 (sessions, daemons), C26 (process groups).
import type { Kernel } from "../kernel.js";
import { type Task, findProcess } from "../proc/task.js";
import { type SyscallTable, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { EINVAL, EPERM, ESRCH, EACCES } from "../abi/errno.js";

// ---- process groups and sessions ---------------------------------------------

function sysSetpgid(k: Kernel, t: Task): number {
  const me = t.tg;
  let pid = argInt(k, 0), pgid = argInt(k, 1);
  if (pid === 0) pid = me.pid;
  if (pgid === 0) pgid = pid;
  if (pgid < 0) return -EINVAL;
  const p = findProcess(k, pid);
  if (!p || p.zombie) return -ESRCH;
  if (p.pid !== pid) return -EINVAL; // not a thread-group leader
  if (p.parent === me) {
    if (p.sid !== me.sid) return -EPERM;
    if (p.didExec) return -EACCES;
  } else if (p !== me) {
    return -ESRCH;
  }
  if (p.sid === p.pid) return -EPERM; // a session leader cannot move
  if (pgid !== pid) {
    let found = false;
    for (const g of k.groups.values()) if (g.pgid === pgid && g.sid === me.sid) { found = true; break; }
    if (!found) return -EPERM;
  }
  p.pgid = pgid;
  return 0;
}

function sysGetpgid(k: Kernel, t: Task): number {
  const pid = argInt(k, 0);
  if (pid === 0) return t.tg.pgid;
  const p = findProcess(k, pid);
  return p ? p.pgid : -ESRCH;
}

function sysGetsid(k: Kernel, t: Task): number {
  const pid = argInt(k, 0);
  if (pid === 0) return t.tg.sid;
  const p = findProcess(k, pid);
  return p ? p.sid : -ESRCH;
}

function sysSetsid(k: Kernel, t: Task): number {
  const me = t.tg;
  for (const g of k.groups.values()) if (g.pgid === me.pid) return -EPERM;
  me.sid = me.pid;
  me.pgid = me.pid;
  me.tty = 0;
  return me.sid;
}

export function registerSessionSyscalls(table: SyscallTable): void {
  table[N.SYS_setpgid] = sysSetpgid;
  table[N.SYS_getpgid] = sysGetpgid;
  table[N.SYS_getsid] = sysGetsid;
  table[N.SYS_setsid] = sysSetsid;
}
