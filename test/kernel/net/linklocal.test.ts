// --net user's IPv6 link-local address and IPv6 nameserver: eth0 has
// fe80::5054:ff:fe12:3456/64 (modified EUI-64 of its MAC, as Linux's addrconf
// gives every Ethernet link), shown by /proc/net/if_inet6 and `ip -6 addr`,
// with its fe80::/64 route; the guest's own sockets bind and reach it with
// sin6_scope_id 2 (progs/linklocal.c: Linux's EINVAL/ENODEV/EADDRNOTAVAIL
// for a missing or wrong scope id), and a link-local destination is never
// routed to the host (EHOSTUNREACH for TCP once neighbour discovery gives up,
// a lost datagram for UDP).
// /etc/resolv.conf (/proc/net/pnp) names 10.0.2.3 only, no IPv6 server, as
// Linux's pnp file. Expectations from the Linux sources named in the program.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsixAsync, explain } from "../harness.js";
import { program, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { boot, program as procProgram, oopses, explain as explainBoot } from "../proc/boot.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");

test("--net user: eth0's fe80:: link-local address (if_inet6, ip -6 addr, route), bound and reached with scope id 2, never routed to the host; resolv.conf names no IPv6 server", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-linklocal-"));
  writeFileSync(join(dir, "linklocal"), program("linklocal", PROGS), { mode: 0o755 });
  try {
    const r = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "sh", "-c",
      "cat /etc/resolv.conf; cat /proc/net/if_inet6; ip -6 addr; ip -6 route; /mnt/linklocal"], { timeout: 200_000 });
    assert.match(r.stdout, /^nameserver 10\.0\.2\.3\nbootserver 10\.0\.2\.2\n/m, explain(r));
    assert.doesNotMatch(r.stdout, /^nameserver fec0::3$/m, explain(r));
    assert.match(r.stdout, /^fe80000000000000505400fffe123456 02 40 20 80 {5}eth0$/m, explain(r));
    assert.match(r.stdout, /^ {4}inet6 fe80::5054:ff:fe12:3456\/64 scope link/m, explain(r));
    assert.match(r.stdout, /^fe80::\/64 dev eth0/m, explain(r));
    assert.doesNotMatch(r.stdout, /^FAIL/m, explain(r));
    assert.match(r.stdout, /^A: bound fe80::5054:ff:fe12:3456%2$/m, explain(r));
    assert.match(r.stdout, /^B: udp ping from fe80::5054:ff:fe12:3456%2$/m, explain(r));
    assert.match(r.stdout, /^C: tcp hiyo, peer fe80::5054:ff:fe12:3456%2, local fe80::5054:ff:fe12:3456%2$/m, explain(r));
    assert.match(r.stdout, /^D: tcp to fe80::2%2: No route to host$/m, explain(r));
    assert.match(r.stdout, /^D: udp to fe80::2%2: sent, nothing back$/m, explain(r));
    assert.match(r.stdout, /^linklocal: ok \(0 failures\)$/m, explain(r));
    assert.equal(r.status, 0, explain(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Neighbour discovery for a link-local destination no one answers
// (progs/neigh.c), booted in this process with eth0 up and no host network
// behind it, on the instruction clock: the 3 s Linux spends on its 3
// solicitations are exact guest time.
test("a link-local neighbour that never answers: connect waits 3 s of neighbour discovery, then EHOSTUNREACH; EINPROGRESS/EALREADY/SYN_SENT/SO_ERROR; a signal interrupts; UDP never hears", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await boot({
    files: [{ path: "sbin/init", data: procProgram("tinit") }, { path: "bin/neigh", data: program("neigh", PROGS) }],
    argv: ["/sbin/init", "/bin/neigh"], clock: "instret", netUser: true, timeoutMs: 200_000,
  });
  const why = explainBoot(r);
  assert.deepEqual(oopses(r), [], why);
  assert.doesNotMatch(r.out, /^FAIL/m, why);
  assert.match(r.out, /^A: blocking connect: No route to host after 3000 ms$/m, why);
  assert.match(r.out, /^B: \/proc\/net\/tcp6 state while discovery runs: 02$/m, why);
  assert.match(r.out, /^B: non-blocking connect: poll 1 \(POLLERR\) after 3000 ms, SO_ERROR No route to host$/m, why);
  assert.match(r.out, /^C: interrupted connect: Interrupted system call after 1000 ms, 1 handler run\(s\)$/m, why);
  assert.match(r.out, /^C: connect again: No route to host after 3000 ms$/m, why);
  assert.match(r.out, /^D: SA_RESTART connect: No route to host after 3000 ms, 1 handler run\(s\)$/m, why);
  assert.match(r.out, /^E: udp: connected, sent, poll 0 after 4 s, SO_ERROR 0$/m, why);
  assert.match(r.out, /^neigh: ok \(0 failures\)$/m, why);
  assert.equal(r.status, 0, why);
});
