// procps in the default image (userland/image/build.ts DEFAULT_PICKS): free,
// vmstat and pmap run and show what /proc says. free and vmstat run in
// their own processes, so the free-memory figures may differ from a
// /proc/meminfo read a moment before by what those processes hold; totals,
// swap, buffers and shared memory must be exact, and free's own columns
// must add up (used = total - free - buff/cache) as procps computes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tsix, explain } from "../harness.js";

function meminfo(text: string): Map<string, number> {
  return new Map([...text.matchAll(/^(\S+):\s+(\d+)(?: kB)?$/gm)].map((m) => [m[1], Number(m[2])]));
}

test("free -k (busybox, from sysinfo(2)) and vmstat 1 2 (procps) show /proc/meminfo's numbers; pmap -x sums a process's mappings", { timeout: 180_000 }, () => {
  const r = tsix(["run", "--", "sh", "-c",
    "free -k >/dev/null; vmstat >/dev/null; cat /proc/meminfo; echo =====; free -k; echo =====; vmstat 1 2; echo =====; pmap -x 1; echo =====; cat /proc/1/smaps_rollup"]);
  assert.equal(r.status, 0, explain(r));
  const [mi, fr, vm, pmap, roll] = r.stdout.split("=====\n");
  const m = meminfo(mi);
  const mem = /^Mem:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(fr);
  const swap = /^Swap:\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(fr);
  assert.ok(mem && swap, fr);
  const [total, used, free, shared, buffCache, available] = mem.slice(1).map(Number);
  assert.equal(total, m.get("MemTotal"));
  // Shmem counts the tmpfs root's pages, which grow as programs (free itself) are first read: a few pages apart.
  assert.ok(shared > 0 && Math.abs(shared - m.get("Shmem")!) <= 1024, `shared ${shared} vs Shmem ${m.get("Shmem")}`);
  assert.equal(used, total - free - buffCache, "procps: used = total - free - buff/cache");
  assert.ok(Math.abs(free - m.get("MemFree")!) <= 1024, `free ${free} vs MemFree ${m.get("MemFree")}`);
  assert.ok(Math.abs(buffCache - (m.get("Buffers")! + m.get("Cached")! + m.get("SReclaimable")!)) <= 1024, `buff/cache ${buffCache}`);
  assert.ok(Math.abs(available - m.get("MemAvailable")!) <= 1024, `available ${available} vs ${m.get("MemAvailable")}`);
  assert.deepEqual(swap.slice(1).map(Number), [m.get("SwapTotal"), 0, m.get("SwapFree")]);
  // vmstat: a header and two samples; swpd, buff, si, so from the same files.
  const rows = vm.trim().split("\n");
  assert.equal(rows.length, 4, vm);
  assert.match(rows[1], /^ r  b   swpd   free   buff  cache   si   so/);
  for (const row of rows.slice(2)) {
    const c = row.trim().split(/\s+/).map(Number);
    assert.equal(c.length, 18, row);
    assert.equal(c[2], 0, "swpd");
    assert.ok(Math.abs(c[3] - m.get("MemFree")!) <= 1024, `vmstat free ${c[3]} vs MemFree ${m.get("MemFree")}`);
    assert.equal(c[4], m.get("Buffers"));
    assert.ok(Math.abs(c[5] - m.get("Cached")!) <= 1024, `vmstat cache ${c[5]} vs Cached ${m.get("Cached")}`);
    assert.deepEqual([c[6], c[7]], [0, 0], "si so");
  }
  // pmap -x 1: its total RSS line equals init's smaps_rollup Rss (init is idle, waiting for sh).
  const tot = /^total kB\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(pmap);
  const rss = /^Rss:\s+(\d+) kB$/m.exec(roll);
  assert.ok(tot && rss, pmap + roll);
  assert.equal(Number(tot[2]), Number(rss[1]), "pmap's RSS total is smaps' Rss");
});
