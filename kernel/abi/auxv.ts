// The ELF auxiliary vector of the Linux riscv64 ABI (uapi/linux/auxvec.h):
// the AT_* keys the kernel puts above envp, and the HWCAP bits it reports.
//
// Concepts: C05 (the ABI), C20 (loading a program).

export const HWCAP_RV64IMAFDC = 0x112d;
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12,
  GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, EXECFN: 31, MINSIGSTKSZ: 51,
} as const;
