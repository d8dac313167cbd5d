// The mounted ext2 file system's state (the SuperBlock's info): the decoded
// superblock, the group descriptor table and both bitmaps of every group,
// read once at mount and kept in memory (they are small: one block each per
// group), so that allocating and freeing never has to wait for the disk in
// the middle of an operation. Changes to them are written back into their
// buffers (flushMeta) at the end of every operation that made them, and the
// buffer cache takes them to the disk. Also: where the superblock and the
// group descriptor table sit, and what statfs reports.
//
// Concepts: C62 (superblock and its backups, group descriptors, bitmaps:
// the metadata area), C74 (written back through the buffer cache).
import type { Ext2MountOpts } from "./options.js";
import type { Kernel } from "../../kernel.js";
import type { Inode, SuperBlock, StatFs } from "../vfs.js";
import {
  type Ext2Super, type GroupDesc, encodeSuper, encodeGroupDesc, GD_SIZE, SB_OFFSET, groupHasSuper,
} from "./layout.js";
import { type BioFs, newBlock } from "./bio.js";
import type { JournalSuper } from "../jbd2/format.js";

/** A usable, empty journal (what ext3Prepare found): its superblock, block map and the next transaction id. */
export interface JournalReady { kind: "ready"; sb: JournalSuper; sbBytes: Uint8Array; map: number[]; nextTid: number }

export interface Ext2Fs extends BioFs {
  sup: Ext2Super;
  /** The block holding the superblock (1 with 1 KiB blocks, else 0) and its bytes (block 0 also holds the boot sector). */
  sbBlock: number;
  sbBlockBytes: Uint8Array;
  ngroups: number;
  groups: GroupDesc[];
  /** The primary group descriptor table: first block and its bytes (kept whole, fields patched in). */
  gdtBlock: number;
  gdtBytes: Uint8Array;
  blockBitmaps: Uint8Array[];
  inodeBitmaps: Uint8Array[];
  /** Groups whose bitmaps or descriptor changed since the last flushMeta. */
  dirtyGroups: Set<number>;
  superDirty: boolean;
  inodeSize: number;
  inodesPerBlock: number;
  addrPerBlock: number;
  filetype: boolean;
  sparse: boolean;
  /** Mounted read-only (asked for, or forced by features or a journal needing recovery). */
  readOnly: boolean;
  /** Inodes in memory by number (those in use, and the root). */
  inodes: Map<number, Inode>;
  /** Inodes with no links whose storage could not be freed yet (freed by the next operation that can wait). */
  orphans: number[];
  /** ext3's on-disk orphan list in order (s_last_orphan first, then through i_dtime): inodes unlinked while open. */
  diskOrphans: number[];
  /** Source name (for /proc/mounts and log lines). */
  source: string;
  /** s_state to write back at unmount (what it was at mount, with VALID set). */
  stateAtMount?: number;
  /** The VFS superblock (inodes point to it). */
  vfsSb: SuperBlock;
  /** ext3: the journal as found at mount (read-only mounts keep it for a remount read-write); null: none or unusable. */
  journalInfo: JournalReady | null;
  /** The mount options (options.ts) and the superblock's s_errors (their errors= default). */
  opts: Ext2MountOpts;
  sErrors: number;
  /** Unmounted; the journal is being drained (ext3). */
  unmounting?: boolean;
}

export function fsOf(sb: SuperBlock): Ext2Fs {
  return sb.info as Ext2Fs;
}

/** Group of block `nr`. */
export function groupOfBlock(fs: Ext2Fs, nr: number): number {
  return Math.floor((nr - fs.firstDataBlock) / fs.sup.blocksPerGroup);
}

/** Blocks in group g (the last group may be short). */
export function blocksInGroup(fs: Ext2Fs, g: number): number {
  const first = fs.firstDataBlock + g * fs.sup.blocksPerGroup;
  return Math.min(fs.sup.blocksPerGroup, fs.sup.blocksCount - first);
}

/** Whether group g carries a superblock backup (sparse_super). */
export function hasSuper(fs: Ext2Fs, g: number): boolean {
  return groupHasSuper(fs.sparse, g);
}

/**
 * Write the in-memory superblock, changed group descriptors and bitmaps into
 * their buffers (whole blocks: no read needed) and mark them dirty. The
 * backups are left as mke2fs or e2fsck wrote them, as Linux's ext2 does.
 */
export function flushMeta(k: Kernel, fs: Ext2Fs): void {
  if (fs.readOnly) return;
  if (fs.dirtyGroups.size > 0) {
    for (const g of fs.dirtyGroups) {
      const gd = fs.groups[g];
      encodeGroupDesc(gd, fs.gdtBytes, g * GD_SIZE);
      newBlock(k, fs, gd.blockBitmap, fs.blockBitmaps[g]);
      newBlock(k, fs, gd.inodeBitmap, fs.inodeBitmaps[g]);
    }
    const first = Math.floor(Math.min(...fs.dirtyGroups) * GD_SIZE / fs.bs);
    const last = Math.floor(Math.max(...fs.dirtyGroups) * GD_SIZE / fs.bs);
    for (let b = first; b <= last; b++) newBlock(k, fs, fs.gdtBlock + b, fs.gdtBytes.subarray(b * fs.bs, (b + 1) * fs.bs));
    fs.dirtyGroups.clear();
    fs.superDirty = true;
  }
  if (fs.superDirty) writeSuper(k, fs);
}

/** Put the superblock's bytes into its block's buffer. */
export function writeSuper(k: Kernel, fs: Ext2Fs): void {
  const off = fs.sbBlock === 0 ? SB_OFFSET : 0;
  fs.sbBlockBytes.set(encodeSuper(fs.sup), off);
  newBlock(k, fs, fs.sbBlock, fs.sbBlockBytes);
  fs.superDirty = false;
}

/** statfs(2): real counts from the superblock (bavail leaves out the blocks reserved for root). */
export function ext2Statfs(fs: Ext2Fs): StatFs {
  const s = fs.sup;
  // f_blocks excludes the metadata overhead as Linux's ext2 (minixdf off): superblock copies, descriptor tables, bitmaps, inode tables.
  const itb = Math.ceil(s.inodesPerGroup / fs.inodesPerBlock);
  let overhead = s.firstDataBlock;
  const gdtBlocks = Math.ceil(fs.ngroups * GD_SIZE / fs.bs);
  for (let g = 0; g < fs.ngroups; g++) {
    overhead += 2 + itb;
    if (hasSuper(fs, g)) overhead += 1 + gdtBlocks + (s.raw[206] | (s.raw[207] << 8));
  }
  const bfree = s.freeBlocksCount;
  return {
    bsize: fs.bs, blocks: s.blocksCount - overhead, bfree,
    bavail: Math.max(0, bfree - s.rBlocksCount), files: s.inodesCount, ffree: s.freeInodesCount, namelen: 255,
  };
}
