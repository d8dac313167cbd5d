// Swap readahead (kernel/mm/swap.ts readAround, /proc/sys/vm/page-cluster),
// on the deterministic instret clock with a swap disk as /dev/vda: 256 pages
// swapped out in order are read back in order with page-cluster 0 (every
// page is a major fault) and 3 (one major fault per aligned cluster of 8
// slots; the other 7 pages are read ahead into the swap cache and their
// faults are minor: swap_ra and swap_ra_hit in /proc/vmstat). The disk reads
// the same 256 pages either way (one 4 KiB request per page: the block layer
// does not merge requests yet). page-cluster outside 0..31 is EINVAL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { memoryDisk } from "../../../hw/disk.js";
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
  // Without readahead: every one of the 256 pages is a major fault and a disk read.
  assert.deepEqual(off, { majflt: 256, reads: 256, sectors: 2048, swap_ra: 0, swap_ra_hit: 0, bad: 0 }, explain(r));
  // With clusters of 8 slots (slot 0 is the header, so the first cluster has 7): 1 + 32 major faults,
  // the other 223 pages read ahead and every one of them used.
  assert.deepEqual(on, { majflt: 33, reads: 256, sectors: 2048, swap_ra: 223, swap_ra_hit: 223, bad: 0 }, explain(r));
  assert.match(r.out, /^set_-1=22 set_32=22 set_31=0 set_x=22$/m, explain(r));
});
