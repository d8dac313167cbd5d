// The memory demos in the default image, run through the CLI as a user
// would: overcommit_demo (what each vm.overcommit_memory mode grants) and
// oom_demo (who the OOM killer picks: the hog with oom_score_adj 500 first,
// never the -1000 one), with the shell alive afterwards; and
// vm.panic_on_oom=1, which stops the machine with a kernel panic that the
// CLI reports on stderr with a nonzero status.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tsix, explain } from "../harness.js";

test("overcommit_demo and oom_demo pass in tsix; the shell and free work after two OOM kills", { timeout: 180_000 }, () => {
  const r = tsix(["run", "--mem", "48M", "--", "sh", "-lc", "overcommit_demo; oom_demo; echo shell alive; free -k | head -2 | tail -1; dmesg | grep -c 'Out of memory: Killed process'"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^overcommit_demo: ok$/m, explain(r));
  assert.match(r.stdout, /^  one page at a time: (\d+) kB granted; CommitLimit - Committed_AS was (\d+) kB$/m);
  assert.match(r.stdout, /^died 1: pushy pid \d+, signal 9$/m);
  assert.match(r.stdout, /^died 2: gentle pid \d+, signal 9$/m);
  assert.match(r.stdout, /^shielded alive$/m);
  assert.match(r.stdout, /^oom_demo: ok$/m);
  assert.match(r.stdout, /^shell alive\nMem: +49152 /m);
  assert.match(r.stdout, /^2$/m, "two kills in the kernel log");
});

test("vm.panic_on_oom=1: the machine stops with 'Kernel panic - not syncing: Out of memory: ...', said once on stderr, nonzero status", { timeout: 180_000 }, () => {
  const r = tsix(["run", "--mem", "32M", "--", "sh", "-lc", "echo 1 > /proc/sys/vm/panic_on_oom; oom_demo; echo not reached"]);
  assert.notEqual(r.status, 0, explain(r));
  assert.doesNotMatch(r.stdout, /not reached|died 1/);
  const lines = r.stderr.split("\n").filter((l) => l.includes("Kernel panic"));
  assert.deepEqual(lines, ["tsix: Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled (the guest kernel stopped the machine)"], explain(r));
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, "no stack trace");
});
