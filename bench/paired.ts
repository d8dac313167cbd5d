// Paired benchmark of two tsix builds (issue 11: "is fork+exec slower?",
// "did the pipe get faster?"): runs one guest command N times under each
// build, alternating A, B, A, B... so both see the same load, and prints the
// median of the guest's own figure (its last output line's number, e.g.
// kbench's "pipe 812.3 MB/s") and of the host CPU seconds the tsix process
// used (user + system, from /usr/bin/time). On a shared, loaded machine the
// wall-clock figures swing by 2-5x from run to run; CPU time does not, since
// it leaves out the time other processes held the cores.
//
//   node dist/bench/paired.js [-n RUNS] [--image-a F] [--image-b F] [--flags-a "OPTS"] [--flags-b "OPTS"] [--mount DIR:/mnt/bench] [--qemu ROOTFS] A/bin/tsix.js B/bin/tsix.js -- CMD...
//
// e.g. two checkouts, kbench built into /tmp/pb:
//   node dist/bench/paired.js -n 8 --mount /tmp/pb:/mnt/bench /tmp/old/bin/tsix.js bin/tsix.js -- /mnt/bench/kbench forkexec 2000
// Each build boots its own default image unless --image-a/--image-b name one
// (two checkouts with different image recipes otherwise rebuild the shared
// cache's image at every run). --flags-a/--flags-b add `tsix run` options to
// one side only (split at spaces), so one build can be paired with itself
// under two settings, e.g. --flags-a "--jit off" --flags-b "--jit on".
// --qemu ROOTFS runs the command under qemu-riscv64 too, in every round (the
// image unpacked in ROOTFS, e.g. the test harness's build/kernel-tests/rootfs-*:
// the program is ROOTFS + its path, -L ROOTFS, and the GUEST prefix of each
// --mount in the arguments becomes its HOST directory), and prints each
// build's time against qemu's: the median of the rounds' ratios, which the
// machine's speed drifting between rounds does not move (issue 12's bench:jit
// runs each tier's runs minutes apart).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Sample { figure: number; cpu: number }

function usage(msg: string): never {
  console.error(`paired: ${msg}\nusage: node dist/bench/paired.js [-n RUNS] [--image-a F] [--image-b F] [--flags-a OPTS] [--flags-b OPTS] [--mount HOST:GUEST] [--qemu ROOTFS] A/bin/tsix.js B/bin/tsix.js -- CMD...`);
  process.exit(2);
}

/** Run `argv` under /usr/bin/time (its report in `tfile`): its stdout and the CPU seconds it used; throws if it failed. */
function timed(argv: string[], tfile: string): { stdout: string; cpu: number } {
  const p = spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", tfile, ...argv], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (p.status !== 0) throw new Error(`${argv[0] === process.execPath ? argv[1] : argv[0]} failed (exit ${p.status}):\n${p.stdout}\n${p.stderr}`);
  const [u, s] = readFileSync(tfile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  return { stdout: p.stdout, cpu: u + s };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main(): void {
  const argv = process.argv.slice(2);
  let runs = 5;
  const images: (string | undefined)[] = [undefined, undefined];
  const flags: string[][] = [[], []];
  const mounts: string[] = [];
  const builds: string[] = [];
  let qemuRoot: string | undefined;
  let i = 0;
  for (; i < argv.length && argv[i] !== "--"; i++) {
    const a = argv[i];
    if (a === "-n") runs = Number(argv[++i]);
    else if (a === "--image-a") images[0] = argv[++i];
    else if (a === "--image-b") images[1] = argv[++i];
    else if (a === "--flags-a") flags[0] = argv[++i].split(" ").filter((x) => x !== "");
    else if (a === "--flags-b") flags[1] = argv[++i].split(" ").filter((x) => x !== "");
    else if (a === "--mount") mounts.push("--mount", argv[++i]);
    else if (a === "--qemu") qemuRoot = argv[++i];
    else builds.push(a);
  }
  const cmd = argv.slice(i + 1);
  if (builds.length !== 2 || cmd.length === 0 || !(runs >= 1)) usage("need two builds and a command after --");
  for (const b of builds) if (!existsSync(b)) usage(`no such file: ${b}`);
  if (!existsSync("/usr/bin/time")) usage("needs /usr/bin/time (apt-get install time) for the CPU times");
  if (qemuRoot !== undefined && !existsSync(join(qemuRoot, cmd[0]))) usage(`--qemu: no ${cmd[0]} in ${qemuRoot}`);
  // qemu's command: the program from ROOTFS, each mount's guest prefix replaced by its host directory.
  const hostPath = (arg: string): string => {
    for (let m = 1; m < mounts.length; m += 2) {
      const [host, guest] = mounts[m].split(":");
      if (guest && (arg === guest || arg.startsWith(guest + "/"))) return host + arg.slice(guest.length);
    }
    return arg;
  };
  const qemuArgv = qemuRoot === undefined ? [] : ["qemu-riscv64", "-L", qemuRoot, join(qemuRoot, cmd[0]), ...cmd.slice(1).map(hostPath)];
  const qemuCpu: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), "tsix-paired-"));
  const samples: Sample[][] = [[], []];
  try {
    for (let r = 0; r < runs; r++) {
      for (let b = 0; b < 2; b++) {
        const img = images[b] ? ["--image", images[b]!] : [];
        const t = timed([process.execPath, builds[b], "run", ...flags[b], ...img, ...mounts, "--", ...cmd], join(dir, "time"));
        const last = t.stdout.trim().split("\n").pop() ?? "";
        const m = /([\d.]+)/.exec(last);
        samples[b].push({ figure: m ? Number(m[1]) : NaN, cpu: t.cpu });
        console.log(`run ${r + 1} ${b === 0 ? "A" : "B"}: ${last}  cpu ${t.cpu.toFixed(2)} s`);
      }
      if (qemuArgv.length > 0) {
        const t = timed(qemuArgv, join(dir, "time"));
        qemuCpu.push(t.cpu);
        console.log(`run ${r + 1} qemu: cpu ${t.cpu.toFixed(2)} s`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (let b = 0; b < 2; b++) {
    const vsQemu = qemuCpu.length > 0 ? `, ${median(samples[b].map((x, r) => x.cpu / qemuCpu[r])).toFixed(2)}x qemu-riscv64 (median of the rounds' ratios)` : "";
    console.log(`${b === 0 ? "A" : "B"} ${builds[b]}${flags[b].length ? ` ${flags[b].join(" ")}` : ""}: median figure ${median(samples[b].map((x) => x.figure))}, median cpu ${median(samples[b].map((x) => x.cpu)).toFixed(3)} s (${runs} runs)${vsQemu}`);
  }
  if (qemuCpu.length > 0) console.log(`qemu-riscv64: median cpu ${median(qemuCpu).toFixed(3)} s (${runs} runs)`);
}

main();
