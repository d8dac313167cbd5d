// AF_INET/AF_INET6 TCP and UDP on loopback through the real syscall path:
// progs/inet_sock.c runs as PID 1 on tsix, and the same binary runs under
// qemu-riscv64 on the host's Linux kernel (on 127.0.0.1 and ::1 only, at a
// random high base port), so each expectation is Linux's. The few checks
// that differ by design run on tsix only (see the program's comment).
// Concepts: C45, C47.
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
/** A base port from a high range (the program uses base .. base+30). */
const base = (): number => 40000 + Math.floor(Math.random() * 20000);

test("inet sockets: TCP/UDP over lo, v4 and v6, options, errors, non-blocking connect, readiness, /proc/net/tcp", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("inet_sock", { dir: PROGS, args: [String(base())], timeoutMs: 200_000 });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^inet_sock: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});

test("inet_sock passes under qemu-riscv64 too (the expectations are Linux's)", { skip: skipNoCC || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-inet-"));
  try {
    const exe = join(cwd, "inet_sock");
    writeFileSync(exe, program("inet_sock", PROGS), { mode: 0o755 });
    const r = spawnSync("qemu-riscv64", [exe, String(base()), "qemu"], { cwd, encoding: "utf8", timeout: 100_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^inet_sock: ok \(0 failures\)$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

// Unmodified busybox over TCP on lo: an nc server and client carry a line;
// while a connection is up, netstat (reading /proc/net/tcp and tcp6) shows
// both ends and the listener; ifconfig (SIOCGIF* ioctls, /proc/net/dev,
// /proc/net/if_inet6) shows lo.
test("busybox nc carries data over 127.0.0.1; netstat lists listeners and connections; ifconfig shows lo", { timeout: 180_000 }, () => {
  const r = sh([
    "nc -l -p 5555 > /tmp/got & sleep 0.5",
    "netstat -tln",
    "echo hello-nc | nc 127.0.0.1 5555; sleep 0.3; cat /tmp/got",
    "(sleep 5) | nc -l -p 5556 > /dev/null & sleep 0.3",
    "(sleep 5) | nc 127.0.0.1 5556 & sleep 1",
    "netstat -tan",
    "ifconfig lo",
  ].join("\n"));
  assert.equal(r.status, 0, explainCli(r));
  assert.match(r.stdout, /^tcp +0 +0 :::5555 +:::\* +LISTEN *$/m, explainCli(r));
  assert.match(r.stdout, /^hello-nc$/m, explainCli(r));
  assert.match(r.stdout, /^tcp +0 +0 127\.0\.0\.1:(3[2-9]\d{3}|[45]\d{4}|60\d{3}) +127\.0\.0\.1:5556 +ESTABLISHED *$/m, explainCli(r));
  assert.match(r.stdout, /^tcp +0 +0 ::ffff:127\.0\.0\.1:5556 +::ffff:127\.0\.0\.1:\d+ +ESTABLISHED *$/m, explainCli(r));
  assert.match(r.stdout, /^lo +Link encap:Local Loopback/m, explainCli(r));
  assert.match(r.stdout, /inet addr:127\.0\.0\.1 +Mask:255\.0\.0\.0/, explainCli(r));
  assert.match(r.stdout, /inet6 addr: ::1\/128 Scope:Host/, explainCli(r));
  assert.match(r.stdout, /UP LOOPBACK RUNNING +MTU:65536/, explainCli(r));
});

// The C47 demo (userland/src/netserver.c): one server process holds 100
// connections at once and echoes every client's lines, multiplexing with
// epoll, select and poll in turn; netstat counts the 200 established ends
// (100 clients, 100 server sides) while all are connected.
for (const mode of ["epoll", "select", "poll"]) {
  test(`netserver demo ${mode}: 100 concurrent clients served by one process; netstat shows 200 ESTABLISHED ends`, { timeout: 240_000 }, () => {
    const r = sh(`NETSERVER_SHOW="netstat -tan | grep -c ESTABLISHED" /usr/lib/tsix/bin/netserver demo ${mode} 100`, { timeout: 220_000 });
    assert.equal(r.status, 0, explainCli(r));
    assert.match(r.stdout, /^clients: 100 of 100 connected at once\n200$/m, explainCli(r));
    assert.match(r.stdout, new RegExp(`^server \\(${mode}\\): served 100 clients, at most 100 at once, echoed 17900 bytes$`, "m"), explainCli(r));
    assert.match(r.stdout, /^clients: 100 finished, 0 failed$/m, explainCli(r));
  });
}
