// ext2 directories: a directory's data blocks hold a linked run of variable
// records (inode, rec_len, name_len, file_type, name), each block's records
// exactly filling it. Lookup scans them; adding a name takes the slack of a
// record (or an unused one, or a new block); removing merges the record into
// the one before it (or clears its inode when it is first in its block), as
// Linux's ext2. Every block is checked as it is read (layout.ts).
//
// Concepts: C64 (directories map names to inode numbers; hard links are
// several names for one inode; "." and ".." are entries too).
import type { Kernel } from "../../kernel.js";
import type { Inode } from "../vfs.js";
import { type RawDirent, parseDirBlock, writeDirent, direntSize, corrupt, putU16, putU32, getU16 } from "./layout.js";
import type { Ext2Fs } from "./super.js";
import { blk, dirtyBlock, cached } from "./bio.js";
import { breadahead } from "../../block/buffer.js";
import { bmap, blocksToMap, bmapAlloc, ei } from "./inode.js";
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

const sameName = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The entry named `name`, or null. */
export function findEntry(k: Kernel, fs: Ext2Fs, dir: Inode, name: Uint8Array): DirSlot | null {
  const phys = dirBlocks(k, fs, dir);
  for (let lblk = 0; lblk < phys.length; lblk++) {
    let prev: RawDirent | null = null;
    for (const e of parseDirBlock(blk(k, fs, phys[lblk]), fs.filetype, fs.sup.inodesCount)) {
      if (e.ino !== 0 && sameName(e.name, name)) return { lblk, phys: phys[lblk], e, prev };
      prev = e;
    }
  }
  return null;
}

/** Where a new entry goes: a record with room (phase one reads all blocks), or a new block at the end. */
export interface AddPlan { phys: number; off: number; split: boolean; recLen: number; newBlock: number /* logical, -1: none */; allocs: number }

export function planAdd(k: Kernel, fs: Ext2Fs, dir: Inode, nameLen: number): AddPlan {
  const need = direntSize(nameLen);
  const phys = dirBlocks(k, fs, dir);
  for (const nr of phys) {
    for (const e of parseDirBlock(blk(k, fs, nr), fs.filetype, fs.sup.inodesCount)) {
      if (e.ino === 0 && e.recLen >= need) return { phys: nr, off: e.off, split: false, recLen: e.recLen, newBlock: -1, allocs: 0 };
      const used = direntSize(e.nameLen);
      if (e.ino !== 0 && e.recLen - used >= need) return { phys: nr, off: e.off, split: true, recLen: e.recLen, newBlock: -1, allocs: 0 };
    }
  }
  const l = phys.length;
  return { phys: 0, off: 0, split: false, recLen: fs.bs, newBlock: l, allocs: blocksToMap(k, fs, dir, l) };
}

/** Phase two: write the entry where planAdd said. Returns false when a new block was needed and the disk is full. */
export function applyAdd(k: Kernel, fs: Ext2Fs, dir: Inode, p: AddPlan, name: Uint8Array, ino: number, ftype: number): boolean {
  if (p.newBlock >= 0) {
    const nr = bmapAlloc(k, fs, dir, p.newBlock, true);
    if (nr === 0) return false;
    const b = blk(k, fs, nr);
    writeDirent(b, 0, ino, fs.bs, name, ftype, fs.filetype);
    dirtyBlock(k, fs, nr);
    dir.size += fs.bs;
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
  // A directory changed by a driver without htree support loses its index (as Linux's ext2 does).
  ei(dir).d.flags &= ~0x1000;
  return true;
}

/** Remove the entry at `s` (found in this operation: its block is cached). */
export function removeAt(k: Kernel, fs: Ext2Fs, s: DirSlot): void {
  const b = blk(k, fs, s.phys);
  if (s.prev) putU16(b, s.prev.off + 4, s.prev.recLen + s.e.recLen);
  else putU32(b, s.e.off, 0);
  dirtyBlock(k, fs, s.phys);
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
