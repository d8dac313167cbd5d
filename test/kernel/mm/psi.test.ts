// /proc/pressure (kernel/sched/psi.ts): Linux's format, and stall totals that
// follow from the deterministic clock - memory stalls from refaults under a
// frame budget (20 us each), cpu stalls from two CPU hogs sharing one hart,
// nothing for an idle or CPU-only run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "../harness.js";

const LINE = /^(some|full) avg10=(\d+\.\d\d) avg60=(\d+\.\d\d) avg300=(\d+\.\d\d) total=(\d+)$/;

/** The files' blocks in `out`, in order: each [some, full] with avg10 and total. */
function blocks(out: string): { avg10: number; total: number }[][] {
  const lines = out.split("\n").filter((l) => LINE.test(l)).map((l) => LINE.exec(l)!);
  const res: { avg10: number; total: number }[][] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    assert.equal(lines[i][1], "some"); assert.equal(lines[i + 1][1], "full");
    res.push([lines[i], lines[i + 1]].map((m) => ({ avg10: Number(m[2]), total: Number(m[5]) })));
  }
  return res;
}

test("psi memory: a thrashing sweep under a 4-frame budget stalls 20 us per refault, exactly; more thrashing raises the total and avg10 and is logged once", { timeout: 240_000 }, () => {
  const r = sh([
    "cat /proc/pressure/memory",
    "ulimit -m 16; thrash 8 5000",
    "cat /proc/pressure/memory",
    "thrash 8 20000",
    "cat /proc/pressure/memory",
    "dmesg | grep -c 'psi: memory pressure'",
  ].join("; "), { args: ["--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  const b = blocks(r.stdout);
  assert.equal(b.length, 3, explain(r));
  // Before: nothing stalled on memory yet.
  assert.deepEqual(b[0].map((x) => x.total), [0, 0], explain(r));
  // 40000 refaults (8 pages, 4 frames, FIFO: every reference faults) x 20 us; the shell sleeps meanwhile: full = some.
  assert.match(r.stdout, /^thrash: 40000 faults \(budget 4 frames\)/m);
  assert.deepEqual(b[1].map((x) => x.total), [800_000, 800_000], explain(r));
  // 160000 more: 3.2 s more stall, and the 10 s average is well above the 10% threshold.
  assert.deepEqual(b[2].map((x) => x.total), [4_000_000, 4_000_000], explain(r));
  assert.ok(b[2][0].avg10 > 10, explain(r));
  assert.match(r.stdout, /^1$/m, "one psi thrashing line in dmesg");
});

test("psi: an idle shell and a CPU-only job stall nothing on memory or I/O; two CPU hogs on one hart make cpu some > 0 and cpu full stays 0", { timeout: 240_000 }, () => {
  const r = sh([
    "cpu_burn 300 solo",
    "cat /proc/pressure/memory /proc/pressure/io /proc/pressure/cpu",
    "cpu_burn 300 a & cpu_burn 300 b & wait",
    "cat /proc/pressure/cpu",
    "sleep 2; cat /proc/pressure/cpu",
  ].join("; "), { args: ["--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  const b = blocks(r.stdout);
  assert.equal(b.length, 5, explain(r));
  const [mem, io, cpu1, cpu2, cpu3] = b;
  assert.deepEqual(mem.map((x) => x.total), [0, 0], "no memory stall");
  assert.deepEqual(io.map((x) => x.total), [0, 0], "no I/O wait");
  // One job alone: at most the shell's moments of waiting (well under 1% of its 300 ms).
  assert.ok(cpu1[0].total < 3000, `solo cpu some ${cpu1[0].total} us\n${explain(r)}`);
  // Two 300 ms jobs sharing one hart: while both live (600 ms), one of them waits for the hart.
  const waited = cpu2[0].total - cpu1[0].total;
  assert.ok(waited > 550_000 && waited <= 610_000, `cpu some grew by ${waited} us\n${explain(r)}`);
  assert.deepEqual([cpu1[1].total, cpu2[1].total], [0, 0], "system-wide cpu full is zeros");
  // Idle since: the total stays, and the 2 s averaging has taken the stall into avg10.
  assert.ok(cpu3[0].total - cpu2[0].total < 1000, explain(r));
  assert.ok(cpu3[0].avg10 > 0, explain(r));
});
