// Timers interrupt a task that never traps: alarm(1) followed by a busy loop
// must be delivered after one second of kernel time, with the non-preemptive
// FCFS policy (no time-slice interrupts) and with round robin, in both clock
// modes. Concepts: C12 (the timer interrupt), C44 (SIGALRM).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { tsix, explain, SRC_ROOT } from "./harness.js";

const OUT = join(SRC_ROOT, "build/kernel-tests/timers");

function build(): string {
  mkdirSync(OUT, { recursive: true });
  const r = spawnSync("riscv64-linux-gnu-gcc", ["-O2", "-static", "-o", join(OUT, "alarm_busy"),
    join(SRC_ROOT, "test/kernel/progs/alarm_busy.c")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return OUT;
}

test("alarm(1) interrupts a busy loop on time, with and without time slices", () => {
  const dir = build();
  for (const opts of [["--sched", "fcfs"], ["--sched", "rr"], ["--sched", "fcfs", "--clock", "instret"]]) {
    const r = tsix(["run", ...opts, "--mount", `${dir}:/mnt`, "--", "/mnt/alarm_busy"], { timeout: 60_000 });
    assert.equal(r.status, 0, `${opts.join(" ")}: ${explain(r)}`);
    assert.match(r.stdout, /alarm fired after 1\d\d\d ms/);
  }
});
