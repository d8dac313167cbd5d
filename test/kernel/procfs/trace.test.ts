// The strace-like syscall trace (`tsix run --trace syscall`) and the load
// average. The trace is checked on a real program: paths and buffers as
// strings, flags and commands by name, errors as strace prints them, "?" for
// calls that do not return. The load average is driven through the kernel's
// timers with a run queue of known length.
// Concepts: C04, C22, C29.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runProg, skipNoCc } from "./harness.js";
import { enableSyscallTrace, quote, formatResult } from "../../../kernel/trace/strace.js";
import { subscribe, tracepoints } from "../../../kernel/trace/tracepoint.js";
import { loadCore } from "../../../host/node/core.js";
import { runTimers } from "../../../kernel/index.js";
import { createVm } from "../../../vmm/vmm.js";
import { makeRunnable, dequeueTask } from "../../../kernel/sched/core.js";
import { startLoadavg, loadavg, bumpLoadavg } from "../../../kernel/fs/proc/loadavg.js";
import type { Task } from "../../../kernel/proc/task.js";

test("syscall trace: decoded arguments and results", { skip: skipNoCc }, async () => {
  const lines: string[] = [];
  let off: (() => void) | null = null;
  const r = await runProg("procfs_ops", ["cat:/proc/self/comm", "open:/nonexistent", "child", "reap"], {
    setup: (k) => { off = enableSyscallTrace(k, (l) => lines.push(l)); },
  });
  assert.equal(r.status, 0, r.out);
  const has = (re: RegExp): void => assert.ok(lines.some((l) => re.test(l)), `no trace line matches ${re}\n${lines.join("\n")}`);
  has(/^1 readlinkat\(AT_FDCWD, "\/proc\/self\/exe", "\/bin\/procfs_ops", 4096\) = 15$/);
  has(/^1 openat\(AT_FDCWD, "\/proc\/self\/comm", O_RDONLY\) = 3$/);
  has(/^1 read\(3, "procfs_ops\\n", 65536\) = 11$/);
  has(/^1 openat\(AT_FDCWD, "\/nonexistent", O_RDONLY\) = -1 ENOENT \(No such file or directory\)$/);
  has(/^1 write\(1, ">> cat \/proc\/self\/comm\\n", 23\) = 23$/);
  has(/^1 ioctl\(1, TCGETS, 0x[0-9a-f]+\) = 0$/);
  has(/^1 pipe2\(\[3, 4\], 0\) = 0$/);
  has(/^1 clone\(flags=CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, NULL, NULL, NULL, 0x[0-9a-f]+\) = 2$/);
  has(/^1 mprotect\(0x[0-9a-f]+, \d+, PROT_READ\) = 0$/);
  has(/^1 brk\(NULL\) = 0x[0-9a-f]+$/);
  has(/^2 exit_group\(7\) = \?$/);
  has(/^1 wait4\(2, 0x[0-9a-f]+, 0, NULL\) = 2$/);
  has(/^1 sched_yield\(\) = 0$/);
  has(/^1 exit_group\(0\) = \?$/);
  assert.ok(r.k.host.traceSyscall, "the hook is installed while someone listens");
  off!();
  assert.equal(r.k.host.traceSyscall, null, "and removed with the last subscriber: tracing costs one null check");
  assert.equal(tracepoints(r.k).sys_exit, undefined);
});

test("strace formatting helpers", () => {
  assert.equal(quote(new TextEncoder().encode("a\"b\\\n\t\x1b1\x01x")), "\"a\\\"b\\\\\\n\\t\\0331\\1x\"");
  assert.equal(quote(new Uint8Array(40).fill(0x61)), `"${"a".repeat(32)}"...`);
  assert.equal(formatResult("openat", -13), "-1 EACCES (Permission denied)");
  assert.equal(formatResult("mmap", 0x3fff000000), "0x3fff000000");
  assert.equal(formatResult("exit_group", -0x100000), "?");
  assert.equal(formatResult("execve", -0x100000), "0");
  assert.equal(formatResult("sched_yield", -0x100000, 0n), "0");
});

test("tracepoints: a throwing subscriber is dropped, others keep receiving", () => {
  const k = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, clock: "instret" }).kernel;
  const got: number[] = [];
  subscribe(k, "irq", () => { throw new Error("bad subscriber"); });
  subscribe(k, "irq", (e) => got.push(e.irq));
  const s = tracepoints(k).irq!;
  for (const f of [...s]) { try { f({ irq: 10, cpu: 0 }); } catch { /* emit() would drop it */ } }
  assert.deepEqual(got, [10]);
});

function fakeTask(): Task {
  return { state: "R", cpu: -1, sched: { affinity: 1, rq: -1, lastCpu: 0 } } as unknown as Task;
}

test("load average: exponentially damped run-queue length every 5 s; an idle system stops sampling", () => {
  const k = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, clock: "instret" }).kernel;
  startLoadavg(k);
  const at = (s: number): void => { k.machine.setMtime(BigInt(Math.round(s * 1e7))); runTimers(k); };
  const fakes = [fakeTask(), fakeTask()];
  for (const t of fakes) makeRunnable(k, t);
  at(5);
  const e1 = Math.exp(-5 / 60);
  assert.ok(Math.abs(loadavg(k)[0] - 2 * (1 - e1)) < 1e-9, `one sample: ${loadavg(k)[0]}`);
  for (let s = 10; s <= 300; s += 5) at(s);
  const la = [...loadavg(k)];
  assert.ok(la[0] > 1.9 && la[0] < 2, `1-minute average near 2 after 5 minutes: ${la[0]}`);
  assert.ok(la[1] > 1.2 && la[1] < la[0], `5-minute average lags: ${la[1]}`);
  assert.ok(la[2] < la[1], "15-minute average lags more");
  assert.deepEqual(k.loadavg.avg, la, "sysinfo(2) reads k.loadavg.avg");
  // Idle: the averages decay and, with nothing left to happen, sampling stops.
  for (const t of fakes) dequeueTask(k, t);
  at(305);
  const before = loadavg(k)[0];
  assert.ok(before < la[0]);
  assert.equal(k.timers.length, 0, "no timer keeps an idle machine awake");
  // Input after a minute of idleness: the missed samples are folded in as zeros.
  k.machine.setMtime(BigInt(365 * 1e7));
  bumpLoadavg(k);
  assert.ok(Math.abs(loadavg(k)[0] - before * Math.pow(e1, 12)) < 1e-9);
  assert.equal(k.timers.length, 1, "sampling again");
});
