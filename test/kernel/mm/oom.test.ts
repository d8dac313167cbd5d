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
  return [...r.log.matchAll(/Out of memory(?: \(oom_kill_allocating_task\))?: Killed process (\d+) \(mm_oom\)/g)].map((m) => Number(m[1]));
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

test("OOM: Linux's log - the task table and 'Killed process N (comm) total-vm:.. anon-rss:.. file-rss:.. shmem-rss:.. UID:.. pgtables:.. oom_score_adj:..'; oom_score = (1000 + badness*1000/totalpages)*2/3", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("mm_oom", { dir: PROGS, args: ["plain"], memBytes: MEM });
  assert.equal(r.status, 0, r.out + r.log.slice(-3000));
  const { idle, hog } = pids(r);
  assert.match(r.log, /mm_oom invoked oom-killer: gfp_mask=0x[0-9a-f]+\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0/);
  assert.match(r.log, /Tasks state \(memory values in pages\):\n.*\[  pid  \]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n/);
  // One row per killable process: the idle child and the hog (init is never listed), pgtables in bytes.
  for (const pid of [idle, hog]) {
    assert.match(r.log, new RegExp(`\\[ *${pid}\\] +0 +${pid} +\\d+ +\\d+ +\\d+ +0 +0 mm_oom$`, "m"), `row for ${pid}`);
  }
  assert.doesNotMatch(r.log, /\[ +1\] +0 +1 /, "init is not a candidate");
  const kill = new RegExp(`Out of memory: Killed process ${hog} \\(mm_oom\\) total-vm:(\\d+)kB, anon-rss:(\\d+)kB, file-rss:(\\d+)kB, shmem-rss:(\\d+)kB, UID:0 pgtables:(\\d+)kB oom_score_adj:0$`, "m").exec(r.log);
  assert.ok(kill, r.log.slice(-3000));
  const [totalVm, anonRss, fileRss, shmemRss, pgtables] = kill.slice(1).map(Number);
  assert.ok(anonRss > 4096 && anonRss <= totalVm, "the hog's anonymous memory is most of its rss");
  assert.ok(fileRss > 0 && shmemRss === 0 && pgtables >= 12, `file ${fileRss} shmem ${shmemRss} pgtables ${pgtables}`);
  // oom_score of the idle child, from what /proc said of it: rss + page tables, RAM only (no swap).
  const rss = field(r.out, "idle_rss_kb") / 4, pte = field(r.out, "idle_pte_kb") / 4, total = field(r.out, "memtotal_kb") / 4;
  assert.equal(field(r.out, "idle_oom_score"), Math.trunc(((1000 + Math.trunc(((rss + pte) * 1000) / total)) * 2) / 3));
});

test("OOM: oom_score_adj -1000 protects the biggest process (oom_score 0); the hog dies instead", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("mm_oom", { dir: PROGS, args: ["protect"], memBytes: MEM });
  assert.equal(r.status, 0, r.out + r.log.slice(-3000));
  const { hog } = pids(r);
  assert.equal(field(r.out, "idle_oom_score"), 0);
  assert.ok(field(r.out, "idle_rss_kb") >= 12 * 1024);
  assert.deepEqual(killed(r), [hog], r.log.slice(-3000));
  assert.match(r.out, /^idle: alive$/m);
  assert.match(r.log, /oom_score_adj:0$/m);
});

test("OOM: vm.panic_on_oom=1 kills nobody; the kernel panics and the machine stops with a nonzero status", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("mm_oom", { dir: PROGS, args: ["panic"], memBytes: MEM });
  assert.notEqual(r.status, 0);
  assert.match(r.log, /Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled/);
  assert.deepEqual(killed(r), []);
  assert.doesNotMatch(r.out, /^hog: /m, "nobody reaped the hog: the machine stopped");
  assert.equal(r.k.mmctx.vm.counters.oomKill, 0);
});
