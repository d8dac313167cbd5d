// ext2's access to its disk: every metadata block goes through the buffer
// cache (block/buffer.ts). A block that is not in the cache starts a read and
// puts the calling task to sleep; ext2 then abandons the operation by
// throwing Ext2Err(-ERESTARTSYS), the VFS glue (ops.ts) turns that into the
// syscall's return value, and the syscall runs again from the start once the
// read has completed. That is why every ext2 operation reads all it needs
// before it changes anything (ops.ts): a rerun must find nothing half done.
// Block numbers read from the image are checked against the file system's
// size here, once, before any I/O.
//
// Concepts: C60 (file-system blocks are groups of disk sectors), C74 (the
// buffer cache under a file system), C62 (metadata blocks).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import { bread, getblkNew, markBufferDirty, findBuffer, submitWrite, type BufferHead } from "../../block/buffer.js";
import { EIO, ERESTARTSYS } from "../../abi/errno.js";
import { logInfo } from "../../log.js";
import { corrupt } from "./layout.js";
import type { SuperBlock } from "../vfs.js";
import { type Journal, jbdJoin, jbdAfterJoin } from "../jbd2/transaction.js";

/** An ext2 operation stops here: the errno its syscall returns (-ERESTARTSYS: a read is under way, -EIO...). */
export class Ext2Err {
  constructor(readonly errno: number) {}
}

/** What bio needs to know of a mounted file system (the Ext2Fs record, see super.ts). */
export interface BioFs {
  dev: number;
  bs: number;
  blocksCount: number;
  firstDataBlock: number;
  /** Set while an operation changes things: a read then would be a bug (logged). */
  updating: boolean;
  /** ext3's journal while mounted read-write with it (metadata blocks join its running transaction), else null. */
  journal: Journal | null;
  vfsSb: SuperBlock;
}

/** A metadata buffer changed: with a journal it joins the running transaction (held until committed). */
function journalIt(k: Kernel, fs: BioFs, bh: BufferHead): void {
  const j = fs.journal;
  if (!j) return;
  const full = jbdJoin(k, j, bh);
  jbdAfterJoin(k, j, fs.vfsSb, full);
}

/** The task whose syscall or page fault is running (it sleeps for a read), or null in kernel context. */
export function callerTask(k: Kernel): Task | null {
  const tid = k.vfs.hostfs.caller;
  return tid ? k.tasks.get(tid) ?? null : null;
}

/** Check a block number taken from the image (an inode's pointer, an indirect entry). */
export function checkBlock(fs: BioFs, nr: number, what: string): void {
  if (nr < fs.firstDataBlock || nr >= fs.blocksCount) corrupt(`${what}: block ${nr} outside the file system (${fs.firstDataBlock}..${fs.blocksCount - 1})`);
}

/** The buffer of block `nr` (read if needed; throws Ext2Err(-ERESTARTSYS) while the read is under way). */
export function bhOf(k: Kernel, fs: BioFs, nr: number): BufferHead {
  const r = bread(k, callerTask(k), fs.dev, nr, fs.bs);
  if (typeof r === "number") {
    if (fs.updating) logInfo(k, `ext2: BUG: block ${nr} read while an operation was changing the file system`);
    throw new Ext2Err(r === -ERESTARTSYS ? r : -EIO);
  }
  return r;
}

/** The bytes of block `nr` (see bhOf). */
export function blk(k: Kernel, fs: BioFs, nr: number): Uint8Array {
  return bhOf(k, fs, nr).data;
}

/** Start reading blocks ahead without waiting (directory scans, file reads). */
export function cached(k: Kernel, fs: BioFs, nr: number): boolean {
  const bh = findBuffer(k, fs.dev, nr, fs.bs);
  return bh !== undefined && bh.uptodate;
}

/** Block `nr` changed in the cache: it goes to the disk with the next write-back. */
export function dirtyBlock(k: Kernel, fs: BioFs, nr: number): void {
  const bh = findBuffer(k, fs.dev, nr, fs.bs);
  if (bh) { markBufferDirty(k, bh); journalIt(k, fs, bh); }
}

/** A file data block changed in the cache (not journaled: ordered mode writes it before the next commit). */
export function dirtyDataBlock(k: Kernel, fs: BioFs, nr: number): void {
  const bh = findBuffer(k, fs.dev, nr, fs.bs);
  if (bh) markBufferDirty(k, bh);
}

/** A block about to be overwritten whole (a newly allocated one): no read; `data` (or zeros) becomes its contents. */
export function newBlock(k: Kernel, fs: BioFs, nr: number, data?: Uint8Array): Uint8Array {
  const bh = fillBlock(k, fs, nr, data);
  journalIt(k, fs, bh);
  return bh.data;
}

/**
 * Start writing data block `nr` to the disk now (reclaim's pageout starts
 * the write, as Linux's ->writepage does; under the caller's plug abutting
 * blocks become one request). Data blocks are not journaled, so ordered
 * mode only asks that they reach the disk before the commit that allocated
 * them: earlier is fine.
 */
export function startDataWrite(k: Kernel, fs: BioFs, nr: number): void {
  const bh = findBuffer(k, fs.dev, nr, fs.bs);
  if (bh) submitWrite(k, bh);
}

/** newBlock for file data (not journaled). */
export function newDataBlock(k: Kernel, fs: BioFs, nr: number, data?: Uint8Array): Uint8Array {
  return fillBlock(k, fs, nr, data).data;
}

function fillBlock(k: Kernel, fs: BioFs, nr: number, data?: Uint8Array): BufferHead {
  // getblkNew: a read of the block still in flight (a readahead) must not land on the new bytes.
  const bh = getblkNew(k, fs.dev, nr, fs.bs);
  if (typeof bh === "number") throw new Ext2Err(-EIO);
  if (data) bh.data.set(data.subarray(0, fs.bs)); else bh.data.fill(0);
  bh.uptodate = true;
  markBufferDirty(k, bh);
  return bh;
}
