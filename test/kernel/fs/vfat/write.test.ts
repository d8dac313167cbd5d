// vfat write side: a randomized workload (progs/fatwork.c, fixed seeds:
// create, overwrite, append, truncate down and up, rename across
// directories and over files, unlink, unlink while open, mkdir/rmdir,
// directory renames, long names, many small files, a 3 MiB file) inside
// tsix on an empty mkfs.vfat FAT32 image, checked against a model: the same
// program run under qemu-riscv64 on a host directory. The results of every
// operation (checksums per kind) must match; fsck.fat -n must find the image
// clean (FATs equal, no lost or cross-linked clusters, right free count,
// directory entries and long names consistent); the tree mtools copies out
// of the image must equal the model's; a second boot reads the same tree.
// A full disk gives ENOSPC (a short write first) and stays clean.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { explain, skipNoCC, program, SRC_ROOT } from "../harness.js";
import { cleanup } from "../ext2/images.js";
import { haveDosfs, mkfsVfat, fsckFat, extract, treeListing, lsFat, onFat } from "./images.js";

const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;
const skip = skipNoCC || (!haveDosfs ? "dosfstools or mtools is not installed" : !haveQemu ? "qemu-riscv64 is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/vfat/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-vfat-write-"));
after(() => cleanup(work));

/** The model: fatwork under qemu-riscv64 in a fresh host directory. */
function model(seed: number, ops: number): { dir: string; out: string } {
  const bin = join(work, "fatwork");
  writeFileSync(bin, program("fatwork", PROGS));
  chmodSync(bin, 0o755);
  const dir = mkdtempSync(join(work, "model-"));
  const r = spawnSync("qemu-riscv64", [bin, dir, String(seed), String(ops)], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  return { dir, out: r.stdout };
}

const kinds = (out: string): string[] => out.split("\n").filter((l) => l.startsWith("kind "));

const cases: [string, number, string[], number, number][] = [
  ["64 MiB, 512-byte clusters in 1 KiB buffers", 64, [], 11, 700],
  ["260 MiB, 4 KiB clusters", 260, ["-s", "8"], 12, 400],
];

for (const [name, size, extra, seed, ops] of cases) {
  test(`randomized workload on FAT32 (${name}): same results as Linux, fsck.fat clean, contents as the model`, { skip, timeout: 900_000 }, async () => {
    const file = join(work, `w-${seed}.img`);
    mkfsVfat(file, size, null, extra);
    const img = new Uint8Array(readFileSync(file));
    const { r, disk } = await onFat("fatwork", img, ["-m", "/mnt", String(seed), String(ops)]);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.out, /umount ok/, explain(r));
    const m = model(seed, ops);
    assert.deepEqual(kinds(r.out), kinds(m.out), explain(r));
    assert.equal(kinds(r.out).length, 12);
    writeFileSync(file, disk);
    const f = fsckFat(file);
    assert.equal(f.status, 0, f.out);
    assert.doesNotMatch(f.out, /Free cluster summary wrong|differ|lost|cross-linked|Orphaned|Bad short file name|Fs was not properly/i, f.out);
    const out = extract(file);
    try {
      assert.deepEqual(treeListing(out), treeListing(m.dir));
    } finally { cleanup(out); }
    // A second boot reads what the first wrote.
    const again = await lsFat(new Uint8Array(readFileSync(file)), ["vfat", "ro"]);
    assert.equal(again.r.status, 0, explain(again.r));
    const listed = again.r.out.split("\n").filter((l) => l.startsWith("/") && !l.startsWith("/ ")).map((l) => l.split(" ino=")[0]);
    assert.deepEqual(listed, treeListing(m.dir).map((l) => l.replace(/\/$/, "").split(" size=")[0]));
  });
}

test("a full FAT gives a short write, then ENOSPC, and fsck.fat finds it clean", { skip, timeout: 300_000 }, async () => {
  const file = join(work, "full.img");
  mkfsVfat(file, 34, null); // FAT32's smallest useful size with 512-byte clusters
  const img = new Uint8Array(readFileSync(file));
  const { r, disk } = await onFat("fatfill", img, ["/mnt"]);
  assert.equal(r.status, 0, explain(r));
  const total = Number(/total=(\d+)/.exec(r.out)![1]);
  const f0 = fsckFat(file);
  const free0 = /(\d+)\/(\d+) clusters/.exec(f0.out)!;
  // Everything that was free was written (the root keeps its cluster), and the last write got ENOSPC.
  assert.equal(total, (Number(free0[2]) - Number(free0[1])) * 512, explain(r));
  assert.match(r.out, /short write \d+ of 65536\n.*ENOSPC: No space left on device/s, explain(r));
  assert.match(r.out, /statfs bfree=0/, explain(r));
  writeFileSync(file, disk);
  const f = fsckFat(file);
  assert.equal(f.status, 0, f.out);
  assert.match(f.out, /clusters/);
});
