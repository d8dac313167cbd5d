// Whole-system snapshot, restore and deterministic replay (C84), end to end
// through the CLI: `tsix run --deterministic --snapshot-at N FILE` writes the
// whole system at instruction N and goes on; `tsix restore FILE` continues it
// in a new process. For each workload:
//   - the run with a snapshot prints exactly what the run without one prints,
//     and retires the same number of instructions (taking a snapshot does not
//     perturb the system);
//   - the snapshot really is taken in the middle of the thing under test: the
//     test decodes the file and finds, in the kernel's state, the pipe with
//     data in flight, the armed alarm, the futex waiters or sqlite's
//     rollback journal;
//   - the restored run prints, byte for byte, the rest of the uninterrupted
//     run's output (from the byte count the snapshot recorded), exits with
//     its status and ends at the same instruction count.
// Also: a corrupt or truncated file, a file that is not a snapshot, and a
// world changed under the snapshot each give one line and exit status 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename } from "node:path";
import { spawn } from "node:child_process";
import { tsix, explain, TSIX, type RunResult } from "../kernel/harness.js";
import { programPath, haveCc } from "../kernel/proc/boot.js";
import { readSnapshotFile } from "../../host/node/snapshot_file.js";
import { decodeGraph, type EncodedGraph } from "../../vmm/state_codec.js";
import type { SystemState } from "../../vmm/snapshot.js";
import type { RunSnapshotMeta } from "../../cli/snapshot.js";
import * as L from "../../hw/core/layout.js";

const dir = mkdtempSync(join(tmpdir(), "tsix-snap-"));
const insns = (r: RunResult): number => Number(/instructions=(\d+)/.exec(r.stderr)?.[1] ?? NaN);

/** Decode a snapshot file's state (memory and image as the restoring host would give them). */
function loadState(file: string): { meta: RunSnapshotMeta; state: SystemState } {
  const { meta, enc } = readSnapshotFile(file);
  const m = meta as RunSnapshotMeta;
  const memory = new ArrayBuffer(L.RAM_HOST + m.config.memBytes);
  const image = new Uint8Array(readFileSync(m.image.path)).buffer;
  const state = decodeGraph(enc as EncodedGraph, new Map<string, ArrayBufferLike>([["memory", memory], ["image", image]])) as SystemState;
  return { meta: m, state };
}

/** Every object reachable from `root` (each once). */
function* objects(root: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== "object" || seen.has(v) || ArrayBuffer.isView(v)) continue;
    seen.add(v);
    if (v instanceof Map) { for (const [a, b] of v) stack.push(a, b); yield v as unknown as Record<string, unknown>; continue; }
    if (v instanceof Set) { for (const a of v) stack.push(a); continue; }
    if (Array.isArray(v)) { stack.push(...v); continue; }
    yield v as Record<string, unknown>;
    stack.push(...Object.values(v));
  }
}

interface Workload {
  name: string;
  /** Options of `tsix run` besides --deterministic and --stats. */
  flags?: string[];
  command: string[];
  /** What must hold in the kernel's state at the snapshot (the thing under test is in the middle of happening). */
  inTheMiddle: (s: SystemState) => boolean;
}

/**
 * Run `w` uninterrupted, then snapshotted at a fraction of its instructions
 * (the first fraction whose snapshot is in the middle of the workload), then
 * restored; assert the outputs and counts line up.
 */
function replay(w: Workload): void {
  const base = ["run", "--deterministic", "--stats", ...(w.flags ?? [])];
  const a = tsix([...base, "--", ...w.command], { timeout: 300_000 });
  assert.equal(a.status, 0, explain(a));
  const total = insns(a);
  assert.ok(total > 0, explain(a));
  const file = join(dir, `${w.name}.snap`);
  let found: { b: RunResult; meta: RunSnapshotMeta } | null = null;
  const tried: string[] = [];
  for (const frac of [0.5, 0.35, 0.65, 0.2, 0.8]) {
    const n = Math.floor(total * frac);
    const b = tsix([...base, "--snapshot-at", String(n), file, "--", ...w.command], { timeout: 300_000 });
    assert.equal(b.status, a.status, explain(b));
    assert.equal(b.stdout, a.stdout, `${w.name}: taking a snapshot changed the output`);
    assert.equal(insns(b), total, `${w.name}: taking a snapshot changed the instruction count`);
    assert.match(b.stderr, /snapshot written to .* MiB at \d+ instructions/, explain(b));
    const { meta, state } = loadState(file);
    assert.ok(meta.instructions >= n && meta.instructions < total, `snapshot at ${meta.instructions}, asked ${n}, total ${total}`);
    if (w.inTheMiddle(state)) { found = { b, meta }; break; }
    tried.push(`${frac} (instruction ${meta.instructions})`);
  }
  assert.ok(found, `${w.name}: no snapshot landed in the middle of the workload; tried ${tried.join(", ")}`);
  const c = tsix(["restore", "--stats", file], { timeout: 300_000 });
  assert.equal(c.status, a.status, explain(c));
  const rest = Buffer.from(a.stdout).subarray(found.meta.written.out).toString();
  assert.ok(found.meta.written.out > 0 && rest.length > 0, `${w.name}: the snapshot is neither at the start nor at the end (${found.meta.written.out} bytes before it)`);
  assert.equal(c.stdout, rest, `${w.name}: the restored run's output differs from the rest of the uninterrupted run's`);
  assert.equal(insns(c), total, `${w.name}: the restored run ended at another instruction count`);
}

/** A host directory holding the compiled test program `name`, to --mount at /t. */
function share(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  copyFileSync(programPath(name), join(d, name));
  return d;
}

test("snapshot in a busybox pipeline with data in the pipe; restore continues it exactly", { timeout: 900_000 }, () => {
  replay({
    name: "pipeline",
    command: ["sh", "-c", "echo before; echo in-flight-data | { i=0; while [ $i -lt 4000 ]; do i=$((i+1)); done; cat; echo loops $i; } | tr a-z A-Z; echo after"],
    // A pipe holding bytes that nobody has read yet.
    inTheMiddle: (s) => {
      for (const o of objects(s.kernel)) {
        if (Array.isArray(o.pages) && typeof o.len === "number" && o.len > 0 && typeof o.readers === "number" && o.readers > 0) return true;
      }
      return false;
    },
  });
});

test("snapshot of a program with a pending alarm and a signal handler; the restored run takes the signal at the same point", { timeout: 900_000 }, () => {
  replay({
    name: "alarm",
    flags: ["--mount", `${share("snap_alarm")}:/t`],
    command: ["/t/snap_alarm"],
    // alarm(2) is ITIMER_REAL: an armed itimer timer (which 0) in the kernel's timer list.
    inTheMiddle: (s) => s.kernel.timers.some((t) => t.kind === "itimer" && t.which === 0),
  });
});

test("snapshot of a multi-threaded program whose threads are blocked on a futex (2 harts)", { timeout: 900_000 }, () => {
  replay({
    name: "futex",
    flags: ["--cpus", "2", "--mount", `${share("snap_futex")}:/t`],
    command: ["/t/snap_futex"],
    // The three workers wait in the futex table for the mutex main holds.
    inTheMiddle: (s) => [...s.kernel.ipc.futex.values()].reduce((n, q) => n + q.waiters.length, 0) >= 3,
  });
});

test("snapshot in the middle of a sqlite transaction (its rollback journal exists); the restored run commits it", { timeout: 900_000 }, () => {
  const sql = [
    "CREATE TABLE t(x INTEGER, y TEXT);",
    "BEGIN;",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000) INSERT INTO t SELECT x, hex(x * 7919) FROM c;",
    "UPDATE t SET y = y || 'z' WHERE x % 3 = 0;",
    "COMMIT;",
    "SELECT count(*), sum(x), count(DISTINCT y) FROM t;",
  ].join(" ");
  replay({
    name: "sqlite",
    command: ["sh", "-c", `echo start; sqlite3 /tmp/t.db "${sql}"; ls /tmp; sqlite3 /tmp/t.db 'PRAGMA integrity_check;'`],
    inTheMiddle: (s) => {
      for (const o of objects(s.kernel)) if (o instanceof Map && o.has("t.db-journal")) return true;
      return false;
    },
  });
});

test("tsix restore: a corrupt, truncated or foreign file, or a changed world, is one line and exit status 2", { timeout: 300_000 }, () => {
  const file = join(dir, "small.snap");
  const made = tsix(["run", "--deterministic", "--snapshot-at", "1", file, "--", "true"], { timeout: 120_000 });
  assert.equal(made.status, 0, explain(made));
  const good = readFileSync(file);
  const cases: { name: string; bytes?: Uint8Array; path?: string; want: RegExp }[] = [
    { name: "missing", path: join(dir, "nope.snap"), want: /: no such file$/ },
    { name: "foreign", bytes: new TextEncoder().encode("hello, not a snapshot\n"), want: /is not a tsix snapshot/ },
    { name: "truncated", bytes: good.subarray(0, Math.floor(good.length / 2)), want: /is truncated/ },
    { name: "flipped", bytes: (() => { const b = Uint8Array.from(good); b[b.length - 100] ^= 0x55; return b; })(), want: /is corrupt/ },
    { name: "header", bytes: (() => { const b = Uint8Array.from(good); b[30] ^= 0x01; return b; })(), want: /is corrupt \(its header fails its checksum\)/ },
    { name: "version", bytes: (() => { const b = Uint8Array.from(good); b[8] = 99; return b; })(), want: /file format 99; this tsix reads format 1/ },
  ];
  for (const c of cases) {
    const path = c.path ?? join(dir, `${c.name}.snap`);
    if (c.bytes) writeFileSync(path, c.bytes);
    const r = tsix(["restore", path]);
    assert.equal(r.status, 2, `${c.name}: ${explain(r)}`);
    assert.match(r.stderr, /^tsix: [^\n]*\n$/, `${c.name}: not one line: ${explain(r)}`);
    assert.match(r.stderr.trimEnd(), c.want, `${c.name}: ${explain(r)}`);
  }
  // A --mount directory that has gone since the snapshot.
  const gone = join(dir, "gone");
  mkdirSync(gone, { recursive: true });
  const withMount = join(dir, "mount.snap");
  const m = tsix(["run", "--deterministic", "--mount", `${gone}:/mnt`, "--snapshot-at", "1", withMount, "--", "true"], { timeout: 120_000 });
  assert.equal(m.status, 0, explain(m));
  rmSync(gone, { recursive: true });
  const r = tsix(["restore", withMount]);
  assert.equal(r.status, 2, explain(r));
  assert.match(r.stderr, new RegExp(`^tsix: the host directory ${gone} of --mount .* is gone`), explain(r));
  assert.ok(!existsSync(gone));
  assert.equal(basename(withMount), "mount.snap");
});

test("the JIT's settings (on, --jit-hot, --jit-warmup, --jit-cache) are in the snapshot and a restored run uses them", { timeout: 300_000 }, () => {
  const file = join(dir, "jit.snap");
  // A 512K code cache is too small for the shell code a loop runs when every pc
  // is translated at 3 arrivals (the plain policy: ~1.6 MB of wasm), so the cache
  // fills and empties (jit_evictions); the default cache (16M) never does. The
  // snapshot is taken before the loop runs.
  const flags = ["--jit", "on", "--jit-hot", "3", "--jit-warmup", "0", "--jit-cache", "512K"];
  const loop = ["sh", "-c", "i=0; while [ $i -lt 100 ]; do i=$((i+1)); done; echo $i"];
  const a = tsix(["run", "--deterministic", "--stats", ...flags, "--snapshot-at", "1", file, "--", ...loop], { timeout: 120_000 });
  assert.equal(a.status, 0, explain(a));
  const { meta } = loadState(file);
  assert.equal(meta.config.jit, true);
  assert.deepEqual(meta.config.jitOptions, { hot: 3, warmup: 0, maxCodeBytes: 512 << 10 });
  const c = tsix(["restore", "--stats", file], { timeout: 120_000 });
  assert.equal(c.status, 0, explain(c));
  assert.equal(c.stdout, a.stdout);
  const jit = (r: RunResult): Record<string, number> =>
    Object.fromEntries([...(/^jit_regions=.*$/m.exec(r.stderr)?.[0] ?? "").matchAll(/(\w+)=(-?\d+)/g)].map((m) => [m[1], Number(m[2])]));
  const ja = jit(a), jc = jit(c);
  assert.ok(ja.jit_evictions > 0 && jc.jit_evictions > 0, `the 512K cache filled in both runs: ${explain(c)}`);
  assert.ok(jc.jit_regions > 0, explain(c));
  assert.equal(insns(c), insns(a));
  // An interpreter run's snapshot restores on the interpreter: no JIT counters at all.
  const off = join(dir, "nojit.snap");
  const b = tsix(["run", "--deterministic", "--jit", "off", "--snapshot-at", "1", off, "--", "true"], { timeout: 120_000 });
  assert.equal(b.status, 0, explain(b));
  assert.equal(loadState(off).meta.config.jit, false);
  const d = tsix(["restore", "--stats", off], { timeout: 120_000 });
  assert.equal(d.status, 0, explain(d));
  assert.doesNotMatch(d.stderr, /jit_regions=/, explain(d));
});

test("--snapshot-on-signal: SIGUSR1 snapshots a system idle in read(2) on the host's stdin; the restored one reads its own stdin", { timeout: 300_000 }, async () => {
  const file = join(dir, "signal.snap");
  const p = spawn(process.execPath, [TSIX, "run", "--deterministic", "--snapshot-on-signal", "SIGUSR1", file, "--",
    "sh", "-c", "X=kept; echo ready; read line; echo \"got $line, $X\""], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "", err = "";
  const seen = (re: RegExp, what: () => string): Promise<void> => new Promise((res, rej) => {
    const t = setInterval(() => { if (re.test(what())) { clearInterval(t); clearTimeout(to); res(); } }, 20);
    const to = setTimeout(() => { clearInterval(t); rej(new Error(`no ${re} in:\n${out}\n${err}`)); }, 120_000);
  });
  p.stdout.setEncoding("utf8").on("data", (d: string) => { out += d; });
  p.stderr.setEncoding("utf8").on("data", (d: string) => { err += d; });
  const exited = new Promise<number | null>((res) => p.on("close", res));
  await seen(/ready\n/, () => out);
  // The shell now waits in read(2) and the machine is idle: the signal must wake the loop.
  p.kill("SIGUSR1");
  await seen(/snapshot written to .*signal\.snap/, () => err);
  p.stdin.end("first\n");
  assert.equal(await exited, 0, `${out}\n${err}`);
  assert.equal(out, "ready\ngot first, kept\n");
  const r = tsix(["restore", file], { input: "second\n" });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, "got second, kept\n", "the restored shell is in its read, with its variable");
});

test("without --deterministic a restored system's wall clock is the host's again; its monotonic clock goes on from the snapshot", { timeout: 300_000 }, async () => {
  const file = join(dir, "clock.snap");
  // Snapshot at the start (host clock); after it the shell sleeps 2 s and prints the wall clock and the uptime.
  const b = await new Promise<string>((res, rej) => {
    const p = spawn(process.execPath, [TSIX, "run", "--snapshot-at", "1", file, "--", "sh", "-c", "sleep 2; date +%s; cut -d' ' -f1 /proc/uptime"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    p.stderr.setEncoding("utf8").on("data", (d: string) => { err += d; });
    p.on("close", (code) => (code === 0 ? res(err) : rej(new Error(err))));
  });
  assert.match(b, /snapshot written/);
  const { meta } = loadState(file);
  // Restore 4 s later: the guest's wall clock must show the host's time, not the snapshot's.
  await new Promise((r) => setTimeout(r, 4000));
  const before = Math.floor(Date.now() / 1000);
  const r = tsix(["restore", file]);
  assert.equal(r.status, 0, explain(r));
  const [wall, uptime] = r.stdout.trim().split("\n").map(Number);
  assert.ok(wall >= before && wall <= Math.floor(Date.now() / 1000) + 1, `date +%s = ${wall}, host ${before}..now: ${r.stdout}`);
  assert.ok(uptime >= 2 && uptime < 4, `uptime goes on from the snapshot (sleep 2 after it), not from the host's gap: ${uptime}`);
  assert.ok(new Date(meta.created).getTime() / 1000 < before - 3, "the snapshot is older than the restore");
});
