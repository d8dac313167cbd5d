// Tracepoint cost benchmark (`node dist/bench/tracepoint.js`, part of `npm
// run bench`): what the scheduler's tracepoints cost on the paths they sit
// on, with no subscriber (they must cost nothing measurable) and with the
// scheduler trace writer subscribed (`tsix run --trace sched=FILE`).
//
//   getpid     bench/programs/tpbench.c: 1e6 getpid calls, ns per call (the
//              syscall path: no tracepoint fires, the control)
//   fork loop  busybox sh: 300 x $(echo $i), ms per iteration (fork, exec,
//              exit, wait: every process tracepoint and many switches)
//   pingpong   tpbench: a byte bounced over two pipes, us per round trip
//              (two blocks, two wake-ups, two switches)
//   yield      tpbench: two processes calling sched_yield, ns per yield
//
// Columns: "off" (no subscriber) and "sched trace" (the writer subscribed,
// writing its file); with TSIX_BENCH_BASELINE=/path/to/bin/tsix.js also
// "baseline", the same figures from another checkout (the tree before the
// tracepoints were added), so "off" can be compared with code that has no
// tracepoints at all. Figures are the best of REPS runs (TSIX_BENCH_REPS,
// default 5), the runs of each column interleaved so that noise from the
// shared machine falls on all of them alike.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "build/bench/tracepoint");
const TSIX = join(ROOT, "bin/tsix.js");
const BASELINE = process.env.TSIX_BENCH_BASELINE;
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 5);
/** One image for every variant (this checkout's): a baseline booting its own would rebuild the shared default image at each switch. */
const IMAGE = join(OUT, "image.cpio");
const LOOP = "i=0; while [ $i -lt 300 ]; do x=$(echo $i); i=$((i+1)); done; echo $x";

interface Case { name: string; unit: string; cmd: string[]; figure: (stdout: string, ms: number, bootMs: number) => number }

function fromLine(name: string): (out: string) => number {
  return (out) => {
    const m = new RegExp(`^${name} ([\\d.]+) `, "m").exec(out);
    if (!m) throw new Error(`no '${name}' figure in:\n${out}`);
    return Number(m[1]);
  };
}

const CASES: Case[] = [
  { name: "getpid", unit: "ns/call", cmd: ["/mnt/bench/tpbench", "getpid", "1000000"], figure: fromLine("getpid") },
  { name: "fork loop", unit: "ms/iteration", cmd: ["sh", "-c", LOOP], figure: (_o, ms, boot) => (ms - boot) / 300 },
  { name: "pipe ping-pong", unit: "us/round trip", cmd: ["/mnt/bench/tpbench", "pingpong", "20000"], figure: fromLine("pingpong") },
  { name: "sched_yield", unit: "ns/yield", cmd: ["/mnt/bench/tpbench", "yield", "50000"], figure: fromLine("yield") },
];

interface Variant { name: string; bin: string; extra: () => string[] }

function runOnce(v: Variant, args: string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [v.bin, "run", "--image", IMAGE, "--mount", `${OUT}:/mnt/bench`, ...v.extra(), "--", ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${v.name}: ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const gcc = spawnSync("riscv64-linux-gnu-gcc", ["-O2", "-static", "-o", join(OUT, "tpbench"), join(ROOT, "bench/programs/tpbench.c")], { encoding: "utf8" });
  if (gcc.status !== 0) throw new Error(`riscv64-linux-gnu-gcc failed (install gcc-riscv64-linux-gnu):\n${gcc.stderr}`);
  const img = spawnSync(process.execPath, [TSIX, "image", "build", "--out", IMAGE], { encoding: "utf8" });
  if (img.status !== 0) throw new Error(`tsix image build failed:\n${img.stderr}`);
  const traceFile = join(OUT, "trace.json");
  let traceBytes = 0;
  const variants: Variant[] = [];
  if (BASELINE) variants.push({ name: "baseline", bin: BASELINE, extra: () => [] });
  variants.push({ name: "off", bin: TSIX, extra: () => [] });
  variants.push({ name: "sched trace", bin: TSIX, extra: () => ["--trace", `sched=${traceFile}`] });
  // Boot time per variant, to take out of the fork loop's wall time.
  const boot = new Map<string, number>();
  for (let i = 0; i < REPS; i++) {
    for (const v of variants) boot.set(v.name, Math.min(boot.get(v.name) ?? Infinity, runOnce(v, ["true"]).ms));
  }
  const rows: string[][] = [["benchmark", "unit", ...variants.map((v) => v.name), "trace/off"]];
  for (const c of CASES) {
    const bestOf = new Map<string, number>();
    for (let i = 0; i < REPS; i++) {
      for (const v of variants) {
        const r = runOnce(v, c.cmd);
        const f = c.figure(r.stdout, r.ms, boot.get(v.name)!);
        bestOf.set(v.name, Math.min(bestOf.get(v.name) ?? Infinity, f));
        if (v.name === "sched trace") traceBytes = Math.max(traceBytes, statSync(traceFile).size);
      }
    }
    const off = bestOf.get("off")!, on = bestOf.get("sched trace")!;
    rows.push([c.name, c.unit, ...variants.map((v) => bestOf.get(v.name)!.toFixed(2)), `${((on / off - 1) * 100).toFixed(1)}%`]);
  }
  rmSync(traceFile, { force: true });
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`tracepoint cost (best of ${REPS} runs each${BASELINE ? `; baseline: ${BASELINE}` : ""}):`);
  for (const r of rows) console.log(r.map((cell, i) => (i < 2 ? cell.padEnd(w[i]) : cell.padStart(w[i]))).join("  "));
  console.log(`off: no subscriber; sched trace: --trace sched=FILE (largest file ${(traceBytes / 1024).toFixed(0)} KiB)`);
}

main();
