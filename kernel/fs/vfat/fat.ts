// The file allocation table: one entry per data cluster, holding the number
// of the file's next cluster, an end-of-chain mark, 0 for a free cluster or
// the bad-cluster mark. A file is its first cluster (in its directory entry)
// and the chain that follows from it: linked allocation, where ext2 uses
// block maps. The active FAT is kept whole in memory from mount on, so walking
// a chain, counting free clusters and allocating never wait for the disk;
// changed sectors are copied into every FAT on the disk (the copies mirror
// the first) by flushFat at the end of the operation, with FSInfo's free
// count. Chains read from the image are checked: a cluster number outside the
// volume, a free or bad cluster inside a chain, or a loop is corruption (EIO),
// never an endless walk.
//
// Concepts: C73 (linked allocation: the FAT chain; the free count).
import type { Kernel } from "../../kernel.js";
import { FAT12, FAT16, FAT32, corrupt, put32, u16, u32, type VfatFs } from "./bpb.js";
import { needRange, writeRange } from "./bio.js";

/** Entry value meaning "end of chain" (written), and the first value read as one. */
export function eocMark(fs: VfatFs): number {
  return fs.g.type === FAT32 ? 0x0fffffff : fs.g.type === FAT16 ? 0xffff : 0xfff;
}
function eocMin(fs: VfatFs): number {
  return fs.g.type === FAT32 ? 0x0ffffff8 : fs.g.type === FAT16 ? 0xfff8 : 0xff8;
}

/** FAT entry of cluster c. */
export function fatGet(fs: VfatFs, c: number): number {
  const f = fs.fat;
  switch (fs.g.type) {
    case FAT32: return u32(f, c * 4) & 0x0fffffff;
    case FAT16: return u16(f, c * 2);
    default: {
      const o = c + (c >> 1);
      const v = f[o] | (f[o + 1] << 8);
      return c & 1 ? v >> 4 : v & 0xfff;
    }
  }
}

/** Set the FAT entry of cluster c (the top 4 bits of a FAT32 entry are kept, as the specification asks). */
export function fatSet(fs: VfatFs, c: number, v: number): void {
  const f = fs.fat, bps = fs.g.bytesPerSector;
  let o: number, n: number;
  switch (fs.g.type) {
    case FAT32: o = c * 4; n = 4; put32(f, o, ((u32(f, o) & 0xf0000000) | (v & 0x0fffffff)) >>> 0); break;
    case FAT16: o = c * 2; n = 2; f[o] = v & 0xff; f[o + 1] = (v >> 8) & 0xff; break;
    default: {
      o = c + (c >> 1); n = 2;
      if (c & 1) { f[o] = (f[o] & 0x0f) | ((v << 4) & 0xf0); f[o + 1] = (v >> 4) & 0xff; }
      else { f[o] = v & 0xff; f[o + 1] = (f[o + 1] & 0xf0) | ((v >> 8) & 0x0f); }
    }
  }
  fs.dirtyFat.add(Math.floor(o / bps));
  fs.dirtyFat.add(Math.floor((o + n - 1) / bps));
}

export function validCluster(fs: VfatFs, c: number): boolean {
  return c >= 2 && c < fs.g.clusterCount + 2;
}

/** Byte offset on the device of cluster c. */
export function clusterAddr(fs: VfatFs, c: number): number {
  return fs.g.dataStart + (c - 2) * fs.g.clusterSize;
}

/** The clusters of the chain starting at `first` (0: none), checked. */
export function chainOf(fs: VfatFs, first: number, what: string): number[] {
  const out: number[] = [];
  if (first === 0) return out;
  const end = eocMin(fs);
  let c = first;
  for (;;) {
    if (!validCluster(fs, c)) corrupt(`${what}: cluster ${c} outside 2..${fs.g.clusterCount + 1}`);
    out.push(c);
    if (out.length > fs.g.clusterCount) corrupt(`${what}: cluster chain loops`);
    const next = fatGet(fs, c);
    if (next >= end) return out;
    if (next === 0) corrupt(`${what}: cluster ${c} is marked free inside a chain`);
    if (!validCluster(fs, next)) corrupt(`${what}: cluster ${c} points to ${next}, outside the volume`);
    c = next;
  }
}

/** Count the free clusters (at mount). */
export function countFree(fs: VfatFs): number {
  let n = 0;
  for (let c = 2; c < fs.g.clusterCount + 2; c++) if (fatGet(fs, c) === 0) n++;
  return n;
}

/** The n clusters an allocation would take now (null: not enough free). Nothing changes. */
export function planAlloc(fs: VfatFs, n: number): number[] | null {
  if (n > fs.freeCount) return null;
  const out: number[] = [];
  const total = fs.g.clusterCount;
  let c = validCluster(fs, fs.nextFree) ? fs.nextFree : 2;
  for (let i = 0; i < total && out.length < n; i++) {
    if (fatGet(fs, c) === 0) out.push(c);
    c = c + 1 >= total + 2 ? 2 : c + 1;
  }
  return out.length === n ? out : null;
}

/** Take the planned clusters: chain them after `last` (0: a new chain) and end the chain. */
export function commitAlloc(fs: VfatFs, clusters: number[], last: number): void {
  if (clusters.length === 0) return;
  if (last !== 0) fatSet(fs, last, clusters[0]);
  for (let i = 0; i < clusters.length; i++) fatSet(fs, clusters[i], i + 1 < clusters.length ? clusters[i + 1] : eocMark(fs));
  fs.freeCount -= clusters.length;
  const after = clusters[clusters.length - 1] + 1;
  fs.nextFree = validCluster(fs, after) ? after : 2;
  fs.fsInfoDirty = true;
}

/** Free the given clusters (the tail of a chain); `newLast` (if not 0) becomes the end of the chain. */
export function freeClusters(fs: VfatFs, clusters: readonly number[], newLast: number): void {
  if (newLast !== 0) fatSet(fs, newLast, eocMark(fs));
  for (const c of clusters) fatSet(fs, c, 0);
  fs.freeCount += clusters.length;
  fs.fsInfoDirty = true;
}

/** Phase one of any operation that may change the FAT: the blocks a flush writes only in part. */
export function needMeta(k: Kernel, fs: VfatFs): void {
  for (const nr of fs.metaEdges) needRange(k, fs, nr * fs.bs, fs.bs, false);
}

/** Copy the changed FAT sectors into every FAT on the disk, and FSInfo's counts (blocks present: needMeta ran). */
export function flushFat(k: Kernel, fs: VfatFs): void {
  if (fs.readOnly) return;
  const g = fs.g, bps = g.bytesPerSector;
  if (fs.dirtyFat.size > 0) {
    // Each changed sector goes out with the rest of its buffer's FAT bytes, so that a buffer lying
    // wholly inside a FAT is written without a read; only the buffers at a FAT's ends (metaEdges) are
    // written in part.
    const bs = fs.bs;
    for (let i = 0; i < g.nfats; i++) {
      const base = g.fatStart + i * g.fatBytes;
      let doneTo = -1;
      for (const s of [...fs.dirtyFat].sort((a, b) => a - b)) {
        let from = Math.max(base, Math.floor((base + s * bps) / bs) * bs);
        const to = Math.min(base + g.fatBytes, Math.ceil((base + (s + 1) * bps) / bs) * bs);
        if (from < doneTo) from = doneTo;
        if (from >= to) continue;
        writeRange(k, fs, from, fs.fat.subarray(from - base, to - base));
        doneTo = to;
      }
    }
    fs.dirtyFat.clear();
  }
  if (fs.fsInfoDirty && fs.fsInfoOk) {
    const b = new Uint8Array(8);
    put32(b, 0, fs.freeCount);
    put32(b, 4, fs.nextFree);
    writeRange(k, fs, g.fsInfo + 488, b);
  }
  fs.fsInfoDirty = false;
}
