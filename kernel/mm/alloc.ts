// The page allocator's slow path (Linux's __alloc_pages_slowpath): an
// allocation that may wait - any made for a system call, a page fault or
// a kernel thread - first tries the free list (phys.ts allocFrame); when
// that is empty it runs direct reclaim (reclaim.ts: clean page-cache pages
// dropped, dirty ones written back, anonymous and shared pages sent to
// swap) and tries again. Only when reclaim frees nothing does the
// allocation fail: the system call then returns ENOMEM (or ENOSPC), a page
// fault goes to the OOM killer.
//
// Every frame allocation reachable from a system call goes through here,
// directly (allocFrameReclaim) or, where the allocation sits in a file
// below reclaim.ts in the import chain (page tables, swap-in, the shmem
// and tmpfs objects), by the caller above it retrying the whole step after
// reclaimRetry. Nothing here allocates on the host heap when a frame is
// free: the fast path is the free-list pop.
//
// Concepts: C56 (running out of memory: reclaim before ENOMEM and before the
// OOM killer), C54 (direct reclaim), C50 (the frame allocator).
import type { MmContext } from "./mm.js";
import { FRAME_KERNEL, allocFrame, allocFrameNoZero } from "./phys.js";
import { reclaim } from "./reclaim.js";

/**
 * An allocation failed for want of a free frame: run direct reclaim. True
 * when it freed something (the caller tries its allocation again, once);
 * false when nothing could be freed (the caller fails).
 */
export function reclaimRetry(ctx: MmContext): boolean {
  return ctx.kernel !== null && reclaim(ctx, 1) > 0;
}

/**
 * A frame for `owner` (FRAME_*), zeroed unless `zero` is false, taking it
 * from direct reclaim when none is free. Its physical address, or 0 when
 * reclaim found nothing to free either.
 */
export function allocFrameReclaim(ctx: MmContext, owner = FRAME_KERNEL, zero = true): number {
  const pm = ctx.pm;
  const fr = zero ? allocFrame(pm, owner) : allocFrameNoZero(pm, owner);
  if (fr !== 0 || !reclaimRetry(ctx)) return fr;
  return zero ? allocFrame(pm, owner) : allocFrameNoZero(pm, owner);
}
