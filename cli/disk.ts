// Host tools for ext2 disk images: `tsix mkfs [--journal] FILE.img SIZE`
// (an MBR disk whose partition 1, at 1 MiB, is a fresh ext2 or ext3 made by
// Debian's mke2fs), `tsix fsck FILE.img` (e2fsck -fn on partition 1, read
// only; a journal that needs recovery is replayed in the copy it checks),
// `tsix image build -o FILE.img` (the default image's file tree written
// into partition 1 with mke2fs -d as ext3 - ext2 with --no-journal - owners,
// modes and device nodes included), and the check `tsix run --disk` uses to boot from a disk
// (root=/dev/vda1 when partition 1 holds ext2). The MBR is written here;
// e2fsprogs does the file system.
import { spawnSync } from "node:child_process";
import {
  closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeSync, ftruncateSync, chmodSync, chownSync,
  lchownSync, symlinkSync, linkSync, writeFileSync, statSync, utimesSync, readFileSync,
} from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { UsageError, parseSize } from "./args.js";

/** Where partition 1 starts: 1 MiB, as fdisk aligns it. */
export const PART1_OFFSET = 1 << 20;
const EXT2_MAGIC = 0xef53;

const have = (cmd: string): boolean => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
function needE2fsprogs(cmd: string): void {
  if (!have(cmd)) throw new UsageError(`${cmd} is not installed (install e2fsprogs: apt-get install e2fsprogs, or scripts/setup-debian.sh)`);
}

/**
 * An LBA as the MBR's 3-byte CHS address under the usual 255-head,
 * 63-sector geometry (what HDIO_GETGEO reports and fdisk checks against);
 * past cylinder 1023 it is the conventional 1023/254/63 ("use the LBA").
 */
function chsBytes(lba: number): [number, number, number] {
  const c = Math.floor(lba / (255 * 63));
  if (c > 1023) return [0xfe, 0xff, 0xff];
  const h = Math.floor(lba / 63) % 255, s = (lba % 63) + 1;
  return [h, s | ((c >> 2) & 0xc0), c & 0xff];
}

/** The MBR of a disk of `bytes` with one partition (Linux, or `type`) from 1 MiB to the end. */
export function mbrOnePartition(bytes: number, type = 0x83): Uint8Array {
  const mbr = new Uint8Array(512);
  const v = new DataView(mbr.buffer);
  const start = PART1_OFFSET / 512, count = Math.floor(bytes / 512) - start;
  const e = 446;
  mbr[e] = 0x80;                 // bootable
  mbr.set(chsBytes(start), e + 1);
  mbr[e + 4] = type;             // 0x83 Linux, 0x0c FAT32 (LBA)
  mbr.set(chsBytes(start + count - 1), e + 5);
  v.setUint32(e + 8, start, true);
  v.setUint32(e + 12, count, true);
  mbr[510] = 0x55; mbr[511] = 0xaa;
  return mbr;
}

/** Partition 1 of an MBR disk image: [offset, bytes], or a reason it has none. */
export function partition1(path: string): { offset: number; bytes: number } | string {
  const fd = openSync(path, "r");
  try {
    const mbr = new Uint8Array(512);
    if (readSync(fd, mbr, 0, 512, 0) !== 512) return "it is shorter than one sector";
    if (mbr[510] !== 0x55 || mbr[511] !== 0xaa) return "it has no MBR (no 0x55AA signature)";
    const v = new DataView(mbr.buffer);
    const type = mbr[446 + 4], start = v.getUint32(446 + 8, true), count = v.getUint32(446 + 12, true);
    if (type === 0 || count === 0) return "its MBR has no partition 1";
    return { offset: start * 512, bytes: count * 512 };
  } finally {
    closeSync(fd);
  }
}

/** "/dev/vda1" when partition 1 of the disk image holds an ext2/ext3 superblock, else why not. */
export function ext2Root(path: string): { root: string } | { why: string } {
  const p = partition1(path);
  if (typeof p === "string") return { why: p };
  const fd = openSync(path, "r");
  try {
    const b = new Uint8Array(2);
    readSync(fd, b, 0, 2, p.offset + 1024 + 56);
    if ((b[0] | (b[1] << 8)) !== EXT2_MAGIC) return { why: "its partition 1 holds no ext2 file system" };
    return { root: "/dev/vda1" };
  } finally {
    closeSync(fd);
  }
}

/** Make FILE: SIZE bytes, an MBR, and partition 1 formatted by mke2fs (from `tree` when given). */
function makeDisk(file: string, size: number, journal: boolean, tree: string | null): void {
  needE2fsprogs("mke2fs");
  if (!(size >= 4 << 20)) throw new UsageError(`the disk must be at least 4M (got ${size} bytes)`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${file} is a directory; give an image file name, e.g. disk.img`);
  const fd = openSync(file, "w");
  try {
    ftruncateSync(fd, size);
    writeSync(fd, mbrOnePartition(size), 0, 512, 0);
  } finally {
    closeSync(fd);
  }
  const fsKiB = Math.floor((size - PART1_OFFSET) / 4096) * 4;
  const args = ["-q", "-F", "-t", journal ? "ext3" : "ext2", "-E", `offset=${PART1_OFFSET},root_owner=0:0`, "-L", "tsix"];
  if (tree) args.push("-d", tree);
  args.push(file, `${fsKiB}k`);
  const r = spawnSync("mke2fs", args, { encoding: "utf8" });
  if (r.status !== 0) throw new UsageError(`mke2fs failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`);
}

/** An MBR disk whose partition 1 (type FAT32) is a FAT32 made by Debian's mkfs.vfat at 1 MiB. */
function makeVfatDisk(file: string, size: number): void {
  if (!have("mkfs.vfat")) throw new UsageError("mkfs.vfat is not installed (install dosfstools: apt-get install dosfstools, or scripts/setup-debian.sh)");
  // FAT32 needs 65525 clusters: 33 MiB of 512-byte clusters, plus the 1 MiB before the partition.
  if (!(size >= 36 << 20)) throw new UsageError(`a FAT32 disk must be at least 36M (got ${size} bytes)`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${file} is a directory; give an image file name, e.g. disk.img`);
  const fd = openSync(file, "w");
  try {
    ftruncateSync(fd, size);
    writeSync(fd, mbrOnePartition(size, 0x0c), 0, 512, 0);
  } finally {
    closeSync(fd);
  }
  const fsKiB = Math.floor((size - PART1_OFFSET) / 1024);
  const r = spawnSync("mkfs.vfat", ["-F", "32", "-n", "TSIX", `--offset=${PART1_OFFSET / 512}`, file, String(fsKiB)], { encoding: "utf8" });
  if (r.status !== 0) throw new UsageError(`mkfs.vfat failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`);
}

/** `tsix mkfs [--journal | --type ext2|ext3|vfat] FILE.img SIZE` */
export function mkfsMain(argv: string[]): number {
  const usage = "usage: tsix mkfs [--journal | --type ext2|ext3|vfat] FILE.img SIZE   (e.g. tsix mkfs disk.img 64M)";
  let journal = false, type = "ext2";
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--journal") { journal = true; type = "ext3"; }
    else if (argv[i] === "--type" || argv[i].startsWith("--type=")) {
      const v = argv[i] === "--type" ? argv[++i] : argv[i].slice(7);
      if (v !== "ext2" && v !== "ext3" && v !== "vfat") throw new UsageError(`tsix mkfs: unknown type '${v ?? ""}' (ext2, ext3 or vfat)`);
      type = v;
      journal = v === "ext3";
    } else rest.push(argv[i]);
  }
  if (rest.length !== 2 || rest[0].startsWith("-")) throw new UsageError(usage);
  let size: number;
  try { size = parseSize(rest[1]); } catch { throw new UsageError(`tsix mkfs: bad size '${rest[1]}' (e.g. 64M or 1G)`); }
  if (type === "vfat") {
    makeVfatDisk(rest[0], size);
    process.stdout.write(`${rest[0]}: ${size} bytes, MBR with partition 1 (vfat, FAT32) at 1 MiB\n`);
    return 0;
  }
  makeDisk(rest[0], size, journal, null);
  process.stdout.write(`${rest[0]}: ${size} bytes, MBR with partition 1 (${journal ? "ext3" : "ext2"}) at 1 MiB\n`);
  return 0;
}

/** `tsix fsck FILE.img`: e2fsck -fn on partition 1 (a copy: e2fsck cannot start at an offset). Exit status: e2fsck's. */
export function fsckMain(argv: string[]): number {
  if (argv.length !== 1 || argv[0].startsWith("-")) throw new UsageError("usage: tsix fsck FILE.img");
  needE2fsprogs("e2fsck");
  const file = argv[0];
  if (!existsSync(file)) throw new UsageError(`tsix fsck: ${file}: no such file (make one with tsix mkfs or tsix image build)`);
  const p = partition1(file);
  if (typeof p === "string") throw new UsageError(`tsix fsck: ${file}: ${p} (make disks with tsix mkfs or tsix image build)`);
  const dir = mkdtempSync(join(tmpdir(), "tsix-fsck-"));
  try {
    const part = join(dir, "part1.img");
    const src = openSync(file, "r"), dst = openSync(part, "w");
    const buf = new Uint8Array(1 << 20);
    for (let off = 0; off < p.bytes; off += buf.length) {
      const n = readSync(src, buf, 0, Math.min(buf.length, p.bytes - off), p.offset + off);
      if (n <= 0) break;
      writeSync(dst, buf, 0, n);
    }
    closeSync(src); closeSync(dst);
    // ext3 after a power cut: e2fsck -n cannot replay the journal, so replay it in this copy first (the image
    // itself is not changed; tsix replays it at mount) and say so.
    const head = new Uint8Array(2048);
    const pf = openSync(part, "r");
    readSync(pf, head, 0, 2048, 0);
    closeSync(pf);
    const incompat = head[1024 + 96] | (head[1024 + 97] << 8);
    if ((head[1024 + 92] & 0x4) && (incompat & 0x4)) {
      const j = spawnSync("e2fsck", ["-y", "-E", "journal_only", part], { encoding: "utf8" });
      process.stdout.write(`tsix fsck: ${file} partition 1: the journal needs recovery; replayed in a copy before the check (e2fsck exit ${j.status ?? "?"}); tsix replays it when it mounts the disk\n`);
    }
    const r = spawnSync("e2fsck", ["-fn", part], { encoding: "utf8" });
    process.stdout.write((r.stdout + r.stderr).replaceAll(part, `${file} partition 1`));
    return r.status ?? 8;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface TreeEntry { path: string; mode: number; uid: number; gid: number; mtime: number; rdevMajor?: number; rdevMinor?: number; target?: string; data?: Uint8Array; hardlinkOf?: string }

/** Write the entries of an image archive into a host directory (owners, modes, times and device nodes: needs root for those). */
export function stageTree(dir: string, entries: TreeEntry[], progress: (n: number) => void): void {
  const S_IFMT = 0o170000;
  let n = 0;
  const dirs: TreeEntry[] = [];
  for (const e of entries) {
    if (e.path === "." || e.path === "") { dirs.push({ ...e, path: "." }); continue; }
    const p = join(dir, e.path);
    mkdirSync(dirname(p), { recursive: true });
    switch (e.mode & S_IFMT) {
      case 0o040000: mkdirSync(p, { recursive: true }); dirs.push(e); break;
      case 0o120000: symlinkSync(e.target ?? "", p); lchownSync(p, e.uid, e.gid); break;
      case 0o100000:
        if (e.hardlinkOf) { linkSync(join(dir, e.hardlinkOf), p); break; }
        writeFileSync(p, e.data ?? new Uint8Array(0)); chownSync(p, e.uid, e.gid); chmodSync(p, e.mode & 0o7777); utimesSync(p, e.mtime, e.mtime); break;
      default: {
        const t = (e.mode & S_IFMT) === 0o020000 ? "c" : (e.mode & S_IFMT) === 0o060000 ? "b" : (e.mode & S_IFMT) === 0o010000 ? "p" : "";
        if (!t) break;
        const args = t === "p" ? [p, "p"] : [p, t, String(e.rdevMajor ?? 0), String(e.rdevMinor ?? 0)];
        if (spawnSync("mknod", args).status !== 0) throw new UsageError("tsix image build: cannot make device nodes (run it as root, or in the Debian container)");
        chownSync(p, e.uid, e.gid); chmodSync(p, e.mode & 0o7777);
      }
    }
    if (++n % 500 === 0) progress(n);
  }
  for (const d of ["dev", "proc", "sys", "tmp", "mnt"]) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, "tmp"), 0o1777);
  // Directories last: writing into them changed their times.
  for (const e of dirs.reverse()) { const p = join(dir, e.path); chownSync(p, e.uid, e.gid); chmodSync(p, e.mode & 0o7777); utimesSync(p, e.mtime, e.mtime); }
  progress(n);
}

/** `tsix image build ... -o FILE.img [--size 1G] [--no-journal]`: the image's tree on an ext3 (or, without a journal, ext2) disk. */
export async function imageDiskBuild(argv: string[]): Promise<number> {
  let out = "", size = 1 << 30, journal = true;
  const pass: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-o") out = argv[++i] ?? "";
    else if (a === "--size") { const v = argv[++i] ?? ""; try { size = parseSize(v); } catch { throw new UsageError(`--size: bad size '${v}' (e.g. 512M or 1G)`); } }
    else if (a === "--journal") journal = true;
    else if (a === "--no-journal") journal = false;
    else pass.push(a);
  }
  if (out === "") throw new UsageError("tsix image build -o FILE.img: give the disk image file after -o");
  if (process.getuid?.() !== 0) throw new UsageError("tsix image build -o FILE.img needs root (owners and device nodes in the image; run it in the Debian container)");
  needE2fsprogs("mke2fs");
  const { buildImage, DEFAULT_PACKAGES } = await import("../userland/image/build.js");
  const { parseCpio } = await import("../kernel/index.js");
  const pk = pass.indexOf("--packages");
  const packages = pk >= 0 ? (pass[pk + 1] ?? "").split(",").filter((x) => x) : [...DEFAULT_PACKAGES];
  process.stderr.write(`image: building the file tree (${packages.join(", ")})\n`);
  const img = await buildImage({ packages, onProgress: (ev) => { if (ev.type === "download" || ev.type === "cpio" || ev.type === "cached") process.stderr.write(`image: ${ev.type}\n`); } });
  const entries = parseCpio(readFileSync(img.path));
  const stage = mkdtempSync(join(tmpdir(), "tsix-stage-"));
  try {
    process.stderr.write(`image: staging ${entries.length} files\n`);
    stageTree(stage, entries as TreeEntry[], (n) => process.stderr.write(`image: staged ${n}/${entries.length}\n`));
    process.stderr.write(`image: writing ${journal ? "ext3" : "ext2"} into partition 1 of ${out} (${size} bytes)\n`);
    makeDisk(out, size, journal, stage);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  process.stderr.write(`image: done; boot it with: tsix run --disk ${out} -- CMD\n`);
  process.stdout.write(`${out}\n`);
  return 0;
}
