// tsix fslab: its numbers are what the images hold, checked against
// independent tools reading the same images - debugfs (each file's blocks,
// indirect blocks and i_blocks; the free-block count) for ext2, mtools'
// mshowfat (each file's cluster chain) and fsck.fat -v (clusters used) for
// FAT32 - and the report and the SVG come out of the CLI; bad --files gives
// one line and exit status 2.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { tsix, explain } from "../kernel/harness.js";
import { fslab, runs, type FileSpec } from "../../cli/fslab.js";

const have = (c: string): boolean => spawnSync("sh", ["-c", `command -v ${c}`], { stdio: "ignore" }).status === 0;
const skip = ["mke2fs", "debugfs", "mkfs.vfat", "fsck.fat", "mcopy", "mshowfat"].every(have) ? false : "e2fsprogs, dosfstools or mtools is not installed";
const work = mkdtempSync(join(tmpdir(), "tsix-fslab-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

const FILES: FileSpec[] = [
  { name: "tiny", size: 10, sparse: false },
  { name: "block", size: 4096, sparse: false },
  { name: "few", size: 12388, sparse: false },
  { name: "big", size: 5 << 20, sparse: false },   // past the single indirect block: a double indirect one
  { name: "sparse", size: 8 << 20, sparse: true },
];

test("fslab's per-file blocks, clusters, chains and used counts match debugfs, mshowfat and fsck.fat", { skip, timeout: 120_000 }, () => {
  const r = fslab(FILES, work);
  const e2 = join(work, "ext2.img"), fat = join(work, "fat32.img");
  for (const f of r.ext2.files) {
    const st = spawnSync("debugfs", ["-R", `stat /${f.name}`, e2], { encoding: "utf8" }).stdout;
    const total = Number(/TOTAL: (\d+)/.exec(st)?.[1] ?? 0);
    assert.equal(f.dataBlocks + f.indirectBlocks, total, `${f.name}: ${st}`);
    assert.equal(f.i_blocks512, Number(/Blockcount: (\d+)/.exec(st)![1]), st);
    const ind = [...st.matchAll(/\((?:IND|DIND|TIND)\):(\d+)/g)].length;
    assert.equal(f.indirectBlocks, ind, `${f.name}: ${st}`);
  }
  const big = r.ext2.files.find((f) => f.name === "big")!;
  assert.ok(big.indirectBlocks >= 3 && big.reads === 3, JSON.stringify(big)); // single + double + one below it
  const sparse = r.ext2.files.find((f) => f.name === "sparse")!;
  assert.equal(sparse.dataBlocks, 2);
  assert.equal(sparse.holes, 2046);
  const stats = spawnSync("debugfs", ["-R", "stats", e2], { encoding: "utf8" }).stdout;
  assert.equal(r.ext2.usedBlocks, r.ext2.totalBlocks - Number(/Free blocks:\s+(\d+)/.exec(stats)![1]), stats);
  const env = { ...process.env, MTOOLS_SKIP_CHECK: "1" };
  for (const f of r.fat.files) {
    const sf = spawnSync("mshowfat", ["-i", fat, `::/${f.name}`], { encoding: "utf8", env }).stdout;
    const want = /<([^>]*)>/.exec(sf)![1].split(/\s+/).filter((x) => x !== "").join(" ");
    assert.equal(runs(f.chain).join(" "), want, `${f.name}: ${sf}`);
    assert.equal(f.clusters * 4096 - f.size, f.slack);
  }
  assert.equal(r.fat.files.find((f) => f.name === "sparse")!.clusters, 2048); // FAT has no holes
  const ck = spawnSync("fsck.fat", ["-n", "-v", fat], { encoding: "utf8" }).stdout;
  const [, used, total] = /(\d+)\/(\d+) clusters/.exec(ck)!;
  assert.equal(r.fat.usedClusters, Number(used), ck);
  assert.equal(r.fat.totalClusters, Number(total), ck);
});

test("tsix fslab prints the report and writes the SVG; bad --files gives one line and exit status 2", { skip, timeout: 120_000 }, () => {
  const svg = join(work, "r.svg");
  const r = tsix(["fslab", "--files", "a=100,b=9000,c=1M", "-o", svg]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^c +1\.0 MiB \| +256 +1 +0 +0 B \| +256 +0 B$/m, explain(r));
  assert.match(r.stdout, /^a +100 B \| +1 +0 +0 +3\.9 KiB \| +1 +3\.9 KiB$/m, explain(r));
  assert.match(r.stdout, /c on FAT32: first cluster \d+/, explain(r));
  assert.match(r.stdout, /c on ext2: inode \d+, i_blocks 2056 /, explain(r));
  assert.match(readFileSync(svg, "utf8"), /^<svg [^]*<\/svg>\n$/);
  const bad = tsix(["fslab", "--files", "a=lots"]);
  assert.equal(bad.status, 2, explain(bad));
  assert.match(bad.stderr, /^tsix: --files: bad size 'lots'/);
});
