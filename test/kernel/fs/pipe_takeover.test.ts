// A reader that finds a pipe empty while its writer sleeps in a write larger
// than the ring takes the writer's bytes straight from the writer's buffer
// (fs/pipe.ts, pipeTakeOver, the mirror of pipeHandOff). progs/pipe_takeover.c
// checks that every byte comes once and in order and that the write returns
// its exact count; that the reader of one 1 MiB write sleeps only at its
// start and end (without the take-over it sleeps once per two ring-fulls);
// that a signal interrupting the writer after the reader took part of its
// bytes ends the write with a count equal to what the reader got; an
// O_NONBLOCK reader; PIPE_BUF atomicity with two writers; and a signal sent
// to a reader right after a writer completed its read (the count, then the
// handler).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "./harness.js";

test("pipe: a reader takes a sleeping writer's bytes straight, with exact counts, signals and atomicity kept", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("pipe_takeover");
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.out, `one big write: got 1048576, wrong 0, write returned 1048576, reader slept at most 4 times: 1
interrupted write: partial 1, count = bytes read 1, wrong 0
nonblocking reader: got 1048576, wrong 0, write returned 1048576
two writers: got 2457600, records mixed 0, A records 300, writers ok 1
hand-off then signal: read 65536, wrong 0, handler ran 1, rest 100, writer ok 1
pipe_takeover: done
`, explain(r));
});
