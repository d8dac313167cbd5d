// Kernel state is plain data: after a busybox session with a pipe holding
// data in flight, an open tmpfs file, an open /proc file, a FIFO, the
// console tty and /proc and /sys reads, walking the kernel object graph
// finds no function value outside the declared non-state roots
// (graph.ts NON_STATE_ROOTS) and the allowlist below, and structuredClone
// copies the state.
//
// Concepts: C84 (state as data), C68 (operation tables by name), C14 (ttys
// and devices), C69 (procfs nodes named by path).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Kernel } from "../../../kernel/kernel.js";
import { bootScript, functionPaths, allowed, stateView } from "./graph.js";

/** Function values that remain under k, each with the reason it is not kernel state: */
const ALLOW: readonly { path: string; why: string }[] = [
  { path: "k.mmctx.kernel", why: "a back-reference to the kernel itself (file page-ins, TLB shootdowns); the walk would leave the state through it" },
];


const SCRIPT = [
  "echo tmpdata > /tmp/f",
  "exec 3</tmp/f",                  // an open tmpfs file
  "exec 4</proc/self/status",       // an open procfs file
  "cat /proc/loadavg /proc/meminfo /sys/devices/system/cpu/online /proc/sys/kernel/hostname > /dev/null",
  "mkfifo /tmp/ff",
  // A pipeline whose pipe holds data in flight: the writer wrote a line and both ends now wait on the FIFO.
  "{ echo in-flight; read x < /tmp/ff; } | { read y < /tmp/ff; cat; } &",
  "echo ready",
  "read line",                      // PID 1 waits on the console tty: the system goes idle
].join("\n");

function isPipeWithData(v: unknown): boolean {
  const p = v as { pages?: unknown; len?: unknown; readers?: unknown };
  return !!p && Array.isArray(p.pages) && typeof p.len === "number" && p.len > 0 && typeof p.readers === "number";
}

test("a booted kernel's state holds no function values outside the declared roots and allowlist, and structuredClone copies it", async () => {
  const b = await bootScript(SCRIPT);
  let walked: { paths: string[]; objects: number } | null = null;
  let cloneError: unknown = null;
  let clone: Record<string, unknown> | null = null;
  let livePipes = 0;
  const status = await b.runUntilIdle((k: Kernel) => {
    walked = functionPaths(k);
    // Everything a snapshot would copy: the state minus the roots; of mmctx, the
    // physical-memory tables and the VM state (not the machine handles or the back-reference).
    const view = stateView(k);
    view.mmctx = { pm: k.mmctx.pm, vm: k.mmctx.vm };
    const seen = new Set<unknown>();
    const visit = (v: unknown): void => {
      if (v === null || typeof v !== "object" || seen.has(v)) return;
      seen.add(v);
      if (isPipeWithData(v)) livePipes++;
      if (ArrayBuffer.isView(v)) return;
      if (v instanceof Map) { for (const [a, c] of v) { visit(a); visit(c); } return; }
      if (v instanceof Set) { for (const a of v) visit(a); return; }
      for (const x of Object.values(v)) visit(x);
    };
    visit(view);
    try { clone = structuredClone(view); } catch (e) { cloneError = e; }
  });
  assert.equal(status, 0, b.out());
  assert.match(b.out(), /ready/, "the script ran up to its read");
  assert.ok(walked, "the system went idle and the graph was walked");
  const w = walked as { paths: string[]; objects: number };
  assert.ok(w.objects > 1000, `a booted kernel is a large graph (visited ${w.objects} objects)`);
  assert.ok(livePipes >= 1, "the walk saw the pipe with its data in flight");
  const stray = w.paths.filter((p) => !allowed(p, ALLOW.map((a) => a.path)));
  assert.deepEqual(stray, [], `function values in kernel state:\n${stray.join("\n")}`);
  assert.equal(cloneError, null, `structuredClone of the kernel state failed: ${String(cloneError)}`);
  const c = clone as unknown as { tasks: Map<number, unknown> };
  assert.ok(c.tasks instanceof Map && c.tasks.size >= 4, "the copy has the processes (init, sh, the pipeline)");
});
