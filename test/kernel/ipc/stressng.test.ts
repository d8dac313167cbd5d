// stress-ng's IPC, socket and pty stressors on tsix (issue 11): Debian's
// stress-ng, one boot running each stressor of STRESSORS (stressng.ts) for 3
// seconds in sequence with --metrics-brief; every one must exit 0, print no
// "fail:" line, report "failed: 0" and make progress (bogo ops > 0). The same
// table against qemu-riscv64 is bench/stressng.ts.
// Concepts: C42, C43 (SysV and POSIX IPC), C45 (sockets), C47 (poll/epoll), C34 (pipes), C14 (ptys).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { explain, tsixAsync, type RunResult } from "../harness.js";
import { parseStress, stressImage, stressScript, STRESSORS, STRESS_MEM, type StressResult } from "./stressng.js";

let boot: RunResult | undefined;
let results = new Map<string, StressResult>();

before(async () => {
  const img = await stressImage();
  boot = await tsixAsync(["run", "--image", img.path, "--mem", STRESS_MEM, "--", "sh", "-c", stressScript(3)], { timeout: 900_000 });
  results = parseStress(boot.stdout);
}, { timeout: 1_200_000 });

for (const name of STRESSORS) {
  test(`stress-ng --${name} 1 --timeout 3s: exit 0, no failures, bogo ops > 0`, () => {
    assert.ok(boot, "the boot did not run");
    const r = results.get(name);
    assert.ok(r, `no output for ${name}\n${explain(boot)}`);
    assert.equal(r.rc, 0, r.out);
    assert.deepEqual(r.failLines, [], r.out);
    assert.equal(r.failed, 0, r.out);
    assert.ok(r.bogoOps > 0, `bogo ops ${r.bogoOps}\n${r.out}`);
  });
}
