// Swap for tmpfs files (kernel/mm/tmpfs_swap.ts): a memfd and a shm_open
// file on a tmpfs at /dev/shm, together bigger than RAM, go to swap with
// their entries in the files' page indexes; every byte comes back through
// read(2) and through a shared mapping (on a disk that answers at once and
// on one that answers later, where the reads and faults sleep in D); stores
// through the mapping survive another trip; truncation frees the slots and
// zeros the cut; /proc/swaps' Used is back at its start value afterwards.
// Without swap the same worker is OOM-killed. progs/tmpfs_swap.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "../fs/harness.js";
import { PROGS, MEM, field, swapMemoryDisk, swapAsyncDisk } from "./swap_harness.js";

function checkSwapped(r: Awaited<ReturnType<typeof run>>): void {
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^worker: ok$/m, explain(r));
  // 28 MiB of tmpfs data on a 16 MiB machine: it went out to swap while being written ...
  assert.ok(field(r.out, "pswpout") >= 3000, explain(r));
  assert.ok(field(r.out, "swap_used_filled_kb") >= 12 * 1024, explain(r));
  // ... and every word comes back through read(2) and through mappings.
  for (const f of ["memfd_read", "shm_read", "memfd_map", "shm_map", "map_write", "trunc_keep", "trunc_zero"]) assert.equal(field(r.out, f), 0, `${f}\n${explain(r)}`);
  // smaps counts the mapped file's pages on swap.
  assert.ok(field(r.out, "smaps_swap_kb") > 0, explain(r));
  // Truncate, unlink and close freed every slot of the 28 MiB: /proc/swaps' Used is back at its start
  // value but for the parent's own pages that went out meanwhile (VmSwap) and the swap cache (SwapCached;
  // the two may share slots, so their sum bounds the rest), and the kernel has no tmpfs page on swap.
  const extra = field(r.out, "used_end") - field(r.out, "used_start");
  assert.ok(extra >= 0 && extra <= field(r.out, "parent_swap_kb") + field(r.out, "swap_cached_kb"), explain(r));
  assert.equal(field(r.out, "swapoff"), 0, explain(r));
  assert.equal(field(r.out, "used_off"), 0, explain(r));
  assert.equal(r.k.mmctx.vm.swap.tmpfsSwapped, 0);
  assert.equal(r.k.mmctx.vm.swapPages, 0);
  assert.equal(r.k.mmctx.vm.counters.oomKill, 0, explain(r));
}

test("a memfd and a /dev/shm file bigger than RAM go through swap: every byte back by read(2) and mmap, truncate/unlink free the slots", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const d = swapMemoryDisk(64, 3);
  checkSwapped(await run("tmpfs_swap", { dir: PROGS, args: ["/dev/vda"], memBytes: MEM, disk: d, timeoutMs: 280_000 }));
});

test("without swap the same tmpfs worker does not fit and is OOM-killed; the system goes on", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const r = await run("tmpfs_swap", { dir: PROGS, memBytes: MEM, timeoutMs: 280_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^worker: signal 9$/m, explain(r));
  assert.ok(r.k.mmctx.vm.counters.oomKill >= 1, explain(r));
});

test("tmpfs pages through swap on a disk that answers later: reads and faults sleep in D, every byte comes back", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const disk = swapAsyncDisk(64, 4);
  checkSwapped(await run("tmpfs_swap", { dir: PROGS, args: ["/dev/vda"], memBytes: MEM, disk, clock: "host", timeoutMs: 280_000 }));
});
