// Times `node bin/tsix.js run -- true` (boot to the first command, as a user
// starts tsix) over many runs and prints the median and the minimum, like
// hyperfine does. The image must be built already (a warm-up run builds it).
//
//   node scripts/time-boot.mjs [RUNS] [VARIANT...]
//
// RUNS defaults to 20. A VARIANT is node's flags and an entry file in one
// word, e.g. "bin/tsix.js" (the default) or "--enable-source-maps
// bin/tsix.js" or another checkout's bin/tsix.js. Several variants run
// interleaved (one run of each in turn), so that a machine whose load changes
// during the measurement weighs on all of them alike.
// On Linux it also prints the mean CPU time (user + system, all threads) per
// run, from /proc/self/stat's waited-for-children times: on a loaded machine
// that figure moves less than the wall-clock ones.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [first, ...rest] = process.argv.slice(2);
const runs = first === undefined ? 20 : Number(first);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write("usage: node scripts/time-boot.mjs [RUNS] [VARIANT...]  (a VARIANT: node flags and an entry file, in one word)\n");
  process.exit(2);
}
const variants = (rest.length > 0 ? rest : [join(root, "bin/tsix.js")]).map((v) => ({
  name: v,
  argv: [...v.split(/\s+/).filter((w) => w !== ""), "run", "--", "true"],
  times: [],
  cpuMs: 0,
}));

/** CPU time of the waited-for children so far, in ms (Linux), or undefined. */
function childrenCpuMs() {
  try {
    // Fields after the command name (in parentheses, may hold spaces): cutime and cstime are the 14th and 15th.
    const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(f[13]) + Number(f[14])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function once(v) {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, v.argv, { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    process.stderr.write(`node ${v.argv.join(" ")} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  const c1 = childrenCpuMs();
  if (c0 !== undefined && c1 !== undefined) v.cpuMs += c1 - c0;
  return ms;
}

for (const v of variants) once(v); // warm-up: builds the image if needed, fills the page cache
for (const v of variants) v.cpuMs = 0;
for (let i = 0; i < runs; i++) for (const v of variants) v.times.push(once(v));
for (const v of variants) {
  const t = v.times.sort((a, b) => a - b);
  const mid = t.length >> 1;
  const median = t.length % 2 ? t[mid] : (t[mid - 1] + t[mid]) / 2;
  const cpu = childrenCpuMs() !== undefined ? `, CPU ${(v.cpuMs / runs).toFixed(1)} ms/run` : "";
  console.log(`node ${v.name} run -- true: ${runs} runs, median ${median.toFixed(1)} ms, min ${t[0].toFixed(1)} ms, max ${t[t.length - 1].toFixed(1)} ms${cpu}`);
}
