// Compiles the AssemblyScript core (hw/core/index.ts) to dist/core.wasm.
// The core imports its memory from the host (env.memory) so that TypeScript
// and wasm share one WebAssembly.Memory.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
mkdirSync(join(root, "dist"), { recursive: true });
const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");
const args = [
  asc, "hw/core/index.ts", "-o", "dist/core.wasm", "-t", "dist/core.wat",
  "--runtime", "stub", "--importMemory", "--initialMemory", "512",
  "--importTable", "-O3", "--noAssert", "--converge",
];
if (process.argv.includes("--debug")) args.splice(args.indexOf("-O3"), 3, "--debug");
const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
