// tsix run's knobs of the JIT's hotness policy and code cache (--jit-warmup,
// --jit-hot, --jit-cache; issue 12) reach the tier: the --stats counters move
// as each setting predicts, and bad values get a one-line error with status 2.
// Concepts: C12 (the CPU's execution tiers), C15 (translated code as a cache).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { TSIX } from "../kernel/harness.js";
import { DEFAULT_WARMUP } from "../../hw/jit/jit.js";

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSIX, "run", ...args], { encoding: "utf8", timeout: 120_000, input: "" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `tsix run --stats --jit on KNOBS -- echo hi`: the counters of its --stats lines. */
function counters(knobs: string[]): Record<string, number> {
  const r = run(["--stats", "--jit", "on", ...knobs, "--", "echo", "hi"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "hi\n");
  const c: Record<string, number> = {};
  for (const [, k, v] of r.stderr.matchAll(/(\w+)=(-?\d+(?:\.\d+)?)/g)) c[k] = Number(v);
  for (const k of ["instructions", "jit_regions", "jit_warmup_left", "jit_evictions"]) assert.ok(k in c, `${k} missing:\n${r.stderr}`);
  return c;
}

test("--jit-warmup N: the tier starts after N instructions (the default: DEFAULT_WARMUP)", () => {
  // echo hi retires well under a million instructions: the warm-up outlasts it, and what is left of it is N minus them.
  const dflt = counters([]);
  assert.ok(dflt.instructions < DEFAULT_WARMUP, `${dflt.instructions}`);
  assert.equal(dflt.jit_warmup_left, DEFAULT_WARMUP - dflt.instructions);
  assert.equal(dflt.jit_regions, 0);
  const long = counters(["--jit-warmup", "5000000"]);
  assert.equal(long.jit_warmup_left, 5_000_000 - long.instructions);
  assert.equal(long.jit_regions, 0);
});

test("--jit-hot 1 translates at the first arrival; --jit-cache bounds the code cache", () => {
  // The plain policy with a threshold of one: no warm-up, every taken branch's target is translated.
  const hot = counters(["--jit-hot", "1"]);
  assert.equal(hot.jit_warmup_left, 0);
  assert.ok(hot.jit_regions > 100, `${hot.jit_regions} regions`);
  assert.equal(hot.jit_evictions, 0);
  // The same translations no longer fit in 64 KiB of wasm: the cache empties itself, again and again.
  const small = counters(["--jit-hot", "1", "--jit-cache", "64K"]);
  assert.ok(small.jit_evictions > 0, `${small.jit_evictions} evictions`);
  assert.ok(small.jit_regions > hot.jit_regions, `${small.jit_regions} vs ${hot.jit_regions} regions: code thrown away is translated again`);
});

test("bad JIT knobs get a one-line error that says what to do", () => {
  const cases: [string[], RegExp][] = [
    [["--jit", "off", "--jit-hot", "5"], /^tsix: --jit-hot sets the JIT's policy, and --jit off turns the JIT off: drop one of them$/],
    [["--jit-cache", "1M", "--jit", "off"], /^tsix: --jit-cache sets the JIT's policy, and --jit off turns the JIT off: drop one of them$/],
    [["--jit", "on", "--jit-hot", "0"], /^tsix: --jit-hot must be an integer from 1 to \d+$/],
    [["--jit", "on", "--jit-warmup", "lots"], /^tsix: --jit-warmup must be an integer from 0 to \d+$/],
    [["--jit", "on", "--jit-cache", "1k"], /^tsix: --jit-cache needs a size from 64K to 1G, e.g. --jit-cache 16M \(got '1k'\)$/],
  ];
  for (const [args, want] of cases) {
    const r = run([...args, "--", "true"]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr.trimEnd(), want);
  }
});
