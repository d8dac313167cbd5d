// ptrace's event stops and the end of a trace (progs/ptrace_events.c):
// PTRACE_O_TRACEEXIT (exit_group and a death by signal, GETEVENTMSG = the
// exit status), TRACEVFORK and TRACEVFORKDONE (events in order, the child's
// pid as message), TRACEEXEC's message, PTRACE_DETACH with a signal, the
// stops around a syscall a signal interrupts (exit with -ERESTARTSYS, the
// signal, a new entry when it restarts), a second
// tracer's EPERM, and PTRACE_O_EXITKILL against a plain detach when the
// tracer exits. qemu-user has no ptrace: the exact wait statuses are Linux's
// documented ones (see the program).
// Concepts: C44, C24, C04.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/proc/progs");

test("ptrace events: EXIT (exit_group, signal), VFORK, VFORK_DONE, EXEC messages, DETACH with a signal, second tracer, EXITKILL", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("ptrace_events", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^exit event: 0x6057f msg 0x300, then exited 0x300$/m, explain(r));
  assert.match(r.out, /^exit event on SIGTERM: msg 15, then status 0xf$/m, explain(r));
  assert.match(r.out, /^vfork: VFORK event 1, child stop 1, child exit 1, VFORK_DONE 1, parent exit 0$/m, explain(r));
  assert.match(r.out, /^vfork done only: status 0x5057f$/m, explain(r));
  assert.match(r.out, /^exec event: 0x4057f msg = pid$/m, explain(r));
  assert.match(r.out, /^detach with SIGUSR1: status 0x2a00$/m, explain(r));
  // Linux's order for a blocked read interrupted by an SA_RESTART handler: read's exit with -ERESTARTSYS (512),
  // the signal-delivery-stop, rt_sigreturn (139) returning the restored a0 (the fd, 3), read (63) entering again.
  assert.match(r.out, /^interrupted syscall: e63 x-512! s12 e139 x3 e63 x1 e94 $/m, explain(r));
  assert.match(r.out, /^second tracer: EPERM$/m, explain(r));
  assert.match(r.out, /^tracer exit, options 0x100000: tracee status 0x9$/m, explain(r));
  assert.match(r.out, /^tracer exit, options 0: tracee status 0xf$/m, explain(r));
  assert.match(r.out, /^ptrace_events: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});
