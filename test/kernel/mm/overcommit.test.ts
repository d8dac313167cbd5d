// vm.overcommit_memory is read by the memory manager (mm/vmstate.ts): each
// mode refuses what Linux's overcommit-accounting document says it refuses,
// and /proc/meminfo's Committed_AS follows the charges.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { createMM, mapRegion } from "../../../kernel/mm/mm.js";
import { PROT_READ, PROT_EXEC, MAP_PRIVATE, MAP_ANONYMOUS } from "../../../kernel/abi/mman.js";
import { freeFrames } from "../../../kernel/mm/phys.js";
import { kmemFits } from "../../../kernel/mm/kmem.js";
import { ENOMEM } from "../../../kernel/abi/errno.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MEM = 64 * 1024 * 1024;

async function outcomes(mode: string): Promise<Map<string, string>> {
  const r = await run("mm_overcommit", { dir: PROGS, args: [mode], memBytes: MEM });
  assert.equal(r.status, 0, r.out + r.log);
  const m = new Map<string, string>();
  for (const line of r.out.split("\n")) {
    const [k, ...v] = line.split(" ");
    if (k) m.set(k, v.join(" "));
  }
  m.set("log", r.log);
  return m;
}

test("overcommit 1 (always): nothing is refused, not even 1 GiB on a 64 MiB machine", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const o = await outcomes("1");
  for (const k of ["small", "huge_rw", "past_limit_rw", "huge_noreserve", "huge_readonly", "mprotect_rw", "huge_shared_anon", "brk_past_limit"]) {
    assert.equal(o.get(k), "ok", `${k} in mode 1`);
  }
  assert.equal(o.get("small_charge_kb"), "4096", "a private writable mapping is charged in every mode");
  assert.equal(o.get("after_munmap_kb"), "0");
  assert.equal(o.get("end_charge_kb"), "0", "every charge was given back");
});

test("overcommit 0 (heuristic): a single request larger than RAM fails; smaller ones and MAP_NORESERVE pass", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const o = await outcomes("0");
  assert.equal(o.get("small"), "ok");
  assert.equal(o.get("huge_rw"), "ENOMEM", "1 GiB > 64 MiB RAM + no swap");
  assert.equal(o.get("huge_shared_anon"), "ENOMEM", "shared anonymous memory is charged too");
  assert.equal(o.get("huge_noreserve"), "ok", "MAP_NORESERVE is not charged in mode 0");
  assert.equal(o.get("huge_readonly"), "ok", "read-only private memory is not charged");
  assert.equal(o.get("mprotect_rw"), "ENOMEM", "making 1 GiB writable charges it");
  assert.equal(o.get("end_charge_kb"), "0");
});

test("overcommit 2 (never): CommitLimit = RAM * ratio / 100 is enforced on mmap, brk, mprotect and fork; Committed_AS follows", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const o = await outcomes("2");
  const head = /^2 MemTotal (\d+) CommitLimit (\d+)$/.exec(o.get("mode") ?? "");
  assert.ok(head, o.get("mode"));
  assert.equal(Number(head[2]), Math.floor((Number(head[1]) / 4) * 50 / 100) * 4, "CommitLimit = MemTotal * 50%");
  assert.equal(o.get("small"), "ok");
  assert.equal(o.get("small_charge_kb"), "4096");
  assert.equal(o.get("after_munmap_kb"), "0");
  assert.equal(o.get("past_limit_rw"), "ENOMEM", "what mode 1 allows, mode 2 refuses");
  assert.equal(o.get("huge_noreserve"), "ENOMEM", "MAP_NORESERVE is ignored in mode 2");
  assert.equal(o.get("huge_readonly"), "ok", "read-only private memory is not charged");
  assert.equal(o.get("mprotect_rw"), "ENOMEM");
  assert.equal(o.get("brk_past_limit"), "ENOMEM");
  assert.equal(o.get("fork_big"), "ENOMEM", "the child's copy of 60% of the room does not fit");
  assert.equal(o.get("end_charge_kb"), "0");
  assert.match(o.get("log") ?? "", /vm: overcommit_memory = 2/);
});

test("vm.max_map_count and vm.min_free_kbytes are read by their mechanisms (mmap's VMA limit, the kernel-object reserve)", () => {
  const k = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 * 1024 * 1024, clock: "instret" }).kernel;
  const mm = createMM(k.mmctx)!;
  k.mmctx.vm.maxMapCount = 2;
  let n = 0;
  const map = (): number => mapRegion(k.mmctx, mm, 0, 4096, n++ % 2 ? PROT_READ | PROT_EXEC : PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
  // Separate one-page VMAs (read-only, nothing is charged; neighbours differ in PROT_EXEC, so they do not merge as Linux's vma_merge would merge equal ones).
  const got = [map(), map(), map(), map()];
  assert.ok(got.slice(0, 3).every((a) => a > 0), String(got));
  assert.equal(got[3], -ENOMEM, "past max_map_count VMAs, mmap fails with ENOMEM");
  k.mmctx.vm.maxMapCount = 65530;
  assert.ok(map() > 0);
  // min_free_kbytes: a kernel-object charge may not take the reserve.
  assert.equal(k.pm.kmemBytes, 0, "nothing charged yet on a kernel that has not booted");
  const free = freeFrames(k.pm);
  k.pm.minFree = 0;
  assert.ok(kmemFits(k.mmctx, (free - 8) * 4096), "with no reserve, nearly all free memory may be charged");
  k.pm.minFree = free - 4;
  assert.ok(!kmemFits(k.mmctx, 8 * 4096), "with a reserve of all but 4 frames, 8 frames may not be charged");
  assert.ok(kmemFits(k.mmctx, 2 * 4096));
});

async function commitRun(mode: string): Promise<Map<string, string>> {
  const r = await run("mm_commit", { dir: PROGS, args: [mode], memBytes: 16 * 1024 * 1024 });
  assert.equal(r.status, 0, r.out + r.log);
  return new Map(r.out.split("\n").filter(Boolean).map((l) => { const [k, ...v] = l.split(" "); return [k, v.join(" ")]; }));
}

test("overcommit 2: mmaps one page at a time are refused exactly at CommitLimit (granted = CommitLimit - Committed_AS, less the last page, as Linux's strict <)", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const o = await commitRun("2");
  const limit = Number(o.get("CommitLimit")), committed = Number(o.get("Committed_AS")), granted = Number(o.get("granted_kb"));
  assert.equal(o.get("refused"), "ENOMEM");
  assert.ok(limit > 0 && committed > 0 && granted > 0, JSON.stringify([...o]));
  assert.equal(granted, limit - committed - 4, "granted up to one page below CommitLimit");
  assert.equal(Number(o.get("after_kb")), limit - 4, "Committed_AS ends one page below CommitLimit");
});

test("overcommit 1: an 8 GiB private writable mapping is granted and charged but never resident", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const o = await commitRun("1");
  assert.equal(o.get("map8g"), "ok");
  assert.equal(Number(o.get("grew_kb")), 8 * 1024 * 1024, "Committed_AS counts it (mode 1 accounts, it just never refuses)");
  assert.ok(Number(o.get("rss_kb")) < 1024, "nothing was touched");
  assert.equal(Number(o.get("unmapped_kb")), 0);
});

test("overcommit 0: a single request of exactly RAM + swap passes, one page more is refused", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const o = await commitRun("0");
  assert.equal(o.get("ram_plus_swap"), "ok");
  assert.equal(o.get("one_page_more"), "ENOMEM");
});
