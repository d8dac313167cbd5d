// The kernel's ASIDs (kernel/mm/asid.ts) with the machine's ASID-banked TLB
// (hw/core/mmu.ts): many processes with the same virtual addresses holding
// different data switch constantly through pipes, fork (copy-on-write),
// exec and map/unmap one fixed page (test/kernel/mm/progs/asid_churn.c). A
// TLB entry of one address space hitting in another, an ASID reused without
// a flush, or a PTE change left in the TLB shows up as wrong data and the
// program fails. Run with few ASIDs (vm.asid_max 3: a generation rollover
// every few switches), with the default (on, all 65535: more live address
// spaces than the TLB has banks), on two harts, and with ASIDs off; and
// `tsix run --sysctl vm.asid_max=N` sets the limit at boot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { run, explain, program, skipNoCC, SRC_ROOT, type RunResult } from "../fs/harness.js";
import { asidSetMax } from "../../../kernel/mm/asid.js";
import { tsix, explain as explainCli } from "../harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");

async function churn(max: number | null, cpus: number, args: string[]): Promise<RunResult> {
  const r = await run("asid_churn", {
    dir: PROGS, args, cpus, timeoutMs: 240_000,
    setup: (k) => { if (max !== null) asidSetMax(k.mmctx.vm.asid, max); },
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /asid_churn ok/, explain(r));
  return r;
}

test("asid: the churn program's checks hold on qemu-riscv64 (reference; exec rounds left out)", { skip: skipNoCC }, (t) => {
  if (spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status !== 0) { t.skip("no qemu-riscv64"); return; }
  program("asid_churn", PROGS);
  const bin = join(SRC_ROOT, "build");
  const r = spawnSync("sh", ["-c", `qemu-riscv64 "$(ls -t ${bin}/*/asid_churn-* | head -1)" 3 3 20 noexec`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /asid_churn ok/);
});

test("asid: 3 ASIDs, a rollover every few switches: fork/exec/munmap/COW churn keeps every process's data", { skip: skipNoCC }, async () => {
  const r = await churn(3, 1, ["6", "3", "12"]);
  const a = r.k.mmctx.vm.asid;
  // 1 + 6 * 3 processes, half of the children exec'd (a second mm): far more mms than 3 ASIDs.
  assert.ok(a.rollovers >= 8, `rollovers ${a.rollovers}`);
  // Every generation hands out all 3 ASIDs before the next starts.
  assert.ok(a.allocs >= 3 * (a.rollovers - 1), `allocs ${a.allocs}, rollovers ${a.rollovers}`);
});

test("asid: on by default with all 65535 ASIDs, more live address spaces than the TLB's banks, no rollover", { skip: skipNoCC }, async () => {
  const r = await churn(null, 1, ["2", "10", "10"]);
  const a = r.k.mmctx.vm.asid;
  assert.equal(a.max, 65535);
  assert.equal(a.rollovers, 0); // nothing set vm.asid_max: the boot generation is the only one
  assert.ok(a.allocs >= 21, `allocs ${a.allocs}`);
});

test("asid: tsix run --sysctl vm.asid_max=N sets it at boot (0 turns ASIDs off); a bad value is a one-line usage error", () => {
  const on = tsix(["run", "--", "cat", "/proc/sys/vm/asid_max"]);
  assert.equal(on.status, 0, explainCli(on));
  assert.equal(on.stdout, "65535\n");
  for (const v of ["0", "3"]) {
    const r = tsix(["run", "--sysctl", `vm.asid_max=${v}`, "--", "cat", "/proc/sys/vm/asid_max"]);
    assert.equal(r.status, 0, explainCli(r));
    assert.equal(r.stdout, `${v}\n`);
  }
  const bad = tsix(["run", "--sysctl", "vm.asid_max=65536", "--", "true"]);
  assert.equal(bad.status, 2, explainCli(bad));
  assert.match(bad.stderr, /bad value '65536' for vm.asid_max/);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
});

test("asid: two harts with 3 ASIDs: rollovers while the other hart runs an old-generation ASID", { skip: skipNoCC }, async () => {
  const r = await churn(3, 2, ["6", "3", "12"]);
  assert.ok(r.k.mmctx.vm.asid.rollovers >= 8, `rollovers ${r.k.mmctx.vm.asid.rollovers}`);
});

test("asid: vm.asid_max 0 turns ASIDs off (every switch flushes), and the churn still holds", { skip: skipNoCC }, async () => {
  const r = await churn(0, 1, ["2", "3", "8"]);
  assert.equal(r.k.mmctx.vm.asid.allocs, 0);
});

// Demand paging writes a PTE that was not valid and does not flush the TLB
// for it (kernel/mm/fault.ts): no hart caches a failed translation. Before
// that change this program saw one flush per page (4,096 or more); the
// flushes where a valid PTE changes (read-only, munmap) still happen, or the
// program's stale-translation checks fail.
test("asid: touching 4,096 fresh pages flushes no TLB entry; mprotect and munmap still drop stale ones", { skip: skipNoCC }, async () => {
  const r = await run("fresh_flush", { dir: PROGS });
  assert.equal(r.status, 0, r.out + r.log);
  assert.match(r.out, /fresh_flush ok/, r.out);
  const m = /pages (\d+) flushes (\d+)/.exec(r.out);
  assert.ok(m, r.out);
  assert.ok(Number(m[2]) < Number(m[1]) / 64, `flushes while faulting in ${m[1]} pages: ${m[2]}`);
});
