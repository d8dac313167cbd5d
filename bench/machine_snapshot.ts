// Machine snapshot figures (hw/snapshot.ts): boot tsix's kernel on a 256 MiB
// machine (deterministic mode, the default image) to an idle interactive
// shell, then time saveMachine and restoreMachine of the machine part and
// report the state's size (RAM pages kept, bytes in all). The kernel's own
// state is not part of this: bench/snapshot.ts measures whole-system
// snapshots through the CLI.
//
//   node dist/bench/machine_snapshot.js        (after npm run build)
//
// Figures are the best of REPS runs (TSIX_BENCH_REPS, default 5).
//
// Concepts: C84 (snapshot/restore).
import { readFileSync } from "node:fs";
import { loadCore } from "../host/node/core.js";
import { bootKernel } from "../kernel/index.js";
import { createVm, runVm } from "../vmm/vmm.js";
import { createMachine } from "../hw/machine.js";
import { saveMachine, restoreMachine, type MachineState } from "../hw/snapshot.js";
import { buildImage } from "../userland/image/build.js";

const REPS = Number(process.env.TSIX_BENCH_REPS ?? 5);
const MEM = 256 << 20;

/** Bytes of every typed array in a state (what a file layer would write before compressing). */
function stateBytes(v: unknown): number {
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (v === null || typeof v !== "object") return 0;
  return Object.values(v).reduce((n: number, x) => n + stateBytes(x), 0);
}

const img = await buildImage();
let out = "";
const vm = createVm(loadCore(), { memBytes: MEM, deterministic: true, consoleOut: (b) => { out += Buffer.from(b).toString("latin1"); } });
bootKernel(vm.kernel, readFileSync(img.path), { args: ["--", "sh"] });
const t0 = performance.now();
await runVm(vm, {
  wakeIdle: async () => { vm.kernel.halted = true; },
  yieldToHost: () => new Promise<void>((r) => { setImmediate(r); }),
});
const bootMs = performance.now() - t0;
const m = vm.machine;

let save = Infinity;
let restore = Infinity;
let clone = Infinity;
let state: MachineState | undefined;
for (let i = 0; i < REPS; i++) {
  let t = performance.now();
  state = saveMachine(m);
  save = Math.min(save, performance.now() - t);
  t = performance.now();
  const copy = structuredClone(state);
  clone = Math.min(clone, performance.now() - t);
  const fresh = createMachine(loadCore(), { memBytes: MEM, clock: "instret", rtcEpochNs: m.config.rtcEpochNs ?? undefined });
  t = performance.now();
  restoreMachine(fresh, copy);
  restore = Math.min(restore, performance.now() - t);
  if (Buffer.compare(Buffer.from(fresh.ram), Buffer.from(m.ram)) !== 0) throw new Error("restored RAM differs");
}
const s = state!;
const pages = s.ram.pages.length;
console.log(`booted to an idle shell in ${bootMs.toFixed(0)} ms, ${m.stats().instructions} instructions; console ends ${JSON.stringify(out.slice(-20))}`);
console.log(`snapshot: machine=${MEM >> 20}MiB ram_pages=${pages} of ${MEM / 4096} (${((100 * pages * 4096) / MEM).toFixed(1)}%) ` +
  `state_bytes=${stateBytes(s)} save_ms=${save.toFixed(1)} clone_ms=${clone.toFixed(1)} restore_ms=${restore.toFixed(1)} (best of ${REPS})`);
