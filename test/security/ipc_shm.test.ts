// Hostile use of System V shared memory and POSIX message queues (issue 11):
// sizes past every limit, bad addresses for shmat/shmdt/shmctl buffers, a
// non-owner's attach and IPC_RMID, filling the segment table, and a churn of
// create/attach/touch/fork/remove that must give every frame back. The
// kernel answers each with Linux's errno and keeps running.
// The shm program (test/security/progs/sec_ipc_shm.c) was also run under
// qemu-riscv64: it agrees with Linux except where qemu-user itself differs
// (noted in the program: it has a larger guest address space and does its
// own address checks for shmat), so the comparison is not automated.
// Concepts: C43 (shared memory), C42 (message queues), C06 (bad pointers
// give errors, never a kernel crash).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

const PROGS = join(SRC_ROOT, "test/security/progs");

test("shm: huge sizes, bad addresses, non-owner attach/rmid (EACCES/EPERM), a full table (ENOSPC) and a churn that leaks no frame", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("sec_ipc_shm", { dir: PROGS, timeoutMs: 200_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^sec_ipc_shm: ok \(0 failures\)$/m, explain(r));
  assert.doesNotMatch(r.out, /FAIL/, explain(r));
});

test("POSIX mq: names with slashes or too long, sizes past msgsize_max and the hard limits, bad pointers, floods of messages and of queues past queues_max / RLIMIT_MSGQUEUE", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("sec_ipc_mq", { dir: PROGS, timeoutMs: 200_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^sec_ipc_mq: ok \(0 failures\)$/m, explain(r));
  assert.doesNotMatch(r.out, /FAIL/, explain(r));
});
