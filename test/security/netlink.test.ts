// AF_NETLINK and mq_notify's SIGEV_THREAD against a hostile program
// (test/security/progs/sec_netlink.c): lying message lengths, a datagram
// packed with dump requests, bad addresses and pointers, a tiny receive
// buffer, a notification socket closed before it fires. Every call fails
// with Linux's errno or is answered within the socket's bounds; the kernel
// logs no oops and the program's verdict comes back.
// Concepts: C45.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

test("sec_netlink: hostile netlink requests fail cleanly and the kernel stays up", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("sec_netlink", { dir: join(SRC_ROOT, "test/security/progs"), creds: { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000 } });
  assert.doesNotMatch(r.log, /oops|BUG/i, explain(r));
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^sec_netlink: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});
