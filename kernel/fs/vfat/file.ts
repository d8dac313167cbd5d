// FAT file data: a file's bytes are its clusters in chain order, so byte
// offset x lies in the (x / cluster size)-th cluster of the chain. FAT has
// no holes: a file grown past its end (a write beyond it, ftruncate up) gets
// clusters at once and the gap is written with zeros, as Linux's fat does.
// The size must fit the chain (a size past the chain's end is corruption:
// EIO) and stays below 4 GiB (EFBIG). Reads and mmap go through the page
// cache, filled from the clusters' buffers; write() goes through to the
// buffers and to the cached pages; pages stored to through shared mappings
// are written back at msync, fsync, sync and last close.
//
// Each operation first (phase one) finds the clusters it will take - the
// FAT is in memory, so that is pure computation - and makes present every
// block it will read or write in part; then it changes things (phase two).
//
// Concepts: C73 (a file is a cluster chain; slack after the last byte).
import type { Kernel } from "../../kernel.js";
import type { Inode } from "../vfs.js";
import type { PageCache } from "../pagecache.js";
import { PAGE_SIZE } from "../../mm/phys.js";
import { EFBIG, ENOSPC } from "../../abi/errno.js";
import { corrupt, put16, put32, type VfatFs } from "./bpb.js";
import { needRange, readBlocks, readRange, writeRange, zeroRange } from "./bio.js";
import { chainOf, clusterAddr, planAlloc, commitAlloc, freeClusters } from "./fat.js";
import { ATTR_DIR, encodeTime, setFirst } from "./dir.js";

/** Largest file FAT can describe (a 32-bit size). */
export const FAT_MAX_BYTES = 0xffffffff;

/** vfat's part of an inode. Plain data. */
export interface VfatInode {
  /** Device byte address of the short entry (-1: the root, which has none; -2: unlinked). */
  pos: number;
  first: number;
  attr: number;
  /** The cluster chain, once walked (kept up to date by every change). */
  chain: number[] | null;
  /** Inode number of the directory holding the entry. */
  parent: number;
  pc: PageCache | null;
}

export function vi(ino: Inode): VfatInode {
  return ino.info as VfatInode;
}

export function chainOfInode(fs: VfatFs, ino: Inode): number[] {
  const x = vi(ino);
  if (x.chain === null) {
    x.chain = chainOf(fs, x.first, `inode ${ino.ino}`);
    const n = x.chain.length;
    if ((ino.mode & 0o170000) === 0o100000 && ino.size > n * fs.g.clusterSize) {
      x.chain = null;
      corrupt(`inode ${ino.ino}: size ${ino.size} is past the end of its ${n} clusters`);
    }
  }
  return x.chain;
}

/** Device pieces [addr, fileOffset, length] of file bytes [pos, pos+len) over `chain`. */
export function pieces(fs: VfatFs, chain: readonly number[], pos: number, len: number): [number, number, number][] {
  const cs = fs.g.clusterSize, out: [number, number, number][] = [];
  for (let x = pos; x < pos + len;) {
    const ci = Math.floor(x / cs), off = x - ci * cs;
    if (ci >= chain.length) corrupt(`file offset ${x} past the cluster chain`);
    const n = Math.min(cs - off, pos + len - x);
    out.push([clusterAddr(fs, chain[ci]) + off, x, n]);
    x += n;
  }
  return out;
}

/** Phase one of a read: the blocks of pages [first, last] not cached yet. */
export function needPages(k: Kernel, fs: VfatFs, ino: Inode, first: number, last: number): void {
  const pc = vi(ino).pc!;
  const chain = chainOfInode(fs, ino);
  const missing: number[] = [];
  for (let p = first; p <= last; p++) {
    if (pc.pages.has(p)) continue;
    const from = p * PAGE_SIZE, to = Math.min(ino.size, from + PAGE_SIZE);
    if (to <= from) continue;
    for (const [a, , n] of pieces(fs, chain, from, to - from)) needRange(k, fs, a, n, false, missing);
  }
  readBlocks(k, fs, [...new Set(missing)]);
}

/** Page `index`'s bytes from the clusters (present: needPages ran). */
export function fillPage(k: Kernel, fs: VfatFs, ino: Inode, index: number, dst: Uint8Array): void {
  const from = index * PAGE_SIZE, to = Math.min(ino.size, from + PAGE_SIZE);
  if (to <= from) return;
  for (const [a, off, n] of pieces(fs, chainOfInode(fs, ino), from, to - from)) readRange(k, fs, a, dst.subarray(off - from, off - from + n));
}

/** Phase one of writing the short entry back: its block. */
export function needEntry(k: Kernel, fs: VfatFs, ino: Inode): void {
  const x = vi(ino);
  if (x.pos >= 0) needRange(k, fs, x.pos, 32, false);
}

/** Put the inode's first cluster, size, attributes and times into its short entry (block present). */
export function writeEntry(k: Kernel, fs: VfatFs, ino: Inode): void {
  const x = vi(ino);
  if (x.pos < 0 || fs.readOnly) return;
  const b = new Uint8Array(32);
  readRange(k, fs, x.pos, b);
  b[11] = x.attr;
  setFirst(b, 0, x.first);
  const m = encodeTime(ino.mtime.sec);
  put16(b, 22, m.time); put16(b, 24, m.date);
  put16(b, 18, encodeTime(ino.atime.sec).date);
  put32(b, 28, x.attr & ATTR_DIR ? 0 : ino.size);
  writeRange(k, fs, x.pos, b);
}

/**
 * Plan growing a file to `end` bytes with data written at [dataPos, end):
 * the new clusters and the byte ranges that get zeros (the gap between the
 * old end and dataPos). Makes the blocks written in part present.
 */
export interface GrowPlan { fresh: number[]; chain: number[]; zero: [number, number][] }
export function planGrow(k: Kernel, fs: VfatFs, ino: Inode, end: number, dataPos: number): GrowPlan | number {
  if (end > FAT_MAX_BYTES) return -EFBIG;
  const old = chainOfInode(fs, ino);
  const cs = fs.g.clusterSize;
  const want = Math.ceil(end / cs) - old.length;
  const fresh = want > 0 ? planAlloc(fs, want) : [];
  if (fresh === null) return -ENOSPC;
  const chain = old.concat(fresh);
  const zero: [number, number][] = [];
  const gapTo = Math.min(dataPos, end);
  const missing: number[] = [];
  if (gapTo > ino.size) {
    for (const [a, , n] of pieces(fs, chain, ino.size, gapTo - ino.size)) { zero.push([a, n]); needRange(k, fs, a, n, true, missing); }
  }
  if (end > dataPos) for (const [a, , n] of pieces(fs, chain, dataPos, end - dataPos)) needRange(k, fs, a, n, true, missing);
  readBlocks(k, fs, [...new Set(missing)]);
  return { fresh, chain, zero };
}

/** Phase two of a grow: take the clusters, write the zeros. */
export function applyGrow(k: Kernel, fs: VfatFs, ino: Inode, p: GrowPlan): void {
  const x = vi(ino);
  const old = chainOfInode(fs, ino);
  commitAlloc(fs, p.fresh, old.length > 0 ? old[old.length - 1] : 0);
  if (x.first === 0 && p.fresh.length > 0) x.first = p.fresh[0];
  x.chain = p.chain;
  for (const [a, n] of p.zero) zeroRange(k, fs, a, n);
}

/** Write data at pos (clusters in place: applyGrow ran). */
export function writeData(k: Kernel, fs: VfatFs, ino: Inode, data: Uint8Array, pos: number): void {
  for (const [a, off, n] of pieces(fs, chainOfInode(fs, ino), pos, data.length)) writeRange(k, fs, a, data.subarray(off - pos, off - pos + n));
}

/** Shrink to `size`: free the clusters past it. */
export function shrinkTo(fs: VfatFs, ino: Inode, size: number): void {
  const x = vi(ino);
  const chain = chainOfInode(fs, ino);
  const keep = Math.ceil(size / fs.g.clusterSize);
  if (keep >= chain.length) return;
  freeClusters(fs, chain.slice(keep), keep > 0 ? chain[keep - 1] : 0);
  x.chain = chain.slice(0, keep);
  if (keep === 0) x.first = 0;
}

/** Phase one of freeing all of a file's storage: nothing to read (the FAT is in memory); check the chain. */
export function planFreeAll(fs: VfatFs, ino: Inode): void {
  chainOfInode(fs, ino);
}

