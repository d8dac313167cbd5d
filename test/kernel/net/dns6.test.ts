// --net user's DNS over IPv6 (kernel/net/inet.ts): as QEMU's user networking
// offers a DNS server at fec0::3 besides 10.0.2.3, a UDP query a guest sends
// to [fec0::3]:53 goes to the host's resolver like one to 10.0.2.3:53, and
// the answer comes back from [fec0::3]:53 (progs/dns_query.c asks both, on
// unconnected and connected sockets). The guest's /etc/resolv.conf does not
// name it (it is /proc/net/pnp, IPv4 only as on Linux): a program asks it by
// address. The question is
// "localhost", which the host's resolver answers
// from its own hosts file: no network is used.
// AAAA (type 28) questions are answered from the host resolver's IPv6
// addresses and ANY (255) from both families; a name that has IPv4
// addresses only gets an empty NOERROR answer to AAAA, as from a resolver;
// the name "::1", which every resolver gives back as it is, proves the AAAA
// records on hosts whose localhost has no IPv6 address.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { lookup } from "node:dns/promises";
import { join } from "node:path";
import { tsixAsync, explain } from "../harness.js";
import { program, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");

test("--net user: a DNS query to [fec0::3]:53 is answered like one to 10.0.2.3:53, from fec0::3 port 53", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-dns6-"));
  writeFileSync(join(dir, "dns_query"), program("dns_query", PROGS), { mode: 0o755 });
  try {
    const r = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "/mnt/dns_query", "10.0.2.3", "fec0::3"], { timeout: 200_000 });
    assert.doesNotMatch(r.stdout, /^FAIL/m, explain(r));
    assert.match(r.stdout, /^10\.0\.2\.3: localhost A 127\.0\.0\.1 from 10\.0\.2\.3 port 53$/m, explain(r));
    assert.match(r.stdout, /^10\.0\.2\.3: connected: localhost A 127\.0\.0\.1$/m, explain(r));
    assert.match(r.stdout, /^fec0::3: localhost A 127\.0\.0\.1 from fec0::3 port 53$/m, explain(r));
    assert.match(r.stdout, /^fec0::3: connected: localhost A 127\.0\.0\.1$/m, explain(r));
    assert.match(r.stdout, /^dns_query: ok \(0 failures\)$/m, explain(r));
    assert.equal(r.status, 0, explain(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** What the host's resolver gives "localhost" in `family` (empty when it has no such address). */
async function hostAddrs(family: 4 | 6): Promise<string[]> {
  try { return (await lookup("localhost", { family, all: true })).map((a) => a.address); } catch { return []; }
}

test("--net user: AAAA and ANY questions for localhost get the host resolver's IPv6 (and IPv4) addresses, NOERROR", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-dns6-"));
  writeFileSync(join(dir, "dns_query"), program("dns_query", PROGS), { mode: 0o755 });
  const v4 = await hostAddrs(4), v6 = await hostAddrs(6);
  // On a host whose hosts file has no ::1 line, v6 is empty: the answer must then be empty with NOERROR.
  assert.ok(v4.includes("127.0.0.1"), `the host resolves localhost to 127.0.0.1 (${v4.join(" ")})`);
  try {
    const aaaa = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "/mnt/dns_query", "-t", "28", "10.0.2.3"], { timeout: 200_000 });
    assert.doesNotMatch(aaaa.stdout, /^FAIL/m, explain(aaaa));
    assert.match(aaaa.stdout, new RegExp(`^type 28: rcode 0 answers ${v6.length}$`, "m"), explain(aaaa));
    const got6 = [...aaaa.stdout.matchAll(/^record (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(got6.sort(), v6.map((a) => `AAAA ${a}`).sort(), explain(aaaa));
    assert.equal(aaaa.status, 0, explain(aaaa));

    const any = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "/mnt/dns_query", "-t", "255", "fec0::3"], { timeout: 200_000 });
    assert.doesNotMatch(any.stdout, /^FAIL/m, explain(any));
    assert.match(any.stdout, new RegExp(`^type 255: rcode 0 answers ${v4.length + v6.length}$`, "m"), explain(any));
    const gotAny = [...any.stdout.matchAll(/^record (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(gotAny.sort(), [...v4.map((a) => `A ${a}`), ...v6.map((a) => `AAAA ${a}`)].sort(), explain(any));
    assert.equal(any.status, 0, explain(any));

    // The name "::1" is an address already: the host's resolver gives it back
    // as it is, on any host, so AAAA records are proved even where localhost
    // has no IPv6 line. It has no IPv4 address: A gets an empty NOERROR.
    for (const [type, want] of [[28, ["AAAA ::1"]], [255, ["AAAA ::1"]], [1, []]] as const) {
      const r = await tsixAsync(["run", "--net", "user", "--mount", `${dir}:/mnt`, "--", "/mnt/dns_query", "-t", String(type), "10.0.2.3", "::1"], { timeout: 200_000 });
      assert.doesNotMatch(r.stdout, /^FAIL/m, explain(r));
      assert.match(r.stdout, new RegExp(`^type ${type}: rcode 0 answers ${want.length}$`, "m"), explain(r));
      assert.deepEqual([...r.stdout.matchAll(/^record (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`), [...want], explain(r));
      assert.equal(r.status, 0, explain(r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
