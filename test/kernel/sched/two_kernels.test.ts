// Wake-ups belong to one kernel: sched/wait.ts used to hand every wake-up
// to a module-level "waker" that the last kernel created had set, so with two
// kernels in one process the first one's sleepers were queued on the
// second's run queue. Wake-ups now take the kernel they happen in.
//
// Concepts: C22 (wait queues and wake-ups); issue 7 (no global state).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";

test("two kernels in one process: each one's timer wake-ups reach its own tasks", { skip: skipNoCC }, async () => {
  // Both kernels run interleaved on the host (each yields to the host every
  // ~20 ms); every nanosleep ends with a wake-up that must land on the run
  // queue of the kernel the sleeper belongs to.
  const dir = join(SRC_ROOT, "test/kernel/sched/progs");
  const args = ["10", "200000"];
  const [r1, r2] = await Promise.all([
    run("sleeper", { dir, args, timeoutMs: 30_000 }),
    run("sleeper", { dir, args, timeoutMs: 30_000 }),
  ]);
  assert.equal(r1.status, 0, explain(r1));
  assert.equal(r2.status, 0, explain(r2));
  assert.equal(r1.out, "slept 10 times\n", explain(r1));
  assert.equal(r2.out, "slept 10 times\n", explain(r2));
  assert.notEqual(r1.k, r2.k);
});
