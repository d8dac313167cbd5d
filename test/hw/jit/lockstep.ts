// Lockstep comparison of the two execution tiers: the same bare-metal ELF on
// two machines, one interpreting only and one with the JIT translating every
// pc a taken branch reaches (hot = 1), run slice by slice with the same small
// random budgets. After every slice the whole hart state (registers, pc,
// privilege, every CSR, instret, the LR reservation) must be identical, and so
// must the UART output, the finisher and, every few slices and at the end,
// all of RAM. A slice ends at the first taken branch after its budget, which
// is where a region leaves when its count reaches the limit, so the JIT
// machine is compared right after its region exits.
import { readFileSync } from "node:fs";
import * as L from "../../../hw/core/layout.js";
import { createMachine, loadBareElf, type Machine } from "../../../hw/machine.js";
import { loadCore } from "../../../host/node/core.js";
import type { JitOptions } from "../../../hw/jit/jit.js";

/** Hart-state words that are statistics, not architectural state (the tiers count TLB hits differently). */
const SKIP = new Set([L.TLB_HITS / 8, L.TLB_MISSES / 8, L.TLB_FLUSHES / 8]);

const NAMES = new Map<number, string>(Object.entries(L)
  .filter(([k, v]) => typeof v === "number" && v >= L.PC && v < L.STATE_SIZE && /^[A-Z_]+$/.test(k) && !k.startsWith("M_"))
  .map(([k, v]) => [(v as number) / 8, k]));

function wordName(i: number): string {
  if (i < 32) return `x${i}`;
  if (i < 64) return `f${i - 32}`;
  return NAMES.get(i) ?? `state[${i * 8}]`;
}

export interface LockstepResult {
  slices: number;
  instructions: number;
  jitInstructions: number;
  regions: number;
  finished: string;
}

/** What every lockstep() run of this process compared so far (the coverage line of the lockstep tests; instructions retired, not instret). */
export const lockstepTally = { programs: 0, slices: 0, instructions: 0, jitInstructions: 0, regions: 0, ramCompares: 0 };

/** One line that says how much the lockstep runs of this process compared. */
export function lockstepCoverage(what: string): string {
  const t = lockstepTally;
  return `lockstep coverage (${what}): ${t.programs} programs, ${t.instructions} instructions in ${t.slices} compared slices ` +
    `(whole hart state after each; all of RAM ${t.ramCompares} times), ${t.jitInstructions} ` +
    `(${(100 * t.jitInstructions / Math.max(1, t.instructions)).toFixed(1)}%) of them in ${t.regions} translated regions`;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function hex(v: bigint): string { return "0x" + v.toString(16); }

/**
 * Run `elf` in lockstep; throws on the first divergence with the slice, the
 * pc it started at (the region's page) and every differing field.
 */
export function lockstep(elfPath: string, opts: { seed?: number; maxInstructions?: number; maxBudget?: number; memBytes?: number } = {}): LockstepResult {
  const bytes = readFileSync(elfPath);
  const mod = loadCore();
  const memBytes = opts.memBytes ?? 32 << 20;
  const outA: number[] = [], outB: number[] = [];
  const a = createMachine(mod, { memBytes, jit: false, onUartOutput: (b) => outA.push(b) });
  const b = createMachine(mod, { memBytes, jit: { hot: 1 }, onUartOutput: (x) => outB.push(x) });
  loadBareElf(a, bytes);
  loadBareElf(b, bytes);
  const next = rng(opts.seed ?? 1);
  const maxBudget = opts.maxBudget ?? 200;
  const max = opts.maxInstructions ?? 5_000_000;
  let slices = 0;
  // Instructions the compared slices retired (instret is no measure: some programs write it).
  let retired = 0;
  const compareRam = (where: string): void => {
    lockstepTally.ramCompares++;
    if (Buffer.compare(Buffer.from(a.ram.buffer, a.ram.byteOffset, a.ram.length),
      Buffer.from(b.ram.buffer, b.ram.byteOffset, b.ram.length)) === 0) return;
    for (let i = 0; i < a.ram.length; i++) {
      if (a.ram[i] !== b.ram[i]) {
        throw new Error(`${elfPath}: RAM differs ${where} at 0x${(L.RAM_PA + i).toString(16)}: interpreter ${a.ram[i]}, jit ${b.ram[i]}`);
      }
    }
  };
  while (!a.finished && a.stats().instructions < max) {
    const budget = 1 + (next() % maxBudget);
    const before = b.hartState(0)[L.PC / 8];
    const ra = a.runSlice(budget);
    const rb = b.runSlice(budget);
    retired += b.core.retired();
    slices++;
    const sa = a.hartState(0), sb = b.hartState(0);
    const diffs: string[] = [];
    for (let i = 0; i < L.STATE_SIZE / 8; i++) {
      if (SKIP.has(i) || i === L.X_SINK / 8) continue;
      if (sa[i] !== sb[i]) diffs.push(`${wordName(i)}: interpreter ${hex(sa[i])}, jit ${hex(sb[i])}`);
    }
    if (ra !== rb) diffs.push(`exit reason: interpreter ${ra}, jit ${rb}`);
    if (a.mtime() !== b.mtime()) diffs.push(`mtime: interpreter ${a.mtime()}, jit ${b.mtime()}`);
    if (outA.length !== outB.length || outA.some((c, i) => c !== outB[i])) diffs.push("UART output differs");
    if (JSON.stringify(a.finished) !== JSON.stringify(b.finished)) diffs.push(`finisher: ${JSON.stringify(a.finished)} vs ${JSON.stringify(b.finished)}`);
    if (diffs.length > 0) {
      throw new Error(`${elfPath}: the tiers diverge in slice ${slices} (budget ${budget}) that started at pc ` +
        `${hex(before)} (region page ${hex(before & ~0xfffn)}):\n  ${diffs.join("\n  ")}`);
    }
    if (slices % 64 === 0) compareRam(`after slice ${slices}`);
  }
  compareRam("at the end");
  const st = b.jit.stats();
  lockstepTally.programs++;
  lockstepTally.slices += slices;
  lockstepTally.instructions += retired;
  lockstepTally.jitInstructions += st.jitInstructions;
  lockstepTally.regions += st.regionsTranslated;
  return {
    slices, instructions: b.stats().instructions, jitInstructions: st.jitInstructions, regions: st.regionsTranslated,
    finished: JSON.stringify(a.finished),
  };
}

/** Run an ELF to the finisher on one machine; returns the machine for inspection. */
export function runElf(elfPath: string, jit: false | JitOptions, memBytes = 32 << 20): Machine {
  const m = createMachine(loadCore(), { memBytes, jit });
  loadBareElf(m, readFileSync(elfPath));
  for (let n = 0; !m.finished; n++) {
    m.runSlice(1 << 16);
    if (n > 20_000) throw new Error(`${elfPath}: no finish`);
  }
  return m;
}
