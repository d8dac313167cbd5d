// `--jit on|off` on `tsix machine` and `tsix run`: the same results as the
// interpreter, the JIT's counters on their own --stats line (the figures line
// stays last), a bad value is a one-line error with status 2, and the tier is
// on unless --jit off says otherwise (issue 12: the default since python3's
// start-up costs at most 1.1x the interpreter's; docs/machine.md).
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { SRC_ROOT } from "../bare.js";
import { tsix, explain, TSIX } from "../../kernel/harness.js";

const DEMO = join(SRC_ROOT, "userland/bare/hello.elf");

function jitLine(stderr: string): Record<string, number> {
  const line = stderr.split("\n").find((l) => l.startsWith("jit_regions="));
  assert.ok(line, `no JIT counters in:\n${stderr}`);
  return Object.fromEntries(line.split(" ").map((w) => w.split("=")).map(([k, v]) => [k, Number(v)]));
}

test("tsix machine --jit on: same output and instruction count, counters add up", () => {
  const off = tsix(["machine", "--bare", DEMO, "--stats", "--jit", "off"]);
  const on = tsix(["machine", "--bare", DEMO, "--stats", "--jit", "on", "--jit-hot", "2"]); // --jit-hot: the plain policy, no warm-up
  assert.equal(on.status, 0, explain(on));
  assert.equal(on.stdout, off.stdout);
  const figures = (s: string): number => Number(/^instructions=(\d+) /m.exec(s.trimEnd().split("\n").pop() ?? "")?.[1]);
  assert.equal(figures(on.stderr), figures(off.stderr), "the figures line is last and counts the same instructions");
  const j = jitLine(on.stderr);
  assert.ok(j.jit_regions > 0 && j.jit_insns > 0, `the JIT ran: ${on.stderr}`);
  assert.equal(j.jit_insns + j.interp_insns, figures(on.stderr));
  assert.equal(jitLine(tsix(["machine", "--bare", DEMO, "--stats", "--jit", "on", "--jit-hot", "1000000"]).stderr).jit_regions, 0,
    "a threshold never reached translates nothing");
  assert.doesNotMatch(off.stderr, /jit_/);
  // The default global warm-up: this short program translates nothing and enters no region.
  const dflt = jitLine(tsix(["machine", "--bare", DEMO, "--stats", "--jit", "on"]).stderr);
  assert.equal(dflt.jit_regions, 0, "the default warm-up outlasts a short program");
  assert.equal(dflt.jit_entries, 0);
  assert.ok(dflt.jit_warmup_left > 0);
  const bad = tsix(["machine", "--bare", DEMO, "--jit", "on", "--jit-warmup", "-1"]);
  assert.equal(bad.status, 2, explain(bad));
  assert.match(bad.stderr, /--jit-warmup must be an integer from 0 to/);
});

test("tsix run --jit on runs programs under the kernel; counters before the figures line", () => {
  const r = tsix(["run", "--jit", "on", "--stats", "--", "sh", "-c", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo $i"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "3000\n");
  const j = jitLine(r.stderr);
  assert.ok(j.jit_insns > 0, r.stderr);
  assert.ok(j.jit_chained > 0, `regions enter the next one directly in paged U-mode too: ${r.stderr}`);
  assert.match(r.stderr.trimEnd().split("\n").pop() ?? "", /^boot_ms=/);
});

test("--jit with a bad value is a one-line error with status 2", () => {
  for (const args of [["machine", "--bare", DEMO, "--jit", "maybe"], ["run", "--jit", "fast", "--", "true"], ["machine", "--bare", DEMO, "--jit"]]) {
    const r = tsix(args);
    assert.equal(r.status, 2, explain(r));
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /--jit/);
  }
});

test("without --jit, tsix machine and tsix run use the JIT (its default policy); --jit off the interpreter alone", () => {
  // Spawned directly: the harness adds --jit to every tsix run, and this test is about no --jit at all.
  const bare = (args: string[]): string => {
    const r = spawnSync(process.execPath, [TSIX, ...args], { encoding: "utf8", timeout: 300_000 });
    assert.equal(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
    return r.stderr;
  };
  // hello.elf and `true` are shorter than the default warm-up: on, but nothing translated yet.
  for (const args of [["machine", "--bare", DEMO, "--stats"], ["run", "--stats", "--", "true"]]) {
    const s = jitLine(bare(args));
    assert.ok(s.jit_warmup_left > 0 && s.jit_regions === 0, `${args.join(" ")}: ${JSON.stringify(s)}`);
    assert.doesNotMatch(bare([...args.slice(0, args.indexOf("--stats")), "--jit", "off", ...args.slice(args.indexOf("--stats"))]), /jit_/);
  }
});
