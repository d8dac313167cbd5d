// The block side of swap (mm/swap.ts): a swap slot is one 4 KiB block of a
// block device, moved through the buffer cache like any block. mm/ sits
// below block/ in the layer chain, so this module registers its code with
// mm/swap.ts's SWAP_IO at load (kernel/index.ts imports it).
//
// A page-out copies the frame into the slot's buffer, marks it dirty and
// starts its write at once: the frame can be freed as soon as this returns,
// since the buffer holds the bytes until the disk has them (a dirty or
// in-flight buffer is never evicted). A page-in reads the buffer (a cache
// hit when it is still there) and copies it into the frame, and the buffer
// is dropped once clean (the page lives in its frame, or on the disk, so
// swap traffic does not push file system blocks out of the cache); on a disk that
// answers later the faulting task sleeps in D on the buffer and the access
// is retried (-ERESTARTSYS), or -EAGAIN without a task. A swap-in's
// cluster is started at once under a plug (startReads), so its abutting
// slots reach the disk as one merged request.
//
// Concepts: C55 (swap I/O through the block layer), C13 (the request path).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { defineSwapIo } from "../mm/swap.js";
import { RAM_BASE, PAGE_SIZE } from "../mm/phys.js";
import { bread, breadahead, breadBatch, dropBuffer, findBuffer, getblkNew, markBufferDirty, submitWrite } from "./buffer.js";
import { blkFinishPlug, blkStartPlug } from "./blkdev.js";
import { EIO } from "../abi/errno.js";

/**
 * Page-out buffers whose write a disk that answers later still had in
 * flight when it was started: each is dropped once its write is done (at the
 * next swap I/O), so that, as with a disk that answers at once, swap keeps no
 * copy of its pages in the buffer cache and a page-in reads the disk.
 */
function dropWritten(k: Kernel): void {
  const l = k.mmctx.vm.swap.writing;
  if (l.length === 0) return;
  let j = 0;
  for (let i = 0; i < l.length; i++) {
    const bh = l[i];
    if (bh.inFlight || bh.dirty) l[j++] = bh; // still on its way (a rewrite made it dirty again: it goes later)
    else dropBuffer(k, bh);
  }
  l.length = j;
}

defineSwapIo({
  read(k: Kernel, t: Task | null, dev: number, block: number, size: number, pa: number): number {
    dropWritten(k);
    const off = pa - RAM_BASE;
    if (size === PAGE_SIZE) {
      const bh = bread(k, t, dev, block, size);
      if (typeof bh === "number") return bh;
      k.pm.ram.set(bh.data, off);
      dropBuffer(k, bh);
      return 0;
    }
    // A page of a file on a file system with smaller blocks: its blocks are one contiguous run, read together.
    const per = PAGE_SIZE / size;
    const nrs: number[] = [];
    for (let i = 0; i < per; i++) nrs.push(block + i);
    const r = breadBatch(k, t, dev, nrs, size);
    if (r < 0) return r;
    for (let i = 0; i < per; i++) {
      const bh = findBuffer(k, dev, block + i, size);
      if (!bh) return -EIO;
      k.pm.ram.set(bh.data, off + i * size);
      dropBuffer(k, bh);
    }
    return 0;
  },
  startReads(k: Kernel, dev: number, blocks: readonly number[], size: number): void {
    const per = PAGE_SIZE / size;
    blkStartPlug(k);
    try {
      for (const b of blocks) for (let i = 0; i < per; i++) breadahead(k, dev, b + i, size);
    } finally {
      blkFinishPlug(k);
    }
  },
  write(k: Kernel, dev: number, block: number, size: number, pa: number): number {
    dropWritten(k);
    const off = pa - RAM_BASE;
    for (let i = 0; i < PAGE_SIZE / size; i++) {
      // getblkNew: the slot may be one a swap-in's readahead is still reading (freed and reused since): that read must not land on the page.
      const bh = getblkNew(k, dev, block + i, size);
      if (typeof bh === "number") return bh;
      bh.data.set(k.pm.ram.subarray(off + i * size, off + (i + 1) * size));
      markBufferDirty(k, bh);
      submitWrite(k, bh);
      // A disk that answered at once has the bytes: the buffer goes (one still in flight goes when it has completed).
      if (!dropBuffer(k, bh) && bh.inFlight) (k.mmctx.vm.swap.writing).push(bh);
    }
    return 0;
  },
});
