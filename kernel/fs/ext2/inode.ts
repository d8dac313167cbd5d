// ext2 inodes: finding an inode in its group's inode table, decoding it into
// a VFS Inode (and encoding it back), and the block map - the 12 direct
// pointers and the single, double and triple indirect blocks that say where
// each block of a file is. A pointer of 0 is a hole (reads as zeros).
// Growing a file allocates data and indirect blocks; truncating frees them
// (planFree checks the whole tree first - a block listed twice, a pointer
// outside the file system or to a free block is corruption, found before
// anything changes).
//
// Concepts: C63 (inode contents: type, mode, owner, size, times, link
// count), C65 (indexed allocation: direct and indirect blocks, holes).
import type { Kernel } from "../../kernel.js";
import type { Inode, Timespec } from "../vfs.js";
import { makedev } from "../fstypes.js";
import { type PageCache, createPageCache } from "../pagecache.js";
import { S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFBLK } from "../../abi/fs.js";
import { EFBIG } from "../../abi/errno.js";
import {
  type DiskInode, parseInode, encodeInode, corrupt, getU32, putU32,
  EXT2_NDIR_BLOCKS, EXT2_IND_BLOCK, EXT2_DIND_BLOCK, EXT2_TIND_BLOCK, EXT4_EXTENTS_FL, EXT4_INLINE_DATA_FL,
} from "./layout.js";
import { type Ext2Fs } from "./super.js";
import { blk, checkBlock, dirtyBlock, newBlock, newDataBlock, Ext2Err } from "./bio.js";
import { allocBlock, freeBlock, blockInUse } from "./balloc.js";

/** Names of the operation tables (defined in ops.ts; only the names are needed here). */
export const EXT2_DIR_IOPS = "ext2.dir", EXT2_REG_IOPS = "ext2.reg", EXT2_LNK_IOPS = "ext2.lnk", EXT2_OTHER_IOPS = "ext2.other";
export const EXT2_REG_FOPS = "ext2.reg", EXT2_NO_FOPS = "none";

/** What ext2 keeps with a VFS Inode: the on-disk fields the VFS has no place for, and the file's page cache. */
export interface Ext2Inode {
  d: DiskInode;
  pc: PageCache | null;
  /** A directory's name index (dir.ts), once a scan built it; null or absent: scan. */
  dx?: DirIndex | null;
}

/** A directory's in-memory name index (dir.ts): name (byte string) -> logical block, and each block's largest free record. */
export interface DirIndex { nblocks: number; names: Map<string, number>; slack: number[] }

export function ei(ino: Inode): Ext2Inode {
  return ino.info as Ext2Inode;
}

/** Largest ext2 directory this driver walks (a directory claiming more is treated as corrupt, not scanned for minutes). */
export const MAX_DIR_BYTES = 64 << 20;

/** Where inode `ino` sits: its table block and byte offset. Checks the number and the table's place. */
export function inodeLocation(fs: Ext2Fs, ino: number): { block: number; off: number } {
  if (ino < 1 || ino > fs.sup.inodesCount) corrupt(`inode number ${ino} out of range`);
  const ipg = fs.sup.inodesPerGroup;
  const g = Math.floor((ino - 1) / ipg);
  const idx = (ino - 1) % ipg;
  const block = fs.groups[g].inodeTable + Math.floor((idx * fs.inodeSize) / fs.bs);
  checkBlock(fs, block, `inode table of group ${g}`);
  return { block, off: (idx * fs.inodeSize) % fs.bs };
}

/** Read the table block of inode `ino` (phase one of an operation that will write the inode). */
export function needInode(k: Kernel, fs: Ext2Fs, ino: number): void {
  blk(k, fs, inodeLocation(fs, ino).block);
}

const ts = (sec: number, nsec: number): Timespec => ({ sec, nsec });

/**
 * The VFS inode `ino` (cached, or read from the inode table). A free or
 * nonsensical inode is corruption; `orphan`: an inode on the orphan list,
 * which has no links by design.
 */
export function iget(k: Kernel, fs: Ext2Fs, ino: number, orphan = false): Inode {
  const have = fs.inodes.get(ino);
  if (have) return have;
  const loc = inodeLocation(fs, ino);
  const d = parseInode(blk(k, fs, loc.block), loc.off, fs.inodeSize);
  if ((d.links === 0 && !orphan) || d.mode === 0) corrupt(`inode ${ino} is in a directory but free (mode 0${d.mode.toString(8)}, ${d.links} links)`);
  if (d.flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL)) corrupt(`inode ${ino} uses extents or inline data (not ext2)`);
  const type = d.mode & S_IFMT;
  let iops = EXT2_OTHER_IOPS, fops = EXT2_NO_FOPS, rdev = 0;
  let pc: PageCache | null = null;
  switch (type) {
    case S_IFDIR:
      iops = EXT2_DIR_IOPS;
      if (d.size % fs.bs !== 0 || d.size > MAX_DIR_BYTES) corrupt(`directory inode ${ino} has size ${d.size}`);
      break;
    case S_IFREG: iops = EXT2_REG_IOPS; fops = EXT2_REG_FOPS; pc = createPageCache(); break;
    case S_IFLNK: iops = EXT2_LNK_IOPS; break;
    case S_IFCHR: case S_IFBLK:
      // Old encoding (8-bit major and minor) in i_block[0], else Linux's new encoding in i_block[1].
      rdev = d.block[0] !== 0 ? makedev((d.block[0] >>> 8) & 0xff, d.block[0] & 0xff) : d.block[1];
      break;
    default: break;
  }
  const inode: Inode = {
    ino, sb: fs.vfsSb, mode: d.mode, uid: d.uid, gid: d.gid, nlink: d.links, size: d.size,
    atime: ts(d.atime, d.atimeNs), mtime: ts(d.mtime, d.mtimeNs), ctime: ts(d.ctime, d.ctimeNs),
    rdev, iops, fops, info: { d, pc } satisfies Ext2Inode, refs: 0,
  };
  fs.inodes.set(ino, inode);
  return inode;
}

/** Encode the inode into its (already read) table block and mark that dirty. */
export function writeInode(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  if (fs.readOnly) return;
  const loc = inodeLocation(fs, ino.ino);
  const d = ei(ino).d;
  d.mode = ino.mode; d.uid = ino.uid; d.gid = ino.gid; d.links = ino.nlink; d.size = ino.size;
  d.atime = ino.atime.sec >>> 0; d.atimeNs = ino.atime.nsec;
  d.mtime = ino.mtime.sec >>> 0; d.mtimeNs = ino.mtime.nsec;
  d.ctime = ino.ctime.sec >>> 0; d.ctimeNs = ino.ctime.nsec;
  const type = ino.mode & S_IFMT;
  if (type === S_IFCHR || type === S_IFBLK) {
    const maj = (ino.rdev >>> 8) & 0xfff, min = (ino.rdev & 0xff) | ((ino.rdev >>> 12) & 0xfff00);
    if (maj < 256 && min < 256) { d.block[0] = (maj << 8) | min; d.block[1] = 0; } else { d.block[0] = 0; d.block[1] = ino.rdev; d.block[2] = 0; }
  }
  encodeInode(d, blk(k, fs, loc.block), loc.off, fs.inodeSize);
  dirtyBlock(k, fs, loc.block);
}

/** The path through the block map to logical block `l`: i_block index, then indexes in each indirect level. */
export function blockPath(fs: Ext2Fs, l: number): number[] {
  const a = fs.addrPerBlock;
  if (l < EXT2_NDIR_BLOCKS) return [l];
  l -= EXT2_NDIR_BLOCKS;
  if (l < a) return [EXT2_IND_BLOCK, l];
  l -= a;
  if (l < a * a) return [EXT2_DIND_BLOCK, Math.floor(l / a), l % a];
  l -= a * a;
  if (l < a * a * a) return [EXT2_TIND_BLOCK, Math.floor(l / (a * a)), Math.floor(l / a) % a, l % a];
  throw new Ext2Err(-EFBIG);
}

/** Largest file size the block map can address (and that i_blocks, in 512-byte units, can count). */
export function maxFileBytes(fs: Ext2Fs): number {
  const a = fs.addrPerBlock;
  return Math.min((EXT2_NDIR_BLOCKS + a + a * a + a * a * a) * fs.bs, 2 ** 41 - fs.bs);
}

/** Physical block of logical block `l` (0: a hole). Reads indirect blocks (may throw Ext2Err to wait). */
export function bmap(k: Kernel, fs: Ext2Fs, ino: Inode, l: number): number {
  const p = blockPath(fs, l);
  let nr = ei(ino).d.block[p[0]];
  for (let i = 1; i < p.length; i++) {
    if (nr === 0) return 0;
    checkBlock(fs, nr, `inode ${ino.ino} indirect block`);
    nr = getU32(blk(k, fs, nr), p[i] * 4);
  }
  if (nr !== 0) checkBlock(fs, nr, `inode ${ino.ino} block ${l}`);
  return nr;
}

/** Blocks that mapping logical block `l` would have to allocate (data + missing indirect blocks); reads like bmap. */
export function blocksToMap(k: Kernel, fs: Ext2Fs, ino: Inode, l: number): number {
  const p = blockPath(fs, l);
  let nr = ei(ino).d.block[p[0]];
  for (let i = 1; i < p.length; i++) {
    if (nr === 0) return p.length - i + 1;
    checkBlock(fs, nr, `inode ${ino.ino} indirect block`);
    nr = getU32(blk(k, fs, nr), p[i] * 4);
  }
  return nr === 0 ? 1 : 0;
}

/**
 * Physical block of logical block `l`, allocating it (zeroed) and any missing
 * indirect block on the way; 0 when the disk is full (nothing half-made: the
 * caller checked with blocksToMap that there is room). The indirect blocks on
 * the path must be in the cache already (phase one read them).
 */
export function bmapAlloc(k: Kernel, fs: Ext2Fs, ino: Inode, l: number, privileged: boolean): number {
  const p = blockPath(fs, l);
  const d = ei(ino).d;
  const per = fs.bs / 512;
  const goal = (prev: number): number => (prev ? prev + 1 : fs.groups[Math.floor((ino.ino - 1) / fs.sup.inodesPerGroup)].inodeTable);
  let nr = d.block[p[0]];
  if (nr === 0) {
    nr = allocBlock(fs, goal(l > 0 && l < EXT2_NDIR_BLOCKS ? d.block[l - 1] : 0), privileged);
    if (nr === 0) return 0;
    // The leaf block is zeroed unjournaled: data, or a directory block its caller journals when it fills it.
    if (p.length === 1) newDataBlock(k, fs, nr); else newBlock(k, fs, nr);
    d.block[p[0]] = nr;
    d.blocks512 += per;
  }
  for (let i = 1; i < p.length; i++) {
    const parent = nr;
    const b = blk(k, fs, parent);
    nr = getU32(b, p[i] * 4);
    if (nr === 0) {
      nr = allocBlock(fs, goal(p[i] > 0 ? getU32(b, (p[i] - 1) * 4) : parent), privileged);
      if (nr === 0) return 0;
      if (i === p.length - 1) newDataBlock(k, fs, nr); else newBlock(k, fs, nr);
      putU32(b, p[i] * 4, nr);
      dirtyBlock(k, fs, parent);
      d.blocks512 += per;
    } else checkBlock(fs, nr, `inode ${ino.ino} block map`);
  }
  return nr;
}

const SPANS = (a: number): number[] => [1, a, a * a];

/**
 * Phase one of freeing every block at logical index >= `keep`: read every
 * indirect block involved and check the tree (each block in range, in use,
 * listed once). Returns how many blocks would be freed. Throws Ext2Err to
 * wait for reads, Ext2Corrupt for a bad tree.
 */
export function planFree(k: Kernel, fs: Ext2Fs, ino: Inode, keep: number): number {
  const seen = new Set<number>();
  const d = ei(ino).d;
  const note = (nr: number): void => {
    checkBlock(fs, nr, `inode ${ino.ino} block map`);
    if (seen.has(nr)) corrupt(`inode ${ino.ino}: block ${nr} appears twice in its block map`);
    if (!blockInUse(fs, nr)) corrupt(`inode ${ino.ino}: block ${nr} is in its block map but marked free`);
    seen.add(nr);
  };
  const walk = (nr: number, level: number, start: number): void => {
    // nr: an indirect block whose children are at `level - 1` (0: data blocks); start: first logical index inside it to free.
    const b = blk(k, fs, nr);
    const span = SPANS(fs.addrPerBlock)[level - 1];
    for (let i = Math.floor(start / span); i < fs.addrPerBlock; i++) {
      const c = getU32(b, i * 4);
      if (c === 0) continue;
      note(c);
      const cs = i === Math.floor(start / span) ? start % span : 0;
      if (level > 1) walk(c, level - 1, cs);
    }
  };
  forEachTop(fs, keep, (idx, level, start) => {
    const nr = d.block[idx];
    if (nr === 0) return;
    if (start === 0) note(nr);
    if (level > 0) walk(nr, level, start);
  });
  return seen.size;
}

/** The top-level pointers (i_block index, level, first logical index inside) that freeing from `keep` touches. */
function forEachTop(fs: Ext2Fs, keep: number, f: (idx: number, level: number, start: number) => void): void {
  const a = fs.addrPerBlock;
  for (let i = 0; i < EXT2_NDIR_BLOCKS; i++) if (i >= keep) f(i, 0, 0);
  let base = EXT2_NDIR_BLOCKS;
  const caps = [a, a * a, a * a * a];
  for (let lv = 1; lv <= 3; lv++) {
    const cap = caps[lv - 1];
    if (keep < base + cap) f(EXT2_NDIR_BLOCKS + lv - 1, lv, Math.max(0, keep - base));
    base += cap;
  }
}

/** Phase two: free every block at logical index >= `keep` (planFree has read and checked them all). */
export function freeFrom(k: Kernel, fs: Ext2Fs, ino: Inode, keep: number): void {
  const d = ei(ino).d;
  const per = fs.bs / 512;
  const release = (nr: number): void => { freeBlock(k, fs, nr); d.blocks512 = Math.max(0, d.blocks512 - per); };
  const walk = (nr: number, level: number, start: number): void => {
    const b = blk(k, fs, nr);
    const span = SPANS(fs.addrPerBlock)[level - 1];
    let changed = false;
    for (let i = Math.floor(start / span); i < fs.addrPerBlock; i++) {
      const c = getU32(b, i * 4);
      if (c === 0) continue;
      const cs = i === Math.floor(start / span) ? start % span : 0;
      if (level > 1) walk(c, level - 1, cs);
      if (cs === 0) { release(c); putU32(b, i * 4, 0); changed = true; }
    }
    if (changed && start !== 0) dirtyBlock(k, fs, nr);
  };
  forEachTop(fs, keep, (idx, level, start) => {
    const nr = d.block[idx];
    if (nr === 0) return;
    if (level > 0) walk(nr, level, start);
    if (start === 0) { release(nr); d.block[idx] = 0; }
  });
}
