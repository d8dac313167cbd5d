// Private anonymous mappings next to one with the same attributes merge
// with it (Linux's vma_merge: two adjacent anonymous mmaps are one line in
// /proc/PID/maps), and MAP_FIXED over such memory keeps the VMA whole. Without
// it, stress-ng --mmap's page-by-page remapping of a 256 MiB area made 65536
// VMAs and every insertion moved the whole list (bench/stressng.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { createMM, mapRegion, unmapRange, findVma, vmaCount } from "../../../kernel/mm/mm.js";
import { PROT_READ, PROT_WRITE, PROT_EXEC, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE } from "../../../kernel/abi/mman.js";

const P = 4096;

test("vma merge: adjacent anonymous mappings with equal attributes are one VMA; different protections, holes and MAP_FIXED keep Linux's shape", () => {
  const k = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 * 1024 * 1024, clock: "instret" }).kernel;
  const ctx = k.mmctx;
  const mm = createMM(ctx)!;
  const RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS;
  const base0 = vmaCount(mm);
  // Top-down placement puts each new page right below the last: they merge into one VMA.
  const first = mapRegion(ctx, mm, 0, P, RW, ANON, null, 0);
  for (let i = 1; i < 64; i++) assert.equal(mapRegion(ctx, mm, 0, P, RW, ANON, null, 0), first - i * P);
  assert.equal(vmaCount(mm), base0 + 1, "64 adjacent pages are one VMA");
  const v = findVma(mm, first)!;
  assert.deepEqual([v.start, v.end], [first - 63 * P, first + P]);
  const committed = ctx.vm.committed;
  // MAP_FIXED one page in the middle: still one VMA, the charge unchanged.
  assert.equal(mapRegion(ctx, mm, first - 10 * P, P, RW, ANON | MAP_FIXED, null, 0), first - 10 * P);
  assert.equal(vmaCount(mm), base0 + 1);
  assert.equal(ctx.vm.committed, committed);
  // A page with other protections splits it in three.
  assert.equal(mapRegion(ctx, mm, first - 20 * P, P, PROT_READ, ANON | MAP_FIXED, null, 0), first - 20 * P);
  assert.equal(vmaCount(mm), base0 + 3);
  // Put back with the same protections: the three merge again.
  assert.equal(mapRegion(ctx, mm, first - 20 * P, P, RW, ANON | MAP_FIXED, null, 0), first - 20 * P);
  assert.equal(vmaCount(mm), base0 + 1);
  assert.equal(ctx.vm.committed, committed);
  // A hole, then the page mapped back into it (MAP_FIXED_NOREPLACE): the two sides join.
  unmapRange(ctx, mm, first - 30 * P, first - 29 * P);
  assert.equal(vmaCount(mm), base0 + 2);
  assert.equal(mapRegion(ctx, mm, first - 30 * P, P, RW, ANON | MAP_FIXED_NOREPLACE, null, 0), first - 30 * P);
  assert.equal(vmaCount(mm), base0 + 1);
  assert.equal(ctx.vm.committed, committed);
  // Read-only next to read-write, or executable: separate VMAs.
  const ro = mapRegion(ctx, mm, 0, P, PROT_READ, ANON, null, 0);
  const rx = mapRegion(ctx, mm, 0, P, PROT_READ | PROT_EXEC, ANON, null, 0);
  assert.equal(vmaCount(mm), base0 + 3, `${ro} ${rx}`);
});
