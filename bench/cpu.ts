// CPU benchmark (`npm run bench`): guest MIPS of the wasm core on bare-metal
// programs, with qemu-riscv64 running the same workload as a Linux binary in
// the same run, and the ratio. Workloads:
//   knowncount - bench/programs/knowncount-linux.S (user mode) and knowncount.S (bare): exactly 30,000,006 instructions
//                of a 3-instruction loop (the calibration program);
//   intmix     - bench/programs/intmix.c: CRC32, sorting, sieve, hashing, matmul.
// Each runs on the interpreter alone and with the second execution tier on
// (hw/jit, "jit" columns; TSIX_BENCH_JIT=0 leaves those out).
// Each figure is the best of REPS runs (the machines are shared and noisy).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createMachine, loadBareElf, runToFinish } from "../hw/machine.js";
import { loadCore } from "../host/node/core.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "build/bench");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 3);
const LINK = join(ROOT, "test/hw/common/link.ld");

function gcc(args: string[]): void {
  const r = spawnSync("riscv64-linux-gnu-gcc", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`riscv64-linux-gnu-gcc failed (install gcc-riscv64-linux-gnu):\n${r.stderr}`);
}

interface Workload { name: string; bare: string; linux: string }

function build(): Workload[] {
  mkdirSync(OUT, { recursive: true });
  const bareFlags = ["-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany", "-nostdlib", "-static", "-ffreestanding",
    "-fno-pic", "-no-pie", "-T", LINK, "-Wl,--no-warn-rwx-segments"];
  const kcBare = join(OUT, "knowncount-bare.elf");
  gcc([...bareFlags, "-o", kcBare, join(ROOT, "bench/programs/knowncount.S")]);
  const kcLinux = join(OUT, "knowncount-linux");
  gcc(["-march=rv64gc", "-nostdlib", "-static", "-o", kcLinux, join(ROOT, "bench/programs/knowncount-linux.S")]);
  const imBare = join(OUT, "intmix-bare.elf");
  gcc([...bareFlags, "-O2", "-DBARE", "-o", imBare, join(ROOT, "bench/programs/intmix.c")]);
  const imLinux = join(OUT, "intmix-linux");
  gcc(["-O2", "-march=rv64gc", "-nostdlib", "-static", "-ffreestanding", "-o", imLinux, join(ROOT, "bench/programs/intmix.c")]);
  return [
    { name: "knowncount", bare: kcBare, linux: kcLinux },
    { name: "intmix", bare: imBare, linux: imLinux },
  ];
}

interface TsixRun { seconds: number; instructions: number; code: number; tlbHits: number; tlbMisses: number }

function runTsix(elf: string, jit = false): TsixRun {
  const module = loadCore();
  let best: TsixRun | undefined;
  for (let i = 0; i < REPS; i++) {
    const m = createMachine(module, { memBytes: 64 << 20, jit });
    loadBareElf(m, readFileSync(elf));
    const t0 = performance.now();
    const f = runToFinish(m);
    const seconds = (performance.now() - t0) / 1000;
    const s = m.stats();
    const r = { seconds, instructions: s.instructions, code: f.kind === "pass" ? 0 : f.code, tlbHits: s.tlbHits, tlbMisses: s.tlbMisses };
    if (!best || r.seconds < best.seconds) best = r;
  }
  return best!;
}

function runQemu(bin: string): { seconds: number; code: number } | undefined {
  let best: { seconds: number; code: number } | undefined;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    const r = spawnSync("qemu-riscv64", [bin]);
    const seconds = (performance.now() - t0) / 1000;
    if (r.error) return undefined;
    if (!best || seconds < best.seconds) best = { seconds, code: r.status ?? -1 };
  }
  return best;
}

function main(): void {
  const workloads = build();
  const withJit = process.env.TSIX_BENCH_JIT !== "0";
  const rows: string[][] = [["workload", "instructions", "tsix s", "tsix MIPS",
    ...(withJit ? ["jit s", "jit MIPS"] : []), "qemu s", "qemu MIPS", "tsix/qemu", ...(withJit ? ["jit/qemu"] : [])]];
  for (const w of workloads) {
    const t = runTsix(w.bare);
    const j = withJit ? runTsix(w.bare, true) : undefined;
    const q = runQemu(w.linux);
    const mips = t.instructions / t.seconds / 1e6;
    const jm = j ? j.instructions / j.seconds / 1e6 : NaN;
    const qm = q ? t.instructions / q.seconds / 1e6 : NaN;
    if (q && q.code !== t.code) throw new Error(`${w.name}: tsix exit ${t.code} but qemu exit ${q.code}: results differ`);
    if (j && (j.code !== t.code || j.instructions !== t.instructions)) {
      throw new Error(`${w.name}: with the JIT: exit ${j.code} after ${j.instructions} instructions, interpreter: exit ${t.code} after ${t.instructions}`);
    }
    rows.push([w.name, String(t.instructions), t.seconds.toFixed(3), mips.toFixed(1),
      ...(j ? [j.seconds.toFixed(3), jm.toFixed(1)] : []),
      q ? q.seconds.toFixed(3) : "n/a", q ? qm.toFixed(1) : "n/a", q ? (mips / qm).toFixed(3) : "n/a",
      ...(j ? [q ? (jm / qm).toFixed(3) : "n/a"] : [])]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i])).join("  "));
  console.log(`(best of ${REPS}; qemu times include its ~13 ms start-up; MIPS = tsix's retired-instruction count / time)`);
}

main();
