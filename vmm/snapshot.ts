// Whole-system snapshot and restore (concept C84): a running tsix - the
// machine (RAM, harts, devices) and the kernel (tasks, files, pipes with data
// in flight, timers, signal state, futex waiters, mounts, ttys) - captured
// between two rounds of the run loop and continued later, in another process.
//
// What a snapshot is: one object graph, { machine, kernel }, encoded by
// vmm/state_codec.ts into JSON plus a byte blob; the host turns that into a
// file (host/node/snapshot_file.ts: versioned, checksummed, compressed).
//   machine - hw/snapshot.ts: RAM stored sparse (pages that are not all zero;
//       free frames are dropped, since the kernel zeroes a frame when it
//       allocates it), the hart state blocks, every device;
//   kernel - kernel/snapshot.ts: the Kernel minus its handles on the machine
//       and the host.
// Two buffers are not copied but named (the codec's external buffers):
//   "memory" - the machine's WebAssembly.Memory: the kernel's views of RAM
//       and registers land on the new machine's memory;
//   "image" - the initramfs the system booted from: tmpfs files still read
//       their data from it, so it is referenced by its SHA-256 and given back
//       by the restoring host (the file layer checks the hash), as a qcow2
//       overlay refers to its backing file instead of copying it.
//
// When: only at the run loop's round boundary (vmm/run.ts calls
// VmHost.boundary), where no hart is inside a trap and no kernel code is on
// the stack, so the state is complete. In deterministic mode everything the
// guest sees is a function of the state, so a restored run continues exactly
// as the uninterrupted one does, byte for byte and instruction for
// instruction (test/vmm/snapshot.test.ts).
//
// Concepts: C84 (snapshot, restore, deterministic replay), C81 (the monitor
// can stop, copy and resume a whole machine).
import { saveMachine, restoreMachine, type MachineState } from "../hw/snapshot.js";
import * as K from "../kernel/index.js";
import { encodeGraph, decodeGraph, type EncodedGraph } from "./state_codec.js";
import type { JitOptions } from "../hw/jit/jit.js";
import { buildMachine, ownBuffer, DEFAULT_INTERLEAVE, MIN_INTERLEAVE, MAX_INTERLEAVE, type Vm, type VmOptions } from "./vmm.js";

/** The version of the snapshot's contents (the graph's shape); the file layer has its own. */
export const SNAPSHOT_VERSION = 3; // 2: the interleave quantum; per-hart CPU-time and schedstat counters in the kernel state; 3: per-hart work bytes (Cpu.workBytes), a host connection's deferred FIN (InetInfo.hostFin)

/** What a restore needs to rebuild the machine and the kernel, recorded beside the graph. */
export interface VmConfig {
  memBytes: number;
  cpus: number;
  clock: "host" | "instret";
  deterministic: boolean;
  seed: number;
  jit: boolean;
  /**
   * The JIT's policy and code cache as the run was started with them (tsix
   * run --jit-hot, --jit-warmup, --jit-cache): a restored system translates
   * as the original would have. Absent: the default policy. The warm-up still
   * left is machine state (the MACHINE block, hw/snapshot.ts), not a setting.
   */
  jitOptions?: JitOptions;
  sched: string;
  /** The hart interleave quantum (vmm/run.ts). */
  interleave: number;
}

/** The snapshot's graph: the machine and the kernel. */
export interface SystemState {
  machine: MachineState;
  kernel: K.KernelState;
}

export class SnapshotError extends Error {}

/** The settings of a VM, as recorded in a snapshot. */
export function vmConfig(vm: Vm): VmConfig {
  const k = vm.kernel;
  return {
    memBytes: vm.machine.memBytes,
    cpus: vm.machine.harts,
    clock: vm.machine.clock,
    deterministic: k.deterministic,
    seed: vm.options?.seed ?? 0,
    jit: vm.options?.jit ?? true,
    ...(vm.options?.jitOptions !== undefined ? { jitOptions: { ...vm.options.jitOptions } } : {}),
    sched: vm.options?.sched ?? K.DEFAULT_POLICY,
    interleave: vm.options?.interleave ?? DEFAULT_INTERLEAVE,
  };
}

/** Instructions the machine has retired (all harts). */
export function retiredInstructions(vm: Vm): number {
  return vm.machine.stats().instructions;
}

/**
 * Whether a snapshot may be taken now: no host request is in flight (a
 * --mount answer, a disk read), since the answer would arrive into a state
 * that no longer exists. A snapshot asked for meanwhile waits for the next
 * boundary.
 */
export function quiescent(vm: Vm): boolean {
  return K.hostRequestsInFlight(vm.kernel) === 0 && (vm.machine.blk?.inFlight() ?? 0) === 0;
}

/**
 * Capture the system (never perturbs it: it can go on running). Call only
 * at the run loop's boundary (VmHost.boundary) and when quiescent(vm).
 * Throws StateCodecError if anything in the state is not data.
 */
export function captureSystem(vm: Vm): EncodedGraph {
  // Frames the kernel has not allocated need not be stored (nor scanned): allocFrame
  // zeroes a frame before use (kernel/mm/phys.ts), so their stale bytes are never read.
  const pm = vm.kernel.pm;
  const machine = saveMachine(vm.machine, { skipPage: (f) => f >= pm.reserved && f < pm.refs.length && pm.refs[f] === 0 });
  const state: SystemState = { machine, kernel: K.kernelState(vm.kernel) };
  const external = new Map<ArrayBufferLike, string>([[vm.machine.memory.buffer, "memory"]]);
  if (vm.image) external.set(vm.image.buffer, "image");
  return encodeGraph(state, external);
}

/** What the restoring host gives: the compiled core, the image the system booted from, and the kernel's host sinks. */
export interface RestoreSpec {
  module: WebAssembly.Module;
  config: VmConfig;
  /** The initramfs the snapshot refers to (exactly the bytes it booted from), or undefined if it booted from none. */
  image?: Uint8Array;
  consoleOut?: (bytes: Uint8Array) => void;
  logEcho?: (line: string) => void;
}

/** The JIT settings a snapshot recorded: absent, or an object of whole, non-negative numbers under the names JitOptions knows. */
function checkJitOptions(v: unknown): JitOptions | undefined {
  if (v === undefined) return undefined;
  const names: (keyof JitOptions)[] = ["hot", "warmup", "hotEpoch", "sample", "translateCost", "savedTranslations", "translatedPay", "maxRegions", "maxCodeBytes"];
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new SnapshotError("the snapshot's JIT settings are not an object");
  const out: JitOptions = {};
  for (const [k, x] of Object.entries(v)) {
    if (!names.includes(k as keyof JitOptions)) throw new SnapshotError(`the snapshot's JIT settings hold an unknown setting '${k}'`);
    if (x === undefined) continue;
    if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw new SnapshotError(`the snapshot's JIT setting ${k} is not a whole number >= 0`);
    out[k as keyof JitOptions] = x;
  }
  return out;
}

/**
 * Rebuild a VM from a decoded snapshot: a fresh machine with the recorded
 * settings, its state restored, and the kernel resumed on it. The host then
 * re-attaches its things (host stdio, host directories, tracers) and runs it
 * with runVm. Throws SnapshotError when the graph is not a system's state.
 */
export function restoreVm(enc: EncodedGraph, spec: RestoreSpec): Vm {
  const il: unknown = spec.config.interleave;
  if (typeof il !== "number" || !Number.isInteger(il) || il < MIN_INTERLEAVE || il > MAX_INTERLEAVE) {
    throw new SnapshotError(`the snapshot's interleave quantum is not a whole number from ${MIN_INTERLEAVE} to ${MAX_INTERLEAVE}`);
  }
  const jitOptions = checkJitOptions(spec.config.jitOptions);
  const o: VmOptions = {
    memBytes: spec.config.memBytes, cpus: spec.config.cpus, clock: spec.config.clock,
    deterministic: spec.config.deterministic, seed: spec.config.seed, jit: spec.config.jit, sched: spec.config.sched,
    ...(jitOptions !== undefined ? { jitOptions } : {}),
    interleave: il,
    consoleOut: spec.consoleOut, logEcho: spec.logEcho,
  };
  const { machine, wire } = buildMachine(spec.module, o);
  const external = new Map<string, ArrayBufferLike>([["memory", machine.memory.buffer]]);
  const image = spec.image ? ownBuffer(spec.image) : undefined;
  if (image) external.set("image", image.buffer);
  const state = decodeGraph(enc, external) as Partial<SystemState> | null;
  if (!state || typeof state !== "object" || !state.machine || !state.kernel) throw new SnapshotError("the snapshot holds no machine and kernel state");
  restoreMachine(machine, state.machine);
  let kernel: K.Kernel;
  try {
    kernel = K.resumeKernel(machine, state.kernel, { consoleOut: spec.consoleOut, logEcho: spec.logEcho });
  } catch (e) {
    if (e instanceof RangeError) throw new SnapshotError(e.message);
    throw e;
  }
  wire.k = kernel;
  return { machine, kernel, options: o, image };
}
