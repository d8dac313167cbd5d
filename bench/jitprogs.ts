// Real programs on the second execution tier against qemu-riscv64
// (`npm run bench:jit`, issue 12's table): the same Debian riscv64 binaries
// run under `tsix run --jit off`, `tsix run --jit on` and qemu-riscv64 (user
// mode, with the image unpacked for -L) in one run.
//
// Workloads: `python3 -c "print('ok')"` (start-up: what translation costs a short
// program), a python3 sum of squares (a long interpreter loop), `gzip -9`
// and `xz -6` of a fixed 2.8 MB text made here (compiled C), and
// bench/programs/bench.lua on lua5.4 (another bytecode interpreter). Every
// program is named by its absolute path: the image's shell is busybox, which
// runs its own gzip and xz applets for a bare `gzip` or `xz`, while qemu runs
// the Debian binaries. xz runs with -T1: its default may use threads (as many
// as the CPUs it sees, which differ between tsix and qemu), and its output
// depends on it. The three runs of a workload must print the same bytes
// (compared by hash): the same compressed file, the same results. The figure is the
// host CPU time of each run (the reaped child's user + system, cutime +
// cstime of /proc/self/stat), which barely moves with the host's load, as
// wall time does. Each figure is the least of REPS runs (TSIX_BENCH_REPS,
// default 2). TSIX_BENCH_ONLY=REGEX runs only the workloads whose name
// matches, e.g. "^python3 -c" for the start-up row alone.
//
// Concepts: C12 (the CPU's execution tiers; docs/machine.md, "The second
// execution tier").
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

/** A workload's figure: the least CPU seconds of its runs, and the hash of what they printed (all the same). */
interface Measured { secs: number; out: string }

/** The least CPU seconds of REPS runs of `cmd args`; the run's stdout must contain `expect`, and be the same in every run. */
function cpu(cmd: string, args: string[], expect: string): Measured {
  let least = Infinity;
  let out = "";
  for (let i = 0; i < REPS; i++) {
    const c0 = childCpu();
    const r = spawnSync(cmd, args, { encoding: "latin1", maxBuffer: 64 << 20, env: { ...process.env, TSIX_HOME: HOME } });
    const used = childCpu() - c0;
    if (r.status !== 0 || !r.stdout.includes(expect)) {
      throw new Error(`${cmd} ${args.join(" ")}: status ${r.status}, stdout ${r.stdout.slice(0, 200)}\n${r.stderr.slice(0, 2000)}`);
    }
    const h = createHash("sha256").update(r.stdout, "latin1").digest("hex").slice(0, 16);
    if (out !== "" && h !== out) throw new Error(`${cmd} ${args.join(" ")}: printed something else in run ${i + 1} (${h}, before ${out})`);
    out = h;
    least = Math.min(least, used);
  }
  return { secs: least, out };
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
  const img = await buildImage({ packages: ["busybox-static", "python3", "gzip", "xz-utils", "lua5.4"] });
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const rootfs = haveQemu ? await imageRootfs(img) : "";
  const data = join(tmpdir(), `tsix-bench-jit-${process.pid}`);
  mkdirSync(data, { recursive: true });
  gzipInput(data);
  copyFileSync(join(ROOT, "bench/programs/bench.lua"), join(data, "bench.lua"));
  // gzip's and xz's output is binary: each run must print the format's magic bytes (1f 8b; fd 37 7a 58 5a 00).
  const work: [string, string[], string][] = [
    ["python3 -c \"print('ok')\"", ["/usr/bin/python3", "-c", "print('ok')"], "ok"],
    ["python3 sum of squares", ["/usr/bin/python3", "-c", "print(sum(i*i for i in range(3000000)))"], "8999995500000500000"],
    ["gzip -9 of 2.8 MB", ["/usr/bin/gzip", "-9", "-c", "/data/in.txt"], "\x1f\x8b"],
    ["xz -6 of 2.8 MB", ["/usr/bin/xz", "-6", "-T1", "-c", "/data/in.txt"], "\xfd7zXZ\x00"],
    ["lua5.4 bench.lua", ["/usr/bin/lua5.4", "/data/bench.lua"], "832040 78498 "],
  ];
  const rows: string[][] = [["workload", "--jit off", "--jit on", "qemu-riscv64", "on/off", "on/qemu", "output sha256"]];
  // TSIX_BENCH_ONLY=REGEX runs only the workloads whose name matches (e.g. "^python3 -c": start-up alone).
  const only = process.env.TSIX_BENCH_ONLY ? new RegExp(process.env.TSIX_BENCH_ONLY) : null;
  for (const [name, argv, expect] of work) {
    if (only && !only.test(name)) continue;
    const tsix = (jit: string): Measured => cpu(process.execPath, [TSIX, "run", "--jit", jit, "--image", img.path, "--mount", `${data}:/data`, "--", ...argv], expect);
    const mOff = tsix("off"), mOn = tsix("on");
    const off = mOff.secs, on = mOn.secs;
    let q = NaN;
    if (haveQemu) {
      const qargv = argv.map((a) => a.replace(/^\/data\//, `${data}/`));
      const mq = cpu("qemu-riscv64", ["-L", rootfs, join(rootfs, qargv[0]), ...qargv.slice(1)], expect);
      if (mq.out !== mOff.out) throw new Error(`${name}: qemu-riscv64 printed something else than tsix (${mq.out} vs ${mOff.out})`);
      q = mq.secs;
    }
    if (mOn.out !== mOff.out) throw new Error(`${name}: --jit on printed something else than --jit off (${mOn.out} vs ${mOff.out})`);
    rows.push([name, `${off.toFixed(2)} s`, `${on.toFixed(2)} s`, haveQemu ? `${q.toFixed(2)} s` : "-", (on / off).toFixed(2), haveQemu ? (on / q).toFixed(2) : "-", mOff.out]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("  "));
}

await main();
