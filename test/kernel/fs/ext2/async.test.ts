// ext2 over a disk that answers later: the same randomized workload on an
// MBR disk (ext2 in partition 1, /dev/vda1) behind virtio-blk, once with a
// backend that completes every request at once and once with an
// asynchronous one that holds each completion back (a cold cache: every
// first read of a block puts the task to sleep and its syscall restarts
// from the beginning). Both runs must end with the same files and an
// e2fsck-clean image: an operation that changed something before a read
// and then restarted would differ or corrupt the image.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { openFileDisk } from "../../../../host/node/file_disk.js";
import { diskWithPartition, PART_START } from "../../block/mbr.js";
import { haveE2fs, mkfs, fsck, cleanup } from "./images.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/ext2/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-ext2-async-"));
after(() => cleanup(work));


/** An MBR disk file whose partition 1 is a fresh 16 MiB ext2 (1 KiB blocks). */
function diskFile(name: string): string {
  const fsImg = join(work, `${name}.fs`);
  mkfs(fsImg, { blockSize: 1024, sizeMiB: 16 }, null);
  const fsBytes = readFileSync(fsImg);
  const disk = diskWithPartition(fsBytes);
  const file = join(work, `${name}.img`);
  writeFileSync(file, disk);
  return file;
}

async function workload(io: "sync" | "async"): Promise<{ lines: string[]; file: string; log: string }> {
  const file = diskFile(io);
  const disk = openFileDisk(file, { io, delayMs: io === "async" ? 1 : undefined });
  const r = await run("ext2work", { dir: PROGS, args: ["/dev/vda1", "7", "120"], disk, clock: "host", timeoutMs: 600_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /after a remount: model ok/, explain(r));
  assert.doesNotMatch(r.log, /BUG|internal error/, r.log);
  return { lines: r.out.split("\n").filter((l) => l.startsWith("L ")).sort(), file, log: r.log };
}

test("the workload on a delayed asynchronous disk ends exactly as on a synchronous one, e2fsck-clean", { skip, timeout: 900_000 }, async () => {
  const a = await workload("sync");
  const b = await workload("async");
  assert.ok(a.lines.length > 10);
  assert.deepEqual(b.lines, a.lines);
  for (const x of [a, b]) {
    const part = join(work, "part.img");
    writeFileSync(part, readFileSync(x.file).subarray(PART_START * 512));
    const f = fsck(part);
    assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
  }
});
