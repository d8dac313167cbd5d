// CPU time accounting (C02), two bugs of issue 8: `top` showed sys as
// 429496719% and `time` showed more user time than real time.
//
// Cause: a task's user time was its retired instructions at a fixed 10 ns
// each, while real time (and idle time) follow the kernel clock, which by
// default is the host's. A core that retires more than 100 M instructions a
// host second (the JIT, a fast host) was charged more user time than real
// time passed; /proc/stat clamped user to elapsed - idle and took system as
// the rest, so when user caught up system went back, and top's unsigned
// difference of two samples wrapped. Now the run loop charges the time on
// the kernel clock while a task holds a hart (vmm/run.ts), and /proc/stat's
// counters never go back (kernel/fs/proc/info.ts cpuTimes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { showStat } from "../../../kernel/fs/proc/info.js";
import { tsix, explain } from "../harness.js";
import { runProg, skipNoCc } from "./harness.js";

type Fields = number[][];

/** The cpu lines of /proc/stat texts: [sample][cpu line][field]. */
function cpuLines(stat: string): Fields {
  return stat.split("\n").filter((l) => /^cpu\d* /.test(l)).map((l) => l.trim().split(/\s+/).slice(1).map(Number));
}

function assertNeverBack(samples: Fields[], what: string): void {
  for (let i = 1; i < samples.length; i++) {
    for (let c = 0; c < samples[i].length; c++) {
      for (let f = 0; f < samples[i][c].length; f++) {
        assert.ok(samples[i][c][f] >= samples[i - 1][c][f],
          `${what}: cpu line ${c} field ${f + 1} went back from ${samples[i - 1][c][f]} to ${samples[i][c][f]}\n${JSON.stringify(samples)}`);
      }
    }
  }
}

test("/proc/stat: no counter goes back, even when user time outran the clock for a while", () => {
  const k = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", cpus: 1, clock: "instret" }).kernel;
  const cpu = k.cpus[0];
  const samples: Fields[] = [];
  const at = (sec: number): void => { k.machine.setMtime(BigInt(sec * 1e7)); samples.push(cpuLines(showStat(k))); };
  // 1 s: half of it in user mode, the rest in the kernel.
  cpu.userInsns = 0.5e8;
  at(1);
  assert.deepEqual(samples[0][1].slice(0, 4), [50, 0, 50, 0], JSON.stringify(samples));
  // 2 s: user time caught up with the clock (the old accounting could get there: a core faster than the clock).
  cpu.userInsns = 2e8;
  at(2);
  // 3 s: a second idle.
  cpu.idleNs = 1e9;
  at(3);
  assertNeverBack(samples, "/proc/stat");
  // The counters still add up to the elapsed time (as far as going back allows: within the excess user time).
  const [u, n, s, i] = samples[2][1];
  assert.ok(u + n + s + i >= 300 && u + n + s + i <= 350, JSON.stringify(samples));
});

test("time: a CPU-bound program's user + sys time never exceeds its real time, and /proc/stat never goes back", () => {
  // The JIT runs the loop at well over 100 M instructions a second on most hosts: the case that showed user > real.
  const loop = 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done';
  const r = tsix(["run", "--jit", "on", "--", "sh", "-c",
    `cat /proc/stat; time sh -c '${loop}'; cat /proc/stat; sleep 1; cat /proc/stat; cat /proc/uptime`]);
  assert.equal(r.status, 0, explain(r));
  const secs = (name: string): number => {
    const m = new RegExp(`^${name}\\s+(\\d+)m\\s*([\\d.]+)s`, "m").exec(r.stderr);
    assert.ok(m, `no ${name} line:\n${explain(r)}`);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const real = secs("real"), user = secs("user"), sys = secs("sys");
  assert.ok(user > 0, explain(r));
  // busybox prints hundredths: allow one of rounding.
  assert.ok(user + sys <= real + 0.01, `user ${user} + sys ${sys} > real ${real}\n${explain(r)}`);
  const stats = r.stdout.split(/(?=^cpu  )/m).filter((x) => x.startsWith("cpu  ")).map(cpuLines);
  assert.equal(stats.length, 3, explain(r));
  assertNeverBack(stats, "/proc/stat");
  const uptime = Number(/^([\d.]+) /m.exec(r.stdout.slice(r.stdout.lastIndexOf("\n", r.stdout.length - 2)))?.[1]);
  const last = stats[2][0];
  const sum = last.reduce((a, b) => a + b, 0);
  assert.ok(sum <= uptime * 100 + 2, `counters ${sum} ticks exceed uptime ${uptime} s\n${explain(r)}`);
});

test("times, getrusage, CLOCK_PROCESS_CPUTIME_ID: a core faster than the clock is not charged more CPU time than real time", { skip: skipNoCc }, async () => {
  // 40 instructions per 100 ns tick: the core retires 400 M instructions per
  // second of the machine's clock, as the JIT or a fast host does.
  const r = await runProg("cputime", ["20000000"], { insnsPerTick: 40 });
  assert.equal(r.status, 0, r.log);
  const [real, user, sys, cpu, ticks] = r.out.trim().split(/\s+/).map(Number);
  assert.ok(real > 1e8, `the loop took ${real} ns:\n${r.out}`);
  // Process start-up comes before t0, so the process's CPU time may exceed the loop's real time by that much.
  const slack = 5e6;
  assert.ok(user + sys <= real + slack, `rusage user ${user} + sys ${sys} > real ${real}\n${r.out}`);
  assert.ok(cpu <= real + slack, `CLOCK_PROCESS_CPUTIME_ID ${cpu} > real ${real}\n${r.out}`);
  assert.ok(ticks <= Math.ceil((real + slack) / 1e7), `times() ${ticks} ticks > real ${real} ns\n${r.out}`);
  // And the loop's time is charged: most of the real time is user time.
  assert.ok(user >= real * 0.9, `user ${user} is not most of real ${real}\n${r.out}`);
});
