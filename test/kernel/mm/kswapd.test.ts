// kswapd0 (kernel/proc/kthread.ts, sched/kthread.ts): background reclaim is a
// kernel thread that ps shows, asleep (S) while memory is plentiful, woken
// under pressure, charged its own system time, and deaf to signals.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsixAsync, explain } from "../harness.js";

const dir = mkdtempSync(join(tmpdir(), "tsix-kswapd-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The fields of a /proc/PID/stat line (1-based as proc(5) numbers them; [0] unused). */
function statFields(line: string): string[] {
  const m = /^(\d+) \((.*)\) (.*)$/.exec(line.trim());
  assert.ok(m, `stat line: ${line}`);
  return ["", m[1], m[2], ...m[3].split(" ")];
}

test("kswapd0: PID 2 with PPID 0, [kswapd0] in ps, S when idle; under memory pressure it runs: its stime, schedstat time and pgscan_kswapd grow, by the cost model exactly; kill -9 leaves it alone", { timeout: 300_000 }, async () => {
  const script = [
    "ps | grep -F '[kswapd0]'",
    "echo BEFORE; cat /proc/2/stat /proc/2/schedstat; grep -E '^(pgscan_kswapd|pageoutrun) ' /proc/vmstat",
    "swap_demo 40 1 > /dev/null; echo demo=$?",
    "echo AFTER; cat /proc/2/stat /proc/2/schedstat; grep -E '^(pgscan_kswapd|pageoutrun) ' /proc/vmstat",
    "kill -9 2; echo kill=$?; sleep 0.1; cat /proc/2/stat",
  ].join("; ");
  const r = await tsixAsync(["run", "--deterministic", "--mem", "32M", "--swap", `${join(dir, "swap.img")}:64M`, "--", "sh", "-lc", script], { timeout: 280_000 });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^\s+2 root\s+\[kswapd0\]$/m, explain(r));
  assert.match(r.stdout, /^demo=0$/m, explain(r));
  const section = (name: string): string[] => r.stdout.split(`${name}\n`)[1].split("\n");
  const read = (name: string): { stat: string[]; runNs: number; runs: number; scanned: number; outruns: number } => {
    const lines = section(name);
    const ss = lines[1].split(" ").map(Number);
    const vm = new Map(lines.slice(2, 4).map((l) => l.split(" ")).map(([a, b]) => [a, Number(b)]));
    return { stat: statFields(lines[0]), runNs: ss[0], runs: ss[2], scanned: vm.get("pgscan_kswapd")!, outruns: vm.get("pageoutrun")! };
  };
  const before = read("BEFORE"), after_ = read("AFTER");
  for (const s of [before.stat, after_.stat]) {
    assert.equal(s[2], "kswapd0");
    assert.equal(s[3], "S", "asleep when idle");
    assert.equal(s[4], "0", "PPID 0");
    assert.ok((Number(s[9]) & 0x200000) !== 0, "PF_KTHREAD");
  }
  assert.deepEqual([before.runNs, before.runs, before.scanned, Number(before.stat[15])], [0, 0, 0, 0], "nothing before pressure");
  assert.ok(after_.scanned > 1000 && after_.outruns > 10, explain(r));
  assert.ok(after_.runs >= after_.outruns, "every pageoutrun is a run of the thread");
  // Its CPU time is the cost model: 2 us a run, 0.5 us a frame scanned (sched/kthread.ts).
  assert.equal(after_.runNs, after_.runs * 2000 + after_.scanned * 500, explain(r));
  assert.equal(Number(after_.stat[15]), Math.floor(after_.runNs / 10_000_000), "stime in ticks");
  assert.equal(Number(after_.stat[14]), 0, "no user time");
  // Signals do not reach a kernel thread.
  assert.match(r.stdout, /^kill=0$/m);
  assert.match(r.stdout.trim().split("\n").pop()!, /^2 \(kswapd0\) S /, explain(r));
});
