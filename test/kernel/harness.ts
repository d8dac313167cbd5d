// Shared helpers of the kernel integration tests: run `tsix run` as a child
// process (as a user would), locate the default image and unpack it into a
// host directory (so that the same Debian binaries can run under
// qemu-riscv64 -L for comparison).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCpio, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../../kernel/fs/cpio.js";
import { buildImage, type BuildResult } from "../../userland/image/build.js";

/** Repository root: this file runs as dist/test/kernel/harness.js. */
export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const TSIX = join(SRC_ROOT, "bin/tsix.js");
/** The benchmark programs (bench.c, bench.lua), which some tests also run. */
export const BENCH_PROGRAMS = join(SRC_ROOT, "bench/programs");
const BUILD = join(SRC_ROOT, "build/kernel-tests");

export const have = (cmd: string): boolean => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

export interface RunResult { status: number | null; signal: string | null; stdout: string; stderr: string; ms: number }

/** `tsix run ARGS...` (synchronously), with `input` on stdin. */
/**
 * The tests run every `tsix run` as the CLI's default does, with the second
 * execution tier on (`--jit on`); TSIX_TEST_JIT=off runs them on the
 * interpreter alone (`--jit off`; a test that gives --jit itself overrides
 * it, the last one counts). CI runs the suite in both modes (.ci/run).
 */
function withJit(args: string[]): string[] {
  return args[0] === "run" ? ["run", "--jit", process.env.TSIX_TEST_JIT === "off" ? "off" : "on", ...args.slice(1)] : args;
}

export function tsix(args: string[], opts: { input?: string; timeout?: number; env?: NodeJS.ProcessEnv } = {}): RunResult {
  args = withJit(args);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [TSIX, ...args], {
    input: opts.input ?? "", encoding: "utf8", timeout: opts.timeout ?? 120_000, maxBuffer: 64 << 20,
    env: opts.env ?? process.env,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

/**
 * The same, without blocking the test runner (for tests that run long).
 * `onSpawn` gets the child process (to signal it while it runs).
 */
export function tsixAsync(args: string[], opts: { input?: string; timeout?: number; onSpawn?: (p: ChildProcess) => void } = {}): Promise<RunResult> {
  args = withJit(args);
  return new Promise((res) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [TSIX, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    opts.onSpawn?.(p);
    let stdout = "", stderr = "";
    p.stdout.setEncoding("utf8").on("data", (d) => { stdout += d; });
    p.stderr.setEncoding("utf8").on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill("SIGKILL"), opts.timeout ?? 300_000);
    p.on("close", (status, signal) => {
      clearTimeout(timer);
      res({ status, signal, stdout, stderr, ms: performance.now() - t0 });
    });
    p.stdin.end(opts.input ?? "");
  });
}

/** `tsix run -- sh -c SCRIPT`. */
export function sh(script: string, opts: { input?: string; timeout?: number; args?: string[] } = {}): RunResult {
  return tsix(["run", ...(opts.args ?? []), "--", "sh", "-c", script], opts);
}

/** Everything a failed run printed, for assertion messages. */
export function explain(r: RunResult): string {
  return `exit ${r.status}${r.signal ? ` (signal ${r.signal})` : ""}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

let image: BuildResult | undefined;
/** The default image (built once; cached by the builder). */
export async function defaultImage(): Promise<BuildResult> {
  image ??= await buildImage();
  return image;
}

/**
 * The default image (or `built`, another image) unpacked into a host directory (regular files,
 * directories and symlinks; device nodes are left out), for qemu-riscv64 -L.
 * Kept under build/ by the image's key, so it is unpacked once.
 */
export async function imageRootfs(built?: BuildResult): Promise<string> {
  const img = built ?? await defaultImage();
  const dir = join(BUILD, `rootfs-${img.key.slice(0, 16)}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  const tmp = `${dir}.tmp${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const e of parseCpio(readFileSync(img.path))) {
    if (e.path === ".") continue;
    const p = join(tmp, e.path);
    const type = e.mode & S_IFMT;
    if (type === S_IFDIR) mkdirSync(p, { recursive: true });
    else if (type === S_IFLNK) { mkdirSync(dirname(p), { recursive: true }); symlinkSync(e.target!, p); }
    else if (type === S_IFREG) {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, e.data ?? new Uint8Array(0));
      chmodSync(p, e.mode & 0o777);
    }
  }
  writeFileSync(join(tmp, ".complete"), "");
  // Test files run in parallel: the first complete copy wins, and a copy
  // another process may be using is never removed.
  if (existsSync(dir) && !existsSync(join(dir, ".complete"))) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch (e) {
    if (!existsSync(join(dir, ".complete"))) throw e;
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
