// read(2)/write(2) on a pipe copy straight between user pages and the ring
// (fs/pipe.ts): progs/pipe_direct.c checks partial transfers at a bad page
// (Linux's pipe_write/pipe_read return what moved; EFAULT only when nothing
// did; a bad read buffer leaves the rest in the pipe), PIPE_BUF atomicity, a
// one-page ring, iovecs that cross pages and data integrity over many
// wrap-arounds of the ring; then a writer child handing its bytes straight to
// a reader asleep on the empty pipe (pipeHandOff): every byte once and in
// order, and the reader sleeps half as often (once per two ring-fulls).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "./harness.js";

test("pipe: direct user<->ring copies keep Linux's partial-transfer, atomicity and integrity rules", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("pipe_direct");
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, `write half-bad: 4096
buffered: 4096
write bad first page: -1 EFAULT
read half-bad: 4096
left in pipe: 4096, first byte b
read bad buffer: -1 EFAULT
still left: 4096
fill: 65535
atomic 4096 into 1 free: -1 EAGAIN
non-atomic 5000 into 1 free: 1
setpipe: 4096
write 8192 into 4096: 4096
writev: 12411
readv: 12411
data intact: 1
wrap-around rounds bad: 0
hand-off 1 MiB: got 1048576, wrong 0, reader slept at most 10 times: 1
hand-off irregular: got 3145728, wrong 0
hand-off into fresh pages: got 1048576, wrong 0
pipe_direct: done
`, explain(r));
});
