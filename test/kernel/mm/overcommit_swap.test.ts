// Overcommit mode 2 with a swap area on: CommitLimit = swap + RAM * ratio / 100
// (Documentation/mm/overcommit-accounting.rst), so the same program is granted
// exactly the swap area's pages more than without swap, and is refused with
// ENOMEM exactly at the limit (test/kernel/mm/progs/mm_commit.c).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { memoryDisk } from "../../../hw/disk.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";
import { swaponAtBoot } from "../../../kernel/syscalls/swap.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;

async function commit2(swapMib: number): Promise<{ limit: number; committed: number; granted: number; after: number; refused: string; swapKb: number; ramKb: number }> {
  const disk = memoryDisk(Math.max(swapMib, 1) * MIB);
  if (swapMib > 0) disk.bytes.set(makeSwapHeader((swapMib * MIB) / 4096, new Uint8Array(16).fill(7)), 0);
  const r = await run("mm_commit", {
    dir: PROGS, args: ["2"], memBytes: 16 * MIB, disk,
    setup: (k) => { if (swapMib > 0) assert.equal(swaponAtBoot(k, "vda"), 0); },
  });
  assert.equal(r.status, 0, r.out + r.log);
  const o = new Map(r.out.split("\n").filter(Boolean).map((l) => { const [a, ...b] = l.split(" "); return [a, b.join(" ")]; }));
  const ramKb = (r.k.pm.frames - r.k.pm.reserved) * 4;
  return {
    limit: Number(o.get("CommitLimit")), committed: Number(o.get("Committed_AS")), granted: Number(o.get("granted_kb")), after: Number(o.get("after_kb")),
    refused: o.get("refused") ?? "", swapKb: r.k.mmctx.vm.swapPages * 4, ramKb,
  };
}

test("overcommit 2 with swap: CommitLimit = swap + RAM * 50%, mmaps are refused with ENOMEM exactly at it, and it grants exactly the swap area more than without", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const none = await commit2(0);
  const sw = await commit2(8);
  assert.equal(none.swapKb, 0);
  // mkswap's area: 8 MiB less the header page.
  assert.equal(sw.swapKb, 8 * 1024 - 4);
  for (const x of [none, sw]) {
    assert.equal(x.limit, Math.floor((x.ramKb / 4) * 50 / 100) * 4 + x.swapKb, `CommitLimit of ${JSON.stringify(x)}`);
    assert.equal(x.refused, "ENOMEM");
    assert.equal(x.granted, x.limit - x.committed - 4, "granted up to one page below CommitLimit (Linux's strict <)");
    assert.equal(x.after, x.limit - 4);
  }
  assert.equal(sw.limit - none.limit, sw.swapKb);
  assert.equal(sw.granted - none.granted, sw.swapKb - (sw.committed - none.committed), "the swap area's pages more");
  assert.ok(sw.granted > none.granted);
});
