// Block device files and the virtio-blk driver in-process: a memory disk
// with an MBR written by the test (test/kernel/block/mbr.ts) is attached as
// virtio disk 0, the kernel probes it and reads its partition table, and the
// C program progs/blkio.c checks sizes and geometry by ioctl, reads and
// writes at the edges of a partition, read-only disks and I/O errors, with
// Linux's errnos. Writes reach the disk only when written back (fsync or the
// flush at halt); the bytes are compared with the disk afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { memoryDisk, type BlockBackend } from "../../../hw/disk.js";
import { lookupBlockDevice } from "../../../kernel/block/blkdev.js";
import { standardDisk } from "./mbr.js";

const PROGS = join(SRC_ROOT, "test/kernel/block/progs");
const VDA = 254 << 8, VDA1 = VDA + 1, VDA2 = VDA + 2;

function lines(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of out.split("\n")) { const i = l.indexOf("="); if (i > 0) m.set(l.slice(0, i), l.slice(i + 1)); }
  return m;
}

test("the MBR's partitions become vda1 and vda2; ioctls report sizes and geometry as Linux", { skip: skipNoCC }, async () => {
  const r = await run("blkio", { dir: PROGS, disk: memoryDisk(standardDisk()), args: ["/dev/vda1", "info"] });
  assert.equal(r.status, 0, explain(r));
  const m = lines(r.out);
  assert.equal(m.get("open"), "0");
  assert.equal(m.get("bytes"), String(8192 * 512));
  assert.equal(m.get("sectors"), "8192");
  assert.equal(m.get("ssz"), "512");
  assert.equal(m.get("bsz"), "4096");
  assert.equal(m.get("ro"), "0");
  assert.equal(m.get("geo"), "64/32/8 start=2048", "virtio-blk's default geometry: 64 heads, 32 sectors, capacity/2048 cylinders");
  assert.equal(m.get("seek_end"), String(8192 * 512));
  assert.equal(m.get("fsync"), "0");
  assert.equal(m.get("BLKFLSBUF"), "0");
  assert.equal(m.get("unknown_ioctl"), "ENOTTY");
  const k = r.k;
  assert.equal(lookupBlockDevice(k, VDA)?.name, "vda");
  assert.deepEqual([lookupBlockDevice(k, VDA1)?.startSector, lookupBlockDevice(k, VDA1)?.sectors], [2048, 8192]);
  assert.deepEqual([lookupBlockDevice(k, VDA2)?.startSector, lookupBlockDevice(k, VDA2)?.sectors], [10240, 6144]);
  assert.match(r.log, / vda: vda1 vda2/);
});

test("reads and writes at a partition's edges: 0 at the end, ENOSPC past it, short across it, partial blocks merged", { skip: skipNoCC }, async () => {
  const img = standardDisk();
  const before = img.slice();
  const r = await run("blkio", { dir: PROGS, disk: memoryDisk(img), args: ["/dev/vda2", "edges"] });
  assert.equal(r.status, 0, explain(r));
  const m = lines(r.out);
  assert.equal(m.get("read_at_end"), "0");
  assert.equal(m.get("read_past_end"), "0");
  assert.equal(m.get("read_across_end"), "1000");
  assert.equal(m.get("write_at_end"), "ENOSPC");
  assert.equal(m.get("write_across_end"), "100");
  assert.equal(m.get("write_odd"), "3");
  assert.equal(m.get("read_odd"), "5");
  const base = 10240 * 512;
  const exp = [before[base + 1000], 0x6f, 0x64, 0x64, before[base + 1004]].map((x) => x.toString(16).padStart(2, "0")).join("");
  assert.equal(m.get("odd_bytes"), exp);
  assert.equal(m.get("seek_negative"), "EINVAL");
  assert.equal(m.get("seek_to_end"), "0");
  assert.equal(m.get("seek_past_end"), "EINVAL", "Linux's fixed_size_llseek: no position past a block device's end");
  assert.equal(m.get("seek_cur_past_end"), "EINVAL");
  assert.equal(m.get("fsync"), "0");
  // On the disk: "odd" at byte 1001 of vda2, 100 'E's in its last bytes, and nothing else changed (vda1, the MBR, the rest of vda2).
  assert.equal(new TextDecoder().decode(img.subarray(base + 1001, base + 1004)), "odd");
  const end = 16384 * 512;
  assert.ok(img.subarray(end - 100, end).every((x) => x === 0x45));
  const changed: number[] = [];
  for (let i = 0; i < img.length; i++) if (img[i] !== before[i] && !(i >= base + 1001 && i < base + 1004) && !(i >= end - 100)) changed.push(i);
  assert.deepEqual(changed.slice(0, 5), [], "bytes outside the writes changed");
});

test("a read-only disk: writes fail with EPERM (blkdev_write_iter) and BLKROGET says 1", { skip: skipNoCC }, async () => {
  const img = standardDisk();
  const before = img.slice();
  const disk = memoryDisk(img, { readOnly: true });
  const r = await run("blkio", { dir: PROGS, disk, args: ["/dev/vda1", "ro"] });
  assert.equal(r.status, 0, explain(r));
  assert.equal(lines(r.out).get("write_ro"), "EPERM");
  const r2 = await run("blkio", { dir: PROGS, disk: memoryDisk(img, { readOnly: true }), args: ["/dev/vda1", "info"] });
  assert.equal(lines(r2.out).get("ro"), "1");
  assert.deepEqual(img, before);
});

/** A memory disk whose sector `bad` fails (the device completes the request with VIRTIO_BLK_S_IOERR). */
function failingDisk(img: Uint8Array, bad: number): BlockBackend {
  const m = memoryDisk(img);
  return {
    sectors: m.sectors, readOnly: false,
    read(sector, buf) { if (bad >= sector && bad < sector + buf.length / 512) throw new Error("medium error"); return m.read(sector, buf); },
    write: (s, b) => m.write(s, b), flush: () => m.flush(),
  };
}

test("a failing sector gives EIO to the reader, each time, with a kernel log line; other reads go on", { skip: skipNoCC }, async () => {
  const r = await run("blkio", { dir: PROGS, disk: failingDisk(standardDisk(), 2048 + 80), args: ["/dev/vda1", "eio", "80"] });
  assert.equal(r.status, 0, explain(r));
  const m = lines(r.out);
  assert.equal(m.get("read_bad"), "EIO");
  assert.equal(m.get("read_bad_again"), "EIO");
  assert.equal(m.get("read_good"), "512");
  assert.match(r.log, /virtio_blk vda: request read sector 2128 failed with status 1/);
  assert.match(r.log, /I\/O error, dev vda1, sector 2128 op READ/);
  const s = lookupBlockDevice(r.k, VDA1)!.stats;
  assert.equal(s.inFlight, 0);
});

test("BLKRRPART re-reads the table (EINVAL on a partition, as Linux)", { skip: skipNoCC }, async () => {
  const r = await run("blkio", { dir: PROGS, disk: memoryDisk(standardDisk()), args: ["/dev/vda1", "rrpart"] });
  assert.equal(lines(r.out).get("BLKRRPART"), "EINVAL");
  const r2 = await run("blkio", { dir: PROGS, disk: memoryDisk(standardDisk()), args: ["/dev/vda", "rrpart"] });
  assert.equal(lines(r2.out).get("BLKRRPART"), "0", explain(r2));
  assert.equal((r2.log.match(/ vda: vda1 vda2/g) ?? []).length, 2, "scanned at boot and again");
});
