// /proc/pressure/io and the incremental PSI counts (kernel/sched/psi.ts):
// tasks asleep in D on a disk that answers later (host/node/file_disk.ts
// "async" with a delay) make io some grow; a CPU-only run stalls nothing,
// exactly, on the deterministic clock; a swap-in that sleeps on the disk is
// a memory stall, not I/O. Every run is in PSI's verify mode: at every
// scheduler change the running counts of tasks in an I/O wait and in a
// memory stall are compared with a scan of the task table, and must never
// disagree. progs/psi_io.c is the workload.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { openFileDisk } from "../../../host/node/file_disk.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";
import { psiSetVerify, MEMSTALL_NS } from "../../../kernel/sched/psi.js";
import type { Kernel } from "../../../kernel/kernel.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), "tsix-psiio-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** "some"/"full" totals (µs) of the pressure file `res` as the program printed it. */
function totals(out: string, res: string): [number, number] {
  const m = new RegExp(`^/proc/pressure/${res}:\\nsome avg10=\\S+ avg60=\\S+ avg300=\\S+ total=(\\d+)\\nfull avg10=\\S+ avg60=\\S+ avg300=\\S+ total=(\\d+)$`, "m").exec(out);
  assert.ok(m, `/proc/pressure/${res} in\n${out}`);
  return [Number(m[1]), Number(m[2])];
}
function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (-?\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}
/** The verify mode saw no disagreement, and nothing is counted once every task is gone. */
function countsExact(k: Kernel): void {
  assert.ok(k.psi, "psi state");
  assert.equal(k.psi.verify, true);
  assert.equal(k.psi.verifyErrors, 0, "running counts disagreed with a scan of the task table");
  assert.deepEqual([k.psi.nrIowait, k.psi.nrMemstall], [0, 0]);
}
function asyncDisk(name: string, bytes: Uint8Array): ReturnType<typeof openFileDisk> {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return openFileDisk(p, { io: "async", delayMs: 1 });
}

test("psi io: readers asleep on a slow disk (mixed with pipes, sleeps, SIGSTOP in D) make io some > 0 and stall nothing on memory; the running counts always match a scan", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("psi_io", { dir: PROGS, args: ["io", "/dev/vda"], disk: asyncDisk("io.img", new Uint8Array(32 * MIB).fill(7)), clock: "host", timeoutMs: 200_000, setup: (k) => psiSetVerify(k, true) });
  assert.equal(r.status, 0, explain(r));
  assert.equal(field(r.out, "children_bad"), 0, explain(r));
  const [ioSome, ioFull] = totals(r.out, "io");
  // At least one read slept for the disk's 1 ms delay.
  assert.ok(ioSome >= 1000, `io some ${ioSome} us\n${explain(r)}`);
  assert.ok(ioFull <= ioSome, explain(r));
  assert.deepEqual(totals(r.out, "memory"), [0, 0], explain(r));
  countsExact(r.k);
});

test("psi io: a CPU-only run on the deterministic clock has io and memory totals of exactly 0", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("psi_io", { dir: PROGS, args: ["cpu"], setup: (k) => psiSetVerify(k, true) });
  assert.equal(r.status, 0, explain(r));
  assert.deepEqual(totals(r.out, "io"), [0, 0], explain(r));
  assert.deepEqual(totals(r.out, "memory"), [0, 0], explain(r));
  countsExact(r.k);
});

test("psi: a swap-in that sleeps on a slow disk is a memory stall (more than the fixed cost of the stall events), and io stays below it", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const b = new Uint8Array(40 * MIB);
  b.set(makeSwapHeader((40 * MIB) / 4096, new Uint8Array(16).fill(9)), 0);
  const r = await run("psi_io", { dir: PROGS, args: ["swap", "/dev/vda"], memBytes: 16 * MIB, disk: asyncDisk("swap.img", b), clock: "host", timeoutMs: 280_000, setup: (k) => psiSetVerify(k, true) });
  assert.equal(r.status, 0, explain(r));
  assert.equal(field(r.out, "bad"), 0, explain(r));
  const pswpin = field(r.out, "pswpin");
  assert.ok(pswpin > 1000, explain(r));
  const [memSome] = totals(r.out, "memory");
  const [ioSome] = totals(r.out, "io");
  // Each refault, swap-in and direct reclaim costs MEMSTALL_NS in the fault path (host clock: added to the totals).
  // What is over that is the time tasks slept on swap reads: without it counted as memory, the excess is <= 0.
  const events = pswpin + field(r.out, "workingset_refault_file") + field(r.out, "allocstall");
  const excess = memSome - (events * MEMSTALL_NS) / 1000;
  assert.ok(excess >= 1000, `memory some ${memSome} us, ${events} stall events: excess ${excess} us\n${explain(r)}`);
  assert.ok(ioSome < memSome, `io some ${ioSome} us >= memory some ${memSome} us\n${explain(r)}`);
  countsExact(r.k);
});
