// JBD2 transactions and their commit, in ordered mode (Linux's
// fs/jbd2/transaction.c and commit.c, reduced to one running and at most one
// committing transaction). Every metadata block a file system operation
// changes joins the running transaction (jbdJoin): its buffer is held
// (BufferHead.jbdHold) so that write-back cannot take it to its home before
// the transaction commits. A freed metadata block is revoked (jbdForget) so
// that recovery never replays an old copy over what the block holds next.
// A commit (jbdCommit, restartable: it is called again after every wait)
//   1. closes the running transaction: snapshots the held blocks' bytes;
//   2. writes every other dirty buffer of the device first - file data: the
//      "ordered" guarantee that a committed inode never points at stale data;
//   3. makes room in the log if needed (checkpoint.ts);
//   4. writes revoke blocks, descriptors and the block copies after the log
//      head, waits, then writes the commit block and waits: from then on the
//      transaction survives a power cut;
//   5. releases the held buffers to ordinary write-back (which is the
//      checkpoint), and queues the transaction until they are home.
// A caller with a task sleeps (-ERESTARTSYS) and runs again; without one
// (the commit timer, sync at halt) a wait gives -EAGAIN and the caller
// tries again later. All state is plain data in the Journal record.
//
// Concepts: C65 journaling (transactions, the commit record as the atomic
// point, ordered data), C74 (the buffer cache holds journaled blocks).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import { findBuffer, getblk, getblkNew, markBufferDirty, submitWrite, waitOnBuffer, type BufferHead } from "../../block/buffer.js";
import { createWaitQueue, wakeUp, type WaitQueue } from "../../sched/wait.js";
import { nowNs } from "../../time/clock.js";
import { addTimer } from "../../time/timer.js";
import type { SuperBlock } from "../vfs.js";
import { EAGAIN, EIO } from "../../abi/errno.js";
import {
  type JournalSuper, JBD2_MAGIC, be32, buildCommit, buildDescriptor, buildRevokes, logBlocksFor, tagsPerDescriptor,
  encodeJournalSuper,
} from "./format.js";

/** A committed transaction whose blocks may not all be at home yet. */
export interface CheckpointTxn {
  tid: number;
  /** Its first log block and the log block after its commit block. */
  start: number;
  end: number;
  /** Home blocks it logged that no newer committed transaction logged again. */
  blocks: number[];
}

export interface Commit {
  tid: number;
  phase: "data" | "space" | "log" | "logwait" | "commitwait";
  blocks: number[];
  copies: Uint8Array[];
  revokes: number[];
  /** Log blocks written (physical block numbers), and the commit block's. */
  logPhys: number[];
  commitPhys: number;
  start: number;
  startedAt: number;
}

export interface JournalStats {
  transactions: number;
  /** Home blocks in committed transactions, and all log blocks written for them (descriptors, revokes, commits too). */
  blocks: number;
  blocksLogged: number;
  revokes: number;
  commitNsTotal: number;
  checkpoints: number;
}

export interface Journal {
  dev: number;
  bs: number;
  sb: JournalSuper;
  /** Journal block 0 as read (patched and written back to move the tail). */
  sbBytes: Uint8Array;
  /** Journal block i lives in file system block map[i]. */
  map: number[];
  /** The id the running transaction will commit as. */
  runningTid: number;
  running: Set<number>;
  revokes: Set<number>;
  /** When the running transaction got its first block (kernel ns). */
  runningSince: number;
  committing: Commit | null;
  checkpoints: CheckpointTxn[];
  /** The next log block to write. */
  head: number;
  /** The tail and its transaction id as the journal superblock on the disk says. */
  tail: number;
  tailTid: number;
  /** A superblock write in flight: the tail it sets (0: the journal marked empty). */
  sbPending: { tail: number; tid: number } | null;
  /** Home block -> the newest transaction still in the log that logged it (what a free must revoke). */
  logged: Map<number, number>;
  /** Blocks one transaction may hold (a quarter of the log, as Linux's default). */
  maxTransaction: number;
  /** Tasks waiting for a commit (fsync) sleep on the buffers; this queue is woken at every commit's end. */
  waiters: WaitQueue;
  /** The commit interval (ns): the running transaction commits this long after it began (mount -o commit=N). */
  commitNs: number;
  /** The commit timer is pending. */
  timerArmed: boolean;
  /** Set at a failed journal write: the file system goes read-only, nothing more is logged. */
  aborted: string | null;
  stats: JournalStats;
}

/** Default commit interval (Linux's commit=5). */
export const COMMIT_INTERVAL_NS = 5e9;

/** Set up the in-memory journal for a mounted file system; the log starts empty at s_first with transaction `tid`. */
export function newJournal(dev: number, bs: number, sb: JournalSuper, sbBytes: Uint8Array, map: number[], tid: number): Journal {
  const logLen = sb.maxLen - sb.first;
  return {
    dev, bs, sb, sbBytes, map, runningTid: tid, running: new Set(), revokes: new Set(), runningSince: 0, committing: null,
    checkpoints: [], head: sb.first, tail: sb.first, tailTid: tid, sbPending: null, logged: new Map(),
    maxTransaction: Math.max(8, Math.floor(logLen / 4)), waiters: createWaitQueue("jbd2"), commitNs: COMMIT_INTERVAL_NS, timerArmed: false, aborted: null,
    stats: { transactions: 0, blocks: 0, blocksLogged: 0, revokes: 0, commitNsTotal: 0, checkpoints: 0 },
  };
}

const logLen = (j: Journal): number => j.sb.maxLen - j.sb.first;
const nextPos = (j: Journal, p: number): number => (p + 1 >= j.sb.maxLen ? j.sb.first : p + 1);

/** Free log blocks between the head and the on-disk tail (one always stays unused, so that full and empty differ). */
export function logFree(j: Journal): number {
  const used = (j.head - j.tail + logLen(j)) % logLen(j);
  return logLen(j) - used - 1;
}

/**
 * Metadata buffer `bh` changed in the operation under way: it joins the
 * running transaction and is held until that commits. Returns true when the
 * transaction has grown to its limit (the caller forces a commit soon).
 */
export function jbdJoin(k: Kernel, j: Journal, bh: BufferHead): boolean {
  if (j.aborted) return false;
  if (j.running.size === 0 && j.revokes.size === 0) j.runningSince = nowNs(k);
  j.running.add(bh.blockNr);
  j.revokes.delete(bh.blockNr); // journaled again after a free: its new copy replays, no revoke (jbd2_journal_cancel_revoke)
  bh.jbdHold = true;
  return j.running.size >= j.maxTransaction;
}

/**
 * Block `nr` was freed. If an older copy may be in the log (or is about to
 * be), the running transaction revokes it; it leaves the running
 * transaction, and its buffer is released unless a commit in progress still
 * needs it held.
 */
export function jbdForget(k: Kernel, j: Journal, nr: number): void {
  if (j.aborted) return;
  const wasRunning = j.running.delete(nr);
  const inCommit = j.committing !== null && j.committing.blocks.includes(nr);
  if (wasRunning || inCommit || j.logged.has(nr)) {
    if (j.running.size === 0 && j.revokes.size === 0) j.runningSince = nowNs(k);
    j.revokes.add(nr);
  }
  if (!inCommit) {
    const bh = findBuffer(k, j.dev, nr, j.bs);
    if (bh) bh.jbdHold = false;
  }
}

/** Whether there is anything to commit or a commit under way. */
export function jbdBusy(j: Journal): boolean {
  return j.committing !== null || j.running.size > 0 || j.revokes.size > 0;
}

/** The transaction an fsync now must wait for: the running one if it holds anything, else the committing one; null: none. */
export function jbdTarget(j: Journal): number | null {
  if (j.running.size > 0 || j.revokes.size > 0) return j.runningTid;
  return j.committing ? j.committing.tid : null;
}

/** Close the running transaction: snapshot its blocks; it becomes the committing one. */
function closeTransaction(k: Kernel, j: Journal): void {
  const blocks: number[] = [], copies: Uint8Array[] = [];
  for (const nr of j.running) {
    const bh = findBuffer(k, j.dev, nr, j.bs);
    if (!bh || !bh.uptodate) continue; // a held buffer is dirty and never evicted: not reached
    blocks.push(nr);
    copies.push(bh.data.slice());
  }
  j.committing = {
    tid: j.runningTid, phase: "data", blocks, copies, revokes: [...j.revokes], logPhys: [], commitPhys: 0,
    start: 0, startedAt: nowNs(k),
  };
  j.running = new Set();
  j.revokes = new Set();
  j.runningTid = (j.runningTid + 1) >>> 0;
}

function wait(k: Kernel, t: Task | null, bh: BufferHead): number {
  return waitOnBuffer(k, t, bh);
}

/** Submit every dirty buffer of the device that no transaction holds; wait until none of them is in flight. */
function writeUnheld(k: Kernel, t: Task | null, j: Journal): number {
  const m = k.block.cache.byDev.get(j.dev);
  if (!m) return 0;
  let busy: BufferHead | null = null;
  for (const bh of m.values()) {
    if (bh.dirty && !bh.jbdHold && !bh.inFlight) submitWrite(k, bh);
    if (bh.inFlight && !busy) busy = bh;
  }
  return busy ? wait(k, t, busy) : 0;
}

/** Write journal block `pos` with `bytes` (forced past any hold); returns the buffer. */
function writeLog(k: Kernel, j: Journal, pos: number, bytes: Uint8Array): BufferHead | null {
  // getblkNew: a log block is overwritten whole. A read of it still in flight (a reader of the journal's blocks
  // through the block device) would otherwise land on the new bytes, the forced write would not even start
  // (the buffer is busy), and the commit would count a stale block as written.
  const bh = getblkNew(k, j.dev, j.map[pos], j.bs);
  if (typeof bh === "number") return null;
  bh.data.set(bytes.subarray(0, j.bs));
  bh.uptodate = true;
  markBufferDirty(k, bh);
  submitWrite(k, bh, true);
  return bh;
}

/**
 * Write the journal superblock with `tail`/`tid` (0: empty) and wait for it.
 * Restartable: a write already in flight for the same values is waited for.
 */
export function writeJournalSuper(k: Kernel, t: Task | null, j: Journal, tail: number, tid: number): number {
  const bh = getblk(k, j.dev, j.map[0], j.bs);
  if (typeof bh === "number") return -EIO;
  if (!j.sbPending || j.sbPending.tail !== tail || j.sbPending.tid !== tid) {
    if (bh.inFlight) return wait(k, t, bh);
    j.sb.start = tail;
    j.sb.sequence = tid;
    encodeJournalSuper(j.sb, j.sbBytes);
    bh.data.set(j.sbBytes.subarray(0, j.bs));
    bh.uptodate = true;
    markBufferDirty(k, bh);
    submitWrite(k, bh, true);
    j.sbPending = { tail, tid };
  }
  const r = wait(k, t, bh);
  if (r < 0) return r;
  j.sbPending = null;
  if (tail === 0) j.head = j.sb.first; // empty: the next transaction starts the log afresh
  j.tail = tail === 0 ? j.sb.first : tail;
  j.tailTid = tid;
  return 0;
}

function abort(j: Journal, why: string): number {
  j.aborted ??= why;
  return -EIO;
}

/** Where the log's tail can move now: the oldest transaction not yet home, else the head. */
function wantedTail(j: Journal): { tail: number; tid: number } {
  const c = j.checkpoints[0];
  if (c) return { tail: c.start, tid: c.tid };
  const tid = j.committing && j.committing.phase !== "logwait" && j.committing.phase !== "commitwait" ? j.committing.tid : j.runningTid;
  return { tail: j.head, tid };
}

/**
 * Drop the checkpointed transactions whose blocks are all home (clean, not
 * in flight) from the front of the queue; forget what they logged.
 */
export function dropHome(k: Kernel, j: Journal): void {
  while (j.checkpoints.length) {
    const c = j.checkpoints[0];
    const home = c.blocks.every((nr) => {
      const bh = findBuffer(k, j.dev, nr, j.bs);
      return !bh || (!bh.dirty && !bh.inFlight);
    });
    if (!home) return;
    j.checkpoints.shift();
    j.stats.checkpoints++;
    for (const nr of c.blocks) if (j.logged.get(nr) === c.tid) j.logged.delete(nr);
  }
}

/**
 * Checkpoint: write every block of the committed transactions home, wait,
 * and move the tail on the disk past them. 0 when the tail is where it can
 * be; a wait otherwise.
 */
export function jbdCheckpoint(k: Kernel, t: Task | null, j: Journal): number {
  let busy: BufferHead | null = null;
  for (const c of j.checkpoints) {
    for (const nr of c.blocks) {
      const bh = findBuffer(k, j.dev, nr, j.bs);
      if (!bh) continue;
      if (bh.dirty && !bh.jbdHold && !bh.inFlight) submitWrite(k, bh);
      if (bh.inFlight && !busy) busy = bh;
    }
  }
  if (busy) return wait(k, t, busy);
  dropHome(k, j);
  const w = wantedTail(j);
  if (w.tail === j.tail && w.tid === j.tailTid) return 0;
  return writeJournalSuper(k, t, j, w.tail, w.tid);
}

/** Finish the committing transaction: its blocks may go home now; it waits in the checkpoint queue. */
function finishCommit(k: Kernel, j: Journal, c: Commit): void {
  const mine = new Set(c.blocks);
  for (const old of j.checkpoints) old.blocks = old.blocks.filter((nr) => !mine.has(nr));
  for (const nr of c.blocks) {
    j.logged.set(nr, c.tid);
    const bh = findBuffer(k, j.dev, nr, j.bs);
    if (bh && !j.running.has(nr)) bh.jbdHold = false;
  }
  j.checkpoints.push({ tid: c.tid, start: c.start, end: j.head, blocks: c.blocks });
  j.stats.transactions++;
  j.stats.blocks += c.blocks.length;
  j.stats.blocksLogged += c.logPhys.length + 1;
  j.stats.revokes += c.revokes.length;
  j.stats.commitNsTotal += nowNs(k) - c.startedAt;
  j.committing = null;
  wakeUp(k, j.waiters);
}

/** Drive the committing transaction as far as it goes: 0 once it is committed (or none), else a wait or an error. */
function advance(k: Kernel, t: Task | null, j: Journal): number {
  for (;;) {
    const c = j.committing;
    if (!c) return 0;
    switch (c.phase) {
      case "data": {
        const r = writeUnheld(k, t, j);
        if (r < 0 && r !== -EIO) return r;
        c.phase = "space";
        break;
      }
      case "space": {
        const tb = j.sb.featureIncompat & 2 ? 12 : 8, rb = j.sb.featureIncompat & 2 ? 8 : 4;
        const need = logBlocksFor(j.bs, tb, rb, c.blocks.length, c.revokes.length);
        if (need > logLen(j) - 1) return abort(j, `a transaction of ${need} blocks does not fit the journal`);
        if (j.sb.start === 0 || j.sbPending) {
          // The journal is marked empty on the disk (or that write is in flight): point it at the log first.
          const r = writeJournalSuper(k, t, j, j.head, c.tid);
          if (r < 0) return r;
        }
        if (logFree(j) < need) {
          const r = jbdCheckpoint(k, t, j);
          if (r < 0) return r;
          if (logFree(j) < need) return abort(j, "no room in the journal after a checkpoint");
        }
        c.phase = "log";
        break;
      }
      case "log": {
        const tb = j.sb.featureIncompat & 2 ? 12 : 8, rb = j.sb.featureIncompat & 2 ? 8 : 4;
        c.start = j.head;
        const put = (bytes: Uint8Array): boolean => {
          const bh = writeLog(k, j, j.head, bytes);
          if (!bh) return false;
          c.logPhys.push(j.map[j.head]);
          j.head = nextPos(j, j.head);
          return true;
        };
        let ok = true;
        for (const r of buildRevokes(j.bs, rb, c.tid, c.revokes)) ok &&= put(r);
        const per = tagsPerDescriptor(j.bs, tb);
        for (let i = 0; i < c.blocks.length && ok; i += per) {
          const targets = c.blocks.slice(i, i + per);
          const copies = c.copies.slice(i, i + per).map((b) => b.slice());
          const escaped = copies.map((b) => be32(b, 0) === JBD2_MAGIC);
          copies.forEach((b, x) => { if (escaped[x]) b.fill(0, 0, 4); });
          ok &&= put(buildDescriptor(j.bs, tb, c.tid, j.sb.uuid, targets, escaped));
          for (const b of copies) ok &&= put(b);
        }
        if (!ok) return abort(j, "cannot write the log");
        c.phase = "logwait";
        break;
      }
      case "logwait": {
        for (const p of c.logPhys) {
          const bh = findBuffer(k, j.dev, p, j.bs);
          if (!bh) continue;
          const r = wait(k, t, bh);
          if (r === -EIO) return abort(j, "a journal write failed");
          if (r < 0) return r;
        }
        const now = nowNs(k);
        const bh = writeLog(k, j, j.head, buildCommit(j.bs, c.tid, Math.floor(now / 1e9), now % 1e9));
        if (!bh) return abort(j, "cannot write the commit block");
        c.commitPhys = j.map[j.head];
        j.head = nextPos(j, j.head);
        c.phase = "commitwait";
        break;
      }
      case "commitwait": {
        const bh = findBuffer(k, j.dev, c.commitPhys, j.bs);
        if (bh) {
          const r = wait(k, t, bh);
          if (r === -EIO) return abort(j, "the commit block's write failed");
          if (r < 0) return r;
        }
        finishCommit(k, j, c);
        return 0;
      }
    }
  }
}

/**
 * Commit until transaction `target` is on the disk (null: everything
 * running now). 0 when done; -ERESTARTSYS (t asleep), -EAGAIN (no task:
 * call again later) or -EIO (the journal is aborted).
 */
export function jbdCommit(k: Kernel, t: Task | null, j: Journal, target: number | null): number {
  if (j.aborted) return -EIO;
  const goal = target ?? jbdTarget(j);
  if (goal === null) return 0;
  for (;;) {
    const r = advance(k, t, j);
    if (r < 0) return r;
    // Done when the goal is older than the running transaction and nothing is committing.
    if (((j.runningTid - goal) | 0) > 0 && j.committing === null) return 0;
    if (j.running.size === 0 && j.revokes.size === 0) return 0;
    closeTransaction(k, j);
  }
}

/**
 * Everything committed and home, then the journal marked empty (s_start = 0)
 * - what an unmount (or a halt) leaves. 0 when done, else a wait.
 */
export function jbdDrain(k: Kernel, t: Task | null, j: Journal): number {
  if (j.aborted) return -EIO;
  for (;;) {
    const r = jbdCommit(k, t, j, null);
    if (r < 0) return r;
    if (!jbdBusy(j)) break;
  }
  const c = jbdCheckpoint(k, t, j);
  if (c < 0) return c;
  if (j.checkpoints.length) return -EAGAIN; // not reached: every block of a drained journal is home after the checkpoint
  if (j.sb.start === 0 && !j.sbPending) return 0;
  return writeJournalSuper(k, t, j, 0, j.runningTid);
}

/**
 * /proc/fs/jbd2/<dev>-<inum>/info: Linux's lines for what this journal
 * measures (others, such as lock waits, do not exist here and are left out).
 */
export function jbdInfoText(j: Journal): string {
  const s = j.stats;
  const n = Math.max(1, s.transactions);
  return `${s.transactions} transactions (${s.transactions} requested), each up to ${j.maxTransaction} blocks\n` +
    "average: \n" +
    `  ${Math.round(s.commitNsTotal / n / 1000)}us average transaction commit time\n` +
    `  ${Math.round(s.blocks / n)} blocks per transaction\n` +
    `  ${Math.round(s.blocksLogged / n)} logged blocks per transaction\n` +
    `${s.revokes} revoke records, ${s.checkpoints} transactions checkpointed\n`;
}

/** Arm the commit timer of file system `sb` for `at` (kernel ns), unless it is armed already. */
export function jbdArm(k: Kernel, j: Journal, sb: SuperBlock, at: number): void {
  if (j.timerArmed) return;
  j.timerArmed = true;
  addTimer(k, { at, kind: "jbd2", sb });
}

/** After a block joined: the commit timer runs commitNs (commit=N) after the transaction began, or now when it is full. */
export function jbdAfterJoin(k: Kernel, j: Journal, sb: SuperBlock, full: boolean): void {
  if (full && j.timerArmed) { j.timerArmed = false; }
  jbdArm(k, j, sb, full ? nowNs(k) : j.runningSince + j.commitNs);
}
