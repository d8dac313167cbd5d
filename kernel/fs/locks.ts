// File locks: POSIX record locks (fcntl F_SETLK/F_SETLKW/F_GETLK), open-file-
// description locks (F_OFD_*), and whole-file flock(2) locks.
//
//   - A POSIX lock belongs to a process's descriptor table (Linux's
//     fl_owner = current->files): it is not inherited by fork, and closing
//     ANY descriptor of the file in that process drops all its locks on it.
//   - An OFD lock and a flock lock belong to the open file description
//     (File): they go away when its last descriptor closes.
//   - Ranges are [start, end] inclusive, end = Infinity for "to EOF"; a new
//     lock replaces the owner's locks on the range, splitting and merging.
//   - F_SETLKW that would wait on an owner that (transitively) waits on us is
//     refused with EDEADLK: a waits-for graph (owner -> owner it waits for)
//     is kept as plain data and searched for a cycle before sleeping.
//
// Concepts: C71 (flock and fcntl locks), C35 (deadlock: circular wait is
// detected and refused).
import type { Kernel } from "../kernel.js";
import type { File, FdTable, Inode } from "./vfs.js";
import { type WaitQueue, createWaitQueue, wakeUp } from "../sched/wait.js";
import { F_WRLCK, F_UNLCK, LOCK_SH, LOCK_EX } from "../abi/fs.js";
import { EAGAIN, EDEADLK, ENOLCK } from "../abi/errno.js";
import { KMEM_LOCK, kmemCharge, kmemUncharge } from "../mm/kmem.js";

export type LockOwner = FdTable | File;

export interface PosixLock {
  owner: LockOwner;
  /** An OFD lock (owner is a File). */
  ofd: boolean;
  /** Process that placed it (F_GETLK reports it; -1 for OFD locks). */
  pid: number;
  type: number; // F_RDLCK | F_WRLCK
  start: number;
  end: number;  // inclusive; Infinity = to end of file
}

export interface FlockLock { file: File; type: number /* LOCK_SH | LOCK_EX */; pid: number }

export interface InodeLocks {
  posix: PosixLock[];
  flocks: FlockLock[];
  /** Tasks waiting for a lock on this file. */
  wq: WaitQueue;
}

function inodeLocks(k: Kernel, ino: Inode): InodeLocks {
  if (!ino.locks) ino.locks = { posix: [], flocks: [], wq: createWaitQueue("flock") };
  lockedInodes(k).add(ino);
  return ino.locks;
}

/** Inodes that have (or had) locks, for /proc/locks. */
function lockedInodes(k: Kernel): Set<Inode> {
  return k.vfs.lockedInodes;
}

/** The waits-for graph of blocked F_SETLKW callers (owner -> the owner of the lock it waits on). */
function waitsFor(k: Kernel): Map<LockOwner, LockOwner> {
  return k.vfs.lockWaits;
}

/**
 * Replace an inode's record locks, charging the change in their number to
 * RAM (kmem.ts): locking every other byte of a file makes a record each.
 * False (and no change) when RAM has no room for more: ENOLCK, as Linux.
 */
function setPosixList(k: Kernel, l: InodeLocks, list: PosixLock[]): boolean {
  const delta = list.length - l.posix.length;
  if (delta > 0 && !kmemCharge(k.mmctx, delta * KMEM_LOCK)) return false;
  if (delta < 0) kmemUncharge(k.pm, -delta * KMEM_LOCK);
  l.posix = list;
  return true;
}

/** The first lock of another owner that conflicts with the proposed one, if any. */
export function findConflict(ino: Inode, owner: LockOwner, type: number, start: number, end: number): PosixLock | undefined {
  const l = ino.locks;
  if (!l) return undefined;
  for (const x of l.posix) {
    if (x.owner === owner) continue;
    if (x.end < start || x.start > end) continue;
    if (type === F_WRLCK || x.type === F_WRLCK) return x;
  }
  return undefined;
}

/**
 * Place (or with F_UNLCK, remove) a record lock. Returns 0, -EAGAIN when a
 * conflicting lock is held, -EDEADLK when waiting would close a cycle, or
 * -ENOLCK when RAM has no room for another lock record.
 * When `wait` and the lock is busy, returns -EAGAIN with *queue set: the
 * caller sleeps there and reruns the syscall.
 */
export function setPosixLock(
  k: Kernel, ino: Inode, lock: PosixLock, wait: boolean, out: { queue: WaitQueue | null },
): number {
  const l = inodeLocks(k, ino);
  const waits = waitsFor(k);
  waits.delete(lock.owner);
  if (lock.type !== F_UNLCK) {
    const c = findConflict(ino, lock.owner, lock.type, lock.start, lock.end);
    if (c) {
      if (!wait) return -EAGAIN;
      if (!lock.ofd) {
        // Would we wait, through a chain of waiters, for ourselves?
        let o: LockOwner | undefined = c.owner;
        for (let hops = 0; o !== undefined && hops < 1024; hops++) {
          if (o === lock.owner) return -EDEADLK;
          o = waits.get(o);
        }
        waits.set(lock.owner, c.owner);
      }
      out.queue = l.wq;
      return -EAGAIN;
    }
  }
  // Carve the range out of this owner's existing locks.
  const kept: PosixLock[] = [];
  for (const x of l.posix) {
    if (x.owner !== lock.owner || x.end < lock.start || x.start > lock.end) { kept.push(x); continue; }
    if (x.start < lock.start) kept.push({ ...x, end: lock.start - 1 });
    if (x.end > lock.end) kept.push({ ...x, start: lock.end + 1 });
  }
  if (lock.type !== F_UNLCK) {
    // Merge with adjacent locks of the same owner and type.
    let s = lock.start, e = lock.end;
    const merged: PosixLock[] = [];
    for (const x of kept) {
      if (x.owner === lock.owner && x.type === lock.type && x.end + 1 >= s && x.start <= e + 1) {
        s = Math.min(s, x.start);
        e = Math.max(e, x.end);
      } else merged.push(x);
    }
    merged.push({ ...lock, start: s, end: e });
    if (!setPosixList(k, l, merged)) return -ENOLCK;
  } else if (!setPosixList(k, l, kept)) {
    return -ENOLCK; // unlocking the middle of a range splits it in two records
  }
  l.posix.sort((a, b) => a.start - b.start);
  wakeUp(k, l.wq);
  return 0;
}

/** Drop every record lock `owner` holds on `ino` (close of a descriptor, or of an OFD file). */
export function removePosixLocks(k: Kernel, ino: Inode, owner: LockOwner): void {
  const l = ino.locks;
  if (!l || l.posix.length === 0) return;
  const before = l.posix.length;
  setPosixList(k, l, l.posix.filter((x) => x.owner !== owner));
  if (l.posix.length !== before) wakeUp(k, l.wq);
  waitsFor(k).delete(owner);
}

/** Forget that `owner` waits (it gave up: signal, or the syscall completed). */
export function stopWaiting(k: Kernel, owner: LockOwner): void {
  waitsFor(k).delete(owner);
}

/** flock(2): take, convert or (type 0) release the file's whole-file lock. */
export function setFlock(k: Kernel, f: File, pid: number, type: number, wait: boolean, out: { queue: WaitQueue | null }): number {
  const l = inodeLocks(k, f.inode);
  const mine = l.flocks.find((x) => x.file === f);
  if (type === 0) {
    if (mine) { l.flocks = l.flocks.filter((x) => x !== mine); wakeUp(k, l.wq); }
    return 0;
  }
  if (mine && mine.type === type) return 0;
  const busy = l.flocks.some((x) => x.file !== f && (type === LOCK_EX || x.type === LOCK_EX));
  if (busy) {
    // Linux drops the old lock first when converting, so waiters may get in.
    if (mine) { l.flocks = l.flocks.filter((x) => x !== mine); wakeUp(k, l.wq); }
    if (!wait) return -EAGAIN;
    out.queue = l.wq;
    return -EAGAIN;
  }
  if (mine) mine.type = type;
  else l.flocks.push({ file: f, type, pid });
  if (type === LOCK_SH) wakeUp(k, l.wq);
  return 0;
}

/** The last reference to an open file went away: its flock and OFD locks go too. */
export function releaseFileLocks(k: Kernel, f: File): void {
  const l = f.inode.locks;
  if (!l) return;
  const nf = l.flocks.length, np = l.posix.length;
  l.flocks = l.flocks.filter((x) => x.file !== f);
  setPosixList(k, l, l.posix.filter((x) => x.owner !== f));
  if (l.flocks.length !== nf || l.posix.length !== np) wakeUp(k, l.wq);
  waitsFor(k).delete(f);
}

/**
 * The locks held, in the format of Linux's /proc/locks (one line per lock:
 * "1: POSIX  ADVISORY  WRITE 123 00:05:42 0 EOF").
 */
export function locksText(k: Kernel): string {
  const lines: string[] = [];
  let n = 0;
  const set = lockedInodes(k);
  const hex2 = (x: number): string => x.toString(16).padStart(2, "0");
  for (const ino of [...set]) {
    const l = ino.locks;
    if (!l || (l.posix.length === 0 && l.flocks.length === 0)) { set.delete(ino); continue; }
    const id = `${hex2((ino.sb.dev >>> 8) & 0xfff)}:${hex2((ino.sb.dev & 0xff) | ((ino.sb.dev >>> 12) & 0xfff00))}:${ino.ino}`;
    for (const x of l.posix) {
      const kind = x.ofd ? "OFDLCK" : "POSIX ";
      const type = x.type === F_WRLCK ? "WRITE" : "READ ";
      lines.push(`${++n}: ${kind} ADVISORY  ${type} ${x.pid} ${id} ${x.start} ${x.end === Infinity ? "EOF" : x.end}`);
    }
    for (const x of l.flocks) {
      lines.push(`${++n}: FLOCK  ADVISORY  ${x.type === LOCK_EX ? "WRITE" : "READ "} ${x.pid} ${id} 0 EOF`);
    }
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

/**
 * The waits-for graph the deadlock detector searches, as pid pairs: each
 * blocked F_SETLKW caller and the process holding the lock it waits for.
 */
export function lockGraph(k: Kernel): { waiter: number; holder: number }[] {
  const pidOf = (o: LockOwner): number => {
    if ("dentry" in o) return -1; // an OFD lock's owner is an open file
    for (const t of k.tasks.values()) if (t.files === o) return t.tg.pid;
    return -1;
  };
  return [...waitsFor(k)].map(([w, h]) => ({ waiter: pidOf(w), holder: pidOf(h) }));
}

