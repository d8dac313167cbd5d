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

// progs/restart_syscall.c: an ERESTART_RESTARTBLOCK call (nanosleep, a
// relative clock_nanosleep, a timed FUTEX_WAIT) restarted with no handler run
// comes back as restart_syscall(2) - a7 = 128 after a stop and SIGCONT, a new
// syscall entry for a tracer after a suppressed signal - and sleeps only the
// time left; an absolute clock_nanosleep restarts itself; restart_syscall
// with nothing to restart is EINTR. qemu-user agrees on the results and the
// time slept (it restarts under the call's own number and has no
// restart_syscall): the a7 and tracer expectations are Linux's.
test("restart_syscall: a7 = 128 after SIGSTOP/SIGCONT, the time left slept, the tracer sees restart_syscall enter", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("restart_syscall", { dir: PROGS });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^A: nanosleep stopped and continued: returned 0, a7 128, slept the time left$/m, explain(r));
  assert.match(r.out, /^A: clock_nanosleep stopped and continued: returned 0, a7 128, slept the time left$/m, explain(r));
  assert.match(r.out, /^A: futex_wait stopped and continued: returned -110, a7 128, slept the time left$/m, explain(r));
  assert.match(r.out, /^A: clock_nanosleep abs stopped and continued: returned 0, a7 115, slept the time left$/m, explain(r));
  assert.match(r.out, /^B: restart_syscall with nothing to restart: -1 EINTR$/m, explain(r));
  // nanosleep (101) exits with -ERESTART_RESTARTBLOCK (516), SIGWINCH (28) stops it, restart_syscall (128) enters and returns 0.
  assert.match(r.out, /^C: traced: e101 x-516! s28 e128 x0 e94 $/m, explain(r));
  assert.match(r.out, /^C: at restart_syscall's entry a7 128 and a0 nanosleep's: yes$/m, explain(r));
  assert.match(r.out, /^restart_syscall: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});
