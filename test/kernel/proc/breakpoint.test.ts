// A debugger's breakpoint through ptrace (progs/breakpoint.c): POKETEXT puts
// an ebreak into a tracee's read-only text (FOLL_FORCE: a private copy of the
// page), the tracee stops with SIGTRAP at that pc, the instruction goes back
// and the tracee computes the right value; the tracer and a fresh process of
// the same file still run the old bytes; a shared read-only mapping refuses
// the write (EIO). Run on the interpreter and with the JIT translating from
// the start, where target() is already translated code when the breakpoint
// goes in (kernel/mm/remote.ts flushes the written page's regions).
// qemu-user has no ptrace: the expectations are Linux's (see the program).
// Concepts: C24 (the private copy), C15, C44.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT, type RunResult } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/proc/progs");

function check(r: RunResult): void {
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^breakpoint: hit at target$/m, explain(r));
  assert.match(r.out, /^plain: target\(41\)=124$/m, explain(r));
  assert.match(r.out, /^victim: target\(41\)=124$/m, explain(r));
  assert.match(r.out, /^victim: private poked, shared ELF$/m, explain(r));
  assert.match(r.out, /^breakpoint: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
}

test("ptrace breakpoint: POKETEXT into r-x text COWs for the tracee only, SIGTRAP at the pc, restore and continue (interpreter)", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const saved = process.env.TSIX_TEST_JIT;
  process.env.TSIX_TEST_JIT = "off"; // read once, synchronously, when run() creates the machine
  let r: RunResult;
  try { r = await run("breakpoint", { dir: PROGS }); } finally { if (saved === undefined) delete process.env.TSIX_TEST_JIT; else process.env.TSIX_TEST_JIT = saved; }
  check(r);
});

test("ptrace breakpoint: the same with the JIT on, the function translated before the ebreak goes in", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const saved = process.env.TSIX_TEST_JIT;
  process.env.TSIX_TEST_JIT = "on"; // read once, synchronously, when run() creates the machine
  let r: RunResult;
  try { r = await run("breakpoint", { dir: PROGS }); } finally { if (saved === undefined) delete process.env.TSIX_TEST_JIT; else process.env.TSIX_TEST_JIT = saved; }
  check(r);
  const s = r.k.machine.jit.stats();
  assert.ok(s.enabled && s.regionsTranslated > 0, `the JIT translated code (${JSON.stringify(s)})`);
  assert.ok(s.vaFlushDrops > 0, `translated regions were dropped by page flushes (${JSON.stringify(s)})`);
});
