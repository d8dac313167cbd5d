// The stress-ng table of issue 11: each stressor of STRESSORS
// (test/kernel/ipc/stressng.ts) for TSIX_BENCH_SECS seconds (default 3), one
// instance, with --metrics-brief, under tsix (`tsix run` of the busybox +
// stress-ng image, one boot for all) and under qemu-riscv64 (user mode,
// Debian's same stress-ng from the image's unpacked root with -L) in the same
// run. Prints bogo ops and bogo ops/s (real time) for both, and each side's
// status ("ok", or the failure). Run with `npm run build && node dist/bench/stressng.js`.
// TSIX_BENCH_SCHED=POLICY runs tsix with `--sched POLICY` (default: the
// kernel's default policy), TSIX_BENCH_STRESSORS=a,b,c runs only those, and
// TSIX_BENCH_QEMU=0 leaves the qemu-riscv64 column out (to compare policies);
// TSIX_BENCH_CLOCK=instret times tsix on the instruction clock, so that a
// busy host does not blur the comparison (the ops/s are then per virtual second).
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { imageRootfs } from "../test/kernel/harness.js";
import { parseStress, stressImage, stressScript, STRESSORS, STRESS_MEM, type StressResult } from "../test/kernel/ipc/stressng.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSIX = join(ROOT, "bin/tsix.js");
const SECS = Number(process.env.TSIX_BENCH_SECS ?? 3);
const SCHED = process.env.TSIX_BENCH_SCHED;
const LIST: readonly string[] = process.env.TSIX_BENCH_STRESSORS ? process.env.TSIX_BENCH_STRESSORS.split(",") : STRESSORS;
const QEMU = process.env.TSIX_BENCH_QEMU !== "0";
const CLOCK = process.env.TSIX_BENCH_CLOCK;

const img = await stressImage();
const t = spawnSync(process.execPath, [TSIX, "run", "--image", img.path, "--mem", STRESS_MEM, ...(SCHED ? ["--sched", SCHED] : []), ...(CLOCK ? ["--clock", CLOCK] : []), "--", "sh", "-c", stressScript(SECS, LIST)],
  { encoding: "utf8", maxBuffer: 64 << 20 });
if (t.error) throw t.error;
const tsix = parseStress(t.stdout);

const root = await imageRootfs(img);
const q = spawnSync("sh", ["-c", QEMU ? stressScript(SECS, LIST, `qemu-riscv64 -L ${root} ${join(root, "usr/bin/stress-ng")}`) : "true"],
  { encoding: "utf8", maxBuffer: 64 << 20, cwd: "/tmp" });
if (q.error) throw q.error;
const qemu = parseStress(q.stdout);

const status = (r: StressResult | undefined): string =>
  !r ? "no output" : r.rc === 0 && r.failLines.length === 0 && r.failed === 0 && r.bogoOps > 0 ? "ok" : `exit ${r.rc}, ${r.failLines.length} fail lines`;
const fmt = (n: number | undefined): string => n === undefined || n < 0 ? "-" : n.toLocaleString("en-US", { maximumFractionDigits: 0 });
console.log(`stress-ng ${SECS} s per stressor, 1 instance, bogo ops (real-time bogo ops/s); tsix ${STRESS_MEM} RAM, 1 hart, --sched ${SCHED ?? "(default)"}, --clock ${CLOCK ?? "host"}`);
console.log("| stressor | tsix bogo ops | tsix ops/s | qemu-riscv64 bogo ops | qemu ops/s | tsix/qemu | tsix | qemu |");
console.log("|---|---:|---:|---:|---:|---:|---|---|");
for (const name of LIST) {
  const a = tsix.get(name), b = qemu.get(name);
  const ratio = a && b && a.perSec > 0 && b.perSec > 0 ? (a.perSec / b.perSec).toFixed(3) : "-";
  console.log(`| ${name} | ${fmt(a?.bogoOps)} | ${fmt(a?.perSec)} | ${fmt(b?.bogoOps)} | ${fmt(b?.perSec)} | ${ratio} | ${status(a)} | ${status(b)} |`);
}
