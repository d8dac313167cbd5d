// signalfd4 through the real syscall path: progs/signalfd.c runs as PID 1 on
// tsix and under qemu-riscv64 (the host's Linux kernel answers there), so the
// expectations are Linux's. util-linux's script needs signalfd.
// Concepts: C44, C47.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, program, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/proc/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("signalfd: blocked signals read as signalfd_siginfo, poll, a blocked reader wakes, mask update, errors", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("signalfd", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^signalfd: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});

test("signalfd passes under qemu-riscv64 too", { skip: skipNoCC || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 60_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-sfd-"));
  try {
    const exe = join(cwd, "signalfd");
    writeFileSync(exe, program("signalfd", PROGS), { mode: 0o755 });
    const r = spawnSync("qemu-riscv64", [exe, "qemu"], { cwd, encoding: "utf8", timeout: 50_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^signalfd: ok \(0 failures\)$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
