// `tsix run --disk FILE.img` end to end, with busybox in the default image:
// the MBR written by the test shows in `fdisk -l` and /proc/partitions;
// dd through /dev/vda1 reads the image's bytes and writes land in the host
// file byte-exact - but only once written back (sync), which the guest
// itself observes through a --mount of the image's directory; an
// asynchronous slow disk puts readers to sleep in state D and wakes them
// with the right data; /proc/diskstats moves by exactly the requests of a
// known workload; a read-only disk refuses writes; bad --disk arguments are
// one-line errors with exit status 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sh, tsix, explain } from "../harness.js";
import { standardDisk, writeImage } from "./mbr.js";

const dir = mkdtempSync(join(tmpdir(), "tsix-disk-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function image(): string {
  const p = join(dir, `d${n++}.img`);
  writeImage(p, standardDisk());
  return p;
}
const md5 = (b: Uint8Array): string => createHash("md5").update(b).digest("hex");
const P1 = 2048 * 512, P2 = 10240 * 512;

test("fdisk -l and /proc/partitions show the MBR's partitions; /dev has the nodes", () => {
  const img = image();
  const r = sh("fdisk -l /dev/vda; cat /proc/partitions; ls -l /dev/vda /dev/vda1 /dev/vda2", { args: ["--disk", img] });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /Disk \/dev\/vda: 8 MB, 8388608 bytes, 16384 sectors/);
  assert.match(r.stdout, /\/dev\/vda1 \*.*\s2048\s+10239\s+8192\s+4096K 83 Linux/);
  assert.match(r.stdout, /\/dev\/vda2 .*\s10240\s+16383\s+6144\s+3072K 83 Linux/);
  assert.ok(r.stdout.includes("major minor  #blocks  name\n\n 254        0       8192 vda\n 254        1       4096 vda1\n 254        2       3072 vda2\n"), r.stdout);
  assert.match(r.stdout, /brw-rw----\s+1 root\s+disk\s+254,\s+1 .* \/dev\/vda1/);
});

test("dd reads the image's bytes through /dev/vda1; writes reach the host file at sync, not before", () => {
  const img = image();
  const orig = readFileSync(img);
  // The guest sees the host file through a --mount, so it can check the disk itself before and after sync.
  const name = img.slice(dir.length + 1);
  const r = sh(
    `dd if=/dev/vda1 bs=4096 count=16 2>/dev/null | md5sum; ` +
    `dd if=/dev/vda2 of=/dev/vda1 bs=65536 count=4 2>/dev/null; ` +
    `dd if=/host/${name} bs=512 skip=2048 count=512 2>/dev/null | md5sum; ` +
    `sync; ` +
    `dd if=/host/${name} bs=512 skip=2048 count=512 2>/dev/null | md5sum`,
    { args: ["--disk", img, "--mount", `${dir}:/host`] });
  assert.equal(r.status, 0, explain(r));
  const sums = r.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0]);
  assert.equal(sums[0], md5(orig.subarray(P1, P1 + 65536)), "read through /dev/vda1");
  assert.equal(sums[1], md5(orig.subarray(P1, P1 + 262144)), "before sync the host file still has the old bytes");
  assert.equal(sums[2], md5(orig.subarray(P2, P2 + 262144)), "after sync it has the new ones");
  const now = readFileSync(img);
  assert.ok(now.subarray(P1, P1 + 262144).equals(orig.subarray(P2, P2 + 262144)), "vda1 holds vda2's first 256 KiB");
  assert.ok(now.subarray(P1 + 262144).equals(orig.subarray(P1 + 262144)), "nothing after the copy changed");
  assert.ok(now.subarray(0, P1).equals(orig.subarray(0, P1)), "nothing before vda1 changed");
});

test("what was written and not synced reaches the image when the system halts", () => {
  const img = image();
  const r = sh("printf tsix-halt-flush | dd of=/dev/vda2 bs=512 seek=7 conv=notrunc 2>/dev/null; grep Dirty /proc/meminfo", { args: ["--disk", img] });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /Dirty:\s+4 kB/, "one dirty 4 KiB buffer before exit");
  const now = readFileSync(img);
  assert.equal(now.subarray(P2 + 7 * 512, P2 + 7 * 512 + 15).toString(), "tsix-halt-flush");
});

test("a slow asynchronous disk: the reader sleeps in state D, wakes, and reads the right bytes", () => {
  const img = image();
  const orig = readFileSync(img);
  const r = tsix(["run", "--disk", img, "--disk-io", "async", "--", "sh", "-c",
    "dd if=/dev/vda1 of=/tmp/data bs=4096 count=40 2>/dev/null & p=$!; sleep 0.3; " +
    "cut -d' ' -f3 /proc/$p/stat; wait; md5sum /tmp/data; " +
    // One read(2) of 3 MiB spans several 1 MiB steps, each waiting for the disk: it still returns all 3 MiB.
    "dd if=/dev/vda1 bs=3M count=1 2>/dev/null | wc -c"],
  { env: { ...process.env, TSIX_DISK_DELAY_MS: "25" } });
  assert.equal(r.status, 0, explain(r));
  const out = r.stdout.trim().split("\n");
  assert.equal(out[0], "D", `dd's state while it waits for the disk: ${r.stdout}`);
  assert.equal(out[1].split(/\s+/)[0], md5(orig.subarray(P1, P1 + 40 * 4096)));
  assert.equal(out[2].trim(), String(3 << 20), "a long read that sleeps between its steps is not cut short");
});

test("/proc/diskstats counts exactly the requests of a known workload", () => {
  const img = image();
  const r = sh("dd if=/dev/vda1 of=/dev/null bs=4096 count=3 2>/dev/null; dd if=/dev/zero of=/dev/vda2 bs=4096 count=2 2>/dev/null; sync; " +
    "dd if=/dev/vda1 of=/dev/null bs=4096 count=3 2>/dev/null; cat /proc/diskstats; grep -E '^(hits|misses) ' /proc/tsix/buffercache", { args: ["--disk", img] });
  assert.equal(r.status, 0, explain(r));
  // The second read of the same 3 blocks comes from the buffer cache: 3 hits, no request. Misses: the MBR and the first read.
  assert.match(r.stdout, /\nhits 3\nmisses 4\n$/);
  const rows = new Map(r.stdout.trim().split("\n").filter((l) => /^\s*\d/.test(l)).map((l) => { const f = l.trim().split(/\s+/); return [f[2], f.slice(3).map(Number)] as const; }));
  // Fields: reads, merged, sectors read, ms, writes, merged, sectors written, ms, in flight, ms io, weighted, 4 discard fields, flushes, ms.
  const pick = (name: string): number[] => { const f = rows.get(name)!; return [f[0], f[1], f[2], f[4], f[5], f[6], f[8], f[15]]; };
  // dd's three read() calls are three requests (nothing to merge: each is alone in the queue).
  assert.deepEqual(pick("vda1"), [3, 0, 24, 0, 0, 0, 0, 0]);
  // sync writes the two abutting dirty blocks together: one request, one merged into it (block/blkdev.ts plug).
  assert.deepEqual(pick("vda2"), [0, 0, 0, 1, 1, 16, 0, 0]);
  // The disk counts its partitions' requests, plus the MBR read at boot (one 1 KiB block) and sync's one flush.
  assert.deepEqual(pick("vda"), [4, 0, 26, 1, 1, 16, 0, 1]);
  assert.equal(rows.get("vda1")!.length, 17, "17 counters after the name, as Linux 5.5+");
});

test("--disk FILE:ro: writes fail with 'Operation not permitted' and the image is unchanged", () => {
  const img = image();
  const before = md5(readFileSync(img));
  const r = sh("dd if=/dev/zero of=/dev/vda1 bs=512 count=1; echo rc=$?; cat /sys/block/vda/ro; dd if=/dev/vda1 bs=512 count=1 2>/dev/null | wc -c", { args: ["--disk", `${img}:ro`] });
  assert.match(r.stdout + r.stderr, /Operation not permitted/, explain(r));
  assert.match(r.stdout, /rc=1\n1\n\s*512\n/);
  assert.equal(md5(readFileSync(img)), before);
});

test("bad --disk arguments are one-line errors with a remedy and exit status 2", () => {
  const missing = tsix(["run", "--disk", join(dir, "nope.img"), "--", "true"]);
  assert.equal(missing.status, 2, explain(missing));
  assert.match(missing.stderr, /--disk: .*no such file.*truncate -s/);
  assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
  const isDir = tsix(["run", "--disk", dir, "--", "true"]);
  assert.equal(isDir.status, 2, explain(isDir));
  assert.equal(isDir.stderr.trim().split("\n").length, 1, isDir.stderr);
  const io = tsix(["run", "--disk-io", "fast", "--", "true"]);
  assert.equal(io.status, 2);
  assert.match(io.stderr, /--disk-io must be sync or async/);
  assert.ok(statSync(dir).isDirectory());
});
