// A task switched in with a signal pending takes it before it runs another
// user instruction, whoever switched it in (progs/sigswitch.c): the second
// schedule() at the end of a trap (the task before it stopped or died in its
// own signal delivery), the run loop's pick for an idle hart, a signal sent
// to a task running on the other hart, and a signal a tracer passes on with
// PTRACE_CONT, PTRACE_SYSCALL or PTRACE_DETACH. On the instruction clock the
// check is exact: the handler sees the very count the sender read. The same
// program runs under qemu-riscv64 (pinned to one CPU, ptrace left out) to
// show the expectation is Linux's.
// Concepts: C44, C21, C34.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProg, oopses, explain, haveCc, haveQemu, programPath, type RunOptions } from "./boot.js";

const skip = haveCc ? false : "riscv64-linux-gnu-gcc is not installed";

async function passes(opts: RunOptions): Promise<void> {
  const r = await runProg("sigswitch", [], { timeoutMs: 150_000, ...opts });
  assert.deepEqual(oopses(r), [], explain(r));
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^sigswitch: ok$/m, explain(r));
  // Every case ran, the ptrace ones included.
  assert.equal((r.out.match(/^PASS: .*: the handler ran before any more of C's instructions/gm) ?? []).length, 6, explain(r));
  assert.equal(r.status, 0, explain(r));
}

test("sigswitch: signals pending at a switch-in are delivered first (1 hart, instruction clock)", { skip, timeout: 200_000 }, async () => {
  await passes({ clock: "instret" });
});

test("sigswitch on 2 harts: the idle hart's pick and a signal sent across harts (instruction clock)", { skip, timeout: 200_000 }, async () => {
  await passes({ clock: "instret", cpus: 2 });
});

test("sigswitch on the host clock, 2 harts", { skip, timeout: 200_000 }, async () => {
  await passes({ cpus: 2 });
});

test("sigswitch passes under qemu-riscv64 too (--linux: one CPU, no ptrace)", { skip: skip || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 200_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-sigswitch-"));
  try {
    const r = spawnSync("qemu-riscv64", [programPath("sigswitch"), "--linux"], { cwd, encoding: "utf8", timeout: 150_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^sigswitch: ok$/m);
    assert.doesNotMatch(r.stdout, /^FAIL/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
