// `tsix machine --bare`: the bundled demo runs, exit codes follow the test
// finisher, and bad input gets a one-line error with exit status 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SRC_ROOT, buildBare } from "../hw/bare.js";

const TSIX = join(SRC_ROOT, "bin/tsix.js");
const DEMO = join(SRC_ROOT, "userland/bare/hello.elf");

function tsix(args: string[], input = "") {
  const r = spawnSync(process.execPath, [TSIX, ...args], { input, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A user error: status 2 and exactly one line on stderr, no stack trace. */
function assertOneLineError(r: { status: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
}

test("the bundled demo prints its banner and passes", () => {
  const r = tsix(["machine", "--bare", DEMO]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Hello from tsix: a RISC-V rv64acdfimsu machine, hart 0\./);
  assert.match(r.stdout, /sum\(1\.\.1000\) = 500500, computed in \d+ instructions/);
});

test("the bundled demo is the build of its source", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-demo-"));
  const out = join(dir, "hello.elf");
  const r = spawnSync("sh", [join(SRC_ROOT, "userland/bare/build.sh"), out], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  try {
    assert.deepEqual(readFileSync(out), readFileSync(DEMO), "userland/bare/hello.elf is stale: run userland/bare/build.sh");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--stats ends stderr with the figures line", () => {
  const r = tsix(["machine", "--bare", DEMO, "--stats"]);
  assert.equal(r.status, 0);
  const last = r.stderr.trimEnd().split("\n").pop() ?? "";
  const m = /^instructions=(\d+) seconds=([\d.]+) mips=([\d.]+) tlb_hits=(\d+) tlb_misses=(\d+)$/.exec(last);
  assert.ok(m, `bad stats line: ${last}`);
  assert.ok(Number(m![1]) > 5000);
});

test("a failing program exits with the code it wrote to the finisher", () => {
  const elf = buildBare("test/cli/fail42.S");
  const r = tsix(["machine", "--bare", elf]);
  assert.equal(r.status, 42);
});

test("bad input: missing file, non-RISC-V ELF, nothing to load, bad options", () => {
  assertOneLineError(tsix(["machine", "--bare", "/nonexistent/x.elf"]), /no such file/);
  assertOneLineError(tsix(["machine", "--bare", process.execPath]), /not a RISC-V ELF file/);
  const dir = mkdtempSync(join(tmpdir(), "tsix-bad-"));
  const text = join(dir, "notes.txt");
  writeFileSync(text, "hello, not an ELF\n".repeat(8));
  assertOneLineError(tsix(["machine", "--bare", text]), /not an ELF file/);
  // An ELF header with one PT_LOAD of size 0: nothing to load.
  const empty = Buffer.alloc(64 + 56);
  empty.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  empty.writeUInt16LE(2, 16); empty.writeUInt16LE(243, 18); empty.writeUInt32LE(1, 20);
  empty.writeBigUInt64LE(0x80000000n, 24); empty.writeBigUInt64LE(64n, 32);
  empty.writeUInt16LE(64, 52); empty.writeUInt16LE(56, 54); empty.writeUInt16LE(1, 56);
  empty.writeUInt32LE(1, 64);
  const emptyPath = join(dir, "empty.elf");
  writeFileSync(emptyPath, empty);
  assertOneLineError(tsix(["machine", "--bare", emptyPath]), /nothing to load/);
  rmSync(dir, { recursive: true, force: true });
  assertOneLineError(tsix(["machine", "--bare", DEMO, "--mem", "lots"]), /bad size/);
  assertOneLineError(tsix(["machine", "--bare", DEMO, "--harts", "99"]), /--harts must be/);
  assertOneLineError(tsix(["machine", "--bare", DEMO, "--frobnicate"]), /unknown option/);
  assertOneLineError(tsix(["machine", "--bare", DEMO, "--disk", "/nonexistent/disk.img"]), /disk\.img: no such file \(create one/);
  assertOneLineError(tsix(["frobnicate"]), /unknown command/);
});
