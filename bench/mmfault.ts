// Page-fault benchmark (`node dist/bench/mmfault.js`): bench/programs/mmfault.c,
// the same static binary timed inside tsix (`tsix run`, as a user runs it)
// and under qemu-riscv64 (user mode: its faults are the host kernel's), each
// timing itself with CLOCK_MONOTONIC:
//   anon first touch   ns per fault: mmap, write one byte per page, munmap
//   COW break          ns per fault: a forked child writes pages it shares
//   mmap churn         us per round: mmap 64 pages, touch, mprotect, munmap
//   swap-in            ns per page: a pass over 48 MiB written on a 32 MiB
//                      machine with `--swap` (each page a swap-in: a major
//                      fault reading the slot through the block layer, or a
//                      minor one finding it read ahead), with vm.page-cluster
//                      3 (readahead of 8-slot clusters, the default) and 0;
//                      qemu-riscv64 (user mode) has no swap of its own: its
//                      column is its anon first-touch figure, the nearest fault;
//                      the same again with the swap partition on a disk that
//                      answers later (`--disk IMG --disk-io async`, swapon
//                      /dev/vda), where a cluster's merged read is one host
//                      round trip instead of one per page
//   split mapping      us per page: one 32 MiB mapping reprotected and
//                      unmapped page by page (stress-ng --mmap's pattern:
//                      thousands of VMAs)
// Figures are the best of REPS runs (TSIX_BENCH_REPS, default 3); the
// machines are shared and noisy.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeSwapHeader } from "../kernel/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "build/bench/mmfault");
const TSIX = join(ROOT, "bin/tsix.js");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 3);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The smallest value of the program's "NAME VALUE UNIT" line over REPS runs. */
function bestFigure(cmd: string, args: string[], name: string): number {
  let best = Infinity;
  for (let i = 0; i < REPS; i++) {
    const out = run(cmd, args);
    const m = new RegExp(`^${name} ([\\d.]+) `, "m").exec(out);
    if (!m) throw new Error(`no '${name}' figure in:\n${out}`);
    best = Math.min(best, Number(m[1]));
  }
  return best;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const gcc = spawnSync("riscv64-linux-gnu-gcc", ["-O2", "-static", "-o", join(OUT, "mmfault"), join(ROOT, "bench/programs/mmfault.c")], { encoding: "utf8" });
  if (gcc.status !== 0) throw new Error(`riscv64-linux-gnu-gcc failed (install gcc-riscv64-linux-gnu):\n${gcc.stderr}`);
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const cases: [string, string[], string][] = [
    ["anon first touch (ns/fault)", ["anon", "16", "8"], "anon"],
    ["COW break (ns/fault)", ["cow", "32"], "cow"],
    ["mmap churn (us/round)", ["churn", "2000"], "churn"],
    ["split mapping (us/page)", ["split", "32"], "split"],
  ];
  const rows: string[][] = [["benchmark", "tsix", "qemu-riscv64", "tsix/qemu"]];
  for (const [label, args, name] of cases) {
    const t = bestFigure(process.execPath, [TSIX, "run", "--mount", `${OUT}:/mnt/bench`, "--", "/mnt/bench/mmfault", ...args], name);
    const q = haveQemu ? bestFigure("qemu-riscv64", [join(OUT, "mmfault"), ...args], name) : undefined;
    rows.push([label, t.toFixed(1), q !== undefined ? q.toFixed(1) : "-", q !== undefined ? `${(t / q).toFixed(2)}x` : "-"]);
  }
  // Swap-in: tsix with a small machine and a swap file; qemu-user has no swap, so its first-touch figure stands beside it.
  const tmp = mkdtempSync(join(tmpdir(), "tsix-bench-swap-"));
  try {
    const q = haveQemu ? bestFigure("qemu-riscv64", [join(OUT, "mmfault"), "anon", "16", "8"], "anon") : undefined;
    // vm.page-cluster 3 (the default: readahead of 8-slot clusters) and 0 (readahead off).
    for (const pc of [3, 0]) {
      const t = bestFigure(process.execPath, [TSIX, "run", "--mem", "32M", "--swap", `${join(tmp, "swap.img")}:96M`, "--mount", `${OUT}:/mnt/bench`, "--",
        "sh", "-c", `echo ${pc} > /proc/sys/vm/page-cluster && /mnt/bench/mmfault swapin 48`], "swapin");
      rows.push([`swap-in, page-cluster ${pc} (ns/page; qemu: first touch)`, t.toFixed(1), q !== undefined ? q.toFixed(1) : "-", q !== undefined ? `${(t / q).toFixed(2)}x` : "-"]);
    }
    // A 96 MiB swap partition image on a disk that answers later.
    const img = join(tmp, "aswap.img");
    const bytes = new Uint8Array(96 << 20);
    bytes.set(makeSwapHeader((96 << 20) / 4096, new Uint8Array(16).fill(7)), 0);
    writeFileSync(img, bytes);
    for (const pc of [3, 0]) {
      const t = bestFigure(process.execPath, [TSIX, "run", "--mem", "32M", "--disk", img, "--disk-io", "async", "--mount", `${OUT}:/mnt/bench`, "--",
        "sh", "-c", `swapon /dev/vda && echo ${pc} > /proc/sys/vm/page-cluster && /mnt/bench/mmfault swapin 48`], "swapin");
      rows.push([`swap-in, async disk, page-cluster ${pc} (ns/page; qemu: first touch)`, t.toFixed(1), q !== undefined ? q.toFixed(1) : "-", q !== undefined ? `${(t / q).toFixed(2)}x` : "-"]);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
}

main();
