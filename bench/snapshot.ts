// Snapshot benchmark (`node dist/bench/snapshot.js`, part of `npm run bench`):
// what whole-system snapshots cost (concept C84). No other system in the
// comparison can do this (qemu-riscv64 is user mode only), so the figures
// stand alone:
//
//   idle shell     `tsix run --deterministic -- sh` on a pipe, idle at its
//                  prompt, snapshotted on SIGUSR1: file size, capture and
//                  write time (tsix's own report), and `tsix restore` of it to
//                  the first output of a command typed after the restore (ms)
//   busy system    the same with a sqlite transaction of 30000 rows in
//                  flight (--snapshot-at half its instructions)
//
// Figures are the best of REPS runs (TSIX_BENCH_REPS, default 3).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSIX = join(ROOT, "bin/tsix.js");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "tsix-bench-snap-"));

interface Taken { bytes: number; captureMs: number; writeMs: number }

function parseTaken(stderr: string, file: string): Taken {
  const m = /snapshot written to .*: ([\d.]+) MiB at \d+ instructions \(capture (\d+) ms, write (\d+) ms\)/.exec(stderr);
  if (!m) throw new Error(`no snapshot report in:\n${stderr}`);
  return { bytes: statSync(file).size, captureMs: Number(m[2]), writeMs: Number(m[3]) };
}

/** Boot a shell on a pipe, wait for it to be idle at its prompt, snapshot it on SIGUSR1, then end it. */
function snapshotIdleShell(file: string): Promise<Taken> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [TSIX, "run", "--deterministic", "--snapshot-on-signal", "SIGUSR1", file, "--", "sh", "-i"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "", err = "";
    let signalled = false;
    p.stdout.on("data", (b: Buffer) => { out += b.toString(); });
    p.stderr.on("data", (b: Buffer) => {
      err += b.toString();
      if (!signalled && /[#$] $/.test(err)) { signalled = true; setTimeout(() => p.kill("SIGUSR1"), 300); }
      if (/snapshot written/.test(err)) p.stdin.end("exit\n");
    });
    p.on("exit", (code) => {
      try { if (code !== 0) throw new Error(`tsix exited ${code}:\n${out}\n${err}`); done(parseTaken(err, file)); } catch (e) { fail(e); }
    });
  });
}

/** Restore `file` with `input` on stdin; ms until `want` appears on stdout. */
function restoreMs(file: string, input: string, want: RegExp): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [TSIX, "restore", file], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "", err = "", at = 0;
    p.stdout.on("data", (b: Buffer) => { out += b.toString(); if (!at && want.test(out)) at = performance.now() - t0; });
    p.stderr.on("data", (b: Buffer) => { err += b.toString(); if (!at && want.test(err)) at = performance.now() - t0; });
    p.stdin.end(input);
    p.on("exit", (code) => {
      if (code !== 0 || !at) fail(new Error(`restore exited ${code}:\n${out}\n${err}`)); else done(at);
    });
  });
}

const SQL = "CREATE TABLE t(x, y); BEGIN; WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000) " +
  "INSERT INTO t SELECT x, hex(x * 7919) FROM c; COMMIT; SELECT count(*) FROM t;";

async function main(): Promise<void> {
  const rows: string[][] = [];
  // Idle shell.
  let idle: Taken | undefined;
  let idleRestore = Infinity;
  for (let i = 0; i < REPS; i++) {
    const file = join(dir, "idle.snap");
    const t = await snapshotIdleShell(file);
    if (!idle || t.captureMs + t.writeMs < idle.captureMs + idle.writeMs) idle = t;
    idleRestore = Math.min(idleRestore, await restoreMs(file, "echo restored-$((6*7))\nexit\n", /restored-42/));
  }
  rows.push(["idle shell (256 MiB guest)", `${(idle!.bytes / 1048576).toFixed(2)} MiB`, `${idle!.captureMs} + ${idle!.writeMs}`, idleRestore.toFixed(0)]);
  // A sqlite transaction in flight.
  const run = spawnSync(process.execPath, [TSIX, "run", "--deterministic", "--stats", "--", "sqlite3", "/tmp/t.db", SQL], { encoding: "utf8" });
  const total = Number(/instructions=(\d+)/.exec(run.stderr)?.[1]);
  if (run.status !== 0 || !total) throw new Error(`sqlite run failed:\n${run.stdout}\n${run.stderr}`);
  let busy: Taken | undefined;
  let busyRestore = Infinity;
  for (let i = 0; i < REPS; i++) {
    const file = join(dir, "busy.snap");
    const r = spawnSync(process.execPath, [TSIX, "run", "--deterministic", "--snapshot-at", String(Math.floor(total / 2)), file, "--", "sqlite3", "/tmp/t.db", SQL], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`sqlite snapshot run failed:\n${r.stderr}`);
    const t = parseTaken(r.stderr, file);
    if (!busy || t.captureMs + t.writeMs < busy.captureMs + busy.writeMs) busy = t;
    busyRestore = Math.min(busyRestore, await restoreMs(file, "", /^30000$/m));
  }
  rows.push(["sqlite transaction in flight", `${(busy!.bytes / 1048576).toFixed(2)} MiB`, `${busy!.captureMs} + ${busy!.writeMs}`, `${busyRestore.toFixed(0)} (to its result)`]);
  const head = ["system", "snapshot file", "capture + write (ms)", "restore to output (ms)"];
  console.log(`\nWhole-system snapshots (best of ${REPS})\n`);
  console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

await main();
