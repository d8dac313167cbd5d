// Access to another process's memory on behalf of a debugger (Linux's
// access_remote_vm with FOLL_FORCE): what PTRACE_PEEKTEXT/POKETEXT and
// /proc/PID/mem use. A debugger plants a breakpoint by writing an ebreak into
// the tracee's code, which is mapped read-only and executable; FOLL_FORCE lets
// that write through, but only into a private copy:
//   - a writable mapping is written as a store of the process would be
//     (copy-on-write broken as usual);
//   - a private read-only mapping (r-x text, r-- rodata) gets its page copied
//     into a fresh anonymous frame that only this process maps (still
//     read-only in its PTE), and the write goes there: the file, its page
//     cache and every other process mapping the same file see the old bytes;
//   - a shared mapping without write permission is refused (Linux:
//     !is_cow_mapping gives EFAULT, which ptrace turns into EIO).
// Plain process_vm_writev does not use FOLL_FORCE on Linux and does not use
// this path.
//
// The kernel writes guest RAM directly, so the hardware's translated-code
// cache (hw/jit) never sees the store: every written page is flushed from the
// TLBs with its translated regions (flushPage), so the interpreter and the
// JIT both run the new instruction at once.
//
// Concepts: C24 (copy-on-write: the forced private copy), C15 (translated
// code kept coherent with writes), C50 (frames), tracing.
import { type MM, type MmContext, findVma, flushPage, pageDown, pteFlags } from "./mm.js";
import { PAGE_SIZE, RAM_BASE, FRAME_ANON, allocFrameNoZero, putFrame, frameRefs, frameIndex, copyFrame } from "./phys.js";
import { walk, readPte, writePte, ptePa, makePte, PTE_V } from "./pagetable.js";
import { rmapAdd, rmapRemove } from "./rmap.js";
import { swapCacheWrite } from "./swap.js";
import { userPage } from "./uaccess.js";
import { reclaimRetry } from "./alloc.js";
import { MAP_SHARED, PROT_WRITE } from "../abi/mman.js";

/** forcedWriteStep's answer when no frame was free for the private copy. */
const NEED_FRAME = -2;

/**
 * The RAM offset of `va` in `mm` for a debugger's write with FOLL_FORCE
 * (a private read-only page is first copied for this process alone), or -1
 * when the write is not allowed or memory ran out. Out of frames for the
 * copy, it runs direct reclaim and does the whole step again: reclaim may
 * have swapped out or dropped the very page looked at, so nothing found
 * before it is reused.
 */
function forcedWritePage(ctx: MmContext, mm: MM, va: number): number {
  for (;;) {
    const off = forcedWriteStep(ctx, mm, va);
    if (off !== NEED_FRAME) return off;
    if (!reclaimRetry(ctx)) return -1;
  }
}

/** One try of forcedWritePage: the offset, -1, or NEED_FRAME (nothing changed yet). */
function forcedWriteStep(ctx: MmContext, mm: MM, va: number): number {
  const v = findVma(mm, va);
  if (!v) return -1;
  if (v.prot & PROT_WRITE) return userPage(ctx, mm, va, true);
  // Only a copy-on-write mapping (private, may become writable) takes a forced write.
  if ((v.flags & MAP_SHARED) || !(v.mayProt & PROT_WRITE)) return -1;
  if (userPage(ctx, mm, va, false) < 0) return -1; // present (demand paging, swap-in)
  const pm = ctx.pm;
  const page = pageDown(va);
  const a = walk(pm, mm.root, page, false);
  if (a === 0) return -1;
  const pte = readPte(pm, a);
  if (!(pte & PTE_V)) return -1;
  const old = ptePa(pte);
  if (pm.owner[frameIndex(old)] === FRAME_ANON) swapCacheWrite(ctx, old); // a clean swap-cache copy goes stale
  if (pm.owner[frameIndex(old)] !== FRAME_ANON || frameRefs(pm, old) !== 1) {
    // Shared with the page cache or another process: this process gets its own copy.
    const fresh = allocFrameNoZero(pm, FRAME_ANON);
    if (fresh === 0) return NEED_FRAME;
    copyFrame(pm, fresh, old);
    writePte(pm, a, makePte(fresh, pteFlags(v.prot)));
    rmapRemove(pm, old, mm.id, page);
    rmapAdd(pm, fresh, mm.id, page);
    putFrame(pm, old);
    mm.stats.cowFaults++;
    flushPage(ctx, page);
    return fresh - RAM_BASE + (va % PAGE_SIZE);
  }
  return old - RAM_BASE + (va % PAGE_SIZE);
}

/**
 * Copy `buf` into (write) or out of `mm` at `va`, page by page, as a debugger
 * does (FOLL_FORCE when `force`). Returns the bytes moved: fewer than
 * buf.length when a page could not be reached.
 */
export function accessRemote(ctx: MmContext, mm: MM, va: number, buf: Uint8Array, write: boolean, force: boolean): number {
  const ram = ctx.pm.ram;
  let done = 0;
  while (done < buf.length) {
    const at = va + done;
    const off = !write ? userPage(ctx, mm, at, false) : force ? forcedWritePage(ctx, mm, at) : userPage(ctx, mm, at, true);
    if (off < 0) return done;
    const n = Math.min(buf.length - done, PAGE_SIZE - (at % PAGE_SIZE));
    if (write) {
      ram.set(buf.subarray(done, done + n), off);
      // The store bypassed the harts: drop translations and translated code of the page.
      flushPage(ctx, pageDown(at));
    } else {
      buf.set(ram.subarray(off, off + n), done);
    }
    done += n;
  }
  return done;
}
