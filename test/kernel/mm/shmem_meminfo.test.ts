// /proc/meminfo's Shmem (kernel/fs/proc/info.ts, Linux's NR_SHMEM): it counts
// the pages of tmpfs files in RAM (a tmpfs mount, a memfd) beside System V
// shared memory, and each goes down again when its object goes (unlink,
// the memfd's last close, IPC_RMID). progs/shmem_meminfo.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "../fs/harness.js";
import { PROGS, field } from "./swap_harness.js";

test("Shmem moves up by what a tmpfs file, a memfd and a System V segment hold, and down when each goes", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("shmem_meminfo", { dir: PROGS, timeoutMs: 100_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /^ok$/m, explain(r));
  const at = (n: string): number => field(r.out, n);
  // Exactly the data's pages each time: nothing else on this machine makes or drops shared memory meanwhile.
  assert.equal(at("tmpfs") - at("start"), 4096, explain(r));
  assert.equal(at("memfd") - at("tmpfs"), 2048, explain(r));
  assert.equal(at("sysv") - at("memfd"), 1024, explain(r));
  assert.equal(at("unlink") - at("sysv"), -4096, explain(r));
  assert.equal(at("close") - at("unlink"), -2048, explain(r));
  assert.equal(at("rmid") - at("close"), -1024, explain(r));
});
