// copyin / copyout: the only doors between the kernel and user memory. Every
// user pointer is translated through the task's own page tables, page by
// page, exactly as the MMU would; a page that is missing or forbids the access
// goes through the fault handler (so a read() into a fresh heap page or a COW
// page works), and anything the fault handler refuses is EFAULT.
//
// Concepts: C06 (bad pointers give EFAULT, never a kernel crash), C50.
import { type MM, type MmContext } from "./mm.js";
import { PAGE_SIZE, RAM_BASE } from "./phys.js";
import { ptePa, PTE_V, PTE_U, PTE_R, PTE_W, PTE_A, PTE_D, USER_TOP } from "./pagetable.js";
import { handleFault, ACCESS_READ, ACCESS_WRITE, FAULT_OK, FAULT_OOM, FAULT_RETRY } from "./fault.js";
import { reclaimRetry } from "./alloc.js";
import { EFAULT, ENAMETOOLONG } from "../abi/errno.js";
import { getU64, getI32, putU32 } from "../abi/le.js";
import { bytesToStr } from "../lib/bytestr.js";

/**
 * `len` bytes of user memory at `va` to read: guest RAM itself at the page's
 * offset when they lie in one page (faulted in as copyin would), else a copy;
 * null when a page cannot be read. Read at once: a later fault may move them.
 * (The small structs every readv, writev, sendmsg and recvmsg reads: no copy
 * in the common case.)
 */
export function userBytes(ctx: MmContext, mm: MM, va: number, len: number): { b: Uint8Array; at: number } | null {
  if ((va % PAGE_SIZE) + len <= PAGE_SIZE) {
    const off = userPage(ctx, mm, va, false);
    return off < 0 ? null : { b: ctx.pm.ram, at: off };
  }
  const b = new Uint8Array(len);
  return copyin(ctx, mm, va, b) < 0 ? null : { b, at: 0 };
}

/** Offset into ram of user address `va` for an access, faulting the page in; -1 on EFAULT. */
export function userPage(ctx: MmContext, mm: MM, va: number, write: boolean): number {
  if (!(va >= 0 && va < USER_TOP) || !Number.isInteger(va)) return -1;
  for (let attempt = 0; attempt < 2; attempt++) {
    const off = userPageVia(ctx, userLeafTable(ctx, mm, va), va, write);
    if (off >= 0) return off;
    if (userFault(ctx, mm, va, write) !== FAULT_OK) return -1;
  }
  return -1;
}

// Bulk copies (copyin/copyout, a pipe's read and write, a socket's message)
// cover many user pages. userPage translates the first; userRun then finds
// how far the pages after it continue in the next frames of RAM, so that the
// copy is one typed-array copy per such run instead of one per page (freshly
// faulted pages of a buffer mostly sit in consecutive frames). userRun only
// looks: each following page's leaf PTE is read through the last-level table
// of its 2 MiB region (walked once per region), and the run ends at a page
// that is elsewhere, absent or forbidden, which the next step translates
// with userPage (faulting it in). The walk uses integer shifts of the page
// number: it runs for every user page the kernel touches, and was a fifth of
// a pipe's time when it went through the general walk of pagetable.ts.

/** Size of the user region one last-level page table maps (2 MiB). */
export const LEAF_SPAN = PAGE_SIZE * 512;

/**
 * Physical address of the last-level page table that maps user address `va`,
 * or 0 when the region has none yet (or `va` is not a user address).
 */
export function userLeafTable(ctx: MmContext, mm: MM, va: number): number {
  if (!(va >= 0 && va < USER_TOP)) return 0;
  const ram32 = ctx.pm.ram32;
  const vpn = Math.floor(va / PAGE_SIZE); // below 2^27: USER_TOP is 2^38
  const p2 = ram32[(mm.root - RAM_BASE + ((vpn >>> 18) & 511) * 8) >>> 2];
  if (!(p2 & PTE_V)) return 0;
  const p1 = ram32[(ptePa(p2 >>> 0) - RAM_BASE + ((vpn >>> 9) & 511) * 8) >>> 2];
  if (!(p1 & PTE_V)) return 0;
  return ptePa(p1 >>> 0);
}

/**
 * Offset into ram of user address `va` through the leaf table `leaf` that maps
 * it (userLeafTable), when its PTE allows the access; -1 otherwise (no table,
 * page absent, COW, swapped, or forbidden: userPage faults it in or fails).
 */
export function userPageVia(ctx: MmContext, leaf: number, va: number, write: boolean): number {
  if (leaf === 0) return -1;
  const ram32 = ctx.pm.ram32;
  const at = (leaf - RAM_BASE + (Math.floor(va / PAGE_SIZE) & 511) * 8) >>> 2;
  const pte = ram32[at] >>> 0;
  const ok = (pte & PTE_V) && (pte & PTE_U) && (write ? (pte & PTE_W) : (pte & PTE_R));
  if (!ok) return -1;
  // A store by the kernel through the user's mapping sets A and D, as the
  // MMU's write walk does for the program's own stores: a shared file page
  // that msync or reclaim's write-back cleaned (D cleared, W kept) and that
  // read(2) then fills must be written back again, not dropped as clean.
  if (write && (pte & (PTE_A | PTE_D)) !== (PTE_A | PTE_D)) ram32[at] = (pte | PTE_A | PTE_D) >>> 0;
  return ptePa(pte) - RAM_BASE + (va % PAGE_SIZE);
}

/**
 * How many bytes from user address `va` on (at most `max`) lie in one
 * stretch of RAM and allow the access, given that `va`'s own page is at ram
 * offset `off` (userPage found it). Following pages join the run while each
 * is mapped, allowed, and the frame right after the one before; the run
 * stops at the first that is not (no fault is taken here: the next step
 * translates that page with userPage). So a bulk copy moves a whole run with
 * one typed-array copy, however many pages it spans.
 */
export function userRun(ctx: MmContext, mm: MM, va: number, off: number, write: boolean, max: number): number {
  let run = PAGE_SIZE - (va % PAGE_SIZE);
  if (run >= max) return max;
  let leaf = 0, leafRegion = -1;
  while (run < max) {
    const next = va + run; // a page boundary
    const region = Math.floor(next / LEAF_SPAN);
    if (region !== leafRegion) { leaf = userLeafTable(ctx, mm, next); leafRegion = region; }
    if (userPageVia(ctx, leaf, next, write) !== off + run) break;
    run += PAGE_SIZE;
  }
  return Math.min(run, max);
}

/**
 * The fault of a kernel access on a user's behalf. Inside a system call
 * (swap.uaccessTid, set by the trap layer) the fault may sleep: a swapped
 * page on a disk that answers later puts the calling task in D on the
 * read, and swap.uaccessWait tells the trap layer that the EFAULT this
 * access returns is a wait: the call restarts when the page has come
 * ("blocking is a state, syscalls restart"), as Linux's copy_to_user
 * sleeps in its fault. Outside a call (no task to sleep) it stays EFAULT.
 * A fault that found no frame runs direct reclaim and is handled again
 * (alloc.ts), as a user's own fault is in the trap layer: a copy to a page
 * not faulted in yet must not fail with EFAULT only because RAM is full.
 */
function userFault(ctx: MmContext, mm: MM, va: number, write: boolean): number {
  const sw = ctx.vm.swap;
  const t = sw.uaccessTid !== 0 ? ctx.kernel!.tasks.get(sw.uaccessTid) ?? null : null;
  const access = write ? ACCESS_WRITE : ACCESS_READ, ft = t !== null && t.mm === mm ? t : null;
  let r = handleFault(ctx, mm, va, access, ft);
  if (r === FAULT_OOM && reclaimRetry(ctx)) r = handleFault(ctx, mm, va, access, ft);
  if (r === FAULT_RETRY && t !== null && t.mm === mm && t.state !== "R") sw.uaccessWait = true;
  return r;
}

/**
 * Copy up to `len` bytes from user `va` into `dst` (at dstOff), one copy per
 * run of pages contiguous in RAM, stopping at the first page that fails;
 * returns the bytes copied.
 */
export function copyinUpTo(ctx: MmContext, mm: MM, va: number, dst: Uint8Array, dstOff: number, len: number): number {
  const ram = ctx.pm.ram;
  let done = 0;
  while (done < len) {
    const off = userPage(ctx, mm, va + done, false);
    if (off < 0) return done;
    const n = userRun(ctx, mm, va + done, off, false, len - done);
    dst.set(ram.subarray(off, off + n), dstOff + done);
    done += n;
  }
  return done;
}

/** Copy `len` bytes from user `va` into `dst` (at dstOff). Returns 0 or -EFAULT. */
export function copyin(ctx: MmContext, mm: MM, va: number, dst: Uint8Array, dstOff = 0, len = dst.length - dstOff): number {
  return copyinUpTo(ctx, mm, va, dst, dstOff, len) === len ? 0 : -EFAULT;
}

/** Copy `src` to user `va`, stopping at the first page that fails; returns the bytes copied. */
export function copyoutUpTo(ctx: MmContext, mm: MM, va: number, src: Uint8Array): number {
  const ram = ctx.pm.ram;
  let done = 0;
  while (done < src.length) {
    const off = userPage(ctx, mm, va + done, true);
    if (off < 0) return done;
    const n = userRun(ctx, mm, va + done, off, true, src.length - done);
    ram.set(n === src.length ? src : src.subarray(done, done + n), off);
    done += n;
  }
  return done;
}

/** Copy `src` to user `va`. Returns 0 or -EFAULT (some bytes may have been written). */
export function copyout(ctx: MmContext, mm: MM, va: number, src: Uint8Array): number {
  return copyoutUpTo(ctx, mm, va, src) === src.length ? 0 : -EFAULT;
}

/** Fill `len` user bytes at `va` with zeros. */
export function clearUser(ctx: MmContext, mm: MM, va: number, len: number): number {
  const ram = ctx.pm.ram;
  let done = 0;
  while (done < len) {
    const off = userPage(ctx, mm, va + done, true);
    if (off < 0) return -EFAULT;
    const n = Math.min(len - done, PAGE_SIZE - ((va + done) % PAGE_SIZE));
    ram.fill(0, off, off + n);
    done += n;
  }
  return 0;
}

/**
 * Read a NUL-terminated string of at most `max` bytes (including the NUL).
 * Returns it as a byte string (one char per byte, lib/bytestr.ts: names and
 * arguments are bytes, never decoded as UTF-8), or -EFAULT / -ENAMETOOLONG.
 */
export function copyinString(ctx: MmContext, mm: MM, va: number, max = 4096): string | number {
  const ram = ctx.pm.ram;
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total < max) {
    const off = userPage(ctx, mm, va + total, false);
    if (off < 0) return -EFAULT;
    const n = Math.min(max - total, PAGE_SIZE - ((va + total) % PAGE_SIZE));
    const chunk = ram.subarray(off, off + n);
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      parts.push(chunk.subarray(0, nul));
      if (parts.length === 1) return bytesToStr(parts[0]);
      const all = new Uint8Array(total + nul);
      let p = 0;
      for (const c of parts) { all.set(c, p); p += c.length; }
      return bytesToStr(all);
    }
    parts.push(chunk.slice());
    total += n;
  }
  return -ENAMETOOLONG;
}

// Single user words (syscall paths: futex words, clear_child_tid, argv
// pointers, socklen_t ...). They read and write guest RAM in place through
// userPage, with no buffer, DataView or BigInt per call; a word that straddles
// a page boundary goes byte by byte (each byte's page is translated and
// faulted in as copyin/copyout would, and a write stops at the first bad page).

/** Offset into ram of a `len`-byte access at `va` that stays in one page, -1 on EFAULT, or -2 when it straddles pages. */
function userWord(ctx: MmContext, mm: MM, va: number, len: number, write: boolean): number {
  if (va % PAGE_SIZE > PAGE_SIZE - len) return -2;
  return userPage(ctx, mm, va, write);
}

/** Read `len` (4 or 8) bytes at `va` that straddle two pages into their little-endian value; null on EFAULT. */
function getStraddling(ctx: MmContext, mm: MM, va: number, len: number): number | null {
  const ram = ctx.pm.ram;
  let lo = 0, hi = 0;
  for (let i = 0; i < len; i++) {
    const off = userPage(ctx, mm, va + i, false);
    if (off < 0) return null;
    if (i < 4) lo += ram[off] * 2 ** (8 * i);
    else hi += ram[off] * 2 ** (8 * (i - 4));
  }
  return hi * 4294967296 + lo;
}

/** Write the low `len` bytes of the words lo, hi (little-endian) at `va` straddling two pages; 0 or -EFAULT (earlier bytes stay written, as with copyout). */
function putStraddling(ctx: MmContext, mm: MM, va: number, lo: number, hi: number, len: number): number {
  const ram = ctx.pm.ram;
  for (let i = 0; i < len; i++) {
    const off = userPage(ctx, mm, va + i, true);
    if (off < 0) return -EFAULT;
    ram[off] = i < 4 ? lo >>> (8 * i) : hi >>> (8 * (i - 4));
  }
  return 0;
}

/** Read a little-endian u64 (as a number; pointers and sizes fit) from user memory. */
export function getUser64(ctx: MmContext, mm: MM, va: number): number | null {
  const off = userWord(ctx, mm, va, 8, false);
  if (off === -2) return getStraddling(ctx, mm, va, 8);
  return off < 0 ? null : getU64(ctx.pm.ram, off);
}

/** Write a 64-bit value (a number in -2^63..2^64, or a BigInt for all 64 bits). Returns 0 or -EFAULT. */
export function putUser64(ctx: MmContext, mm: MM, va: number, v: number | bigint): number {
  let lo: number, hi: number;
  if (typeof v === "bigint") {
    const u = BigInt.asUintN(64, v);
    lo = Number(u & 0xffffffffn);
    hi = Number(u >> 32n);
  } else {
    const x = Math.trunc(v);
    hi = Math.floor(x / 4294967296); // negative values: the two's-complement high word
    lo = x - hi * 4294967296;
  }
  const off = userWord(ctx, mm, va, 8, true);
  if (off === -2) return putStraddling(ctx, mm, va, lo, hi, 8);
  if (off < 0) return -EFAULT;
  putU32(ctx.pm.ram, off, lo);
  putU32(ctx.pm.ram, off + 4, hi);
  return 0;
}

/** Read a little-endian 32-bit word as a signed int (ints, pids, futex words); null on EFAULT. */
export function getUser32(ctx: MmContext, mm: MM, va: number): number | null {
  const off = userWord(ctx, mm, va, 4, false);
  if (off === -2) {
    const v = getStraddling(ctx, mm, va, 4);
    return v === null ? null : v | 0;
  }
  return off < 0 ? null : getI32(ctx.pm.ram, off);
}

/** Write the low 32 bits of `v`. Returns 0 or -EFAULT. */
export function putUser32(ctx: MmContext, mm: MM, va: number, v: number): number {
  const off = userWord(ctx, mm, va, 4, true);
  if (off === -2) return putStraddling(ctx, mm, va, v | 0, 0, 4);
  if (off < 0) return -EFAULT;
  putU32(ctx.pm.ram, off, v | 0);
  return 0;
}

/**
 * Linux's access_ok: whether [va, va + len) lies inside the user half at all.
 * It checks the range only, not the mapping (copyin/copyout find that out), so
 * read(fd, buf, SIZE_MAX) is EFAULT before anything is read or consumed.
 */
export function accessOk(va: number, len: number): boolean {
  return len <= USER_TOP && va <= USER_TOP - len;
}
