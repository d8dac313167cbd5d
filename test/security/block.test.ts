// Security of the block layer: what a guest (even root) can do through
// block device files never reaches host bytes outside the disk image, and
// hostile arguments - bad pointers, huge offsets and lengths, every ioctl
// number of the block range with a bad pointer - fail with an errno and never
// crash the kernel. A disk image is untrusted input too: a malformed MBR
// (entries past the end, overlapping, huge counts, starting on the table
// itself, no signature) is rejected or clamped with a log line, so no
// partition ever reaches outside the disk or into another partition.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { sh, explain as explainCli } from "../kernel/harness.js";
import { memoryDisk } from "../../hw/disk.js";
import { lookupBlockDevice, partitionsOf } from "../../kernel/block/blkdev.js";
import { mbrImage, fillPattern, standardDisk } from "../kernel/block/mbr.js";

const PROGS = join(SRC_ROOT, "test/kernel/block/progs");
const VDA = 254 << 8;

function lines(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of out.split("\n")) { const i = l.indexOf("="); if (i > 0) m.set(l.slice(0, i), l.slice(i + 1)); }
  return m;
}

test("hostile pointers, offsets, lengths and ioctls on a block device fail with errnos; the kernel goes on", { skip: skipNoCC }, async () => {
  const img = standardDisk();
  const before = img.slice();
  const r = await run("blkio", { dir: PROGS, disk: memoryDisk(img), args: ["/dev/vda2", "hostile"] });
  assert.equal(r.status, 0, explain(r));
  const m = lines(r.out);
  assert.equal(m.get("getsize64_badptr"), "EFAULT");
  assert.equal(m.get("getgeo_badptr"), "EFAULT");
  assert.equal(m.get("getsize_kernelptr"), "EFAULT");
  assert.equal(m.get("read_badptr"), "EFAULT");
  assert.equal(m.get("write_badptr"), "EFAULT");
  assert.equal(m.get("read_huge_offset"), "0");
  assert.equal(m.get("write_huge_offset"), "ENOSPC");
  assert.equal(m.get("seek_huge"), "EINVAL");
  assert.equal(m.get("read_after_huge_seek"), "512");
  assert.equal(m.get("seek_end_overflow"), "EINVAL");
  assert.equal(m.get("seek_bad_whence"), "EINVAL");
  // Of the 256 requests 0x1200..0x12ff with a bad pointer, only BLKFLSBUF (no argument, root) succeeds.
  assert.equal(m.get("ioctls_0x12xx_succeeding_on_bad_pointer"), "1");
  assert.equal(m.get("mmap"), "ENODEV", "mapping a block device is not built: refused, not the node's empty pages");
  assert.equal(m.get("big_read"), "65536");
  assert.equal(m.get("read_after"), "16");
  assert.equal(m.get("done"), undefined); // "done" has no '='
  assert.match(r.out, /\ndone\n/);
  assert.doesNotMatch(r.log, /oops|BUG|Unable to handle/i);
  // The failed writes changed nothing (a write from a bad pointer wrote no byte).
  assert.deepEqual(img, before);
});

test("a guest cannot read or write past its image: the host file keeps its size and the bytes around partitions", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-blksec-"));
  try {
    const path = join(dir, "d.img");
    const img = standardDisk();
    writeFileSync(path, img);
    const r = sh(
      "dd if=/dev/vda bs=512 skip=16384 count=4 2>/dev/null | wc -c; " +
      "dd if=/dev/vda1 bs=512 skip=8192 count=4 2>/dev/null | wc -c; " +
      "dd if=/dev/zero of=/dev/vda bs=512 seek=16384 count=1 2>&1 | grep -c 'No space left'; " +
      "dd if=/dev/zero of=/dev/vda2 bs=512 seek=6144 count=1 2>&1 | grep -c 'No space left'; " +
      "printf ZZZZ | dd of=/dev/vda1 bs=512 seek=8191 conv=notrunc 2>/dev/null; sync",
      { args: ["--disk", path] });
    assert.equal(r.status, 0, explainCli(r));
    assert.deepEqual(r.stdout.trim().split(/\s+/), ["0", "0", "1", "1"]);
    const now = readFileSync(path);
    assert.equal(statSync(path).size, 8 << 20, "the image did not grow");
    const last = 10239 * 512;
    assert.equal(now.subarray(last, last + 4).toString(), "ZZZZ", "the last sector of vda1 was written");
    assert.ok(now.subarray(last + 4, last + 512).equals(img.subarray(last + 4, last + 512)));
    assert.ok(now.subarray(10240 * 512).equals(img.subarray(10240 * 512)), "vda2 untouched");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a malformed MBR: entries past the end, overlapping, huge or on the table itself are dropped or clamped, with log lines", { skip: skipNoCC }, async () => {
  const sectors = 4096; // 2 MiB
  const img = mbrImage(sectors * 512, [
    { type: 0x83, start: 100, sectors: 0xffffffff },  // huge count: truncated to the disk
    { type: 0x83, start: 5000, sectors: 10 },         // starts past the end: dropped
    { type: 0x83, start: 200, sectors: 50 },          // inside p1: dropped
    { type: 0x0c, start: 0, sectors: 20 },            // on the partition table: dropped
  ]);
  fillPattern(img, 1, sectors - 1, 3);
  const r = await run("blkio", { dir: PROGS, disk: memoryDisk(img), args: ["/dev/vda1", "info"] });
  assert.equal(r.status, 0, explain(r));
  const parts = partitionsOf(r.k, VDA);
  assert.deepEqual(parts.map((p) => [p.name, p.startSector, p.sectors]), [["vda1", 100, sectors - 100]]);
  assert.match(r.log, /vda: p1 size 4294967295 extends beyond EOD, truncated/);
  assert.match(r.log, /vda: p2 start 5000 is beyond EOD, skipped/);
  assert.match(r.log, /vda: p3 overlaps sectors 100\.\.4095 of another partition, skipped/);
  assert.match(r.log, /vda: p4 starts at sector 0 \(the partition table\), skipped/);
  assert.equal(lines(r.out).get("sectors"), String(sectors - 100));
  for (const p of parts) assert.ok(p.startSector + p.sectors <= lookupBlockDevice(r.k, VDA)!.sectors);
});

test("no 0x55AA signature: no partitions, the whole disk still works, and the log says why", { skip: skipNoCC }, async () => {
  const img = mbrImage(1 << 20, [{ type: 0x83, start: 2048, sectors: 10 }], { noSignature: true });
  const r = await run("blkio", { dir: PROGS, disk: memoryDisk(img), args: ["/dev/vda", "info"] });
  assert.equal(r.status, 0, explain(r));
  assert.deepEqual(partitionsOf(r.k, VDA), []);
  assert.match(r.log, / vda: unknown partition table/);
  assert.equal(lines(r.out).get("bytes"), String(1 << 20));
});
