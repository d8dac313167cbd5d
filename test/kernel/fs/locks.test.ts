// fcntl record locks, OFD locks and flock between processes (progs/fs_lock.c),
// including EDEADLK detection when two processes would wait for each other.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run, explain, skipNoCC } from "./harness.js";

test("locks: F_SETLK/F_GETLK conflicts, splitting, release on close, F_SETLKW, EDEADLK, OFD, flock", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("fs_lock");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_lock: ok/, explain(r));
});
