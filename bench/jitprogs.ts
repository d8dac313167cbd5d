// Real programs on the second execution tier against qemu-riscv64
// (`npm run bench:jit`, issue 12's table): the same Debian riscv64 binaries
// run under `tsix run --jit off`, `tsix run --jit on` and qemu-riscv64 (user
// mode, with the image unpacked for -L) in one run.
//
// Workloads: `python3 -c "print('ok')"` (start-up: what translation costs a short
// program), a python3 sum of squares (a long interpreter loop), and
// `gzip -9` of a fixed 2.8 MB text made here (compiled C). The figure is the
// host CPU time of each run (the reaped child's user + system, cutime +
// cstime of /proc/self/stat), which barely moves with the host's load, as
// wall time does. Each figure is the least of REPS runs (TSIX_BENCH_REPS,
// default 2).
//
// Concepts: C12 (the CPU's execution tiers; docs/machine.md, "The second
// execution tier").
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { imageRootfs } from "../test/kernel/harness.js";
import { buildImage } from "../userland/image/build.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSIX = join(ROOT, "bin/tsix.js");
const HOME = process.env.TSIX_HOME ?? join(homedir(), ".cache/tsix");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 2);

/** This process's reaped children's user + system time, in seconds (cutime + cstime, USER_HZ 100). */
function childCpu(): number {
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(f[13]) + Number(f[14])) / 100;
}

/** The least CPU seconds of REPS runs of `cmd args`; the run's stdout must contain `expect`. */
function cpu(cmd: string, args: string[], expect: string): number {
  let least = Infinity;
  for (let i = 0; i < REPS; i++) {
    const c0 = childCpu();
    const r = spawnSync(cmd, args, { encoding: "latin1", maxBuffer: 64 << 20, env: { ...process.env, TSIX_HOME: HOME } });
    const used = childCpu() - c0;
    if (r.status !== 0 || !r.stdout.includes(expect)) {
      throw new Error(`${cmd} ${args.join(" ")}: status ${r.status}, stdout ${r.stdout.slice(0, 200)}\n${r.stderr.slice(0, 2000)}`);
    }
    least = Math.min(least, used);
  }
  return least;
}

/** 2.8 MB of text that compresses like source code (numbered lines of words from a fixed generator). */
function gzipInput(dir: string): string {
  const words = ["static", "int", "return", "struct", "page", "frame", "inode", "while", "if", "else", "task", "queue", "lock", "buffer"];
  let s = "", x = 12345;
  for (let line = 0; s.length < 2_800_000; line++) {
    s += `${line}:`;
    for (let w = 0; w < 9; w++) { x = (x * 1103515245 + 12345) >>> 0; s += ` ${words[(x >>> 16) % words.length]}`; }
    s += "\n";
  }
  const path = join(dir, "in.txt");
  writeFileSync(path, s);
  return path;
}

async function main(): Promise<void> {
  const img = await buildImage({ packages: ["busybox-static", "python3", "gzip"] });
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const rootfs = haveQemu ? await imageRootfs(img) : "";
  const data = join(tmpdir(), `tsix-bench-jit-${process.pid}`);
  mkdirSync(data, { recursive: true });
  gzipInput(data);
  // gzip's output is binary: each run must print gzip's magic bytes 1f 8b.
  const work: [string, string[], string][] = [
    ["python3 -c \"print('ok')\"", ["python3", "-c", "print('ok')"], "ok"],
    ["python3 sum of squares", ["python3", "-c", "print(sum(i*i for i in range(3000000)))"], "8999995500000500000"],
    ["gzip -9 of 2.8 MB", ["gzip", "-9", "-c", "/data/in.txt"], "\x1f\x8b"],
  ];
  const rows: string[][] = [["workload", "--jit off", "--jit on", "qemu-riscv64", "on/off", "on/qemu"]];
  for (const [name, argv, expect] of work) {
    const tsix = (jit: string): number => cpu(process.execPath, [TSIX, "run", "--jit", jit, "--image", img.path, "--mount", `${data}:/data`, "--", ...argv], expect);
    const off = tsix("off"), on = tsix("on");
    let q = NaN;
    if (haveQemu) {
      const qargv = argv.map((a) => a.replace(/^\/data\//, `${data}/`));
      q = cpu("qemu-riscv64", ["-L", rootfs, join(rootfs, "usr/bin", qargv[0]), ...qargv.slice(1)], expect);
    }
    rows.push([name, `${off.toFixed(2)} s`, `${on.toFixed(2)} s`, haveQemu ? `${q.toFixed(2)} s` : "-", (on / off).toFixed(2), haveQemu ? (on / q).toFixed(2) : "-"]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("  "));
}

await main();
