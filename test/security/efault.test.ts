// EFAULT semantics of the read/write paths (issue 6). A read into a bad
// buffer fails with EFAULT and leaves the data where it was - in a pipe, a
// FIFO, an eventfd, the console tty - instead of consuming and losing it;
// a count that reaches past the user half (read(fd, buf, SIZE_MAX)) is
// EFAULT before anything is read, written or consumed (Linux's access_ok).
// The program's expectations for pipes and FIFOs are first held to Linux
// itself under qemu-riscv64.
// Concepts: C06 (bad pointers give EFAULT, never a kernel crash or lost
// data), C40/C41 (pipes, FIFOs), C47 (eventfd), C14 (the tty).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, program, explain, skipNoCC, haveCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { initConsole, consoleInput } from "../../kernel/drivers/uart.js";

const PROGS = join(SRC_ROOT, "test/security/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("a bad read buffer leaves the bytes in the pipe, FIFO, eventfd and tty; read(fd, buf, SIZE_MAX) is EFAULT", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("sec_efault", {
    dir: PROGS,
    args: ["tsix"],
    // "typed" is waiting on the console tty when the program starts.
    setup: (k) => { initConsole(k); consoleInput(k, new TextEncoder().encode("typed\n")); },
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /sec_efault: ok \(0 failures\)/, explain(r));
});

test("sec_efault's pipe and FIFO expectations hold on Linux (qemu-riscv64)", { skip: !haveCC ? "riscv64-linux-gnu-gcc is not installed" : !haveQemu ? "qemu-riscv64 is not installed" : false, timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-sec-efault-"));
  try {
    const bin = join(dir, "sec_efault");
    writeFileSync(bin, program("sec_efault", PROGS));
    chmodSync(bin, 0o755);
    const r = spawnSync("qemu-riscv64", [bin], { cwd: dir, encoding: "utf8", timeout: 100_000, env: { ...process.env, TESTDIR: dir } });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /sec_efault: ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
