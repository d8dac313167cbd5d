// Kernel memory charged to the machine's RAM. The guest's memory is the
// machine's RAM (--mem), but much of what the kernel keeps for the guest -
// pipe buffers, open files, inodes and directory entries, tasks - lives on
// the host's JavaScript heap. Left alone, a guest that makes such objects
// in a loop grows the host process without bound. Every subsystem that
// makes a sizeable object charges its bytes here first and uncharges them
// when it frees it; charges hold whole frames back from the frame allocator
// (phys.ts: allocFrame fails while only held-back frames are left), so
//   - the guest sees the memory as used (MemFree, statfs, sysinfo),
//   - when no frame is free the charge runs direct reclaim first (alloc.ts,
//     as every allocation a system call makes does); when that frees
//     nothing the charge fails and the syscall fails with ENOMEM / ENOSPC /
//     ENFILE, or page faults reach the OOM killer, and
//   - host memory stays near RAM + what the charges stand for (at most RAM).
// Small objects are charged as fixed estimates of their size (KMEM_*), as
// Linux charges slab objects to a memory cgroup.
//
// Concepts: C56 (running out of memory: ENOMEM, the OOM killer), C15 (RAM
// is finite), C59 (frames as the unit of physical memory).
import type { MmContext } from "./mm.js";
import { type PhysMem, PAGE_SIZE, FRAME_KERNEL, allocFrameNoZero } from "./phys.js";
import { reclaimRetry } from "./alloc.js";

/** Estimated host bytes of one open file (File + its per-open state). */
export const KMEM_FILE = 512;
/** One inode with its dentry and directory entry. */
export const KMEM_INODE = 1024;
/** One task: the PCB, saved registers, signal state (Linux: the 16 KiB kernel stack and task_struct). */
export const KMEM_TASK = 16384;
/** One epoll watch (Linux's epitem and its poll-table entry). */
export const KMEM_EPITEM = 256;
/** One byte-range lock record. */
export const KMEM_LOCK = 128;
/** One descriptor slot of an fd table. */
export const KMEM_FD_SLOT = 16;

/**
 * Frames a charge may not take: the guest's page faults may use them, kernel
 * objects may not (Linux's min_free_kbytes watermark). When kernel objects
 * have eaten everything else, the syscall making one more fails with ENOMEM
 * while processes can still fault in the pages they need to handle it,
 * close what they hold, and exit - instead of waking the OOM killer.
 */
function reserve(pm: PhysMem): number {
  return pm.minFree; // vm.min_free_kbytes / 4; max(256, 1/32 of RAM) by default
}

/** Frames needed to back `bytes` of charges. */
function pagesFor(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE);
}

/** Whether a charge of `bytes` fits in RAM as it is now (no reclaim). */
function fitsNow(pm: PhysMem, bytes: number): boolean {
  const pages = pagesFor(pm.kmemBytes + bytes);
  return pages <= pm.kmemPages || pages + reserve(pm) <= pm.freeTop;
}

/**
 * Charge `bytes` of kernel memory to RAM. When RAM has no room, direct
 * reclaim runs first (alloc.ts); returns false (and charges nothing) when
 * it freed nothing: the caller fails with ENOMEM (or the errno its call
 * gives for that).
 */
export function kmemCharge(ctx: MmContext, bytes: number): boolean {
  if (bytes <= 0) return true;
  const pm = ctx.pm;
  if (!fitsNow(pm, bytes) && !(reclaimRetry(ctx) && fitsNow(pm, bytes))) return false;
  pm.kmemBytes += bytes;
  pm.kmemPages = pagesFor(pm.kmemBytes);
  return true;
}

/**
 * Whether a charge of `bytes` would succeed (for a check made before
 * objects are built); reclaims first, as the charge would, when RAM has no
 * room now.
 */
export function kmemFits(ctx: MmContext, bytes: number): boolean {
  return fitsNow(ctx.pm, bytes) || (reclaimRetry(ctx) && fitsNow(ctx.pm, bytes));
}

/** Charge without failing (an object the kernel must make anyway, e.g. a task's exit path); may overdraw. */
export function kmemForceCharge(pm: PhysMem, bytes: number): void {
  if (bytes <= 0) return;
  pm.kmemBytes += bytes;
  pm.kmemPages = pagesFor(pm.kmemBytes);
}

/** Give back a charge. */
export function kmemUncharge(pm: PhysMem, bytes: number): void {
  if (bytes <= 0) return;
  pm.kmemBytes = Math.max(0, pm.kmemBytes - bytes);
  pm.kmemPages = pagesFor(pm.kmemBytes);
}

/** Bytes charged now (for /proc/meminfo's KernelStack/Slab-like lines). */
export function kmemBytes(pm: PhysMem): number {
  return pm.kmemBytes;
}

/**
 * A frame for kernel data that lives in guest RAM (pipe buffers): like a
 * charge, it may not take the reserve that page faults need, so running
 * out ends the syscall with ENOMEM instead of waking the OOM killer; direct
 * reclaim runs first when only the reserve is left. Not zeroed (the caller
 * writes before anyone reads). 0 when there is none.
 */
export function kmemAllocFrame(ctx: MmContext): number {
  const pm = ctx.pm;
  if (pm.freeTop - pm.kmemPages <= reserve(pm) && !(reclaimRetry(ctx) && pm.freeTop - pm.kmemPages > reserve(pm))) return 0;
  return allocFrameNoZero(pm, FRAME_KERNEL);
}
