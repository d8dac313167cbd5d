// The ext2 directory name index (kernel/fs/ext2/dir.ts): lookups and creates
// in a big directory read one block, not all of them, and the index never
// goes stale. dirindex.c changes ~700 names in two directories in random
// orders (create, unlink, rename within and across, rename over, link) with
// lookups between every step, checked against its own model; the listings
// must match the model before and after a remount, the image must be
// e2fsck-clean, debugfs must see the same names and inode numbers, and a
// run on a delayed asynchronous disk (every first read of a block sleeps and
// the syscall restarts) must end exactly as the synchronous one.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { openFileDisk } from "../../../../host/node/file_disk.js";
import { diskWithPartition, PART_START } from "../../block/mbr.js";
import { haveE2fs, mkfs, fsck, debugfsInodes, cleanup } from "./images.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/ext2/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-ext2-dirindex-"));
after(() => cleanup(work));


/** An MBR disk file whose partition 1 is a fresh 16 MiB ext2 (1 KiB blocks: a few hundred names span many directory blocks). */
function diskFile(name: string): string {
  const fsImg = join(work, `${name}.fs`);
  mkfs(fsImg, { blockSize: 1024, sizeMiB: 16 }, null);
  const fsBytes = readFileSync(fsImg);
  const disk = diskWithPartition(fsBytes);
  const file = join(work, `${name}.img`);
  writeFileSync(file, disk);
  return file;
}

async function workload(io: "sync" | "async"): Promise<string[]> {
  const file = diskFile(`work-${io}`);
  const disk = openFileDisk(file, { io, delayMs: io === "async" ? 1 : undefined });
  const r = await run("dirindex", { dir: PROGS, args: ["/dev/vda1", "11", "3000"], disk, clock: "host", timeoutMs: 600_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /names live; model ok/, explain(r));
  assert.doesNotMatch(r.log, /BUG|internal error|corrupt/, r.log);
  const lines = r.out.split("\n").filter((l) => l.startsWith("L ")).sort();
  const part = join(work, "part.img");
  writeFileSync(part, readFileSync(file).subarray(PART_START * 512));
  const f = fsck(part);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
  // What e2fsprogs reads from the image is what the guest's model says.
  const seen = [...debugfsInodes(part, ["/d", "/e"])].map(([p, ino]) => `L ${p.slice(1)} ${ino}`).sort();
  assert.deepEqual(seen, lines);
  return lines;
}

test("random renames, unlinks, links and creates in big directories: every lookup, listing and the image agree with the model, sync and async alike", { skip, timeout: 900_000 }, async () => {
  const a = await workload("sync");
  assert.ok(a.length > 150, `only ${a.length} names live`);
  const b = await workload("async");
  assert.deepEqual(b, a);
});

test("creating and stat-ing 2000 files in one directory costs a bounded number of block lookups per file, not one per directory block", { skip, timeout: 300_000 }, async () => {
  const file = diskFile("cost");
  const r = await run("dirindex", { dir: PROGS, args: ["/dev/vda1", "cost", "2000"], disk: openFileDisk(file, { io: "sync" }), clock: "host", timeoutMs: 300_000 });
  assert.equal(r.status, 0, explain(r));
  const m = /create (\d+) stat (\d+) buffer-cache lookups per file/.exec(r.out);
  assert.ok(m, explain(r));
  // 2000 names of 20 bytes fill ~50 blocks of 1 KiB: a scan per lookup would cost ~25+ per stat and ~50+ per create.
  assert.ok(Number(m[1]) <= 16, `create: ${m[1]} lookups per file\n${r.out}`);
  assert.ok(Number(m[2]) <= 4, `stat: ${m[2]} lookups per file\n${r.out}`);
  const part = join(work, "cost-part.img");
  writeFileSync(part, readFileSync(file).subarray(PART_START * 512));
  const f = fsck(part);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
});
