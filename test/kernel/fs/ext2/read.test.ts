// ext2 read side: images made by Debian's mke2fs (1 KiB, 2 KiB and 4 KiB
// blocks; with and without sparse_super; 128- and 256-byte inodes;
// revision 0) mounted from a RAM disk inside tsix list exactly what the host
// tree they were made from holds: inode numbers (from debugfs), types,
// modes, owners (32-bit), sizes, link counts, times, file contents across
// direct/indirect/double/triple indirect blocks and holes, fast and slow
// symlink targets, device numbers. statfs counts match the superblock's;
// the image is unchanged after a read-only mount and e2fsck-clean after a
// read-write mount and unmount.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { createRamDisk } from "../../../../kernel/block/ramdisk.js";
import { haveE2fs, isRoot, makeTree, mkfs, fsck, debugfsInodes, debugfs, expectedListing, normalizeListing, cleanup, type MkfsOpts } from "./images.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : !isRoot ? "making device nodes for the tree needs root" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/ext2/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-ext2-read-"));
const tree = skip ? "" : makeTree();
after(() => { cleanup(work); if (tree) cleanup(tree); });

const DIRS = ["/", "/sub", "/sub/deeper", "/many"];

/** Boot with the image on ram0 and run ext2ls; returns the run and the RAM disk's bytes afterwards. */
export async function lsImage(img: Uint8Array, args: string[]): Promise<{ r: Awaited<ReturnType<typeof run>>; disk: Uint8Array }> {
  let disk: Uint8Array = new Uint8Array(0);
  const r = await run("ext2ls", {
    dir: PROGS, args, timeoutMs: 120_000,
    setup: (k) => { const d = createRamDisk(k, img.length); k.block.ramdisks[0].set(img); disk = k.block.ramdisks[0]; void d; },
  });
  return { r, disk };
}

const cases: [string, MkfsOpts][] = [
  ["1 KiB blocks, sparse_super, 256-byte inodes", { blockSize: 1024 }],
  ["4 KiB blocks, sparse_super, 256-byte inodes", { blockSize: 4096, sizeMiB: 32 }],
  ["2 KiB blocks, no sparse_super, 128-byte inodes", { blockSize: 2048, sparseSuper: false, inodeSize: 128 }],
  ["1 KiB blocks, revision 0", { blockSize: 1024, rev0: true }],
];

for (const [name, o] of cases) {
  test(`mke2fs image (${name}) reads back exactly as the tree it was made from`, { skip }, async () => {
    const file = join(work, `img-${o.blockSize}-${o.sparseSuper}-${o.rev0}.img`);
    mkfs(file, o, tree);
    const img = new Uint8Array(readFileSync(file));
    const { r, disk } = await lsImage(img, ["ext2", "ro"]);
    assert.equal(r.status, 0, explain(r));
    const want = expectedListing(tree, debugfsInodes(file, DIRS));
    assert.deepEqual(normalizeListing(r.out), want, explain(r));
    // statfs: the superblock's counts.
    const sb = debugfs(file, "stats");
    const free = Number(/Free blocks:\s+(\d+)/.exec(sb)![1]), ifree = Number(/Free inodes:\s+(\d+)/.exec(sb)![1]);
    const icount = Number(/Inode count:\s+(\d+)/.exec(sb)![1]);
    assert.match(r.out, new RegExp(`statfs type=ef53 bsize=${o.blockSize} blocks=\\d+ bfree=${free} bavail=\\d+ files=${icount} ffree=${ifree}\\n`), explain(r));
    assert.ok(Buffer.from(disk).equals(Buffer.from(img)), "a read-only mount must not change the image");
  });
}

test("a read-write mount and unmount leaves the image e2fsck-clean, the mount counted and the state clean", { skip }, async () => {
  const file = join(work, "rw.img");
  mkfs(file, { blockSize: 1024 }, tree);
  const img = new Uint8Array(readFileSync(file));
  const { r, disk } = await lsImage(img, ["ext2"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /umount ok/);
  const out = join(work, "rw-after.img");
  writeFileSync(out, disk);
  const f = fsck(out);
  assert.equal(f.status, 0, f.out);
  const stats = debugfs(out, "stats");
  assert.match(stats, /Filesystem state:\s+clean\n/);
  assert.match(stats, /Mount count:\s+1\n/);
});

test("ext3 with a clean journal mounts (as ext3) read-write with its journal; a journal it cannot use mounts read-only", { skip }, async () => {
  const file = join(work, "ext3.img");
  mkfs(file, { blockSize: 1024, journal: true }, tree);
  const img = new Uint8Array(readFileSync(file));
  const { r, disk } = await lsImage(img, ["ext3"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.log, /EXT2-fs \(ram0\): mounted with its journal \(ext3, data=ordered\)/);
  assert.deepEqual(normalizeListing(r.out), expectedListing(tree, debugfsInodes(file, DIRS)));
  const after = join(work, "ext3-after.img");
  writeFileSync(after, disk);
  assert.equal(fsck(after).status, 0, fsck(after).out);
  // A journal with a feature this kernel does not know (fast commits, set in the journal superblock): read-only, nothing written.
  const j0 = Number(debugfs(file, "bmap <8> 0").trim());
  const img2 = new Uint8Array(readFileSync(file));
  img2[j0 * 1024 + 0x2b] |= 0x20;
  let disk2: Uint8Array = new Uint8Array(0);
  const r2 = await run("ext2poke", { dir: PROGS, args: ["small.txt"], setup: (k) => { createRamDisk(k, img2.length); k.block.ramdisks[0].set(img2); disk2 = k.block.ramdisks[0]; } });
  assert.match(r2.out, /^small.txt: lstat ok open ok read ok truncate Read-only file system unlink Read-only file system$/m, explain(r2));
  assert.match(r2.log, /journal: unsupported journal features 0x20: mounted read-only/);
  assert.ok(Buffer.from(disk2).equals(Buffer.from(img2)), "nothing written");
});
