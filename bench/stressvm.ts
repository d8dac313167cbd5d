// stress-ng's virtual-memory stressors against qemu-riscv64
// (`node dist/bench/stressvm.js`): the same Debian stress-ng binary, run with
// `--vm 1` and with `--mmap 1`, under tsix (`tsix run --mem 1G --image`, as
// a user runs it) and under qemu-riscv64 (user mode, its page faults are the
// host kernel's), in one run. Two figures each:
//   - bogo ops per second of real time, stress-ng's own (--metrics-brief)
//     over STRESS_SECONDS: what the issue quoted, but on a shared host it
//     moves with the load (the guest's clock is the host's);
//   - host CPU seconds per bogo op, for a fixed number of ops (--vm-ops,
//     --mmap-ops), measured as the child's user + system time (cutime,
//     cstime of /proc/self/stat around the run): what the work costs,
//     nearly independent of the load.
//
// The image is the stressor table's (stressImage(): busybox and stress-ng,
// cached under $TSIX_HOME) and unpacked for qemu's -L. tsix gets 1 GiB of
// RAM: stress-ng --mmap maps 256 MiB with MAP_POPULATE, and on the default
// 256 MiB machine the OOM killer ends every attempt (0 bogo ops), as Linux
// would on a machine that small.
//
// Where the time went (node --cpu-prof, docs/memory.md "stress-ng"):
//   --mmap: the kernel. stress-ng remaps its area page by page with
//     MAP_FIXED and MAP_FIXED_NOREPLACE; tsix never merged VMAs, so the area
//     became tens of thousands of one-page VMAs, and every mmap walked all of
//     them (chargedIn) and moved the whole list (splice). Merging equal
//     anonymous neighbours (Linux's vma_merge), keeping the VMA whole under a
//     MAP_FIXED of the same kind and a chargedIn that visits only the VMAs in
//     range fixed the walk; the splices that remain (the list is an array,
//     Linux's is a maple tree) are the next cost.
//   --vm: the interpreter (88% of the profile is the wasm core running
//     stress-ng's loops; the kernel's share is a few percent): hw/'s matter.
// Figures are the best of REPS runs (TSIX_BENCH_REPS, default 1).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { imageRootfs } from "../test/kernel/harness.js";
import { stressImage } from "../test/kernel/ipc/stressng.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSIX = join(ROOT, "bin/tsix.js");
const HOME = process.env.TSIX_HOME ?? join(homedir(), ".cache/tsix");
const SECONDS = Number(process.env.STRESS_SECONDS ?? 10);
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 1);

/** Bogo ops per second (real time) of `stressor` in stress-ng's --metrics-brief output. */
function bogoRate(out: string, stressor: string): number {
  const m = new RegExp(`metrc: \\[\\d+\\] ${stressor}\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)`).exec(out);
  if (!m) throw new Error(`no ${stressor} metrics in:\n${out}`);
  return Number(m[5]);
}

/** This process's reaped children's user + system time, in seconds (cutime + cstime, USER_HZ 100). */
function childCpu(): number {
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(f[13]) + Number(f[14])) / 100;
}

/** The best bogo ops/s (real time) and the least CPU seconds per op over REPS runs of `args` with `ops` fixed ops. */
function best(cmd: string, args: string[], stressor: string, ops: number): { rate: number; cpuPerOp: number } {
  let rate = 0, cpuPerOp = Infinity;
  for (let i = 0; i < REPS; i++) {
    const r = spawnSync(cmd, [...args, "--timeout", `${SECONDS}s`], { encoding: "utf8", maxBuffer: 16 << 20, env: { ...process.env, TSIX_HOME: HOME } });
    rate = Math.max(rate, bogoRate(`${r.stdout}${r.stderr}`, stressor));
    const c0 = childCpu();
    const r2 = spawnSync(cmd, [...args, `--${stressor}-ops`, String(ops), "--timeout", "600s"], { encoding: "utf8", maxBuffer: 16 << 20, env: { ...process.env, TSIX_HOME: HOME } });
    const done = /metrc: \[\d+\] \S+\s+(\d+)/.exec(`${r2.stdout}${r2.stderr}`.split("\n").filter((l) => l.includes(` ${stressor} `)).join("\n"));
    const n = done ? Number(done[1]) : 0;
    if (n > 0) cpuPerOp = Math.min(cpuPerOp, (childCpu() - c0) / n);
  }
  return { rate, cpuPerOp };
}

async function main(): Promise<void> {
  // The busybox + stress-ng image of the stressor table (test/kernel/ipc/stressng.ts), built once under $TSIX_HOME.
  const img = await stressImage();
  const IMAGE = img.path;
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const ROOTFS = haveQemu ? await imageRootfs(img) : "";
  const rows: string[][] = [["stressor", "tsix ops/s", "qemu ops/s", "tsix CPU s/op", "qemu CPU s/op", "tsix/qemu CPU"]];
  for (const [s, ops] of [["vm", 500], ["mmap", 2]] as const) {
    const args = [`--${s}`, "1", "--metrics-brief"];
    const t = best(process.execPath, [TSIX, "run", "--mem", "1G", "--image", IMAGE, "--", "stress-ng", ...args], s, ops);
    const q = haveQemu ? best("qemu-riscv64", ["-L", ROOTFS, join(ROOTFS, "usr/bin/stress-ng"), ...args], s, ops) : { rate: NaN, cpuPerOp: NaN };
    // No op finished within the 600 s timeout: no figure.
    const fig = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : "none in 600 s");
    rows.push([`--${s} 1`, t.rate.toFixed(2), haveQemu ? q.rate.toFixed(2) : "-", fig(t.cpuPerOp), haveQemu ? fig(q.cpuPerOp) : "-",
      haveQemu && Number.isFinite(t.cpuPerOp) ? (t.cpuPerOp / q.cpuPerOp).toFixed(1) : "-"]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("  "));
}

await main();
