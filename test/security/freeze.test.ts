// No syscall can freeze the machine (issue 6). The kernel is synchronous
// code: a syscall that loops for long stops every hart, every timer and
// every other task, and kill -9 never gets its turn. These tests run tsix as
// a child process (a freeze is then a failed test, not a hung test runner),
// with the instret clock where they count time, so that what they assert is
// virtual time and does not depend on how busy the host is.
//   - eventfd: a 16 MiB write (once a loop re-copying 1 MiB for every 8-byte
//     step: hours) is EINVAL at once; the eventfd semantics match Linux's,
//     cross-checked under qemu-riscv64.
//   - a 1 GiB write() to /dev/null, a large one to a tmpfs file and to a
//     pipe: another task keeps getting the CPU (and printing) meanwhile
//     (under the default cfs too: the kernel's copies are charged as time).
//   - kill -9 of a task in a 1 GiB write reaps it at once, the write unfinished.
//   - the host watchdog names a syscall that never returns and stops tsix.
//   - the fuzzer's seed 2 (it found the eventfd freeze after ~192,500 calls)
//     runs 200,000 calls.
// Concepts: C12 (no syscall keeps the CPU: timers and preemption go on),
// C22 (syscalls restart: progress is kept in the task), C44 (SIGKILL),
// C47 (eventfd), C06.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, tsixAsync, explain } from "../kernel/harness.js";
import { program, haveCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { SYS_getppid } from "../../kernel/abi/sysno.js";

const PROGS = join(SRC_ROOT, "test/security/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;
const skipCC = haveCC ? false : "riscv64-linux-gnu-gcc is not installed";

/** A host directory holding the built sec_freeze, to mount at /mnt. */
function progDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsix-sec-freeze-"));
  const bin = join(dir, "sec_freeze");
  writeFileSync(bin, program("sec_freeze", PROGS));
  chmodSync(bin, 0o755);
  return dir;
}

/** Tick lines printed between "write start" and "write done". */
function ticksDuringWrite(out: string): number {
  const a = out.indexOf("write start\n"), b = out.indexOf("write done");
  if (a < 0 || b < 0) return -1;
  return out.slice(a, b).split("\n").filter((l) => /^tick \d+$/.test(l)).length;
}

test("eventfd: a 16 MiB write is EINVAL at once and the machine goes on; eventfd semantics as Linux", { skip: skipCC, timeout: 120_000 }, async () => {
  const dir = progDir();
  try {
    const r = await tsixAsync(["run", "--mount", `${dir}:/mnt`, "--", "sh", "-c", "/mnt/sec_freeze eventfd tsix; echo status $?; echo alive"], { timeout: 60_000 });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /^sec_freeze: ok \(0 failures\)$/m, explain(r));
    assert.match(r.stdout, /^status 0\nalive$/m, explain(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sec_freeze's eventfd expectations hold on Linux (qemu-riscv64)", { skip: skipCC || (!haveQemu ? "qemu-riscv64 is not installed" : false), timeout: 120_000 }, () => {
  const dir = progDir();
  try {
    const r = spawnSync("qemu-riscv64", [join(dir, "sec_freeze"), "eventfd"], { cwd: dir, encoding: "utf8", timeout: 100_000, env: { ...process.env, TESTDIR: dir } });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /sec_freeze: ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// tmpfs holds at most half of RAM (Linux's default size=50%): the tmpfs case gets room for 128 MiB.
for (const [target, mib, mem, why] of [
  ["null", 1024, "256M", "a 1 GiB write to /dev/null"],
  ["tmpfs", 128, "512M", "a 128 MiB write to a tmpfs file"],
  // 64 MiB: copies cost virtual time at the work budget's rate (sched/budget.ts), and under cfs the busy task
  // gets its fair half of the CPU, so the write must last long enough for ten of its 5 ms ticks with room to spare.
  ["pipe", 64, "256M", "a 64 MiB write to a pipe a child drains"],
] as const) {
  test(`${why} does not starve a busy task: it keeps running and printing meanwhile`, { skip: skipCC, timeout: 180_000 }, async () => {
    const dir = progDir();
    try {
      const r = await tsixAsync(["run", "--clock", "instret", "--mem", mem, "--mount", `${dir}:/mnt`, "--", "/mnt/sec_freeze", "ticks", target, String(mib)], { timeout: 150_000 });
      assert.equal(r.status, 0, explain(r));
      assert.match(r.stdout, new RegExp(`^write done ${mib * 1024 * 1024} in \\d+ ms$`, "m"), explain(r));
      // The busy task printed a tick every 5 ms of (virtual) time all along the write.
      const n = ticksDuringWrite(r.stdout);
      assert.ok(n >= 10, `only ${n} ticks while the write ran\n${explain(r)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("kill -9 of a task in a 1 GiB write takes effect at once", { skip: skipCC, timeout: 120_000 }, async () => {
  const dir = progDir();
  try {
    for (const clock of ["instret", "host"]) {
      const r = await tsixAsync(["run", "--clock", clock, "--mount", `${dir}:/mnt`, "--", "/mnt/sec_freeze", "kill"], { timeout: 60_000 });
      assert.equal(r.status, 0, `--clock ${clock}: ${explain(r)}`);
      const m = /^kill -9 to reaped: (\d+) ms; killed by signal 9; the write had not returned$/m.exec(r.stdout);
      assert.ok(m, `--clock ${clock}: ${explain(r)}`);
      // Reaped within a few time slices of the kill (instret: virtual time, exact; host: generous).
      assert.ok(Number(m[1]) <= (clock === "instret" ? 20 : 500), `--clock ${clock}: ${m[1]} ms from kill to reaped`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the host watchdog names a syscall that never returns and stops tsix", { timeout: 60_000 }, () => {
  // The test hook makes getppid spin forever inside the kernel; nothing in the guest can run.
  const r = tsix(["run", "--", "sh", "-c", "echo $PPID; echo after"], {
    timeout: 40_000,
    env: { ...process.env, TSIX_HANG_SYSCALL: String(SYS_getppid), TSIX_WATCHDOG_MS: "1500" },
  });
  assert.equal(r.signal, "SIGKILL", explain(r));
  assert.match(r.stderr, new RegExp(`^tsix: watchdog: hung syscall: the kernel has spent \\d+\\.\\d s in one trap, task \\d+ in syscall ${SYS_getppid} \\(getppid\\)\\(0x`, "m"), explain(r));
  assert.ok(r.ms < 30_000, `the watchdog took ${r.ms} ms`);
  assert.doesNotMatch(r.stdout, /after/);
});

test("fuzz seed 2 (which found the eventfd freeze) runs 200,000 calls: no hang, no oops", { timeout: 300_000 }, async () => {
  const r = await tsixAsync(["run", "--", "sh", "-c", "/usr/lib/tsix/bin/fuzz 200000 2 && dmesg"], { timeout: 240_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^fuzz: ok$/m, explain(r));
  assert.match(r.stdout, /hung calls: 0$/m, explain(r));
  assert.doesNotMatch(r.stderr, /watchdog/, explain(r));
  const calls = /fuzz: (\d+) calls made/.exec(r.stdout);
  assert.ok(calls && Number(calls[1]) >= 200_000, explain(r));
  assert.doesNotMatch(r.stdout, /oops/i, "no oops in the kernel log");
});
