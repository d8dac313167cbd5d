// swapoff when the area holds more than free RAM (syscalls/swap.ts unuseArea,
// mm/alloc.ts reclaimRetry): on a 16 MiB machine a program fills 20 MiB with
// only swap partition /dev/vda1 on, turns /dev/vda2 on and /dev/vda1 off.
// swapoff reads every page of vda1 back; the frames come from direct reclaim,
// which sends other pages to vda2 - never back to vda1, which is draining (as
// Linux's try_to_unuse with SWP_WRITEOK cleared) - so swapoff succeeds and
// the data is intact. Then swapoff of vda2 has no other place for its pages:
// ENOMEM, as on Linux, vda2 stays on, and the data is still intact.
// (Before reclaim was tried here, the first swapoff failed with ENOMEM.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { memoryDisk } from "../../../hw/disk.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";
import { mbrImage } from "../block/mbr.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;

function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (-?\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}

/** A disk with two 32 MiB swap partitions (type 0x82), each with mkswap's header. */
function twoSwapPartitions(): ReturnType<typeof memoryDisk> {
  const part = 32 * MIB, start1 = 2048, start2 = 2048 + part / 512;
  const d = memoryDisk(MIB + 2 * part);
  d.bytes.set(mbrImage(MIB + 2 * part, [{ type: 0x82, start: start1, sectors: part / 512 }, { type: 0x82, start: start2, sectors: part / 512 }]));
  d.bytes.set(makeSwapHeader(part / 4096, new Uint8Array(16).fill(1)), start1 * 512);
  d.bytes.set(makeSwapHeader(part / 4096, new Uint8Array(16).fill(2)), start2 * 512);
  return d;
}

for (const shared of [false, true]) {
  const what = shared ? "shared memory (MAP_SHARED)" : "anonymous memory";
  test(`swapoff of an area holding more than free RAM of ${what} moves pages to the other area; with no other area it is ENOMEM`, { skip: skipNoCC, timeout: 300_000 }, async () => {
  const args = ["/dev/vda1", "/dev/vda2", "20", ...(shared ? ["shared"] : [])];
  const r = await run("swapoff_move", { dir: PROGS, args, memBytes: 16 * MIB, disk: twoSwapPartitions(), timeoutMs: 240_000 });
  assert.equal(r.status, 0, explain(r));
  // The premise: what vda1 holds is more than the RAM that is free.
  const swapped = field(r.out, "swapped_kb"), free = field(r.out, "memfree_kb");
  assert.ok(swapped > free, `swapped ${swapped} kB, free ${free} kB`);
  // ... and it is this mapping's (for MAP_SHARED: pages of the shared object, counted by smaps as Linux does).
  assert.ok(field(r.out, "smaps_swap_kb") > free, explain(r));
  // swapoff of vda1 succeeds: everything on it came back, and to make room pages went to vda2.
  assert.equal(field(r.out, "swapoff_a"), 0, explain(r));
  // It read back more than the RAM that was free (slots whose page the swap cache still has in RAM need no read).
  assert.ok(field(r.out, "swapoff_a_in") * 4 > free, explain(r));
  assert.ok(field(r.out, "swapoff_a_out") > 0, explain(r));
  assert.ok(field(r.out, "on_b_kb") > 0, explain(r));
  assert.equal(field(r.out, "bad_after_a"), 0, explain(r));
  // vda2's pages have no other place: ENOMEM, the area stays, nothing is lost.
  assert.equal(field(r.out, "swapoff_b"), 12, explain(r));
  assert.equal(field(r.out, "bad_after_b"), 0, explain(r));
  assert.equal(field(r.out, "swaptotal_kb"), 32 * 1024 - 4, explain(r));
  const areas = r.k.mmctx.vm.swap.areas.filter((a) => a !== null);
  assert.equal(areas.length, 1);
  assert.equal(areas[0]!.draining, false, "the area that stayed takes pages again");
  assert.equal(r.k.mmctx.vm.counters.oomKill, 0);
  });
}
