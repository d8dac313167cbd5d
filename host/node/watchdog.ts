// The host's watchdog for a hung kernel. The kernel runs on the main thread
// and cannot notice its own endless loop; this module starts a worker thread
// (watchdog_worker.ts) that reads the trap path's cells (kernel/trap/watch.ts)
// from a SharedArrayBuffer. When one trap has been in progress for longer
// than the limit, the worker prints which task and syscall hung, with its
// arguments, as one line on stderr, and kills tsix, so that a test sees a
// failure naming the syscall instead of a silent timeout.
//
// TSIX_WATCHDOG_MS sets the limit (default 10000 ms of host time; 0 turns
// the watchdog off). TSIX_HANG_SYSCALL=N is a test hook that makes syscall N
// never return, to check that the watchdog catches it.
//
// Concepts: C04 (the syscall in progress), C12 (no trap keeps a hart forever).
import { Worker } from "node:worker_threads";
import type { Kernel } from "../../kernel/index.js";
import { WATCH_BYTES, WATCH_CELLS } from "../../kernel/abi/watch.js";

export const DEFAULT_WATCHDOG_MS = 10_000;

export interface Watchdog { stop(): void }

/** The limit from the environment: a whole number of ms, 0 = off; anything else is the default. */
export function watchdogMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.TSIX_WATCHDOG_MS;
  if (v === undefined || !/^\d+$/.test(v)) return DEFAULT_WATCHDOG_MS;
  return Number(v);
}

/** Watch `k` from a worker thread (and apply the TSIX_HANG_SYSCALL test hook). */
export function startWatchdog(k: Kernel, env: NodeJS.ProcessEnv = process.env): Watchdog {
  const hang = env.TSIX_HANG_SYSCALL;
  if (hang !== undefined && /^\d+$/.test(hang)) k.hangSyscall = Number(hang);
  const limitMs = watchdogMs(env);
  if (limitMs === 0) return { stop() {} };
  const sab = new SharedArrayBuffer(WATCH_BYTES);
  k.host.watch = new Int32Array(sab, 0, WATCH_CELLS);
  const worker = new Worker(new URL("./watchdog_worker.js", import.meta.url), { workerData: { sab, limitMs } });
  worker.unref();
  // A worker that fails to start must not take tsix down: the watchdog is a safety net.
  worker.on("error", () => {});
  return {
    stop() {
      k.host.watch = null;
      void worker.terminate();
    },
  };
}
