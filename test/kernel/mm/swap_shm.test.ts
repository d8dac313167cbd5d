// Swap for shared memory (kernel/mm/shmem_swap.ts): the pages of a
// MAP_SHARED|MAP_ANONYMOUS region shared by a parent and its child and of a
// System V segment, together bigger than RAM, go to swap with their entries
// in the object's page index, come back on a fault, and stay shared; swapoff
// brings them back while they are mapped. progs/swap_shm.c prints what it
// saw; without swap the same worker is OOM-killed, as before.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "../fs/harness.js";
import { PROGS, MEM, field, swapMemoryDisk, swapAsyncDisk } from "./swap_harness.js";

function checkSwapped(r: Awaited<ReturnType<typeof run>>): void {
  assert.equal(r.status, 0, explain(r));
  // 6 MiB region + 10 MiB segment on a 16 MiB machine: every word comes back, twice.
  assert.match(r.out, /^pass 1: 0 bad\npass 2: 0 bad$/m, explain(r));
  assert.match(r.out, /^worker: ok$/m, explain(r));
  // Both objects had pages on swap: the segment (shm_info's shm_swp) and the region (smaps' Swap:).
  assert.ok(field(r.out, "shm_swp") > 0, explain(r));
  assert.ok(field(r.out, "smaps_swap_kb") > 0, explain(r));
  // The child read the parent's bytes through swap, and the parent reads the child's writes.
  assert.equal(field(r.out, "child_bad"), 0, explain(r));
  assert.equal(field(r.out, "parent_sees_child"), 0, explain(r));
  // At least the excess over RAM went out and came back on each pass.
  assert.ok(field(r.out, "pswpout") >= 1024 && field(r.out, "pswpin") >= 2 * 1024, explain(r));
  // swapoff with the region still mapped: what was on swap is read back, nothing is left, the bytes are right.
  const out = field(r.out, "region_swap_kb");
  assert.ok(out > 0, explain(r));
  assert.equal(field(r.out, "swapoff"), 0, explain(r));
  assert.ok(field(r.out, "swapoff_in_kb") >= out, explain(r));
  assert.equal(field(r.out, "swap_used_kb"), 0, explain(r));
  assert.equal(field(r.out, "smaps_swap_after_kb"), 0, explain(r));
  assert.equal(field(r.out, "after_swapoff"), 0, explain(r));
  // Every slot was given back, and the counter of shared pages on swap is back to 0.
  assert.equal(r.k.mmctx.vm.swap.shmemSwapped, 0);
  assert.equal(r.k.mmctx.vm.swapPages, 0);
}

test("shared anonymous memory and a System V segment bigger than RAM go through swap and stay shared; swapoff brings them back", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const d = swapMemoryDisk(40, 5);
  checkSwapped(await run("swap_shm", { dir: PROGS, args: ["/dev/vda"], memBytes: MEM, disk: d, timeoutMs: 240_000 }));
  // The control: without swap the same worker does not fit and the OOM killer takes it; the system goes on.
  const r0 = await run("swap_shm", { dir: PROGS, memBytes: MEM, timeoutMs: 240_000 });
  assert.equal(r0.status, 0, explain(r0));
  assert.match(r0.out, /^worker: signal 9$/m, explain(r0));
  assert.equal(r0.k.mmctx.vm.counters.oomKill, 1, explain(r0));
});

test("shared memory through swap on a disk that answers later: faults sleep in D and every byte comes back", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const disk = swapAsyncDisk(40, 6);
  checkSwapped(await run("swap_shm", { dir: PROGS, args: ["/dev/vda"], memBytes: MEM, disk, clock: "host", timeoutMs: 240_000 }));
});
