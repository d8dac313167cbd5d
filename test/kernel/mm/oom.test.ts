// Running out of memory: reclaim is consulted first (allocstall_normal and
// pgscan_direct in /proc/vmstat move), then the OOM killer chooses a victim
// - which mm/oom.ts returns, and the trap code kills - and logs it to dmesg.
// The right process dies: the worst one by badness, the one oom_score_adj
// points at, or the allocating one under vm.oom_kill_allocating_task.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, skipNoCC, SRC_ROOT, type RunResult } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MEM = 24 * 1024 * 1024;

function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (-?\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}

function pids(r: RunResult): { idle: number; hog: number } {
  const m = /^idle=(\d+) hog=(\d+)$/m.exec(r.out);
  assert.ok(m, r.out);
  return { idle: Number(m[1]), hog: Number(m[2]) };
}

/** The pids named by dmesg's "Out of memory: Killed process PID" lines, in order. */
function killed(r: RunResult): number[] {
  return [...r.log.matchAll(/Out of memory: Killed process (\d+) \(mm_oom\)/g)].map((m) => Number(m[1]));
}

test("OOM: reclaim runs first, then the hog (worst badness) is killed by SIGKILL and the idle process lives", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("mm_oom", { dir: PROGS, args: ["plain"], memBytes: MEM });
  assert.equal(r.status, 0, r.out + r.log.slice(-3000));
  const { hog } = pids(r);
  assert.match(r.out, /^hog: signal 9$/m, r.out);
  assert.match(r.out, /^idle: alive$/m, r.out);
  assert.deepEqual(killed(r), [hog], r.log.slice(-3000));
  const stalls = field(r.out, "allocstall_normal"), kills = field(r.out, "oom_kill");
  assert.equal(kills, 1);
  assert.ok(stalls >= kills, `reclaim was entered before each OOM kill (allocstall ${stalls}, oom_kill ${kills})`);
  assert.ok(field(r.out, "pgscan_direct") >= 0);
  assert.equal(field(r.out, "pgsteal_direct"), 0, "reclaim frees nothing yet");
  assert.equal(r.k.mmctx.vm.counters.allocstall, stalls);
});

test("OOM: oom_score_adj 1000 makes the idle process the first victim; the hog dies next", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("mm_oom", { dir: PROGS, args: ["adj"], memBytes: MEM });
  assert.equal(r.status, 0, r.out + r.log.slice(-3000));
  const { idle, hog } = pids(r);
  assert.deepEqual(killed(r), [idle, hog], r.log.slice(-3000));
  assert.match(r.out, /^hog: signal 9$/m);
  assert.match(r.out, /^idle: signal 9$/m);
  assert.equal(field(r.out, "oom_kill"), 2);
});

test("OOM: vm.oom_kill_allocating_task=1 kills the task whose fault failed, not the one oom_score_adj points at", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("mm_oom", { dir: PROGS, args: ["alloc"], memBytes: MEM });
  assert.equal(r.status, 0, r.out + r.log.slice(-3000));
  const { hog } = pids(r);
  assert.deepEqual(killed(r), [hog], r.log.slice(-3000));
  assert.match(r.out, /^idle: alive$/m);
});
