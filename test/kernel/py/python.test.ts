// Debian's python3 on tsix (issue 11): an image built from Debian packages
// with python3 (through buildImage, the code path of `tsix image build
// --packages busybox-static,python3`, cached under $TSIX_HOME next to the
// default image), and the scripts of this directory run in one boot, each
// asserting its own results and printing "OK <name>" at the end: socketpair
// echo, TCP echo on 127.0.0.1 and ::1, select/selectors over pipes and
// sockets, subprocess (pipes, communicate, timeouts, pass_fds as CPython's
// test_pass_fds does it), multiprocessing with fork/spawn/forkserver, os.openpty
// and pty.spawn, shutil.copy2 with xattrs, sched_getaffinity and a thread's CPU clock.
// The same scripts run under the host's python3 on Linux, so that what they
// expect is what Linux does.
//
// Concepts: C34 (pipes), C42 (sockets), C45 (I/O multiplexing), C14 (ptys), C47.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildImage } from "../../../userland/image/build.js";
import { explain, have, SRC_ROOT, tsixAsync, type RunResult } from "../harness.js";

const PY = join(SRC_ROOT, "test/kernel/py");
/** Every script, and the "OK" lines it prints when all its assertions held. */
const SCRIPTS: { name: string; args?: string; ok: RegExp[] }[] = [
  { name: "socketpair_echo", ok: [/^OK socketpair_echo$/m] },
  { name: "tcp_echo", ok: [/^OK tcp_echo 127\.0\.0\.1$/m, /^OK tcp_echo ::1$/m] },
  { name: "select_selectors", ok: [/^OK select_selectors SelectSelector,PollSelector,EpollSelector,EpollSelector$/m] },
  { name: "subprocess_fds", ok: [/^OK subprocess_fds$/m] },
  { name: "pty_spawn", ok: [/^OK pty_spawn$/m] },
  { name: "misc", ok: [/^OK misc$/m] },
  { name: "mp_methods", args: "fork spawn forkserver", ok: [/^OK mp fork$/m, /^OK mp spawn$/m, /^OK mp forkserver$/m] },
];

/** Each script's output (stdout and stderr) and exit status, from the one boot. */
const sections = new Map<string, { out: string; rc: number }>();
let boot: RunResult | undefined;

before(async () => {
  const img = await buildImage({ packages: ["busybox-static", "python3"] });
  const loop = SCRIPTS.map((s) => `echo "=== ${s.name}"; timeout 300 python3 ${s.name}.py ${s.args ?? ""} 2>&1; echo "=== rc $?"`).join("; ");
  // The tier is the test run's (TSIX_TEST_JIT, harness.ts withJit): python3's
  // start, which once made this boot stay on the interpreter, is now about as
  // fast on the JIT (1.08x), and the scripts must pass on both.
  boot = await tsixAsync(["run", "--image", img.path, "--mem", "512M", "--cpus", "2", "--mount", `${PY}:/py`, "--", "sh", "-c", `cd /py && ${loop}`],
    { timeout: 1_200_000 });
  const re = /^=== (\w+)\n([\s\S]*?)^=== rc (\d+)$/gm;
  for (const m of boot.stdout.matchAll(re)) sections.set(m[1], { out: m[2], rc: Number(m[3]) });
}, { timeout: 1_500_000 });

for (const s of SCRIPTS) {
  test(`python3 ${s.name}.py passes in tsix`, () => {
    assert.ok(boot, "the boot did not run");
    const sec = sections.get(s.name);
    assert.ok(sec, `no output from ${s.name}\n${explain(boot)}`);
    assert.equal(sec.rc, 0, `${s.name} failed:\n${sec.out}`);
    for (const ok of s.ok) assert.match(sec.out, ok, sec.out);
  });
}

test("the same scripts pass under the host's python3 on Linux", { skip: have("python3") ? false : "python3 is not installed on the host", timeout: 600_000 }, () => {
  for (const s of SCRIPTS) {
    const r = spawnSync("python3", [`${s.name}.py`, ...(s.args ? s.args.split(" ") : [])], { cwd: PY, encoding: "utf8", timeout: 300_000 });
    assert.equal(r.status, 0, `${s.name} under host python3:\n${r.stdout}${r.stderr}`);
    for (const ok of s.ok) assert.match(r.stdout, ok, r.stdout);
  }
});
