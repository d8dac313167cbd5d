// The kernel's public entry point: everything a host, the vmm (vmm/) or the
// CLI may call. Code outside kernel/ imports the kernel from here (and the
// ABI's numbers from kernel/abi/), never from its internals, so that the
// kernel can be rearranged inside without touching its hosts; the rule is
// checked by test/arch/layers.test.ts.
//
// What is here, by the order a host uses it:
//   create a kernel for a machine the vmm made;     createKernel
//   boot it on an initramfs (PID 1);                bootKernel
//   drive it from the run loop: pick a task for a hart, hand it each trap,
//   deliver signals before a hart's task runs,
//   fire due timers, ask when the next one is due;  schedule, handleTrap, returnToUser, runTimers, nextTimerAt
//   feed it the host's console and stdio;          consoleInput, hostInput, ...
//   write back what it holds when it stops.        syncFilesystems
//   snapshot it, and resume it on a new machine.    kernelState, resumeKernel
//
// Concepts: C01 (the kernel's boundary, seen from its host), C10 (boot).
import type { Kernel } from "./kernel.js";
import type { Task } from "./proc/task.js";
import { POLICIES } from "./sched/sched.js";
import { nrQueued, policyName, policyPreemptive, sliceFor } from "./sched/core.js";
import { readSchedSysctls } from "./fs/proc/sys.js";

export type { Kernel, KernelOptions, Cpu, KernelStats } from "./kernel.js";
export type { Task } from "./proc/task.js";
export { createKernel, selectCpu } from "./kernel.js";
export { schedule } from "./sched/core.js";
export { runTimers, flushJournalTimers } from "./timers.js";
export { nowNs } from "./time/clock.js";
export { handleTrap, returnToUser } from "./trap/trap.js";
export { bootKernel, BootError, DEFAULT_INIT, type BootOptions } from "./boot.js";
export { syncFilesystems } from "./fs/mount.js";
// Block devices: reap a disk's completions while every hart idles; at power-off write every dirty buffer and wait for the disk.
export { virtioBlkPoll } from "./drivers/virtio_blk.js";
export { handleExternalInterrupt } from "./drivers/irq.js";
/** A partition scan started at boot still waits for its disk (the host lets the disk answer before init runs). */
export function blockScanPending(k: Kernel): boolean {
  return k.block.scanPending.length > 0;
}
export { startSyncAll, blockBusy } from "./block/buffer.js";
export { createRamDisk } from "./block/ramdisk.js";
// Layouts of on-disk formats, for host tools that read images (tsix fslab).
export { parseSuper as ext2ParseSuper, parseGroupDesc as ext2ParseGroupDesc, parseInode as ext2ParseInode, GD_SIZE as EXT2_GD_SIZE } from "./fs/ext2/layout.js";
export { parseBpb as fatParseBpb, type FatGeometry } from "./fs/vfat/bpb.js";
export { consoleTx, consoleInput, consoleEndOfInput, consoleResize } from "./drivers/uart.js";
export { kernelState, resumeKernel, type KernelState } from "./snapshot.js";
export { initHostStdio, attachHostStdio, hostInput, hostInputEnd, hostOutputBroken } from "./drivers/hostio.js";
export { enableSyscallTrace } from "./trace/strace.js";
// User-mode networking (tsix run --net user): the host's events go to the kernel between run slices.
export { netUserPoll, netUnsent } from "./net/inet.js";
export type { HostNet, HostNetEvent } from "./net/inet_types.js";
export type { HostFs, HostStat, HostDirEntry, HostHandle } from "./fs/hostfs/hostfs.js";
// Host answers that come later (host/hostfs.ts): hand them over between run slices; count what is in flight.
export { hostComplete, hostRequestsInFlight } from "./fs/hostfs/hostfs.js";
// After a snapshot is restored in a new process: re-attach the --mount shares to fresh adapters.
export { hostfsReattach } from "./fs/hostfs/hostfs.js";
export { parseCpio, writeCpio, type CpioEntry, S_IFMT, S_IFREG, S_IFDIR, S_IFLNK } from "./fs/cpio.js";

export { checkSchedSysctl, schedSysctlNames } from "./fs/proc/sys.js";
export { DEFAULT_POLICY } from "./sched/sched.js";
export { REPLACEMENT_POLICIES } from "./mm/replace.js";
export { hasSwapSignature, makeSwapHeader, parseSwapHeader, MIN_SWAP_PAGES, SWAP_PAGE } from "./mm/swap_format.js";
export { reclaim } from "./mm/reclaim.js";

/** The scheduling policies a kernel can be created with (KernelOptions.sched). */
export function schedPolicyNames(): string[] {
  return [...POLICIES.keys()];
}

export { nextTimerAt } from "./time/timer.js";

/** Whether a task waits on a run queue for a hart. */
export function hasReadyTask(k: Kernel): boolean {
  return nrQueued(k) > 0;
}

// Seeing the scheduler (tsix run --trace sched=FILE, --sched-report; tsix trace; tsix schedlab).
export { subscribe, type TraceEvents, type TraceName, type SchedState } from "./trace/tracepoint.js";
export { policyName, policyPreemptive } from "./sched/core.js";
export { schedReportText, reportRows, reportAverages, formatReport, type SchedReportRow, type ReportAverages } from "./sched/report.js";

/**
 * The settings of the scheduling policy in force, for a trace's header
 * (name -> value): whether it preempts, the time slice it gives task `t`,
 * and every /proc/sys/kernel/sched_* setting.
 */
export function schedSettings(k: Kernel, t: Task): Record<string, number | string | boolean> {
  return { policy: policyName(k), preemptive: policyPreemptive(k), slice_ns: sliceFor(k, t), ...readSchedSysctls(k) };
}
