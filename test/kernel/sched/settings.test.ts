// The scheduler's settings (issue 8): the /proc/sys/kernel/sched_* files
// read and write k.schedSettings (a bad value is EINVAL and changes
// nothing; an unknown policy name too), `tsix run --sysctl NAME=VALUE` sets
// them at boot, `--sched` with an unknown name lists every policy, and
// /proc/PID/sched and /proc/sched_debug show the fields the policies use.
//
// Concepts: C07 (policy switched through /proc/sys), C29, C30, C31.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tsix, sh, explain } from "../harness.js";
import { schedPolicyNames, schedSysctlNames } from "../../../kernel/index.js";

test("/proc/sys/kernel/sched_*: bad values and unknown policies fail with EINVAL and change nothing; good ones take", () => {
  const script = [
    "cd /proc/sys/kernel",
    "for f in sched_rr_timeslice_ms sched_sjf_alpha sched_sjf_tau0_ms sched_aging_rate sched_mlfq_levels sched_mlfq_quanta_ms sched_mlfq_boost_ms sched_latency_ns sched_min_granularity_ns sched_policy; do echo \"$f=$(cat $f)\"; done",
    "echo 0 > sched_rr_timeslice_ms 2>/dev/null; echo \"rr=0 $?\"",
    "echo abc > sched_rr_timeslice_ms 2>/dev/null; echo \"rr=abc $?\"",
    "echo 1.5 > sched_sjf_alpha 2>/dev/null; echo \"alpha=1.5 $?\"",
    "echo 9 > sched_mlfq_levels 2>/dev/null; echo \"levels=9 $?\"",
    "echo '5 0 7' > sched_mlfq_quanta_ms 2>/dev/null; echo \"quanta=5,0,7 $?\"",
    "echo 50 > sched_latency_ns 2>/dev/null; echo \"latency=50 $?\"",
    "echo bogus > sched_policy 2>/dev/null; echo \"policy=bogus $?\"",
    "echo after-bad; cat sched_rr_timeslice_ms sched_sjf_alpha sched_mlfq_levels sched_mlfq_quanta_ms sched_latency_ns sched_policy",
    "echo 7 > sched_rr_timeslice_ms && echo 0.25 > sched_sjf_alpha && echo '5 10 20 40' > sched_mlfq_quanta_ms && echo mlfq > sched_policy && echo 2 > sched_mlfq_levels",
    "echo after-good; cat sched_rr_timeslice_ms sched_sjf_alpha sched_mlfq_levels sched_mlfq_quanta_ms sched_policy",
    "grep -E '^  \\.(policy|sysctl_sched_rr_timeslice|sjf_alpha|mlfq_quanta) ' /proc/sched_debug",
  ].join("\n");
  const r = sh(script, { args: ["--sched", "cfs"] });
  assert.equal(r.status, 0, explain(r));
  const out = r.stdout;
  assert.match(out, /sched_rr_timeslice_ms=10\nsched_sjf_alpha=0.5\nsched_sjf_tau0_ms=10\nsched_aging_rate=100\nsched_mlfq_levels=3\nsched_mlfq_quanta_ms=10 20 40\nsched_mlfq_boost_ms=1000\nsched_latency_ns=6000000\nsched_min_granularity_ns=750000\nsched_policy=cfs\n/, out);
  for (const w of ["rr=0", "rr=abc", "alpha=1.5", "levels=9", "quanta=5,0,7", "latency=50", "policy=bogus"]) assert.match(out, new RegExp(`^${w} 1$`, "m"), `${w} must fail\n${out}`);
  assert.match(out, /after-bad\n10\n0.5\n3\n10 20 40\n6000000\ncfs\n/, out);
  assert.match(out, /after-good\n7\n0.25\n2\n5 10\nmlfq\n/, out);
  assert.match(out, /\.policy\s+: mlfq\n/, out);
  assert.match(out, /\.sysctl_sched_rr_timeslice\s+: 7\.000000\n/, out);
  assert.match(out, /\.mlfq_quanta\s+: 5\.000000 10\.000000\n/, out);
});

test("tsix run --sysctl NAME=VALUE sets scheduler settings at boot; bad names and values are one-line usage errors", () => {
  const ok = tsix(["run", "--sysctl", "sched_rr_timeslice_ms=7", "--sysctl", "kernel.sched_aging_rate=50", "--sysctl", "sched_policy=srtf", "--", "cat", "/proc/sys/kernel/sched_rr_timeslice_ms", "/proc/sys/kernel/sched_aging_rate", "/proc/sys/kernel/sched_policy"]);
  assert.equal(ok.status, 0, explain(ok));
  assert.equal(ok.stdout, "7\n50\nsrtf\n");
  for (const [arg, want] of [["nosuch=1", /unknown setting 'nosuch'/], ["sched_rr_timeslice_ms=0", /bad value '0' for sched_rr_timeslice_ms/], ["sched_rr_timeslice_ms", /needs NAME=VALUE/], ["sched_policy=bogus", /unknown policy 'bogus'/]] as const) {
    const r = tsix(["run", "--sysctl", arg, "--", "true"]);
    assert.equal(r.status, 2, explain(r));
    assert.match(r.stderr, want, explain(r));
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
  const names = tsix(["run", "--sysctl", "nosuch=1", "--", "true"]).stderr;
  for (const n of schedSysctlNames()) assert.ok(names.includes(n), `lists ${n}: ${names}`);
});

test("tsix run --sched with an unknown name: one line that lists every policy, exit 2", () => {
  const r = tsix(["run", "--sched", "lottery", "--", "true"]);
  assert.equal(r.status, 2, explain(r));
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.ok(schedPolicyNames().length >= 8);
  for (const p of schedPolicyNames()) assert.ok(r.stderr.includes(p), `lists ${p}: ${r.stderr}`);
});

test("/proc/PID/sched shows the fields the policies use; nice and the policy show up in weight and class", () => {
  const r = sh("renice -n 5 -p $$ >/dev/null && cat /proc/self/sched && cat /proc/sched_debug", { args: ["--sched", "cfs"] });
  assert.equal(r.status, 0, explain(r));
  const first = r.stdout.split(/^-+$/m)[1] ?? "";
  const field = (name: string): string => (first.match(new RegExp(`^${name.replace(".", "\\.")}\\s+:\\s+(\\S+)$`, "m")) ?? [])[1] ?? "missing";
  for (const f of ["se.vruntime", "se.sum_exec_runtime", "nr_switches", "nr_voluntary_switches", "nr_involuntary_switches", "se.nr_migrations", "se.wait_sum", "se.burst_predicted", "mlfq.level", "prio.effective"]) {
    assert.notEqual(field(f), "missing", `${f}\n${r.stdout}`);
  }
  assert.equal(field("se.load.weight"), "335", "nice 5 weighs 335");
  assert.equal(field("prio"), "125");
  assert.equal(field("policy"), "0");
  assert.equal(field("sched_class"), "cfs");
  assert.ok(Number(field("se.sum_exec_runtime")) > 0);
  assert.match(r.stdout, /^cpu#0\n\s+\.nr_running\s+: \d+\n\s+\.curr->pid\s+: \d+/m, r.stdout);
  assert.match(r.stdout, /^ >R\s+cat\s+\d+ /m, "sched_debug shows the running cat");
});
