// Security: corrupt ext3 images (C65 journaling, C62 metadata). 120 images,
// each an ext3 file system with files and a journal that needs recovery,
// with seeded random bit flips in one of: the superblock, the group
// descriptors, the inode table, the root directory, the journal superblock,
// or the journal's descriptor/commit blocks. One boot mounts each (the
// mount replays the journal), walks and reads the tree, writes and fsyncs a
// file, unlinks one and unmounts: every step may fail with an errno, or the
// mount may be read-only, but the kernel never throws (no "internal error"
// or BUG in its log), never hangs (the run is bounded) and the run ends
// normally. Afterwards `e2fsck -fy` repairs every image (exit 0, 1 or 2;
// never 4 "left uncorrected" or 8 "operational error").
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { createRamDisk } from "../../kernel/block/ramdisk.js";
import { blockNodesChanged } from "../../kernel/fs/blockdev.js";
import { haveE2fs, debugfs, pattern } from "../kernel/fs/ext2/images.js";
import { e2fsck, tmpWork } from "../kernel/fs/jbd2/crashlib.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const work = tmpWork("tsix-ext3-corrupt-");
after(() => rmSync(work, { recursive: true, force: true }));
const CASES = 120;
const BS = 1024;

/** A 3 MiB ext3 (1 MiB journal) with a few files, and three committed transactions in its journal (needs_recovery). */
function baseImage(): { img: Uint8Array; regions: Record<string, [number, number]> } {
  const tree = join(work, "tree");
  mkdirSync(join(tree, "dir"), { recursive: true });
  writeFileSync(join(tree, "a.txt"), "hello\n");
  writeFileSync(join(tree, "dir", "big"), pattern(40_000, 3));
  for (let i = 0; i < 12; i++) writeFileSync(join(tree, "dir", `f${i}`), pattern(100 * i, i + 9));
  const f = join(work, "base.img");
  const r = spawnSync("mke2fs", ["-q", "-F", "-t", "ext3", "-b", "1024", "-g", "1024", "-J", "size=1", "-U", "clear", "-E", "root_owner=0:0", "-d", tree, f, "3M"],
    { encoding: "utf8", env: { ...process.env, E2FSPROGS_FAKE_TIME: "1700000000" } });
  assert.equal(r.status, 0, r.stderr);
  const img0 = new Uint8Array(readFileSync(f));
  const rootBlk = Number(debugfs(f, "bmap / 0").trim());
  const dirBlk = Number(debugfs(f, "bmap /dir 0").trim());
  const itab = Number(/Inode table at (\d+)/.exec(spawnSync("dumpe2fs", [f], { encoding: "utf8" }).stdout)![1]);
  // Log the current bytes of the root and /dir directory blocks and the first inode table block (a benign replay).
  const blocks = [rootBlk, dirBlk, itab];
  const data = new Uint8Array(blocks.length * BS);
  blocks.forEach((b, i) => data.set(img0.subarray(b * BS, (b + 1) * BS), i * BS));
  writeFileSync(join(work, "jdata"), data);
  const cmds = ["jo", `jw -b ${blocks.join(",")} ${join(work, "jdata")}`, `jw -b ${rootBlk} ${join(work, "jdata")}`,
    `jw -r ${dirBlk} ${join(work, "jdata")}`, "jc"];
  writeFileSync(join(work, "cmds"), cmds.join("\n") + "\n");
  assert.equal(spawnSync("debugfs", ["-w", "-f", join(work, "cmds"), f]).status, 0);
  const img = new Uint8Array(readFileSync(f));
  const jstart = Number(/\((\d+)-/.exec(debugfs(f, "stat <8>"))?.[1] ?? NaN) ;
  const j0 = Number(/\(0[^)]*\):(\d+)/.exec(debugfs(f, "stat <8>"))![1]);
  void jstart;
  return {
    img,
    regions: {
      superblock: [1 * BS, 2 * BS], descriptors: [2 * BS, 3 * BS], inodes: [itab * BS, (itab + 4) * BS],
      rootdir: [rootBlk * BS, (rootBlk + 1) * BS], jsuper: [j0 * BS, j0 * BS + 64], jlog: [(j0 + 1) * BS, (j0 + 9) * BS],
    },
  };
}

test(`${CASES} ext3 images with random bit flips: errors or read-only mounts, no oops or hang; e2fsck -fy repairs them`, { skip, timeout: 600_000 }, async () => {
  const t0 = Date.now();
  const { img, regions } = baseImage();
  const names = Object.keys(regions);
  let x = 0x2545f491;
  const rnd = (n: number): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
  const images: { img: Uint8Array; what: string }[] = [];
  for (let i = 0; i < CASES; i++) {
    const name = names[i % names.length];
    const [lo, hi] = regions[name];
    const c = img.slice();
    const flips = 1 + rnd(12);
    for (let f = 0; f < flips; f++) { const at = lo + rnd(hi - lo); c[at] ^= 1 << rnd(8); }
    images.push({ img: c, what: `case ${i}: ${flips} bit flips in the ${name}` });
  }
  const r = await run("ext3poke", {
    dir: join(SRC_ROOT, "test/security/progs"), args: [String(CASES)], timeoutMs: 300_000, memBytes: 64 << 20,
    setup: (k) => {
      for (const c of images) { const d = createRamDisk(k, c.img.length); k.block.ramdisks[d.driverUnit].set(c.img); }
      blockNodesChanged(k);
    },
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, new RegExp(`poked ${CASES} disks`), explain(r));
  assert.doesNotMatch(r.log, /internal error|BUG|TIMEOUT|oops/i, r.log);
  const lines = r.out.split("\n").filter((l) => l.startsWith("disk "));
  assert.equal(lines.length, CASES);
  const mounted = lines.filter((l) => /mount ok/.test(l)).length;
  // Most flips leave a mountable file system: its journal is replayed and it is writable (not stuck read-only).
  const writable = lines.filter((l) => /write ok unlink ok umount ok/.test(l)).length;
  assert.ok(writable >= CASES / 3, `only ${writable} of ${CASES} images were replayed and writable:\n${lines.join("\n")}`);
  const refused = lines.length - mounted;
  // e2fsck -fy repairs what tsix left (after its replay and its writes).
  const bad: string[] = [];
  const status = new Map<number, number>();
  let backup = 0, unknownFeat = 0;
  for (let i = 0; i < CASES; i++) {
    const file = join(work, "case.img");
    writeFileSync(file, r.k.block.ramdisks[i]);
    let fy = e2fsck(file, ["-fy"]);
    // A primary superblock e2fsck cannot use: it repairs from the backup in group 1 (what its message says to do).
    if (fy.status >= 4 && images[i].what.endsWith("superblock")) { fy = e2fsck(file, ["-fy", "-b", "1025", "-B", "1024"]); backup++; }
    status.set(fy.status, (status.get(fy.status) ?? 0) + 1);
    if (fy.status >= 4 && /Journal superblock has an unknown (incompatible|read-only) feature flag set|Journal version not supported|unsupported feature\(s\)/.test(fy.out)) {
      // e2fsck refuses by design to touch a journal (or file system) with features or a version it does not know;
      // tsix must not have written to it either (mount refused, or writes failed with EROFS).
      unknownFeat++;
      if (!/mount (?!ok)|write Read-only file system/.test(lines[i])) bad.push(`${images[i].what}: unknown features, yet tsix wrote: ${lines[i]}`);
      continue;
    }
    if (fy.status !== 0 && fy.status !== 1 && fy.status !== 2) bad.push(`${images[i].what}: e2fsck -fy exit ${fy.status}\n${lines[i]}\n${fy.out.slice(-600)}`);
  }
  console.log(`# corrupt ext3 images: ${CASES} mounted by one boot (${mounted} mounted, ${writable} of them replayed and writable, ${refused} refused), e2fsck -fy exit statuses ${JSON.stringify([...status].sort())} (${backup} from the backup superblock; ${unknownFeat} refused by e2fsck itself for unknown features or journal versions, and left alone by tsix), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.deepEqual(bad.map((b) => b.slice(0, 900)), []);
});
