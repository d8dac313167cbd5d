// Threads traced one by one (progs/ptrace_threads.c): PTRACE_O_TRACECLONE
// attaches a new thread (EVENT_CLONE with its tid, then its own SIGSTOP
// stop), waitpid(-1, __WALL) reports each thread's stops and exit under its
// tid, GETREGSET/SETREGSET on a tid read and move that thread's registers;
// SEIZE of one thread of a running process leaves the others untraced,
// INTERRUPT, group-stop as SIGSTOP|EVENT_STOP, LISTEN and the SIGCONT trap,
// and the EIO/ESRCH/EPERM of misuse. qemu-user has no ptrace: the
// expectations are Linux's (see the program).
// Concepts: C33 (threads), C44, C24.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "./../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/proc/progs");

test("ptrace per thread: TRACECLONE, per-tid stops, registers and exits; SEIZE one thread, INTERRUPT, group-stop, LISTEN", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("ptrace_threads", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^A: clone event, thread stop, thread trap, thread exit, process exit$/m, explain(r));
  assert.match(r.out, /^B: seize a thread, interrupt, group-stop, listen, SIGCONT trap, detach$/m, explain(r));
  assert.match(r.out, /^ptrace_threads: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});

// progs/ptrace_exit.c: exit_group (or a fatal signal) in one thread of a
// traced process stops every thread at PTRACE_EVENT_EXIT, the process's exit
// status as message, before any of them exits (Linux zap_other_threads);
// the siblings are zapped before the caller's own stop (C: all three stops
// arrive with none resumed); SIGKILL stops them too, message 9, and a second
// SIGKILL does not release them (D).
test("ptrace: exit_group(7), SIGTERM or SIGKILL stops all three traced threads at PTRACE_EVENT_EXIT before the exits", { skip: skipNoCC, timeout: 240_000 }, async () => {
  // On one hart, and on two, where a zapped thread may be running on the other one.
  for (const cpus of [1, 2]) {
    const r = await run("ptrace_exit", { dir: PROGS, cpus });
    assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
    assert.match(r.out, /^A: 3 EVENT_EXIT stops \(leader too\), 2 thread exits, process exit last$/m, explain(r));
    assert.match(r.out, /^B: 3 EVENT_EXIT stops \(leader too\), 2 thread exits, process exit last, after the SIGTERM stop$/m, explain(r));
    assert.match(r.out, /^C: 3 EVENT_EXIT stops held \(leader too\)$/m, explain(r));
    assert.match(r.out, /^C: released, 2 thread exits, process exit last$/m, explain(r));
    assert.match(r.out, /^D: 3 EVENT_EXIT stops held \(leader too\)$/m, explain(r));
    assert.match(r.out, /^D: second SIGKILL: still held$/m, explain(r));
    assert.match(r.out, /^D: released, 2 thread exits, process exit last$/m, explain(r));
    assert.match(r.out, /^ptrace_exit: ok \(0 failures\)$/m, explain(r));
    assert.equal(r.status, 0, explain(r));
  }
});
