// Reclaim: what the kernel tries when a frame allocation fails, before it
// lets the OOM killer choose a victim (Linux's direct reclaim,
// try_to_free_pages). It is a policy hook with room to grow: page
// replacement and swap (issue 9) will unmap and write out pages found
// through the reverse map (rmap.ts). Today it scans the frame table for
// page-cache frames that no page table maps (refs 1: only the cache holds
// them) and are clean - candidates - but frees none of them: a page cache
// does not yet say whether it can read a dropped page back (tmpfs pages are
// the only copy of their data), so taking one could lose data. It returns
// the frames it freed (0), and /proc/vmstat shows that it ran:
// allocstall_normal, pgscan_direct, pgsteal_direct.
//
// Concepts: C55 (page replacement: the hook it plugs into), C56 (running out
// of memory: reclaim first, then the OOM killer), C50 (the frame table).
import { type PhysMem, FRAME_PAGECACHE, FF_DIRTY, FF_PINNED } from "./phys.js";
import type { VmState } from "./vmstate.js";

/**
 * Try to free at least `want` frames. Returns the number freed. Called
 * where allocation failed (the page-fault path), never with a frame held
 * half-installed.
 */
export function reclaim(pm: PhysMem, vm: VmState, want: number): number {
  const c = vm.counters;
  c.allocstall++;
  let scanned = 0;
  const owner = pm.owner, refs = pm.refs, flags = pm.flags;
  for (let f = pm.reserved; f < pm.frames; f++) {
    if (owner[f] !== FRAME_PAGECACHE || refs[f] !== 1 || (flags[f] & (FF_DIRTY | FF_PINNED)) !== 0) continue;
    scanned++;
  }
  c.pgscanDirect += scanned;
  // Nothing is taken yet (see the top of this file); `want` is what issue 9's replacement policy aims for.
  const freed = 0;
  c.pgstealDirect += freed;
  return Math.min(freed, Math.max(0, want));
}
