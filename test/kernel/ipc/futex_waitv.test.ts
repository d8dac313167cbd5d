// futex_waitv (issue 11: it was ENOSYS; kernel/ipc/futex_waitv.ts).
// progs/futex_waitv.c checks the argument errors in Linux's order (flags,
// 0 or 129 futexes, NULL, the clock only with a timeout, EFAULT for the
// timeout and the array, FUTEX2_SIZE_U8/U64, unknown flags, the reserved
// word, a value over 32 bits, an unaligned or unmapped word), EAGAIN when
// a value differs, ETIMEDOUT on absolute CLOCK_MONOTONIC and CLOCK_REALTIME
// deadlines (and one already past), a thread woken by an ordinary
// FUTEX_WAKE_PRIVATE learning the index of the word, and a shared word in
// MAP_SHARED memory woken by another process. qemu-riscv64 7.2 has no
// futex_waitv (it answers ENOSYS), so the expected lines come from the
// kernel's documentation and source (kernel/futex/syscalls.c, waitv.c).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "../fs/harness.js";
import { PROGS } from "./qemu.js";

test("futex_waitv: errors, EAGAIN, absolute timeouts, the woken index, shared words", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("futex_waitv", { dir: PROGS, timeoutMs: 150_000, cpus: 2 });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, `flags not 0: -1 EINVAL
no futexes: -1 EINVAL
129 futexes: -1 EINVAL
NULL waiters: -1 EINVAL
bad clock with a timeout: -1 EINVAL
bad timeout pointer: -1 EFAULT
bad waiters pointer: -1 EFAULT
FUTEX2_SIZE_U8: -1 EINVAL
FUTEX2_SIZE_U64: -1 EINVAL
unknown flag: -1 EINVAL
reserved set: -1 EINVAL
value over 32 bits: -1 EINVAL
unaligned word: -1 EINVAL
unmapped word: -1 EFAULT
second value differs: -1 EAGAIN
monotonic timeout: -1 ETIMEDOUT
  waited at least 50 ms: 1
realtime timeout: -1 ETIMEDOUT
timeout in the past: -1 ETIMEDOUT
clock not checked without a timeout: -1 EAGAIN
  FUTEX_WAKE woke 1
woken: index of word 2 (private): 2
  FUTEX_WAKE woke 1
woken: index of word 0: 0
shared word woken by another process: 1
  child woke one: 1
futex_waitv: done
`, explain(r));
});
