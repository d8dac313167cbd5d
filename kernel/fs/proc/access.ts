// Who may look inside another process through /proc (Linux's
// ptrace_may_access with PTRACE_MODE_READ_FSCREDS): the files that show a
// process's memory, environment, open files and page tables (pid.ts,
// mmview.ts) all ask the same question, so the rule lives in one place.
//
// Concepts: C21 (the PCB is private to its owner), C57 (an address space is
// visible only to those who could trace it).
import type { Task, ThreadGroup, Creds } from "../../proc/task.js";

/** ptrace_may_access(PTRACE_MODE_READ_FSCREDS): same ids all round, or root. */
export function mayInspect(t: Task, target: ThreadGroup): boolean {
  const me = t.tg.creds, c: Creds = target.creds;
  if (me.euid === 0 || t.tg === target) return true;
  return me.fsuid === c.uid && me.fsuid === c.euid && me.fsuid === c.suid &&
    me.fsgid === c.gid && me.fsgid === c.egid && me.fsgid === c.sgid;
}
