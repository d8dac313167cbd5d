// System V IPC (kernel/ipc/msg.ts, sem.ts): C programs that print one line
// per check run on tsix, and the same binaries run under qemu-riscv64 on the
// host's Linux kernel: the outputs must be identical, so what tsix does is
// what Linux does. The expected lines are also spelled out for the key
// behaviours, so the test still means something without qemu.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC } from "../fs/harness.js";
import { PROGS, onLinux } from "./qemu.js";


async function compare(name: string, must: string[]): Promise<void> {
  const r = await run(name, { dir: PROGS, timeoutMs: 120_000 });
  assert.equal(r.status, 0, explain(r));
  for (const line of must) assert.ok(r.out.split("\n").includes(line), `missing "${line}"\n${explain(r)}`);
  const linux = onLinux(name);
  if (linux !== null) assert.equal(r.out, linux, "tsix and Linux (qemu-riscv64) print different lines");
}

test("message queues: keys, type selection, E2BIG/MSG_NOERROR, blocking, EINTR, EIDRM, permissions (same output as Linux)", { skip: skipNoCC, timeout: 240_000 }, async () => {
  await compare("sysv_msg", [
    "excl again: -1 EEXIST",
    "type <=2: 4 type=1 text=one",
    "not type 1: 6 type=3 text=three",
    "too small: -1 E2BIG",
    "noerror: 2 type=5 text=fi",
    "full nowait: -1 EAGAIN",
    "blocked send: 0",
    "blocked recv: 11 type=9 text=from child",
    "interrupted: -1 EINTR",
    "removed while waiting: -1 EIDRM",
    "key free: ENOENT",
    "user send to 0444: -1 EACCES",
    "user rmid: -1 EPERM",
    "sysv_msg: done",
  ]);
});

test("semaphores: SETVAL/SETALL/GETALL, atomic multi-op semop, blocking with GETNCNT, timeouts, EINTR, SEM_UNDO at exit, EIDRM, permissions (same output as Linux)", { skip: skipNoCC, timeout: 240_000 }, async () => {
  await compare("sysv_sem", [
    "setval too big: -1 ERANGE",
    "partly possible: -1 EAGAIN",
    "unchanged: 1 2 0",
    "both done: 0 0 0",
    "bad num: -1 EFBIG",
    "child sees ncnt: 1",
    "blocked P: 0",
    "timed out: -1 EAGAIN",
    "interrupted: -1 EINTR",
    "child holds: 0",
    "after child died: 1",
    "fork child exit leaves: 2",
    "setval cleared undo: 4",
    "removed while waiting: -1 EIDRM",
    "user V: -1 EACCES",
    "user rmid: -1 EPERM",
    "sysv_sem: done",
  ]);
});

test("the limits in /proc/sys/kernel (msgmax, msgmnb, sem) are enforced and writable by root only", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("sysv_limits", { dir: PROGS });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, [
    "write msgmax: 0",
    "/proc/sys/kernel/msgmax = 100",
    "send 101: -1 EINVAL",
    "send 100: 0",
    "write msgmnb: 0",
    "new queue qbytes: 150",
    "fill 100: 0, then 100 more: -1 EAGAIN",
    "bad value: -22",
    "write sem: 0",
    "/proc/sys/kernel/sem = 4\t100\t2\t10",
    "semget 5 sems: -1 EINVAL",
    "semop 3 ops: -1 E2BIG",
    "semop 2 ops: 0",
    "user write msgmax: -13",
    "/proc/sys/kernel/msgmax = 100",
    "sysv_limits: done",
    "",
  ].join("\n"), explain(r));
});
