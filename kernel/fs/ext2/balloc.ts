// Allocation: the block and inode bitmaps of every group (kept in memory,
// super.ts) and the free counts that go with them in the group descriptors
// and the superblock - e2fsck checks that all three agree. New blocks are
// taken near a goal (the file's previous block, or its inode's group) so a
// file stays contiguous; new inodes go in the parent's group, and new
// directories in the group with the most free inodes among those with at
// least the average free blocks (an "Orlov-lite" spread). Pure in-memory
// work: it never waits for the disk.
//
// Concepts: C62 (block and inode bitmaps, free counts), C65 (allocation of
// blocks to files: locality).
import type { Ext2Fs } from "./super.js";
import { blocksInGroup, groupOfBlock } from "./super.js";
import { corrupt } from "./layout.js";
import { jbdForget } from "../jbd2/transaction.js";
import type { Kernel } from "../../kernel.js";

const testBit = (bm: Uint8Array, i: number): boolean => (bm[i >>> 3] & (1 << (i & 7))) !== 0;
const setBit = (bm: Uint8Array, i: number): void => { bm[i >>> 3] |= 1 << (i & 7); };
const clearBit = (bm: Uint8Array, i: number): void => { bm[i >>> 3] &= ~(1 << (i & 7)); };

/** Free blocks an allocation may use: all for root, else all but the reserved ones (s_r_blocks_count). */
export function blocksAvailable(fs: Ext2Fs, privileged: boolean): number {
  const free = fs.sup.freeBlocksCount;
  return privileged ? free : Math.max(0, free - fs.sup.rBlocksCount);
}

/** Take a free block, as close after `goal` as possible; 0 when the file system is full. */
export function allocBlock(fs: Ext2Fs, goal: number, privileged: boolean): number {
  if (blocksAvailable(fs, privileged) <= 0) return 0;
  if (goal < fs.firstDataBlock || goal >= fs.sup.blocksCount) goal = fs.firstDataBlock;
  const g0 = groupOfBlock(fs, goal);
  for (let n = 0; n < fs.ngroups; n++) {
    const g = (g0 + n) % fs.ngroups;
    if (fs.groups[g].freeBlocks === 0) continue;
    const bm = fs.blockBitmaps[g];
    const count = blocksInGroup(fs, g);
    const start = n === 0 ? goal - fs.firstDataBlock - g * fs.sup.blocksPerGroup : 0;
    for (let i = 0; i < count; i++) {
      const bit = (start + i) % count;
      if (testBit(bm, bit)) continue;
      setBit(bm, bit);
      fs.groups[g].freeBlocks--;
      fs.sup.freeBlocksCount--;
      fs.dirtyGroups.add(g);
      return fs.firstDataBlock + g * fs.sup.blocksPerGroup + bit;
    }
  }
  return 0;
}

/** Give block `nr` back (a block already free means the image is corrupt: reported, not double-counted). */
export function freeBlock(k: Kernel, fs: Ext2Fs, nr: number): void {
  if (nr < fs.firstDataBlock || nr >= fs.sup.blocksCount) corrupt(`freeing block ${nr} outside the file system`);
  const g = groupOfBlock(fs, nr);
  const bit = nr - fs.firstDataBlock - g * fs.sup.blocksPerGroup;
  if (!testBit(fs.blockBitmaps[g], bit)) corrupt(`freeing block ${nr}, which is already free`);
  clearBit(fs.blockBitmaps[g], bit);
  fs.groups[g].freeBlocks++;
  fs.sup.freeBlocksCount++;
  fs.dirtyGroups.add(g);
  // ext3: an older logged copy of the block must never be replayed over what it holds next.
  if (fs.journal) jbdForget(k, fs.journal, nr);
}

/** Whether block `nr` is marked in use (a check for pointers read from the image). */
export function blockInUse(fs: Ext2Fs, nr: number): boolean {
  const g = groupOfBlock(fs, nr);
  return testBit(fs.blockBitmaps[g], nr - fs.firstDataBlock - g * fs.sup.blocksPerGroup);
}

/** The group a new inode goes to: the parent's for files; for directories a roomy group (spreads the tree). */
export function pickInodeGroup(fs: Ext2Fs, parentGroup: number, dir: boolean): number {
  const gs = fs.groups;
  if (!dir) {
    for (let n = 0; n < fs.ngroups; n++) {
      const g = (parentGroup + n) % fs.ngroups;
      if (gs[g].freeInodes > 0) return g;
    }
    return -1;
  }
  const avgBlocks = fs.sup.freeBlocksCount / fs.ngroups;
  let best = -1;
  for (let n = 0; n < fs.ngroups; n++) {
    const g = (parentGroup + n) % fs.ngroups;
    if (gs[g].freeInodes === 0) continue;
    if (best < 0) { best = g; continue; }
    const better = gs[g].freeBlocks >= avgBlocks && (gs[g].usedDirs < gs[best].usedDirs ||
      (gs[g].usedDirs === gs[best].usedDirs && gs[g].freeInodes > gs[best].freeInodes));
    if (better || gs[best].freeBlocks < avgBlocks && gs[g].freeBlocks > gs[best].freeBlocks) best = g;
  }
  return best;
}

/** The inode number a new inode in group g would get (first free), or 0; nothing is taken yet. */
export function peekFreeInode(fs: Ext2Fs, g: number): number {
  if (g < 0 || fs.groups[g].freeInodes === 0) return 0;
  const bm = fs.inodeBitmaps[g];
  const ipg = fs.sup.inodesPerGroup;
  for (let i = 0; i < ipg; i++) {
    const ino = g * ipg + i + 1;
    if (ino < fs.sup.firstIno) continue;
    if (!testBit(bm, i)) return ino;
  }
  return 0;
}

/** Take inode `ino` (found by peekFreeInode). */
export function takeInode(fs: Ext2Fs, ino: number, dir: boolean): void {
  const ipg = fs.sup.inodesPerGroup;
  const g = Math.floor((ino - 1) / ipg);
  setBit(fs.inodeBitmaps[g], (ino - 1) % ipg);
  fs.groups[g].freeInodes--;
  if (dir) fs.groups[g].usedDirs++;
  fs.sup.freeInodesCount--;
  fs.dirtyGroups.add(g);
}

/** Give inode `ino` back. */
export function freeInode(fs: Ext2Fs, ino: number, dir: boolean): void {
  const ipg = fs.sup.inodesPerGroup;
  const g = Math.floor((ino - 1) / ipg);
  if (!testBit(fs.inodeBitmaps[g], (ino - 1) % ipg)) corrupt(`freeing inode ${ino}, which is already free`);
  clearBit(fs.inodeBitmaps[g], (ino - 1) % ipg);
  fs.groups[g].freeInodes++;
  if (dir && fs.groups[g].usedDirs > 0) fs.groups[g].usedDirs--;
  fs.sup.freeInodesCount++;
  fs.dirtyGroups.add(g);
}
