// Round robin and SCHED_RR as Linux has them (issue 11, "rr wakeup
// preemption"), on the deterministic instruction clock (the harness boots
// with clock "instret"):
//   - a woken task of the same priority does not preempt the running one
//     (sched(7)); on one hart a waker that never blocks keeps the CPU until
//     its quantum ends, so stress-ng --futex's pattern hands the futex over
//     exactly once per quantum, under tsix's rr as under Linux's SCHED_RR.
//     With a second hart the woken task runs there at once (select_task_rq
//     prefers an idle hart); cfs (the default) preempts on wake-up a waker
//     that is past the queue's average vruntime, whatever is left of its
//     protected kernel.sched_min_granularity_ns (EEVDF's RUN_TO_PARITY holds
//     only for an eligible task, kernel/sched/fair.ts): the spinning waker
//     always is, so the waiter gets the futex at once, as under Linux 6.18
//     on one CPU (qemu-riscv64 pinned to one host CPU: stress-ng --futex
//     12,800 ops/s), not once per 0.75 ms;
//   - a SCHED_RR task preempted by a higher priority keeps the unexpired part
//     of its quantum: a frequent higher-priority sleeper must not make one
//     spinner start a new quantum at every preemption and starve its equal.
//
// Concepts: C29 (round robin), C30 (real-time priorities), C12 (the quantum).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/sched/progs");

function handoffs(out: string): number {
  const m = /handoffs (\d+)/.exec(out);
  assert.ok(m, `no handoff count in:\n${out}`);
  return Number(m[1]);
}

test("rr on one hart: a spinning futex waker hands over once per quantum (a wake-up of an equal does not preempt)", { skip: skipNoCC }, async () => {
  // 200 ms at the default 10 ms quantum, then at 5 ms: the count follows the quantum.
  const r10 = await run("futex_handoff", { dir: PROGS, sched: "rr", args: ["200"] });
  assert.equal(r10.status, 0, explain(r10));
  const n10 = handoffs(r10.out);
  assert.ok(n10 >= 18 && n10 <= 21, `10 ms quantum: ${n10} handoffs in 200 ms, expected 20 ± 2`);
  const r5 = await run("futex_handoff", {
    dir: PROGS, sched: "rr", args: ["200"],
    setup: (k) => { k.schedSettings.rrQuantumNs = 5_000_000; },
  });
  assert.equal(r5.status, 0, explain(r5));
  const n5 = handoffs(r5.out);
  assert.ok(n5 >= 37 && n5 <= 41, `5 ms quantum: ${n5} handoffs in 200 ms, expected 40 ± 3`);
});

test("rr with a second hart: the woken waiter runs at once", { skip: skipNoCC }, async () => {
  const two = await run("futex_handoff", { dir: PROGS, sched: "rr", cpus: 2, args: ["100"] });
  assert.equal(two.status, 0, explain(two));
  assert.ok(handoffs(two.out) > 1000, `rr, 2 harts: ${handoffs(two.out)} handoffs in 100 ms`);
});

test("cfs on one hart (the default policy): a wake-up preempts the spinning waker at once (it is past the average vruntime)", { skip: skipNoCC }, async () => {
  // rr hands over about 10 times in 100 ms; the protected slice alone would allow about 133.
  const def = await run("futex_handoff", { dir: PROGS, args: ["100"] });
  assert.equal(def.status, 0, explain(def));
  const n = handoffs(def.out);
  assert.ok(n > 1000, `cfs, default: ${n} handoffs in 100 ms, expected the waiter to run at every wake-up`);
  // The protection does not hold a non-eligible waker: a longer one changes nothing.
  const coarse = await run("futex_handoff", { dir: PROGS, args: ["100"], setup: (k) => { k.schedSettings.minGranularityNs = 3_000_000; } });
  assert.equal(coarse.status, 0, explain(coarse));
  const m = handoffs(coarse.out);
  assert.ok(m > 1000 && m > n / 2, `cfs, sched_min_granularity_ns 3000000: ${m} handoffs in 100 ms (default: ${n})`);
});

test("SCHED_RR preempted by a higher priority resumes the rest of its quantum: its equal still gets turns", { skip: skipNoCC }, async () => {
  // A SCHED_FIFO sleeper wakes every 3 ms, well inside the 10 ms quantum of the two SCHED_RR spinners.
  const r = await run("rr_quantum", { dir: PROGS, args: ["300", "3000"] });
  assert.equal(r.status, 0, explain(r));
  const m = /a (\d+) b (\d+)/.exec(r.out);
  assert.ok(m, explain(r));
  const a = Number(m[1]), b = Number(m[2]);
  assert.ok(a > 0 && b > 0, `both spinners must run: a ${a}, b ${b}`);
  // They take turns by whole quanta: over 300 ms (about 30 quanta) their counts differ by at most a few quanta.
  assert.ok(Math.abs(a - b) <= 0.2 * Math.max(a, b), `unequal shares: a ${a}, b ${b}`);
});
