// Guest output is never lost or late (issue 6): tsix batches what the guest
// writes, and these tests show each way the batch reaches the host - a short
// timer while the guest computes, a newline on a terminal, SIGTERM, SIGINT and
// SIGHUP (with the shell's 128 + signal status) - and that a host pipe whose
// reader left ends the guest writer the Linux way (`yes | head -2`: SIGPIPE,
// status 141) instead of crashing tsix with a stack trace.
// Every test spawns tsix as a user would (bin/tsix.js, as test/kernel/harness.ts does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TSIX, have, explain, tsix } from "../kernel/harness.js";

/** A Node stack trace line, or the header of an uncaught error. */
const STACK = /^\s+at |Uncaught|node:internal|\bError: /m;

interface Live {
  stdout(): string;
  stderr(): string;
  /** Resolves when `pred` holds (checked at each output chunk and every 50 ms), rejects after `ms`. */
  until(pred: () => boolean, what: string, ms: number): Promise<void>;
  signal(sig: NodeJS.Signals): void;
  exited: Promise<{ status: number | null; signal: string | null }>;
}

/** `tsix ARGS` with stdout and stderr on pipes, watched as it runs. */
function live(args: string[], env: NodeJS.ProcessEnv = process.env): Live {
  const p = spawn(process.execPath, [TSIX, ...args], { stdio: ["pipe", "pipe", "pipe"], env });
  let out = "", err = "";
  p.stdout.setEncoding("utf8").on("data", (d: string) => { out += d; });
  p.stderr.setEncoding("utf8").on("data", (d: string) => { err += d; });
  p.stdin.end();
  const exited = new Promise<{ status: number | null; signal: string | null }>((res) => p.on("close", (status, signal) => res({ status, signal })));
  return {
    stdout: () => out,
    stderr: () => err,
    until(pred, what, ms) {
      return new Promise((res, rej) => {
        const t0 = Date.now();
        const tick = setInterval(() => {
          if (pred()) { clearInterval(tick); res(); }
          else if (Date.now() - t0 > ms || p.exitCode !== null) {
            clearInterval(tick);
            rej(new Error(`${what}: not seen after ${Date.now() - t0} ms\n--- stdout ---\n${out}\n--- stderr ---\n${err}`));
          }
        }, 50);
      });
    },
    signal: (sig) => { p.kill(sig); },
    exited,
  };
}

test("output printed before an endless computation shows while tsix runs (the flush timer)", { timeout: 120_000 }, async () => {
  const t = live(["run", "--", "sh", "-c", "echo start; while :; do :; done"]);
  try {
    // The old console wrote only when every hart was idle or 64 KiB were queued: never, here.
    await t.until(() => t.stdout() === "start\n", "'start' on stdout while the guest spins", 60_000);
  } finally {
    t.signal("SIGKILL");
    await t.exited;
  }
});

for (const [sig, status] of [["SIGTERM", 143], ["SIGINT", 130], ["SIGHUP", 129]] as const) {
  test(`${sig}: output still held by tsix reaches stdout, and tsix exits with ${status}`, { timeout: 120_000 }, async () => {
    // The flush timer is set to ten minutes, so only the signal handler can write "before".
    // The guest says when it has printed by creating a file in a host directory.
    const dir = mkdtempSync(join(tmpdir(), "tsix-sig-"));
    try {
      const t = live(["run", "--mount", `${dir}:/mnt`, "--", "sh", "-c", "echo before; : > /mnt/ready; while :; do :; done"],
        { ...process.env, TSIX_FLUSH_MS: "600000" });
      await t.until(() => existsSync(join(dir, "ready")), "the guest's /mnt/ready", 60_000);
      assert.equal(t.stdout(), "", "the timer is off: nothing is written before the signal");
      t.signal(sig);
      const r = await t.exited;
      const all = `status ${r.status} signal ${r.signal}\n--- stdout ---\n${t.stdout()}\n--- stderr ---\n${t.stderr()}`;
      assert.equal(r.signal, null, `tsix handles ${sig} instead of dying of it:\n${all}`);
      assert.equal(r.status, status, all);
      assert.equal(t.stdout(), "before\n", all);
      assert.doesNotMatch(t.stderr(), STACK, all);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("on a terminal each line shows at once, without waiting for the timer", {
  skip: have("script") ? false : "needs util-linux script(1) for a pseudo-terminal", timeout: 120_000,
}, async () => {
  const cmd = `TSIX_FLUSH_MS=600000 ${process.execPath} ${TSIX} run -- sh -c 'echo start; while :; do :; done'`;
  const p = spawn("script", ["-qfec", cmd, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  p.stdout.setEncoding("utf8").on("data", (d: string) => { out += d; });
  try {
    await new Promise<void>((res, rej) => {
      const t0 = Date.now();
      const tick = setInterval(() => {
        if (/start\r*\n/.test(out)) { clearInterval(tick); res(); }
        else if (Date.now() - t0 > 60_000) { clearInterval(tick); rej(new Error(`no 'start' line on the terminal:\n${out}`)); }
      }, 50);
    });
  } finally {
    // script's child, tsix, gets SIGHUP when the pseudo-terminal closes.
    p.kill("SIGKILL");
  }
});

test("tsix run -- yes | head -2: two lines, yes ends by SIGPIPE (status 141), no stack trace", { timeout: 120_000 }, () => {
  const r = spawnSync("sh", ["-c", `(${process.execPath} ${TSIX} run -- yes; echo "tsix=$?" >&2) | head -2`], { encoding: "utf8", timeout: 100_000 });
  const all = `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
  assert.equal(r.stdout, "y\ny\n", all);
  assert.equal(r.stderr, "tsix=141\n", all);
});

test("the same on stderr: the guest's writer gets SIGPIPE when tsix's stderr pipe is gone", { timeout: 120_000 }, () => {
  const r = spawnSync("sh", ["-c", `(${process.execPath} ${TSIX} run -- sh -c 'yes >&2' 2>&1 >/dev/null; echo "tsix=$?" >&2) | head -2`],
    { encoding: "utf8", timeout: 100_000 });
  const all = `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
  assert.equal(r.stdout, "y\ny\n", all);
  assert.equal(r.stderr, "tsix=141\n", all);
});

test("a guest that ignores SIGPIPE gets EPIPE from its write, as on Linux", { timeout: 120_000 }, () => {
  // busybox yes reports the failed write and exits 1 when SIGPIPE does not kill it.
  const r = spawnSync("sh", ["-c", `(${process.execPath} ${TSIX} run -- sh -c 'trap "" PIPE; yes'; echo "tsix=$?" >&2) | head -1`],
    { encoding: "utf8", timeout: 100_000 });
  const all = `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
  assert.equal(r.stdout, "y\n", all);
  assert.match(r.stderr, /Broken pipe\n/, all);
  assert.match(r.stderr, /tsix=1\n$/, all);
  assert.doesNotMatch(r.stderr, STACK, all);
});

test("output that cannot be written (a full disk) is an error, not a silent success", { timeout: 120_000 }, () => {
  const r = spawnSync("sh", ["-c", `${process.execPath} ${TSIX} run -- echo hi >/dev/full`], { encoding: "utf8", timeout: 100_000 });
  const all = `exit ${r.status}\n--- stderr ---\n${r.stderr}`;
  assert.equal(r.status, 1, all);
  assert.match(r.stderr, /^tsix: writing stdout failed \(ENOSPC\)[^\n]*\n$/, all);
});

test("a program that prints a lot still delivers every byte, in order", { timeout: 120_000 }, () => {
  const r = tsix(["run", "--", "sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done"]);
  assert.equal(r.status, 0, explain(r));
  const lines = r.stdout.split("\n");
  assert.equal(lines.length, 3001, explain(r));
  for (let i = 0; i < 3000; i++) assert.equal(lines[i], `line ${i}`);
});
