// Memory system calls: brk, mmap, munmap, mprotect, mremap, madvise, msync,
// mlock. Each decodes and validates its arguments, then calls the mm.
//
// Concepts: C53 (demand paging: mmap only records a VMA), C58 (brk/mmap heaps).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "../fs/vfs.js";
import { type SyscallTable, argU, argInt, argS64 } from "./args.js";
import * as N from "../abi/sysno.js";
import {
  mapRegion, unmapRange, protectRange, findVma, pageUp, pageDown, rangeUsed, MMAP_MIN_ADDR, MAY_ALL, mmapMayProt, checkMmapAddr,
  movePages, unmapPages, vmaGrowCharge, vmaAt, vmaCount, vmaIndexAfter,
} from "../mm/mm.js";
import {
  PROT_READ, PROT_WRITE, PROT_EXEC, PROT_GROWSDOWN, MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE, MAP_FIXED, MAP_ANONYMOUS, MAP_GROWSDOWN, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_LOCKED, MAP_NORESERVE, MAP_POPULATE, MAP_NONBLOCK, MAP_STACK, MAP_HUGETLB, MAP_FIXED_NOREPLACE, MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP, MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_FREE,
} from "../abi/mman.js";
import { handleFault, ACCESS_READ, ACCESS_WRITE, FAULT_OK } from "../mm/fault.js";
import { USER_TOP } from "../mm/pagetable.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { type BackingSource, backingInode } from "../mm/backing.js";
import { EINVAL, ENOMEM, EBADF, ENODEV, EFAULT, EOPNOTSUPP } from "../abi/errno.js";
import { getFile } from "../fs/fdtable.js";
import { fileReadable, fileWritable } from "../fs/file_table.js";
import { MS_NOEXEC, O_PATH } from "../abi/fs.js";
import { anonSharedMapping, fileMapping } from "../fs/mapping.js";

const KNOWN_MAP_FLAGS = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE |
  MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE;

/** vm.mmap_min_addr (/proc/sys/vm/mmap_min_addr). */
export function mmapMinAddr(k: Kernel): number {
  return k.sysctl.mmapMinAddr;
}

function sysBrk(k: Kernel, t: Task): number {
  const mm = t.mm!;
  const want = argU(k, 0);
  if (want === 0 || want < mm.brkStart) return mm.brk;
  const oldTop = pageUp(mm.brk), newTop = pageUp(want);
  if (newTop > oldTop) {
    if (rangeUsed(mm, oldTop, newTop)) return mm.brk;
    // The heap VMA ends at the old top (findVma finds it in O(log n)); without one, any "[heap]" VMA as before.
    const top = oldTop > 0 ? findVma(mm, oldTop - 1) : undefined;
    const heap = top?.name === "[heap]" ? top : vtToArray(mm.vmaTree).find((v) => v.name === "[heap]");
    if (heap && heap.end === oldTop) {
      if (!vmaGrowCharge(k.mmctx, heap, (newTop - oldTop) / PAGE_SIZE)) return mm.brk;
      heap.end = newTop;
    } else if (mapRegion(k.mmctx, mm, oldTop, newTop - oldTop, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, null, 0, "[heap]") < 0) return mm.brk;
  } else if (newTop < oldTop) {
    unmapRange(k.mmctx, mm, newTop, oldTop);
  }
  mm.brk = want;
  return mm.brk;
}

function sysMmap(k: Kernel, t: Task): number {
  const addr = argU(k, 0), len = argU(k, 1), prot = argInt(k, 2), flags = argInt(k, 3), fd = argInt(k, 4);
  const off = argS64(k, 5);
  if (len === 0) return -EINVAL;
  if ((flags & ~KNOWN_MAP_FLAGS) !== 0 && (flags & MAP_SHARED_VALIDATE) === MAP_SHARED_VALIDATE) return -EOPNOTSUPP;
  if (off % PAGE_SIZE !== 0 || off < 0) return -EINVAL;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN)) return -EINVAL;
  const type = flags & MAP_SHARED_VALIDATE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -EINVAL;
  if (pageUp(len) > USER_TOP || len > USER_TOP) return -ENOMEM;
  const shared = type !== MAP_PRIVATE;
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  let f: File | null = null;
  if (!(flags & MAP_ANONYMOUS)) {
    f = getFile(t.files, fd) ?? null;
    if (!f || (f.flags & O_PATH)) return -EBADF;
  }
  if (fixed) {
    const e = checkMmapAddr(addr, mmapMinAddr(k), t.tg.creds.euid === 0);
    if (e < 0) return e;
  }
  let file: BackingSource | null = null;
  let may = MAY_ALL;
  if (!f) {
    if (shared) file = anonSharedMapping(pageUp(len));
  } else {
    may = mmapMayProt(prot, shared, {
      readable: fileReadable(f),
      writable: fileWritable(f),
      noexec: (f.dentry.mount.flags & MS_NOEXEC) !== 0,
      writeSealed: false, // memfd seals are not kept (F_ADD_SEALS fails): nothing is ever sealed
    });
    if (may < 0) return may;
    const m = fileMapping(k, f);
    if (typeof m === "number") return m === 0 ? -ENODEV : m;
    file = m;
  }
  const r = mapRegion(k.mmctx, t.mm!, addr, len, prot & 7, flags & ~MAP_SHARED_VALIDATE | (shared ? MAP_SHARED : MAP_PRIVATE), file,
    (flags & MAP_ANONYMOUS) ? 0 : off / PAGE_SIZE, "", may);
  if (r >= 0 && (flags & MAP_POPULATE)) {
    for (let va = r; va < r + pageUp(len); va += PAGE_SIZE) {
      if (handleFault(k.mmctx, t.mm!, va, (prot & PROT_WRITE) ? ACCESS_WRITE : ACCESS_READ) !== FAULT_OK) break;
    }
  }
  return r;
}

function sysMunmap(k: Kernel, t: Task): number {
  const addr = argU(k, 0), len = argU(k, 1);
  if (addr % PAGE_SIZE !== 0 || len === 0 || addr + len > USER_TOP) return -EINVAL;
  unmapRange(k.mmctx, t.mm!, addr, pageUp(addr + len));
  return 0;
}

function sysMprotect(k: Kernel, t: Task): number {
  const addr = argU(k, 0), len = argU(k, 1), prot = argInt(k, 2);
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | 0x02000000)) return -EINVAL;
  if (len === 0) return 0;
  return protectRange(k.mmctx, t.mm!, addr, pageUp(addr + len), prot & 7);
}

function sysMremap(k: Kernel, t: Task): number {
  const old = argU(k, 0), oldLen = pageUp(argU(k, 1)), newLen = pageUp(argU(k, 2)), flags = argInt(k, 3);
  const mm = t.mm!;
  if (old % PAGE_SIZE !== 0 || newLen === 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))) return -EINVAL;
  if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) return -EINVAL;
  const vma = findVma(mm, old);
  if (!vma || old + oldLen > vma.end) return -EFAULT;
  if (newLen <= oldLen) {
    if (newLen < oldLen) unmapRange(k.mmctx, mm, old + newLen, old + oldLen);
    return old;
  }
  // Grow in place when the space after it is free.
  if (old + oldLen === vma.end && !rangeUsed(mm, vma.end, old + newLen) && old + newLen <= USER_TOP) {
    if (!vmaGrowCharge(k.mmctx, vma, (newLen - oldLen) / PAGE_SIZE)) return -ENOMEM;
    vma.end = old + newLen;
    return old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  // Move: a new VMA elsewhere; the page-table entries move with it (no copying of data).
  // A charged VMA keeps its charge flags through the move (mapRegion decides from prot and flags, as for the original).
  const dst = mapRegion(k.mmctx, mm, 0, newLen, vma.prot, vma.flags | (vma.acct ? 0 : MAP_NORESERVE), vma.backing, vma.pgoff + (old - vma.start) / PAGE_SIZE, vma.name, vma.mayProt);
  if (dst < 0) return dst;
  movePages(k.mmctx, mm, old, dst, oldLen);
  unmapRange(k.mmctx, mm, old, old + oldLen);
  return dst;
}

import {
  iopsOf,
} from "../lib/fsops.js";
import { vtToArray } from "../mm/vma_tree.js";

function sysMadvise(k: Kernel, t: Task): number {
  const addr = argU(k, 0), len = argU(k, 1), advice = argInt(k, 2);
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  const end = pageUp(addr + len);
  switch (advice) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED: return 0;
    case MADV_DONTNEED: case MADV_FREE: {
      // Private anonymous pages are dropped: the next touch gets a zero page (or the file's page again).
      const mm = t.mm!;
      // Only the VMAs meeting [addr, end) (the tree finds the first; unmapPages leaves the VMAs as they are).
      for (let i = vmaIndexAfter(mm, addr), n = vmaCount(mm); i < n; i++) {
        const v = vmaAt(mm, i);
        if (v.start >= end) break;
        if (v.flags & MAP_SHARED) continue;
        unmapPages(k.mmctx, mm, Math.max(addr, v.start), Math.min(end, v.end));
      }
      return 0;
    }
    default:
      return advice >= 9 && advice <= 25 ? 0 : -EINVAL; // MERGEABLE, HUGEPAGE, DONTFORK...: accepted hints
  }
}

/**
 * msync: shared file pages are the page cache itself, so MS_SYNC and
 * MS_ASYNC write back the files that shared mappings in the range map (a
 * file system with a backing store elsewhere - hostfs - has the stores reach
 * it now). A hole in the range is ENOMEM, after the mapped parts were synced.
 */
function sysMsync(k: Kernel, t: Task): number {
  const addr = argU(k, 0), len = argU(k, 1), flags = argInt(k, 2);
  if (addr % PAGE_SIZE !== 0 || (flags & ~7) || ((flags & 1) && (flags & 4))) return -EINVAL;
  const end = pageUp(addr + len);
  if (end < addr) return -ENOMEM;
  if (end === addr) return 0;
  const mm = t.mm!;
  let covered = addr, err = 0;
  for (const v of vtToArray(mm.vmaTree)) {
    if (v.end <= addr || v.start >= end) continue;
    if (v.start > covered) err = -ENOMEM;
    covered = Math.max(covered, v.end);
    const ino = backingInode(k.mmctx.vm.backings, v.backing);
    const writeback = ino ? iopsOf(ino).writeback : undefined;
    if (flags & (1 /* MS_ASYNC */ | 4 /* MS_SYNC */) && (v.flags & MAP_SHARED) && ino && writeback) {
      const r = writeback(k, ino);
      if (r < 0 && err === 0) err = r;
    }
  }
  if (covered < end) return -ENOMEM;
  return err;
}

function sysMlock(k: Kernel, t: Task): number {
  const addr = pageDown(argU(k, 0)), len = argU(k, 1);
  for (let va = addr; va < addr + len; va += PAGE_SIZE) {
    if (!findVma(t.mm!, va)) return -ENOMEM;
    if (handleFault(k.mmctx, t.mm!, va, ACCESS_READ) !== FAULT_OK) return -ENOMEM;
  }
  return 0;
}

export function registerMmSyscalls(table: SyscallTable): void {
  table[N.SYS_brk] = sysBrk;
  table[N.SYS_mmap] = sysMmap;
  table[N.SYS_munmap] = sysMunmap;
  table[N.SYS_mprotect] = sysMprotect;
  table[N.SYS_mremap] = sysMremap;
  table[N.SYS_madvise] = sysMadvise;
  table[N.SYS_msync] = sysMsync;
  table[N.SYS_mlock] = sysMlock;
  table[N.SYS_munlock] = (k, t) => (findVma(t.mm!, argU(k, 0)) ? 0 : -ENOMEM);
}

export { MMAP_MIN_ADDR };
