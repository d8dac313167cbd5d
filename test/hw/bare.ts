// Test harness for bare-metal programs: builds an assembly or C source with the
// Debian riscv64 cross toolchain into an M-mode ELF linked at 0x80000000, then
// runs it on tsix with `tsix machine --bare`, or on qemu-system-riscv64 (virt,
// -bios none) when that is installed, as a cross-check of the test itself.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { dirname, join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root: this file runs as dist/test/hw/bare.js. */
export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const COMMON = join(SRC_ROOT, "test/hw/common");
const BUILD = join(SRC_ROOT, "build/bare");
const TSIX = join(SRC_ROOT, "bin/tsix.js");

export const CROSS_GCC = "riscv64-linux-gnu-gcc";

/**
 * The bare-metal test programs run with the second execution tier, the CLI's
 * default, translating a pc the first time a taken branch or jump reaches it
 * (so that short test programs run mostly translated code); with
 * TSIX_TEST_JIT=off they run on the interpreter alone. CI runs the suite in
 * both modes (.ci/run).
 */
export const JIT_ARGS: string[] = process.env.TSIX_TEST_JIT !== "off" ? ["--jit", "on", "--jit-hot", "1"] : ["--jit", "off"];

/** Build `src` (path relative to the repo root, .S or .c) into an ELF; cached by content. */
export function buildBare(src: string, extraFlags: string[] = []): string {
  const abs = resolve(SRC_ROOT, src);
  const h = createHash("sha256");
  h.update(readFileSync(abs));
  h.update(readFileSync(join(COMMON, "bare.h")));
  h.update(readFileSync(join(COMMON, "link.ld")));
  h.update(extraFlags.join(" "));
  const out = join(BUILD, `${basename(abs).replace(/\.[cS]$/, "")}-${h.digest("hex").slice(0, 12)}.elf`);
  if (existsSync(out) && statSync(out).size > 0) return out;
  mkdirSync(BUILD, { recursive: true });
  const flags = [
    "-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany", "-nostdlib", "-nostartfiles", "-static",
    "-ffreestanding", "-fno-pic", "-no-pie", "-O1", "-I", COMMON, "-I", dirname(abs),
    "-T", join(COMMON, "link.ld"), "-Wl,-z,norelro", "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments",
    ...extraFlags, "-o", `${out}.${process.pid}.tmp`, abs,
  ];
  const r = spawnSync(CROSS_GCC, flags, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building ${src} failed:\n${r.stderr}`);
  // Test files run in parallel: publish the ELF whole, under its final name, in one step.
  renameSync(`${out}.${process.pid}.tmp`, out);
  return out;
}

export interface BareResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run an ELF on tsix (`tsix machine --bare`), feeding `input` to the UART. */
export function runTsix(elf: string, args: string[] = [], input = "", timeoutMs = 60_000): BareResult {
  const r = spawnSync(process.execPath, [TSIX, "machine", "--bare", elf, ...JIT_ARGS, ...args], {
    input, encoding: "utf8", timeout: timeoutMs,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Is qemu-system-riscv64 available for cross-checking tests? */
export function haveQemuSystem(): boolean {
  return spawnSync("qemu-system-riscv64", ["--version"]).status === 0;
}

/** Run an ELF on qemu-system-riscv64 -M virt -bios none (the reference machine). */
export function runQemuSystem(elf: string, input = "", timeoutMs = 60_000): BareResult {
  const r = spawnSync("qemu-system-riscv64", [
    "-M", "virt", "-bios", "none", "-nographic", "-monitor", "none", "-serial", "stdio",
    "-m", "128M", "-kernel", elf,
  ], { input, encoding: "utf8", timeout: timeoutMs });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
