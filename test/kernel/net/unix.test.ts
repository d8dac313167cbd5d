// AF_UNIX sockets through the real syscall path: progs/unix_sock.c runs as
// PID 1 on tsix, and the same binary runs under qemu-riscv64 on the host's
// Linux kernel (abstract names carry the pid; path names live in a fresh
// temporary directory), so each expectation is Linux's.
// Concepts: C45, C40, C34, C44, C66.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, program, SRC_ROOT } from "../fs/harness.js";
import { sh, explain as explainCli } from "../harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("unix sockets: socketpair types, boundaries, flags, shutdown, EPIPE/SIGPIPE, ECONNRESET, names, accept, SCM_RIGHTS/CREDENTIALS, options, poll/select/epoll, blocking", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("unix_sock", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^unix_sock: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});

test("unix_sock passes under qemu-riscv64 too (the expectations are Linux's)", { skip: skipNoCC || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-unix-"));
  try {
    const exe = join(cwd, "unix_sock");
    writeFileSync(exe, program("unix_sock", PROGS), { mode: 0o755 });
    const r = spawnSync("qemu-riscv64", [exe, "qemu"], { cwd, encoding: "utf8", timeout: 100_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^unix_sock: ok \(0 failures\)$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

// Unmodified busybox over a path-named datagram socket: syslogd binds /dev/log
// (a socket inode: `ls -l` shows "s"), logger sends to it, and the message
// lands in the log file; /proc/net/unix lists the bound socket.
test("busybox syslogd and logger talk over /dev/log; ls -l shows the socket; /proc/net/unix lists it", { timeout: 180_000 }, () => {
  const r = sh("syslogd -O /tmp/m; sleep 0.3; logger -t tag hello-sock; sleep 0.3; cat /tmp/m; ls -l /dev/log; cat /proc/net/unix");
  assert.equal(r.status, 0, explainCli(r));
  assert.match(r.stdout, /user\.notice tag: hello-sock$/m, explainCli(r));
  assert.match(r.stdout, /^srw-rw-rw- .* \/dev\/log$/m, explainCli(r));
  assert.match(r.stdout, /^Num {7}RefCount Protocol Flags {4}Type St Inode Path$/m, explainCli(r));
  assert.match(r.stdout, /^0{16}: 00000002 00000000 00000000 0002 01 +\d+ \/dev\/log$/m, explainCli(r));
});
