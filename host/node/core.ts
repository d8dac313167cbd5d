// Node host adapter: loads the compiled wasm core (dist/core.wasm) from disk.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileCore } from "../../hw/machine.js";

/** dist/core.wasm, next to the compiled TypeScript (this file runs as dist/host/node/core.js). */
export const CORE_WASM = join(dirname(fileURLToPath(import.meta.url)), "../../core.wasm");

export function loadCore(): WebAssembly.Module {
  if (!existsSync(CORE_WASM)) {
    throw new Error(`the wasm core is missing (${CORE_WASM}); run \`npm run build\` first`);
  }
  return compileCore(readFileSync(CORE_WASM));
}
