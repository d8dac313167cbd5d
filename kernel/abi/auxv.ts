// The ELF auxiliary vector of the Linux riscv64 ABI (uapi/linux/auxvec.h):
// the AT_* keys the kernel puts above envp, and the HWCAP bits it reports.
//
// Concepts: C05 (the ABI), C20 (loading a program).

import { layout } from "./layout.js";

/** One aux vector entry, Elf64_auxv_t (<elf.h>): a_type, then a_un.a_val. */
export const AUXV_ENTRY = layout(16, { a_type: [0, "u64"], a_val: [8, "u64"] });

export const HWCAP_RV64IMAFDC = 0x112d;
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12,
  GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, EXECFN: 31, MINSIGSTKSZ: 51,
} as const;
