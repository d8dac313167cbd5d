// ext3 on a disk that answers later (C65 journaling): the randomized ext2
// workload (test/kernel/fs/ext2/progs/ext2work.c: every kind of operation,
// fsyncs, a remount) on an ext3 partition behind virtio-blk, once with a
// backend that completes each request at once and once with one that
// delays every completion. With the delay, a commit waits for its data,
// log and commit-block writes (fsync sleeps and its syscall restarts), and
// the commit timer drives commits nobody waits for. Both runs must end with
// the same files, an e2fsck-clean image and an empty journal.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { openFileDisk } from "../../../../host/node/file_disk.js";
import { diskWithPartition, PART_START } from "../../block/mbr.js";
import { haveE2fs, mkfs } from "../ext2/images.js";
import { e2fsck, tmpWork } from "./crashlib.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const work = tmpWork("tsix-jbd-async-");
after(() => rmSync(work, { recursive: true, force: true }));

function diskFile(name: string): string {
  const fsImg = join(work, `${name}.fs`);
  mkfs(fsImg, { blockSize: 1024, sizeMiB: 16, journal: true }, null);
  const fsBytes = readFileSync(fsImg);
  const disk = diskWithPartition(fsBytes);
  const file = join(work, `${name}.img`);
  writeFileSync(file, disk);
  return file;
}

async function workload(io: "sync" | "async"): Promise<{ lines: string[]; file: string }> {
  const file = diskFile(io);
  const disk = openFileDisk(file, { io, delayMs: io === "async" ? 1 : undefined });
  const r = await run("ext2work", { dir: join(SRC_ROOT, "test/kernel/fs/ext2/progs"), args: ["/dev/vda1", "5", "80"], disk, clock: "host", timeoutMs: 600_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /after a remount: model ok/, explain(r));
  assert.match(r.log, /mounted with its journal/, r.log);
  assert.doesNotMatch(r.log, /BUG|internal error|journal aborted/, r.log);
  return { lines: r.out.split("\n").filter((l) => l.startsWith("L ")).sort(), file };
}

test("ext3 on a delayed asynchronous disk: the workload ends as on a synchronous one, e2fsck-clean, journal empty", { skip, timeout: 900_000 }, async () => {
  const a = await workload("sync");
  const b = await workload("async");
  assert.ok(a.lines.length > 10);
  assert.deepEqual(b.lines, a.lines);
  for (const x of [a, b]) {
    const part = join(work, "part.img");
    writeFileSync(part, readFileSync(x.file).subarray(PART_START * 512));
    const f = e2fsck(part, ["-fn"]);
    assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
    const h = spawnSync("dumpe2fs", ["-h", part], { encoding: "utf8" }).stdout;
    assert.match(h, /Journal start:\s+0\n/);
    assert.doesNotMatch(h, /needs_recovery/);
  }
});
