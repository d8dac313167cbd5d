// Swap readahead (kernel/mm/swap.ts readAround, /proc/sys/vm/page-cluster),
// on the deterministic instret clock with a swap disk as /dev/vda: 256 pages
// swapped out in order are read back in order with page-cluster 0 (every
// page is a major fault) and 3 (one major fault per aligned cluster of 8
// slots; the other 7 pages are read ahead into the swap cache and their
// faults are minor: swap_ra and swap_ra_hit in /proc/vmstat). The disk reads
// the same 256 pages (2048 sectors) either way, but with readahead a
// cluster's slots are started together and the block layer merges them
// (block/blkdev.ts plug): one disk request per cluster, the other pages
// counted as merged in /proc/diskstats. page-cluster outside 0..31 is EINVAL.
// The second test runs the same program on a disk that answers later
// (host/node/file_disk.ts "async") and counts the requests at the device
// model itself (hw/devices/virtio_blk.ts stats).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { memoryDisk } from "../../../hw/disk.js";
import { openFileDisk } from "../../../host/node/file_disk.js";
import { lookupBlockDevice } from "../../../kernel/block/blkdev.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;

function row(out: string, pc: number): Record<string, number> {
  const m = new RegExp(`^pc=${pc}((?: \\w+=-?\\d+)*)$`, "m").exec(out);
  assert.ok(m, `pc=${pc} in\n${out}`);
  const o: Record<string, number> = {};
  for (const kv of m[1].trim().split(" ")) { const [k, v] = kv.split("="); o[k] = Number(v); }
  return o;
}

test("swap readahead: page-cluster 3 reads a sequential region back with 33 major faults instead of 256; 0 turns it off; EINVAL outside 0..31", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const d = memoryDisk(8 * MIB);
  d.bytes.set(makeSwapHeader((8 * MIB) / 4096, new Uint8Array(16).fill(3)), 0);
  const r = await run("swap_ra", { dir: PROGS, args: ["/dev/vda"], memBytes: 16 * MIB, disk: d, timeoutMs: 150_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^default=3$/m, explain(r));
  const off = row(r.out, 0), on = row(r.out, 3);
  // Without readahead: every one of the 256 pages is a major fault and a disk read; nothing to merge.
  assert.deepEqual(off, { majflt: 256, reads: 256, merged: 0, sectors: 2048, swap_ra: 0, swap_ra_hit: 0, bad: 0 }, explain(r));
  // With clusters of 8 slots (slot 0 is the header, so the first cluster has 7): 1 + 32 major faults,
  // the other 223 pages read ahead and every one of them used; each cluster is one merged disk request.
  assert.deepEqual(on, { majflt: 33, reads: 33, merged: 223, sectors: 2048, swap_ra: 223, swap_ra_hit: 223, bad: 0 }, explain(r));
  assert.match(r.out, /^set_-1=22 set_32=22 set_31=0 set_x=22$/m, explain(r));
});

test("merged swap-in requests on a disk that answers later: the device model serves one request per cluster, every byte comes back", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-swapra-"));
  try {
    const p = join(dir, "swap.img");
    const b = new Uint8Array(8 * MIB);
    b.set(makeSwapHeader((8 * MIB) / 4096, new Uint8Array(16).fill(5)), 0);
    writeFileSync(p, b);
    const disk = openFileDisk(p, { io: "async", delayMs: 1 });
    const r = await run("swap_ra", { dir: PROGS, args: ["/dev/vda"], memBytes: 16 * MIB, disk, clock: "host", timeoutMs: 200_000 });
    assert.equal(r.status, 0, explain(r));
    const off = row(r.out, 0), on = row(r.out, 3);
    // Byte-exact both ways; the same 256 pages read.
    assert.deepEqual([off.bad, off.sectors, on.bad, on.sectors], [0, 2048, 0, 2048], explain(r));
    assert.deepEqual([off.reads, off.merged], [256, 0], explain(r));
    // Readahead: the 256 pages came in at most one request per cluster of 8 (33 clusters), the rest merged into them.
    assert.ok(on.reads <= 33 && on.reads + on.merged === 256 && on.merged >= 223, explain(r));
    // At the device model: every read request it served is one the kernel counted as completed (merged ones are
    // single requests there too), and it moved far more pages than it served requests.
    const dev = r.k.machine.blk!.stats;
    const vda = lookupBlockDevice(r.k, 254 << 8)!;
    assert.equal(dev.reads, vda.stats.reads, explain(r));
    assert.equal(dev.bytesRead, vda.stats.sectorsRead * 512, explain(r));
    assert.ok(dev.reads * 1.5 < dev.bytesRead / 4096, `${dev.reads} device reads for ${dev.bytesRead / 4096} pages\n${explain(r)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
