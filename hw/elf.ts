// ELF64 (RISC-V, little-endian) parsing: the file header and program headers.
// Used by the bare-metal loader (load segments at their physical addresses)
// and by the kernel's execve. Malformed input raises ElfError with a one-line
// reason; nothing here trusts a field before checking it against the file size.
//
// Concepts: C20 (a program file becomes an address space), C10 (kernel load).

export const EM_RISCV = 243;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export class ElfError extends Error {}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfFile {
  type: number;          // ET_EXEC or ET_DYN
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  flags: number;
  phdrs: ProgramHeader[];
  /** The PT_INTERP path, if any. */
  interp?: string;
}

function u64(dv: DataView, off: number): number {
  const v = dv.getBigUint64(off, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`field at offset ${off} is too large`);
  return Number(v);
}

/**
 * Parse and validate an ELF64 RISC-V image. `bytes` may be just the start of
 * the file (enough for the headers); `fileSize` is then the whole file's size.
 */
export function parseElf(bytes: Uint8Array, fileSize = bytes.length): ElfFile {
  if (bytes.length < 64) throw new ElfError("file too short to be an ELF executable");
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError("not an ELF file (bad magic)");
  }
  if (bytes[4] !== 2) throw new ElfError("not a 64-bit ELF file");
  if (bytes[5] !== 1) throw new ElfError("not a little-endian ELF file");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_RISCV) throw new ElfError(`not a RISC-V ELF file (e_machine ${machine})`);
  if (type !== ET_EXEC && type !== ET_DYN) throw new ElfError(`not an executable ELF file (e_type ${type})`);
  const entry = u64(dv, 24);
  const phoff = u64(dv, 32);
  const flags = dv.getUint32(48, true);
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phnum === 0) throw new ElfError("ELF file has no program headers");
  if (phentsize < 56) throw new ElfError(`bad program header size ${phentsize}`);
  if (phoff + phnum * phentsize > bytes.length) throw new ElfError("program headers lie outside the file");
  const phdrs: ProgramHeader[] = [];
  let interp: string | undefined;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const ph: ProgramHeader = {
      type: dv.getUint32(o, true),
      flags: dv.getUint32(o + 4, true),
      offset: u64(dv, o + 8),
      vaddr: u64(dv, o + 16),
      paddr: u64(dv, o + 24),
      filesz: u64(dv, o + 32),
      memsz: u64(dv, o + 40),
      align: u64(dv, o + 48),
    };
    if (ph.type === PT_LOAD || ph.type === PT_INTERP) {
      if (ph.offset + ph.filesz > fileSize) throw new ElfError(`segment ${i} lies outside the file`);
      if (ph.filesz > ph.memsz) throw new ElfError(`segment ${i} has filesz > memsz`);
    }
    if (ph.type === PT_INTERP) {
      if (ph.offset + ph.filesz > bytes.length) throw new ElfError("PT_INTERP lies outside the headers read");
      const raw = bytes.subarray(ph.offset, ph.offset + ph.filesz);
      const nul = raw.indexOf(0);
      interp = new TextDecoder().decode(nul >= 0 ? raw.subarray(0, nul) : raw);
      if (interp.length === 0) throw new ElfError("empty PT_INTERP");
    }
    phdrs.push(ph);
  }
  return { type, entry, phoff, phentsize, phnum, flags, phdrs, interp };
}

/** The PT_LOAD segments of a parsed file. */
export function loadSegments(elf: ElfFile): ProgramHeader[] {
  return elf.phdrs.filter((p) => p.type === PT_LOAD);
}
