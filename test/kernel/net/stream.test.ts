// Stream sockets through read(2)/write(2) after the copy-once paths (issue
// 11, "sockets at least as fast as pipes": unix.ts copies between the user's
// pages and the queued messages with no kernel buffer, and a message's
// buffer goes back to its sender once read): 6 MiB over AF_UNIX and over TCP
// loopback arrive once and in order while the writer queues several
// messages ahead and the reader takes odd-sized pieces; a half-bad buffer
// queues nothing on write and loses nothing on read. The same binary passes
// under qemu-riscv64 (Linux's semantics).
//
// Concepts: C45 (sockets), C40 (bounded buffer), C06 (EFAULT, never a crash).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, program, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

test("stream sockets: every byte once and in order over unix and TCP with reused message buffers; a bad buffer queues and loses nothing", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const r = await run("sock_stream", { dir: PROGS, timeoutMs: 280_000 });
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^ok unix stream: 6291456 bytes in order$/m, explain(r));
  assert.match(r.out, /^ok tcp stream: 6291456 bytes in order$/m, explain(r));
  assert.match(r.out, /^sock_stream: ok \(0 failures\)$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
});

test("sock_stream passes under qemu-riscv64 too (the expectations are Linux's)", { skip: skipNoCC || (haveQemu ? false : "qemu-riscv64 is not installed"), timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-stream-"));
  try {
    const exe = join(cwd, "sock_stream");
    writeFileSync(exe, program("sock_stream", PROGS), { mode: 0o755 });
    const r = spawnSync("qemu-riscv64", [exe], { cwd, encoding: "utf8", timeout: 100_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^sock_stream: ok \(0 failures\)$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
