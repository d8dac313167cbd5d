// Builds hw/core/fpu.ts on its own with asc into build/fpu/ (gitignored,
// cached by content) and instantiates it over a fresh WebAssembly.Memory laid
// out as in hw/core/layout.ts. Used by fpu.test.ts and bench/fpu.ts.
//
// The asc entry file is generated in build/fpu/ rather than kept under test/:
// tsc compiles everything under test/ and cannot type-check AssemblyScript.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { STATE, F, X, FCSR } from "../../../hw/core/layout.js";

/** Repository root: this file runs as dist/test/hw/fpu/fpuwasm.js. */
export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const BUILD = join(SRC_ROOT, "build/fpu");

// build/fpu/ is two levels below the root, so the import path is "../../hw/...".
const ENTRY_SOURCE = 'export { fpExec } from "../../hw/core/fpu";\n';

export function sha(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex").slice(0, 16);
}

/** Remove build/fpu/<prefix>-*.<ext> files other than `keep`. */
export function dropStale(prefix: string, ext: string, keep: string): void {
  for (const f of readdirSync(BUILD)) {
    if (f.startsWith(prefix + "-") && f.endsWith(ext) && join(BUILD, f) !== keep) {
      rmSync(join(BUILD, f), { force: true });
    }
  }
}

export interface Fpu {
  fpExec(insn: number): number;
  exports: WebAssembly.Exports;
  memory: WebAssembly.Memory;
  /** f0..f31 as raw 64-bit patterns. */
  f: BigUint64Array;
  /** x0..x31. */
  x: BigUint64Array;
  /** fcsr (low 32 bits of its slot). */
  fcsr: Uint32Array;
}

/**
 * Compile hw/core/fpu.ts (cached by the hash of its sources and asc) and
 * instantiate it. `entrySource` may add exports (the benchmark adds a loop);
 * `name` keeps such variants apart in build/fpu/.
 */
export async function loadFpu(entrySource = ENTRY_SOURCE, name = "fpu"): Promise<Fpu> {
  mkdirSync(BUILD, { recursive: true });
  const core = join(SRC_ROOT, "hw/core");
  const sources = readdirSync(core).filter((f) => f === "fpu.ts" || f === "layout.ts" || /^fpu_.*\.ts$/.test(f)).sort();
  const hash = sha(entrySource, readFileSync(join(SRC_ROOT, "node_modules/assemblyscript/package.json")),
    ...sources.flatMap((f) => [f, readFileSync(join(core, f))]));
  // FPU_WASM=path runs a module built elsewhere (e.g. a deliberately broken
  // variant, to check that the tests catch the bug).
  const wasmPath = (name === "fpu" ? process.env.FPU_WASM : undefined) ?? join(BUILD, `${name}-${hash}.wasm`);
  if (!existsSync(wasmPath)) {
    const entry = join(BUILD, `${name}-entry.ts`);
    writeFileSync(entry, entrySource);
    const tmp = `${wasmPath}.${process.pid}.tmp`;
    const r = spawnSync(process.execPath, [
      join(SRC_ROOT, "node_modules/assemblyscript/bin/asc.js"), entry,
      "--runtime", "stub", "--importMemory", "-O3", "--noAssert", "-o", tmp,
    ], { cwd: SRC_ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`asc failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}${r.error ?? ""}`);
    renameSync(tmp, wasmPath);
    dropStale(name, ".wasm", wasmPath);
  }
  const memory = new WebAssembly.Memory({ initial: 64 });
  const inst = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasmPath)), {
    env: {
      memory,
      abort: (_m: number, _f: number, line: number, col: number) => {
        throw new Error(`fpu.wasm abort at ${line}:${col}`);
      },
    },
  });
  const fpExec = inst.exports.fpExec as (insn: number) => number;
  return {
    fpExec,
    exports: inst.exports,
    memory,
    f: new BigUint64Array(memory.buffer, STATE + F, 32),
    x: new BigUint64Array(memory.buffer, STATE + X, 32),
    fcsr: new Uint32Array(memory.buffer, STATE + FCSR, 1),
  };
}
