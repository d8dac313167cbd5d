// An ext3 disk after a power cut, end to end through the command line
// (C65 journaling): the cut image (from a recorded workload, see
// crash.test.ts) in partition 1 of an MBR disk file.
//  - `tsix fsck` says the journal needs recovery, replays it in the copy it
//    checks (the file itself stays as it was) and finds the result clean;
//  - `tsix run --disk` mounts the partition through virtio-blk: the kernel
//    replays the journal ("JBD2: recovery complete"), every file fsynced
//    before the cut reads back intact, /proc/fs/jbd2/vda1-8/info counts the
//    transactions of the new writes, and after unmount the disk is clean
//    with an empty journal (tsix fsck no longer replays anything).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { tsix, explain as explainCli } from "../../harness.js";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { haveE2fs, mkfs, pattern } from "../ext2/images.js";
import { diskWithPartition, PART_START } from "../../block/mbr.js";
import { recordRamDisk, tmpWork, type DiskWrite } from "./crashlib.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const work = tmpWork("tsix-jbd-cli-");
after(() => rmSync(work, { recursive: true, force: true }));

test("a power-cut ext3 disk: tsix fsck replays in a copy and reports; tsix run --disk replays at mount and keeps fsynced files", { skip, timeout: 600_000 }, async () => {
  const f = join(work, "fs.img");
  mkfs(f, { blockSize: 1024, sizeMiB: 8, journal: true }, null);
  const start = new Uint8Array(readFileSync(f));
  const log: DiskWrite[] = [];
  const r = await run("jbdwork", {
    dir: join(SRC_ROOT, "test/kernel/fs/jbd2/progs"), args: ["9", "50", "fsync"], memBytes: 64 << 20, timeoutMs: 300_000,
    setup: (k) => { recordRamDisk(k, start, log); recordRamDisk(k, new Uint8Array(256 << 10), log); },
  });
  assert.equal(r.status, 0, explain(r));
  // The cut: right after the last fsync marker; the markers so far name the files that must survive.
  const lastMark = log.map((w) => w.disk).lastIndexOf(1);
  const img = start.slice();
  const mk = new Uint8Array(256 << 10);
  for (const w of log.slice(0, lastMark + 1)) (w.disk === 0 ? img : mk).set(w.bytes, w.off);
  const marks = [...new TextDecoder().decode(mk).matchAll(/F (\S+) (\d+) (\d+)\n/g)].map((m) => ({ path: m[1], len: Number(m[2]), seed: Number(m[3]) }));
  assert.ok(marks.length >= 3, `${marks.length} fsynced files`);
  const disk = diskWithPartition(img);
  const file = join(work, "disk.img");
  writeFileSync(file, disk);

  let c = tsix(["fsck", file]);
  assert.equal(c.status, 0, explainCli(c));
  assert.match(c.stdout, /the journal needs recovery; replayed in a copy before the check/);
  assert.ok(readFileSync(file).equals(Buffer.from(disk)), "tsix fsck does not change the disk");

  const sums = marks.map((m) => `${createHash("md5").update(pattern(m.len, m.seed)).digest("hex")}  /mnt/${m.path}`);
  const script = "mount -t ext3 /dev/vda1 /mnt && dmesg | grep JBD2; md5sum " + marks.map((m) => `/mnt/${m.path}`).join(" ") +
    " && echo more > /mnt/after-replay && sync && cat /proc/fs/jbd2/vda1-8/info && umount /mnt && echo unmounted";
  const b = tsix(["run", "--disk", file, "--root", "initramfs", "--", "sh", "-c", script], { timeout: 300_000 });
  assert.equal(b.status, 0, explainCli(b));
  assert.match(b.stdout, /JBD2: recovery complete on vda1: [1-9]\d* transactions replayed/);
  for (const s of sums) assert.ok(b.stdout.includes(s), `${s}\n${b.stdout}`);
  assert.match(b.stdout, /^[1-9]\d* transactions \(\d+ requested\), each up to \d+ blocks$/m);
  assert.match(b.stdout, /unmounted/);

  c = tsix(["fsck", file]);
  assert.equal(c.status, 0, explainCli(c));
  assert.doesNotMatch(c.stdout, /needs recovery/);
  assert.match(c.stdout, /Pass 5/);
});
