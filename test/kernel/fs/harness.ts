// In-process harness for the VFS tests: boot a kernel whose root file system
// is an initramfs made here (the test programs under /bin plus whatever a
// test adds), run one static C program from test/kernel/fs/progs as PID 1
// with its output on the console sink, and return its exit status and
// output. The programs are cross-compiled with riscv64-linux-gnu-gcc at test
// time and cached under build/kernel-fs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, readlinkSync, statSync } from "node:fs";
import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCore } from "../../../host/node/core.js";
import type { Kernel } from "../../../kernel/index.js";
import { createVm, runVm } from "../../../vmm/vmm.js";
import { bytesExecFile } from "../../../kernel/proc/exec.js";
import { spawnInit } from "../../../kernel/proc/spawn.js";
import { createFdTable, installFd } from "../../../kernel/fs/fdtable.js";
import { vfsInit, stdioFiles } from "../../../kernel/fs/init.js";
import { writeCpio, type CpioEntry, S_IFDIR, S_IFREG } from "../../../kernel/fs/cpio.js";
import type { Creds, Task } from "../../../kernel/proc/task.js";
import type { BlockBackend } from "../../../hw/disk.js";
import { probeVirtioBlk } from "../../../kernel/drivers/virtio_blk.js";
import { rescanPartitions } from "../../../kernel/block/partitions.js";
import { blockNodesChanged } from "../../../kernel/fs/blockdev.js";

export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const PROGS = join(SRC_ROOT, "test/kernel/fs/progs");
const BUILD = join(SRC_ROOT, "build/kernel-fs");

export const haveCC = spawnSync("sh", ["-c", "command -v riscv64-linux-gnu-gcc"], { stdio: "ignore" }).status === 0;
export const skipNoCC = haveCC ? false : "riscv64-linux-gnu-gcc is not installed";

let core: WebAssembly.Module | undefined;

/** Compile DIR/NAME.c (default: progs/ here; cached by content). Returns the binary's bytes. */
export function program(name: string, dir = PROGS): Uint8Array {
  const src = join(dir, `${name}.c`);
  const flags = ["-O2", "-static", "-Wall"];
  const text = readFileSync(src);
  const hash = createHash("sha256").update(text).update(flags.join(" "));
  // A header the program includes from its own folder (#include "x.h") is part of what it is built from.
  for (const m of text.toString("latin1").matchAll(/^#include "([^"]+)"/gm)) hash.update(readFileSync(join(dir, m[1])));
  const h = hash.digest("hex").slice(0, 16);
  const out = join(BUILD, `${name}-${h}`);
  if (!existsSync(out)) {
    mkdirSync(BUILD, { recursive: true });
    // A temporary name of this process's own: test files run in parallel and may build the same program.
    const tmp = `${out}.${process.pid}.tmp`;
    const r = spawnSync("riscv64-linux-gnu-gcc", [...flags, "-o", tmp, src], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`riscv64-linux-gnu-gcc ${src} failed:\n${r.stderr}`);
    renameSync(tmp, out);
  }
  return readFileSync(out);
}

export interface RunOpts {
  args?: string[];
  /** Credentials of the program (default root). */
  creds?: Partial<Creds>;
  /** More initramfs members. */
  files?: CpioEntry[];
  /** Other programs to put in /bin. */
  extra?: string[];
  timeoutMs?: number;
  /** Called after boot, before the program runs. */
  setup?: (k: Kernel, t: Task) => void;
  /** Where NAME.c is (default test/kernel/fs/progs). */
  dir?: string;
  /** Harts (default 1) and scheduling policy (default: the kernel's, cfs) of the kernel. */
  cpus?: number;
  sched?: string;
  /** Guest RAM in bytes (default the kernel's, 256 MiB). */
  memBytes?: number;
  /** The guest clock (default instret; a host that answers later needs "host": an idle instret system jumps to its next timer without waiting). */
  clock?: "host" | "instret";
  /** A virtio disk (its MBR partitions are read before the program runs: /dev/vda, /dev/vda1..). */
  disk?: BlockBackend;
}

export interface RunResult { status: number; out: string; log: string; k: Kernel }

const dir = (path: string, mode = 0o755): CpioEntry => ({ path, mode: S_IFDIR | mode, uid: 0, gid: 0, mtime: 1700000000 });

/** Boot with NAME as PID 1 and run it to completion. */
export async function run(name: string, opts: RunOpts = {}): Promise<RunResult> {
  core ??= loadCore();
  const chunks: string[] = [];
  const logs: string[] = [];
  const dec = new TextDecoder();
  const vm = createVm(core, { consoleOut: (b) => chunks.push(dec.decode(b)), logEcho: (l) => logs.push(l), clock: opts.clock ?? "instret", cpus: opts.cpus, sched: opts.sched, memBytes: opts.memBytes, disk: opts.disk,
    jit: process.env.TSIX_TEST_JIT !== "off" }); // the second tier on, as the CLI has it; TSIX_TEST_JIT=off: the interpreter alone
  if (process.env.TSIX_TEST_JIT !== "off") vm.machine.jit.setWarmup(0); // translate from the start, as the bare suites do
  const k = vm.kernel;
  const bin = program(name, opts.dir);
  const entries: CpioEntry[] = [
    dir("."), dir("bin"), dir("etc"), dir("tmp", 0o1777), dir("home"), dir("home/user", 0o755),
    { path: `bin/${name}`, mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 1700000000, data: bin },
  ];
  for (const x of opts.extra ?? []) entries.push({ path: `bin/${x}`, mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 1700000000, data: program(x) });
  entries.push(...(opts.files ?? []));
  const fs = vfsInit(k, writeCpio(entries));
  if (opts.disk) {
    // What bootKernel does for disks: probe the virtio slots, read each MBR, make the /dev nodes.
    for (const d of probeVirtioBlk(k)) rescanPartitions(k, null, d.dev);
    blockNodesChanged(k);
  }
  const exe = bytesExecFile(k.pm, bin, `/bin/${name}`);
  const argv = [`/bin/${name}`, ...(opts.args ?? [])];
  const t = spawnInit(k, exe, null, `/bin/${name}`, argv, ["PATH=/bin", "HOME=/"], fs, createFdTable());
  if (typeof t === "number") throw new Error(`spawnInit failed: ${t}`);
  for (const f of stdioFiles(k, t)) installFd(t.files, f, false);
  if (opts.creds) Object.assign(t.tg.creds, opts.creds);
  opts.setup?.(k, t);
  const limit = opts.timeoutMs ?? 60_000;
  const timer = setTimeout(() => { logs.push("TIMEOUT"); k.halted = true; k.exitStatus = 124; }, limit);
  let status: number;
  try {
    status = (await runVm({ machine: k.machine, kernel: k }, { wakeIdle: () => new Promise((r) => setTimeout(r, 2)), yieldToHost: () => new Promise((r) => setImmediate(r)) })).status;
  } finally {
    clearTimeout(timer);
  }
  return { status, out: chunks.join(""), log: logs.join("\n"), k };
}

/** An assertion message with everything the run printed. */
export function explain(r: RunResult): string {
  return `exit ${r.status}\n--- output ---\n${r.out}\n--- kernel log ---\n${r.log}`;
}

/** What test/kernel/fs/progs/fs_host.c leaves in the host directory it ran on (the same for every kind of share). */
export function assertFsHostResults(dir: string): void {
  assert.equal(readFileSync(join(dir, "out.txt"), "utf8"), "Grom guest\nmore\n");
  assert.equal(statSync(join(dir, "out.txt")).mode & 0o777, 0o640);
  assert.equal(readFileSync(join(dir, "renamed", "b"), "utf8"), "aa");
  assert.equal(statSync(join(dir, "renamed", "b")).mode & 0o777, 0o600);
  assert.equal(readlinkSync(join(dir, "renamed", "l")), "b");
  assert.ok(!existsSync(join(dir, "renamed", "c")));
  assert.ok(!existsSync(join(dir, "newdir")));
  const map = readFileSync(join(dir, "map.bin"));
  assert.equal(map.length, 8192);
  assert.equal(map.subarray(0, 5).toString(), "WRITE");
  assert.equal(map.subarray(4096, 4102).toString(), "mapped");
}
