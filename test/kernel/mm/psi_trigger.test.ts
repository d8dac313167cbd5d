// PSI triggers (kernel/sched/psi.ts, /proc/pressure in fs/proc/info.ts):
// Linux's "some|full THRESHOLD_US WINDOW_US" written to an open pressure
// file. Bad strings and ranges are EINVAL, a second trigger on one fd EBUSY;
// poll times out with no pressure and wakes with POLLPRI while a child
// thrashes under a 4-frame budget; epoll reports EPOLLPRI; closing the fds
// removes the triggers. Deterministic clock. progs/psi_trigger.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const EINVAL = 22, EBUSY = 16, POLLPRI = 2, EPOLLPRI = 2;

test("psi triggers: EINVAL/EBUSY as Linux, no POLLPRI without pressure, POLLPRI and EPOLLPRI under memory thrashing, removed on close", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const r = await run("psi_trigger", { dir: PROGS, timeoutMs: 200_000 });
  assert.equal(r.status, 0, explain(r));
  for (let i = 0; i < 7; i++) assert.match(r.out, new RegExp(`^bad ${i} -${EINVAL}$`, "m"), explain(r));
  // The whole string (with its NUL) is taken.
  assert.match(r.out, /^register 20$/m, explain(r));
  assert.match(r.out, new RegExp(`^again -${EBUSY}$`, "m"), explain(r));
  assert.match(r.out, /^cpu_trigger 20$/m, explain(r));
  // 1.5 s with nothing stalled: the poll times out.
  assert.match(r.out, /^idle_poll 0 0$/m, explain(r));
  // Thrashing: 150 ms of memory stall within 1 s comes well inside the 10 s timeout.
  const m = /^pressure_poll (\d+) (\d+) (\d+)$/m.exec(r.out);
  assert.ok(m, explain(r));
  assert.equal(Number(m[1]), 1, explain(r));
  assert.equal(Number(m[2]) & POLLPRI, POLLPRI, explain(r));
  assert.ok(Number(m[3]) < 2000, `woke after ${m[3]} ms\n${explain(r)}`);
  // Still thrashing: the next firing (at most one per window) reaches epoll.
  const e = /^epoll (\d+) (\d+)$/m.exec(r.out);
  assert.ok(e, explain(r));
  assert.equal(Number(e[1]), 1, explain(r));
  assert.equal(Number(e[2]) & EPOLLPRI, EPOLLPRI, explain(r));
  assert.match(r.out, /^done$/m, explain(r));
  // Every fd is closed: no trigger is left.
  assert.ok(r.k.psi, "psi state");
  assert.equal(r.k.psi.triggers.length, 0);
  assert.equal(r.k.psi.nextTrigger, 3, "two triggers were registered");
});
