// vfat read side: FAT32 images made by Debian's mkfs.vfat (512-byte and 4
// KiB clusters: the data area at an odd sector, and aligned) and filled by
// mtools' mcopy, mounted from a RAM disk inside tsix, list exactly the tree
// they were made from: names (8.3 in both cases, long, mixed case, many
// dots), directory structure, sizes and contents across cluster and page
// boundaries; statfs matches fsck.fat's cluster counts; a read-only mount
// leaves the image unchanged.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { explain, skipNoCC } from "../harness.js";
import { cleanup } from "../ext2/images.js";
import { haveDosfs, makeFatTree, mkfsVfat, fsckFat, treeListing, lsToListing, lsFat } from "./images.js";

const skip = skipNoCC || (!haveDosfs ? "dosfstools or mtools is not installed" : false);
const work = mkdtempSync(join(tmpdir(), "tsix-vfat-read-"));
const tree = skip ? "" : makeFatTree();
after(() => { cleanup(work); if (tree) cleanup(tree); });

const cases: [string, number, string[]][] = [
  ["64 MiB, 512-byte clusters, data area at an odd sector", 64, []],
  ["260 MiB, 4 KiB clusters (buffers of 4 KiB)", 260, ["-s", "8"]],
];
// FAT16 and FAT12 (a fixed root directory between the FATs and the data area; 12-bit entries).
const oldCases: [string, number, string[]][] = [
  ["FAT16, 64 MiB, 2 KiB clusters", 64, ["-F", "16", "-s", "4"]],
  ["FAT12, 12 MiB, 4 KiB clusters", 12, ["-F", "12", "-s", "8"]],
];

for (const [name, size, extra] of [...cases, ...oldCases]) {
  test(`mkfs.vfat ${extra.includes("-F") ? "" : "FAT32 "}image (${name}) reads back exactly as the tree it was made from`, { skip }, async () => {
    const file = join(work, `img-${size}-${extra.join("")}.img`);
    mkfsVfat(file, size, tree, extra);
    const img = new Uint8Array(readFileSync(file));
    const { r, disk } = await lsFat(img, ["vfat", "ro"]);
    assert.equal(r.status, 0, explain(r));
    assert.deepEqual(lsToListing(r.out), treeListing(tree), explain(r));
    // Default owner and modes: the mounter (root) and 0777 & ~umask (022), directories and files alike.
    assert.match(r.out, /^\/small\.txt ino=\d+ mode=100755 uid=0 gid=0 size=10 nlink=1 /m, explain(r));
    assert.match(r.out, /^\/many ino=\d+ mode=40755 uid=0 gid=0 size=0 nlink=2 /m, explain(r));
    assert.match(r.out, /^\/sub ino=\d+ mode=40755 uid=0 gid=0 size=0 nlink=3 /m, explain(r));
    // statfs: clusters as fsck.fat counts them.
    const f = fsckFat(file);
    assert.equal(f.status, 0, f.out);
    const [, used, total] = /(\d+)\/(\d+) clusters/.exec(f.out)!;
    const csize = Number(/(\d+) bytes per cluster/.exec(f.out)![1]);
    assert.match(r.out, new RegExp(`statfs type=4d44 bsize=${csize} blocks=${total} bfree=${Number(total) - Number(used)} bavail=${Number(total) - Number(used)} `), explain(r));
    assert.ok(Buffer.from(disk).equals(Buffer.from(img)), "a read-only mount must not change the image");
  });
}

test("mtime comes from the directory entry (2-second resolution, UTC)", { skip }, async () => {
  const file = join(work, "times.img");
  mkfsVfat(file, 64, tree);
  const img = new Uint8Array(readFileSync(file));
  const { r } = await lsFat(img, ["vfat", "ro"]);
  assert.equal(r.status, 0, explain(r));
  // mcopy -m keeps the source's mtime, rounded down to even seconds.
  const { statSync } = await import("node:fs");
  const want = Math.floor(statSync(join(tree, "small.txt")).mtimeMs / 2000) * 2;
  assert.match(r.out, new RegExp(`^/small\\.txt .* mtime=${want} `, "m"), explain(r));
});
