// The frame table's reverse map (kernel/mm/rmap.ts) stays exact: while a
// workload forks, breaks copy-on-write, unmaps, moves mappings with mremap,
// drops pages with madvise and exits, a check walks every page table of
// every live address space and compares, entry for entry, with the reverse
// map (rmapCheck). The checks run from the syscall-trace hook, so they see
// the system between system calls, with several processes alive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { defaultImage } from "../harness.js";
import { loadCore } from "../../../host/node/core.js";
import { bootKernel, type Kernel } from "../../../kernel/index.js";
import { createVm, runVm } from "../../../vmm/vmm.js";
import { rmapCheck, rmapMappers } from "../../../kernel/mm/rmap.js";
import { FRAME_ANON, FRAME_PAGECACHE, FRAME_SHMEM, FRAME_PAGETABLE, FRAME_FREE, PAGE_SIZE, RAM_BASE } from "../../../kernel/mm/phys.js";
import { type MM, vmaList } from "../../../kernel/mm/mm.js";
import { lookupPte, ptePa, PTE_V } from "../../../kernel/mm/pagetable.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");

/** Every live address space (threads share one; exited tasks have none). */
function liveMms(k: Kernel): MM[] {
  const out = new Set<MM>();
  for (const t of k.tasks.values()) if (t.mm && t.mm.root !== 0) out.add(t.mm);
  return [...out];
}

interface Checker { checks: number; maxEntries: number; maxMms: number; problems: string[] }

/** Run rmapCheck after every `every`-th system call; keep the first problems found. */
function installChecker(k: Kernel, every: number): Checker {
  const c: Checker = { checks: 0, maxEntries: 0, maxMms: 0, problems: [] };
  let n = 0;
  k.host.traceSyscall = () => {
    if (++n % every !== 0 || c.problems.length > 0) return;
    const mms = liveMms(k);
    c.checks++;
    c.maxEntries = Math.max(c.maxEntries, k.pm.rmap.used);
    c.maxMms = Math.max(c.maxMms, mms.length);
    const p = rmapCheck(k.pm, mms);
    if (p.length > 0) c.problems.push(`after syscall #${n}:`, ...p.slice(0, 10));
  };
  return c;
}

test("rmap: exact through fork, COW, munmap, mremap, madvise, shared and file mappings, exit (C workload)", { skip: skipNoCC, timeout: 120_000 }, async () => {
  let c: Checker | undefined;
  const r = await run("mm_rmap_work", { dir: PROGS, setup: (k) => { c = installChecker(k, 1); } });
  assert.equal(r.status, 0, r.out + r.log);
  assert.match(r.out, /rmap workload ok/);
  assert.ok(c, "the checker was installed");
  assert.deepEqual(c.problems, [], "every page table matches the reverse map after every system call");
  assert.ok(c.checks > 50, `checks ran (${c.checks})`);
  assert.ok(c.maxMms >= 2, "parent and child were alive at once during some checks");
  assert.ok(c.maxEntries > 64, `the map held the workload's pages (${c.maxEntries} entries)`);
  // Everything has exited: no address space is left, and so no entry.
  assert.deepEqual(rmapCheck(r.k.pm, liveMms(r.k)), []);
  assert.equal(r.k.pm.rmap.used, liveMms(r.k).reduce((n, mm) => n + mm.rss, 0), "entries left = pages still mapped");
});

test("rmap: frame owners and mappers of a forked COW page, a shared page and a page-cache page", { skip: skipNoCC, timeout: 120_000 }, async () => {
  // Stop the workload between its fork and its child's first write (its first wait4)
  // and look at the frames the parent maps.
  const seen: { owner: number; mappers: number; refs: number }[] = [];
  let done = false;
  const r = await run("mm_rmap_work", {
    dir: PROGS,
    setup: (k) => {
      k.host.traceSyscall = (t, nr) => {
        if (done || nr !== 220 /* clone */ || !t.mm) return;
        done = true;
        // The parent's first mmap'd region (64 anonymous pages, now COW-shared with the child).
        const va = vmaList(t.mm).find((v) => v.end - v.start === 64 * PAGE_SIZE && !v.backing)!.start;
        const pte = lookupPte(k.pm, t.mm.root, va);
        assert.ok(pte & PTE_V);
        const f = (ptePa(pte) - RAM_BASE) / PAGE_SIZE;
        seen.push({ owner: k.pm.owner[f], mappers: rmapMappers(k.pm, ptePa(pte)).length, refs: k.pm.refs[f] });
        const root = (t.mm.root - RAM_BASE) / PAGE_SIZE;
        seen.push({ owner: k.pm.owner[root], mappers: rmapMappers(k.pm, t.mm.root).length, refs: k.pm.refs[root] });
        for (const v of vmaList(t.mm)) {
          if (!v.backing || (v.backing.kind !== "shmem" && v.backing.kind !== "file")) continue;
          const p = lookupPte(k.pm, t.mm.root, v.start);
          if (!(p & PTE_V)) continue;
          const ff = (ptePa(p) - RAM_BASE) / PAGE_SIZE;
          seen.push({ owner: k.pm.owner[ff], mappers: rmapMappers(k.pm, ptePa(p)).length, refs: k.pm.refs[ff] });
        }
      };
    },
  });
  assert.equal(r.status, 0, r.out + r.log);
  const [cow, root, ...rest] = seen;
  assert.deepEqual(cow, { owner: FRAME_ANON, mappers: 2, refs: 2 }, "after fork: one anonymous frame, two mappings (parent, child)");
  assert.equal(root.owner, FRAME_PAGETABLE);
  assert.equal(root.mappers, 0, "page-table pages are not mapped by user PTEs");
  assert.ok(rest.some((x) => x.owner === FRAME_SHMEM && x.mappers === 2), JSON.stringify(rest));
  assert.ok(rest.some((x) => x.owner === FRAME_PAGECACHE && x.mappers >= 2 && x.refs > x.mappers), "a page-cache frame: the cache's reference plus one per mapping");
  assert.ok(!rest.some((x) => x.owner === FRAME_FREE));
});

test("rmap: exact while busybox sh forks, pipes, execs and exits", { timeout: 240_000 }, async () => {
  const img = await defaultImage();
  const chunks: string[] = [];
  const dec = new TextDecoder();
  const vm = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", consoleOut: (b) => chunks.push(dec.decode(b)), clock: "instret", memBytes: 64 * 1024 * 1024 });
  const k = vm.kernel;
  bootKernel(k, readFileSync(img.path), {
    args: ["--", "sh", "-c",
      "x=$(seq 1 300 | sort -rn | head -2 | tr '\\n' ' '); echo top $x; " +
      "for i in 1 2 3; do (echo sub $i | cat) ; done; " +
      "cat /proc/self/maps > /dev/null; ls /bin > /dev/null & wait; echo done"],
  });
  const c = installChecker(k, 3);
  const timer = setTimeout(() => { k.halted = true; k.exitStatus = 124; }, 200_000);
  let status: number;
  try {
    status = (await runVm(vm, { wakeIdle: () => new Promise((r) => setTimeout(r, 2)), yieldToHost: () => new Promise((r) => setImmediate(r)) })).status;
  } finally {
    clearTimeout(timer);
  }
  const out = chunks.join("");
  assert.equal(status, 0, out);
  assert.match(out, /top 300 299/);
  assert.match(out, /sub 3/);
  assert.match(out, /done/);
  assert.deepEqual(c.problems, []);
  assert.ok(c.checks > 100, `checks ran (${c.checks})`);
  assert.ok(c.maxMms >= 3, `several processes were checked at once (${c.maxMms})`);
});
