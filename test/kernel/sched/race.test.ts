// The race demo (C34), userland/src/race_demo.c from the default image, on
// two harts and the deterministic clock: without a lock the two threads'
// read-modify-writes interleave and updates are lost; with a pthread mutex,
// an amoswap spinlock or a POSIX semaphore none is. Losing updates needs
// the harts to take turns of a few thousand instructions (the interleave
// quantum, vmm/run.ts): with the old 4 M-instruction turns each thread's
// whole loop ran before the other's, and nothing was ever lost.
//
// Concepts: C34 (race conditions, mutual exclusion), C31 (two CPUs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tsix, explain, defaultImage } from "../harness.js";

const DEMO = "/usr/lib/tsix/bin/race_demo";
const ITERS = 10_000;

interface Outcome { expected: number; actual: number; lost: number }

function race(mode: string, extra: string[] = []): Outcome {
  const r = tsix(["run", "--cpus", "2", "--deterministic", ...extra, "--", DEMO, mode, "2", String(ITERS)]);
  assert.equal(r.status, 0, explain(r));
  const m = /expected=(\d+) actual=(\d+) lost=(-?\d+)/.exec(r.stdout);
  assert.ok(m, explain(r));
  const o = { expected: Number(m[1]), actual: Number(m[2]), lost: Number(m[3]) };
  assert.equal(o.expected, 2 * ITERS, explain(r));
  assert.equal(o.lost, o.expected - o.actual, explain(r));
  return o;
}

test("race demo: built into the default image", async () => {
  await defaultImage();
});

test("race demo: without a lock two threads on two CPUs lose updates", () => {
  const o = race("none");
  // Lost updates, but not all of one thread's: the threads really interleaved.
  assert.ok(o.lost > 0, `no update lost: ${JSON.stringify(o)}`);
  assert.ok(o.actual > ITERS / 2, `implausible count: ${JSON.stringify(o)}`);
});

for (const mode of ["mutex", "spin", "sem"]) {
  test(`race demo: with ${mode === "spin" ? "an amoswap spinlock" : mode === "sem" ? "a semaphore" : "a mutex"} no update is lost`, () => {
    const o = race(mode);
    assert.equal(o.lost, 0, JSON.stringify(o));
    assert.equal(o.actual, 2 * ITERS);
  });
}

test("race demo: the outcome is the same in every deterministic run, and the quantum decides it", () => {
  const a = race("none"), b = race("none");
  assert.deepEqual(a, b);
  // With turns longer than a thread's whole loop (the old 4 M), nothing is lost.
  assert.equal(race("none", ["--interleave", String(1 << 22)]).lost, 0);
});

test("--interleave: bad values get a one-line error and exit 2", () => {
  for (const v of ["0", "63", "abc", "4194305", "-5"]) {
    const r = tsix(["run", "--cpus", "2", "--interleave", v, "--", "true"]);
    assert.equal(r.status, 2, explain(r));
    assert.match(r.stderr, /--interleave needs a whole number of instructions from 64 to 4194304/);
    assert.equal(r.stderr.trim().split("\n").length, 1, explain(r));
  }
});
