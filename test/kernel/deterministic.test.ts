// `tsix run --deterministic` (C84): the same command gives byte-identical
// output and the same instruction count on every run. Time comes from
// retired instructions only, CLOCK_REALTIME starts at a fixed epoch
// (2025-01-01T00:00:00Z, vmm/vmm.ts), random bytes (/dev/urandom,
// /dev/random, getrandom through sqlite and lua, AT_RANDOM, the boot id)
// come from --seed, and no host timing reaches the guest (no sampled system
// time, no host durations in the boot log). A different seed changes the
// random bytes and nothing else that the script prints about time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tsix, explain } from "./harness.js";

// Wall clock, random bytes, a fork, sleeps, the shell's utime/stime, uptime, the boot log, and
// programs that seed themselves from time and addresses (lua) or read the kernel's randomness (sqlite).
const SCRIPT = [
  "date +%s", "date",
  "od -An -tx1 -N16 /dev/urandom", "head -c 8 /dev/random | od -An -tx1",
  "cat /proc/sys/kernel/random/boot_id",
  "(sleep 0.1; echo child $$) & wait",
  "sleep 0.25",
  "cut -d' ' -f14,15 /proc/$$/stat",
  "cat /proc/uptime",
  "dmesg | grep -E 'initramfs|PID 1'",
  "lua5.4 -e 'print(math.random(1, 1000000))'",
  "sqlite3 :memory: 'select hex(randomblob(8));'",
].join("; ");

const run = (...flags: string[]) => tsix(["run", "--stats", ...flags, "--", "sh", "-c", SCRIPT], { timeout: 120_000 });
const insns = (stderr: string): string | undefined => /instructions=(\d+)/.exec(stderr)?.[1];
const randomLines = (out: string): string[] => out.split("\n").slice(2, 5);

test("--deterministic: two runs give byte-identical output and the same instruction count", { timeout: 300_000 }, () => {
  const a = run("--deterministic"), b = run("--deterministic");
  assert.equal(a.status, 0, explain(a));
  assert.equal(b.status, 0, explain(b));
  assert.equal(b.stdout, a.stdout, `run 1:\n${a.stdout}\nrun 2:\n${b.stdout}`);
  assert.ok(insns(a.stderr), explain(a));
  assert.equal(insns(b.stderr), insns(a.stderr), `${a.stderr}\n${b.stderr}`);
  const lines = a.stdout.split("\n");
  // The fixed epoch, moved on only by the guest's own (virtual) time.
  const secs = Number(lines[0]);
  assert.ok(secs >= 1735689600 && secs < 1735689600 + 60, explain(a));
  assert.match(lines[1], /Jan\s+1 00:00:\d\d UTC 2025/, explain(a));
  assert.match(a.stdout, /^child \d+$/m, explain(a));
  // No sampled host time: the shell's stime is 0.
  assert.match(a.stdout, /^\d+ 0$/m, explain(a));
});

test("--seed changes the random bytes; without --deterministic they differ from run to run", { timeout: 300_000 }, () => {
  const s0 = run("--deterministic"), s1 = run("--deterministic", "--seed", "1");
  assert.equal(s0.status, 0, explain(s0));
  assert.equal(s1.status, 0, explain(s1));
  const r0 = randomLines(s0.stdout), r1 = randomLines(s1.stdout);
  for (let i = 0; i < 3; i++) assert.notEqual(r1[i], r0[i], `line ${i + 3} did not change with the seed:\n${s0.stdout}\n${s1.stdout}`);
  assert.equal(s1.stdout.split("\n")[0], s0.stdout.split("\n")[0], "the seed is not a clock");
  const h1 = run(), h2 = run();
  assert.equal(h1.status, 0, explain(h1));
  assert.notDeepEqual(randomLines(h1.stdout), randomLines(h2.stdout), "host randomness repeated itself");
});

test("--deterministic refuses --clock host, and --seed needs --deterministic (usage errors, status 2)", () => {
  const a = tsix(["run", "--deterministic", "--clock", "host", "--", "true"]);
  assert.equal(a.status, 2, explain(a));
  assert.match(a.stderr, /^tsix: --deterministic runs on the instret clock: drop --clock host\n$/, explain(a));
  const b = tsix(["run", "--seed", "3", "--", "true"]);
  assert.equal(b.status, 2, explain(b));
  assert.match(b.stderr, /^tsix: --seed only applies with --deterministic/, explain(b));
  const c = tsix(["run", "--deterministic", "--seed", "-1", "--", "true"]);
  assert.equal(c.status, 2, explain(c));
  assert.match(c.stderr, /^tsix: --seed needs a whole number/, explain(c));
});
