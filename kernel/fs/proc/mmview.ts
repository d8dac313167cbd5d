// Seeing memory: the /proc files that show page tables and frames as Linux
// shows them, so that a student can check paging against the real tables.
//   /proc/PID/pagemap      one u64 per virtual page (Documentation/admin-guide/mm/pagemap.rst):
//                          bits 0-54 PFN (or swap type 0-4 / offset 5-54), 55 soft-dirty,
//                          56 exclusively mapped, 61 file page or shared anon, 62 swapped,
//                          63 present. PFNs (and swap offsets) read as zero unless the
//                          opener is root (CAP_SYS_ADMIN), as since Linux 4.2. Seek to
//                          vpn * 8; offset and length must be multiples of 8 (EINVAL).
//                          tsix keeps no soft-dirty bits (no clear_refs): bit 55 is 0, as on a
//                          kernel without CONFIG_MEM_SOFT_DIRTY.
//   /proc/kpagecount       one u64 per PFN: how many user PTEs map the frame (the reverse map).
//   /proc/kpageflags       one u64 per PFN: KPF_* bits from the frame table (owner, flags)
//                          and the A/D bits of the PTEs that map it. PFNs below RAM
//                          (RAM_BASE / 4096 = 0x80000) are holes: NOPAGE. Root only.
//   /proc/PID/smaps        per VMA: the maps line, Size/Rss/Pss (a shared page counts
//                          1/mapcount, in Linux's fixed point), Shared/Private Clean/Dirty
//                          (mapcount and the PTE D bit or the frame's dirty flag),
//                          Referenced (PTE A bit), Anonymous, Swap, Locked, VmFlags.
//   /proc/PID/smaps_rollup the same summed over the address space.
//   /proc/PID/ptwalk       a tsix addition: pread(fd, buf, 32, VA) returns four u64s,
//                          satp and the Sv39 PTEs of levels 2, 1, 0 on the way to VA
//                          (0 past the level where the walk stops), for userland's pagewalk.
//                          Root or the same user (ptrace rules).
// Every figure is read from the page tables in guest RAM and the frame table,
// so a test can walk the same tables from the host and compare.
//
// A non-present PTE that is not PROT_NONE and not zero is a swap entry
// (mm/pgwalk.ts pteSwapEntry): none exist until swap does, but pagemap,
// smaps and the status lines already count them.
//
// Concepts: C50 (frames and PFNs), C51 (multi-level page tables, walked
// level by level), C57 (VMAs: smaps), C59 (shared frames: mapcount, Pss).
import type { Kernel } from "../../kernel.js";
import type { Task, ThreadGroup } from "../../proc/task.js";
import type { MM, Vma } from "../../mm/mm.js";
import type { File } from "../vfs.js";
import {
  type PhysMem, PAGE_SIZE, RAM_BASE, FRAME_FREE, FRAME_ANON, FRAME_PAGECACHE, FRAME_SHMEM, FRAME_PAGETABLE,
  FRAME_RESERVED, FF_DIRTY, FF_PINNED,
} from "../../mm/phys.js";
import { readPte, ptePa, PTE_V, PTE_R, PTE_W, PTE_X, PTE_A, PTE_D, PTE_PROTNONE, USER_TOP } from "../../mm/pagetable.js";
import { leafPte, forEachLeaf, pteSwapEntry, frameMapCount } from "../../mm/pgwalk.js";
export { pageTablePages, swapEntries } from "../../mm/pgwalk.js";
import { MAP_SHARED, MAP_GROWSDOWN, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../abi/mman.js";
import { backingInfo } from "../../mm/backing.js";
import { shmemSwappedIn } from "../../mm/shmem_swap.js";
import { tmpfsSwappedIn } from "../../mm/tmpfs_swap.js";
import { tmpfsPageCache } from "../tmpfs/tmpfs.js";
import { major, minor } from "../fstypes.js";
import { EACCES, EINVAL, ESRCH } from "../../abi/errno.js";
import { defineFileOps } from "../../lib/fsops.js";
import { putU32 } from "../../abi/le.js";
import { type PCtx, pseudoCtx } from "./node.js";
import { mayInspect } from "./access.js";
import { vtAt, vtCount, vtToArray } from "../../mm/vma_tree.js";

const PAGE = PAGE_SIZE;
/** The PFN of the first frame of guest RAM. */
export const RAM_PFN = RAM_BASE / PAGE_SIZE;

// pagemap bits (fs/proc/task_mmu.c), as bit numbers of the high word.
const PM_PRESENT_HI = 1 << 31; // bit 63
const PM_SWAP_HI = 1 << 30; // bit 62
const PM_FILE_HI = 1 << 29; // bit 61
const PM_EXCLUSIVE_HI = 1 << 24; // bit 56

/** KPF_* bit numbers (include/uapi/linux/kernel-page-flags.h). */
export const KPF = {
  LOCKED: 0, ERROR: 1, REFERENCED: 2, UPTODATE: 3, DIRTY: 4, LRU: 5, ACTIVE: 6, SLAB: 7, WRITEBACK: 8,
  RECLAIM: 9, BUDDY: 10, MMAP: 11, ANON: 12, SWAPCACHE: 13, SWAPBACKED: 14, UNEVICTABLE: 18, NOPAGE: 20,
  ZERO_PAGE: 24, PGTABLE: 26, RESERVED: 32,
} as const;

/** Every live address space by its id (what the reverse map names). */
function mmsById(k: Kernel): Map<number, MM> {
  const m = new Map<number, MM>();
  for (const t of k.tasks.values()) if (t.mm && t.mm.root) m.set(t.mm.id, t.mm);
  return m;
}

/** KPF_* flags of frame index `f` (bits 32+ as a second word: returns [lo, hi]). */
export function frameFlags(k: Kernel, f: number, mms: Map<number, MM>): [number, number] {
  const pm = k.pm;
  const own = pm.owner[f];
  let lo = 0, hi = 0;
  const bit = (b: number): void => { if (b >= 32) hi |= 1 << (b - 32); else lo |= 1 << b; };
  if (own === FRAME_FREE) { bit(KPF.BUDDY); return [lo >>> 0, hi]; }
  if (own === FRAME_RESERVED) { bit(KPF.RESERVED); return [lo >>> 0, hi]; }
  if (own === FRAME_PAGETABLE) { bit(KPF.PGTABLE); return [lo >>> 0, hi]; }
  if (own === FRAME_ANON) { bit(KPF.ANON); bit(KPF.SWAPBACKED); bit(KPF.LRU); bit(KPF.UPTODATE); }
  if (own === FRAME_SHMEM) { bit(KPF.SWAPBACKED); bit(KPF.LRU); bit(KPF.UPTODATE); }
  if (own === FRAME_PAGECACHE) { bit(KPF.LRU); bit(KPF.UPTODATE); }
  if (pm.flags[f] & FF_DIRTY) bit(KPF.DIRTY);
  if (pm.flags[f] & FF_PINNED) bit(KPF.UNEVICTABLE);
  // Mapped: the reverse map's entries, and what their PTEs' A and D bits say
  // (Linux folds them into the page at reclaim time: page_referenced).
  const r = pm.rmap;
  for (let e = r.head[f]; e >= 0; e = r.next[e]) {
    bit(KPF.MMAP);
    const mm = mms.get(r.mm[e]);
    if (!mm) continue;
    const pte = leafPte(pm, mm.root, r.vpn[e] * PAGE);
    if (pte & PTE_A) bit(KPF.REFERENCED);
    if (pte & PTE_D) bit(KPF.DIRTY);
  }
  return [lo >>> 0, hi];
}

// ------------------------------------------------------------ binary files

/** Per-open state of pagemap: whether PFNs are shown (decided by the opener's privilege, as Linux). */
interface PagemapOpen { showPfn: boolean }

/** Reads are cut at this many bytes (a short read; the caller reads on). */
const MAX_READ = 1 << 20;

function targetMm(k: Kernel, c: PCtx): MM | null {
  const tg = k.groups.get(c.pid);
  const t = tg ? (k.tasks.get(c.tid)?.tg === tg ? k.tasks.get(c.tid) : tg.threads[0]) : undefined;
  return t?.mm && t.mm.root ? t.mm : null;
}

function openInspect(k: Kernel, t: Task, f: File): number {
  const c = pseudoCtx(f.inode);
  const tg: ThreadGroup | undefined = k.groups.get(c.pid);
  if (!tg) return -ESRCH;
  if ((f.flags & 3) !== 0) return -EACCES;
  return mayInspect(t, tg) ? 0 : -EACCES;
}

/** A little-endian u64 from its two 32-bit words. */
function putWords(b: Uint8Array, off: number, lo: number, hi: number): void {
  putU32(b, off, lo >>> 0);
  putU32(b, off + 4, hi >>> 0);
}

/** The pagemap entry of `va` in `mm` as [lo, hi] words. */
export function pagemapEntry(pm: PhysMem, mm: MM, va: number, showPfn: boolean): [number, number] {
  const pte = leafPte(pm, mm.root, va);
  if (pte & (PTE_V | PTE_PROTNONE)) {
    const pfn = ptePa(pte) / PAGE;
    const f = pfn - RAM_PFN;
    let hi = PM_PRESENT_HI;
    if (pm.owner[f] !== FRAME_ANON) hi |= PM_FILE_HI;
    if (frameMapCount(pm, f) === 1) hi |= PM_EXCLUSIVE_HI;
    return showPfn ? [pfn >>> 0, (hi | Math.floor(pfn / 2 ** 32)) >>> 0] : [0, hi >>> 0];
  }
  const sw = pteSwapEntry(pte);
  if (sw) {
    if (!showPfn) return [0, PM_SWAP_HI];
    // type in bits 0-4, offset from bit 5 (the frame field, 55 bits).
    const v = sw.type + sw.offset * 32;
    return [v >>> 0, (PM_SWAP_HI | Math.floor(v / 2 ** 32)) >>> 0];
  }
  return [0, 0];
}

export const PAGEMAP_FOPS = defineFileOps("proc.pagemap", {
  open(k, t, f) {
    const r = openInspect(k, t, f);
    if (r < 0) return r;
    const st: PagemapOpen = { showPfn: t.tg.creds.euid === 0 };
    f.info = st;
    return 0;
  },
  read(k, _t, f, buf, pos) {
    if (pos % 8 !== 0 || buf.length % 8 !== 0) return -EINVAL;
    const mm = targetMm(k, pseudoCtx(f.inode));
    if (!mm) return 0;
    const showPfn = (f.info as PagemapOpen | null)?.showPfn === true;
    const first = pos / 8;
    const last = Math.min(first + Math.min(buf.length, MAX_READ) / 8, USER_TOP / PAGE);
    if (first >= last) return 0;
    for (let vpn = first; vpn < last; vpn++) {
      const [lo, hi] = pagemapEntry(k.pm, mm, vpn * PAGE, showPfn);
      putWords(buf, (vpn - first) * 8, lo, hi);
    }
    return (last - first) * 8;
  },
});

function openRoot(_k: Kernel, t: Task, f: File): number {
  if ((f.flags & 3) !== 0) return -EACCES;
  return t.tg.creds.euid === 0 ? 0 : -EACCES;
}

/** One u64 per PFN from 0 to the end of RAM, produced by `value`. */
function pfnRead(k: Kernel, buf: Uint8Array, pos: number, value: (f: number) => [number, number]): number {
  if (pos % 8 !== 0 || buf.length % 8 !== 0) return -EINVAL;
  const first = pos / 8;
  const last = Math.min(first + Math.min(buf.length, MAX_READ) / 8, RAM_PFN + k.pm.frames);
  if (first >= last) return 0;
  for (let pfn = first; pfn < last; pfn++) {
    const [lo, hi] = pfn < RAM_PFN ? [0, 0] : value(pfn - RAM_PFN);
    putWords(buf, (pfn - first) * 8, lo, hi);
  }
  return (last - first) * 8;
}

export const KPAGECOUNT_FOPS = defineFileOps("proc.kpagecount", {
  open: openRoot,
  read(k, _t, _f, buf, pos) {
    return pfnRead(k, buf, pos, (f) => [frameMapCount(k.pm, f), 0]);
  },
});

export const KPAGEFLAGS_FOPS = defineFileOps("proc.kpageflags", {
  open: openRoot,
  read(k, _t, _f, buf, pos) {
    const mms = mmsById(k);
    return pfnRead(k, buf, pos, (f) => (f >= k.pm.frames ? [1 << KPF.NOPAGE, 0] : frameFlags(k, f, mms)));
  },
});

/** The Sv39 walk of `va`: satp's low word pieces and the PTE of each level (0 past where it stops). */
export function ptWalk(pm: PhysMem, root: number, va: number): { satpPpn: number; ptes: [number, number, number] } {
  const ptes: [number, number, number] = [0, 0, 0];
  let table = root;
  for (let level = 2; level >= 0; level--) {
    const pte = readPte(pm, table + (Math.floor(va / 2 ** (12 + 9 * level)) & 511) * 8);
    ptes[2 - level] = pte;
    if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W | PTE_X))) break;
    table = ptePa(pte);
  }
  return { satpPpn: root / PAGE, ptes };
}

export const PTWALK_FOPS = defineFileOps("proc.ptwalk", {
  open: openInspect,
  read(k, _t, f, buf, pos) {
    if (buf.length < 32) return -EINVAL;
    if (pos >= USER_TOP) return -EINVAL;
    const mm = targetMm(k, pseudoCtx(f.inode));
    if (!mm) return 0;
    const w = ptWalk(k.pm, mm.root, pos);
    // satp as the kernel writes it for this mm (mm/asid.ts): MODE = 8 (Sv39) in bits 60-63, the
    // ASID in bits 44-59 (0 when ASIDs are off or the mm's is from an old generation), PPN of the root.
    const asid = mm.asidGen === k.mmctx.vm.asid.gen ? mm.asid & 0xffff : 0;
    putWords(buf, 0, w.satpPpn, (0x80000000 | (asid << 12)) >>> 0);
    w.ptes.forEach((p, i) => putWords(buf, 8 + i * 8, p, 0));
    return 32;
  },
});

// ------------------------------------------------------------ smaps

function hex8(v: number): string {
  return v.toString(16).padStart(8, "0");
}

/** One /proc/PID/maps line (Linux's layout: the name column at offset 73). */
export function mapsLine(k: Kernel, v: Vma): string {
  const perms = (v.prot & PROT_READ ? "r" : "-") + (v.prot & PROT_WRITE ? "w" : "-") +
    (v.prot & PROT_EXEC ? "x" : "-") + (v.flags & MAP_SHARED ? "s" : "p");
  const file = v.backing ? backingInfo(k.mmctx.vm.backings, v.backing) : null;
  const dev = file ? file.dev : 0;
  const ino = file ? file.ino : 0;
  const pgoff = file ? v.pgoff * PAGE : 0;
  let line = `${hex8(v.start)}-${hex8(v.end)} ${perms} ${hex8(pgoff)} ${major(dev).toString(16).padStart(2, "0")}:${minor(dev).toString(16).padStart(2, "0")} ${ino} `;
  const name = file ? file.path : v.name;
  if (name) {
    if (line.length < 72) line = line.padEnd(72);
    line += " " + name;
  }
  return line + "\n";
}

/** Linux's PSS fixed point: Pss is kept in units of 2^-12 bytes. */
const PSS_SHIFT = 12;

/** What smaps adds up for a range of pages (bytes; Pss in bytes << PSS_SHIFT). */
export interface SmapsAcc {
  rss: number; pss: number; pssDirty: number; pssAnon: number; pssFile: number; pssShmem: number;
  sharedClean: number; sharedDirty: number; privateClean: number; privateDirty: number;
  referenced: number; anonymous: number; swap: number; swapPss: number;
}

export function emptySmaps(): SmapsAcc {
  return {
    rss: 0, pss: 0, pssDirty: 0, pssAnon: 0, pssFile: 0, pssShmem: 0, sharedClean: 0, sharedDirty: 0,
    privateClean: 0, privateDirty: 0, referenced: 0, anonymous: 0, swap: 0, swapPss: 0,
  };
}

/**
 * A shared memory mapping's pages on swap (their entries are in the object,
 * mm/shmem_swap.ts, not in PTEs): smaps' Swap, as Linux's shmem_swap_usage.
 */
function smapsShmemSwap(k: Kernel, v: Vma, acc: SmapsAcc): void {
  if (v.backing !== null && v.backing.kind === "file") {
    // A tmpfs file's pages on swap (mm/tmpfs_swap.ts): their entries are in the file's page index.
    const f = k.mmctx.vm.backings.files.get(v.backing.id);
    const pc = f ? tmpfsPageCache(f.inode) : null;
    if (pc) acc.swap += PAGE * tmpfsSwappedIn(pc, v.pgoff, v.pgoff + (v.end - v.start) / PAGE);
    return;
  }
  if (v.backing === null || v.backing.kind !== "shmem") return;
  const o = k.mmctx.vm.backings.shmem.get(v.backing.id);
  if (o) acc.swap += PAGE * shmemSwappedIn(o, v.pgoff, v.pgoff + (v.end - v.start) / PAGE);
}

/**
 * Add the pages of [v.start, v.end) to `acc` (Linux's smaps_pte_entry and
 * smaps_account): a frame with one reference is private; otherwise a frame
 * mapped by two or more PTEs is shared and counts size/mapcount to Pss
 * (integer division per page, as Linux's do_div), else private.
 */
export function smapsVma(pm: PhysMem, mm: MM, v: Vma, acc: SmapsAcc): void {
  forEachLeaf(pm, mm.root, v.start, v.end, (_va, pte) => {
    if (!(pte & (PTE_V | PTE_PROTNONE))) {
      if (pteSwapEntry(pte)) { acc.swap += PAGE; acc.swapPss += PAGE * 2 ** PSS_SHIFT; }
      return;
    }
    const f = (ptePa(pte) - RAM_BASE) / PAGE;
    const own = pm.owner[f];
    const dirty = (pte & PTE_D) !== 0 || (pm.flags[f] & FF_DIRTY) !== 0;
    acc.rss += PAGE;
    if (pte & PTE_A) acc.referenced += PAGE;
    if (own === FRAME_ANON) acc.anonymous += PAGE;
    const mapcount = frameMapCount(pm, f);
    let pss: number;
    if (pm.refs[f] === 1 || mapcount < 2) {
      pss = PAGE * 2 ** PSS_SHIFT;
      if (dirty) acc.privateDirty += PAGE; else acc.privateClean += PAGE;
    } else {
      pss = Math.floor((PAGE * 2 ** PSS_SHIFT) / mapcount);
      if (dirty) acc.sharedDirty += PAGE; else acc.sharedClean += PAGE;
    }
    acc.pss += pss;
    if (dirty) acc.pssDirty += pss;
    if (own === FRAME_ANON) acc.pssAnon += pss;
    else if (own === FRAME_SHMEM) acc.pssShmem += pss;
    else acc.pssFile += pss;
  });
}

function kbLine(label: string, bytes: number): string {
  return `${(label + ":").padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;
}

function pssKb(v: number): number {
  return Math.floor(v / 2 ** (10 + PSS_SHIFT)) * 1024;
}

function smapsBody(a: SmapsAcc, rollup: boolean): string {
  let out = kbLine("Rss", a.rss) + kbLine("Pss", pssKb(a.pss)) + kbLine("Pss_Dirty", pssKb(a.pssDirty));
  if (rollup) out += kbLine("Pss_Anon", pssKb(a.pssAnon)) + kbLine("Pss_File", pssKb(a.pssFile)) + kbLine("Pss_Shmem", pssKb(a.pssShmem));
  return out + kbLine("Shared_Clean", a.sharedClean) + kbLine("Shared_Dirty", a.sharedDirty) +
    kbLine("Private_Clean", a.privateClean) + kbLine("Private_Dirty", a.privateDirty) +
    kbLine("Referenced", a.referenced) + kbLine("Anonymous", a.anonymous) + kbLine("KSM", 0) + kbLine("LazyFree", 0) +
    kbLine("AnonHugePages", 0) + kbLine("ShmemPmdMapped", 0) + kbLine("FilePmdMapped", 0) +
    kbLine("Shared_Hugetlb", 0) + kbLine("Private_Hugetlb", 0) + kbLine("Swap", a.swap) +
    kbLine("SwapPss", pssKb(a.swapPss)) + kbLine("Locked", 0);
}

/** VmFlags: two-letter names in Linux's bit order (show_smap_vma_flags). */
function vmFlags(v: Vma): string {
  const out: string[] = [];
  if (v.prot & PROT_READ) out.push("rd");
  if (v.prot & PROT_WRITE) out.push("wr");
  if (v.prot & PROT_EXEC) out.push("ex");
  if (v.flags & MAP_SHARED) out.push("sh");
  if (v.mayProt & PROT_READ) out.push("mr");
  if (v.mayProt & PROT_WRITE) out.push("mw");
  if (v.mayProt & PROT_EXEC) out.push("me");
  if (v.flags & MAP_SHARED) out.push("ms");
  if (v.flags & MAP_GROWSDOWN) out.push("gd");
  // Shared anonymous memory is charged by its shmem object, not as VM_ACCOUNT.
  if (v.acct && !(v.flags & MAP_SHARED)) out.push("ac");
  return out.map((s) => s + " ").join("");
}

/** /proc/PID/smaps. */
export function showSmaps(k: Kernel, mm: MM | null): string {
  if (!mm || !mm.root) return "";
  let out = "";
  for (const v of vtToArray(mm.vmaTree)) {
    const acc = emptySmaps();
    smapsVma(k.pm, mm, v, acc);
    smapsShmemSwap(k, v, acc);
    out += mapsLine(k, v) + kbLine("Size", v.end - v.start) + kbLine("KernelPageSize", PAGE) + kbLine("MMUPageSize", PAGE) +
      smapsBody(acc, false) + `THPeligible:    ${String(0).padStart(8)}\n` + `VmFlags: ${vmFlags(v)}\n`;
  }
  return out;
}

/** /proc/PID/smaps_rollup: one header line spanning the address space, then the sums (with Pss_Anon/File/Shmem). */
export function showSmapsRollup(k: Kernel, mm: MM | null): string {
  if (!mm || !mm.root || vtCount(mm.vmaTree) === 0) return "";
  const acc = emptySmaps();
  for (const v of vtToArray(mm.vmaTree)) { smapsVma(k.pm, mm, v, acc); smapsShmemSwap(k, v, acc); }
  const first = vtAt(mm.vmaTree, 0).start, last = vtAt(mm.vmaTree, vtCount(mm.vmaTree) - 1).end;
  const head = `${hex8(first)}-${hex8(last)} ---p 00000000 00:00 0 `.padEnd(72) + " [rollup]\n";
  return head + smapsBody(acc, true);
}

// ------------------------------------------------------------ the frame table, summed

/** Frames by what they hold, from the frame table (for /proc/meminfo and /proc/vmstat). */
export interface FrameCensus {
  free: number; anon: number; pagecache: number; pagecacheMapped: number; pagecacheDirty: number;
  shmem: number; shmemMapped: number; pagetable: number; kernel: number; reserved: number; mappedAnonDirty: number;
}

export function frameCensus(pm: PhysMem): FrameCensus {
  const c: FrameCensus = {
    free: 0, anon: 0, pagecache: 0, pagecacheMapped: 0, pagecacheDirty: 0, shmem: 0, shmemMapped: 0,
    pagetable: 0, kernel: 0, reserved: 0, mappedAnonDirty: 0,
  };
  const head = pm.rmap.head;
  for (let f = 0; f < pm.frames; f++) {
    switch (pm.owner[f]) {
      case FRAME_FREE: c.free++; break;
      case FRAME_ANON: c.anon++; break;
      case FRAME_PAGECACHE:
        c.pagecache++;
        if (head[f] >= 0) c.pagecacheMapped++;
        if (pm.flags[f] & FF_DIRTY) c.pagecacheDirty++;
        break;
      case FRAME_SHMEM:
        c.shmem++;
        if (head[f] >= 0) c.shmemMapped++;
        break;
      case FRAME_PAGETABLE: c.pagetable++; break;
      case FRAME_RESERVED: c.reserved++; break;
      default: c.kernel++;
    }
  }
  return c;
}
