// The ELF loader behind execve: builds a fresh address space from an
// executable (static ET_EXEC, static-pie or dynamic PIE with PT_INTERP),
// maps its PT_LOAD segments as private file mappings (demand paged from the
// page cache), adds BSS and the heap start, and lays out the initial stack
// exactly as Linux does: argc, argv, envp, the aux vector (the entries glibc
// and ld.so read: AT_PHDR, AT_PHNUM, AT_ENTRY, AT_BASE, AT_RANDOM, AT_HWCAP,
// AT_EXECFN...), then the strings.
//
// Concepts: C20 (a program becomes text/data/BSS/heap/stack regions),
// C24 (exec replaces the address space), C53 (segments load on first touch).
import { parseElf, ElfError, PT_LOAD, PT_INTERP, PT_PHDR, PT_GNU_STACK, ET_DYN, PF_R, PF_W, PF_X, type ElfFile } from "../../hw/elf.js";
import { type MM, type MmContext, createMM, mapRegion, releaseMM, pageUp, pageDown, STACK_TOP } from "../mm/mm.js";
import { PROT_READ, PROT_WRITE, PROT_EXEC, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_GROWSDOWN } from "../abi/mman.js";
import { copyout, clearUser } from "../mm/uaccess.js";
import { PAGE_SIZE, type PhysMem } from "../mm/phys.js";
import type { BackingSource, VmaBacking } from "../mm/backing.js";
import { ENOEXEC, ENOMEM, EFAULT, E2BIG } from "../abi/errno.js";
import { strToBytes } from "../lib/bytestr.js";
import type { Creds } from "./task.js";
import { mapVdso } from "../signal/frame.js";
import {
  HWCAP_RV64IMAFDC, AT, AUXV_ENTRY,
} from "../abi/auxv.js";
import { pack } from "../abi/layout.js";
import { putU64 } from "../abi/le.js";

/** An executable as the loader sees it: its pages for mapping, and random access for headers. */
export interface ExecFile {
  readonly mapping: BackingSource;
  readonly size: number;
  /** Read `len` bytes at `off` (shorter at end of file). */
  readAt(off: number, len: number): Uint8Array;
}

/** Where PIE executables are loaded (Linux's ELF_ET_DYN_BASE for a 39-bit space, page aligned). */
export const PIE_BASE = 0x2aaaaab000;
const STACK_INITIAL = 128 * 1024;
/** Total bytes of argv + envp strings allowed (Linux: a quarter of the stack limit). */
export const ARG_MAX = 2 * 1024 * 1024;


export interface ExecResult {
  mm: MM;
  entry: number;
  sp: number;
  /** The loaded program's load bias and its interpreter's base (0 if none). */
  bias: number;
  interpBase: number;
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Map an ELF's PT_LOAD segments at `bias`; returns the highest mapped end, or -errno. */
function mapSegments(ctx: MmContext, mm: MM, f: ExecFile, elf: ElfFile, bias: number): number {
  let top = 0;
  for (const ph of elf.phdrs) {
    if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
    if ((ph.vaddr - ph.offset) % PAGE_SIZE !== 0) return -ENOEXEC;
    const va = ph.vaddr + bias;
    const start = pageDown(va);
    const prot = protOf(ph.flags);
    const fileEnd = va + ph.filesz;
    const memEnd = va + ph.memsz;
    if (ph.filesz > 0) {
      const r = mapRegion(ctx, mm, start, pageUp(fileEnd) - start, prot, MAP_PRIVATE | MAP_FIXED, f.mapping,
        pageDown(ph.offset) / PAGE_SIZE);
      if (r < 0) return r;
      // The rest of the last file page belongs to BSS: it must read as zeros.
      if (memEnd > fileEnd && fileEnd % PAGE_SIZE !== 0) {
        const n = Math.min(pageUp(fileEnd), memEnd) - fileEnd;
        if (!(prot & PROT_WRITE)) return -ENOEXEC;
        if (clearUser(ctx, mm, fileEnd, n) < 0) return -EFAULT;
      }
    }
    const anonStart = ph.filesz > 0 ? pageUp(fileEnd) : start;
    if (pageUp(memEnd) > anonStart) {
      const r = mapRegion(ctx, mm, anonStart, pageUp(memEnd) - anonStart, prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, null, 0);
      if (r < 0) return r;
    }
    top = Math.max(top, pageUp(memEnd));
  }
  return top;
}

/** Span of a position-independent image, for finding room for it. */
function imageSpan(elf: ElfFile): { lo: number; hi: number } {
  let lo = Infinity, hi = 0;
  for (const ph of elf.phdrs) {
    if (ph.type !== PT_LOAD) continue;
    lo = Math.min(lo, pageDown(ph.vaddr));
    hi = Math.max(hi, pageUp(ph.vaddr + ph.memsz));
  }
  return { lo: lo === Infinity ? 0 : lo, hi };
}

/** Read and check an ELF file's headers. */
export function readElf(f: ExecFile): ElfFile | number {
  const head = f.readAt(0, Math.min(f.size, 64 * 1024));
  try {
    const elf = parseElf(head, f.size);
    if ((elf.flags & 0x6) !== 0x4 && (elf.flags & 0x6) !== 0) return -ENOEXEC; // float ABI must be double (or none)
    for (const ph of elf.phdrs) if (ph.type === PT_LOAD && ph.offset + ph.filesz > f.size) return -ENOEXEC;
    return elf;
  } catch (e) {
    if (e instanceof ElfError) return -ENOEXEC;
    throw e;
  }
}

export interface ExecArgs {
  argv: string[];
  envp: string[];
  execfn: string;
  creds: Creds;
  /** 16 random bytes for AT_RANDOM. */
  random: Uint8Array;
  /** The sigreturn trampoline page to map at VDSO_BASE (signal/frame.ts), if any. */
  vdso?: VmaBacking;
}

/**
 * Build the new address space for `main` (and its interpreter `interp`,
 * already resolved by the caller when the ELF has PT_INTERP).
 */
export function loadProgram(ctx: MmContext, main: ExecFile, mainElf: ElfFile, interp: ExecFile | null, args: ExecArgs): ExecResult | number {
  const mm = createMM(ctx);
  if (!mm) return -ENOMEM;
  const fail = (e: number): number => { releaseMM(ctx, mm); return e; };
  // The main program.
  const bias = mainElf.type === ET_DYN ? PIE_BASE - imageSpan(mainElf).lo : 0;
  const top = mapSegments(ctx, mm, main, mainElf, bias);
  if (top < 0) return fail(top);
  mm.brkStart = mm.brk = top;
  // The interpreter, at an mmap-chosen address.
  let entry = mainElf.entry + bias;
  let interpBase = 0;
  if (interp) {
    const ie = readElf(interp);
    if (typeof ie === "number") return fail(ie);
    if (ie.type !== ET_DYN) return fail(-ENOEXEC);
    const span = imageSpan(ie);
    const base = mapRegion(ctx, mm, 0, span.hi - span.lo, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
    if (base < 0) return fail(base);
    const ibias = base - span.lo;
    const r = mapSegments(ctx, mm, interp, ie, ibias);
    if (r < 0) return fail(r);
    interpBase = base;
    entry = ie.entry + ibias;
  }
  // The stack.
  const stackLow = STACK_TOP - STACK_INITIAL;
  const execStack = mainElf.phdrs.some((p) => p.type === PT_GNU_STACK && (p.flags & PF_X));
  const sr = mapRegion(ctx, mm, stackLow, STACK_INITIAL, PROT_READ | PROT_WRITE | (execStack ? PROT_EXEC : 0),
    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN, null, 0, "[stack]");
  if (sr < 0) return fail(sr);
  if (args.vdso) {
    const vr = mapVdso(ctx, mm, args.vdso);
    if (vr < 0) return fail(vr);
  }
  // Program headers address for AT_PHDR.
  let phdr = 0;
  const pphdr = mainElf.phdrs.find((p) => p.type === PT_PHDR);
  if (pphdr) phdr = pphdr.vaddr + bias;
  else {
    const first = mainElf.phdrs.find((p) => p.type === PT_LOAD && p.offset <= mainElf.phoff && mainElf.phoff < p.offset + p.filesz);
    if (first) phdr = first.vaddr - first.offset + mainElf.phoff + bias;
  }
  const sp = buildStack(ctx, mm, args, [
    [AT.PHDR, phdr], [AT.PHENT, mainElf.phentsize], [AT.PHNUM, mainElf.phnum], [AT.PAGESZ, PAGE_SIZE],
    [AT.BASE, interpBase], [AT.FLAGS, 0], [AT.ENTRY, mainElf.entry + bias],
    [AT.UID, args.creds.uid], [AT.EUID, args.creds.euid], [AT.GID, args.creds.gid], [AT.EGID, args.creds.egid],
    [AT.SECURE, 0], [AT.HWCAP, HWCAP_RV64IMAFDC], [AT.CLKTCK, 100], [AT.MINSIGSTKSZ, 2048],
  ]);
  if (sp < 0) return fail(sp);
  return { mm, entry, sp, bias, interpBase };
}

/** Lay out strings, AT_RANDOM and the argc/argv/envp/auxv block; returns sp or -errno. */
function buildStack(ctx: MmContext, mm: MM, a: ExecArgs, auxv: [number, number][]): number {
  const strs = [...a.argv, ...a.envp].map((s) => strToBytes(s, true));
  const total = strs.reduce((n, s) => n + s.length, 0);
  if (total > ARG_MAX) return -E2BIG;
  let p = STACK_TOP;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length;
    return copyout(ctx, mm, p, bytes) < 0 ? -1 : p;
  };
  const execfn = put(strToBytes(a.execfn, true));
  const platform = put(strToBytes("riscv64", true));
  const ptrs: number[] = [];
  for (const s of strs) ptrs.push(put(s));
  p = Math.floor(p / 16) * 16;
  const random = put(a.random.subarray(0, 16));
  if (execfn < 0 || platform < 0 || random < 0 || ptrs.some((x) => x < 0)) return -EFAULT;
  const aux = [...auxv, [AT.RANDOM, random], [AT.EXECFN, execfn], [AT.PLATFORM, platform], [AT.NULL, 0]];
  // argc, argv[] and NULL, envp[] and NULL (64-bit words), then the auxv entries.
  const words: number[] = [a.argv.length, ...ptrs.slice(0, a.argv.length), 0, ...ptrs.slice(a.argv.length), 0];
  const auxOff = words.length * 8;
  const block = new Uint8Array(auxOff + aux.length * AUXV_ENTRY.size);
  words.forEach((w, i) => putU64(block, i * 8, w));
  aux.forEach(([type, val], i) => pack(AUXV_ENTRY, { a_type: type, a_val: val }, block, auxOff + i * AUXV_ENTRY.size));
  p -= block.length;
  p = Math.floor(p / 16) * 16;
  if (copyout(ctx, mm, p, block) < 0) return -EFAULT;
  mm.argStart = ptrs[0] ?? p;
  mm.auxvStart = p + auxOff;
  mm.auxvLen = aux.length * AUXV_ENTRY.size;
  mm.argEnd = a.argv.length ? ptrs[a.argv.length - 1] + strs[a.argv.length - 1].length : mm.argStart;
  mm.envStart = a.envp.length ? ptrs[a.argv.length] : mm.argEnd;
  mm.envEnd = a.envp.length ? ptrs[ptrs.length - 1] + strs[strs.length - 1].length : mm.envStart;
  return p;
}

/**
 * An ExecFile over bytes held by the caller, with its own little page cache
 * of guest frames (used for boot before a file system exists, and in tests).
 */
export function bytesExecFile(_pm: PhysMem, bytes: Uint8Array, path: string): ExecFile {
  // The image's frames are made on first touch and kept (mm/backing.ts "image").
  const mapping: BackingSource = { kind: "new-image", image: { bytes, path, pages: new Map(), id: 0 } };
  return { mapping, size: bytes.length, readAt: (off, len) => bytes.subarray(off, Math.min(bytes.length, off + len)) };
}

export { PT_INTERP };
