// AF_NETLINK / NETLINK_ROUTE (kernel/net/netlink.ts) and the interface table
// it reads (kernel/lib/netif.ts): progs/netlink_sock.c checks the protocol
// (port ids, getsockname, a dump's sequence numbers, NLMSG_DONE, acks,
// NLMSG_ERROR errnos) on tsix and, as the reference, under qemu-riscv64 on
// the host's Linux kernel; busybox `ip addr`, `ip link` and `ip route` show
// lo alone without --net user and eth0 with its address and default route
// with it, the same table /proc/net/route and ifconfig show.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, program, SRC_ROOT } from "../fs/harness.js";
import { tsix, explain as explainCli } from "../harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("netlink: port ids, getsockname, an RTM_GETLINK dump with NLMSG_DONE, acks, EOPNOTSUPP and EPERM errors", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("netlink_sock", { dir: PROGS, args: ["1", "tsix"], timeoutMs: 200_000 });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^netlink_sock: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});

test("netlink_sock passes under qemu-riscv64 too (the expectations are Linux's)", { skip: skipNoCC || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-netlink-"));
  try {
    const exe = join(cwd, "netlink_sock");
    writeFileSync(exe, program("netlink_sock", PROGS), { mode: 0o755 });
    const r = spawnSync("qemu-riscv64", [exe, "-"], { cwd, encoding: "utf8", timeout: 100_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^netlink_sock: ok \(0 failures\)$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

const IP = "ip addr; echo addr=$?; ip link; echo link=$?; ip route; echo route=$?; cat /proc/net/route";

test("busybox ip without --net user: lo only, 127.0.0.1/8 and ::1, no routes in the main table", { timeout: 240_000 }, () => {
  const r = tsix(["run", "--", "sh", "-c", IP], { timeout: 200_000 });
  assert.equal(r.status, 0, explainCli(r));
  const out = r.stdout;
  assert.match(out, /^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue/m, explainCli(r));
  assert.match(out, /^ {4}link\/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00$/m, explainCli(r));
  assert.match(out, /^ {4}inet 127\.0\.0\.1\/8 scope host lo$/m, explainCli(r));
  assert.match(out, /^ {4}inet6 ::1\/128 scope host/m, explainCli(r));
  assert.doesNotMatch(out, /eth0/, explainCli(r));
  assert.match(out, /^addr=0\n(?:.*\n)*link=0\nroute=0\nIface\tDestination/m, explainCli(r));
  // No route printed between "link=0" and "route=0": lo's routes live in the local table, as on Linux.
  assert.match(out, /^link=0\nroute=0$/m, explainCli(r));
});

test("busybox ip with --net user: eth0 10.0.2.15/24, the default route via 10.0.2.2, as /proc/net/route says", { timeout: 240_000 }, () => {
  const r = tsix(["run", "--net", "user", "--", "sh", "-c", IP], { timeout: 200_000 });
  assert.equal(r.status, 0, explainCli(r));
  const out = r.stdout;
  assert.match(out, /^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 /m, explainCli(r));
  assert.match(out, /^ {4}link\/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff$/m, explainCli(r));
  assert.match(out, /^ {4}inet 10\.0\.2\.15\/24 brd 10\.0\.2\.255 scope global eth0$/m, explainCli(r));
  assert.match(out, /^ {4}inet 127\.0\.0\.1\/8 scope host lo$/m, explainCli(r));
  assert.match(out, /^default via 10\.0\.2\.2 dev eth0 *\n10\.0\.2\.0\/24 dev eth0 scope link +src 10\.0\.2\.15 *\nroute=0$/m, explainCli(r));
  assert.match(out, /^eth0\t00000000\t0202000A\t0003\t0\t0\t0\t00000000\t0\t0\t0 *$/m, explainCli(r));
  assert.match(out, /^eth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0 *$/m, explainCli(r));
});
