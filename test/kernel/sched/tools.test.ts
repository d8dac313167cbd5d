// nice, renice, chrt and taskset at the default image's prompt (issue 8):
// busybox has renice and taskset; nice (coreutils) and chrt (util-linux) are
// picked from Debian's packages (userland/image/build.ts DEFAULT_PICKS).
// Each check reads back what the kernel stored, in /proc/PID/stat: nice
// (field 19) and priority (18), the hart (39), rt_priority (40) and policy
// (41), and what the tools themselves report.
//
// Concepts: C30 (priority from nice), C31 (affinity), C32 (real-time classes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "../harness.js";

/** Fields of a /proc/PID/stat line, numbered as in proc(5). */
function statField(line: string, n: number): number {
  return Number(line.slice(line.lastIndexOf(")") + 2).trim().split(/\s+/)[n - 3]);
}

const TWO = { args: ["--cpus", "2", "--deterministic"] };

test("nice -n 5 runs a command at nice 5 (priority 25), and nice prints the niceness", () => {
  const r = sh("nice -n 5 cat /proc/self/stat; nice -n 7 nice; nice", TWO);
  assert.equal(r.status, 0, explain(r));
  const [stat, inner, outer] = r.stdout.trim().split("\n");
  assert.equal(statField(stat, 19), 5, explain(r));
  assert.equal(statField(stat, 18), 25, explain(r));
  assert.equal(inner, "7", explain(r));
  assert.equal(outer, "0", explain(r));
});

test("renice changes a running process's nice value", () => {
  const r = sh("sleep 5 & p=$!; renice -n 7 -p $p; cut -d' ' -f19 /proc/$p/stat; kill $p", TWO);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout.trim().split("\n").pop(), "7", explain(r));
});

test("chrt -f 10 runs a command as SCHED_FIFO priority 10 (root), and chrt -p reports it", () => {
  const r = sh("chrt -f 10 cat /proc/self/stat; chrt -f 10 sh -c 'chrt -p $$'; chrt -r 20 sh -c 'chrt -p $$'; chrt -p $$", TWO);
  assert.equal(r.status, 0, explain(r));
  const lines = r.stdout.trim().split("\n");
  assert.equal(statField(lines[0], 41), 1, `policy SCHED_FIFO\n${explain(r)}`);
  assert.equal(statField(lines[0], 40), 10, explain(r));
  assert.match(lines[1], /current scheduling policy: SCHED_FIFO$/, explain(r));
  assert.match(lines[2], /current scheduling priority: 10$/, explain(r));
  assert.match(lines[3], /current scheduling policy: SCHED_RR$/, explain(r));
  assert.match(lines[4], /current scheduling priority: 20$/, explain(r));
  // The shell itself stays a normal task.
  assert.match(lines[5], /current scheduling policy: SCHED_OTHER$/, explain(r));
});

test("taskset -c 1 pins a command to hart 1 on two CPUs", () => {
  const r = sh("taskset -c 1 cat /proc/self/stat; taskset -c 0 cat /proc/self/stat; taskset -c 1 sh -c 'taskset -p $$'; taskset -p $$", TWO);
  assert.equal(r.status, 0, explain(r));
  const lines = r.stdout.trim().split("\n");
  assert.equal(statField(lines[0], 39), 1, explain(r));
  assert.equal(statField(lines[1], 39), 0, explain(r));
  assert.match(lines[2], /current affinity mask: 2$/, explain(r));
  assert.match(lines[3], /current affinity mask: 3$/, explain(r));
});
