// AF_UNIX sockets against a hostile program (test/security/progs/sec_unix.c):
// bad pointers, forged control messages (lengths, credentials), a huge
// datagram, descriptors passed into a control buffer that cannot be
// written, a descriptor cycle, a flood of empty messages. Each call fails
// with Linux's errno or succeeds within the buffer bounds; the kernel logs no
// oops and the program's verdict comes back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

test("sec_unix: hostile socket calls fail cleanly and the kernel stays up", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("sec_unix", { dir: join(SRC_ROOT, "test/security/progs"), creds: { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000 } });
  assert.doesNotMatch(r.log, /oops|BUG/i, explain(r));
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^sec_unix: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});
