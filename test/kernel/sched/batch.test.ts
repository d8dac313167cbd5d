// tsix-batch (C28), userland/src/tsix_batch.c in the default image: three
// CPU-bound jobs of known lengths (race_demo with one thread and 3, 1 and 2
// units of work) submitted at once run one after another in submission
// order (first come, first served: the long first job makes the others
// wait), and the turnaround report's numbers are consistent: waiting =
// start - submit, run = end - start, turnaround = end - submit, and the
// averages are the means. Deterministic clock, so the run repeats exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "../harness.js";

interface Row { job: number; cmd: string; status: number; submit: number; start: number; end: number; waiting: number; run: number; turnaround: number }

/** Microseconds of a "S.UUUUUU" field, exactly. */
const us = (s: string): number => { const [a, b] = s.split("."); return Number(a) * 1e6 + Number(b); };

function parseReport(text: string): { rows: Row[]; avg: number[] } {
  const rows: Row[] = [];
  let avg: number[] = [];
  for (const l of text.split("\n")) {
    const m = /^\s*(\d+) (.{24}) +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)$/.exec(l);
    if (m) {
      rows.push({ job: Number(m[1]), cmd: m[2].trim(), status: Number(m[3]), submit: us(m[4]), start: us(m[5]), end: us(m[6]), waiting: us(m[7]), run: us(m[8]), turnaround: us(m[9]) });
    }
    const a = /^avg +([\d.]+) +([\d.]+) +([\d.]+)$/.exec(l);
    if (a) avg = [us(a[1]), us(a[2]), us(a[3])];
  }
  return { rows, avg };
}

test("tsix-batch: three jobs run one after another in FIFO order, and the report adds up", () => {
  const UNIT = 100_000;
  const r = sh([
    "D=/usr/lib/tsix/bin/race_demo",
    `tsix-batch submit $D none 1 ${3 * UNIT}`, `tsix-batch submit $D none 1 ${UNIT}`, `tsix-batch submit $D none 1 ${2 * UNIT}`,
    "tsix-batch wait", "echo ==", "tsix-batch report", "echo ==", "cat /var/spool/tsix-batch/out.1 /var/spool/tsix-batch/out.2 /var/spool/tsix-batch/out.3",
  ].join("; "), { args: ["--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  const [head, fromReport, outs] = r.stdout.split("==\n");
  assert.match(head, /^job 1 queued\njob 2 queued\njob 3 queued\n/, explain(r));
  // The daemon printed the report when its queue emptied; `report` prints the same.
  const daemonReport = head.slice(head.indexOf(" job command"));
  assert.equal(daemonReport, fromReport, explain(r));
  const { rows, avg } = parseReport(fromReport);
  assert.deepEqual(rows.map((x) => x.job), [1, 2, 3], explain(r));
  assert.deepEqual(rows.map((x) => x.cmd), [3, 1, 2].map((n) => `race_demo none 1 ${n * UNIT}`), explain(r));
  for (const x of rows) {
    assert.equal(x.status, 0, explain(r));
    assert.equal(x.waiting, x.start - x.submit, explain(r));
    assert.equal(x.run, x.end - x.start, explain(r));
    assert.equal(x.turnaround, x.end - x.submit, explain(r));
    assert.ok(x.start >= x.submit && x.end > x.start, explain(r));
  }
  // Submitted in order, started in order, one at a time.
  for (let i = 1; i < 3; i++) {
    assert.ok(rows[i].submit >= rows[i - 1].submit, explain(r));
    assert.ok(rows[i].start >= rows[i - 1].end, `job ${i + 1} started before job ${i} ended\n${explain(r)}`);
  }
  // Known lengths: 3 : 1 : 2 (within 15%: start-up is a fixed cost), so FIFO, not shortest first.
  const [a, b, c] = rows.map((x) => x.run);
  assert.ok(Math.abs(a / b - 3) < 0.45 && Math.abs(c / b - 2) < 0.3, `runs ${a} ${b} ${c}\n${explain(r)}`);
  // The short job waited for the long one, longer than it ran itself: FIFO's convoy effect.
  assert.ok(rows[1].waiting > 2 * rows[1].run, explain(r));
  const mean = (f: (x: Row) => number): number => Math.floor(rows.reduce((s, x) => s + f(x), 0) / rows.length);
  assert.deepEqual(avg, [mean((x) => x.waiting), mean((x) => x.run), mean((x) => x.turnaround)], explain(r));
  // Each job's output went to its out.N.
  assert.deepEqual(outs.trim().split("\n").map((l) => /iters=(\d+)/.exec(l)?.[1]), ["300000", "100000", "200000"], explain(r));
});

test("tsix-batch: bad use gets a usage line and exit 2", () => {
  const r = sh("tsix-batch; echo status=$?; tsix-batch submit; echo status=$?");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /status=2\nstatus=2/, explain(r));
  assert.match(r.stderr, /usage: tsix-batch submit CMD/, explain(r));
});
