// --net user's IPv6 link-local address and IPv6 nameserver: eth0 has
// fe80::5054:ff:fe12:3456/64 (modified EUI-64 of its MAC, as Linux's addrconf
// gives every Ethernet link), shown by /proc/net/if_inet6 and `ip -6 addr`,
// with its fe80::/64 route; the guest's own sockets bind and reach it with
// sin6_scope_id 2 (progs/linklocal.c: Linux's EINVAL/ENODEV/EADDRNOTAVAIL
// for a missing or wrong scope id), and a link-local destination is never
// routed to the host (EHOSTUNREACH for TCP, a lost datagram for UDP).
// /etc/resolv.conf names fec0::3 after 10.0.2.3, as QEMU's user-networking
// guests are told. Expectations from the Linux sources named in the program.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsixAsync, explain } from "../harness.js";
import { program, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");

test("--net user: eth0's fe80:: link-local address (if_inet6, ip -6 addr, route), bound and reached with scope id 2, never routed to the host; resolv.conf names fec0::3", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-linklocal-"));
  writeFileSync(join(dir, "linklocal"), program("linklocal", PROGS), { mode: 0o755 });
  try {
    const r = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "sh", "-c",
      "cat /etc/resolv.conf; cat /proc/net/if_inet6; ip -6 addr; ip -6 route; /mnt/linklocal"], { timeout: 200_000 });
    assert.match(r.stdout, /^nameserver 10\.0\.2\.3\nnameserver fec0::3\n/m, explain(r));
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
