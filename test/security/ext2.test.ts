// Security: ext2 images are untrusted input. Crafted images - block pointers
// past the end of the file system, an indirect block that points into its own
// tree (a loop), a huge i_size, a directory with rec_len 0 or a rec_len that
// runs past its block, entries naming inodes that do not exist or are free,
// symbolic-link loops, superblocks with flipped bits - must give errors (EIO
// with an "EXT2-fs" kernel log line, ELOOP, a refused mount) and never a
// kernel exception (oops), a hang, or anything outside the RAM disk.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { createRamDisk } from "../../kernel/block/ramdisk.js";
import { haveE2fs, mkfs, debugfs, pattern, cleanup } from "../kernel/fs/ext2/images.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/ext2/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-ext2-sec-"));
after(() => cleanup(work));

async function poke(img: Uint8Array, paths: string[]): Promise<Awaited<ReturnType<typeof run>>> {
  return run("ext2poke", {
    dir: PROGS, args: paths, timeoutMs: 60_000,
    setup: (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); },
  });
}

const dbw = (file: string, cmd: string): void => {
  const r = spawnSync("debugfs", ["-w", "-R", cmd, file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
};
const blockOf = (file: string, path: string, l = 0): number => Number(debugfs(file, `bmap ${path} ${l}`).trim());
const inodeOf = (file: string, path: string): number => Number(/<(\d+)>/.exec(debugfs(file, `stat ${path}`))![1]);

test("crafted inodes, block maps and directories give EIO (and a log line), never an oops or a hang", { skip, timeout: 120_000 }, async () => {
  const tree = join(work, "tree");
  mkdirSync(tree);
  for (const n of ["far", "farind", "loop", "huge", "selfref"]) writeFileSync(join(tree, n), pattern(20 * 1024, n.length));
  writeFileSync(join(tree, "ok.txt"), "fine\n");
  for (const d of ["zero", "over", "badino", "freeino", "bigdir"]) { mkdirSync(join(tree, d)); writeFileSync(join(tree, d, "x"), "x"); }
  symlinkSync("b", join(tree, "a"));
  symlinkSync("a", join(tree, "b"));
  const file = join(work, "crafted.img");
  mkfs(file, { blockSize: 1024, sizeMiB: 8 }, tree);
  dbw(file, "sif /far block[0] 99999999");                     // a data block past the end
  dbw(file, "sif /farind block[IND] 4000000000");              // an indirect block past the end
  const ind = Number(/\(IND\):(\d+)/.exec(debugfs(file, "stat /loop"))![1]);
  dbw(file, `sif /loop block[DIND] ${ind}`);                   // the double indirect block is the indirect one: a loop in the tree
  dbw(file, "sif /loop size 400000");
  dbw(file, "sif /huge size 0x10000000000");                   // 1 TiB: reads see holes, nothing hangs
  dbw(file, `sif /selfref block[1] ${blockOf(file, "/selfref", 0)}`); // one block listed twice
  dbw(file, "sif /bigdir size 0x7ffffc00");                    // a directory claiming 2 GiB
  const img = new Uint8Array(readFileSync(file));
  const patchDir = (dir: string, at: number, bytes: number[]): void => {
    const b = blockOf(file, dir, 0) * 1024;
    bytes.forEach((v, i) => { img[b + at + i] = v; });
  };
  patchDir("/zero", 12 + 4, [0, 0]);                          // rec_len 0 of ".."
  patchDir("/over", 12 + 4, [0xd0, 0x07]);                    // rec_len 2000 > the block
  patchDir("/badino", 24, [0xff, 0xff, 0xff, 0x0f]);          // "x" names an inode past the count
  patchDir("/freeino", 24, [200, 0, 0, 0]);                   // "x" names a free inode
  void inodeOf;
  const paths = ["far", "farind", "loop", "huge", "selfref", "zero", "over", "badino/x", "freeino/x", "bigdir", "a", "ok.txt"];
  const r = await poke(img, paths);
  assert.equal(r.status, 0, explain(r));
  assert.doesNotMatch(r.log, /oops|TIMEOUT/, explain(r));
  const line = (p: string): string => r.out.split("\n").find((l) => l.startsWith(`${p}:`)) ?? "";
  assert.match(r.out, /^mount: ok$/m, explain(r));
  assert.match(line("far"), /read Input\/output error/, explain(r));
  assert.match(line("farind"), /read Input\/output error/, explain(r));
  assert.match(line("loop"), /truncate Input\/output error/, explain(r));
  assert.match(line("huge"), /open ok read ok truncate ok unlink ok/, explain(r));
  assert.match(line("selfref"), /truncate Input\/output error/, explain(r));
  assert.match(line("zero"), /readdir Input\/output error|opendir Input\/output error/, explain(r));
  assert.match(line("over"), /readdir Input\/output error|opendir Input\/output error/, explain(r));
  assert.match(line("badino/x"), /lstat Input\/output error/, explain(r));
  assert.match(line("freeino/x"), /lstat Input\/output error/, explain(r));
  assert.match(line("bigdir"), /lstat Input\/output error/, explain(r));
  assert.match(line("a"), /open Too many levels of symbolic links/, explain(r));
  assert.match(line("ok.txt"), /open ok read ok truncate ok unlink ok/, explain(r), );
  assert.match(r.out, /^umount: ok$/m, explain(r));
  for (const what of ["outside the file system", "appears twice", "rec_len 0", "overflows the block", "names inode", "is in a directory but free", "has size"]) {
    assert.match(r.log, new RegExp(`EXT2-fs \\(ram0\\): error: .*${what}`), `no log line for '${what}'\n${r.log}`);
  }
});

test("superblocks with flipped bits: mounted or refused with a log line, never an oops", { skip, timeout: 300_000 }, async () => {
  const file = join(work, "flip.img");
  mkfs(file, { blockSize: 1024, sizeMiB: 4 }, null);
  const base = new Uint8Array(readFileSync(file));
  let x = 12345;
  let refused = 0;
  for (let n = 0; n < 12; n++) {
    const img = base.slice();
    for (let f = 0; f < 3; f++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const off = 1024 + ((x >>> 8) % 104);   // the geometry fields: counts, sizes, magic, revision, features
      img[off] ^= 1 << ((x >>> 4) & 7);
    }
    const r = await poke(img, ["lost+found"]);
    assert.equal(r.status, 0, explain(r));
    assert.doesNotMatch(r.log, /oops|TIMEOUT|internal error/, explain(r));
    if (/^mount: /m.test(r.out) && !/^mount: ok/m.test(r.out)) {
      refused++;
      assert.match(r.log, /EXT2-fs \(ram0\): (error|unable)/, explain(r));
    }
  }
  assert.ok(refused > 0, "some flips must be refused");
});
