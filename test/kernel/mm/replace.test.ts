// Page replacement under a frame budget (kernel/mm/replace.ts), measured on a
// real program: userland/src/refstring touches the pages of a private
// anonymous mmap region in the order of a reference string, under a budget
// of N frames (RLIMIT_RSS), on the deterministic clock, and reports the
// budget's fault count from /proc/self/frame_budget. The counts must equal
// the textbook values, which a tiny host-side simulator below computes too:
// Silberschatz's string 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 with 3
// frames gives FIFO 15, LRU 12, OPT 9; Belady's 1,2,3,4,1,2,5,1,2,3,4,5
// gives FIFO 9 with 3 frames and 10 with 4; OSTEP's 0,1,2,0,1,3,0,3,1,2,1
// with 3 frames gives FIFO 7, LRU 5, OPT 5 misses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, sh, explain } from "../harness.js";
import { optFaults, parseFrames } from "../../../cli/memlab.js";

const SILBERSCHATZ = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];
const BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
const OSTEP = [0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1];

/** The textbook algorithms, on a reference string (clock: the reference bit is set on load and on every hit). */
function simulate(policy: "fifo" | "lru" | "clock", refs: readonly number[], frames: number): number {
  let faults = 0;
  if (policy === "clock") {
    const slot: number[] = [], ref: boolean[] = [];
    let hand = 0;
    for (const p of refs) {
      const i = slot.indexOf(p);
      if (i >= 0) { ref[i] = true; continue; }
      faults++;
      if (slot.length < frames) { slot.push(p); ref.push(true); continue; }
      while (ref[hand]) { ref[hand] = false; hand = (hand + 1) % frames; }
      slot[hand] = p; ref[hand] = true; hand = (hand + 1) % frames;
    }
    return faults;
  }
  const q: number[] = [];
  for (const p of refs) {
    const i = q.indexOf(p);
    if (i >= 0) { if (policy === "lru") { q.splice(i, 1); q.push(p); } continue; }
    faults++;
    if (q.length >= frames) q.shift();
    q.push(p);
  }
  return faults;
}

test("the host-side simulator and offline OPT give the textbook values", () => {
  assert.equal(simulate("fifo", SILBERSCHATZ, 3), 15);
  assert.equal(simulate("lru", SILBERSCHATZ, 3), 12);
  assert.equal(optFaults(SILBERSCHATZ, 3), 9);
  assert.equal(simulate("fifo", BELADY, 3), 9);
  assert.equal(simulate("fifo", BELADY, 4), 10);
  assert.equal(optFaults(BELADY, 3), 7);
  assert.equal(optFaults(BELADY, 4), 6);
  assert.equal(simulate("fifo", OSTEP, 3), 7);
  assert.equal(simulate("lru", OSTEP, 3), 5);
  assert.equal(optFaults(OSTEP, 3), 5);
  // Second chance with every page referenced degenerates to FIFO.
  assert.equal(simulate("clock", BELADY, 3), 9);
  assert.deepEqual(parseFrames("3..6"), [3, 4, 5, 6]);
  assert.deepEqual(parseFrames("4,3,4"), [3, 4]);
});

interface Counts { faults: number; evictions: number; limit: number; policy: string; resident: number; kept: number; refaults: number }

function refstring(policy: string, frames: number, refs: readonly number[]): Counts {
  const r = tsix(["run", "--deterministic", "--mm-policy", policy, "--", "refstring", "-f", String(frames), refs.join(",")]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^refstring: ok$/m, explain(r));
  const m = /^refstring: (\d+) references, (\d+) faults, (\d+) evictions \(budget (\d+) frames, policy (\S+)\)$/m.exec(r.stdout);
  assert.ok(m, explain(r));
  assert.equal(Number(m[1]), refs.length);
  const b = /^refstring: resident (\d+), kept (\d+), refaults (\d+)$/m.exec(r.stdout);
  assert.ok(b, explain(r));
  return { faults: Number(m[2]), evictions: Number(m[3]), limit: Number(m[4]), policy: m[5], resident: Number(b[1]), kept: Number(b[2]), refaults: Number(b[3]) };
}

const STRINGS: [string, readonly number[]][] = [["Silberschatz", SILBERSCHATZ], ["Belady", BELADY], ["OSTEP", OSTEP]];

for (const [policy, sim] of [["fifo", "fifo"], ["clock", "clock"], ["lru-exact", "lru"]] as const) {
  test(`${policy}: a real program's faults under a frame budget equal the textbook count (3 and 4 frames, three strings)`, { timeout: 300_000 }, () => {
    for (const [name, refs] of STRINGS) {
      for (const frames of [3, 4]) {
        const c = refstring(policy, frames, refs);
        assert.equal(c.policy, policy);
        assert.equal(c.limit, frames);
        const distinct = new Set(refs).size;
        assert.equal(c.faults, simulate(sim, refs, frames), `${policy} on ${name} with ${frames} frames`);
        assert.equal(c.evictions, Math.max(0, c.faults - Math.min(frames, distinct)), `every fault past the first ${frames} evicts one page`);
        // Every page touched is resident or kept in the in-kernel backing; every fault past a page's first is a refault.
        assert.equal(c.resident, Math.min(frames, distinct));
        assert.equal(c.kept, distinct - c.resident);
        assert.equal(c.refaults, c.faults - distinct);
      }
    }
  });
}

test("the textbook numbers themselves: FIFO 15, LRU 12 on Silberschatz's string; Belady's anomaly 9 < 10 under FIFO", { timeout: 120_000 }, () => {
  assert.equal(refstring("fifo", 3, SILBERSCHATZ).faults, 15);
  assert.equal(refstring("lru-exact", 3, SILBERSCHATZ).faults, 12);
  assert.equal(refstring("fifo", 3, BELADY).faults, 9);
  assert.equal(refstring("fifo", 4, BELADY).faults, 10);
});

test("the approximate policies (nru, lru, lfu, random, 2q) stay between OPT and one fault per reference, and repeat exactly", { timeout: 300_000 }, () => {
  for (const policy of ["nru", "lru", "lfu", "random", "2q"]) {
    const a = refstring(policy, 3, SILBERSCHATZ);
    assert.equal(a.policy, policy);
    assert.ok(a.faults >= optFaults(SILBERSCHATZ, 3) && a.faults <= SILBERSCHATZ.length, `${policy}: ${a.faults}`);
    assert.equal(refstring(policy, 3, SILBERSCHATZ).faults, a.faults, `${policy} is deterministic`);
  }
});

test("vm.replacement_policy switches at run time; unknown names are EINVAL and change nothing", { timeout: 120_000 }, () => {
  const s = SILBERSCHATZ.join(",");
  const r = sh([
    "cat /proc/sys/vm/replacement_policy",
    `refstring -f 3 ${s}`,
    "echo lru-exact > /proc/sys/vm/replacement_policy",
    "cat /proc/sys/vm/replacement_policy",
    `refstring -f 3 ${s}`,
    "echo bogus > /proc/sys/vm/replacement_policy; echo status=$?",
    "cat /proc/sys/vm/replacement_policy",
  ].join("; "), { args: ["--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  const faults = [...r.stdout.matchAll(/, (\d+) faults,/g)].map((m) => Number(m[1]));
  assert.deepEqual(faults, [15, 12], explain(r));
  assert.deepEqual(r.stdout.split("\n").filter((l) => /^(fifo|lru-exact|bogus)$/.test(l)), ["fifo", "lru-exact", "lru-exact"], explain(r));
  assert.match(r.stdout, /^status=1$/m);
  assert.match(r.stderr + r.stdout, /Invalid argument/);
});

test("a budget set with ulimit -m before exec counts only the program's mmap pages (bss, stack and libc do not disturb it)", { timeout: 120_000 }, () => {
  const r = sh(`ulimit -m 12 && exec refstring ${SILBERSCHATZ.join(",")}`, { args: ["--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^refstring: 20 references, 15 faults, 12 evictions \(budget 3 frames, policy fifo\)$/m, explain(r));
});

test("tsix memlab --belady: one row per policy, FIFO 9 then 10, OPT from the recorded trace, a valid SVG curve", { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "memlab-"));
  try {
    const svg = join(dir, "curve.svg");
    const r = tsix(["memlab", "--policies", "fifo,clock,lru-exact,opt", "--frames", "3,4", "--belady", "-o", svg]);
    assert.equal(r.status, 0, explain(r));
    const rows = new Map(r.stdout.split("\n").map((l) => l.trim().split(/\s+/)).filter((c) => c.length === 3 && /^\d+$/.test(c[1])).map((c) => [c[0], [Number(c[1]), Number(c[2])]]));
    assert.deepEqual(rows.get("fifo"), [9, 10], explain(r));
    assert.deepEqual(rows.get("clock"), [simulate("clock", BELADY, 3), simulate("clock", BELADY, 4)]);
    assert.deepEqual(rows.get("lru-exact"), [10, 8]);
    assert.deepEqual(rows.get("opt"), [7, 6]);
    assert.match(r.stdout, /^policy\s+3 frames\s+4 frames$/m);
    const text = readFileSync(svg, "utf8");
    assert.match(text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>/);
    assert.match(text, /<\/svg>\n$/);
    assert.equal((text.match(/<polyline /g) ?? []).length, 4, "one line per policy");
    for (const p of ["fifo", "clock", "lru-exact", "opt"]) assert.match(text, new RegExp(`>${p}</text>`), `legend names ${p}`);
    assert.match(text, />frames</);
    assert.match(text, />page faults</);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsix memlab on a named program: OPT is at most every online policy at every frame count", { timeout: 300_000 }, () => {
  const r = tsix(["memlab", "--policies", "fifo,lru-exact,opt", "--frames", "2..4", "refstring", SILBERSCHATZ.join(",")]);
  assert.equal(r.status, 0, explain(r));
  const rows = new Map(r.stdout.split("\n").map((l) => l.trim().split(/\s+/)).filter((c) => c.length === 4 && /^\d+$/.test(c[1])).map((c) => [c[0], c.slice(1).map(Number)]));
  assert.deepEqual(rows.get("fifo"), [2, 3, 4].map((f) => simulate("fifo", SILBERSCHATZ, f)), explain(r));
  assert.deepEqual(rows.get("lru-exact"), [2, 3, 4].map((f) => simulate("lru", SILBERSCHATZ, f)));
  assert.deepEqual(rows.get("opt"), [2, 3, 4].map((f) => optFaults(SILBERSCHATZ, f)));
});

test("bad memlab and --mm-policy input: one line, the remedy, exit 2", () => {
  for (const args of [
    ["memlab", "--policies", "fifo,belady", "--belady"],
    ["memlab", "--frames", "0,3", "--belady"],
    ["memlab", "--frames", "5..3", "--belady"],
    ["memlab", "--frames", "x", "--belady"],
    ["memlab"],
    ["memlab", "--belady", "refstring", "1,2"],
    ["memlab", "--bogus"],
    ["run", "--mm-policy", "belady", "--", "true"],
  ]) {
    const r = tsix(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${explain(r)}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, `${args.join(" ")}: one line\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
});

test("thrash: a sweep larger than the budget faults on every reference and is logged once as thrashing; a budget that fits is quiet; threshold 0 turns the detector off", { timeout: 120_000 }, () => {
  const r = sh([
    "ulimit -m 16; thrash 8 5000; dmesg | grep -c 'thrashing: pid'",
    "ulimit -m 32; thrash 8 5000; dmesg | grep -c 'thrashing: pid'",
    "echo 0 > /proc/sys/vm/thrash_threshold; ulimit -m 16; thrash 8 5000; dmesg | grep -c 'thrashing: pid'",
    "echo -1 > /proc/sys/vm/thrash_threshold; echo status=$?",
  ].join("; "), { args: ["--deterministic"] });
  assert.equal(r.status, 0, explain(r));
  const faults = [...r.stdout.matchAll(/^thrash: (\d+) faults \(budget (\d+) frames\), (\d+) thrashing episodes?$/gm)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
  assert.deepEqual(faults, [[40000, 4, 1], [8, 8, 0], [40000, 4, 0]], explain(r));
  // dmesg's count of thrashing lines after each run: one episode logged, then nothing more.
  assert.deepEqual(r.stdout.split("\n").filter((l) => /^\d+$/.test(l)).map(Number), [1, 1, 1], explain(r));
  assert.equal([...new Set(r.stdout.match(/^thrash: 40000 references, checksum \d+$/gm))].length, 1, "same data every time");
  assert.match(r.stdout, /^status=1$/m, "a negative threshold is EINVAL");
});

test("workset: the data is the same under every policy and budget; a budget at least the working set faults less than one below it", { timeout: 300_000 }, () => {
  const out = (policy: string, kb: number): { sum: string; faults: number } => {
    const r = tsix(["run", "--deterministic", "--mm-policy", policy, "--", "sh", "-c", `ulimit -m ${kb} && exec workset 6 24 3000 7`]);
    assert.equal(r.status, 0, explain(r));
    const s = /^workset: 3000 references, working set 6 of 24 pages, checksum (\d+)$/m.exec(r.stdout);
    const f = /^workset: (\d+) faults \(budget (\d+) frames\)$/m.exec(r.stdout);
    assert.ok(s && f, explain(r));
    assert.equal(Number(f[2]), kb / 4);
    return { sum: s[1], faults: Number(f[1]) };
  };
  const sums = new Set<string>();
  for (const policy of ["fifo", "clock", "lru-exact", "random", "2q"]) {
    const small = out(policy, 12), fits = out(policy, 32);
    sums.add(small.sum).add(fits.sum);
    assert.ok(fits.faults < small.faults, `${policy}: ${fits.faults} faults with 8 frames, ${small.faults} with 3`);
    assert.ok(fits.faults >= 6, "every page of the first working set faults once");
  }
  assert.equal(sums.size, 1, `one checksum: ${[...sums].join(", ")}`);
});
