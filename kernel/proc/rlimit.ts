// Resource limits (the rlimits of a thread group): their defaults, and the
// rules by which a process may read or change them (Linux's do_prlimit and
// check_prlimit_permission). getrlimit/setrlimit/prlimit64 in
// kernel/syscalls/info.ts only decode and copy; fork (RLIMIT_NPROC) and the
// fd table (RLIMIT_NOFILE) enforce them.
//
// Concepts: C27 (credentials decide who may raise a limit), C56 (limits keep
// one process from exhausting the machine).
import type { Task, ThreadGroup, Rlimit } from "./task.js";
import { EINVAL, EPERM } from "../abi/errno.js";
import { RLIM_INFINITY, RLIMIT_STACK, RLIMIT_NOFILE, RLIMIT_NLIMITS } from "../abi/resource.js";

export function defaultRlimits(): { cur: number; max: number }[] {
  const r = Array.from({ length: RLIMIT_NLIMITS }, () => ({ cur: RLIM_INFINITY, max: RLIM_INFINITY }));
  r[RLIMIT_STACK] = { cur: 8 * 1024 * 1024, max: RLIM_INFINITY };
  r[RLIMIT_NOFILE] = { cur: 1024, max: 4096 };
  r[4] = { cur: 0, max: RLIM_INFINITY };          // RLIMIT_CORE
  r[6] = { cur: 4096, max: 4096 };                // RLIMIT_NPROC
  r[8] = { cur: 8 * 1024 * 1024, max: 8 * 1024 * 1024 }; // RLIMIT_MEMLOCK
  r[10] = { cur: 0, max: 0 };                     // RLIMIT_LOCKS unused
  r[11] = { cur: 4096, max: 4096 };               // RLIMIT_SIGPENDING
  r[12] = { cur: 819200, max: 819200 };           // RLIMIT_MSGQUEUE
  r[13] = { cur: 0, max: 0 };                     // RLIMIT_NICE
  r[14] = { cur: 0, max: 0 };                     // RLIMIT_RTPRIO
  return r;
}

/** fs.nr_open: the most descriptors RLIMIT_NOFILE may ever allow, even for root. */
export const NR_OPEN = 1048576;

/**
 * Whether `t` may read or change the limits of `tg` (Linux's
 * check_prlimit_permission): its own, those of a process whose real,
 * effective and saved ids all equal the caller's real ids, or any with
 * CAP_SYS_RESOURCE (root).
 */
export function mayPrlimit(t: Task, tg: ThreadGroup): boolean {
  if (tg === t.tg) return true;
  const c = t.tg.creds, tc = tg.creds;
  if (c.euid === 0) return true;
  return c.uid === tc.uid && c.uid === tc.euid && c.uid === tc.suid &&
    c.gid === tc.gid && c.gid === tc.egid && c.gid === tc.sgid;
}

/**
 * Set one limit of `tg` as Linux's do_prlimit does: the soft limit may not
 * exceed the hard one (EINVAL); RLIMIT_NOFILE may not exceed fs.nr_open,
 * even for root (EPERM); raising the hard limit needs CAP_SYS_RESOURCE
 * (root), lowering it is for good. Returns 0 or -errno.
 */
export function setRlimit(t: Task, tg: ThreadGroup, res: number, want: Rlimit): number {
  if (res < 0 || res >= RLIMIT_NLIMITS) return -EINVAL;
  if (want.cur > want.max) return -EINVAL;
  if (res === RLIMIT_NOFILE && want.max > NR_OPEN) return -EPERM;
  if (want.max > tg.rlimits[res].max && t.tg.creds.euid !== 0) return -EPERM;
  tg.rlimits[res] = { cur: want.cur, max: want.max };
  return 0;
}

/** kernel.threads-max's default (/proc/sys/kernel/threads-max). */
export const DEFAULT_THREADS_MAX = 63704;
