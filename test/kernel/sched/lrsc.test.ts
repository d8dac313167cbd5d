// LR/SC on two harts that take turns (hw/core/index.ts selectHart): a hart
// switched out between its lr.w and sc.w loses its reservation, because the
// other hart may write the word meanwhile and stores do not look at other
// harts' reservations. Before, the reservation survived the switch and the
// SC succeeded over the other hart's amoadds, which were lost; with short
// interleave turns (vmm/run.ts) that happens often enough to break locks.
// progs/lrsc.c: one thread amoadds, the other lr.w / long delay / sc.w.
//
// Concepts: C34 (atomic instructions make locks), C31 (two harts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/sched/progs");

test("an SC fails when the other hart wrote the word after the LR: no amoadd is lost", { skip: skipNoCC }, async () => {
  const r = await run("lrsc", { dir: PROGS, cpus: 2, args: ["200", "20000"] });
  const m = /adds=(\d+) sc_ok=(\d+) x=(-?\d+) expected=(\d+)/.exec(r.out);
  assert.ok(m, explain(r));
  // The adder really ran between the LRs and SCs (else the test proves nothing).
  assert.ok(Number(m[1]) > 1000, explain(r));
  assert.equal(Number(m[3]), Number(m[4]), `lost updates: ${m[0]}\n${explain(r)}`);
  assert.equal(r.status, 0, explain(r));
});

test("an LR/SC retry loop still succeeds on two harts (a mutex's compare-and-swap)", { skip: skipNoCC }, async () => {
  // A short delay fits in a hart's turn: most attempts succeed.
  const r = await run("lrsc", { dir: PROGS, cpus: 2, args: ["2000", "10"] });
  const m = /adds=(\d+) sc_ok=(\d+) x=(-?\d+) expected=(\d+)/.exec(r.out);
  assert.ok(m, explain(r));
  assert.equal(Number(m[3]), Number(m[4]), explain(r));
  assert.ok(Number(m[2]) > 1000, `only ${m[2]} of 2000 SCs succeeded\n${explain(r)}`);
});
