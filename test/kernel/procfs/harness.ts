// Harness of the procfs/sysfs tests: boot a kernel in this process with proc,
// sysfs and the UART console registered (as the real boot does), an
// initramfs holding a test program, and run that program as PID 1 with its
// stdio on /dev/console. The program (progs/procfs_ops.c) prints what it
// reads from /proc in frames the tests parse with `frames`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCore } from "../../../host/node/core.js";
import type { Kernel } from "../../../kernel/index.js";
import { createVm, runVm } from "../../../vmm/vmm.js";
import { bytesExecFile } from "../../../kernel/proc/exec.js";
import { spawnInit } from "../../../kernel/proc/spawn.js";
import { vfsInit, stdioFdTable } from "../../../kernel/fs/init.js";
import { writeCpio, type CpioEntry, S_IFDIR, S_IFREG } from "../../../kernel/fs/cpio.js";
import { registerProcFs } from "../../../kernel/fs/proc/root.js";
import { registerSysFs } from "../../../kernel/fs/sysfs/sysfs.js";
import { initConsole } from "../../../kernel/drivers/uart.js";
import type { Task } from "../../../kernel/proc/task.js";

export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const PROGS = join(SRC_ROOT, "test/kernel/procfs/progs");
const CACHE = join(SRC_ROOT, "build/kernel-procfs");
const CC = "riscv64-linux-gnu-gcc";

export const haveCc = spawnSync("sh", ["-c", `command -v ${CC}`], { stdio: "ignore" }).status === 0;
export const skipNoCc = haveCc ? false : `${CC} is not installed`;

/** Compile progs/NAME.c statically (cached by source hash). */
export function program(name: string): Uint8Array {
  const src = join(PROGS, `${name}.c`);
  const flags = ["-O2", "-static", "-w"];
  const hash = createHash("sha256").update(flags.join(" ")).update(readFileSync(src)).digest("hex").slice(0, 16);
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

export interface Run { status: number; out: string; log: string; k: Kernel }

let core: WebAssembly.Module | undefined;

/** Boot and run /bin/NAME ARGS... as PID 1. */
export async function runProg(name: string, args: string[], opts: { cpus?: number; setup?: (k: Kernel, t: Task) => void; env?: string[]; insnsPerTick?: number } = {}): Promise<Run> {
  core ??= loadCore();
  let out = "";
  const logs: string[] = [];
  const dec = new TextDecoder();
  const vm = createVm(core, {
    memBytes: 64 << 20, cpus: opts.cpus ?? 1, clock: "instret", insnsPerTick: opts.insnsPerTick,
    jit: process.env.TSIX_TEST_JIT !== "off", // the second tier on, as the CLI has it; TSIX_TEST_JIT=off: the interpreter alone
    consoleOut: (b) => { out += dec.decode(b, { stream: true }); }, logEcho: (l) => logs.push(l),
  });
  if (process.env.TSIX_TEST_JIT !== "off") vm.machine.jit.setWarmup(0); // translate from the start, as the bare suites do
  const k = vm.kernel;
  registerProcFs(k);
  registerSysFs(k);
  initConsole(k);
  const bin = program(name);
  const d = (path: string, mode = 0o755): CpioEntry => ({ path, mode: S_IFDIR | mode, uid: 0, gid: 0, mtime: 1700000000 });
  const entries: CpioEntry[] = [d("."), d("bin"), d("etc"), d("tmp", 0o1777),
    { path: `bin/${name}`, mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 1700000000, data: bin }];
  const fs = vfsInit(k, writeCpio(entries));
  const path = `/bin/${name}`;
  const t = spawnInit(k, bytesExecFile(k.pm, bin, path), null, path, [path, ...args],
    opts.env ?? ["PATH=/bin", "HOME=/", "TSIXTEST=yes"], fs, stdioFdTable(k));
  if (typeof t === "number") throw new Error(`spawnInit failed: ${t}`);
  opts.setup?.(k, t);
  const timer = setTimeout(() => { logs.push("TIMEOUT"); k.halted = true; k.exitStatus = 124; }, 60_000);
  const status = (await runVm({ machine: k.machine, kernel: k }, { wakeIdle: () => new Promise((r) => setTimeout(r, 2)), yieldToHost: () => new Promise((r) => setImmediate(r)) })).status;
  clearTimeout(timer);
  return { status, out: out.replace(/\r\n/g, "\n"), log: logs.join("\n"), k };
}

/** Frames of procfs_ops output: "cat PATH" / "ls PATH" -> { body, result }. */
export function frames(out: string): Map<string, { body: string; result: number }> {
  const m = new Map<string, { body: string; result: number }>();
  const re = />> (cat|ls) (\S+)\n([\s\S]*?)\n?<< (-?\d+)\n/g;
  for (let x = re.exec(out); x; x = re.exec(out)) {
    m.set(`${x[1]} ${x[2]}`, { body: x[3], result: Number(x[4]) });
  }
  return m;
}

/** The value of a ">> link PATH=..." or ">> write PATH = N" / ">> open PATH = N" line. */
export function lineValue(out: string, prefix: string): string | undefined {
  for (const l of out.split("\n")) if (l.startsWith(prefix)) return l.slice(prefix.length);
  return undefined;
}
