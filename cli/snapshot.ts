// Snapshots from the command line: `tsix run --snapshot-at N FILE`,
// `--snapshot-on-signal SIG FILE`, the interactive console's escape key
// (Ctrl-] then s), and what a snapshot file records besides the system's
// state so that `tsix restore FILE` (cli/restore.ts) can rebuild the world
// around it: the VM's settings, the image the system booted from (by path
// and SHA-256), the host directories of --mount (by path), which of PID 1's
// standard streams were the console and which the host's, and how much
// output the guest had written (where a restored run's output continues).
//
// A snapshot is taken at the run loop's next round boundary after it is asked
// for (vmm/run.ts VmHost.boundary), and the system goes on running.
//
// Concepts: C84 (snapshot and restore, seen from the user's side).
import { existsSync, statSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createHash } from "node:crypto";
import type { Vm } from "../vmm/vmm.js";
import { captureSystem, quiescent, retiredInstructions, vmConfig, SNAPSHOT_VERSION, type VmConfig } from "../vmm/snapshot.js";
import { writeSnapshotFile } from "../host/node/snapshot_file.js";
import { UsageError, optionValue } from "./args.js";

export type StdioKind = "console" | "host";

/** The initramfs a system boots from: where it was read and its bytes. */
export interface BootImage {
  path: string;
  bytes: Uint8Array;
  /** SHA-256 of the bytes, hex: worked out once, when a snapshot first records it. */
  sha256?: string;
}

/** --snapshot-at and --snapshot-on-signal. */
export interface SnapshotOptions {
  at?: { instructions: number; file: string };
  onSignal?: { signal: NodeJS.Signals; file: string };
}

/** What a snapshot file made by `tsix run` records beside the state (its header's meta). */
export interface RunSnapshotMeta {
  kind: "tsix-system";
  /** The contents' version (vmm/snapshot.ts SNAPSHOT_VERSION). */
  version: number;
  /** When it was taken (host time; not part of the guest's state). */
  created: string;
  /** Instructions retired by all harts when it was taken. */
  instructions: number;
  config: VmConfig;
  /** The initramfs the system booted from: tmpfs files still read from it, so restore needs the same bytes. */
  image: { path: string; sha256: string; bytes: number };
  /** Host directories shared with --mount, re-attached by path on restore. */
  mounts: { host: string; guest: string; source: string }[];
  /** PID 1's standard streams: the console (a tty) or the host's own streams. */
  stdio: StdioKind[];
  /** Bytes of guest output handed to the host's stdout and stderr before the snapshot. */
  written: { out: number; err: number };
  /** What a reboot after restore boots: init and its command. */
  boot: { init?: string; command: string[] };
}

/** Parse `--snapshot-at N FILE` or `--snapshot-on-signal SIG FILE` at argv[i]; returns the index of its last word. */
export function parseSnapshotOption(argv: string[], i: number, o: SnapshotOptions): number {
  const a = argv[i];
  const value = optionValue(argv, i, a);
  const file = argv[i + 2];
  if (file === undefined) throw new UsageError(`${a} needs ${a === "--snapshot-at" ? "N" : "SIG"} and a FILE, e.g. ${a} ${a === "--snapshot-at" ? "500000000" : "SIGUSR1"} sys.snap`);
  checkSnapshotPath(a, file);
  if (a === "--snapshot-at") {
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--snapshot-at needs a number of instructions (got '${value}')`);
    o.at = { instructions: Number(value), file };
  } else {
    const sig = value.toUpperCase().startsWith("SIG") ? value.toUpperCase() : `SIG${value.toUpperCase()}`;
    if (!["SIGUSR1", "SIGUSR2"].includes(sig)) throw new UsageError(`--snapshot-on-signal takes SIGUSR1 or SIGUSR2 (got '${value}'; the other signals stop tsix)`);
    o.onSignal = { signal: sig as NodeJS.Signals, file };
  }
  return i + 2;
}

function checkSnapshotPath(option: string, file: string): void {
  const dir = dirname(resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${option}: ${dirname(file)} is not a directory (the snapshot file's directory must exist)`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${option}: ${file} is a directory (give a file name, e.g. ${file.replace(/\/+$/, "")}/sys.snap)`);
}

/** SHA-256 of bytes, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The meta of a snapshot of `vm`, as `tsix run` started it. */
export function runSnapshotMeta(
  vm: Vm,
  o: { mounts: { host: string; guest: string }[]; init?: string; command: string[] },
  image: BootImage | undefined,
  stdio: StdioKind[],
  written: { out: number; err: number },
  mountSource: (i: number) => string,
): RunSnapshotMeta {
  if (!image) throw new Error("a snapshot before the image was loaded");
  return {
    kind: "tsix-system",
    version: SNAPSHOT_VERSION,
    created: new Date().toISOString(),
    instructions: retiredInstructions(vm),
    config: vmConfig(vm),
    image: { path: image.path, sha256: (image.sha256 ??= sha256(image.bytes)), bytes: image.bytes.length },
    mounts: o.mounts.map((m, i) => ({ host: m.host, guest: m.guest, source: mountSource(i) })),
    stdio: [...stdio],
    written: { ...written },
    boot: { init: o.init, command: [...o.command] },
  };
}

/** The image a snapshot refers to, read again and checked against its SHA-256. Throws UsageError. */
export function imageOfSnapshot(meta: RunSnapshotMeta): BootImage {
  const want = meta.image;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(want.path);
  } catch {
    throw new UsageError(`the image ${want.path} that the snapshot was taken on is gone (restore needs the same image at the same path)`);
  }
  if (bytes.length !== want.bytes || sha256(bytes) !== want.sha256) {
    throw new UsageError(`the image ${want.path} has changed since the snapshot was taken (its SHA-256 differs; restore needs the same image)`);
  }
  return { path: want.path, bytes, sha256: want.sha256 };
}

export interface Snapshotter {
  /** The run loop's boundary hook (VmHost.boundary): takes the snapshots asked for. */
  boundary: (vm: Vm) => Promise<void> | undefined;
  /** Resolves when a snapshot is asked for (an idle run loop waits for it too). */
  requested(): Promise<void>;
  /** Ask for a snapshot into `file` at the next boundary. */
  request(file: string): void;
  /** Remove the signal handler. */
  close(): void;
}

/**
 * The snapshot side of a run: the options' triggers and the escape key's,
 * each writing the whole system to its file at the next round boundary.
 * `meta` says what the file records besides the state.
 */
export function createSnapshotter(o: SnapshotOptions, io: { say: (line: string) => void; meta: (vm: Vm) => RunSnapshotMeta }): Snapshotter {
  let pending: string | null = null;
  let at = o.at;
  let wake: (() => void) | null = null;
  let waiting: Promise<void> | null = null;
  const request = (file: string): void => {
    pending = file;
    wake?.();
  };
  const onSignal = o.onSignal ? (): void => request(o.onSignal!.file) : null;
  if (onSignal) process.on(o.onSignal!.signal, onSignal);
  const take = (vm: Vm, file: string): void => {
    try {
      const t0 = performance.now();
      const meta = io.meta(vm);
      const enc = captureSystem(vm);
      const t1 = performance.now();
      const w = writeSnapshotFile(file, meta, enc);
      io.say(`snapshot written to ${file}: ${(w.bytes / 1048576).toFixed(2)} MiB at ${meta.instructions} instructions ` +
        `(capture ${(t1 - t0).toFixed(0)} ms, write ${w.ms.toFixed(0)} ms)`);
    } catch (e) {
      io.say(`cannot write the snapshot to ${file}: ${(e as Error).message}`);
    }
  };
  return {
    boundary(vm: Vm): undefined {
      if ((at || pending !== null) && !quiescent(vm)) return undefined; // a host answer is due: at a later boundary
      if (at && retiredInstructions(vm) >= at.instructions) {
        const file = at.file;
        at = undefined;
        take(vm, file);
      }
      if (pending !== null) {
        const file = pending;
        pending = null;
        take(vm, file);
      }
      return undefined;
    },
    requested(): Promise<void> {
      if (pending !== null) return Promise.resolve();
      waiting ??= new Promise<void>((r) => { wake = () => { wake = null; waiting = null; r(); }; });
      return waiting;
    },
    request,
    close(): void {
      if (onSignal) process.off(o.onSignal!.signal, onSignal);
    },
  };
}

/** The console's escape key: Ctrl-] (0x1d), as telnet's. */
export const ESCAPE_KEY = 0x1d;

/**
 * Filter the interactive console's input for the escape sequences:
 * Ctrl-] s writes a snapshot to ./tsix-DATE.snap; Ctrl-] Ctrl-] sends one
 * Ctrl-] to the guest; Ctrl-] followed by anything else sends both bytes.
 */
export function createEscapeFilter(s: Snapshotter, name: () => string = defaultSnapshotName): (input: Uint8Array) => Uint8Array {
  let escaped = false;
  return (input: Uint8Array): Uint8Array => {
    if (!escaped && !input.includes(ESCAPE_KEY)) return input;
    const out: number[] = [];
    for (const b of input) {
      if (escaped) {
        escaped = false;
        if (b === 0x73 /* s */) { s.request(name()); continue; }
        out.push(ESCAPE_KEY);
        if (b !== ESCAPE_KEY) out.push(b);
      } else if (b === ESCAPE_KEY) {
        escaped = true;
      } else {
        out.push(b);
      }
    }
    return Uint8Array.from(out);
  };
}

/** ./tsix-YYYYMMDD-HHMMSS.snap */
function defaultSnapshotName(): string {
  const d = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return resolve(`tsix-${d}.snap`);
}
