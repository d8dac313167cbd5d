// The virtual machine monitor: it owns the machine (hw/), the kernel that
// runs on it and the run loop (vmm/run.ts), and it is what power control
// reaches. The kernel never creates its machine: the vmm builds one, wires
// the devices' host-facing ends (the UART's transmitter to the console
// driver) and hands it to createKernel. When the guest asks reboot(2) for a
// restart, the vmm throws the machine and the kernel away and builds fresh
// ones, as pressing a reset button would; power off and halt end the system.
//
// Deterministic mode (`tsix run --deterministic`) is a machine setting as
// much as a kernel one, so it is decided here: the clock counts retired
// instructions, the RTC starts at a fixed epoch and runs on that clock, and
// the kernel's random pool is seeded (kernel/lib/random.ts).
//
// Layers: vmm/ sits above hw/, kernel/ (through kernel/index.ts only) and
// host/ (test/arch/imports.ts); the CLI and the tests' harnesses use it.
//
// Concepts: C81 (the VMM owns the machine; the guest OS runs on it), C10
// (power-on, boot, power off, reset), C84 (deterministic
// runs: every input of the guest reproducible), C01 (the kernel is a
// program the machine runs; the monitor stands outside both).
import { createMachine, type Machine, type ClockMode } from "../hw/machine.js";
import type { BlockBackend } from "../hw/disk.js";
import type { JitOptions } from "../hw/jit/jit.js";
import * as K from "../kernel/index.js";
import { runVm, type VmHost, type VmExit } from "./run.js";

export type { VmHost, VmExit } from "./run.js";
export { runVm, DEFAULT_INTERLEAVE, MIN_INTERLEAVE, MAX_INTERLEAVE } from "./run.js";

/** CLOCK_REALTIME at power-on in deterministic mode: 2025-01-01T00:00:00Z (a fixed epoch, not the host's). */
export const DETERMINISTIC_EPOCH_NS = 1735689600 * 1e9;

/**
 * The machine's options, and the kernel's (sched, deterministic, seed,
 * consoleOut, logEcho: KernelOptions); deterministic mode (see the top of
 * this file) also forces the instret clock.
 */
export interface VmOptions extends K.KernelOptions {
  /** Guest RAM in bytes (default 256 MiB). */
  memBytes?: number;
  cpus?: number;
  clock?: ClockMode;
  disk?: BlockBackend;
  /** Several disks, in slot order (vda, vdb, ...); when given, `disk` is ignored. */
  disks?: BlockBackend[];
  /** The second execution tier: on (the default) or off. */
  jit?: boolean;
  /**
   * Its hotness policy and code cache when on (hw/jit/jit.ts JitOptions; tsix
   * run --jit-hot, --jit-warmup, --jit-cache). A snapshot records them
   * (vmm/snapshot.ts VmConfig.jitOptions) and a restore runs with them again.
   */
  jitOptions?: JitOptions;
  /** Instructions a hart runs before the next hart gets its turn, with more than one hart (default DEFAULT_INTERLEAVE: vmm/run.ts). */
  interleave?: number;
  /** Instructions per 100 ns tick of the instret clock (default 10: the core as fast as the clock says; tests make it faster). */
  insnsPerTick?: number;
}

/** A machine and the kernel running on it. */
export interface Vm {
  readonly machine: Machine;
  readonly kernel: K.Kernel;
  /** The options it was made with (a snapshot records them: vmm/snapshot.ts). */
  readonly options?: VmOptions;
  /** The initramfs the kernel booted from, in a buffer of its own (a snapshot names it instead of copying it). */
  image?: Uint8Array;
}

/** Where the UART's transmitter delivers: the console driver of whichever kernel runs on the machine (set once it exists). */
export interface UartWire { k: K.Kernel | null }

/**
 * The machine of a VM with options `o` (deterministic mode forces the instret
 * clock and a fixed RTC epoch), its UART wired to `wire.k`'s console.
 */
export function buildMachine(module: WebAssembly.Module, o: VmOptions): { machine: Machine; wire: UartWire } {
  const deterministic = o.deterministic ?? false;
  const wire: UartWire = { k: null };
  const machine = createMachine(module, {
    memBytes: o.memBytes ?? 256 * 1024 * 1024,
    harts: o.cpus ?? 1,
    disk: o.disk,
    ...(o.disks !== undefined ? { disks: o.disks } : {}),
    clock: deterministic ? "instret" : o.clock ?? "host",
    ...(o.insnsPerTick !== undefined ? { insnsPerTick: o.insnsPerTick } : {}),
    ...(deterministic ? { rtcEpochNs: DETERMINISTIC_EPOCH_NS } : {}),
    jit: o.jit === false ? false : o.jitOptions ?? true,
    onUartOutput: (byte) => { if (wire.k) K.consoleTx(wire.k, byte); else o.consoleOut?.(Uint8Array.of(byte)); },
  });
  return { machine, wire };
}

/** Power on: a fresh machine, and a kernel for it (not booted yet: see bootVm). */
export function createVm(module: WebAssembly.Module, o: VmOptions = {}): Vm {
  const { machine, wire } = buildMachine(module, o);
  const kernel = K.createKernel(machine, {
    sched: o.sched, mmPolicy: o.mmPolicy, sysctl: o.sysctl, deterministic: o.deterministic ?? false, seed: o.seed, consoleOut: o.consoleOut, logEcho: o.logEcho,
  });
  wire.k = kernel;
  return { machine, kernel, options: o };
}

/** What one power-on does besides running the guest: the host attaches its things to each new kernel. */
export interface SystemHooks {
  /** A new machine and kernel exist (first power-on or after a restart): attach host things before boot. */
  created?(vm: Vm): void;
  /** The kernel has booted (PID 1 exists): e.g. feed it input that came meanwhile. */
  booted?(vm: Vm): void;
  /** A restored VM (SystemSpec.resume) is about to run: attach host things to it (not booted again). */
  resumed?(vm: Vm): void;
  /** The machine stopped (restart, power off, halt or init's exit): detach host things from it. */
  stopped?(vm: Vm, exit: VmExit): void;
}

export interface SystemSpec {
  module: WebAssembly.Module;
  vm: VmOptions;
  /** The initramfs every boot unpacks (or how to get it: a restored system needs it only when it reboots). */
  cpio: Uint8Array | (() => Promise<Uint8Array>);
  /** A restored VM to run first, instead of powering on (vmm/snapshot.ts restoreVm). */
  resume?: Vm;
  /** PID 1 and its setting, asked again at every boot (the host terminal's size may have changed). */
  boot: () => K.BootOptions;
  host: VmHost;
  hooks?: SystemHooks;
}

/**
 * Power on and run until the system ends: init exits (its status), or
 * reboot(2) powers off or halts (status 0). A restart builds a new machine
 * and kernel and boots again, in this process. Throws K.BootError when there
 * is no init to run.
 */
export async function runSystem(spec: SystemSpec): Promise<VmExit & { vm: Vm }> {
  let vm = spec.resume;
  let cpio: Uint8Array | undefined;
  for (;;) {
    if (vm) {
      spec.hooks?.resumed?.(vm);
    } else {
      cpio ??= ownBuffer(typeof spec.cpio === "function" ? await spec.cpio() : spec.cpio);
      vm = createVm(spec.module, spec.vm);
      vm.image = cpio;
      spec.hooks?.created?.(vm);
      K.bootKernel(vm.kernel, cpio, spec.boot());
      spec.hooks?.booted?.(vm);
    }
    const exit = await runVm(vm, spec.host);
    spec.hooks?.stopped?.(vm, exit);
    if (exit.power !== "restart") return { ...exit, vm };
    vm = undefined;
  }
}

/** `bytes` in an ArrayBuffer of its own (offset 0, exact length), so that a snapshot can name the buffer instead of copying it. */
export function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes;
  return new Uint8Array(bytes);
}
