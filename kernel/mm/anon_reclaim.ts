// Global reclaim of private anonymous pages to swap (the anon LRU of Linux's
// mm/vmscan.c, by second chance): reclaim.ts asks for up to `want` frames
// and this walks the address spaces' private anonymous VMAs from where the
// last scan stopped (a hand: address space id and address), clearing the A
// bit of a referenced page (a second chance, TLB entry flushed) and sending
// an unreferenced one to swap (swap.ts swapOutPage: the PTE becomes a swap
// entry, the frame is freed). Only a frame this PTE alone maps (or that it
// shares only with the swap cache) is taken: a COW-shared frame would not
// be freed by unmapping one of its mappers.
//
// Shared memory objects (MAP_SHARED anonymous, System V segments) come
// after the private pages, through shmem_swap.ts.
//
// Concepts: C54 (global replacement by second chance on the A bits), C55
// (anonymous pages reclaimed to swap, weighed by swappiness in reclaim.ts).
import type { MM, MmContext } from "./mm.js";
import { PAGE_SIZE, frameRefs } from "./phys.js";
import { walk, readPte, writePte, ptePa, PTE_V, PTE_A } from "./pagetable.js";
import { MAP_SHARED } from "../abi/mman.js";
import { swapAvailable, swapOutPage, swapCacheShrink } from "./swap.js";
import { shrinkShmem } from "./shmem_swap.js";
import { shrinkTmpfs } from "./tmpfs_swap.js";
import { vtToArray } from "./vma_tree.js";

/** Where the anonymous scan resumes (plain data, in k.mmctx.vm.swap). */
export interface AnonHand { mm: number; va: number }

/**
 * Scan private anonymous pages for up to `want` frames to free to swap;
 * returns [scanned, freed]. `mms` maps address-space ids to the live ones.
 */
export function shrinkAnon(ctx: MmContext, mms: Map<number, MM>, want: number): [number, number] {
  // Pages read ahead that nothing maps yet go first: clean, they cost no write.
  const f0 = swapCacheShrink(ctx, want);
  if (f0 >= want) return [f0, f0];
  const [s1, f1] = shrinkPrivateAnon(ctx, mms, want - f0);
  if (f0 + f1 >= want) return [f0 + s1, f0 + f1];
  // Shared memory is swap-backed too (Linux keeps it on the anon lists): its pages go next.
  const [s2, f2] = shrinkShmem(ctx, mms, want - f0 - f1);
  if (f0 + f1 + f2 >= want) return [f0 + s1 + s2, f0 + f1 + f2];
  // tmpfs files (/dev/shm, memfd, tmpfs mounts) are shmem too (tmpfs_swap.ts).
  const [s3, f3] = shrinkTmpfs(ctx, mms, want - f0 - f1 - f2);
  return [f0 + s1 + s2 + s3, f0 + f1 + f2 + f3];
}

function shrinkPrivateAnon(ctx: MmContext, mms: Map<number, MM>, want: number): [number, number] {
  const sw = ctx.vm.swap;
  if (want <= 0 || !swapAvailable(sw) || mms.size === 0) return [0, 0];
  const pm = ctx.pm;
  const ids = [...mms.keys()].sort((a, b) => a - b);
  let start = ids.findIndex((id) => id >= sw.anonHand.mm);
  if (start < 0) start = 0;
  let scanned = 0, freed = 0;
  // Two turns: the first may only clear A bits.
  for (let turn = 0; turn < 2 && freed < want; turn++) {
    for (let n = 0; n <= ids.length && freed < want; n++) {
      const id = ids[(start + n) % ids.length];
      const mm = mms.get(id)!;
      const from = id === sw.anonHand.mm ? sw.anonHand.va : 0;
      for (const v of vtToArray(mm.vmaTree)) {
        if (v.backing !== null || (v.flags & MAP_SHARED) !== 0 || v.end <= from) continue;
        for (let va = Math.max(v.start, from); va < v.end && freed < want; va += PAGE_SIZE) {
          const a = walk(pm, mm.root, va, false);
          if (a === 0) { va = (Math.floor(va / 2 ** 21) + 1) * 2 ** 21 - PAGE_SIZE; continue; } // no table here: skip its 2 MiB
          const pte = readPte(pm, a);
          if (!(pte & PTE_V)) continue;
          scanned++;
          const refs = frameRefs(pm, ptePa(pte));
          if (refs > (sw.frameEntry.has(ptePa(pte)) ? 2 : 1)) continue;
          if (pte & PTE_A) { writePte(pm, a, (pte & ~PTE_A) >>> 0); ctx.kernel!.core.flushTlbPageAllHarts(va); continue; }
          if (!swapOutPage(ctx, mm, va, a, pte)) return [scanned, freed];
          freed++;
          sw.anonHand.mm = id; sw.anonHand.va = va + PAGE_SIZE;
        }
      }
      if (freed >= want) break;
      // This address space is done: the next one starts at its beginning.
      sw.anonHand.mm = ids[(start + n + 1) % ids.length]; sw.anonHand.va = 0;
    }
  }
  return [scanned, freed];
}
