// vfat over a disk that answers later: the randomized workload
// (progs/fatwork.c) on an MBR disk (FAT32 in partition 1, /dev/vda1) behind
// virtio-blk, once with a backend that completes every request at once and
// once with an asynchronous one that holds each completion back, so that
// every first read of a block - the FAT at mount, directories, file data,
// the blocks a write changes in part - puts the task to sleep and its
// syscall restarts from the beginning. Both runs must give the same results
// and end fsck.fat-clean: an operation that changed something before a read
// and then ran again would differ or corrupt the image.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { openFileDisk } from "../../../../host/node/file_disk.js";
import { diskWithPartition, PART_START } from "../../block/mbr.js";
import { cleanup } from "../ext2/images.js";
import { haveDosfs, mkfsVfat, fsckFat, extract, treeListing } from "./images.js";

const skip = skipNoCC || (!haveDosfs ? "dosfstools or mtools is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/vfat/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-vfat-async-"));
after(() => cleanup(work));


function diskFile(name: string): string {
  const fsImg = join(work, `${name}.fs`);
  mkfsVfat(fsImg, 40, null);
  const fsBytes = readFileSync(fsImg);
  const disk = diskWithPartition(fsBytes, 0x0c);
  const file = join(work, `${name}.img`);
  writeFileSync(file, disk);
  return file;
}

async function workload(io: "sync" | "async"): Promise<{ kinds: string[]; part: string; log: string }> {
  const file = diskFile(io);
  const disk = openFileDisk(file, { io, delayMs: io === "async" ? 1 : undefined });
  const r = await run("fatwork", { dir: PROGS, args: ["-m", "/dev/vda1", "/mnt", "5", "150"], disk, clock: "host", timeoutMs: 600_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /umount ok/, explain(r));
  assert.doesNotMatch(r.log, /BUG|internal error/, r.log);
  const part = join(work, `${io}.part`);
  writeFileSync(part, readFileSync(file).subarray(PART_START * 512));
  return { kinds: r.out.split("\n").filter((l) => l.startsWith("kind ")), part, log: r.log };
}

test("the FAT workload on a delayed asynchronous disk ends exactly as on a synchronous one, fsck.fat-clean", { skip, timeout: 900_000 }, async () => {
  const a = await workload("sync");
  const b = await workload("async");
  assert.equal(a.kinds.length, 12);
  assert.deepEqual(b.kinds, a.kinds);
  const trees: string[][] = [];
  for (const x of [a, b]) {
    const f = fsckFat(x.part);
    assert.equal(f.status, 0, `fsck.fat -n:\n${f.out}`);
    const out = extract(x.part);
    try { trees.push(treeListing(out)); } finally { cleanup(out); }
  }
  assert.ok(trees[0].length > 20);
  assert.deepEqual(trees[1], trees[0]);
});
