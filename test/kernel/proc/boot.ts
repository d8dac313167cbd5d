// Helpers of the process-lifecycle tests: cross-compile small static C
// programs (test/kernel/proc/progs/*.c and the demos in userland/src), put
// them in an initramfs, boot a tsix kernel in this Node process with a
// chosen PID 1, and collect its console output, exit status and kernel log.
// Concepts: C24, C44 (the programs under test), C10 (boot from an initramfs).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { homedir } from "node:os";
import { loadCore } from "../../../host/node/core.js";
import type { Kernel } from "../../../kernel/index.js";
import { createVm, runVm } from "../../../vmm/vmm.js";
import { bytesExecFile } from "../../../kernel/proc/exec.js";
import { spawnInit } from "../../../kernel/proc/spawn.js";
import { vfsInit, stdioFdTable } from "../../../kernel/fs/init.js";
import { writeCpio, parseCpio, type CpioEntry, S_IFDIR, S_IFREG, S_IFLNK } from "../../../kernel/fs/cpio.js";
import type { ClockMode } from "../../../hw/machine.js";
import { SYSCALL_NAMES } from "../../../kernel/abi/sysno.js";

export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const PROGS = join(SRC_ROOT, "test/kernel/proc/progs");
const DEMOS = join(SRC_ROOT, "userland/src");
const CACHE = join(SRC_ROOT, "build/kernel-proc");
export const CC = "riscv64-linux-gnu-gcc";

export const have = (cmd: string): boolean => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
export const haveCc = have(CC);
export const haveQemu = have("qemu-riscv64");

/** Compile test/kernel/proc/progs/NAME.c (or userland/src/NAME.c) statically; cached by source hash. */
export function program(name: string): Uint8Array {
  const src = existsSync(join(PROGS, `${name}.c`)) ? join(PROGS, `${name}.c`) : join(DEMOS, `${name}.c`);
  const text = readFileSync(src);
  const flags = ["-O2", "-static", "-Wall", "-pthread"];
  const hash = createHash("sha256").update(flags.join(" ")).update(text).digest("hex").slice(0, 16);
  const out = join(CACHE, `${name}-${hash}`);
  if (!existsSync(out)) {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${out}.tmp${process.pid}`;
    const r = spawnSync(CC, [...flags, "-o", tmp, src], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${CC} ${name}.c failed:\n${r.stderr}`);
    renameSync(tmp, out);
  }
  return readFileSync(out);
}

/** Path of the compiled binary on the host (for running it under qemu-riscv64). */
export function programPath(name: string): string {
  program(name);
  const src = existsSync(join(PROGS, `${name}.c`)) ? join(PROGS, `${name}.c`) : join(DEMOS, `${name}.c`);
  const flags = ["-O2", "-static", "-Wall", "-pthread"];
  const hash = createHash("sha256").update(flags.join(" ")).update(readFileSync(src)).digest("hex").slice(0, 16);
  return join(CACHE, `${name}-${hash}`);
}

let busyboxBytes: Uint8Array | null | undefined;
/** busybox-static from the default image, if that image has been built on this host. */
export function busybox(): Uint8Array | null {
  if (busyboxBytes !== undefined) return busyboxBytes;
  busyboxBytes = null;
  const home = process.env["TSIX_HOME"] || join(homedir(), ".cache", "tsix");
  const img = join(home, "images", "default.cpio");
  if (existsSync(img)) {
    for (const e of parseCpio(readFileSync(img))) {
      if ((e.path === "usr/bin/busybox" || e.path === "bin/busybox") && e.data && e.data.length > 100000) { busyboxBytes = e.data; break; }
    }
  }
  return busyboxBytes;
}

export interface FileSpec { path: string; data?: Uint8Array | string; mode?: number; target?: string }

/** An initramfs with the given files (parent directories made as needed). */
export function makeInitramfs(files: FileSpec[]): Uint8Array {
  const entries: CpioEntry[] = [{ path: ".", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 0 }];
  const dirs = new Set<string>();
  const addDir = (p: string): void => {
    if (p === "" || dirs.has(p)) return;
    addDir(p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
    dirs.add(p);
    entries.push({ path: p, mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 0 });
  };
  for (const d of ["bin", "tmp", "dev", "proc", "sys"]) addDir(d);
  for (const f of files) {
    const p = f.path.replace(/^\/+/, "");
    addDir(p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
    if (f.target !== undefined) entries.push({ path: p, mode: S_IFLNK | 0o777, uid: 0, gid: 0, mtime: 0, target: f.target });
    else {
      const data = typeof f.data === "string" ? new TextEncoder().encode(f.data) : f.data ?? new Uint8Array(0);
      entries.push({ path: p, mode: S_IFREG | (f.mode ?? 0o755), uid: 0, gid: 0, mtime: 0, data });
    }
  }
  return writeCpio(entries);
}

export interface BootResult {
  /** PID 1's exit status as the kernel reports it (exit code or 128 + signal), or null on timeout. */
  status: number | null;
  out: string;
  log: string[];
  k: Kernel;
}

export interface BootOptions {
  files: FileSpec[];
  /** PID 1's argv (argv[0] is its path in the image). */
  argv: string[];
  env?: string[];
  cpus?: number;
  clock?: ClockMode;
  timeoutMs?: number;
  memBytes?: number;
  /** Strace-like lines of every syscall (debugging). */
  trace?: (line: string) => void;
  /** eth0 is up, as with --net user, but with no host network behind it (only its own link-local address answers). */
  netUser?: boolean;
}

/** Boot a kernel from an initramfs and run PID 1 until it exits (or the timeout). */
export async function boot(o: BootOptions): Promise<BootResult> {
  let out = "";
  const log: string[] = [];
  const dec = new TextDecoder();
  const vm = createVm(loadCore(), {
    cpus: o.cpus ?? 1, clock: o.clock ?? "host", memBytes: o.memBytes ?? 128 * 1024 * 1024,
    jit: process.env.TSIX_TEST_JIT !== "off", // the second tier on, as the CLI has it; TSIX_TEST_JIT=off: the interpreter alone
    consoleOut: (b) => { out += dec.decode(b, { stream: true }); },
    logEcho: (l) => { log.push(l); },
  });
  if (process.env.TSIX_TEST_JIT !== "off") vm.machine.jit.setWarmup(0); // translate from the start, as the bare suites do
  const k = vm.kernel;
  if (o.netUser) k.net.user = true;
  const trace = o.trace;
  if (trace) k.host.traceSyscall = (t, nr, a, ret) => trace(`${t.tid} ${SYSCALL_NAMES[nr] ?? nr}(${a.slice(0, 4).map((x) => x.toString(16)).join(", ")}) = ${ret}`);
  const fs = vfsInit(k, makeInitramfs(o.files));
  const initPath = o.argv[0];
  const spec = o.files.find((f) => f.path.replace(/^\/+/, "") === initPath.replace(/^\/+/, ""));
  if (!spec || spec.data === undefined) throw new Error(`PID 1 ${initPath} is not among the files`);
  const bytes = typeof spec.data === "string" ? new TextEncoder().encode(spec.data) : spec.data;
  const t = spawnInit(k, bytesExecFile(k.pm, bytes, initPath), null, initPath, o.argv, o.env ?? ["PATH=/bin", "HOME=/"], fs, stdioFdTable(k));
  if (typeof t === "number") throw new Error(`spawnInit failed: ${t}`);
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; k.halted = true; }, o.timeoutMs ?? 60_000);
  const status = (await runVm({ machine: k.machine, kernel: k }, { wakeIdle: () => new Promise<void>((r) => { setTimeout(r, 5); }), yieldToHost: () => new Promise<void>((r) => { setImmediate(r); }) })).status;
  clearTimeout(timer);
  return { status: timedOut ? null : status, out, log, k };
}

/** The standard set of files: tinit as /sbin/init plus the named programs in /bin (and busybox if asked). */
export function standardFiles(progs: string[], withBusybox = false): FileSpec[] {
  const files: FileSpec[] = [{ path: "sbin/init", data: program("tinit") }];
  for (const p of progs) files.push({ path: `bin/${p}`, data: program(p) });
  const bb = withBusybox ? busybox() : null;
  if (bb) {
    files.push({ path: "bin/busybox", data: bb });
    for (const app of ["sh", "echo", "true", "false", "cat", "sleep", "ls"]) files.push({ path: `bin/${app}`, target: "busybox" });
  }
  return files;
}

/** Boot with tinit as PID 1 running `/bin/PROG ARGS`. */
export interface RunOptions {
  progs?: string[];
  busybox?: boolean;
  files?: FileSpec[];
  cpus?: number;
  clock?: ClockMode;
  timeoutMs?: number;
  trace?: (line: string) => void;
}

export function runProg(prog: string, args: string[] = [], extra: RunOptions = {}): Promise<BootResult> {
  const files = [...standardFiles([prog, ...(extra.progs ?? [])], extra.busybox), ...(extra.files ?? [])];
  return boot({ files, argv: ["/sbin/init", `/bin/${prog}`, ...args], cpus: extra.cpus, clock: extra.clock, timeoutMs: extra.timeoutMs, trace: extra.trace });
}

/** Kernel log lines that mean the kernel itself went wrong. */
export function oopses(r: BootResult): string[] {
  return r.log.filter((l) => /oops|TypeError|RangeError|ReferenceError/.test(l));
}

export function explain(r: BootResult): string {
  return `status ${r.status}\n--- console ---\n${r.out}\n--- kernel log ---\n${r.log.slice(-40).join("\n")}`;
}

export { writeFileSync };
