// Unix98 ptys through the real syscall path: progs/pty.c runs as PID 1 on
// tsix, and the same binary runs under qemu-riscv64, which hands the pty
// calls to the host's Linux kernel, so each expectation is Linux's (the
// host's devpts is mounted mode=600 without gid=5, so the program expects
// that node mode there, and qemu-user does not know TIOCGPTLCK/TIOCGPKT).
// Concepts: C14, C25, C26.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, program, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/tty/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("ptys: /dev/ptmx allocation, lock, ptsname, TIOCGPTPEER, line discipline both ways, flow control, window size, packet mode, ^C/SIGWINCH to the slave's foreground group, TIOCSCTTY, hangup, EIO after the slave closes", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("pty", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^pty: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
  // Every pair was freed: no pty left in the kernel's tables.
  assert.equal(r.k.tty.ptys.size, 0);
});

test("pty passes under qemu-riscv64 too (the expectations are Linux's)", { skip: skipNoCC || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-pty-"));
  try {
    const exe = join(cwd, "pty");
    writeFileSync(exe, program("pty", PROGS), { mode: 0o755 });
    const r = spawnSync("qemu-riscv64", [exe, "qemu"], { cwd, encoding: "utf8", timeout: 100_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^pty: ok \(0 failures\)$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
