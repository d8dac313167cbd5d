// Times `node bin/tsix.js run -- true` (boot to the first command, as a user
// starts tsix) over many runs and prints the median and the minimum, like
// hyperfine does. The image must be built already (one warm-up run builds it).
//
//   node scripts/time-boot.mjs [RUNS] [-- NODE_FLAGS...]
//
// RUNS defaults to 20. Words after `--` go to node before bin/tsix.js (for
// example --enable-source-maps). TSIX_BIN=path times another entry file.
// On Linux it also prints the mean CPU time (user + system, all threads) per
// run, from /proc/self/stat's waited-for-children times: on a loaded machine
// that figure moves much less than the wall-clock ones.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const dash = args.indexOf("--");
const nodeFlags = dash >= 0 ? args.slice(dash + 1) : [];
const runs = Number((dash >= 0 ? args.slice(0, dash) : args)[0] ?? 20);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write("usage: node scripts/time-boot.mjs [RUNS] [-- NODE_FLAGS...]\n");
  process.exit(2);
}
const bin = process.env.TSIX_BIN ?? join(root, "bin/tsix.js");
const argv = [...nodeFlags, bin, "run", "--", "true"];

function once() {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    process.stderr.write(`node ${argv.join(" ")} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  return ms;
}

/** CPU time of the waited-for children so far, in ms (Linux), or undefined. */
function childrenCpuMs() {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): cutime and cstime are the 14th and 15th.
    const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(f[13]) + Number(f[14])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

once(); // warm-up: builds the image if needed, fills the page cache
const cpu0 = childrenCpuMs();
const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
const cpu1 = childrenCpuMs();
const cpu = cpu0 !== undefined && cpu1 !== undefined ? `, CPU ${((cpu1 - cpu0) / runs).toFixed(1)} ms/run` : "";
const mid = times.length >> 1;
const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
console.log(`node ${nodeFlags.length ? nodeFlags.join(" ") + " " : ""}${bin} run -- true: ${runs} runs, median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms${cpu}`);
