// The watchdog thread (started by watchdog.ts). Every 100 ms it looks at the
// kernel's trap cells: when a trap is in progress and the trap counter has
// not moved for the limit, the kernel is stuck in that trap. It writes one
// line naming the task, the syscall and its arguments to stderr and kills the
// process (the main thread is spinning and cannot be asked to stop).
// Time is summed from the gaps between looks, each capped, so that a host
// that was suspended (laptop sleep, SIGSTOP) does not count as a hang.
//
// Concepts: C04, C12 (see watchdog.ts).
import { workerData } from "node:worker_threads";
import { writeSync } from "node:fs";
import { WATCH_SEQ, WATCH_BUSY, WATCH_TID, WATCH_CAUSE, WATCH_NR, WATCH_CELLS, watchArg } from "../../kernel/abi/watch.js";
import { SYSCALL_NAMES } from "../../kernel/abi/sysno.js";

const { sab, limitMs } = workerData as { sab: SharedArrayBuffer; limitMs: number };
const cells = new Int32Array(sab, 0, WATCH_CELLS);
const PERIOD = 100;

let lastSeq = -1;
let stuckMs = 0;
let lastLook = performance.now();

function describe(): string {
  const nr = cells[WATCH_NR];
  const tid = cells[WATCH_TID];
  if (nr >= 0) {
    const args = Array.from({ length: 6 }, (_, i) => `0x${watchArg(cells, i).toString(16)}`).join(", ");
    return `task ${tid} in syscall ${nr} (${SYSCALL_NAMES[nr] ?? "?"})(${args})`;
  }
  const c = cells[WATCH_CAUSE];
  return `task ${tid} in a trap (${c < 0 ? `interrupt ${-c - 1}` : `exception ${c}`})`;
}

setInterval(() => {
  const now = performance.now();
  const gap = Math.min(now - lastLook, 4 * PERIOD);
  lastLook = now;
  const seq = cells[WATCH_SEQ];
  if (cells[WATCH_BUSY] !== 1 || seq !== lastSeq) {
    lastSeq = seq;
    stuckMs = 0;
    return;
  }
  stuckMs += gap;
  if (stuckMs < limitMs) return;
  writeSync(2, `tsix: watchdog: hung syscall: the kernel has spent ${(stuckMs / 1000).toFixed(1)} s in one trap, ${describe()}; killing tsix (TSIX_WATCHDOG_MS=${limitMs})\n`);
  process.kill(process.pid, "SIGKILL");
}, PERIOD);
