// futex and SysV semaphore benchmark (issue 11): bench/programs/futexbench.c
// under tsix (`tsix run`, as a user runs it) and under qemu-riscv64 (user
// mode, the same static binary) in the same run.
//
//   futex          two threads pass a turn through futex words: us per round
//                  trip (two FUTEX_WAITs, two FUTEX_WAKEs, two switches)
//   futex, timed   the same with a 1 s timeout on every FUTEX_WAIT: it must
//                  cost about what the untimed wait costs (it once grew with
//                  the run's length: every timed wait left a stale timer)
//   sem            two processes pass a turn through a SysV semaphore set
//   ... --sched cfs  the same on tsix's cfs policy, whose woken tasks preempt
//                  (the default rr lets the waker run out its quantum first)
//
// Figures are the best of REPS runs (TSIX_BENCH_REPS, default 3);
// TSIX_BENCH_ROUNDS sets the round trips (default 50000). Run with
// `npm run build && node dist/bench/futex.js`.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "build/bench/futex");
const TSIX = join(ROOT, "bin/tsix.js");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 3);
const ROUNDS = Number(process.env.TSIX_BENCH_ROUNDS ?? 50000);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The best (lowest) "<name> <us> us/round-trip" figure of REPS runs. */
function best(cmd: string, args: string[], name: string): number {
  let b = Infinity;
  for (let i = 0; i < REPS; i++) {
    const out = run(cmd, args);
    const m = new RegExp(`^${name} ([\\d.]+) `, "m").exec(out);
    if (!m) throw new Error(`no '${name}' figure in:\n${out}`);
    b = Math.min(b, Number(m[1]));
  }
  return b;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const bin = join(OUT, "futexbench");
  run("riscv64-linux-gnu-gcc", ["-O2", "-static", "-pthread", "-o", bin, join(ROOT, "bench/programs/futexbench.c")]);
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const tsix = (mode: string, sched: string[] = []): number =>
    best(process.execPath, [TSIX, "run", ...sched, "--mount", `${OUT}:/mnt/bench`, "--", "/mnt/bench/futexbench", mode, String(ROUNDS)], mode);
  const qemu = (mode: string): number | undefined => (haveQemu ? best("qemu-riscv64", [bin, mode, String(ROUNDS)], mode) : undefined);
  const rows: string[][] = [["benchmark (us per round trip)", "tsix", "qemu-riscv64", "tsix/qemu"]];
  const add = (label: string, t: number, q: number | undefined): void => {
    rows.push([label, t.toFixed(2), q === undefined ? "-" : q.toFixed(2), q === undefined ? "-" : `${(t / q).toFixed(2)}x`]);
  };
  const qf = qemu("futex"), qt = qemu("futexto"), qs = qemu("sem");
  add("futex ping-pong, 2 threads", tsix("futex"), qf);
  add("futex ping-pong, 1 s timeouts", tsix("futexto"), qt);
  add("SysV semaphore ping-pong, 2 processes", tsix("sem"), qs);
  add("futex ping-pong, --sched cfs", tsix("futex", ["--sched", "cfs"]), qf);
  add("SysV semaphore ping-pong, --sched cfs", tsix("sem", ["--sched", "cfs"]), qs);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`futex benchmark (${ROUNDS} round trips, best of ${REPS} runs each):`);
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  console.log("tsix/qemu above 1 means tsix is slower. qemu-user runs the two threads on two host CPUs; tsix on one hart.");
  if (!haveQemu) console.log("qemu-riscv64 is not installed: no comparison (apt-get install qemu-user)");
}

main();
