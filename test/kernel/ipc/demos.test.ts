// The SysV IPC demos of the default image (userland/src/msgq_demo.c,
// sysv_race.c): a producer and a consumer over a small message queue, and
// processes on two CPUs updating shared memory under a SysV semaphore.
//
// Concepts: C42 (message queues), C34 (semaphores).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tsix, explain } from "../harness.js";

const BIN = "/usr/lib/tsix/bin";

test("msgq_demo: every item arrives in order, and the producer found the small queue full and blocked", () => {
  const r = tsix(["run", "--cpus", "2", "--deterministic", "--", `${BIN}/msgq_demo`, "50", "32"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^consumer: received 50 items, sum 1225, 0 out of order$/m, explain(r));
  const m = /the queue was full (\d+) times/.exec(r.stdout);
  assert.ok(m && Number(m[1]) > 0, explain(r));
});

test("sysv_race sem: two processes on two CPUs, the counter guarded by a SysV semaphore (SEM_UNDO): no update lost", () => {
  const r = tsix(["run", "--cpus", "2", "--deterministic", "--", `${BIN}/sysv_race`, "sem", "2", "5000"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /expected=10000 actual=10000 lost=0/, explain(r));
});
