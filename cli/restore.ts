// `tsix restore FILE` continues a system from a snapshot file (taken with
// `tsix run --snapshot-at`, `--snapshot-on-signal` or the console's Ctrl-] s)
// in this new process: the same machine settings, RAM, harts, devices and
// kernel state; the image it booted from and the host directories of its
// --mount, found again by path; this process's terminal or pipes as its
// console or host streams. It exits with init's status, as `tsix run` does.
//
// A file that is not a snapshot, is truncated or corrupt, or that this tsix
// cannot read, and a world that has changed under it (the image or a shared
// directory gone), each give one line on stderr and exit status 2.
//
// Concepts: C84 (restore in another process; deterministic replay).
import { existsSync, statSync } from "node:fs";
import { readSnapshotFile, SnapshotFileError } from "../host/node/snapshot_file.js";
import { StateCodecError, type EncodedGraph } from "../vmm/state_codec.js";
import { SnapshotError, SNAPSHOT_VERSION } from "../vmm/snapshot.js";
import { MachineStateError } from "../hw/snapshot.js";
import { UsageError, optionValue } from "./args.js";
import { parseRunArgs, parseTraceOption, runSystem, type RunOptions } from "./run.js";
import { imageOfSnapshot, parseSnapshotOption, type RunSnapshotMeta, type SnapshotOptions } from "./snapshot.js";

const USAGE = `usage: tsix restore [options] FILE
Continues the system saved in FILE (by tsix run --snapshot-at / --snapshot-on-signal, or Ctrl-] s at the
console) in this process; exits with the status of its command.
  --stats                end stderr with instructions=... (counted from power-on, as the snapshot holds them)
  --trace KIND[,KIND...] syscall (every system call on stderr) and/or sched=FILE (the scheduler's
                         trace-event JSON, see tsix run --help)
  --snapshot-at N FILE   snapshot again once N instructions (counted from power-on) have retired
  --snapshot-on-signal SIG FILE
                         snapshot again on host signal SIG (SIGUSR1 or SIGUSR2)`;

/** Check that a header's meta is one tsix run wrote (the file's checksums already passed). */
function checkMeta(file: string, meta: unknown): RunSnapshotMeta {
  const m = meta as Partial<RunSnapshotMeta> | null;
  if (!m || m.kind !== "tsix-system") throw new UsageError(`${file} is not a snapshot of a tsix system`);
  if (m.version !== SNAPSHOT_VERSION) throw new UsageError(`${file} is a tsix system snapshot of version ${String(m.version)}; this tsix restores version ${SNAPSHOT_VERSION}`);
  if (!m.config || !m.image || !Array.isArray(m.mounts) || !Array.isArray(m.stdio) || !m.written || !m.boot) {
    throw new UsageError(`${file} is corrupt (its header lacks what a restore needs)`);
  }
  return m as RunSnapshotMeta;
}

export async function restoreMain(argv: string[]): Promise<number> {
  let file: string | undefined;
  let stats = false;
  const tracers: Pick<RunOptions, "trace" | "schedTrace"> = { trace: false };
  const snapshots: SnapshotOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "-h": case "--help": process.stdout.write(USAGE + "\n"); return 0;
      case "--stats": stats = true; break;
      case "--trace": parseTraceOption(optionValue(argv, i++, a), tracers); break;
      case "--snapshot-at": case "--snapshot-on-signal": i = parseSnapshotOption(argv, i, snapshots); break;
      default:
        if (a.startsWith("-")) throw new UsageError(`unknown option ${a} (see tsix restore --help)`);
        if (file !== undefined) throw new UsageError(`restore takes one snapshot file (got ${file} and ${a})`);
        file = a;
    }
  }
  if (file === undefined) throw new UsageError("restore needs a snapshot FILE (see tsix restore --help)");
  let read: { meta: unknown; enc: { graph: unknown; blob: Uint8Array } };
  try {
    read = readSnapshotFile(file);
  } catch (e) {
    if (e instanceof SnapshotFileError) throw new UsageError(e.message);
    throw e;
  }
  const meta = checkMeta(file, read.meta);
  for (const m of meta.mounts) {
    if (!existsSync(m.host) || !statSync(m.host).isDirectory()) {
      throw new UsageError(`the host directory ${m.host} of --mount ${m.host}:${m.guest} is gone (restore re-attaches it by path: put it back there)`);
    }
  }
  const image = imageOfSnapshot(meta);
  // The run's options, as the snapshot's system was started with (a reboot after restore boots the same way).
  const base = parseRunArgs([]);
  if (base === "help") return 0;
  const c = meta.config;
  const o: RunOptions = {
    ...base,
    mounts: meta.mounts.map((m) => ({ host: m.host, guest: m.guest })),
    memBytes: c.memBytes, cpus: c.cpus, sched: c.sched, clock: c.clock, deterministic: c.deterministic, seed: c.seed, jit: c.jit, jitOptions: { ...(c.jitOptions ?? {}) }, interleave: c.interleave ?? base.interleave,
    image: image.path, init: meta.boot.init, command: meta.boot.command,
    ...tracers, stats, snapshots,
  };
  try {
    return await runSystem(o, { enc: read.enc as EncodedGraph, meta, image });
  } catch (e) {
    // The checksums passed, so this is a file made by another build of tsix, or crafted: still one line.
    if (e instanceof StateCodecError || e instanceof MachineStateError || e instanceof SnapshotError) {
      throw new UsageError(`${file} cannot be restored: ${(e as Error).message}`);
    }
    throw e;
  }
}
