// Two kernels in one process run side by side without interfering: each
// boots the default image and runs a busybox script that forks, pipes,
// waits, writes its own files, sets its own hostname and reads /proc; run
// interleaved (both run loops alive at once, taking turns at their host
// yields), each prints exactly what it prints when it runs alone. Kernel
// state lives in the Kernel object only - no module-level state couples
// them (a wake-up of one kernel's task must never reach the other's run
// queue).
//
// Concepts: C84 (no global state: the precondition of snapshot/restore),
// C21-C23 (each kernel's own process table and scheduler).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadCore } from "../../../host/node/core.js";
import { bootKernel, type Kernel } from "../../../kernel/index.js";
import { createVm, runVm } from "../../../vmm/vmm.js";
import { defaultImage } from "../harness.js";

function script(name: string): string {
  return [
    `hostname ${name}`,
    `echo ${name} > /tmp/name`,
    "echo pid=$$",
    "i=0",
    `while [ $i -lt 60 ]; do echo ${name}-$i | cat > /tmp/last; i=$((i+1)); done`,
    "cat /tmp/name /tmp/last",
    "sleep 0.01 & wait",
    "echo procs=$(ls /proc | grep -c '^[0-9]')",
    "echo host=$(cat /proc/sys/kernel/hostname)",
    "echo self=$(readlink /proc/self)",
    "cat /proc/sys/kernel/ostype",
  ].join("\n");
}

interface Run { k: Kernel; out: () => string; done: Promise<number> }

/** Boot `name`'s script; `onYield` hears each time its run loop gives the host a turn. */
async function start(name: string, onYield: (name: string) => void): Promise<Run> {
  const img = await defaultImage();
  let out = "";
  const dec = new TextDecoder();
  const vm = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 64 << 20, clock: "instret", consoleOut: (b) => { out += dec.decode(b, { stream: true }); } });
  const k = vm.kernel;
  bootKernel(k, readFileSync(img.path), { args: ["--", "sh", "-c", script(name)] });
  const done = runVm(vm, {
    // Idle with nothing to wait for: the script has ended (or hung; the test's timeout tells).
    wakeIdle: () => new Promise<void>((r) => { setTimeout(r, 1); }),
    yieldToHost: () => new Promise<void>((r) => { onYield(name); setImmediate(r); }),
  }).then((e) => e.status);
  return { k, out: () => out, done };
}

test("two kernels in one process run interleaved exactly as each runs alone", { timeout: 120_000 }, async () => {
  // Alone, one after the other: the reference outputs.
  const soloA = await start("alpha", () => {});
  const statusA = await soloA.done;
  const soloB = await start("beta", () => {});
  const statusB = await soloB.done;
  assert.equal(statusA, 0, soloA.out());
  assert.equal(statusB, 0, soloB.out());
  assert.match(soloA.out(), /^alpha\r\nalpha-59\r\n/m, soloA.out());
  assert.match(soloA.out(), /host=alpha\r\n/, soloA.out());
  assert.match(soloB.out(), /host=beta\r\n/, soloB.out());

  // Both at once.
  const turns: string[] = [];
  const a = await start("alpha", (n) => turns.push(n));
  const b = await start("beta", (n) => turns.push(n));
  const [sa, sb] = await Promise.all([a.done, b.done]);
  const switches = turns.filter((n, i) => i > 0 && n !== turns[i - 1]).length;
  assert.ok(switches >= 2, `the two run loops took turns (${turns.length} yields, ${switches} switches)`);
  assert.equal(sa, 0, a.out());
  assert.equal(sb, 0, b.out());
  assert.equal(a.out(), soloA.out(), "alpha's output is what it is alone");
  assert.equal(b.out(), soloB.out(), "beta's output is what it is alone");
  assert.notEqual(a.k.tasks, b.k.tasks);
});
