// Hostile arguments to timerfd and the POSIX timers (progs/timers_hostile.c):
// huge and negative timespecs, bad descriptors, ids and pointers, a 1 ns
// period (counted exactly without starving the machine), and a flood of
// timers bounded by RLIMIT_SIGPENDING as on Linux, with no timer leaked by
// a create that faults. Expected values are Linux's (the errnos were
// checked under qemu-riscv64; the flood count is exact here because tsix
// counts per process, where Linux counts the user's other pending signals too).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";

const PROGS = join(SRC_ROOT, "test/security/progs");

test("timers: hostile arguments fail cleanly, a 1 ns period does not starve the machine, a timer flood stops at RLIMIT_SIGPENDING", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("timers_hostile", { dir: PROGS, timeoutMs: 90_000 });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, `tfd huge value: ok
tfd huge still armed: 1
tfd INT64_MAX: ok
tfd negative: EINVAL
tfd fd -1: EINVAL
tfd fd INT_MAX: EBADF
tfd bad old pointer: EFAULT
tfd bad clock: EINVAL
tfd 1ns period: read 8, ticks >= 5e6: 1
tfd read with a large count: 8
pt bad timerid pointer: EFAULT
pt bad sigevent pointer: EFAULT
pt id INT_MIN: EINVAL
pt id -1 gettime: EINVAL
pt getoverrun bad: EINVAL
pt cpu clock of no process: EINVAL
pt cpu clock of no thread: EINVAL
pt 1ns period: overrun large 1
flood with limit 16: 16
after delete and a faulting create: 1 more
timers_hostile: done
`, explain(r));
});
