// hostfs: a directory of the host mounted in the guest (`tsix run --mount
// HOST:GUEST`, or `mount -t hostfs SOURCE DIR` for a source the host
// registered). Every operation is passed to a HostFs - a small synchronous
// interface the host adapter implements (host/node/hostfs.ts with Node's
// fs.*Sync) - so the kernel itself imports nothing from Node.
//
// Isolation by construction. The HostFs deals in HANDLES, not path names: a
// handle names one host object (the Node adapter uses O_PATH descriptors),
// and a name is only ever looked up inside a directory handle, one component
// at a time, without following a host symbolic link. So:
//   - An inode is identified by its host identity (device, inode number,
//     birth time: HostStat.id) and holds a handle on its object while it is
//     cached. An open file holds a host descriptor of its own (opened from the
//     inode's handle, never by name): read, write, fsync, fchmod, ftruncate,
//     futimens and the page cache's fill and write-back all reach the object
//     the file was opened on, whatever has its name now.
//   - Guest symbolic links are resolved by the guest VFS only (readlink gives
//     it the target string; the walk happens in the guest's name space).
//   - Handles are a bounded cache: an inode that nothing holds (refs 0) keeps
//     its handle in a least-recently-used list of HANDLE_CACHE entries; an
//     evicted inode is found again from its parent directory's handle by its
//     last known name, and the object found must have the inode's identity -
//     else the operation fails with ESTALE and never acts on the new object.
//     Inodes in use (open files, mappings) keep their handle. A directory the
//     guest removed is gone: operations in it fail with ENOENT, as in a
//     deleted working directory on Linux.
//
// Data is read and written through to the host. Pages are cached only when
// something maps the file (getPage, filled from the host); writes also update
// cached pages so that mappings stay coherent. Stores through MAP_SHARED
// mappings reach the host at msync, fsync, sync/syncfs, every
// WRITEBACK_NS of guest time (a deferrable kernel timer), when the last user
// goes away, at unmount and when the kernel halts (syncFilesystems).
//
// Concepts: C68 (a VFS over a foreign file system), C46 (mmap of a file
// whose data lives elsewhere), C74 (page cache, write-back), C66 (an open
// file refers to the object, not to its name).
import type { Kernel } from "../../kernel.js";
import { addDeferredTimer } from "../../time/timer.js";
import { mmsById, frameMkclean, frameRedirty } from "../../mm/reclaim.js";
import { nowNs } from "../../time/clock.js";
import type { Inode, SuperBlock, DirEntry, StatFs, File, SetAttr } from "../vfs.js";
import { defineFsType, registerFsType, makedev } from "../fstypes.js";
import { allocAnonDev, currentTime, maybeEvict } from "../inode.js";
import {
  type PageCache, createPageCache, pcRead, pcGetPage, pcFrame, pcTruncate, pcFree, pcUpdateCached, pcCachedPages,
} from "../pagecache.js";
import {
  S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IALLUGO, DT_DIR, DT_UNKNOWN, HOSTFS_SUPER_MAGIC, NAME_MAX, O_ACCMODE,
} from "../../abi/fs.js";
import { ENOENT, EPERM, EEXIST, ENOTDIR, ESTALE, EINVAL, EBADF, EMFILE, ENFILE, ENOMEM, ERESTARTNOINTR, EROFS, EAGAIN, errnoName } from "../../abi/errno.js";
import type { Task } from "../../proc/task.js";
import { type WaitQueue, sleepOn, wakeTask } from "../../sched/wait.js";
import { PAGE_SIZE, RAM_BASE } from "../../mm/phys.js";
import { defineFileOps, defineInodeOps, defineSuperOps, NO_FOPS } from "../../lib/fsops.js";

// The HostFs interface is the host's (host/hostfs.ts, imported type-only): every
// operation answers at once or later, and this module handles both.
import type {
  HostFs, HostHandle, HostStat, HostStatFs, HostPending, HostResult, HostDirEntry,
} from "../../../host/hostfs.js";
export type { HostFs, HostHandle, HostStat, HostDirEntry, HostStatFs, HostPending, HostResult, HostCompletion } from "../../../host/hostfs.js";

/** Handles kept open for inodes nothing holds (least recently used first out). */
const HANDLE_CACHE = 64;
/** Inodes kept for reuse by identity beyond those in use (their handles are not kept). */
const INODE_CACHE = 4096;
/** Guest time between periodic write-backs of shared mappings (Linux's dirty_writeback_centisecs: 5 s). */
const WRITEBACK_NS = 5e9;

interface HostSb {
  /** The host directory's source name: the HostFs itself is a host attachment (k.host.hostDirs). */
  source: string;
  /** Cached inodes by host identity. */
  byId: Map<string, Inode>;
  /** Inodes with refs 0 that hold a handle, oldest first (a Set keeps insertion order). */
  lru: Set<Inode>;
  root: Inode;
}

interface HostInode {
  /** The directory it was last found in (null: the share's root) and its name there. */
  parent: Inode | null;
  name: string;
  id: string;
  /** The handle on the object, or -1 (found again from the parent when needed). */
  h: HostHandle;
  /** A descriptor for the page cache's fill and write-back (-1: none yet); ioAcc is its access mode. */
  io: HostHandle;
  ioAcc: number;
  /** The guest removed it (rmdir, or unlink of its last link): never looked up again. */
  gone: boolean;
  pc: PageCache | null;
  /** Digest of each cached page when it last matched the host (see writeBack). */
  clean: Map<number, number>;
  uid: number | null;
  gid: number | null;
}

/** An open regular file: its own host descriptor (-ESTALE: its object was not found again after a restore). */
interface HostFile { fd: HostHandle }

/**
 * hostfs-wide state: the mounted superblocks (for periodic write-back and
 * sync), and the bookkeeping of host answers that come later (see "Host
 * answers that come later" below).
 */
export interface HostfsState {
  sbs: SuperBlock[];
  armed: boolean;
  /** The task whose syscall or page fault is being handled (set by the trap layer), 0 when none. */
  caller: number;
  /** > 0 while running work that cannot wait for the host (close's write-back, timers, unmount, halt). */
  background: number;
  /** Per task: the host answers its current syscall (or fault) has had, across its reruns. */
  journals: Map<number, HostJournal>;
  /** Host requests in flight, by "source#ticket": whose they are (tid 0: nobody waits for the answer). */
  inflight: Map<string, { tid: number; handle: boolean }>;
  /** Where tasks sleep (state D, killable) until their host answer comes. */
  wait: WaitQueue;
}

/** One host operation of a syscall in progress: its request key, and its answer once it came. */
export interface HostJournalEntry {
  key: string;
  source: string;
  ticket: number;
  done: boolean;
  result: HostResult;
  /** Whether the answer is a new handle or descriptor (closed if the syscall ends without keeping it). */
  handle: boolean;
  /** A best-effort request (revalidate's stat): its answer is used if a rerun finds it, nobody waits for it. */
  optional: boolean;
  /** The last attempt (run of the syscall) that received the answer, and the attempt that closed it (0: none). */
  used: number;
  closed: number;
}

export interface HostJournal { tid: number; attempt: number; doomed: boolean; entries: HostJournalEntry[] }

function state(k: Kernel): HostfsState {
  return k.vfs.hostfs;
}

function sbOf(ino: Inode): HostSb { return ino.sb.info as HostSb; }
function hi(ino: Inode): HostInode { return ino.info as HostInode; }
/** The host directory behind a superblock (a host attachment, found by its source name). */
function hostOf(k: Kernel, s: HostSb): HostFs {
  const h = k.host.hostDirs.get(s.source);
  if (!h) throw new Error(`hostfs: no host directory attached as '${s.source}'`);
  return h;
}

// --- Host answers that come later ---
//
// A host may answer any operation later (host/hostfs.ts). The kernel never
// waits for it: "blocking is a state; syscalls restart". When an operation
// of a task's syscall (or page fault) is pending, the wrapper below returns
// WAIT (-ERESTARTNOINTR), the code above unwinds as from an error, and the
// trap layer (hostfsEnd) puts the task to sleep (state D, killable) with its
// pc on the ecall (or the faulting instruction). The host's completion
// (hostComplete, called by the host between run slices) wakes it, and the
// syscall runs again FROM THE START.
//
// What makes the rerun correct is the task's JOURNAL: every answer that
// came, keyed by its request (operation and arguments: "write 7 4096 512"),
// kept for the whole syscall across its reruns. A rerun that makes the same
// request gets the recorded answer instead of asking the host again, so a
// write, create, mkdir, unlink or rename is done once on the host whatever
// the number of reruns, and each rerun gets one step further (at most one
// request of a task is in flight: after the first pending answer an attempt
// is "doomed" and asks the host nothing more). Handles a rerun got from the
// journal are closed only when the syscall is over (a doomed attempt may
// close what the next one keeps): one a finished syscall did not keep, or
// closed, is closed then. The journal goes when an attempt ends with no
// pending answer. Work that cannot be rerun (the write-back when the last
// user of a mapped file goes away, the periodic write-back timer, unmount,
// halt) runs in "background": a pending answer there is not waited for (the
// request goes on; a handle it returns is closed when it comes), and the
// operation counts as not done.

/** A host answer that has not come: the caller unwinds and the task's syscall or fault reruns when it has. */
export const HOST_WAIT = -ERESTARTNOINTR;
/** replay(): no recorded answer for this request. */
const MISS = Symbol("miss");

function isPending(r: unknown): r is HostPending {
  return typeof r === "object" && r !== null && (r as { pending?: unknown }).pending !== undefined;
}

/** The journal of the task whose syscall is being handled, or null (none yet, or background work). */
function journalOf(k: Kernel): HostJournal | null {
  const st = state(k);
  if (st.journals.size === 0 || st.background > 0 || st.caller === 0) return null;
  return st.journals.get(st.caller) ?? null;
}

/** The recorded answer to `key` for this attempt, WAIT when the attempt already waits, or MISS. */
function replay(j: HostJournal, key: string, optional = false): HostResult | typeof MISS {
  if (j.doomed) return HOST_WAIT;
  for (const e of j.entries) {
    if (e.key !== key || e.used === j.attempt) continue;
    e.used = j.attempt;
    if (!e.done) {
      // A required request waits for the answer, even one a best-effort request asked for first.
      if (!optional) { e.optional = false; j.doomed = true; }
      return HOST_WAIT;
    }
    return e.result;
  }
  return MISS;
}

/** The host answered `key` later: journal the request (or let it go in background) and return WAIT. */
function pend(k: Kernel, s: HostSb, r: HostPending, key: string, handle: boolean, optional = false): number {
  const st = state(k);
  const tid = st.background > 0 ? 0 : st.caller;
  st.inflight.set(`${s.source}#${r.pending}`, { tid, handle });
  if (tid === 0) return HOST_WAIT;
  let j = st.journals.get(tid);
  if (!j) { j = { tid, attempt: 1, doomed: false, entries: [] }; st.journals.set(tid, j); }
  j.entries.push({ key, source: s.source, ticket: r.pending, done: false, result: 0, handle, optional, used: j.attempt, closed: 0 });
  if (!optional) j.doomed = true;
  return HOST_WAIT;
}

/** A request's key in the journal: the operation and its arguments (built only when a journal or a pending answer needs it). */
function keyOf(op: string, a: unknown, b: unknown, c: unknown, d: unknown): string {
  return `${op} ${a} ${b} ${c} ${d}`;
}

/**
 * Ask the host: a recorded answer first (reruns), else the host; a pending
 * answer is journaled. `handle`: the answer is a new handle. The request is
 * op(a, b, c, d) - f makes the call, the arguments name it in the journal.
 */
function ask<T extends HostResult>(
  k: Kernel, s: HostSb, handle: boolean, f: (h: HostFs) => T | HostPending,
  op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown,
): T | number {
  const j = journalOf(k);
  if (j !== null) {
    const e = replay(j, keyOf(op, a, b, c, d));
    if (e !== MISS) return e as T;
  }
  const r = f(hostOf(k, s));
  return isPending(r) ? pend(k, s, r, keyOf(op, a, b, c, d), handle) : r;
}

/** A best-effort stat (revalidate): a late answer does not make the syscall wait; a rerun that finds it uses it. */
function askOptionalStat(k: Kernel, s: HostSb, h: HostHandle): HostStat | number {
  const j = journalOf(k);
  if (j !== null) {
    const e = replay(j, keyOf("stat", h, undefined, undefined, undefined), true);
    if (e !== MISS) return e as HostStat | number;
  }
  const r = hostOf(k, s).stat(h);
  return isPending(r) ? pend(k, s, r, keyOf("stat", h, undefined, undefined, undefined), false, true) : r;
}

/** Let go of a handle; one that came from the journal is closed when the syscall is over (a rerun may need it). */
function hclose(k: Kernel, s: HostSb, h: HostHandle): void {
  const j = journalOf(k);
  if (j !== null) {
    for (const e of j.entries) {
      if (e.handle && e.done && e.result === h && e.source === s.source && e.used === j.attempt) { e.closed = j.attempt; return; }
    }
  }
  hostOf(k, s).close(h);
}

/** read(): into buf; a later answer is the bytes read, copied in. */
function hread(k: Kernel, s: HostSb, fd: HostHandle, pos: number, buf: Uint8Array): number {
  const r = ask<number | Uint8Array>(k, s, false, (h) => h.read(fd, pos, buf), "read", fd, pos, buf.length);
  if (typeof r === "number") return r;
  const n = Math.min(r.length, buf.length);
  buf.set(r.subarray(0, n));
  return n;
}

/**
 * The trap layer's call when task `t`'s syscall or page fault is over (only
 * when some journal exists; `failed`: the syscall returned an error, or it is
 * a fault). True when it must run again: an answer it needed is pending (it
 * sleeps, state D, until the answer comes) or has come meanwhile. A syscall
 * that returned a count or 0 although a later request of it is pending is
 * over (a partial transfer, as on Linux: rerunning it would redo the part
 * done): the pending answer is nobody's, and the journal is closed out.
 */
export function hostfsEnd(k: Kernel, t: Task, failed: boolean): boolean {
  const st = state(k);
  const j = st.journals.get(t.tid);
  if (!j) return false;
  if (j.doomed && failed) {
    j.doomed = false;
    j.attempt++;
    if (j.entries.some((e) => !e.done && !e.optional)) {
      sleepOn(t, st.wait);
      t.state = "D";
      t.killable = true;
    }
    return true;
  }
  closeJournal(k, j);
  return false;
}

/** The syscall is over: close the handles it got and did not keep; answers still to come are nobody's. */
function closeJournal(k: Kernel, j: HostJournal): void {
  const st = state(k);
  st.journals.delete(j.tid);
  for (const e of j.entries) {
    if (!e.done) {
      const f = st.inflight.get(`${e.source}#${e.ticket}`);
      if (f) f.tid = 0;
      continue;
    }
    if (e.handle && typeof e.result === "number" && e.result >= 0 && e.closed === e.used) {
      k.host.hostDirs.get(e.source)?.close(e.result);
    }
  }
}

/**
 * Take the answers the hosts have ready (the host calls this between run
 * slices, after its completion callback): record each in its task's
 * journal and wake the task; an answer nobody waits for any more is
 * dropped (a handle in it closed). Returns how many answers were taken.
 */
export function hostComplete(k: Kernel): number {
  const st = state(k);
  let n = 0;
  for (const [source, host] of k.host.hostDirs) {
    if (!host.takeCompleted) continue;
    for (const c of host.takeCompleted()) {
      n++;
      const key = `${source}#${c.ticket}`;
      const f = st.inflight.get(key);
      if (!f) continue;
      st.inflight.delete(key);
      const j = f.tid !== 0 ? st.journals.get(f.tid) : undefined;
      const e = j?.entries.find((x) => x.source === source && x.ticket === c.ticket);
      const t = f.tid !== 0 ? k.tasks.get(f.tid) : undefined;
      if (!j || !e || !t || t.state === "Z" || t.state === "X") {
        if (f.handle && typeof c.result === "number" && c.result >= 0) host.close(c.result);
        if (j && (!t || t.state === "Z" || t.state === "X")) { st.journals.delete(j.tid); closeJournal(k, j); }
        continue;
      }
      e.done = true;
      e.result = c.result;
      if (t.waitingOn === st.wait && !j.entries.some((x) => !x.done && !x.optional)) wakeTask(k, t);
    }
  }
  return n;
}

/** Host requests in flight (a snapshot is taken only when this is 0). */
export function hostRequestsInFlight(k: Kernel): number {
  let n = state(k).inflight.size;
  for (const host of k.host.hostDirs.values()) n = Math.max(n, host.inFlight?.() ?? 0);
  return n;
}

/** Run `f` as work that cannot wait for the host (see above). */
function background<T>(k: Kernel, f: () => T): T {
  const st = state(k);
  st.background++;
  try { return f(); } finally { st.background--; }
}

function msToTs(ms: number): { sec: number; nsec: number } {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}

/** Copy host attributes into the inode (guest-side chown overrides are kept). */
function applyStat(ino: Inode, st: HostStat): void {
  ino.mode = st.mode;
  ino.size = st.size;
  ino.nlink = st.nlink;
  ino.uid = hi(ino).uid ?? st.uid;
  ino.gid = hi(ino).gid ?? st.gid;
  ino.atime = msToTs(st.atimeMs);
  ino.mtime = msToTs(st.mtimeMs);
  ino.ctime = msToTs(st.ctimeMs);
}

// --- handles ---

/** Close handles of unused inodes beyond HANDLE_CACHE (inodes in use are not in the list: they keep theirs). */
function trimHandles(k: Kernel, s: HostSb, keep = HANDLE_CACHE): void {
  for (const ino of s.lru) {
    if (s.lru.size <= keep) break;
    s.lru.delete(ino);
    if (ino.refs > 0) continue; // in use again: it keeps its handle
    const info = hi(ino);
    if (info.h >= 0) { hclose(k, s, info.h); info.h = -1; }
  }
}

/** Mark an unused inode's handle as recently used (in use: not in the list). */
function touchHandle(k: Kernel, s: HostSb, ino: Inode): void {
  if (ino === s.root) return;
  s.lru.delete(ino);
  if (ino.refs <= 0) {
    s.lru.add(ino);
    trimHandles(k, s);
  }
}

/** Run a host call that opens a descriptor; when the host is out of descriptors, drop every cached handle and retry once. */
function opening(k: Kernel, s: HostSb, f: () => HostHandle | number): HostHandle | number {
  const r = f();
  if (r !== -EMFILE && r !== -ENFILE) return r;
  trimHandles(k, s, 0);
  return f();
}

/**
 * The inode's handle: its own if it has one, else found again from its
 * parent by name - and only if the object found there is the same (ESTALE
 * otherwise), never a new object that took the name.
 */
function handleOf(k: Kernel, ino: Inode): HostHandle | number {
  const s = sbOf(ino);
  if (hi(ino).h >= 0) { touchHandle(k, s, ino); return hi(ino).h; }
  // The inodes without a handle from `ino` up to the nearest ancestor with one (a loop, not
  // recursion: a guest can make directories nested deeper than the host stack goes).
  const chain: Inode[] = [];
  let top: Inode = ino;
  while (hi(top).h < 0) {
    const info = hi(top);
    if (info.gone) return -ENOENT;
    if (!info.parent) return -ESTALE;
    chain.push(top);
    top = info.parent;
  }
  let ph = hi(top).h;
  touchHandle(k, s, top);
  for (let i = chain.length - 1; i >= 0; i--) {
    const cur = chain[i], info = hi(cur);
    const h = opening(k, s, () => ask<number>(k, s, true, (x) => x.lookup(ph, info.name), "lookup", ph, info.name));
    if (h < 0) return h === -ENOENT || h === -ENOTDIR ? -ESTALE : h;
    const st = ask<HostStat | number>(k, s, false, (x) => x.stat(h), "stat", h);
    if (typeof st === "number" || st.id !== info.id) { hclose(k, s, h); return -ESTALE; }
    info.h = h;
    touchHandle(k, s, cur);
    ph = h;
  }
  return ph;
}

/** Forget cached inodes nobody uses beyond INODE_CACHE (oldest first); a forgotten one is made again at its next lookup. */
function trimInodes(s: HostSb): void {
  if (s.byId.size <= INODE_CACHE) return;
  for (const [id, ino] of s.byId) {
    if (s.byId.size <= INODE_CACHE) break;
    const info = hi(ino);
    if (ino === s.root || ino.refs > 0 || info.pc || info.uid !== null || info.gid !== null) continue;
    s.byId.delete(id);
  }
}

function newHostInode(sb: SuperBlock, parent: Inode | null, name: string, h: HostHandle, st: HostStat): Inode {
  const type = st.mode & S_IFMT;
  const ino: Inode = {
    ino: st.ino || 1, sb, mode: st.mode, uid: st.uid, gid: st.gid, nlink: st.nlink, size: st.size,
    atime: msToTs(st.atimeMs), mtime: msToTs(st.mtimeMs), ctime: msToTs(st.ctimeMs), rdev: 0,
    iops: type === S_IFDIR ? dirIops : type === S_IFLNK ? lnkIops : type === S_IFREG ? regIops : otherIops,
    fops: type === S_IFREG ? regFops : NO_FOPS,
    info: { parent, name, id: st.id, h, io: -1, ioAcc: -1, gone: false, pc: null, clean: new Map(), uid: null, gid: null } satisfies HostInode,
    refs: 0,
  };
  return ino;
}

/** A new handle on entry `name` of `dir` and its attributes (the caller closes the handle), or -errno. */
function openEntry(k: Kernel, s: HostSb, dir: Inode, name: string): { h: HostHandle; st: HostStat } | number {
  const dh = handleOf(k, dir);
  if (dh < 0) return dh;
  const h = opening(k, s, () => ask<number>(k, s, true, (x) => x.lookup(dh, name), "lookup", dh, name));
  if (h < 0) return h;
  const st = ask<HostStat | number>(k, s, false, (x) => x.stat(h), "stat", h);
  if (typeof st === "number") { hclose(k, s, h); return st; }
  return { h, st };
}

/** The inode of entry `name` in `dir` (one per host object: found by identity), or -errno. */
function lookupIn(k: Kernel, dir: Inode, name: string): Inode | number {
  const s = sbOf(dir);
  const e = openEntry(k, s, dir, name);
  if (typeof e === "number") return e;
  const { h, st } = e;
  let ino = s.byId.get(st.id);
  if (ino && (hi(ino).gone || (ino.mode & S_IFMT) !== (st.mode & S_IFMT))) {
    s.byId.delete(st.id);
    ino = undefined;
  }
  if (ino) {
    const info = hi(ino);
    if (ino !== s.root) { info.parent = dir; info.name = name; }
    // (A rerun may be handed the very handle an earlier run of its syscall stored here: keep it.)
    if (info.h >= 0) { if (info.h !== h) hclose(k, s, h); }
    else info.h = h;
    applyStat(ino, st);
  } else {
    ino = newHostInode(dir.sb, dir, name, h, st);
    s.byId.set(st.id, ino);
    trimInodes(s);
  }
  touchHandle(k, s, ino);
  return ino;
}

/** The identity of what `name` in `dir` is now, or -errno (for the bookkeeping of unlink and rename). */
function idOf(k: Kernel, dir: Inode, name: string): string | number {
  const s = sbOf(dir);
  const e = openEntry(k, s, dir, name);
  if (typeof e === "number") return e;
  hclose(k, s, e.h);
  return e.st.id;
}

/** unlink and rmdir: the host removes the name, then the inode it named (if cached) loses that link. */
function removeName(k: Kernel, dir: Inode, name: string, isDir: boolean): number {
  const dh = dirHandle(k, dir);
  if (dh < 0) return dh;
  const id = idOf(k, dir, name);
  const op = isDir ? "rmdir" : "unlink";
  const r = ask<number>(k, sbOf(dir), false, (x) => (isDir ? x.rmdir(dh, name) : x.unlink(dh, name)), op, dh, name);
  if (r < 0) return r;
  if (typeof id === "string") dropLink(k, sbOf(dir), id, isDir);
  return 0;
}

/** The guest removed a name of the object `id`: one link fewer; with none left it is gone. */
function dropLink(k: Kernel, s: HostSb, id: string, isDirectory: boolean): void {
  const ino = s.byId.get(id);
  if (!ino) return;
  ino.nlink = isDirectory ? 0 : Math.max(0, ino.nlink - 1);
  if (ino.nlink > 0) return;
  const info = hi(ino);
  info.gone = true;
  s.byId.delete(id);
  s.lru.delete(ino);
  if (ino.refs <= 0 && info.h >= 0) { hclose(k, s, info.h); info.h = -1; }
  maybeEvict(k, ino);
}

function revalidate(k: Kernel, ino: Inode): void {
  const h = handleOf(k, ino);
  if (h < 0) return;
  const st = askOptionalStat(k, sbOf(ino), h);
  if (typeof st !== "number") applyStat(ino, st);
}

// --- the page cache's host descriptor ---

/**
 * The page cache's descriptor, opened from the inode's handle: read-only for
 * page fill; read-write when write-back has something to write (it also
 * reads the host's copy to compare).
 */
function ioFd(k: Kernel, ino: Inode, write: boolean): HostHandle | number {
  const info = hi(ino), s = sbOf(ino);
  if (info.io >= 0 && (!write || info.ioAcc === 2)) return info.io;
  const h = handleOf(k, ino);
  if (h < 0) return h;
  // With a host that may answer later, the page cache's descriptor is read-write from the start when it
  // can be: the write-back when the last user goes away cannot wait for a reopen (see "background").
  let acc = write || (hostOf(k, s).takeCompleted !== undefined && !ino.sb.readOnly) ? 2 : 0;
  let fd = opening(k, s, () => ask<number>(k, s, true, (x) => x.open(h, acc), "open", h, acc));
  if (fd < 0 && fd !== HOST_WAIT && acc === 2 && !write) {
    acc = 0;
    fd = opening(k, s, () => ask<number>(k, s, true, (x) => x.open(h, 0), "open", h, 0));
  }
  if (fd < 0) return fd;
  if (info.io >= 0) hclose(k, s, info.io);
  info.io = fd;
  info.ioAcc = acc;
  return fd;
}

function closeIo(k: Kernel, ino: Inode): void {
  const info = hi(ino);
  if (info.io >= 0) { hclose(k, sbOf(ino), info.io); info.io = -1; info.ioAcc = -1; }
}

/**
 * A 53-bit digest of a page (two 32-bit FNV-1a style hashes with different
 * seeds and primes): the page's "clean" state, to tell later whether the
 * guest stored into it.
 */
function pageDigest(b: Uint8Array): number {
  // `| 0` keeps h1 a 32-bit integer from the start: as the double 0x811c9dc5
  // it made V8's optimized code bail out ("lost precision") on every call.
  let h1 = 0x811c9dc5 | 0, h2 = 0x01000193 ^ b.length;
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) + (h2 & 0x1fffff) * 0x100000000;
}

/** Fill page `index` from the host (the page stays zero where the host has nothing) and remember it as clean. */
function fillPage(k: Kernel, ino: Inode, index: number, dst: Uint8Array): void {
  const fd = ioFd(k, ino, false);
  if (fd >= 0) hread(k, sbOf(ino), fd, index * PAGE_SIZE, dst);
  hi(ino).clean.set(index, pageDigest(dst));
}

/**
 * Make sure page `index` is in the cache: 0, or HOST_WAIT when the host's
 * answer has not come (the page is not cached then: a page of zeros must
 * never pass for the file's data). The page is read from the host before a
 * frame is taken, so that nothing is left half made when the answer is late.
 */
function cachePage(k: Kernel, ino: Inode, index: number): number {
  const pc = hi(ino).pc!;
  if (pc.pages.has(index)) return 0;
  const bytes = new Uint8Array(PAGE_SIZE);
  const fd = ioFd(k, ino, false);
  if (fd === HOST_WAIT) return HOST_WAIT;
  if (fd >= 0 && hread(k, sbOf(ino), fd, index * PAGE_SIZE, bytes) === HOST_WAIT) return HOST_WAIT;
  pcFrame(k, pc, index, (i, dst) => { dst.set(bytes); hi(ino).clean.set(i, pageDigest(dst)); });
  return 0;
}

/** Pages [pos, pos+len) now hold what the host holds (a write() went to both): clean again. */
function markClean(k: Kernel, ino: Inode, pos: number, len: number): void {
  const info = hi(ino);
  if (!info.pc || len <= 0) return;
  const last = Math.floor((pos + len - 1) / PAGE_SIZE);
  for (let index = Math.floor(pos / PAGE_SIZE); index <= last; index++) {
    const bytes = cachedPage(k, info.pc, index);
    if (bytes) info.clean.set(index, pageDigest(bytes));
  }
}

/** The bytes of cached page `index`, or null. */
function cachedPage(k: Kernel, pc: PageCache, index: number): Uint8Array | null {
  const fr = pc.pages.get(index);
  return fr ? k.pm.ram.subarray(fr - RAM_BASE, fr - RAM_BASE + PAGE_SIZE) : null;
}

/**
 * Write back the cached pages the guest stored into (within the file's
 * size). Stores through shared mappings leave no trace the kernel sees, so
 * each page's digest is compared with the one it had when it was last
 * clean (filled from the host or written through): only pages the guest
 * changed are written - an executable that was only mapped is never
 * rewritten, and a page the host changed meanwhile is not put back to the
 * old contents.
 */
function writeBack(k: Kernel, ino: Inode, first = 0, last = Infinity): number {
  const info = hi(ino);
  const pc = info.pc;
  if (!pc || pc.count === 0) return 0;
  // A few pages (write, truncate): look them up; everything (sync): walk the cache.
  const pages = last - first < 16 ? null : pcCachedPages(k, pc);
  const n = pages ? pages.length : last - first + 1;
  const mms = mmsById(k);
  for (let i = 0; i < n; i++) {
    const index = pages ? pages[i].index : first + i;
    const bytes = pages ? pages[i].bytes : cachedPage(k, pc, index);
    if (!bytes || index < first || index > last) continue;
    const start = index * PAGE_SIZE;
    if (start >= ino.size) continue;
    // The page is clean from here (FF_DIRTY and the PTEs' D bits cleared: a later store marks it again);
    // the digest still decides whether the host needs the bytes.
    const pa = pc.pages.get(index)!;
    frameMkclean(k.mmctx, mms, pa);
    const d = pageDigest(bytes);
    if (info.clean.get(index) === d) continue;
    const fd = ioFd(k, ino, true);
    if (fd < 0) { frameRedirty(k.pm, pa); return fd; }
    const r = ask<number>(k, sbOf(ino), false, (x) => x.write(fd, start, bytes.subarray(0, Math.min(PAGE_SIZE, ino.size - start))), "write", fd, start, Math.min(PAGE_SIZE, ino.size - start));
    if (r < 0) { frameRedirty(k.pm, pa); return r; }
    info.clean.set(index, d);
  }
  return 0;
}

/** Write back every mapped file of `sb`; the first error, or 0. */
function syncSb(k: Kernel, sb: SuperBlock): number {
  let err = 0;
  for (const ino of (sb.info as HostSb).byId.values()) {
    if (!hi(ino).pc) continue;
    const r = writeBack(k, ino);
    if (r < 0 && err === 0) err = r;
  }
  return err;
}

/** The deferrable write-back timer: runs while some hostfs file has cached (mapped) pages. */
function armWriteback(k: Kernel): void {
  const st = state(k);
  if (st.armed) return;
  st.armed = true;
  addDeferredTimer(k, { at: nowNs(k) + WRITEBACK_NS, kind: "writeback" });
}

/** Periodic write-back of shared mappings (the "writeback" timer, dispatched by kernel/timers.ts). */
export function writebackTick(k: Kernel): void {
  background(k, () => writebackAll(k));
}

function writebackAll(k: Kernel): void {
  const st = state(k);
  st.armed = false;
  let cached = false;
  for (const sb of st.sbs) {
    syncSb(k, sb);
    for (const ino of (sb.info as HostSb).byId.values()) if (hi(ino).pc) cached = true;
  }
  if (cached) armWriteback(k);
}

// --- directories ---

/** After the host made `name` in `dir`: its inode. */
function made(k: Kernel, dir: Inode, name: string, r: number): Inode | number {
  if (r < 0) return r;
  return lookupIn(k, dir, name);
}

function dirHandle(k: Kernel, dir: Inode): HostHandle | number {
  return handleOf(k, dir);
}

const dirIops = defineInodeOps("hostfs.dir", {
  lookup(k, dir, name) {
    return lookupIn(k, dir, name);
  },
  create(k, dir, name, mode) {
    const dh = dirHandle(k, dir);
    if (dh < 0) return dh;
    return made(k, dir, name, ask<number>(k, sbOf(dir), false, (x) => x.create(dh, name, mode & S_IALLUGO), "create", dh, name, mode & S_IALLUGO));
  },
  mknod(k, dir, name, mode) {
    // Only regular files can be made on the host; FIFOs and devices are refused.
    if ((mode & S_IFMT) !== S_IFREG) return -EPERM;
    const dh = dirHandle(k, dir);
    if (dh < 0) return dh;
    return made(k, dir, name, ask<number>(k, sbOf(dir), false, (x) => x.create(dh, name, mode & S_IALLUGO), "create", dh, name, mode & S_IALLUGO));
  },
  mkdir(k, dir, name, mode) {
    const dh = dirHandle(k, dir);
    if (dh < 0) return dh;
    return made(k, dir, name, ask<number>(k, sbOf(dir), false, (x) => x.mkdir(dh, name, mode & S_IALLUGO), "mkdir", dh, name, mode & S_IALLUGO));
  },
  symlink(k, dir, name, target) {
    const dh = dirHandle(k, dir);
    if (dh < 0) return dh;
    return made(k, dir, name, ask<number>(k, sbOf(dir), false, (x) => x.symlink(target, dh, name), "symlink", target, dh, name));
  },
  link(k, target, dir, name) {
    // The host links by name: the target's name in its directory, checked to still be the target.
    const t = hi(target);
    if (!t.parent) return -EPERM;
    const id = idOf(k, t.parent, t.name);
    if (typeof id === "number") return id === -ENOENT ? -ESTALE : id;
    if (id !== t.id) return -ESTALE;
    const ph = handleOf(k, t.parent), dh = dirHandle(k, dir);
    if (ph < 0) return ph;
    if (dh < 0) return dh;
    const r = ask<number>(k, sbOf(dir), false, (x) => x.link(ph, t.name, dh, name), "link", ph, t.name, dh, name);
    if (r < 0) return r;
    target.nlink++;
    return 0;
  },
  unlink: (k, dir, name) => removeName(k, dir, name, false),
  rmdir: (k, dir, name) => removeName(k, dir, name, true),
  rename(k, oldDir, oldName, newDir, newName, flags) {
    // The host has no atomic exchange that Node can reach (renameat2): refuse it as Linux does
    // on file systems without one, rather than imitate it with a temporary name.
    if (flags & 2 /* RENAME_EXCHANGE */) return -EINVAL;
    if (flags & ~1) return -EINVAL;
    const s = sbOf(oldDir);
    const oh = dirHandle(k, oldDir), nh = dirHandle(k, newDir);
    if (oh < 0) return oh;
    if (nh < 0) return nh;
    const srcId = idOf(k, oldDir, oldName);
    if (typeof srcId === "number") return srcId;
    const dstId = idOf(k, newDir, newName);
    if (flags & 1 /* RENAME_NOREPLACE */ && typeof dstId === "string") return -EEXIST;
    const r = ask<number>(k, s, false, (x) => x.rename(oh, oldName, nh, newName), "rename", oh, oldName, nh, newName);
    if (r < 0) return r;
    if (typeof dstId === "string" && dstId !== srcId) {
      const victim = s.byId.get(dstId);
      dropLink(k, s, dstId, victim !== undefined && (victim.mode & S_IFMT) === S_IFDIR);
    }
    const src = s.byId.get(srcId);
    if (src && src !== s.root) { hi(src).parent = newDir; hi(src).name = newName; }
    return 0;
  },
  readdir(k, dir) {
    const dh = dirHandle(k, dir);
    if (dh < 0) return dh;
    const list = ask<HostDirEntry[] | number>(k, sbOf(dir), false, (x) => x.readdir(dh), "readdir", dh);
    if (typeof list === "number") return list;
    const out: DirEntry[] = [
      { name: ".", ino: dir.ino, type: DT_DIR },
      { name: "..", ino: dir.ino, type: DT_DIR },
    ];
    for (const e of list) out.push({ name: e.name, ino: e.ino ?? 1, type: e.type ?? DT_UNKNOWN });
    return out;
  },
  setattr: hostSetattr,
  revalidate,
  idle(k, ino) { unused(k, ino); },
  evict(k, ino) { release(k, ino); },
});

/** refs dropped to 0: the handle becomes evictable. */
function unused(k: Kernel, ino: Inode): void {
  const s = sbOf(ino);
  if (hi(ino).h >= 0 && ino !== s.root) touchHandle(k, s, ino);
}

/** The object is gone and unused: let go of its descriptors. */
function release(k: Kernel, ino: Inode): void {
  const s = sbOf(ino), info = hi(ino);
  closeIo(k, ino);
  s.lru.delete(ino);
  if (info.h >= 0 && ino !== s.root) { hclose(k, s, info.h); info.h = -1; }
}

function hostSetattr(k: Kernel, ino: Inode, attr: SetAttr): number {
  const s = sbOf(ino);
  const needHost = (attr.mode !== undefined && (ino.mode & S_IFMT) !== S_IFLNK) || attr.atime || attr.mtime;
  if (needHost) {
    const h = handleOf(k, ino);
    if (h < 0) return h;
    if (attr.mode !== undefined && (ino.mode & S_IFMT) !== S_IFLNK) {
      const r = ask<number>(k, s, false, (x) => x.chmod(h, attr.mode! & S_IALLUGO), "chmod", h, attr.mode & S_IALLUGO);
      if (r < 0) return r;
    }
    if (attr.atime || attr.mtime) {
      // Through the handle: for a symbolic link these are the link's own times.
      const a = attr.atime ?? ino.atime, m = attr.mtime ?? ino.mtime;
      const am = a.sec * 1000 + a.nsec / 1e6, mm = m.sec * 1000 + m.nsec / 1e6;
      const r = ask<number>(k, s, false, (x) => x.utimes(h, am, mm), "utimes", h, am, mm);
      if (r < 0) return r;
    }
  }
  // Ownership cannot change on the host: kept in the guest's view only.
  if (attr.uid !== undefined) hi(ino).uid = attr.uid;
  if (attr.gid !== undefined) hi(ino).gid = attr.gid;
  return 0;
}

// --- regular files ---

function fileFd(f: File): HostHandle {
  const info = f.info as HostFile | null;
  return info && typeof info.fd === "number" ? info.fd : -1;
}

const regFops = defineFileOps("hostfs.reg", {
  open(k, _t, f) {
    const ino = f.inode, s = sbOf(ino);
    const h = handleOf(k, ino);
    if (h < 0) return h;
    const acc = f.flags & O_ACCMODE;
    const mode = acc === 3 ? 0 : acc;
    const fd = opening(k, s, () => ask<number>(k, s, true, (x) => x.open(h, mode), "open", h, mode));
    if (fd < 0) return fd;
    f.info = { fd } satisfies HostFile;
    return 0;
  },
  release(k, f) {
    const fd = fileFd(f);
    if (fd >= 0) { hclose(k, sbOf(f.inode), fd); f.info = null; }
  },
  read(k, _t, f, buf, pos) {
    const ino = f.inode;
    const pc = hi(ino).pc;
    if (pc && pc.count > 0) {
      revalidate(k, ino);
      const end = Math.min(ino.size, pos + buf.length);
      for (let i = Math.floor(pos / PAGE_SIZE); i * PAGE_SIZE < end; i++) {
        if (cachePage(k, ino, i) === HOST_WAIT) return HOST_WAIT;
      }
      return pcRead(k, pc, ino.size, buf, pos, (index, dst) => fillPage(k, ino, index, dst));
    }
    const fd = fileFd(f);
    if (fd >= 0) return hread(k, sbOf(ino), fd, pos, buf);
    if (fd < -1) return fd; // its object is gone since a restore (hostfsReattach): -ESTALE
    // A file the kernel reads without opening it (exec's loader): a descriptor for this read only.
    const s = sbOf(ino);
    const h = handleOf(k, ino);
    if (h < 0) return h;
    const tmp = opening(k, s, () => ask<number>(k, s, true, (x) => x.open(h, 0), "open", h, 0));
    if (tmp < 0) return tmp;
    const n = hread(k, s, tmp, pos, buf);
    hclose(k, s, tmp);
    return n;
  },
  write(k, _t, f, buf, pos) {
    const ino = f.inode;
    const fd = fileFd(f);
    if (fd < 0) return fd < -1 ? fd : -EBADF;
    // Stores through a mapping into the pages this write touches go first, so that marking them clean loses none.
    if (hi(ino).pc && buf.length > 0) {
      const r = writeBack(k, ino, Math.floor(pos / PAGE_SIZE), Math.floor((pos + buf.length - 1) / PAGE_SIZE));
      if (r < 0) return r;
    }
    const n = ask<number>(k, sbOf(ino), false, (x) => x.write(fd, pos, buf), "write", fd, pos, buf.length);
    if (n <= 0) return n;
    const pc = hi(ino).pc;
    if (pc) { pcUpdateCached(k, pc, buf.subarray(0, n), pos); markClean(k, ino, pos, n); }
    if (pos + n > ino.size) ino.size = pos + n;
    const now = currentTime(k);
    ino.mtime = { ...now };
    ino.ctime = { ...now };
    return n;
  },
  fsync(k, f) {
    const r = writeBack(k, f.inode);
    if (r < 0) return r;
    const fd = fileFd(f);
    return fd >= 0 ? ask<number>(k, sbOf(f.inode), false, (x) => x.fsync(fd), "fsync", fd) : fd < -1 ? fd : 0;
  },
});

const regIops = defineInodeOps("hostfs.reg", {
  truncate(k, ino, size) {
    const h = handleOf(k, ino);
    if (h < 0) return h;
    // Stores into the page that becomes the last one reach the host before its tail is cut.
    if (hi(ino).pc && size > 0) {
      const i = Math.floor((size - 1) / PAGE_SIZE);
      const r = writeBack(k, ino, i, i);
      if (r < 0) return r;
    }
    const r = ask<number>(k, sbOf(ino), false, (x) => x.truncate(h, size), "truncate", h, size);
    if (r < 0) return r;
    const pc = hi(ino).pc;
    if (pc) {
      pcTruncate(k, pc, ino.size, size);
      for (const i of [...hi(ino).clean.keys()]) if (!pc.pages.has(i)) hi(ino).clean.delete(i);
      if (size > 0) markClean(k, ino, size - 1, 1); // the tail of the last page was zeroed, as on the host
    }
    ino.size = size;
    const now = currentTime(k);
    ino.mtime = { ...now };
    ino.ctime = { ...now };
    return 0;
  },
  getPage(k, ino, index) {
    const info = hi(ino);
    if (!info.pc) {
      info.pc = createPageCache(null);
      // A host that answers at once: writePage can write its pages back one by one and a dropped page is read
      // again in the fault, so reclaim may take them (one that answers later keeps them, as before).
      if (hostOf(k, sbOf(ino)).takeCompleted === undefined) info.pc.owner = ino;
      armWriteback(k);
    }
    if (cachePage(k, ino, index) === HOST_WAIT) return HOST_WAIT; // the fault reruns when the host has answered
    return pcGetPage(k, info.pc, index, (i, dst) => fillPage(k, ino, i, dst));
  },
  writeback(k, ino) {
    return writeBack(k, ino);
  },
  writePage(k, ino, index) {
    // Reclaim's pageout (mm/reclaim.ts): only to a host that answers at once - one that answers later would
    // leave the page under write with nobody to finish its reclaim; the page stays dirty and is passed over.
    if (ino.sb.readOnly) return -EROFS;
    if (hostOf(k, sbOf(ino)).takeCompleted !== undefined) return -EAGAIN;
    return background(k, () => writeBack(k, ino, index, index));
  },
  prepareExec(k, ino) {
    // A host that answers at once needs nothing: the loader's page faults read the pages as today.
    if (hostOf(k, sbOf(ino)).takeCompleted === undefined) return 0;
    const info = hi(ino);
    if (!info.pc) { info.pc = createPageCache(null); armWriteback(k); }
    const pc = info.pc;
    const pages = Math.ceil(ino.size / PAGE_SIZE);
    let missing = false;
    for (let i = 0; i < pages && !missing; i++) missing = !pc.pages.has(i);
    if (!missing) return 0;
    // The whole file in one request (one wait), then every page from it.
    const fd = ioFd(k, ino, false);
    if (fd < 0) return fd;
    const bytes = new Uint8Array(pages * PAGE_SIZE);
    const n = hread(k, sbOf(ino), fd, 0, bytes);
    if (n < 0) return n;
    for (let i = 0; i < pages; i++) {
      if (pc.pages.has(i)) continue;
      if (pcFrame(k, pc, i, (j, dst) => { dst.set(bytes.subarray(j * PAGE_SIZE, (j + 1) * PAGE_SIZE)); hi(ino).clean.set(j, pageDigest(dst)); }) === 0) return -ENOMEM;
    }
    return 0;
  },
  idle(k, ino) {
    // The last user went away (close, munmap, exit): that cannot be undone and rerun, so the
    // write-back here does not wait for a host that answers later (see "background").
    background(k, () => {
      const info = hi(ino);
      if (info.pc) {
        writeBack(k, ino);
        pcFree(k, info.pc);
        info.pc = null;
        info.clean.clear();
      }
      closeIo(k, ino);
      unused(k, ino);
    });
  },
  evict(k, ino) {
    background(k, () => {
      const info = hi(ino);
      if (info.pc) { pcFree(k, info.pc); info.pc = null; info.clean.clear(); }
      release(k, ino);
    });
  },
  setattr: hostSetattr,
  revalidate,
});

const lnkIops = defineInodeOps("hostfs.lnk", {
  readlink(k, ino) {
    // The host reads a link by name: the name must still be this link.
    const info = hi(ino);
    if (!info.parent) return -EINVAL;
    const id = idOf(k, info.parent, info.name);
    if (typeof id === "number") return id === -ENOENT ? -ESTALE : id;
    if (id !== info.id) return -ESTALE;
    const ph = handleOf(k, info.parent);
    if (ph < 0) return ph;
    return ask<string | number>(k, sbOf(ino), false, (x) => x.readlink(ph, info.name), "readlink", ph, info.name);
  },
  setattr: hostSetattr,
  revalidate,
  idle(k, ino) { unused(k, ino); },
  evict(k, ino) { release(k, ino); },
});

const otherIops = defineInodeOps("hostfs.other", {
  setattr: hostSetattr, revalidate,
  idle(k, ino) { unused(k, ino); },
  evict(k, ino) { release(k, ino); },
});

// --- mounting ---

/** Host directories the guest may mount by source name. */
function hostDirs(k: Kernel): Map<string, HostFs> {
  return k.host.hostDirs;
}

/** Let the guest mount `host` as `mount -t hostfs SOURCE DIR`. */
export function registerHostDir(k: Kernel, source: string, host: HostFs): void {
  hostDirs(k).set(source, host);
}

/** A superblock and root inode for a host directory, or -errno. */
export function hostfsSuper(k: Kernel, source: string, readOnly = false): { sb: SuperBlock; root: Inode } | number {
  const host = hostDirs(k).get(source);
  if (!host) return -ENOENT;
  // At boot no task can wait: a host that answers later must answer these two at once (host/node/hostfs.ts does).
  const at: HostSb = { source, byId: new Map(), lru: new Set(), root: null as unknown as Inode };
  const h = ask<number>(k, at, true, (x) => x.root(), "root");
  if (h < 0) return h;
  const st = ask<HostStat | number>(k, at, false, (x) => x.stat(h), "stat", h);
  if (typeof st === "number") { hclose(k, at, h); return st; }
  if ((st.mode & S_IFMT) !== S_IFDIR) { hclose(k, at, h); return -ENOTDIR; }
  const info: HostSb = { source, byId: new Map(), lru: new Set(), root: null as unknown as Inode };
  const sb: SuperBlock = {
    dev: makedev(0, allocAnonDev(k)), fsType: "hostfs", readOnly: readOnly || host.readOnly === true, info,
    magic: HOSTFS_SUPER_MAGIC, sops: HOSTFS_SOPS,
  };
  const root = newHostInode(sb, null, "", h, st);
  info.root = root;
  info.byId.set(st.id, root);
  state(k).sbs.push(sb);
  return { sb, root };
}

/** Register "hostfs" (the source must have been registered with registerHostDir). */
export function registerHostfs(k: Kernel): void {
  registerFsType(k, "hostfs");
}

const HOSTFS_SOPS = defineSuperOps("hostfs", {
  statfs(k, sb): StatFs {
    const hs = sb.info as HostSb;
    const s = hostOf(k, hs).statfs ? ask<HostStatFs | number>(k, hs, false, (x) => x.statfs!(), "statfs") : undefined;
    if (!s || typeof s === "number") return { bsize: PAGE_SIZE, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: NAME_MAX };
    return { ...s, namelen: NAME_MAX };
  },
});

defineFsType({
    name: "hostfs",
    mount(k2, source, flags) {
      return hostfsSuper(k2, source, (flags & 1) !== 0);
    },
    sync(k2, sb) {
      return syncSb(k2, sb);
    },
    unmount(k2, sb) {
      background(k2, () => unmountSb(k2, sb));
    },
});

function unmountSb(k2: Kernel, sb: SuperBlock): void {
  syncSb(k2, sb);
  const s = sb.info as HostSb;
  for (const ino of s.byId.values()) {
    const info = hi(ino);
    if (ino.refs > 0) continue; // a lazily unmounted file still open keeps working
    if (info.pc) { pcFree(k2, info.pc); info.pc = null; info.clean.clear(); }
    release(k2, ino);
  }
  s.lru.clear();
  if (s.root.refs <= 0) { const r = hi(s.root); if (r.h >= 0) { hclose(k2, s, r.h); r.h = -1; } r.gone = true; }
  const st = state(k2);
  st.sbs = st.sbs.filter((x) => x !== sb);
}

// --- re-attaching after a restore ---

/**
 * Re-attach every hostfs mount to the host after a snapshot was restored in
 * a new process (C84): the host handles recorded in inodes and open files
 * belonged to the old process and mean nothing now. The restoring host has
 * put fresh HostFs adapters for the same sources in k.host.hostDirs; this
 * opens each share's root again (it must be the same directory: same
 * identity), forgets every other recorded handle - an inode's handle is
 * found again from its mount's root by its names when it is next used, and
 * must be the same object (else ESTALE, the eviction rule) - re-resolves the
 * inodes in use now, and reopens every open file's descriptor with its access
 * mode (never creating or truncating); a file whose object is not there any
 * more fails with ESTALE from then on. Nothing of the old process's host
 * requests survives. The host must answer these requests at once (the Node
 * adapter's sync mode). Returns null, or one line saying what is wrong (a
 * source that is gone or changed).
 */
export function hostfsReattach(k: Kernel): string | null {
  const st = state(k);
  st.inflight.clear();
  st.journals.clear();
  st.caller = 0;
  st.background = 0;
  const atOnce = (source: string): string => `hostfs: the host directory attached as '${source}' must answer at once while it is re-attached (use a synchronous adapter)`;
  for (const sb of st.sbs) {
    const s = sb.info as HostSb;
    const host = k.host.hostDirs.get(s.source);
    if (!host) return `hostfs: no host directory is attached as '${s.source}' (attach the one the snapshot had)`;
    for (const ino of [s.root, ...s.byId.values()]) { const i = hi(ino); i.h = -1; i.io = -1; i.ioAcc = -1; }
    s.lru.clear();
    const h = host.root();
    if (isPending(h)) return atOnce(s.source);
    if (h < 0) return `the host directory '${s.source}' of --mount is gone (${errnoName(-h)})`;
    const rs = host.stat(h);
    if (isPending(rs)) { host.close(h); return atOnce(s.source); }
    if (typeof rs === "number") { host.close(h); return `the host directory '${s.source}' of --mount is gone (${errnoName(-rs)})`; }
    if (rs.id !== hi(s.root).id) { host.close(h); return `the host directory '${s.source}' of --mount is not the directory the snapshot had`; }
    hi(s.root).h = h;
    applyStat(s.root, rs);
    // Inodes in use find their objects now (a failure is left for their next use to report: ESTALE).
    for (const ino of s.byId.values()) if (ino.refs > 0 && !hi(ino).gone) handleOf(k, ino);
  }
  // Open files (in every descriptor table): their own descriptors again, with the same access mode.
  const seen = new Set<File>();
  for (const t of k.tasks.values()) {
    for (const e of t.files.fds) {
      const f = e?.file;
      if (!f || seen.has(f) || f.ops !== regFops || f.inode.sb.fsType !== "hostfs") continue;
      seen.add(f);
      const s = sbOf(f.inode);
      const host = hostOf(k, s);
      const h = handleOf(k, f.inode);
      if (h === HOST_WAIT) return atOnce(s.source);
      if (h < 0) { f.info = { fd: -ESTALE } satisfies HostFile; continue; }
      const acc = f.flags & O_ACCMODE;
      const fd = host.open(h, acc === 3 ? 0 : acc);
      if (isPending(fd)) return atOnce(s.source);
      f.info = { fd: fd < 0 ? -ESTALE : fd } satisfies HostFile;
    }
  }
  return null;
}
