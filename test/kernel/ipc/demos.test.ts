// The IPC demos of the default image (userland/src/msgq_demo.c, mq_demo.c,
// sysv_race.c): a producer and a consumer over a small message queue, and
// processes on two CPUs updating shared memory with and without a SysV
// semaphore (sysv_race.c over MAP_SHARED, shm_demo.c over a SysV segment).
//
// Concepts: C42 (message queues), C34 (semaphores), C43 (shared memory).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

test("sysv_race none: two processes on two CPUs over MAP_SHARED lose updates without the semaphore (the work loop is a real loop, so the harts interleave inside it)", () => {
  const r = tsix(["run", "--cpus", "2", "--deterministic", "--", `${BIN}/sysv_race`, "none", "2", "5000"]);
  assert.equal(r.status, 0, explain(r));
  const m = /expected=10000 actual=(\d+) lost=(\d+)/.exec(r.stdout);
  assert.ok(m && Number(m[2]) > 0 && Number(m[1]) + Number(m[2]) === 10000, explain(r));
});

test("shm_demo: a SysV segment shared by two forked processes (nattch 3); unguarded they lose updates, under a SysV semaphore none", () => {
  const none = tsix(["run", "--cpus", "2", "--deterministic", "--", `${BIN}/shm_demo`, "none", "20000"]);
  assert.equal(none.status, 0, explain(none));
  assert.match(none.stdout, /a child saw shm_nattch=3$/m, explain(none));
  const m = /expected=40000 actual=(\d+) lost=(\d+)/.exec(none.stdout);
  assert.ok(m && Number(m[2]) > 0 && Number(m[1]) > 0, explain(none));
  const sem = tsix(["run", "--cpus", "2", "--deterministic", "--", `${BIN}/shm_demo`, "sem", "20000"]);
  assert.equal(sem.status, 0, explain(sem));
  assert.match(sem.stdout, /a child saw shm_nattch=3$/m, explain(sem));
  assert.match(sem.stdout, /expected=40000 actual=40000 lost=0/, explain(sem));
});

test("mq_demo: a POSIX mq across fork: mq_notify signals the consumer (SI_MESGQ), priorities come out highest first, 200 items arrive in order through a 4-message queue", () => {
  const r = tsix(["run", "--cpus", "2", "--deterministic", "--", `${BIN}/mq_demo`, "200"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^consumer: notified \(si_code SI_MESGQ\)$/m, explain(r));
  assert.match(r.stdout, /^consumer: first message "hello"$/m, explain(r));
  assert.match(r.stdout, /^consumer: priorities received: 9\(b\) 9\(d\) 5\(c\) 1\(a\)$/m, explain(r));
  assert.match(r.stdout, /^consumer: received 200 items, sum 19900, 0 out of order$/m, explain(r));
  const m = /the queue was full (\d+) times/.exec(r.stdout);
  assert.ok(m && Number(m[1]) > 0, explain(r));
});

test("a snapshot taken while mq_demo streams through its queue (and shm_demo counts in its segment) restores: the rest of the run prints what the uninterrupted run printed", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-ipc-snap-"));
  try {
    // mq_demo prints as it goes (the snapshot falls between its lines); shm_demo prints at the end,
    // after the children counted (about 600000 instructions in all: 450000 is while they count).
    for (const [args, at, cpus, midOutput] of [[["mq_demo", "300"], "400000", "1", true], [["shm_demo", "sem", "3000"], "450000", "2", false]] as const) {
      const whole = tsix(["run", "--deterministic", "--cpus", cpus, "--", `${BIN}/${args[0]}`, ...args.slice(1)]);
      assert.equal(whole.status, 0, explain(whole));
      const file = join(dir, `${args[0]}.snap`);
      const snap = tsix(["run", "--deterministic", "--cpus", cpus, "--snapshot-at", at, file, "--", `${BIN}/${args[0]}`, ...args.slice(1)]);
      assert.equal(snap.status, 0, explain(snap));
      assert.equal(snap.stdout, whole.stdout, explain(snap));
      const rest = tsix(["restore", file]);
      assert.equal(rest.status, 0, explain(rest));
      // The rest of the run: the end of the whole output (for mq_demo, some lines came before the snapshot).
      const shorter = midOutput ? rest.stdout.length < whole.stdout.length : true;
      assert.ok(rest.stdout.length > 0 && shorter && whole.stdout.endsWith(rest.stdout), `${explain(rest)}\nwhole:\n${whole.stdout}`);
      assert.match(rest.stdout, /received 300 items, sum 44850, 0 out of order|expected=6000 actual=6000 lost=0/, explain(rest));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
