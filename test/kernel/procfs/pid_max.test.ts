// kernel.pid_max is read by PID allocation: after root lowers it, new
// processes get PIDs below it, and allocation wraps around to low free PIDs
// (as Linux does) instead of growing past it. Out-of-range values are
// refused with EINVAL and leave the setting as it was.
//
// Concepts: C21 (the PID is the process's name in the process table), C69
// (/proc/sys settings that a mechanism reads).
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "../harness.js";

test("kernel.pid_max bounds new PIDs and allocation wraps below it", { timeout: 120_000 }, () => {
  const r = sh([
    "echo 400 > /proc/sys/kernel/pid_max",
    "cat /proc/sys/kernel/pid_max",
    // 450 new processes: more than the 400 PIDs below the limit, so allocation must wrap.
    "i=0; while [ $i -lt 450 ]; do sh -c 'echo pid $$'; i=$((i+1)); done",
    "echo 300 > /proc/sys/kernel/pid_max 2>/dev/null || echo low refused",
    "echo 5000000 > /proc/sys/kernel/pid_max 2>/dev/null || echo high refused",
    "cat /proc/sys/kernel/pid_max",
  ].join("\n"));
  assert.equal(r.status, 0, explain(r));
  const lines = r.stdout.split("\n");
  assert.equal(lines[0], "400", explain(r));
  const pids = lines.filter((l) => l.startsWith("pid ")).map((l) => Number(l.slice(4)));
  assert.equal(pids.length, 450, explain(r));
  assert.ok(pids.every((p) => p > 1 && p < 400), `every PID is below pid_max: max ${Math.max(...pids)}`);
  assert.ok(pids.some((p, i) => i > 0 && p < pids[i - 1]), "allocation wrapped around");
  assert.match(r.stdout, /^low refused$/m);
  assert.match(r.stdout, /^high refused$/m);
  assert.equal(lines[lines.length - 2], "400", "refused writes leave the setting as it was");
});
