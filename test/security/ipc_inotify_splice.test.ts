// inotify queues cannot take the host's memory, and splice/vmsplice/
// futex_waitv refuse kernel-half pointers (issue 11). progs/sec_inotify.c,
// as root with max_queued_events raised to 10^9, makes 2 x 60,000 events
// with 200-byte names without reading: every queued event is charged to
// the machine's RAM (kernel/mm/kmem.ts), so with 24 MiB of RAM the queue
// ends in IN_Q_OVERFLOW before RAM runs out (unbounded, it would hold
// ~35 MB of host objects for 120,000 events), the kernel goes on, and the
// charge is given back when the inotify file is closed. Kernel-half
// pointers give EFAULT; a huge splice length moves what the pipe holds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { kmemBytes } from "../../kernel/mm/kmem.js";

const MiB = 1024 * 1024;

test("a reader that never reads: inotify events are charged to RAM and end in IN_Q_OVERFLOW, not in host memory", { skip: skipNoCC, timeout: 600_000 }, async () => {
  let before = 0;
  const r = await run("sec_inotify", { dir: join(SRC_ROOT, "test/security/progs"), memBytes: 24 * MiB, timeoutMs: 540_000, setup: (k) => { before = kmemBytes(k.pm); } });
  assert.equal(r.status, 0, explain(r));
  const m = /^events (\d+) overflow (\d+) made (\d+)$/m.exec(r.out);
  assert.ok(m, explain(r));
  const [events, overflow, made] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // IN_Q_OVERFLOW marks the loss (again each time an event fitted after one, as RAM came and went).
  assert.ok(overflow >= 1, `IN_Q_OVERFLOW marks the loss\n${explain(r)}`);
  assert.ok(events > 1000 && events < made, `some events queued, not all (${events} of ${made})`);
  assert.ok(events * 288 < 24 * MiB, "the queue stayed within the machine's RAM");
  // Closing the inotify file (at exit) gave its charge back.
  assert.ok(kmemBytes(r.k.pm) - before < 4 * MiB, `kmem after exit ${kmemBytes(r.k.pm)} vs ${before} before`);
  assert.match(r.out, /^splice kernel-half offset: -1 14$/m);
  assert.match(r.out, /^vmsplice kernel-half buffer: -1 14$/m);
  assert.match(r.out, /^vmsplice out to kernel half: -1 14$/m);
  assert.match(r.out, /^splice huge len: 1$/m);
  assert.match(r.out, /^futex_waitv kernel-half words: -1 14$/m);
  assert.match(r.out, /sec_inotify: done/);
});
