// ASID benchmark (issue 11: does keeping the TLB across a context switch
// pay?): the context-switch-heavy rows of bench/kernel.ts run under tsix with
// ASIDs off (`--sysctl vm.asid_max=0`: every switch empties the hart's TLB)
// and on (the default vm.asid_max, or TSIX_BENCH_ASID_MAX), alternating off,
// on, off, on... so both see the same load, and under qemu-riscv64 in the
// same run for scale.
//
//   pingpong       bench/programs/pingpong.c 20000: us per pipe round trip
//                  (two switches on one CPU)
//   fork loop      busybox sh: 300 x $(echo): one fork, one exit, one wait each
//   forkexec       kbench forkexec 200: fork, execve, wait4 (us per round)
//   pipe           kbench pipe 64: 64 MiB through a pipe in 64 KiB writes (MB/s)
//   getpid         kbench getpid 1000000: no switch at all (the control)
//
// For each row and setting it prints the median of the guest's own figure
// (wall time as the guest clock saw it, so it swings with the host's load)
// and the median host CPU seconds of the whole tsix process (user + system,
// from /usr/bin/time: steady on a loaded machine), less the CPU of booting
// to `true` (measured the same way), per unit of work. The last column is
// on/off of the CPU figure: below 1 means ASIDs save CPU.
//
//   node dist/bench/asid.js          (TSIX_BENCH_REPS runs per setting, default 5)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "build/bench/asid");
const TSIX = join(ROOT, "bin/tsix.js");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 5);
const ON = process.env.TSIX_BENCH_ASID_MAX ?? "";
const LOOP = "i=0; while [ $i -lt 300 ]; do x=$(echo $i); i=$((i+1)); done; echo $x";

function gcc(args: string[]): void {
  const r = spawnSync("riscv64-linux-gnu-gcc", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`riscv64-linux-gnu-gcc failed:\n${r.stderr}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Sample { figure: number; cpu: number }

/** One run under /usr/bin/time: the guest figure (the first number after `name`, NaN when there is none) and host CPU seconds. */
function measure(dir: string, cmd: string, args: string[], name: string): Sample {
  const tfile = join(dir, "time");
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", tfile, cmd, ...args], { encoding: "utf8", cwd: OUT, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const [u, s] = readFileSync(tfile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
  const m = new RegExp(`^${name} ([\\d.]+)`, "m").exec(r.stdout);
  return { figure: m ? Number(m[1]) : NaN, cpu: u + s };
}

function tsixArgs(asidMax: string, guest: string[]): string[] {
  const sysctl = asidMax === "" ? [] : ["--sysctl", `vm.asid_max=${asidMax}`];
  return [TSIX, "run", "--mount", `${OUT}:/mnt/bench`, ...sysctl, "--", ...guest];
}

interface Case { row: string; guest: string[]; name: string; unit: number; unitName: string; qemu?: string[] }

function main(): void {
  if (!existsSync("/usr/bin/time")) throw new Error("needs /usr/bin/time (apt-get install time) for the CPU times");
  mkdirSync(OUT, { recursive: true });
  gcc(["-O2", "-static", "-o", join(OUT, "kbench"), join(ROOT, "bench/programs/kbench.c")]);
  gcc(["-O2", "-static", "-o", join(OUT, "pingpong"), join(ROOT, "bench/programs/pingpong.c")]);
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const cases: Case[] = [
    { row: "pipe ping-pong round trip (us)", guest: ["/mnt/bench/pingpong", "20000"], name: "pingpong", unit: 20000, unitName: "us/round trip", qemu: [join(OUT, "pingpong"), "20000"] },
    { row: "busybox $(echo) loop (per iteration)", guest: ["sh", "-c", LOOP], name: "", unit: 300, unitName: "ms/iteration" },
    { row: "fork+exec+wait (us)", guest: ["/mnt/bench/kbench", "forkexec", "200"], name: "forkexec", unit: 200, unitName: "us/round" },
    { row: "pipe, first 64 MiB (MB/s)", guest: ["/mnt/bench/kbench", "pipe", "64"], name: "pipe", unit: 64, unitName: "s/GiB", qemu: [join(OUT, "kbench"), "pipe", "64"] },
    { row: "getpid (ns)", guest: ["/mnt/bench/kbench", "getpid", "1000000"], name: "getpid", unit: 1e6, unitName: "ns/call", qemu: [join(OUT, "kbench"), "getpid", "1000000"] },
  ];
  const settings = ["0", ON];
  const label = (s: string): string => (s === "0" ? "off" : s === "" ? "on (default)" : `on (${s})`);
  const dir = mkdtempSync(join(tmpdir(), "tsix-asid-bench-"));
  try {
    // Boot CPU, to subtract: `true` under each setting.
    const boot = settings.map(() => [] as number[]);
    for (let r = 0; r < REPS; r++) settings.forEach((s, i) => boot[i].push(measure(dir, process.execPath, tsixArgs(s, ["true"]), "").cpu));
    const bootCpu = boot.map(median);
    console.log(`ASID benchmark, median of ${REPS} runs per setting (alternating); boot to \`true\` CPU: off ${bootCpu[0].toFixed(2)} s, on ${bootCpu[1].toFixed(2)} s`);
    const head = ["row", "setting", "guest figure", "CPU less boot", "per unit", "qemu figure", "on/off CPU"];
    const rows: string[][] = [head];
    for (const c of cases) {
      const got = settings.map(() => [] as Sample[]);
      for (let r = 0; r < REPS; r++) settings.forEach((s, i) => got[i].push(measure(dir, process.execPath, tsixArgs(s, c.guest), c.name)));
      const q = haveQemu && c.qemu ? median(Array.from({ length: REPS }, () => measure(dir, "qemu-riscv64", c.qemu!, c.name).figure)) : NaN;
      const cpu = got.map((g, i) => median(g.map((x) => x.cpu)) - bootCpu[i]);
      // CPU per unit of work: seconds -> the unit's scale (us, ms, ns; s per GiB for the pipe).
      const scale = c.unitName.startsWith("us") ? 1e6 : c.unitName.startsWith("ms") ? 1e3 : c.unitName.startsWith("ns") ? 1e9 : 1024;
      settings.forEach((s, i) => {
        const fig = median(got[i].map((x) => x.figure));
        rows.push([i === 0 ? c.row : "", label(s), Number.isNaN(fig) ? "-" : fig.toFixed(2), `${cpu[i].toFixed(2)} s`,
          `${(cpu[i] / c.unit * scale).toFixed(2)} ${c.unitName}`, i === 0 && !Number.isNaN(q) ? q.toFixed(2) : "",
          i === 1 ? `${(cpu[1] / cpu[0]).toFixed(2)}x` : ""]);
      });
    }
    const widths = head.map((_, col) => Math.max(...rows.map((r) => r[col].length)));
    for (const r of rows) console.log(r.map((cell, col) => (col < 2 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join("  "));
    console.log("guest figure: the program's own (wall) figure; CPU less boot: host CPU of the run less booting to `true`.");
    if (!haveQemu) console.log("qemu-riscv64 is not installed: no comparison (apt-get install qemu-user)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
