// Kernel benchmark (`npm run bench`, after bench/cpu): the tsix kernel running
// Linux programs, against qemu-riscv64 (user mode, the same binaries) in the
// same run. Each tsix figure comes from `tsix run` as a user runs it.
//
//   bench.c        bench/programs/bench.c, static, -O2 -ffp-contract=off:
//                  guest MIPS under tsix, seconds under both, identical output
//   fork loop      busybox sh: i=0; while [ $i -lt 300 ]; do x=$(echo $i); ...
//                  ms per iteration (one fork each), the image's busybox in both
//   getpid         bench/programs/kbench.c: 1e6 getpid calls, ns per call
//   boot           `tsix run -- true` with the image cached: ms to the first
//                  command (the kernel's own boot_ms too); qemu: a static
//                  program's start-up, for scale
//   fork+exec+wait kbench forkexec: fork, execve of a static program, wait4 (us)
//   pipe           kbench pipe: a writer and a reader child, 64 KiB writes (MB/s):
//                  the first 64 MiB, fork and warm-up included (the emulators'
//                  JIT and translation: it takes qemu about 10 ms), then 256
//                  MiB after 64 MiB untimed, then 2 GiB after 64 MiB untimed
//                  (the sustained rate: 256 MiB still takes only ~50 ms)
//   context switch bench/programs/pingpong.c: a parent and a child pass one
//                  byte back and forth over two pipes (us per round trip:
//                  two blocking reads, two wake-ups, two switches on 1 CPU)
//   --jit on       boot and bench.c again with the second execution tier
//                  (hw/jit; TSIX_BENCH_JIT=0 leaves these rows out); the
//                  first boot and bench.c rows are the interpreter's
//                  (--jit off), every other row runs the CLI's default (on)
//   two processes  the pipe and ping-pong rows also against qemu-riscv64
//                  pinned to one host CPU (taskset -c 0), as tsix runs both
//                  guest processes on one thread
//
// Figures are the best of REPS runs (TSIX_BENCH_REPS, default 3); the
// machines are shared and noisy. TSIX_BENCH_ROUNDS sets bench.c's rounds
// (default 24: about 1.6 G instructions).
//
// `node dist/bench/kernel.js ROW...` runs only the named rows (boot, bench,
// jit, fork, getpid, forkexec, pipe, pingpong), e.g. `... kernel.js pipe`
// for the two pipe rows. TSIX_BENCH_ASID=N runs the rows whose figure the
// guest program measures itself (getpid, pipe, pingpong) with
// /proc/sys/vm/asid_max set to N first (kernel/mm/asid.ts; 65535 is the
// default, 0 flushes the TLB at every switch between processes).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildImage } from "../userland/image/build.js";
import { parseCpio, S_IFMT, S_IFREG } from "../kernel/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "build/bench/kernel");
const TSIX = join(ROOT, "bin/tsix.js");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 3);
const ROUNDS = Number(process.env.TSIX_BENCH_ROUNDS ?? 24);
const LOOP = "i=0; while [ $i -lt 300 ]; do x=$(echo $i); i=$((i+1)); done; echo $x";

function gcc(args: string[]): void {
  const r = spawnSync("riscv64-linux-gnu-gcc", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`riscv64-linux-gnu-gcc failed (install gcc-riscv64-linux-gnu):\n${r.stderr}`);
}

interface Timed { ms: number; stdout: string; stderr: string; status: number | null }

function timed(cmd: string, args: string[], cwd?: string): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Best (fastest) of REPS runs; every run must exit 0. */
function best(run: () => Timed, what: string): Timed {
  let b: Timed | undefined;
  for (let i = 0; i < REPS; i++) {
    const r = run();
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    if (!b || r.ms < b.ms) b = r;
  }
  return b!;
}

/** TSIX_BENCH_SCHED=POLICY: every tsix run with `--sched POLICY` (to compare policies; default: the kernel's). */
const SCHED = process.env.TSIX_BENCH_SCHED ? ["--sched", process.env.TSIX_BENCH_SCHED] : [];

function tsix(args: string[]): Timed {
  return timed(process.execPath, [TSIX, "run", "--mount", `${OUT}:/mnt/bench`, "--stats", ...SCHED, ...args]);
}

/** The rows to run (command-line arguments), all when none is named. */
const ROWS = new Set(process.argv.slice(2));
const want = (row: string): boolean => ROWS.size === 0 || ROWS.has(row);

/** TSIX_BENCH_ASID=N: a guest command that times itself, run after `echo N > /proc/sys/vm/asid_max`. */
const ASID = process.env.TSIX_BENCH_ASID;
function selfTimed(cmd: string[]): string[] {
  if (ASID === undefined) return ["--", ...cmd];
  return ["--", "/bin/sh", "-c", `echo ${Number(ASID)} > /proc/sys/vm/asid_max && exec ${cmd.join(" ")}`];
}

interface Stats { bootMs: number; instructions: number; mips: number }
function stats(r: Timed): Stats {
  const m = /boot_ms=([\d.]+) instructions=(\d+) mips=([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`no --stats line in:\n${r.stderr}`);
  return { bootMs: Number(m[1]), instructions: Number(m[2]), mips: Number(m[3]) };
}

/** The value of kbench's one-line result ("getpid 123.4 ns"). */
function figure(out: string, name: string): number {
  const m = new RegExp(`^${name} ([\\d.]+) `, "m").exec(out);
  if (!m) throw new Error(`no '${name}' figure in:\n${out}`);
  return Number(m[1]);
}

/** The image's busybox on the host, for qemu-riscv64 (static, so no -L is needed). */
async function imageBusybox(): Promise<string> {
  const img = await buildImage();
  const out = join(OUT, `busybox-${img.key.slice(0, 12)}`);
  if (existsSync(out)) return out;
  for (const e of parseCpio(readFileSync(img.path))) {
    if (e.path === "usr/bin/busybox" && (e.mode & S_IFMT) === S_IFREG) {
      writeFileSync(out, e.data!);
      chmodSync(out, 0o755);
      return out;
    }
  }
  throw new Error("the image has no usr/bin/busybox");
}

type Row = [string, string, string, string];
const fmt = (n: number, digits = 1): string => n.toFixed(digits);

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const benchSrc = join(ROOT, "bench/programs/bench.c");
  gcc(["-O2", "-static", "-ffp-contract=off", "-o", join(OUT, "bench"), benchSrc]);
  gcc(["-O2", "-static", "-o", join(OUT, "kbench"), join(ROOT, "bench/programs/kbench.c")]);
  gcc(["-O2", "-static", "-o", join(OUT, "pingpong"), join(ROOT, "bench/programs/pingpong.c")]);
  const busybox = want("fork") ? await imageBusybox() : "";
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const haveTaskset = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  const qemu = (args: string[], what: string): Timed | undefined => (haveQemu ? best(() => timed("qemu-riscv64", args, OUT), what) : undefined);
  const rows: Row[] = [["benchmark", "tsix", "qemu-riscv64", "tsix/qemu"]];
  const ratio = (a: number, b: number | undefined): string => (b === undefined ? "-" : `${fmt(a / b, 2)}x`);
  const note: string[] = [];

  // Boot to the first command (bench.c and the fork loop are timed from it).
  const needBoot = want("boot") || want("bench") || want("jit") || want("fork");
  const boot = needBoot ? best(() => tsix(["--jit", "off", "--", "true"]), "tsix run --jit off -- true") : undefined;
  const q0 = needBoot ? qemu([join(OUT, "kbench"), "true"], "qemu start-up") : undefined;
  if (boot && want("boot")) rows.push(["boot to first command, --jit off (ms)", `${fmt(boot.ms, 0)} (kernel boot ${fmt(stats(boot).bootMs)})`, q0 ? `${fmt(q0.ms, 0)} (start-up)` : "-", "-"]);

  // bench.c
  if (boot && (want("bench") || want("jit"))) {
    const tb = best(() => tsix(["--jit", "off", "--", "/mnt/bench/bench", String(ROUNDS)]), "bench.c under tsix --jit off");
    const st = stats(tb);
    const qb = qemu([join(OUT, "bench"), String(ROUNDS)], "bench.c under qemu");
    const runMs = tb.ms - boot.ms;
    rows.push([`bench.c ${ROUNDS} rounds, --jit off (s)`, fmt(runMs / 1000, 2), qb ? fmt(qb.ms / 1000, 2) : "-", ratio(runMs, qb?.ms)]);
    // The same instruction count under both (the same binary and input), so MIPS compare as speeds.
    rows.push(["bench.c guest MIPS, --jit off", fmt(st.instructions / (runMs / 1000) / 1e6, 0), qb ? fmt(st.instructions / (qb.ms / 1000) / 1e6, 0) : "-", qb ? ratio(qb.ms, runMs) : "-"]);
    if (qb && qb.stdout !== tb.stdout) note.push(`bench.c output differs!\n tsix: ${tb.stdout}\n qemu: ${qb.stdout}`);
    else if (qb) note.push(`bench.c output identical under tsix and qemu-riscv64 (${tb.stdout.trim().split("\n").pop()})`);

    if (process.env.TSIX_BENCH_JIT !== "0" && want("jit")) {
      // The same with the second execution tier: translation overhead at boot, speed on bench.c.
      const bootJ = best(() => tsix(["--jit", "on", "--", "true"]), "tsix run --jit on -- true");
      rows.push(["boot to first command, --jit on (ms)", fmt(bootJ.ms, 0), "-", `${fmt(bootJ.ms / boot.ms, 2)}x of --jit off`]);
      const tj = best(() => tsix(["--jit", "on", "--", "/mnt/bench/bench", String(ROUNDS)]), "bench.c under tsix --jit on");
      const runJ = tj.ms - bootJ.ms;
      rows.push([`bench.c ${ROUNDS} rounds, --jit on (s)`, fmt(runJ / 1000, 2), qb ? fmt(qb.ms / 1000, 2) : "-", ratio(runJ, qb?.ms)]);
      rows.push(["bench.c guest MIPS, --jit on", fmt(stats(tj).instructions / (runJ / 1000) / 1e6, 0), qb ? fmt(st.instructions / (qb.ms / 1000) / 1e6, 0) : "-", qb ? ratio(qb.ms, runJ) : "-"]);
      if (tj.stdout !== tb.stdout) note.push(`bench.c output differs with --jit on!\n on: ${tj.stdout}\n off: ${tb.stdout}`);
    }
  }

  // Fork-heavy shell loop.
  if (boot && want("fork")) {
    const tl = best(() => tsix(["--", "sh", "-c", LOOP]), "fork loop under tsix");
    const ql = qemu([busybox, "sh", "-c", LOOP], "fork loop under qemu");
    const perIter = (tl.ms - boot.ms) / 300;
    const qPerIter = ql && q0 ? (ql.ms - q0.ms) / 300 : undefined;
    rows.push(["busybox $(echo) loop (ms/iteration)", fmt(perIter, 2), qPerIter !== undefined ? fmt(qPerIter, 2) : "-", ratio(perIter, qPerIter)]);
  }

  // getpid round trip.
  if (want("getpid")) {
    const tg = best(() => tsix(selfTimed(["/mnt/bench/kbench", "getpid", "1000000"])), "getpid under tsix");
    const qg = qemu([join(OUT, "kbench"), "getpid", "1000000"], "getpid under qemu");
    const g = figure(tg.stdout, "getpid"), qgv = qg ? figure(qg.stdout, "getpid") : undefined;
    rows.push(["getpid round trip (ns)", fmt(g), qgv !== undefined ? fmt(qgv) : "-", ratio(g, qgv)]);
  }

  // fork + exec + wait (qemu-user cannot exec a riscv64 program without binfmt_misc, so no comparison).
  if (want("forkexec")) {
    const tf = best(() => tsix(["--", "/mnt/bench/kbench", "forkexec", "200"]), "forkexec under tsix");
    rows.push(["fork+exec+wait, static (us)", fmt(figure(tf.stdout, "forkexec")), "-", "-"]);
  }

  // Two-process rows: a guest row against qemu-riscv64 as the host schedules
  // it, and against qemu pinned to one host CPU. tsix runs both guest
  // processes on one thread; qemu's two host processes on two CPUs wake each
  // other across CPUs, and on this kind of machine its pipe figure jumps
  // between about 1,000 and 5,000 MB/s from run to run, while pinned it is
  // steady (about 4,700 and 6,000 MB/s for the two pipe rows).
  const twoProc = (label: string, guest: string[], name: string, digits: number): void => {
    const t = best(() => tsix(selfTimed([`/mnt/bench/${guest[0]}`, ...guest.slice(1)])), `${label} under tsix`);
    const v = figure(t.stdout, name);
    const q = qemu([join(OUT, guest[0]), ...guest.slice(1)], `${label} under qemu`);
    const qv = q ? figure(q.stdout, name) : undefined;
    rows.push([label, fmt(v, digits), qv !== undefined ? fmt(qv, digits) : "-", ratio(v, qv)]);
    const q1 = haveQemu && haveTaskset ? best(() => timed("taskset", ["-c", "0", "qemu-riscv64", join(OUT, guest[0]), ...guest.slice(1)], OUT), `${label} under qemu on one CPU`) : undefined;
    const q1v = q1 ? figure(q1.stdout, name) : undefined;
    if (q1v !== undefined) rows.push([`  same, qemu on one host CPU`, fmt(v, digits), fmt(q1v, digits), ratio(v, q1v)]);
  };
  // Pipe throughput.
  if (want("pipe")) {
    twoProc("pipe throughput, first 64 MiB (MB/s)", ["kbench", "pipe", "64"], "pipe", 1);
    twoProc("pipe throughput, 256 MiB after 64 (MB/s)", ["kbench", "pipe", "256", "64"], "pipe", 1);
    // Sustained: 2 GiB after the same 64 MiB, long enough (a quarter of a
    // second or more under both) that neither start-up (V8 optimizing tsix's
    // trap, syscall and pipe path during the first tens of milliseconds;
    // qemu's own start) nor one scheduling hiccup decides the figure.
    twoProc("pipe throughput, 2 GiB after 64 MiB (MB/s)", ["kbench", "pipe", "2048", "64"], "pipe", 1);
  }

  // Context switch: pipe ping-pong between two processes.
  if (want("pingpong")) twoProc("pipe ping-pong round trip (us)", ["pingpong", "20000"], "pingpong", 2);

  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`kernel benchmark (best of ${REPS} runs each):`);
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  console.log("tsix/qemu is tsix's figure over qemu's: for times below 1 means tsix is faster, for MIPS and MB/s above 1.");
  for (const n of note) console.log(n);
  if (!haveQemu) console.log("qemu-riscv64 is not installed: no comparison (apt-get install qemu-user)");
}

await main();
