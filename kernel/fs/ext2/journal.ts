// ext3: ext2 with its JBD2 journal (kernel/fs/jbd2). What the ext2 driver
// does with the journal:
//  - at mount (ext3Prepare): find the journal inode (s_journal_inum, 8), map
//    its blocks, read the journal superblock; if the log is not empty,
//    replay it (jbd2/recovery.ts) through the buffer cache, wait until the
//    replayed blocks are on the disk, then mark the journal empty - exactly
//    what e2fsck would do - and the mount runs again on the recovered image;
//  - read-write (ext3Attach): s_feature_incompat gets needs_recovery on the
//    disk at once (so e2fsck knows the log may hold transactions), and every
//    metadata block an operation changes joins the running transaction
//    (bio.ts calls jbdJoin; balloc.ts revokes freed blocks);
//  - commits: on fsync/fdatasync (the caller sleeps until its transaction's
//    commit block is on the disk), on sync/syncfs, on the 5-second commit
//    timer (a "jbd2" kernel timer), when a transaction reaches its size
//    limit, and at unmount/halt, which also checkpoints everything, marks
//    the journal empty and clears needs_recovery.
// Only data=ordered exists (Linux's default).
//
// Concepts: C65 journaling (recovery at mount; ordered-mode commits).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import type { SuperBlock } from "../vfs.js";
import type { Ext2Fs, JournalReady } from "./super.js";
import type { Ext2Super } from "./layout.js";
import { bread, breadBatch, breadahead, findBuffer, getblk, markBufferDirty, submitWrite, waitOnBuffer } from "../../block/buffer.js";
import { nowNs } from "../../time/clock.js";
import { EAGAIN, EIO } from "../../abi/errno.js";
import { logInfo } from "../../log.js";
import { parseInode, getU32 as u32 } from "./layout.js";
import { parseJournalSuper, checkJournalSuper, JFEAT_REVOKE, BT_SB_V2 } from "../jbd2/format.js";
import { recoverJournal } from "../jbd2/recovery.js";
import {
  newJournal, jbdCommit, jbdDrain, jbdTarget, jbdBusy, jbdArm, writeJournalSuper,
} from "../jbd2/transaction.js";
import { writeSuper, flushMeta } from "./super.js";

/** What ext3Prepare found. */
export type JournalFound =
  | { kind: "none" }
  /** A usable journal, empty now (after a replay if one was needed). */
  | JournalReady
  /** The log was replayed: mount again from the start (the superblock and the rest may have changed). */
  | { kind: "replayed" }
  /** The journal cannot be used (why): the file system may only be mounted read-only. */
  | { kind: "unusable"; why: string };

const EXT2_IND = 12, EXT2_DIND = 13, EXT2_TIND = 14;

/**
 * Map the journal inode's blocks (logical -> physical): reads its inode and
 * indirect blocks through the cache. A number is a wait or an error.
 */
function journalMap(k: Kernel, t: Task | null, dev: number, bs: number, sup: Ext2Super): number[] | string | number {
  const inum = u32(sup.raw, 0xe0) || 8;
  if (inum < 1 || inum > sup.inodesCount) return `journal inode ${inum} out of range`;
  const g = Math.floor((inum - 1) / sup.inodesPerGroup);
  const gdtBlock = sup.firstDataBlock + 1 + Math.floor((g * 32) / bs);
  const gb = bread(k, t, dev, gdtBlock, bs);
  if (typeof gb === "number") return gb;
  const table = u32(gb.data, ((g * 32) % bs) + 8);
  const idx = (inum - 1) % sup.inodesPerGroup;
  const iblk = table + Math.floor((idx * sup.inodeSize) / bs);
  if (iblk < sup.firstDataBlock || iblk >= sup.blocksCount) return "journal inode's table block out of range";
  const ib = bread(k, t, dev, iblk, bs);
  if (typeof ib === "number") return ib;
  const d = parseInode(ib.data, (idx * sup.inodeSize) % bs, sup.inodeSize);
  if (d.links === 0 || (d.mode & 0xf000) !== 0x8000) return "the journal inode is not a regular file";
  const n = Math.floor(d.size / bs);
  if (n < 16) return `journal too small (${n} blocks)`;
  const a = bs / 4;
  if (n > 12 + a + a * a) return "journal too large for this driver (triple indirect)";
  const valid = (x: number): boolean => x >= sup.firstDataBlock && x < sup.blocksCount;
  // Indirect blocks: read every one needed at once.
  const ind: number[] = [];
  if (n > 12) ind.push(d.block[EXT2_IND]);
  if (n > 12 + a) ind.push(d.block[EXT2_DIND]);
  if (d.block[EXT2_TIND] && n > 12 + a + a * a) return "journal uses triple indirect blocks";
  for (const x of ind) if (!valid(x)) return `journal indirect block ${x} out of range`;
  let r = breadBatch(k, t, dev, ind, bs);
  if (r < 0) return r;
  const dind: number[] = [];
  if (n > 12 + a) {
    const db = bread(k, t, dev, d.block[EXT2_DIND], bs);
    if (typeof db === "number") return db;
    const need = Math.ceil((n - 12 - a) / a);
    for (let i = 0; i < need; i++) { const x = u32(db.data, i * 4); if (!valid(x)) return `journal block map entry ${x} out of range`; dind.push(x); }
    r = breadBatch(k, t, dev, dind, bs);
    if (r < 0) return r;
  }
  const map: number[] = [];
  for (let l = 0; l < n; l++) {
    let x: number;
    if (l < 12) x = d.block[l];
    else if (l < 12 + a) {
      const b = bread(k, t, dev, d.block[EXT2_IND], bs);
      if (typeof b === "number") return b;
      x = u32(b.data, (l - 12) * 4);
    } else {
      const m = l - 12 - a;
      const b = bread(k, t, dev, dind[Math.floor(m / a)], bs);
      if (typeof b === "number") return b;
      x = u32(b.data, (m % a) * 4);
    }
    if (!valid(x)) return `journal block ${l} maps to ${x}, outside the file system`;
    map.push(x);
  }
  return map;
}

/**
 * The journal of the file system whose superblock is `sup`, recovered if it
 * needs to be. `canWrite`: the device is writable (a replay needs it).
 */
export function ext3Prepare(k: Kernel, t: Task | null, dev: number, sup: Ext2Super, canWrite: boolean, name: string): JournalFound | number {
  const COMPAT_HAS_JOURNAL = 0x4, INCOMPAT_JOURNAL_DEV = 0x8;
  if (!(sup.featureCompat & COMPAT_HAS_JOURNAL)) return { kind: "none" };
  if (sup.featureIncompat & INCOMPAT_JOURNAL_DEV) return { kind: "unusable", why: "an external journal device" };
  const bs = 1024 << sup.logBlockSize;
  const map = journalMap(k, t, dev, bs, sup);
  if (typeof map === "number") return map;
  if (typeof map === "string") return { kind: "unusable", why: map };
  const jb = bread(k, t, dev, map[0], bs);
  if (typeof jb === "number") return jb;
  const js = parseJournalSuper(jb.data);
  if (typeof js === "string") return { kind: "unusable", why: js };
  const bad = checkJournalSuper(js, map.length, bs);
  if (bad) return { kind: "unusable", why: bad };
  if (js.start === 0) return { kind: "ready", sb: js, sbBytes: jb.data.slice(), map, nextTid: (js.sequence + 1) >>> 0 };
  if (!canWrite) return { kind: "unusable", why: "the journal needs recovery and the device is read-only" };
  // Replay. Log blocks not in the cache are read (a few at a time, with readahead) and the pass starts over.
  const missing: number[] = [];
  const res = recoverJournal(js, (i) => {
    if (i < 0 || i >= map.length) return null;
    const bh = findBuffer(k, dev, map[i], bs);
    if (bh && bh.uptodate) return bh.data;
    if (missing.length < 64) missing.push(map[i]);
    return null;
  }, (nr) => nr >= sup.firstDataBlock && nr < sup.blocksCount);
  if (missing.length) {
    const last = missing[missing.length - 1];
    const at = map.indexOf(last);
    for (let i = at + 1; i < Math.min(map.length, at + 64); i++) breadahead(k, dev, map[i], bs);
    const r = breadBatch(k, t, dev, missing, bs);
    if (r < 0) return r;
    return ext3Prepare(k, t, dev, sup, canWrite, name); // everything asked for is in the cache now
  }
  // Write the replayed blocks home (unless a previous run of this mount already did) and wait for them.
  let busy = null;
  for (const [nr, bytes] of res.writes) {
    const bh = getblk(k, dev, nr, bs);
    if (typeof bh === "number") return -EIO;
    const same = bh.uptodate && !bh.dirty && bh.data.every((v, i) => v === bytes[i]);
    if (!same && !bh.inFlight) {
      bh.data.set(bytes);
      bh.uptodate = true;
      markBufferDirty(k, bh);
      submitWrite(k, bh, true);
    }
    if (bh.inFlight && !busy) busy = bh;
  }
  if (busy) { const r = waitOnBuffer(k, t, busy); if (r < 0) return r; }
  const j = newJournal(dev, bs, js, jb.data.slice(), map, res.nextSequence);
  const w = writeJournalSuper(k, t, j, 0, (res.nextSequence + 1) >>> 0);
  if (w < 0) return w;
  logInfo(k, `JBD2: recovery complete on ${name}: ${res.transactions} transactions replayed, ${res.writes.size} blocks written, ${res.revoked} revoked${res.note ? ` (${res.note})` : ""}`);
  return { kind: "replayed" };
}

/** Journaling starts on a read-write mount: needs_recovery on the disk now, the log's tail at s_first. */
export function ext3Attach(k: Kernel, fs: Ext2Fs, found: JournalReady): void {
  const INCOMPAT_RECOVER = 0x4;
  if (found.sb.blockType === BT_SB_V2) found.sb.featureIncompat |= JFEAT_REVOKE;
  const j = newJournal(fs.dev, fs.bs, found.sb, found.sbBytes, found.map, found.nextTid);
  j.commitNs = fs.opts.commitSec * 1e9; // mount -o commit=N
  fs.sup.featureIncompat |= INCOMPAT_RECOVER;
  // The superblock goes straight home (not through the journal): e2fsck must see needs_recovery before any commit.
  writeSuper(k, fs);
  const bh = findBuffer(k, fs.dev, fs.sbBlock, fs.bs);
  if (bh) submitWrite(k, bh, true);
  writeJournalSuper(k, null, j, found.sb.first, found.nextTid); // no wait: the first commit waits for it if needed
  fs.journal = j;
}


/** The "jbd2" timer: commit what is running (and keep going while the disk answers later). */
export function ext3CommitTimer(k: Kernel, sb: SuperBlock): void {
  const fs = sb.info as Ext2Fs | null;
  const j = fs?.journal;
  if (!fs || !j) return;
  j.timerArmed = false;
  if (j.aborted) return;
  flushMeta(k, fs);
  const r = fs.unmounting ? jbdDrain(k, null, j) : jbdCommit(k, null, j, null);
  if (r === -EAGAIN) { jbdArm(k, j, sb, nowNs(k) + 1e6); return; }
  if (r === -EIO) abortFs(k, fs);
  else if (fs.unmounting && r === 0) finishUnmount(k, fs);
  else if (jbdBusy(j)) jbdArm(k, j, sb, Math.max(nowNs(k), j.runningSince + j.commitNs));
}

/** A journal write failed: the file system goes read-only (errors=remount-ro, as ext3 does on an aborted journal). */
export function abortFs(k: Kernel, fs: Ext2Fs): void {
  if (fs.readOnly) return;
  logInfo(k, `EXT3-fs (${fs.source}): journal aborted (${fs.journal?.aborted ?? "I/O error"}): remounting read-only`);
  fs.readOnly = true;
  fs.vfsSb.readOnly = true;
}

/**
 * fsync: wait until the transaction holding the file's changes is committed.
 * 0, -ERESTARTSYS (asleep; the call runs again) or -EIO.
 */
export function ext3Fsync(k: Kernel, t: Task | null, fs: Ext2Fs): number {
  const j = fs.journal;
  if (!j) return 0;
  const r = jbdCommit(k, t, j, jbdTarget(j));
  if (r === -EAGAIN) { jbdArm(k, j, fs.vfsSb, nowNs(k) + 1e6); return 0; }
  if (r === -EIO) { abortFs(k, fs); return -EIO; }
  return r;
}

/** sync(2)/syncfs and halt: commit now; at halt also checkpoint and leave the journal empty (see ext3Unmount). */
export function ext3Sync(k: Kernel, fs: Ext2Fs, final: boolean): void {
  const j = fs.journal;
  if (!j || j.aborted) return;
  const r = final ? jbdDrain(k, null, j) : jbdCommit(k, null, j, null);
  if (r === -EAGAIN) jbdArm(k, j, fs.vfsSb, nowNs(k) + 1e6);
  else if (r === -EIO) abortFs(k, fs);
  else if (final && r === 0) clearRecover(k, fs);
}

/** Unmount: drain the journal (now, or by the timer while the disk answers later), then clear needs_recovery. */
export function ext3Unmount(k: Kernel, fs: Ext2Fs): void {
  const j = fs.journal;
  if (!j || j.aborted) return;
  fs.unmounting = true;
  const r = jbdDrain(k, null, j);
  if (r === -EAGAIN) jbdArm(k, j, fs.vfsSb, nowNs(k) + 1e6);
  else if (r === 0) finishUnmount(k, fs);
}

/**
 * A mount of a device whose previous unmount is still draining its journal
 * (a disk that answers later): finish that first, with the mounting task
 * waiting. 0 when done; -ERESTARTSYS (asleep), -EAGAIN (no task) or -EIO.
 */
export function ext3WaitUnmounted(k: Kernel, t: Task | null, dev: number): number {
  for (const tm of k.timers) {
    if (tm.kind !== "jbd2" || tm.sb.dev !== dev) continue;
    const fs = tm.sb.info as Ext2Fs | null;
    const j = fs?.journal;
    if (!fs || !j || !fs.unmounting || j.aborted) continue;
    const r = jbdDrain(k, t, j);
    if (r < 0) return r;
    finishUnmount(k, fs);
  }
  return 0;
}

function clearRecover(k: Kernel, fs: Ext2Fs): void {
  const j = fs.journal;
  if (!j || jbdBusy(j) || j.sb.start !== 0) return;
  fs.sup.featureIncompat &= ~0x4;
  writeSuper(k, fs); // joins nothing: the buffer is written home directly
  const bh = findBuffer(k, fs.dev, fs.sbBlock, fs.bs);
  if (bh) { bh.jbdHold = false; j.running.delete(fs.sbBlock); submitWrite(k, bh, true); }
}

function finishUnmount(k: Kernel, fs: Ext2Fs): void {
  clearRecover(k, fs);
  fs.journal = null;
}

