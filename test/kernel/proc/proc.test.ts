// Process lifecycle, signals and futexes, proven by real static glibc
// programs running on the tsix kernel (booted in this process from an
// initramfs, with test/kernel/proc/progs/tinit.c as PID 1): the userland
// demos and the programs in test/kernel/proc/progs. Every program prints
// PASS/FAIL lines and "<name>: ok"; the kernel log must show no oops.
// Programs that behave the same on any Linux are also run under
// qemu-riscv64, to show the expectations are Linux's.
// Concepts: C22, C24, C25, C26, C27, C33, C34, C44, C53, C59, C03, C06.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProg, oopses, explain, haveCc, haveQemu, busybox, programPath, type BootResult, type RunOptions } from "./boot.js";

const skip = haveCc ? false : "riscv64-linux-gnu-gcc is not installed";

/** Run /bin/NAME under tinit and check the usual verdict lines. */
async function passes(name: string, args: string[] = [], opts: RunOptions = {}): Promise<BootResult> {
  const r = await runProg(name, args, { timeoutMs: 150_000, ...opts });
  assert.deepEqual(oopses(r), [], `kernel oops running ${name}:\n${explain(r)}`);
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, new RegExp(`^${name}: ok$`, "m"), explain(r));
  assert.equal(r.status, 0, explain(r));
  return r;
}

// ---- the userland demos ----

test("fork_wait: fork returns 0/pid, wait4 reports exit codes, signals, WNOHANG, ECHILD", { skip, timeout: 200_000 }, async () => {
  await passes("fork_wait");
});

test("fork_wait also runs with the deterministic instruction clock", { skip, timeout: 200_000 }, async () => {
  await passes("fork_wait", [], { clock: "instret" });
});

test("cow_demo: fork shares pages copy-on-write, one fault per written page", { skip, timeout: 200_000 }, async () => {
  const r = await passes("cow_demo");
  assert.match(r.out, /one copy-on-write fault per page/);
});

test("signal_demo: handlers, blocked and pending signals, sigsuspend", { skip, timeout: 200_000 }, async () => {
  await passes("signal_demo");
});

test("segv_demo: SIGSEGV kills; a handler sees SEGV_MAPERR/SEGV_ACCERR and si_addr", { skip, timeout: 200_000 }, async () => {
  await passes("segv_demo");
});

test("sigill_demo: csrw satp / sret / csrr mstatus in U-mode raise SIGILL; sigreturn resumes", { skip, timeout: 200_000 }, async () => {
  await passes("sigill_demo");
});

test("orphan_demo --expect-init: the orphan is adopted and reaped by PID 1", { skip, timeout: 200_000 }, async () => {
  const r = await passes("orphan_demo", ["--expect-init"]);
  assert.match(r.out, /^tinit: reaped \d+ orphan status 0x0$/m, "init reaped the orphan");
});

test("pipe_demo: blocking pipe I/O between parent and child", { skip, timeout: 200_000 }, async () => {
  await passes("pipe_demo");
});

test("exec_demo: execve of busybox echo and sh keeps the pid and open files", { skip: skip || (busybox() ? false : "no default image with busybox built"), timeout: 200_000 }, async () => {
  await passes("exec_demo", [], { busybox: true });
});

// ---- the lifecycle programs ----

test("lifecycle: wait selectors, zombies, waitid, clone children, autoreap, vfork, posix_spawn, PDEATHSIG", { skip, timeout: 200_000 }, async () => {
  await passes("lifecycle");
});

test("threads: pthread create/join, contended mutex, condvars, barrier, pthread_kill, exit from a thread", { skip, timeout: 200_000 }, async () => {
  await passes("threads");
});

test("threads on 4 harts: futexes and thread exit across CPUs", { skip, timeout: 200_000 }, async () => {
  await passes("threads", [], { cpus: 4 });
});

test("sigtest: siginfo, nesting, masks, RT queueing, sigtimedwait, FP state, sigaltstack, SA_RESTART", { skip, timeout: 200_000 }, async () => {
  await passes("sigtest");
});

test("jobctl: setpgid/setsid rules, kill(-pgid), stop/continue via wait4 and SIGCHLD, orphaned groups", { skip, timeout: 200_000 }, async () => {
  await passes("jobctl");
});

test("timers: alarm, setitimer, ITIMER_VIRTUAL, futex timeouts/requeue/wake-op, shared futex", { skip, timeout: 200_000 }, async () => {
  await passes("timers");
});

test("restart: a signal restarts or fails a syscall by its restart code (stop/continue keeps deadlines; SA_RESTART vs NOHAND/RESTARTBLOCK)", { skip, timeout: 200_000 }, async () => {
  const r = await passes("restart", [], { clock: "instret" });
  // On the instruction clock the times are exact: the sleeps end on their original 600 ms deadline.
  assert.match(r.out, /^nanosleep across a stop: 600 ms$/m, explain(r));
  assert.match(r.out, /^timed FUTEX_WAIT across a stop: 600 ms$/m, explain(r));
});

test("execsh: #! scripts, ELOOP/ENOENT/EACCES/ENOEXEC/E2BIG, close-on-exec, signals across exec, exec from a thread", { skip, timeout: 200_000 }, async () => {
  await passes("execsh");
});

test("execsh on 2 harts: de_thread with a sibling running elsewhere", { skip, timeout: 200_000 }, async () => {
  await passes("execsh", [], { cpus: 2 });
});

test("creds: uid/gid rules, groups, capabilities, kill permission, nice, policies, affinity, CPU accounting", { skip, timeout: 200_000 }, async () => {
  await passes("creds");
});

test("sigframe: the handler's ucontext holds the interrupted registers bit for bit; rt_sigreturn loads what the handler wrote", { skip, timeout: 200_000 }, async () => {
  await passes("sigframe");
});

test("procfuzz: bad pointers and forged signal frames fail cleanly; random calls never oops", { skip, timeout: 200_000 }, async () => {
  await passes("procfuzz", ["6000", "12345"]);
});

// ---- the same expectations on Linux (qemu-riscv64) ----
// (lifecycle is left out: qemu-user runs vfork as a plain fork.)

for (const name of ["threads", "timers", "restart", "sigframe"]) {
  test(`${name} passes under qemu-riscv64 too`, { skip: skip || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 200_000 }, () => {
    const cwd = mkdtempSync(join(tmpdir(), `tsix-${name}-`));
    try {
      const r = spawnSync("qemu-riscv64", [programPath(name)], { cwd, encoding: "utf8", timeout: 150_000 });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^${name}: ok$`, "m"));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
}
