// Helpers of the kernel-state tests: boot a kernel in this process on the
// default image, and walk a kernel's object graph listing where function
// values are. Kernel state must be plain data (structuredClone-able, no
// closures) so that a snapshot can copy it and two kernels share nothing;
// these helpers are how the tests see whether it is.
//
// Concepts: C84 (kernel state as data: the precondition of snapshot/restore).
import { readFileSync } from "node:fs";
import { loadCore } from "../../../host/node/core.js";
import { bootKernel, type Kernel } from "../../../kernel/index.js";
import { createVm, runVm } from "../../../vmm/vmm.js";
import { defaultImage } from "../harness.js";

/**
 * Roots of a Kernel that are not kernel state, and why:
 *   machine, core, regs - the machine and the kernel's handles on it (the
 *     machine's own snapshot covers RAM, harts and devices);
 *   host - the host attachments (console sink, tracers, host dirs): a
 *     snapshot skips them and the restoring host attaches its own;
 *   syscalls - the immutable syscall table (code, rebuilt by every kernel).
 */
export const NON_STATE_ROOTS: readonly string[] = ["machine", "core", "regs", "host", "syscalls"];

/**
 * Every path under `k` (skipping `roots`) that holds a function value, with
 * array indexes and Map keys replaced by "*" and duplicates removed. Each
 * object is visited once (the first path that reaches it names it).
 * Returns the paths and how many objects were visited.
 */
export function functionPaths(k: Kernel, roots: readonly string[] = NON_STATE_ROOTS): { paths: string[]; objects: number } {
  const seen = new Set<object>();
  const found = new Set<string>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v === "function") { found.add(path); return; }
    if (v === null || typeof v !== "object") return;
    if (seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return;
    if (v instanceof Map) {
      for (const [key, val] of v) { walk(key, `${path}.<key>`); walk(val, `${path}.*`); }
      return;
    }
    if (v instanceof Set) { for (const x of v) walk(x, `${path}.*`); return; }
    if (Array.isArray(v)) { v.forEach((x) => walk(x, `${path}.*`)); return; }
    for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key], `${path}.${key}`);
  };
  const rec = k as unknown as Record<string, unknown>;
  for (const key of Object.keys(rec)) if (!roots.includes(key)) walk(rec[key], `k.${key}`);
  return { paths: [...found].sort(), objects: seen.size };
}

/** Does `path` fall under one of the allowlisted prefixes ("k.timers.*.fire" matches itself and anything below)? */
export function allowed(path: string, allow: readonly string[]): boolean {
  return allow.some((a) => path === a || path.startsWith(`${a}.`));
}

/** The kernel's state minus the non-state roots, as a plain record (what a snapshot would copy). */
export function stateView(k: Kernel, roots: readonly string[] = NON_STATE_ROOTS): Record<string, unknown> {
  const rec = k as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.keys(rec).filter((key) => !roots.includes(key)).map((key) => [key, rec[key]]));
}

export interface Booted {
  k: Kernel;
  /** Console output so far. */
  out: () => string;
  /** Run until every hart is idle waiting for input, then call `atIdle` (once) and halt. */
  runUntilIdle: (atIdle: (k: Kernel) => void) => Promise<number>;
}

/** Boot the default image in this process with `sh -c SCRIPT` as the command (console on a tty, virtual clock). */
export async function bootScript(script: string, memBytes = 64 << 20): Promise<Booted> {
  const img = await defaultImage();
  let out = "";
  const dec = new TextDecoder();
  const vm = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes, clock: "instret", consoleOut: (b) => { out += dec.decode(b, { stream: true }); } });
  const k = vm.kernel;
  bootKernel(k, readFileSync(img.path), { args: ["--", "sh", "-c", script] });
  return {
    k,
    out: () => out,
    runUntilIdle: async (atIdle) => (await runVm(vm, {
      wakeIdle: async () => { atIdle(k); k.halted = true; },
      yieldToHost: () => new Promise<void>((r) => { setImmediate(r); }),
    })).status,
  };
}
