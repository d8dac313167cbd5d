// tsix's own C programs (userland/src/*.c: demos of fork, pipes, copy on write,
// exec, signals, faults, privileged instructions, orphans and a syscall fuzzer),
// compiled with the Debian riscv64 cross compiler for the image and for running
// under qemu-riscv64 in the tests. Binaries are cached by a hash of source and
// flags under $TSIX_HOME/build/programs, so a rebuild needs no compiler.
// Concepts: C22, C40, C59, C20, C44, C53, C03, C06 (the demos), C90 (the image).
//
// A program is linked statically unless its source has a directive line
//   /* tsix-build: dynamic */
// The same line may name the directory to install into (install=/usr/local/bin;
// default /usr/lib/tsix/bin), the installed file's name (name=tsix-init; default
// the source's name) and extra compiler flags (words starting with "-").
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { haveTool, runChecked } from "./run.js";

export const CROSS_CC = "riscv64-linux-gnu-gcc";
/** Where programs go in the image unless their source says otherwise. */
export const PROGRAM_DIR = "/usr/lib/tsix/bin";

/** userland/src of this checkout (this file runs as dist/userland/image/programs.js or from userland/image/). */
export function defaultSourceDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromDist = resolve(here, "../../../userland/src");
  return existsSync(fromDist) ? fromDist : resolve(here, "../src");
}

export interface ProgramSource {
  name: string;
  file: string;
  source: string;
  static: boolean;
  /** Absolute directory in the image. */
  installDir: string;
  flags: string[];
  /** sha256 of the flags and the source. */
  hash: string;
}

/** Parse a source's `tsix-build:` directive. */
export function programOptions(source: string): { static: boolean; installDir: string; name?: string; extra: string[] } {
  const m = /tsix-build:([^\n]*)/.exec(source);
  const words = m ? m[1]!.replace(/\*\/.*$/, "").trim().split(/\s+/).filter((w) => w !== "") : [];
  let isStatic = true;
  let installDir = PROGRAM_DIR;
  let name: string | undefined;
  const extra: string[] = [];
  for (const w of words) {
    if (w === "dynamic") isStatic = false;
    else if (w === "static") isStatic = true;
    else if (w.startsWith("install=")) installDir = w.slice("install=".length);
    else if (w.startsWith("name=")) name = w.slice("name=".length);
    else if (w.startsWith("-")) extra.push(w);
  }
  return { static: isStatic, installDir, extra, ...(name !== undefined ? { name } : {}) };
}

/** The programs in `srcDir` (every *.c file), sorted by name. */
export function listPrograms(srcDir = defaultSourceDir()): ProgramSource[] {
  if (!existsSync(srcDir)) return [];
  return readdirSync(srcDir)
    .filter((f) => f.endsWith(".c"))
    .sort()
    .map((f) => {
      const file = join(srcDir, f);
      const source = readFileSync(file, "utf8");
      const o = programOptions(source);
      const flags = ["-O2", "-Wall", ...(o.static ? ["-static"] : []), ...o.extra];
      const hash = createHash("sha256").update(JSON.stringify(flags)).update("\0").update(source).digest("hex");
      return { name: o.name ?? basename(f, ".c"), file, source, static: o.static, installDir: o.installDir, flags, hash };
    });
}

export interface BuiltProgram extends ProgramSource {
  /** Path of the binary on the host (in the cache). */
  binaryPath: string;
  /** Path in the image, e.g. /usr/lib/tsix/bin/fork_wait. */
  imagePath: string;
  cached: boolean;
}

/**
 * Compile every program (or take it from the cache). Throws when a program has
 * to be compiled and the cross compiler is missing, or when it does not compile.
 */
export async function buildPrograms(
  cacheDir: string,
  srcDir = defaultSourceDir(),
  onBuilt?: (p: BuiltProgram) => void,
): Promise<BuiltProgram[]> {
  mkdirSync(cacheDir, { recursive: true });
  const out: BuiltProgram[] = [];
  for (const p of listPrograms(srcDir)) {
    const binaryPath = join(cacheDir, `${p.name}-${p.hash.slice(0, 16)}`);
    const cached = existsSync(binaryPath);
    if (!cached) {
      if (!haveTool(CROSS_CC)) {
        throw new Error(`${CROSS_CC} is not installed; it compiles tsix's programs (apt-get install gcc-riscv64-linux-gnu)`);
      }
      const tmp = `${binaryPath}.tmp${process.pid}`;
      await runChecked(CROSS_CC, [...p.flags, "-o", tmp, p.file]);
      renameSync(tmp, binaryPath);
    }
    const built: BuiltProgram = { ...p, binaryPath, imagePath: `${p.installDir.replace(/\/+$/, "")}/${p.name}`, cached };
    onBuilt?.(built);
    out.push(built);
  }
  return out;
}
