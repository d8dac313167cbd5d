// A task woken before the deadline of its timed sleep takes its wake-up
// timer off the kernel's timer list (as Linux cancels the hrtimer). Every
// timed FUTEX_WAIT used to leave its timer behind until the deadline: a
// futex ping-pong with 1 s timeouts kept thousands in the sorted list and
// ran 4-5 times slower than the same without timeouts (bench/futex.ts).
// The test runs that ping-pong (bench/programs/futexbench.c, futexto) and
// samples the length of the kernel's timer list while it runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import type { Kernel } from "../../../kernel/index.js";

test("timed futex waits woken early leave no timers behind", { skip: skipNoCC, timeout: 180_000 }, async () => {
  let kernel: Kernel | undefined;
  let most = 0;
  const sample = setInterval(() => { if (kernel) most = Math.max(most, kernel.timers.length); }, 1);
  try {
    const r = await run("futexbench", {
      dir: join(SRC_ROOT, "bench/programs"), args: ["futexto", "3000"],
      setup: (k) => { kernel = k; },
    });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.out, /^futexto [\d.]+ us\/round-trip$/m, explain(r));
  } finally {
    clearInterval(sample);
  }
  // Two threads, each with at most one timed sleep, and the kernel's own periodic timers (load average...).
  assert.ok(most > 0, "the timer list was sampled while the program ran");
  assert.ok(most <= 8, `at most a few live timers, saw ${most}`);
});
