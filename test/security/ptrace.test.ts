// ptrace and ptys cannot corrupt the kernel or cross users (see
// progs/sec_ptrace.c): garbage registers from a tracer only kill the tracee,
// bad addresses are EFAULT/EIO, an unprivileged process gets EPERM for
// root's process (ATTACH, process_vm_readv) and for TIOCSTI into a tty that
// is not its own, and a pty writer without a reader is held back.
// Concepts: C06, C44, C14.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

const PROGS = join(SRC_ROOT, "test/security/progs");

test("ptrace: wild registers kill only the tracee, bad pointers fail cleanly, no crossing users; pty writers are bounded", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("sec_ptrace", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^sec_ptrace: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
  assert.doesNotMatch(r.log, /oops/, explain(r));
  assert.equal(r.k.tty.ptys.size, 0);
});
