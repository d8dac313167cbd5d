// Host-side helpers for the vfat tests: a staging tree of files FAT stores
// (8.3 names in upper and lower case, long and mixed-case names, sizes
// around the cluster size, a file of several MiB, a nested and a big
// directory), FAT images made from it by Debian's mkfs.vfat and mtools'
// mcopy, fsck.fat, extraction of an image's tree with mcopy, and the listing
// tsix's ext2ls.c must print for a tree.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, mkdtempSync, readdirSync, lstatSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pattern } from "../ext2/images.js";
import { run, SRC_ROOT } from "../harness.js";
import { createRamDisk } from "../../../../kernel/block/ramdisk.js";

const EXT2_PROGS = join(SRC_ROOT, "test/kernel/fs/ext2/progs");
const PROGS = join(SRC_ROOT, "test/kernel/fs/vfat/progs");

/** Boot with the image on ram0 and run PROG (from progs/ here) with ARGS; returns the run and the disk afterwards. */
export async function onFat(prog: string, img: Uint8Array, args: string[]): Promise<{ r: Awaited<ReturnType<typeof run>>; disk: Uint8Array }> {
  let disk: Uint8Array = new Uint8Array(0);
  const r = await run(prog, {
    dir: PROGS, args, timeoutMs: 600_000,
    setup: (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); disk = k.block.ramdisks[0]; },
  });
  return { r, disk };
}

/** Boot with the image on ram0 and run ext2ls (which takes the type to mount); returns the run and the disk afterwards. */
export async function lsFat(img: Uint8Array, args: string[]): Promise<{ r: Awaited<ReturnType<typeof run>>; disk: Uint8Array }> {
  let disk: Uint8Array = new Uint8Array(0);
  const r = await run("ext2ls", {
    dir: EXT2_PROGS, args, timeoutMs: 120_000,
    setup: (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); disk = k.block.ramdisks[0]; },
  });
  return { r, disk };
}

export const haveDosfs = spawnSync("sh", ["-c", "command -v mkfs.vfat && command -v fsck.fat && command -v mcopy"], { stdio: "ignore" }).status === 0;
export const MTOOLS_ENV = { ...process.env, MTOOLS_SKIP_CHECK: "1", TZ: "UTC" };

/** Make the staging tree; returns its path. */
export function makeFatTree(): string {
  const root = mkdtempSync(join(tmpdir(), "tsix-fat-tree-"));
  const f = (p: string, data: Uint8Array | string): void => writeFileSync(join(root, p), data);
  f("small.txt", "hello fat\n");
  f("README.TXT", "upper case 8.3\n");
  f("MixedCase.Txt", "mixed\n");
  f("empty", "");
  f("A Long File Name with spaces.bin", pattern(100000, 1));
  f("cluster.bin", pattern(512, 2));
  f("cluster+1.bin", pattern(513, 3));
  f("page.bin", pattern(4096, 4));
  f("big.bin", pattern((3 << 20) + 777, 5));
  f("name.with.many.dots.tar.gz", pattern(2000, 6));
  f("exactly13char", "13\n");
  f("a-name-of-exactly-twenty-six", "26\n");
  mkdirSync(join(root, "sub/deeper"), { recursive: true });
  f("sub/deeper/file", "deep\n");
  f("sub/Another Long Name.txt", "in sub\n");
  mkdirSync(join(root, "many"));
  for (let i = 0; i < 300; i++) f(`many/file-with-a-longish-name-${String(i).padStart(3, "0")}`, `${i}\n`);
  return root;
}

/** A FAT image (FAT32 unless `extra` has -F) of `sizeMiB` made by mkfs.vfat, with `tree` copied in by mcopy (or empty). */
export function mkfsVfat(file: string, sizeMiB: number, tree: string | null, extra: string[] = []): void {
  rmSync(file, { force: true });
  const type = extra.includes("-F") ? [] : ["-F", "32"];
  let r = spawnSync("mkfs.vfat", ["-C", ...type, "-n", "TSIXTEST", "-i", "12345678", ...extra, file, String(sizeMiB * 1024)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mkfs.vfat failed:\n${r.stderr}`);
  if (tree) {
    const names = readdirSync(tree).map((n) => join(tree, n));
    r = spawnSync("mcopy", ["-s", "-p", "-m", "-i", file, ...names, "::/"], { encoding: "utf8", env: MTOOLS_ENV });
    if (r.status !== 0) throw new Error(`mcopy failed:\n${r.stderr}`);
  }
}

/** fsck.fat -n -v: exit status and output (0: clean). */
export function fsckFat(file: string): { status: number; out: string } {
  const r = spawnSync("fsck.fat", ["-n", "-v", file], { encoding: "utf8" });
  return { status: r.status ?? -1, out: r.stdout + r.stderr };
}

/** Copy an image's whole tree out with mcopy into a new directory; returns it. */
export function extract(file: string): string {
  const out = mkdtempSync(join(tmpdir(), "tsix-fat-out-"));
  const r = spawnSync("mcopy", ["-s", "-n", "-i", file, "::/*", out], { encoding: "utf8", env: MTOOLS_ENV });
  if (r.status !== 0 && !/No match/.test(r.stderr)) throw new Error(`mcopy out failed:\n${r.stderr}`);
  return out;
}

function fnv(h: bigint, b: Uint8Array): bigint {
  for (const x of b) { h ^= BigInt(x); h = (h * 1099511628211n) & 0xffffffffffffffffn; }
  return h;
}

/** "path size=N hash=H" for files, "path/" for directories, sorted by path: a tree's contents. */
export function treeListing(tree: string): string[] {
  const out: string[] = [];
  const walk = (p: string, shown: string): void => {
    for (const n of readdirSync(p).sort()) {
      const q = join(p, n), s = `${shown}/${n}`;
      const st = lstatSync(q);
      if (st.isDirectory()) { out.push(`${s}/`); walk(q, s); } else out.push(`${s} size=${st.size} hash=${fnv(1469598103934665603n, readFileSync(q)).toString(16).padStart(16, "0")}`);
    }
  };
  walk(tree, "");
  return out;
}

/** The same listing from ext2ls.c's output (mode tells directories). */
export function lsToListing(out: string): string[] {
  const lines: string[] = [];
  for (const l of out.split("\n")) {
    const m = /^(\/.+?) ino=\d+ mode=(\d+) uid=\d+ gid=\d+ size=(\d+) nlink=\d+ mtime=-?\d+(?: hash=([0-9a-f]+) read=\d+)?$/.exec(l);
    if (!m) continue;
    if (m[2].startsWith("40")) lines.push(`${m[1]}/`);
    else lines.push(`${m[1]} size=${m[3]} hash=${m[4]}`);
  }
  return lines;
}
