// Host-side helpers for the ext2 tests: a staging tree with every kind of
// file ext2 stores (sizes across the direct, single, double and triple
// indirect levels, holes, hard links, fast and slow symlinks, devices, a
// FIFO, a big directory, odd owners and modes), images made from it by
// Debian's mke2fs, the listing that tsix must print for them (from the tree
// itself and from debugfs), and e2fsck.
import { spawnSync } from "node:child_process";
import {
  mkdirSync, writeFileSync, symlinkSync, linkSync, chownSync, chmodSync, utimesSync, mkdtempSync, lstatSync, readdirSync,
  readFileSync, readlinkSync, openSync, writeSync, closeSync, readSync, ftruncateSync, rmSync,
} from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

export const haveE2fs = spawnSync("sh", ["-c", "command -v mke2fs && command -v debugfs && command -v e2fsck"], { stdio: "ignore" }).status === 0;
export const isRoot = process.getuid?.() === 0;

/** Deterministic bytes (xorshift), so content is reproducible. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 0xff; }
  return out;
}

/** Files bigger than this are hashed by their first and last 64 KiB only (ext2ls.c does the same). */
export const PARTIAL_OVER = 16 << 20;

/** Make the staging tree under a new temporary directory; returns its path. */
export function makeTree(): string {
  const root = mkdtempSync(join(tmpdir(), "tsix-ext2-tree-"));
  const f = (p: string, data: Uint8Array | string, mode = 0o644): void => { writeFileSync(join(root, p), data); chmodSync(join(root, p), mode); };
  f("small.txt", "hello ext2\n");
  f("empty", "");
  f("thirteen.bin", pattern(13 * 1024 + 7, 1));          // single indirect with 1 KiB blocks
  f("mid.bin", pattern(300 * 1024 + 1, 2));              // double indirect with 1 KiB blocks
  f("big.bin", pattern((4 << 20) + 300 * 1024, 3));      // double indirect with 4 KiB blocks
  // Sparse: data at the start, a hole, data at the end - the end in the triple indirect range (1 KiB blocks: past 64.3 MiB).
  const sp = openSync(join(root, "sparse.bin"), "w");
  writeSync(sp, pattern(5000, 4), 0, 5000, 0);
  writeSync(sp, pattern(70000, 5), 0, 70000, 66 << 20);
  closeSync(sp);
  // A file past 4 GiB (large_file): one block of data at its end, in the triple indirect range with 4 KiB blocks.
  const hg = openSync(join(root, "huge.bin"), "w");
  ftruncateSync(hg, 2 ** 32 + (8 << 20));
  writeSync(hg, pattern(4096, 6), 0, 4096, 2 ** 32 + (8 << 20) - 4096);
  closeSync(hg);
  f("setuid", "#!/bin/sh\n", 0o4755);
  f("noperm", "secret", 0o000);
  chownSync(join(root, "small.txt"), 1000, 1000);
  chownSync(join(root, "noperm"), 70000, 70001); // owners past 16 bits (uid/gid high halves)
  linkSync(join(root, "small.txt"), join(root, "link.txt"));
  symlinkSync("small.txt", join(root, "fast"));
  symlinkSync("a/very/long/target/" + "x".repeat(80), join(root, "slow"));
  mkdirSync(join(root, "sub/deeper"), { recursive: true });
  f("sub/deeper/file", "deep\n");
  chmodSync(join(root, "sub"), 0o750);
  mkdirSync(join(root, "many"));
  for (let i = 0; i < 200; i++) writeFileSync(join(root, "many", `file-with-a-longish-name-${String(i).padStart(3, "0")}`), `${i}\n`);
  spawnSync("mkfifo", [join(root, "pipe")]);
  spawnSync("mknod", [join(root, "null"), "c", "1", "3"]);
  spawnSync("mknod", [join(root, "disk"), "b", "8", "1"]);
  spawnSync("mknod", [join(root, "bigdev"), "c", "300", "70000"]); // needs the new device encoding
  // Fixed times so listings compare exactly.
  const walk = (p: string): void => {
    for (const n of readdirSync(p)) { const q = join(p, n); if (lstatSync(q).isDirectory()) walk(q); if (!lstatSync(q).isSymbolicLink()) utimesSync(q, 1700000000 + n.length, 1700000000 + n.length * 3); }
  };
  walk(root);
  return root;
}

export interface MkfsOpts { blockSize: 1024 | 2048 | 4096; sparseSuper?: boolean; inodeSize?: 128 | 256; rev0?: boolean; sizeMiB?: number; journal?: boolean; inodes?: number }

/** An image file made by mke2fs from `tree` (or empty). */
export function mkfs(file: string, o: MkfsOpts, tree: string | null): void {
  const feats = [o.sparseSuper === false ? "^sparse_super,^resize_inode" : "sparse_super", o.journal ? "has_journal" : "^has_journal"];
  const args = ["-q", "-F", "-t", o.journal ? "ext3" : "ext2", "-b", String(o.blockSize), "-E", "root_owner=0:0", "-U", "clear", "-L", "tsixtest"];
  if (!o.rev0) args.push("-O", feats.join(","));
  if (o.inodeSize) args.push("-I", String(o.inodeSize));
  if (o.rev0) args.push("-r", "0");
  if (o.inodes) args.push("-N", String(o.inodes));
  if (tree) args.push("-d", tree);
  args.push(file, `${o.sizeMiB ?? 16}M`);
  const r = spawnSync("mke2fs", args, { encoding: "utf8", env: { ...process.env, E2FSPROGS_FAKE_TIME: "1700000000", MKE2FS_DEVICE_SECTSIZE: "512" } });
  if (r.status !== 0) throw new Error(`mke2fs ${args.join(" ")} failed:\n${r.stderr}`);
}

/** e2fsck -fn: exit status and output (0: clean). */
export function fsck(file: string): { status: number; out: string } {
  const r = spawnSync("e2fsck", ["-fn", file], { encoding: "utf8" });
  return { status: r.status ?? -1, out: r.stdout + r.stderr };
}

/** debugfs -R CMD on an image (read-only). */
export function debugfs(file: string, cmd: string): string {
  return spawnSync("debugfs", ["-R", cmd, file], { encoding: "utf8" }).stdout;
}

/** Inode numbers by path, from debugfs 'ls -l' of every directory. */
export function debugfsInodes(file: string, dirs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of dirs) {
    for (const line of debugfs(file, `ls -l ${d}`).split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f.length < 8 || !/^\d+$/.test(f[0])) continue;
      const name = f[f.length - 1];
      if (name === "." || name === "..") continue;
      m.set(`${d === "/" ? "" : d}/${name}`, Number(f[0]));
    }
  }
  return m;
}

function fnv(h: bigint, b: Uint8Array): bigint {
  for (const x of b) { h ^= BigInt(x); h = (h * 1099511628211n) & 0xffffffffffffffffn; }
  return h;
}

/** The listing ext2ls.c prints for a tree (inode numbers from `inos`; directory sizes and root's own line left out). */
export function expectedListing(tree: string, inos: Map<string, number>): string[] {
  const out: string[] = [];
  const walk = (p: string, shown: string): void => {
    for (const n of readdirSync(p).sort()) {
      const q = join(p, n), s = `${shown}/${n}`;
      const st = lstatSync(q);
      let line = `${s} ino=${inos.get(s)} mode=${st.mode.toString(8)} uid=${st.uid} gid=${st.gid} size=${st.isDirectory() ? 0 : st.size} nlink=${st.nlink}`;
      if (!st.isDirectory() && !st.isSymbolicLink()) line += ` mtime=${Math.floor(st.mtimeMs / 1000)}`;
      if (st.isFile()) {
        let h = 1469598103934665603n;
        if (st.size > PARTIAL_OVER) {
          const fd = openSync(q, "r");
          const a = Buffer.alloc(65536), b = Buffer.alloc(65536);
          readFd(fd, a, 0); readFd(fd, b, st.size - 65536);
          closeSync(fd);
          h = fnv(fnv(h, a), b);
        } else h = fnv(h, readFileSync(q));
        line += ` hash=${h.toString(16).padStart(16, "0")}`;
      } else if (st.isSymbolicLink()) line += ` target=${readlinkSync(q)}`;
      else if (st.isCharacterDevice() || st.isBlockDevice()) line += ` rdev=${Math.floor(st.rdev / 256) & 0xfff}:${(st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00)}`;
      out.push(line);
      if (st.isDirectory()) walk(q, s);
    }
  };
  walk(tree, "");
  return out;
}

function readFd(fd: number, buf: Buffer, pos: number): void {
  readSync(fd, buf, 0, buf.length, pos);
}

/** Normalize ext2ls.c's lines to what expectedListing gives: no directory mtime, no symlink mtime, no read= count. */
export function normalizeListing(out: string): string[] {
  const lines: string[] = [];
  for (const l of out.split("\n")) {
    if (!l.startsWith("/") || l.startsWith("/ ")) continue;
    if (l.startsWith("/lost+found")) continue;
    let x = l.replace(/ read=\d+$/, "");
    if (/ mode=(4|12)0\d\d\d /.test(x)) x = x.replace(/ mtime=\d+/, "");
    lines.push(x);
  }
  return lines;
}

export function cleanup(p: string): void {
  rmSync(p, { recursive: true, force: true });
}
