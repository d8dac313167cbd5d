// What stress-ng's --epoll and --pty stressors failed on (issue 11): the
// generic SOL_SOCKET options on AF_UNIX sockets (SO_REUSEADDR and the others
// every Linux socket has, net/sockopt.ts) and a pty's locked termios
// (TIOCGLCKTRMIOS/TIOCSLCKTRMIOS, tty/tty_io.ts). progs/stressng_gaps.c runs
// in tsix and under qemu-riscv64 on the host's Linux, with the same expectations.
// Concepts: C45 (sockets), C14 (ptys).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, program, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/compat/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("AF_UNIX sockets keep SO_REUSEADDR and the other generic SOL_SOCKET options; a pty's locked termios reads back, holds the locked bits on tcsetattr, and is root's to set", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("stressng_gaps", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^stressng_gaps: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});

test("stressng_gaps.c passes under qemu-riscv64 on Linux", { skip: skipNoCC || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-sng-"));
  try {
    const exe = join(cwd, "stressng_gaps");
    writeFileSync(exe, program("stressng_gaps", PROGS), { mode: 0o755 });
    const r = spawnSync("qemu-riscv64", [exe], { cwd, encoding: "utf8", timeout: 100_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^stressng_gaps: ok \(0 failures\)$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
