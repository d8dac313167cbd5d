// --net user's DNS over IPv6 (kernel/net/inet.ts): as QEMU's user networking
// offers a DNS server at fec0::3 besides 10.0.2.3, a UDP query a guest sends
// to [fec0::3]:53 goes to the host's resolver like one to 10.0.2.3:53, and
// the answer comes back from [fec0::3]:53 (progs/dns_query.c asks both, on
// unconnected and connected sockets). The guest's /etc/resolv.conf still
// names 10.0.2.3 only (it is /proc/net/pnp, which lists IPv4 servers, as on
// Linux). The question is "localhost", which the host's resolver answers
// from its own hosts file: no network is used.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
