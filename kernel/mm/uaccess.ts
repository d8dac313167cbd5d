// copyin / copyout: the only doors between the kernel and user memory. Every
// user pointer is translated through the task's own page tables, page by
// page, exactly as the MMU would; a page that is missing or forbids the access
// goes through the fault handler (so a read() into a fresh heap page or a COW
// page works), and anything the fault handler refuses is EFAULT.
//
// Concepts: C06 (bad pointers give EFAULT, never a kernel crash), C50.
import { type MM, type MmContext } from "./mm.js";
import { PAGE_SIZE, RAM_BASE } from "./phys.js";
import { lookupPte, ptePa, PTE_V, PTE_U, PTE_R, PTE_W, USER_TOP } from "./pagetable.js";
import { handleFault, ACCESS_READ, ACCESS_WRITE, FAULT_OK } from "./fault.js";
import { EFAULT, ENAMETOOLONG } from "../abi/errno.js";

/** Offset into ram of user address `va` for an access, faulting the page in; -1 on EFAULT. */
export function userPage(ctx: MmContext, mm: MM, va: number, write: boolean): number {
  if (!(va >= 0 && va < USER_TOP) || !Number.isInteger(va)) return -1;
  for (let attempt = 0; attempt < 2; attempt++) {
    const pte = lookupPte(ctx.pm, mm.root, va);
    const ok = (pte & PTE_V) && (pte & PTE_U) && (write ? (pte & PTE_W) : (pte & PTE_R));
    if (ok) return ptePa(pte) - RAM_BASE + (va % PAGE_SIZE);
    if (handleFault(ctx, mm, va, write ? ACCESS_WRITE : ACCESS_READ) !== FAULT_OK) return -1;
  }
  return -1;
}

/** Copy `len` bytes from user `va` into `dst` (at dstOff). Returns 0 or -EFAULT. */
export function copyin(ctx: MmContext, mm: MM, va: number, dst: Uint8Array, dstOff = 0, len = dst.length - dstOff): number {
  const ram = ctx.pm.ram;
  let done = 0;
  while (done < len) {
    const off = userPage(ctx, mm, va + done, false);
    if (off < 0) return -EFAULT;
    const n = Math.min(len - done, PAGE_SIZE - ((va + done) % PAGE_SIZE));
    dst.set(ram.subarray(off, off + n), dstOff + done);
    done += n;
  }
  return 0;
}

/** Copy `src` to user `va`. Returns 0 or -EFAULT (some bytes may have been written). */
export function copyout(ctx: MmContext, mm: MM, va: number, src: Uint8Array): number {
  const ram = ctx.pm.ram;
  let done = 0;
  while (done < src.length) {
    const off = userPage(ctx, mm, va + done, true);
    if (off < 0) return -EFAULT;
    const n = Math.min(src.length - done, PAGE_SIZE - ((va + done) % PAGE_SIZE));
    ram.set(src.subarray(done, done + n), off);
    done += n;
  }
  return 0;
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

const decoder = new TextDecoder();

/**
 * Read a NUL-terminated string of at most `max` bytes (including the NUL).
 * Returns the string, or -EFAULT / -ENAMETOOLONG.
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
      if (parts.length === 1) return decoder.decode(parts[0]);
      const all = new Uint8Array(total + nul);
      let p = 0;
      for (const c of parts) { all.set(c, p); p += c.length; }
      return decoder.decode(all);
    }
    parts.push(chunk.slice());
    total += n;
  }
  return -ENAMETOOLONG;
}

/** Read a little-endian u64 (as a number; pointers and sizes fit) from user memory. */
export function getUser64(ctx: MmContext, mm: MM, va: number): number | null {
  const b = new Uint8Array(8);
  if (copyin(ctx, mm, va, b) < 0) return null;
  const dv = new DataView(b.buffer);
  return dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
}

export function putUser64(ctx: MmContext, mm: MM, va: number, v: number | bigint): number {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  return copyout(ctx, mm, va, b);
}

export function getUser32(ctx: MmContext, mm: MM, va: number): number | null {
  const b = new Uint8Array(4);
  if (copyin(ctx, mm, va, b) < 0) return null;
  return new DataView(b.buffer).getInt32(0, true);
}

export function putUser32(ctx: MmContext, mm: MM, va: number, v: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v | 0, true);
  return copyout(ctx, mm, va, b);
}

/**
 * Linux's access_ok: whether [va, va + len) lies inside the user half at all.
 * It checks the range only, not the mapping (copyin/copyout find that out), so
 * read(fd, buf, SIZE_MAX) is EFAULT before anything is read or consumed.
 */
export function accessOk(va: number, len: number): boolean {
  return len <= USER_TOP && va <= USER_TOP - len;
}
