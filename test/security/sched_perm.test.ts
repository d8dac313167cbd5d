// Who may change scheduling (issue 8): sched_errs.c makes every scheduling
// call's error case and the unprivileged rules happen - a task without root
// asking for a real-time policy (EPERM unless RLIMIT_RTPRIO allows that
// priority), lowering its nice value (EACCES past RLIMIT_NICE), leaving
// SCHED_IDLE, clearing SCHED_RESET_ON_FORK, touching another user's task
// (EPERM) - and its output on tsix must be Linux's: the program is run under
// qemu-riscv64 on the host kernel too and the lines compared. The one block
// Linux cannot run here (raising RLIMIT_RTPRIO needs CAP_SYS_RESOURCE, which
// a container's root lacks) is checked against the rules of sched(7).
//
// Concepts: C30 (real-time priorities are a privilege), C27 (credentials).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, program, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/sched/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** What sched(7) and setrlimit(2) say a uid-1000 task with RLIMIT_RTPRIO 10 gets. */
const RTPRIO_BLOCK = [
  "user fifo 5 with RLIMIT_RTPRIO 10: 0",
  "user getscheduler: 1",
  "user setparam 10: 0",
  "user getparam: 10",
  "user setparam 11: EPERM",
  "user rr 20: EPERM",
  "user back to other: 0",
];

test("the scheduling calls' errors and privilege rules are Linux's (tsix against qemu-riscv64)", { skip: skipNoCC || (!haveQemu ? "qemu-riscv64 is not installed" : !isRoot ? "needs root (setresuid)" : false), timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-sched-errs-"));
  let linux: string;
  try {
    const bin = join(dir, "sched_errs");
    writeFileSync(bin, program("sched_errs", PROGS));
    chmodSync(bin, 0o755);
    const q = spawnSync("qemu-riscv64", [bin], { encoding: "utf8", timeout: 60_000 });
    assert.equal(q.status, 0, q.stdout + q.stderr);
    linux = q.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const r = await run("sched_errs", { dir: PROGS });
  assert.equal(r.status, 0, explain(r));
  const ours = r.out.split("\n");
  // Where Linux could raise the limit, both must agree line by line; where it could not, tsix must follow the rules.
  const expectLinux = linux.split("\n").flatMap((l) => (l === "rtprio: cannot raise RLIMIT_RTPRIO" ? RTPRIO_BLOCK : [l]));
  assert.deepEqual(ours, expectLinux, explain(r));
  assert.ok(ours.includes("user fifo 1 without RLIMIT_RTPRIO: EPERM"));
  assert.ok(ours.includes("user leave idle: EPERM"));
  assert.ok(ours.includes("user clears reset_on_fork: EPERM"));
});
