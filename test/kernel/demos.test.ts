// tsix's own C demos (userland/src/*.c, installed in the image under
// /usr/lib/tsix/bin) running on the tsix kernel: each proves one mechanism and
// ends with "NAME: ok" and exit status 0. The same programs pass under
// qemu-riscv64 on Linux (test/userland/demos.test.ts).
// Concepts: C22/C21 (fork_wait), C40 (pipe_demo), C59/C53 (cow_demo),
// C20/C24 (exec_demo), C44 (signal_demo), C53/C57 (segv_demo), C03 (sigill_demo),
// C25 (orphan_demo: orphans adopted by init, PID 1).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tsix, explain } from "./harness.js";

const DIR = "/usr/lib/tsix/bin";

function demo(name: string, args: string[] = []): string {
  const r = tsix(["run", "--", `${DIR}/${name}`, ...args], { timeout: 240_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, new RegExp(`^${name}: ok$`, "m"), explain(r));
  assert.doesNotMatch(r.stdout, /^FAIL/m, explain(r));
  return r.stdout;
}

test("fork_wait: fork, exit codes, signals and WNOHANG through wait4", () => { demo("fork_wait"); });
test("pipe_demo: bytes in order, a blocking writer, EOF and EPIPE", () => { demo("pipe_demo"); });

test("cow_demo: after fork, reads share frames; the fault count rises only on writes", () => {
  const o = demo("cow_demo");
  const m = /minflt (\d+) before, (\d+) after reading (\d+) shared pages \(\+(\d+)\), (\d+) after writing them \(\+(\d+)\)/.exec(o);
  assert.ok(m, o);
  const pages = Number(m[3]), onRead = Number(m[4]), onWrite = Number(m[6]);
  assert.ok(onRead < pages / 2, `reading ${pages} shared pages faulted ${onRead} times`);
  assert.ok(onWrite >= pages, `writing ${pages} shared pages faulted only ${onWrite} times`);
});

test("exec_demo: execve replaces the program, keeps the pid and the fds", () => { demo("exec_demo"); });
test("signal_demo: handlers, masks, pending signals, sigsuspend", () => { demo("signal_demo"); });
test("segv_demo: bad accesses kill only the faulting process, with the right si_code", () => { demo("segv_demo"); });
test("sigill_demo: privileged instructions in U-mode raise SIGILL", () => { demo("sigill_demo"); });

test("orphan_demo --expect-init: an orphan is adopted by PID 1", () => {
  const o = demo("orphan_demo", ["--expect-init"]);
  assert.match(o, /parent is now 1 \(init: adopted by pid 1\)/);
});
