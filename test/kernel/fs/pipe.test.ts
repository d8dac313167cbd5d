// Pipes, FIFOs, poll/select/epoll and eventfd through the real syscall path
// (progs/fs_pipe.c, which forks writers and readers).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "./harness.js";

test("pipes: ring, EAGAIN, EOF, EPIPE/SIGPIPE, blocking across fork, PIPE_BUF atomicity, fifo open rules, poll/select/epoll/eventfd, EINTR vs SA_RESTART", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const r = await run("fs_pipe");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_pipe: ok/, explain(r));
});
