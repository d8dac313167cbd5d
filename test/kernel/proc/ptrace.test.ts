// ptrace through the real syscall path: progs/ptrace.c traces its own
// re-exec (TRACEME + execve, syscall stops with TRACESYSGOOD, GET_SYSCALL_INFO,
// GETREGSET/SETREGSET changing a syscall, PEEKDATA, TRACEFORK following a
// child to its exit), SEIZE/INTERRUPT/signal-delivery-stops/KILL, and the
// permission rules. qemu-user has no ptrace, so the program's expectations
// are Linux's documented ones (each explained in the program).
// Concepts: C44, C24, C04.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/proc/progs");

test("ptrace: TRACEME+exec, syscall stops, registers, PEEKDATA, fork following, SEIZE/INTERRUPT, signal-delivery-stops, KILL, permissions", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("ptrace", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^ptrace: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
  // The victim's write went through (the tracer only looked at it).
  assert.match(r.out, /^peek-me!$/m, explain(r));
});
