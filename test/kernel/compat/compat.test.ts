// Compatibility gaps real programs hit (issue 11, part "compat"): the C
// program progs/compat.c runs in tsix and, so that what it expects is what
// Linux does, under qemu-riscv64 on the host kernel; a shell test runs the
// pipeline that used to hang with Debian's busybox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, program, skipNoCC, haveCC, SRC_ROOT } from "../fs/harness.js";
import { sh, explain as explainCli } from "../harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/compat/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("compat: pipe reopen through /proc/self/fd and /dev/fd never waits, thread and process CPU clocks, sched_getaffinity with large sets, clock_settime (guest offset, root only), fadvise64, riscv_hwprobe", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("compat", { dir: PROGS, cpus: 2, args: ["tsix"] });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /compat: ok \(0 failures\)/, explain(r));
});

test("compat.c passes under qemu-riscv64 on Linux", { skip: !haveCC ? "riscv64-linux-gnu-gcc is not installed" : !haveQemu ? "qemu-riscv64 is not installed" : false, timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-compat-"));
  try {
    const bin = join(dir, "compat");
    writeFileSync(bin, program("compat", PROGS));
    chmodSync(bin, 0o755);
    // Without the "tsix" argument: the program must not set the host's clock (nor ask qemu 7.2 for riscv_hwprobe).
    const q = spawnSync("qemu-riscv64", [bin], { cwd: dir, encoding: "utf8", timeout: 100_000 });
    assert.equal(q.status, 0, `${q.stdout}${q.stderr}`);
    assert.match(q.stdout, /compat: ok \(0 failures\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("echo x | cat /dev/fd/0 (the writer has exited) prints x instead of hanging", { timeout: 120_000 }, () => {
  // `sleep` makes sure echo has exited before cat opens /dev/fd/0 (the case that hung).
  const r = sh("echo x | { sleep 0.2; cat /dev/fd/0; cat /proc/self/fd/0; echo done; }", { timeout: 60_000 });
  assert.equal(r.status, 0, explainCli(r));
  assert.equal(r.stdout, "x\ndone\n", explainCli(r));
});
