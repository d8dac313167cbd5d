// ext2 directories: a directory's data blocks hold a linked run of variable
// records (inode, rec_len, name_len, file_type, name), each block's records
// exactly filling it. Lookup scans them; adding a name takes the slack of a
// record (or an unused one, or a new block); removing merges the record into
// the one before it (or clears its inode when it is first in its block), as
// Linux's ext2. Every block is checked as it is read (layout.ts).
//
// A directory scanned once keeps a name index in its inode's private info
// (Ext2Inode.dx: name -> logical block, and each block's largest free
// slot), so a lookup reads one block and a create finds room without
// walking every block: without it, creating or stat-ing N files in one
// directory costs O(N^2). Entries never move between blocks (ext2 does not
// compact), so the block a name is in stays right until the entry is
// removed. The index is plain data (Maps and arrays: snapshots copy it). It
// is changed only where the blocks are (applyAdd, removeAt: phase two,
// after every read), so it never claims what the cached blocks do not say;
// a block that does not hold what the index says, or a block count that
// changed behind it, drops it and the operation scans as before (which
// builds it again). A directory with a name twice (corrupt) is not indexed.
//
// Concepts: C64 (directories map names to inode numbers; hard links are
// several names for one inode; "." and ".." are entries too).
import type { Kernel } from "../../kernel.js";
import type { Inode } from "../vfs.js";
import { type RawDirent, parseDirBlock, writeDirent, direntSize, corrupt, putU16, putU32, getU16 } from "./layout.js";
import type { Ext2Fs } from "./super.js";
import { blk, dirtyBlock, cached } from "./bio.js";
import { breadahead } from "../../block/buffer.js";
import { bmap, blocksToMap, bmapAlloc, ei, type DirIndex } from "./inode.js";
import { bytesToStr, strToBytes } from "../../lib/bytestr.js";

// Names and link targets on disk are bytes; the kernel holds them as byte
// strings (lib/bytestr.ts), so these convert byte for byte, never as UTF-8.
export const enc = { encode: (s: string): Uint8Array => strToBytes(s) };
export const dec = { decode: (b: Uint8Array): string => bytesToStr(b) };

/** The physical block of each of a directory's blocks (a hole in a directory is corruption); starts reading them all. */
function dirBlocks(k: Kernel, fs: Ext2Fs, dir: Inode): number[] {
  const n = dir.size / fs.bs;
  const out: number[] = [];
  for (let l = 0; l < n; l++) {
    const nr = bmap(k, fs, dir, l);
    if (nr === 0) corrupt(`directory inode ${dir.ino} has a hole at block ${l}`);
    out.push(nr);
  }
  for (const nr of out) if (!cached(k, fs, nr)) breadahead(k, fs.dev, nr, fs.bs);
  return out;
}

export interface DirSlot { lblk: number; phys: number; e: RawDirent; prev: RawDirent | null }

/** Every live entry, in order, with where it is. */
export function dirEntries(k: Kernel, fs: Ext2Fs, dir: Inode): DirSlot[] {
  const out: DirSlot[] = [];
  const phys = dirBlocks(k, fs, dir);
  phys.forEach((nr, lblk) => {
    let prev: RawDirent | null = null;
    for (const e of parseDirBlock(blk(k, fs, nr), fs.filetype, fs.sup.inodesCount)) {
      if (e.ino !== 0) out.push({ lblk, phys: nr, e, prev });
      prev = e;
    }
  });
  return out;
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The largest record this block could give a new entry (a free record's length, or a live record's slack). */
function blockSlack(recs: RawDirent[]): number {
  let best = 0;
  for (const e of recs) best = Math.max(best, e.ino === 0 ? e.recLen : e.recLen - direntSize(e.nameLen));
  return best;
}

/** The directory's index if it still matches the directory's size (else it is dropped). */
function index(fs: Ext2Fs, dir: Inode): DirIndex | null {
  const x = ei(dir);
  if (!x.dx) return null;
  if (x.dx.nblocks * fs.bs !== dir.size) x.dx = null;
  return x.dx ?? null;
}

/** The entry named `name` by scanning every block; builds the index on the way (kept only if the scan completes). */
function scanFind(k: Kernel, fs: Ext2Fs, dir: Inode, name: Uint8Array): DirSlot | null {
  const phys = dirBlocks(k, fs, dir);
  const names = new Map<string, number>();
  const slack: number[] = [];
  let dup = false;
  let found: DirSlot | null = null;
  for (let lblk = 0; lblk < phys.length; lblk++) {
    const recs = parseDirBlock(blk(k, fs, phys[lblk]), fs.filetype, fs.sup.inodesCount);
    let prev: RawDirent | null = null;
    for (const e of recs) {
      if (e.ino !== 0) {
        if (!found && sameName(e.name, name)) found = { lblk, phys: phys[lblk], e, prev };
        const key = dec.decode(e.name);
        if (names.has(key)) dup = true; else names.set(key, lblk);
      }
      prev = e;
    }
    slack.push(blockSlack(recs));
  }
  ei(dir).dx = dup ? null : { nblocks: phys.length, names, slack };
  return found;
}

/** The entry named `name` in logical block `lblk`, or undefined when it is not there (the index is wrong). */
function findInBlock(k: Kernel, fs: Ext2Fs, dir: Inode, lblk: number, name: Uint8Array): DirSlot | undefined {
  const nr = bmap(k, fs, dir, lblk);
  if (nr === 0) return undefined;
  let prev: RawDirent | null = null;
  for (const e of parseDirBlock(blk(k, fs, nr), fs.filetype, fs.sup.inodesCount)) {
    if (e.ino !== 0 && sameName(e.name, name)) return { lblk, phys: nr, e, prev };
    prev = e;
  }
  return undefined;
}

/** The entry named `name`, or null. */
export function findEntry(k: Kernel, fs: Ext2Fs, dir: Inode, name: Uint8Array): DirSlot | null {
  const x = index(fs, dir);
  if (x) {
    const l = x.names.get(dec.decode(name));
    if (l === undefined) return null;
    const s = findInBlock(k, fs, dir, l, name);
    if (s) return s;
    ei(dir).dx = null; // the index disagrees with the block: forget it and scan
  }
  return scanFind(k, fs, dir, name);
}

/** Where a new entry goes: a record with room (phase one reads the block), or a new block at the end. */
export interface AddPlan { lblk: number; phys: number; off: number; split: boolean; recLen: number; newBlock: number /* logical, -1: none */; allocs: number }

/** The first record of a block that can take a record of `need` bytes, as a plan. */
function fitIn(recs: RawDirent[], lblk: number, nr: number, need: number): AddPlan | null {
  for (const e of recs) {
    if (e.ino === 0 && e.recLen >= need) return { lblk, phys: nr, off: e.off, split: false, recLen: e.recLen, newBlock: -1, allocs: 0 };
    if (e.ino !== 0 && e.recLen - direntSize(e.nameLen) >= need) return { lblk, phys: nr, off: e.off, split: true, recLen: e.recLen, newBlock: -1, allocs: 0 };
  }
  return null;
}

export function planAdd(k: Kernel, fs: Ext2Fs, dir: Inode, nameLen: number): AddPlan {
  const need = direntSize(nameLen);
  const x = index(fs, dir);
  if (x) {
    // The first block with room is the one a full scan would pick: blocks before it have none.
    const l = x.slack.findIndex((s) => s >= need);
    if (l < 0) return { lblk: -1, phys: 0, off: 0, split: false, recLen: fs.bs, newBlock: x.nblocks, allocs: blocksToMap(k, fs, dir, x.nblocks) };
    const nr = bmap(k, fs, dir, l);
    const p = nr === 0 ? null : fitIn(parseDirBlock(blk(k, fs, nr), fs.filetype, fs.sup.inodesCount), l, nr, need);
    if (p) return p;
    ei(dir).dx = null; // the free-space hint was wrong: forget the index and scan
  }
  const phys = dirBlocks(k, fs, dir);
  for (let l = 0; l < phys.length; l++) {
    const p = fitIn(parseDirBlock(blk(k, fs, phys[l]), fs.filetype, fs.sup.inodesCount), l, phys[l], need);
    if (p) return p;
  }
  const l = phys.length;
  return { lblk: -1, phys: 0, off: 0, split: false, recLen: fs.bs, newBlock: l, allocs: blocksToMap(k, fs, dir, l) };
}

/** After block `lblk` (physical `nr`) of `dir` changed: its free-space hint again. */
function reSlack(k: Kernel, fs: Ext2Fs, x: DirIndex, lblk: number, nr: number): void {
  x.slack[lblk] = blockSlack(parseDirBlock(blk(k, fs, nr), fs.filetype, fs.sup.inodesCount));
}

/** Phase two: write the entry where planAdd said. Returns false when a new block was needed and the disk is full. */
export function applyAdd(k: Kernel, fs: Ext2Fs, dir: Inode, p: AddPlan, name: Uint8Array, ino: number, ftype: number): boolean {
  if (p.newBlock >= 0) {
    const nr = bmapAlloc(k, fs, dir, p.newBlock, true);
    if (nr === 0) return false;
    const b = blk(k, fs, nr);
    writeDirent(b, 0, ino, fs.bs, name, ftype, fs.filetype);
    dirtyBlock(k, fs, nr);
    const x = index(fs, dir);
    dir.size += fs.bs;
    if (x) { x.nblocks++; x.names.set(dec.decode(name), p.newBlock); x.slack[p.newBlock] = fs.bs - direntSize(name.length); }
    return true;
  }
  const b = blk(k, fs, p.phys);
  if (p.split) {
    const nameLen = fs.filetype ? b[p.off + 6] : getU16(b, p.off + 6);
    const used = direntSize(nameLen);
    putU16(b, p.off + 4, used);
    writeDirent(b, p.off + used, ino, p.recLen - used, name, ftype, fs.filetype);
  } else {
    writeDirent(b, p.off, ino, p.recLen, name, ftype, fs.filetype);
  }
  dirtyBlock(k, fs, p.phys);
  const x = index(fs, dir);
  if (x) { x.names.set(dec.decode(name), p.lblk); reSlack(k, fs, x, p.lblk, p.phys); }
  // A directory changed by a driver without htree support loses its index (as Linux's ext2 does).
  ei(dir).d.flags &= ~0x1000;
  return true;
}

/** Remove the entry at `s` (found in this operation: its block is cached). */
export function removeAt(k: Kernel, fs: Ext2Fs, dir: Inode, s: DirSlot): void {
  const b = blk(k, fs, s.phys);
  const key = dec.decode(s.e.name); // before the record is overwritten
  if (s.prev) putU16(b, s.prev.off + 4, s.prev.recLen + s.e.recLen);
  else putU32(b, s.e.off, 0);
  dirtyBlock(k, fs, s.phys);
  const x = index(fs, dir);
  if (x) {
    if (x.names.get(key) === s.lblk) x.names.delete(key); else ei(dir).dx = null;
    if (ei(dir).dx) reSlack(k, fs, x, s.lblk, s.phys);
  }
}

/** Point the entry at `s` to another inode (rename over an existing name, ".." of a moved directory). */
export function retarget(k: Kernel, fs: Ext2Fs, s: DirSlot, ino: number, ftype: number): void {
  const b = blk(k, fs, s.phys);
  putU32(b, s.e.off, ino);
  if (fs.filetype) b[s.e.off + 7] = ftype;
  dirtyBlock(k, fs, s.phys);
}

/** Whether a directory holds nothing but "." and "..". */
export function dirEmpty(k: Kernel, fs: Ext2Fs, dir: Inode): boolean {
  for (const s of dirEntries(k, fs, dir)) {
    const n = dec.decode(s.e.name);
    if (n !== "." && n !== "..") return false;
  }
  return true;
}

/** The first block of a new directory: "." and "..". */
export function initDirBlock(fs: Ext2Fs, b: Uint8Array, self: number, parent: number): void {
  b.fill(0);
  writeDirent(b, 0, self, 12, enc.encode("."), 2, fs.filetype);
  writeDirent(b, 12, parent, fs.bs - 12, enc.encode(".."), 2, fs.filetype);
}
