// `tsix run`: boot, run one command, pass its output and exit status through;
// bad input is one line on stderr and exit status 2; a missing command is the
// shell's 127; --stats and --trace syscall report on stderr; the boot stages
// are in the kernel log.
// Concepts: C10 (boot stages in dmesg), C25 (init runs the command and exits with its status).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, sh, explain, type RunResult } from "./harness.js";

/** A user error: status 2 and exactly one line on stderr, no stack trace. */
function assertOneLineError(r: RunResult, pattern: RegExp): void {
  assert.equal(r.status, 2, explain(r));
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
}

test("tsix run -- echo hello prints hello and exits 0", () => {
  const r = tsix(["run", "--", "echo", "hello"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "hello\n");
});

test("the command's exit status comes back; killed by a signal gives 128+N", () => {
  assert.equal(sh("exit 42").status, 42);
  assert.equal(tsix(["run", "--", "false"]).status, 1);
  const r = sh("kill -9 $$");
  assert.equal(r.status, 128 + 9, explain(r));
  assert.equal(sh("kill -TERM $$").status, 128 + 15);
});

test("a missing command gives the shell's 127 and its message", () => {
  const r = tsix(["run", "--", "no-such-command", "x"]);
  assert.equal(r.status, 127, explain(r));
  assert.match(r.stdout + r.stderr, /no-such-command: not found/);
});

test("arguments reach the command word for word (no shell syntax reinterpreted)", () => {
  const r = tsix(["run", "--", "printf", "[%s]\\n", "a b", "$HOME", "*", "'q'", ";", "x|y"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "[a b]\n[$HOME]\n[*]\n['q']\n[;]\n[x|y]\n");
});

test("stdin passes through to the command", () => {
  const r = tsix(["run", "--", "sh", "-c", "tr a-z A-Z; echo done"], { input: "one\ntwo\n" });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "ONE\nTWO\ndone\n");
});

test("init's environment: PATH, HOME, TERM, cwd /root, and PID 1 is tsix-init", () => {
  const r = sh('echo "$PATH"; echo "$HOME"; pwd; echo "TERM=$TERM"; cat /proc/1/comm; echo ppid=$PPID');
  assert.equal(r.status, 0, explain(r));
  const [path, home, cwd, term, comm, ppid] = r.stdout.trimEnd().split("\n");
  assert.equal(path, "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  assert.equal(home, "/root");
  assert.equal(cwd, "/root");
  assert.match(term, /^TERM=\S+$/);
  assert.equal(comm, "tsix-init");
  assert.equal(ppid, "ppid=1");
});

test("--mount shows a host directory in the guest, read and write", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-mount-"));
  try {
    writeFileSync(join(dir, "in.txt"), "from the host\n");
    const r = tsix(["run", "--mount", `${dir}:/mnt/host`, "--", "sh", "-c", "cat /mnt/host/in.txt; echo from the guest > /mnt/host/out.txt"]);
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, "from the host\n");
    assert.equal(readFileSync(join(dir, "out.txt"), "utf8"), "from the guest\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--init runs another program as PID 1 (a dynamic one here); a missing init is a usage error", () => {
  const r = tsix(["run", "--init", "/usr/bin/lua5.4", "--", "-e", "print('pid 1 is lua')"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "pid 1 is lua\n");
  const bad = tsix(["run", "--init", "/no/such/init", "--", "x"]);
  assert.equal(bad.status, 2, explain(bad));
  assert.equal(bad.stderr, "tsix: cannot run /no/such/init as init (ENOENT) (--init needs the absolute path of a program in the image)\n");
});

test("--stats ends stderr with the figures line", () => {
  const r = tsix(["run", "--stats", "--", "true"]);
  assert.equal(r.status, 0, explain(r));
  const last = r.stderr.trimEnd().split("\n").pop() ?? "";
  const m = /^boot_ms=([\d.]+) instructions=(\d+) mips=([\d.]+) syscalls=(\d+) ctx_switches=(\d+) page_faults=(\d+) cow_faults=(\d+)$/.exec(last);
  assert.ok(m, `bad stats line: ${last}`);
  assert.ok(Number(m[2]) > 10_000, "instructions were counted");
  assert.ok(Number(m[4]) > 10, "syscalls were counted");
  assert.ok(Number(m[6]) > 0, "page faults were counted (demand paging)");
});

test("--trace syscall prints strace-style lines on stderr, stdout untouched", () => {
  const r = tsix(["run", "--trace", "syscall", "--", "echo", "traced"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "traced\n");
  assert.match(r.stderr, /execve\(/);
  assert.match(r.stderr, /write\(1, .*traced.*\) += 7/);
  assert.match(r.stderr, /exit_group\(0\)/);
});

test("the kernel log shows the boot stages and the devices probed", () => {
  const r = tsix(["run", "--", "dmesg"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /firmware: .*plic/);
  assert.match(r.stdout, /firmware: uart16550/);
  assert.match(r.stdout, /initramfs: .* unpacked/);
  assert.match(r.stdout, /Run \/sbin\/tsix-init as init process/);
  assert.doesNotMatch(r.stdout, /oops/i);
});

test("other schedulers, --cpus, --mem and --clock instret boot and run", () => {
  for (const args of [["--sched", "fcfs"], ["--cpus", "2"], ["--mem", "64M"], ["--clock", "instret"]]) {
    const r = tsix(["run", ...args, "--", "sh", "-c", "echo $((6*7))"]);
    assert.equal(r.status, 0, `${args.join(" ")}: ${explain(r)}`);
    assert.equal(r.stdout, "42\n", args.join(" "));
  }
});

test("bad input: one-line errors with exit status 2", () => {
  assertOneLineError(tsix(["run", "--frobnicate", "--", "true"]), /unknown option --frobnicate/);
  assertOneLineError(tsix(["run", "--mount", "/nonexistent/dir:/mnt", "--", "true"]), /no such host directory/);
  assertOneLineError(tsix(["run", "--mount", "nocolon", "--", "true"]), /HOST:GUEST/);
  assertOneLineError(tsix(["run", "--mount", `${tmpdir()}:relative`, "--", "true"]), /must be absolute/);
  assertOneLineError(tsix(["run", "--sched", "lottery-of-doom", "--", "true"]), /unknown policy/);
  assertOneLineError(tsix(["run", "--mem", "lots", "--", "true"]), /bad size/);
  assertOneLineError(tsix(["run", "--mem", "1K", "--", "true"]), /--mem must be/);
  assertOneLineError(tsix(["run", "--cpus", "0", "--", "true"]), /--cpus must be/);
  assertOneLineError(tsix(["run", "--clock", "sundial", "--", "true"]), /--clock must be/);
  assertOneLineError(tsix(["run", "--trace", "everything", "--", "true"]), /unknown tracer/);
  assertOneLineError(tsix(["run", "--image", "/nonexistent.cpio", "--", "true"]), /no such file/);
  assertOneLineError(tsix(["run", "--mem"]), /needs a value/);
});

test("a file that is not an initramfs is a one-line error", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-img-"));
  try {
    const bad = join(dir, "bad.cpio");
    writeFileSync(bad, "not a cpio archive\n");
    assertOneLineError(tsix(["run", "--image", bad, "--", "true"]), /not a cpio|initramfs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
