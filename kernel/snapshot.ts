// The kernel's half of whole-system snapshot and restore: which parts of a
// Kernel are its state (everything a snapshot copies) and which are handles
// on things outside it (rebuilt or re-attached by whoever restores it).
//
// A Kernel is plain data except for five roots (test/kernel/state/
// plain-data.test.ts checks it):
//   machine, core, regs - the machine and the kernel's views of it: the
//       machine's own snapshot (hw/snapshot.ts) carries RAM, harts and
//       devices, and the restored kernel gets the new machine's;
//   host - the host's attachments (console sink, tracers, host stdio, host
//       directories, the watchdog's cell): the restoring host attaches its own;
//   syscalls - the syscall table, which is code: every kernel builds it.
// and one back-reference, mmctx.kernel (a file page-in calls its file
// system with the kernel), which is set again. Views over the machine's
// memory inside the state (the frame table's window on RAM) are stored by
// the snapshot codec as views of "the machine's memory" and land on the new
// machine's (vmm/state_codec.ts).
//
// Host-side identities inside the state - host descriptors of hostfs inodes
// and files - mean nothing in another process: hostfs re-resolves them when
// the host re-attaches its directories (fs/hostfs/hostfs.ts).
//
// Concepts: C84 (snapshot/restore: the kernel's state is data), C01 (the
// kernel's boundary: what is its and what is the host's).
import type { Machine } from "../hw/machine.js";
import { createHostHooks, readRtcNs, type Kernel, type KernelOptions } from "./kernel.js";
import { createRegs } from "./arch/regs.js";
import { buildSyscallTable } from "./syscalls/table.js";

/** The roots of a Kernel that are not its state (see the top of this file). */
export type NonStateRoot = "machine" | "core" | "regs" | "host" | "syscalls";

/** A kernel's state: the Kernel minus its handles on the machine and the host. */
export type KernelState = Omit<Kernel, NonStateRoot>;

/**
 * The state of `k`, sharing its objects (not a copy: encode it before the
 * kernel runs again). The only object made anew is mmctx, without its
 * back-reference to the kernel.
 */
export function kernelState(k: Kernel): KernelState {
  const { machine: _m, core: _c, regs: _r, host: _h, syscalls: _s, mmctx, ...rest } = k;
  return { ...rest, mmctx: { pm: mmctx.pm, vm: mmctx.vm, kernel: null } };
}

/**
 * A kernel on `machine` (restored with the machine's snapshot) from a
 * decoded state: its handles are the new machine's, its syscall table is
 * built afresh and its host attachments are empty (console sink and log echo
 * from `opts`); the host re-attaches the rest (host stdio, host directories,
 * tracers, the watchdog) before it runs. Throws RangeError when the state
 * is not one of a kernel for this machine's harts.
 */
export function resumeKernel(machine: Machine, state: KernelState, opts: Pick<KernelOptions, "consoleOut" | "logEcho"> = {}): Kernel {
  if (!Array.isArray(state.cpus) || state.cpus.length !== machine.harts) {
    throw new RangeError(`the kernel's state does not match a machine of ${machine.harts} harts`);
  }
  const k: Kernel = {
    ...state,
    // The wall clock is read again, as Linux does on resume: CLOCK_REALTIME jumps to the host's
    // time while CLOCK_MONOTONIC (the machine's mtime, restored) goes on from the snapshot. In
    // deterministic mode the RTC runs on mtime from a fixed epoch, so nothing moves.
    realtimeBase: state.deterministic ? state.realtimeBase : readRtcNs(machine) - machine.mtimeNumber() * 100,
    realtimeOffset: state.realtimeOffset ?? 0, // a snapshot from before clock_settime existed has none
    machine,
    core: machine.core,
    regs: createRegs(machine.memory),
    syscalls: buildSyscallTable(),
    host: createHostHooks(opts),
  };
  k.mmctx.kernel = k;
  return k;
}
