// Node host adapter: loads the compiled wasm core (dist/core.wasm) from disk.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileCore } from "../../hw/machine.js";

/** dist/core.wasm, next to the compiled TypeScript (this file runs as dist/host/node/core.js). */
export const CORE_WASM = join(dirname(fileURLToPath(import.meta.url)), "../../core.wasm");

/** The compiled core, once per process (compiling takes a while; the module is immutable and shared by every machine). */
let compiled: WebAssembly.Module | undefined;

export function loadCore(): WebAssembly.Module {
  if (compiled) return compiled;
  if (!existsSync(CORE_WASM)) {
    throw new Error(`the wasm core is missing (${CORE_WASM}); run \`npm run build\` first`);
  }
  compiled = compileCore(readFileSync(CORE_WASM));
  return compiled;
}
