// Dirty file pages written back by reclaim (kernel/mm/reclaim.ts pageOut,
// InodeOps.writePage in ext2 and hostfs). progs/mm_writeback.c maps a file
// MAP_SHARED that is bigger than the machine's RAM (16 MiB, no swap) and
// writes a pattern into every page:
//   - on an ext2 disk: with the old reclaim (dirty pages never taken) the
//     program is OOM-killed; now reclaim writes pages back and drops them,
//     nr_vmscan_write > 0, every byte reads back through read(2), the size
//     does not change, e2fsck -fn is clean and debugfs reads the same bytes
//     from the image. Two rounds: each page is written back, dropped, read
//     again and dirtied again, and the second round's bytes are the ones
//     that end up on the disk (a re-dirtied page is not lost). The page-outs
//     are plugged: /proc/diskstats shows merged writes on vda. The same on
//     a disk that answers later (--disk-io async), where page-outs were
//     skipped before and the workload was OOM-killed;
//   - the D-bit race: pages msync wrote (clean again, still mapped
//     writable) and then stored to without a fault are dirty only in their
//     PTEs' D bits; reclaim writes them again instead of dropping them;
//   - clean ext2 pages are dropped too, and on a disk that answers later
//     their refault sleeps in D on the block read and reruns (before, ext2
//     pages were never dropped, and an ext2 page fault that had to wait for
//     the disk was a SIGBUS);
//   - on a hostfs --mount directory: the host file has the pattern;
//   - a file truncated while its pages are dirty keeps its new size under
//     reclaim, and the truncated range reads as zeros once the file grows
//     again;
//   - a read-only mount gives no shared writable mapping (EROFS, EACCES).
//
// Concepts: C54 (reclaim: dirty file pages written back), C56 (reclaim
// before the OOM killer), C74 (page cache write-back).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { run, explain, skipNoCC, SRC_ROOT, type RunResult } from "../fs/harness.js";
import { openFileDisk } from "../../../host/node/file_disk.js";
import { nodeHostFs } from "../../../host/node/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";
import { haveE2fs, mkfs, fsck, debugfs, cleanup } from "../fs/ext2/images.js";

const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);
const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;
const MEM = 16 * MIB;
// Bigger than RAM, and not a whole number of pages: the last page lies partly past EOF.
const SIZE = 20 * MIB + 1000;
const work = mkdtempSync(join(tmpdir(), "tsix-writeback-"));
after(() => cleanup(work));

/** The program's pattern: 32-bit word i of round r (little endian). */
function expected(size: number, r: number): Uint8Array {
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i * 4 < size; i++) {
    const w = (Math.imul((i ^ Math.imul(r, 0x01000193)) >>> 0, 2654435761) ^ r) >>> 0;
    if (i * 4 + 4 <= size) dv.setUint32(i * 4, w, true);
    else for (let b = 0; i * 4 + b < size; b++) out[i * 4 + b] = (w >>> (8 * b)) & 255;
  }
  return out;
}

function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}

/** A whole-disk ext2 image (4 KiB blocks) with /f holding "ro file\n". */
function ext2Image(name: string, mib: number): string {
  const tree = join(work, `${name}-tree`);
  mkdirSync(tree);
  writeFileSync(join(tree, "f"), "ro file\n");
  const img = join(work, `${name}.img`);
  mkfs(img, { blockSize: 4096, sizeMiB: mib }, tree);
  return img;
}

function sameBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const i = got.findIndex((b, j) => b !== want[j]);
  assert.equal(i, -1, `${what}: first difference at byte ${i}`);
}

function checkReclaimWrote(r: RunResult): void {
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^mm_writeback: ok$/m, explain(r));
  assert.doesNotMatch(r.out, /FAIL/, explain(r));
  assert.equal(field(r.out, "oom_kill"), 0, explain(r));
  // The file has 5121 pages, RAM 4096 frames: most of them were written back by reclaim, and dropped.
  const written = field(r.out, "nr_vmscan_write");
  assert.ok(written >= 1000, `nr_vmscan_write ${written}\n${explain(r)}`);
  assert.ok(field(r.out, "pgsteal_file") >= written, explain(r));
  // What the program read is the kernel's counter (which may have moved on since, while the program read the file back).
  assert.ok(r.k.mmctx.vm.counters.nrVmscanWrite >= written, explain(r));
  assert.match(r.out, new RegExp(`^size ${SIZE}$`, "m"), explain(r));
}

/** The map workload on an ext2 disk answering at once (sync) or later (async): written back twice, byte-identical, fsck clean; merged writes. */
async function mapTwice(io: "sync" | "async"): Promise<void> {
  const img = ext2Image(`map-${io}`, 64);
  const disk = openFileDisk(img, { io });
  const t0 = Date.now();
  const r = await run("mm_writeback", { dir: PROGS, args: ["map", "/mnt/big", String(SIZE), "2", "/dev/vda"], memBytes: MEM, disk, timeoutMs: 500_000, ...(io === "async" ? { clock: "host" as const } : {}) });
  const ms = Date.now() - t0;
  checkReclaimWrote(r);
  assert.match(r.out, /^round 2 written$/m);
  // Reclaim's page-outs go to the disk under one plug: neighbouring dirty pages of the file become merged requests.
  const merged = field(r.out, "vda_writes_merged");
  assert.ok(merged > 0, `vda_writes_merged ${merged}\n${explain(r)}`);
  // What the benchmark notes quote (issue 9): page-outs, disk writes and merges, and the run's wall time.
  console.log(`writeback ${io}: nr_vmscan_write ${field(r.out, "nr_vmscan_write")} vda_writes ${field(r.out, "vda_writes")} vda_writes_merged ${merged} wall ${ms} ms`);
  const f = fsck(img);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}\n${explain(r)}`);
  const out = join(work, `big-${io}.out`);
  debugfs(img, `dump /big ${out}`);
  sameBytes(readFileSync(out), expected(SIZE, 2), "the image's /big");
}

test("ext2: a MAP_SHARED file bigger than RAM, dirtied twice: reclaim writes it back; every byte reads back, e2fsck clean, debugfs sees the bytes", { skip, timeout: 600_000 }, async () => {
  await mapTwice("sync");
});

test("ext2 on a disk that answers later (--disk-io async): the same workload (OOM-killed before: no page-out to such a disk) is written back with its writes in flight; byte-identical, e2fsck clean", { skip, timeout: 600_000 }, async () => {
  await mapTwice("async");
});

test("ext2 on a disk that answers later: clean pages of a mapping bigger than RAM are dropped and read again in faults that sleep in D", { skip, timeout: 600_000 }, async () => {
  const tree = join(work, "clean-tree");
  mkdirSync(tree);
  writeFileSync(join(tree, "f"), expected(SIZE - 1000, 1));
  const img = join(work, "clean.img");
  mkfs(img, { blockSize: 4096, sizeMiB: 64 }, tree);
  const disk = openFileDisk(img, { io: "async" });
  const r = await run("mm_writeback", { dir: PROGS, args: ["read", "/dev/vda", "/mnt/f"], memBytes: MEM, disk, clock: "host", timeoutMs: 500_000 });
  assert.equal(r.status, 0, explain(r));
  assert.doesNotMatch(r.out, /FAIL/, explain(r));
  assert.match(r.out, /^mm_writeback: ok$/m, explain(r));
  assert.equal(field(r.out, "oom_kill"), 0, explain(r));
  // The second pass read again what reclaim had dropped (5120 pages, 4096 frames).
  assert.ok(field(r.out, "workingset_refault_file") >= 1000, explain(r));
  assert.equal(field(r.out, "nr_vmscan_write"), 0, explain(r));
});

test("hostfs: a MAP_SHARED host file bigger than RAM: reclaim writes it back to the host", { skip: skipNoCC, timeout: 600_000 }, async () => {
  const dir = join(work, "share");
  mkdirSync(dir);
  const r = await run("mm_writeback", {
    dir: PROGS, args: ["map", "/host/big", String(SIZE), "1"], memBytes: MEM, timeoutMs: 500_000,
    setup: (k, t) => assert.equal(mountHost(k, t, "/host", nodeHostFs(dir), dir), 0),
  });
  checkReclaimWrote(r);
  sameBytes(readFileSync(join(dir, "big")), expected(SIZE, 1), "the host file");
});

// The second pattern is stored by the program (only the PTE D bit knows, no fault), or by the kernel
// through read(2) from a pipe into the mapping (its stores must set D as the MMU's would).
for (const [how, name, extra] of [
  ["stored to again without a fault (only the PTE D bit knows)", "redirty", []],
  ["then filled by read(2) from a pipe (the kernel's stores, not the program's)", "kredirty", ["read"]],
] as const) {
  test(`ext2: pages cleaned by msync and ${how} are written again by reclaim, not dropped`, { skip, timeout: 600_000 }, async () => {
    const img = ext2Image(name, 64);
    const disk = openFileDisk(img, { io: "sync" });
    const size = 8 * MIB;
    const r = await run("mm_writeback", { dir: PROGS, args: ["redirty", "/dev/vda", String(size), ...extra], memBytes: MEM, disk, timeoutMs: 500_000 });
    assert.equal(r.status, 0, explain(r));
    assert.doesNotMatch(r.out, /FAIL/, explain(r));
    assert.match(r.out, /^mm_writeback: ok$/m, explain(r));
    assert.ok(field(r.out, "nr_vmscan_write") > 0, explain(r));
    assert.equal(field(r.out, "oom_kill"), 0, explain(r));
    const out = join(work, `${name}.out`);
    debugfs(img, `dump /r ${out}`);
    sameBytes(readFileSync(out), expected(size, 2), "the image's /r");
  });
}

test("ext2: a file truncated while its mapped pages are dirty: reclaim writes nothing past EOF, truncated data stays gone", { skip, timeout: 600_000 }, async () => {
  const img = ext2Image("trunc", 64);
  const disk = openFileDisk(img, { io: "sync" });
  const size = 12 * MIB;
  const r = await run("mm_writeback", { dir: PROGS, args: ["trunc", "/dev/vda", String(size)], memBytes: MEM, disk, timeoutMs: 500_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^mm_writeback: ok$/m, explain(r));
  const half = size / 2 + 100;
  assert.match(r.out, new RegExp(`^size after pressure ${half}$`, "m"), explain(r));
  assert.ok(field(r.out, "nr_vmscan_write") > 0, explain(r));
  assert.equal(field(r.out, "oom_kill"), 0, explain(r));
  const f = fsck(img);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
  const out = join(work, "t.out");
  debugfs(img, `dump /t ${out}`);
  const want = expected(size, 7);
  want.fill(0, half);
  sameBytes(readFileSync(out), want, "the image's /t");
});

test("ext2 mounted read-only: no shared writable mapping of its files (EROFS, EACCES)", { skip, timeout: 120_000 }, async () => {
  const img = ext2Image("ro", 8);
  const disk = openFileDisk(img, { io: "sync" });
  const r = await run("mm_writeback", { dir: PROGS, args: ["ro", "/dev/vda"], disk, timeoutMs: 100_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^open O_RDWR: Read-only file system$/m, explain(r));
  assert.match(r.out, /^mmap shared writable: Permission denied$/m, explain(r));
  assert.match(r.out, /^mprotect to writable: Permission denied$/m, explain(r));
  assert.match(r.out, /^file byte 0 after a private store: r$/m, explain(r));
  assert.match(r.out, /^mm_writeback: ok$/m, explain(r));
  const f = fsck(img);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
});
