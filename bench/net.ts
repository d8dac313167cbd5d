// Socket benchmark (`npm run bench:net`): AF_UNIX stream and TCP loopback
// throughput and one-byte round-trip latency, with pipes for scale, under
// tsix (`tsix run`, as a user runs it) and qemu-riscv64 (the same static
// binary on the host kernel) in the same run; bench/programs/netbench.c.
// The msg rows stream with sendmsg/recvmsg over two iovecs (the msg family's
// own path in kernel/syscalls/socket.ts).
// Figures are the best of REPS runs (TSIX_BENCH_REPS, default 3).
// `node dist/bench/net.js stream` runs only the named modes (stream, rtt,
// msg); TSIX_BENCH_ASID=N runs the tsix side with /proc/sys/vm/asid_max set
// to N first (as bench/kernel.ts does).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "build/bench/net");
const TSIX = join(ROOT, "bin/tsix.js");
const REPS = Number(process.env.TSIX_BENCH_REPS ?? 3);
const MB = Number(process.env.TSIX_BENCH_NET_MB ?? 64);
const RTT = Number(process.env.TSIX_BENCH_NET_RTT ?? 5000);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** netbench's figure ("stream-tcp 123.4 MB/s"): the best of REPS runs (highest MB/s, lowest us). */
function figure(runOnce: () => string, name: string, higherBetter: boolean): number {
  let best: number | undefined;
  for (let i = 0; i < REPS; i++) {
    const m = new RegExp(`^${name} ([\\d.]+) `, "m").exec(runOnce());
    if (!m) throw new Error(`no '${name}' figure`);
    const v = Number(m[1]);
    if (best === undefined || (higherBetter ? v > best : v < best)) best = v;
  }
  return best!;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const exe = join(OUT, "netbench");
  run("riscv64-linux-gnu-gcc", ["-O2", "-static", "-o", exe, join(ROOT, "bench/programs/netbench.c")]);
  const haveQemu = spawnSync("qemu-riscv64", ["--version"]).status === 0;
  const asid = process.env.TSIX_BENCH_ASID;
  const guest = (args: string[]): string[] => (asid === undefined ? ["/mnt/bench/netbench", ...args]
    : ["/bin/sh", "-c", `echo ${Number(asid)} > /proc/sys/vm/asid_max && exec /mnt/bench/netbench ${args.join(" ")}`]);
  const tsix = (args: string[]): string => run(process.execPath, [TSIX, "run", "--mount", `${OUT}:/mnt/bench`, "--", ...guest(args)]);
  const modes = new Set(process.argv.slice(2));
  const want = (mode: string): boolean => modes.size === 0 || modes.has(mode);
  const qemu = (args: string[]): string => run("qemu-riscv64", [exe, ...args]);
  const rows: string[][] = [["benchmark", "tsix", "qemu-riscv64", "tsix/qemu", "tsix vs pipe"]];
  const fmt = (n: number, d = 1): string => n.toFixed(d);
  const pipeT: Record<string, number> = {};
  for (const [mode, n, unit, hb] of [["stream", MB, "MB/s", true], ["rtt", RTT, "us", false]] as const) {
    if (!want(mode)) continue;
    for (const kind of ["pipe", "unix", "tcp"]) {
      const name = `${mode}-${kind}`;
      const t = figure(() => tsix([mode, kind, String(n)]), name, hb);
      const q = haveQemu ? figure(() => qemu([mode, kind, String(n)]), name, hb) : undefined;
      if (kind === "pipe") pipeT[mode] = t;
      const label = mode === "stream" ? `${kind} stream throughput (${unit}, ${MB} MiB)` : `${kind} round trip (${unit}, 1 byte)`;
      rows.push([label, fmt(t, hb ? 1 : 2), q !== undefined ? fmt(q, hb ? 1 : 2) : "-", q !== undefined ? `${fmt(t / q, 2)}x` : "-",
        kind === "pipe" ? "-" : `${fmt(t / pipeT[mode], 2)}x`]);
    }
  }
  for (const kind of want("msg") ? ["unix", "tcp"] : []) {
    const name = `msg-${kind}`;
    const t = figure(() => tsix(["msg", kind, String(MB)]), name, true);
    const q = haveQemu ? figure(() => qemu(["msg", kind, String(MB)]), name, true) : undefined;
    rows.push([`${kind} sendmsg/recvmsg throughput (MB/s, ${MB} MiB, 2 iovecs)`, fmt(t), q !== undefined ? fmt(q) : "-",
      q !== undefined ? `${fmt(t / q, 2)}x` : "-", pipeT.stream !== undefined ? `${fmt(t / pipeT.stream, 2)}x` : "-"]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`socket benchmark (best of ${REPS} runs each):`);
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  console.log("ratios are the first figure over the second: for MB/s above 1 is faster, for us below 1 is faster.");
  if (!haveQemu) console.log("qemu-riscv64 is not installed: no comparison (apt-get install qemu-user)");
}

main();
