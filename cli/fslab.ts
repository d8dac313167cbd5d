// `tsix fslab [--files SPEC] [--show NAME] [--json] [-o report.svg]`: the
// allocation lab. The same files (by default: tiny, one block, a few
// blocks, big, and a sparse one) are put on an ext2 image (4 KiB blocks,
// made by mke2fs -d) and on a FAT32 image (4 KiB clusters, mkfs.vfat and
// mcopy), and both images are then read back here, on the host, by small
// readers of both formats: for each file the blocks or clusters it holds,
// the slack in its last one, ext2's indirect blocks and holes; for each file
// system the space its own metadata takes (superblocks, descriptors,
// bitmaps, inode tables, directories; reserved sectors, FATs, directories).
// For one file (--show, default the big one) it prints FAT's cluster chain
// (linked allocation: each cluster's FAT entry names the next) beside
// ext2's block pointers (indexed allocation: 12 direct, then single, double
// and triple indirect blocks of pointers). The numbers are what the images
// hold, not formulas: test/cli/fslab.test.ts checks them against debugfs and
// mtools' mshowfat.
//
// Concepts: C73 (linked allocation in a FAT against indexed allocation),
// C65 (ext2 block maps), C60 (blocks, clusters, slack).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandError, UsageError, optionValue, parseSize } from "./args.js";
import {
  ext2ParseSuper as parseSuper, ext2ParseGroupDesc as parseGroupDesc, ext2ParseInode as parseInode, EXT2_GD_SIZE as GD_SIZE,
  fatParseBpb as parseBpb, type FatGeometry,
} from "../kernel/index.js";

const USAGE = `usage: tsix fslab [--files SPEC] [--show NAME] [--json] [-o report.svg]
Puts the same files on an ext2 image (4 KiB blocks) and a FAT32 image (4 KiB clusters), reads
both images back and shows how each file system laid them out: blocks or clusters per file, slack,
ext2's indirect blocks and holes, each file system's metadata, and for one file FAT's cluster chain
beside ext2's block pointers. Needs mke2fs (e2fsprogs), mkfs.vfat (dosfstools) and mcopy (mtools).
  --files SPEC   comma-separated NAME=SIZE[/sparse] (sizes like 10, 4096, 3M; sparse: data only in the
                 first and last 4 KiB); default ${"tiny=10,block=4096,few=12388,big=3M,sparse=8M/sparse"}
  --show NAME    the file whose chain and pointers are printed (default: the biggest non-sparse one)
  --json         print the numbers as JSON instead of the report
  -o FILE        also write a bar chart (SVG) of blocks, slack and indirect blocks per file`;

const DEFAULT_FILES = "tiny=10,block=4096,few=12388,big=3M,sparse=8M/sparse";
const BS = 4096;
const IMG_MIB = 300; // FAT32 with 4 KiB clusters needs 65525 of them

export interface FileSpec { name: string; size: number; sparse: boolean }

export interface Ext2File { name: string; size: number; ino: number; dataBlocks: number; indirectBlocks: number; holes: number; slack: number; i_blocks512: number; pointers: string[]; /** Blocks read to reach the last byte: 1 + levels of indirection. */ reads: number }
export interface FatFile { name: string; size: number; firstCluster: number; clusters: number; slack: number; chain: number[] }
export interface FslabReport {
  blockSize: number;
  ext2: { files: Ext2File[]; totalBlocks: number; usedBlocks: number; metadataBlocks: number; metadata: string };
  fat: { files: FatFile[]; totalClusters: number; usedClusters: number; metadataBytes: number; metadata: string };
}

function parseFiles(spec: string): FileSpec[] {
  const out: FileSpec[] = [];
  for (const item of spec.split(",")) {
    const m = /^([A-Za-z0-9_-]{1,8})=([^/]+)(\/sparse)?$/.exec(item);
    if (!m) throw new UsageError(`--files: bad item '${item}' (use NAME=SIZE or NAME=SIZE/sparse, NAME of 1-8 letters, digits, - or _)`);
    let size: number;
    try { size = parseSize(m[2]); } catch { throw new UsageError(`--files: bad size '${m[2]}' (e.g. 10, 4096 or 3M)`); }
    if (size > 64 << 20) throw new UsageError(`--files: ${m[1]} is bigger than 64M`);
    if (m[3] && size < 2 * BS) throw new UsageError(`--files: a sparse file needs at least 8K (${m[1]})`);
    if (out.some((f) => f.name.toLowerCase() === m[1].toLowerCase())) throw new UsageError(`--files: '${m[1]}' given twice`);
    out.push({ name: m[1], size, sparse: m[3] !== undefined });
  }
  return out;
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: env ?? process.env });
  if (r.error) throw new CommandError(`${cmd} is not available (${r.error.message}); install e2fsprogs, dosfstools and mtools (scripts/setup-debian.sh)`, 1);
  if (r.status !== 0) throw new CommandError(`${cmd} failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`, 1);
  return r.stdout;
}

/** Deterministic bytes for a file's contents. */
function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}

/** The staging directory with the files. */
function stage(files: FileSpec[]): string {
  const dir = mkdtempSync(join(tmpdir(), "tsix-fslab-tree-"));
  files.forEach((f, i) => {
    const p = join(dir, f.name);
    if (!f.sparse) { writeFileSync(p, bytes(f.size, i + 1)); return; }
    const fd = openSync(p, "w");
    try {
      ftruncateSync(fd, f.size);
      writeSync(fd, bytes(BS, i + 1), 0, BS, 0);
      writeSync(fd, bytes(BS, i + 100), 0, BS, f.size - BS);
    } finally { closeSync(fd); }
  });
  return dir;
}

const u16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** Runs of consecutive numbers: "100-111" or "7". */
export function runs(xs: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    out.push(i === j ? `${xs[i]}` : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return out;
}

// --- ext2, read from the image ---

export function readExt2(img: Uint8Array, files: FileSpec[]): FslabReport["ext2"] {
  const sup = parseSuper(img.subarray(1024, 2048));
  if (sup.magic !== 0xef53) throw new CommandError("the ext2 image has no ext2 superblock", 1);
  const bs = 1024 << sup.logBlockSize;
  const blk = (n: number): Uint8Array => img.subarray(n * bs, (n + 1) * bs);
  const ngroups = Math.ceil((sup.blocksCount - sup.firstDataBlock) / sup.blocksPerGroup);
  const gdt = img.subarray((sup.firstDataBlock + 1) * bs);
  const groups = Array.from({ length: ngroups }, (_, g) => parseGroupDesc(gdt, g * GD_SIZE));
  const inode = (n: number) => {
    const g = groups[Math.floor((n - 1) / sup.inodesPerGroup)], idx = (n - 1) % sup.inodesPerGroup;
    const off = g.inodeTable * bs + idx * sup.inodeSize;
    return parseInode(img, off, sup.inodeSize);
  };
  // Used blocks: the bits set in the block bitmaps.
  let used = 0;
  for (let g = 0; g < ngroups; g++) {
    const bm = blk(groups[g].blockBitmap);
    const n = Math.min(sup.blocksPerGroup, sup.blocksCount - sup.firstDataBlock - g * sup.blocksPerGroup);
    for (let i = 0; i < n; i++) if (bm[i >> 3] & (1 << (i & 7))) used++;
  }
  // The root directory's entries (name -> inode).
  const root = inode(2);
  const names = new Map<string, number>();
  for (let l = 0; l < 12 && root.block[l]; l++) {
    const b = blk(root.block[l]);
    for (let o = 0; o < bs;) {
      const ino = u32(b, o), rec = u16(b, o + 4), nl = b[o + 6];
      if (rec < 8) break;
      if (ino) names.set(String.fromCharCode(...b.subarray(o + 8, o + 8 + nl)), ino);
      o += rec;
    }
  }
  const apb = bs / 4;
  const out: Ext2File[] = [];
  let fileBlocks = 0;
  for (const f of files) {
    const ino = names.get(f.name);
    if (ino === undefined) throw new CommandError(`${f.name} is not in the ext2 image's root directory`, 1);
    const d = inode(ino);
    let data = 0, ind = 0;
    const ptrs: string[] = [];
    const direct = d.block.slice(0, 12).map((x, l) => [l, x]).filter(([, x]) => x !== 0);
    data += direct.length;
    if (direct.length) ptrs.push(`direct: ${direct.map(([l, x]) => `${l}:${x}`).join(" ")}`);
    const walk = (nr: number, level: number, label: string, depth: number): void => {
      if (nr === 0) return;
      ind++;
      const b = blk(nr);
      const kids: number[] = [];
      for (let i = 0; i < apb; i++) { const x = u32(b, i * 4); if (x) kids.push(x); }
      if (level === 1) {
        data += kids.length;
        ptrs.push(`${"  ".repeat(depth)}${label} block ${nr} -> ${kids.length} data blocks: ${runs(kids).join(", ")}`);
      } else {
        ptrs.push(`${"  ".repeat(depth)}${label} block ${nr} -> ${kids.length} indirect blocks`);
        for (const k of kids) walk(k, level - 1, level - 1 === 1 ? "indirect" : "double indirect", depth + 1);
      }
    };
    const reads = d.block[14] ? 4 : d.block[13] ? 3 : d.block[12] ? 2 : 1;
    walk(d.block[12], 1, "indirect", 0);
    walk(d.block[13], 2, "double indirect", 0);
    walk(d.block[14], 3, "triple indirect", 0);
    fileBlocks += data + ind;
    const logical = Math.ceil(d.size / bs);
    const lastAllocated = f.sparse ? true : data > 0;
    out.push({
      name: f.name, size: d.size, ino, dataBlocks: data, indirectBlocks: ind, holes: logical - data,
      slack: lastAllocated && d.size % bs ? bs - (d.size % bs) : 0, i_blocks512: d.blocks512, pointers: ptrs, reads,
    });
  }
  const itb = Math.ceil((sup.inodesPerGroup * sup.inodeSize) / bs);
  return {
    files: out, totalBlocks: sup.blocksCount, usedBlocks: used, metadataBlocks: used - fileBlocks,
    metadata: `${ngroups} groups: superblock and descriptor copies, 2 bitmaps and ${itb} inode-table blocks each (${sup.inodesPerGroup} inodes of ${sup.inodeSize} bytes), and the directories`,
  };
}

// --- FAT32, read from the image ---

function fatEntry(g: FatGeometry, img: Uint8Array, c: number): number {
  return u32(img, g.fatStart + c * 4) & 0x0fffffff;
}

export function readFat(img: Uint8Array, files: FileSpec[]): FslabReport["fat"] {
  const g = parseBpb(img.subarray(0, 512), img.length);
  if (typeof g === "string") throw new CommandError(`the FAT image's boot sector: ${g}`, 1);
  if (g.type !== 32) throw new CommandError("the FAT image is not FAT32", 1);
  const addr = (c: number): number => g.dataStart + (c - 2) * g.clusterSize;
  const chain = (first: number): number[] => {
    const out: number[] = [];
    for (let c = first; c >= 2 && c < g.clusterCount + 2 && out.length <= g.clusterCount; c = fatEntry(g, img, c)) out.push(c);
    return out;
  };
  let used = 0;
  for (let c = 2; c < g.clusterCount + 2; c++) if (fatEntry(g, img, c) !== 0) used++;
  // The root directory's short entries (long names are not needed: fslab's names are 8.3).
  const rootChain = chain(g.rootCluster);
  const entries = new Map<string, { first: number; size: number }>();
  for (const c of rootChain) {
    for (let o = addr(c); o < addr(c) + g.clusterSize; o += 32) {
      if (img[o] === 0) break;
      if (img[o] === 0xe5 || (img[o + 11] & 0x0f) === 0x0f || img[o + 11] & 0x08) continue;
      const base = String.fromCharCode(...img.subarray(o, o + 8)).trimEnd(), ext = String.fromCharCode(...img.subarray(o + 8, o + 11)).trimEnd();
      entries.set((ext ? `${base}.${ext}` : base).toUpperCase(), { first: (u16(img, o + 20) << 16) | u16(img, o + 26), size: u32(img, o + 28) });
    }
  }
  const out: FatFile[] = [];
  let fileClusters = 0;
  for (const f of files) {
    const e = entries.get(f.name.toUpperCase());
    if (!e) throw new CommandError(`${f.name} is not in the FAT image's root directory`, 1);
    const ch = e.first ? chain(e.first) : [];
    fileClusters += ch.length;
    out.push({ name: f.name, size: e.size, firstCluster: e.first, clusters: ch.length, slack: ch.length * g.clusterSize - e.size, chain: ch });
  }
  const fatMeta = g.fatStart + g.nfats * g.fatBytes;
  return {
    files: out, totalClusters: g.clusterCount, usedClusters: used, metadataBytes: fatMeta + (used - fileClusters) * g.clusterSize,
    metadata: `${g.fatStart / g.bytesPerSector} reserved sectors (boot sector, FSInfo, backup), ${g.nfats} FATs of ${g.fatBytes} bytes, ${used - fileClusters} directory cluster(s)`,
  };
}

/** Make both images from `files`, read them back; the images are removed unless `keep` is given. */
export function fslab(files: FileSpec[], keep?: string): FslabReport {
  const tree = stage(files);
  const dir = keep ?? mkdtempSync(join(tmpdir(), "tsix-fslab-"));
  try {
    const e2 = join(dir, "ext2.img"), fat = join(dir, "fat32.img");
    run("mke2fs", ["-q", "-F", "-t", "ext2", "-b", String(BS), "-E", "root_owner=0:0", "-d", tree, e2, `${IMG_MIB}M`], { ...process.env, E2FSPROGS_FAKE_TIME: "1700000000" });
    rmSync(fat, { force: true });
    run("mkfs.vfat", ["-C", "-F", "32", "-s", String(BS / 512), "-i", "12345678", fat, String(IMG_MIB * 1024)]);
    const env = { ...process.env, MTOOLS_SKIP_CHECK: "1" };
    for (const f of files) run("mcopy", ["-i", fat, join(tree, f.name), `::/${f.name}`], env);
    return { blockSize: BS, ext2: readExt2(new Uint8Array(readFileSync(e2)), files), fat: readFat(new Uint8Array(readFileSync(fat)), files) };
  } finally {
    rmSync(tree, { recursive: true, force: true });
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

function human(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

export function formatReport(r: FslabReport, files: FileSpec[], show: string): string {
  const L: string[] = [];
  L.push(`fslab: the same files on ext2 (${r.blockSize}-byte blocks) and FAT32 (${r.blockSize}-byte clusters), read back from the images`, "");
  L.push(`${"file".padEnd(8)} ${"size".padStart(10)} | ${"ext2 data".padStart(9)} ${"indirect".padStart(8)} ${"holes".padStart(6)} ${"slack".padStart(8)} | ${"FAT clusters".padStart(12)} ${"slack".padStart(8)}`);
  for (let i = 0; i < files.length; i++) {
    const e = r.ext2.files[i], f = r.fat.files[i];
    L.push(`${e.name.padEnd(8)} ${human(e.size).padStart(10)} | ${String(e.dataBlocks).padStart(9)} ${String(e.indirectBlocks).padStart(8)} ${String(e.holes).padStart(6)} ${human(e.slack).padStart(8)} | ${String(f.clusters).padStart(12)} ${human(f.slack).padStart(8)}`);
  }
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  L.push(`${"total".padEnd(8)} ${human(sum(files.map((f) => f.size))).padStart(10)} | ${String(sum(r.ext2.files.map((f) => f.dataBlocks))).padStart(9)} ${String(sum(r.ext2.files.map((f) => f.indirectBlocks))).padStart(8)} ${String(sum(r.ext2.files.map((f) => f.holes))).padStart(6)} ${human(sum(r.ext2.files.map((f) => f.slack))).padStart(8)} | ${String(sum(r.fat.files.map((f) => f.clusters))).padStart(12)} ${human(sum(r.fat.files.map((f) => f.slack))).padStart(8)}`);
  L.push("");
  L.push(`ext2 metadata: ${r.ext2.metadataBlocks} blocks (${human(r.ext2.metadataBlocks * r.blockSize)}) of ${r.ext2.usedBlocks} used / ${r.ext2.totalBlocks}: ${r.ext2.metadata}`);
  L.push(`FAT32 metadata: ${human(r.fat.metadataBytes)}: ${r.fat.metadata}; ${r.fat.usedClusters} of ${r.fat.totalClusters} clusters used`);
  const i = files.findIndex((f) => f.name === show);
  if (i >= 0) {
    const e = r.ext2.files[i], f = r.fat.files[i];
    L.push("", `${show} on FAT32: first cluster ${f.firstCluster} (in its directory entry), then the FAT links ${f.clusters} clusters:`);
    const rs = runs(f.chain);
    L.push(`  ${rs.slice(0, 8).join(" -> ")}${rs.length > 8 ? ` -> ... (${rs.length} runs)` : ""} -> end of chain`);
    const ent = f.chain.map((c, j) => `FAT[${c}] = ${j + 1 < f.chain.length ? f.chain[j + 1] : "end of chain"}`);
    if (ent.length) L.push(`  ${ent.length > 4 ? [...ent.slice(0, 3), "...", ent[ent.length - 1]].join(", ") : ent.join(", ")}`);
    L.push(`  reaching its last byte means following ${Math.max(0, f.clusters - 1)} links from the first cluster (the FAT is cached in memory)`);
    L.push("", `${show} on ext2: inode ${e.ino}, i_blocks ${e.i_blocks512} (512-byte units), block pointers:`);
    for (const p of e.pointers) L.push(`  ${p}`);
    L.push(`  reaching its last byte takes ${e.reads} block read${e.reads > 1 ? "s" : ""} (${e.reads > 1 ? "the pointer blocks, then " : ""}the data)`);
  }
  return L.join("\n") + "\n";
}

/** A bar per file and file system: data blocks, slack (as a fraction of a block), indirect blocks. */
export function reportSvg(r: FslabReport): string {
  const rows = r.ext2.files.flatMap((e, i) => {
    const f = r.fat.files[i];
    return [
      { label: `${e.name} ext2`, data: e.dataBlocks - (e.slack ? e.slack / r.blockSize : 0), slack: e.slack / r.blockSize, meta: e.indirectBlocks },
      { label: `${f.name} FAT32`, data: f.clusters - f.slack / r.blockSize, slack: f.slack / r.blockSize, meta: 0 },
    ];
  });
  const max = Math.max(1, ...rows.map((x) => x.data + x.slack + x.meta));
  const W = 640, H = 30 + rows.length * 22, X0 = 110;
  const sx = (v: number): number => (v / max) * (W - X0 - 20);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<text x="8" y="16">blocks/clusters per file (blue: data, red: slack, orange: indirect blocks); scale: ${max.toFixed(0)} units</text>`];
  rows.forEach((x, i) => {
    const y = 26 + i * 22;
    out.push(`<text x="8" y="${y + 12}">${x.label}</text>`);
    out.push(`<rect x="${X0}" y="${y}" width="${sx(x.data).toFixed(1)}" height="14" fill="#4a7fd0"/>`);
    out.push(`<rect x="${(X0 + sx(x.data)).toFixed(1)}" y="${y}" width="${sx(x.slack).toFixed(1)}" height="14" fill="#d04a4a"/>`);
    out.push(`<rect x="${(X0 + sx(x.data + x.slack)).toFixed(1)}" y="${y}" width="${sx(x.meta).toFixed(1)}" height="14" fill="#e0a030"/>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

export function fslabMain(argv: string[]): number {
  let spec = DEFAULT_FILES, show: string | undefined, json = false, svg: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") { process.stdout.write(USAGE + "\n"); return 0; }
    if (a === "--files") spec = optionValue(argv, i++, a);
    else if (a === "--show") show = optionValue(argv, i++, a);
    else if (a === "--json") json = true;
    else if (a === "-o") svg = optionValue(argv, i++, a);
    else throw new UsageError(`tsix fslab: unknown argument '${a}'\n${USAGE}`);
  }
  const files = parseFiles(spec);
  show ??= [...files].filter((f) => !f.sparse).sort((a, b) => b.size - a.size)[0]?.name ?? files[0].name;
  if (!files.some((f) => f.name === show)) throw new UsageError(`--show: no file named '${show}' in --files`);
  const r = fslab(files);
  process.stdout.write(json ? JSON.stringify(r, null, 1) + "\n" : formatReport(r, files, show));
  if (svg) writeFileSync(svg, reportSvg(r));
  return 0;
}
