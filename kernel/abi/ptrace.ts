// ptrace(2) request numbers, options, event codes and register-set notes of
// the Linux riscv64 ABI (linux/ptrace.h, asm-generic, elf.h).
//
// Concepts: C05 (the ABI), tracing (see docs/kernel.md "ptrace").
import { SIGTRAP } from "./signal.js";

export const PTRACE_TRACEME = 0, PTRACE_PEEKTEXT = 1, PTRACE_PEEKDATA = 2, PTRACE_PEEKUSR = 3,
  PTRACE_POKETEXT = 4, PTRACE_POKEDATA = 5, PTRACE_POKEUSR = 6, PTRACE_CONT = 7, PTRACE_KILL = 8,
  PTRACE_SINGLESTEP = 9, PTRACE_ATTACH = 16, PTRACE_DETACH = 17, PTRACE_SYSCALL = 24,
  PTRACE_SETOPTIONS = 0x4200, PTRACE_GETEVENTMSG = 0x4201, PTRACE_GETSIGINFO = 0x4202,
  PTRACE_SETSIGINFO = 0x4203, PTRACE_GETREGSET = 0x4204, PTRACE_SETREGSET = 0x4205,
  PTRACE_SEIZE = 0x4206, PTRACE_INTERRUPT = 0x4207, PTRACE_LISTEN = 0x4208,
  PTRACE_GET_SYSCALL_INFO = 0x420e;

export const PTRACE_O_TRACESYSGOOD = 1, PTRACE_O_TRACEFORK = 2, PTRACE_O_TRACEVFORK = 4,
  PTRACE_O_TRACECLONE = 8, PTRACE_O_TRACEEXEC = 0x10, PTRACE_O_TRACEVFORKDONE = 0x20,
  PTRACE_O_TRACEEXIT = 0x40, PTRACE_O_TRACESECCOMP = 0x80, PTRACE_O_EXITKILL = 0x100000,
  PTRACE_O_SUSPEND_SECCOMP = 0x200000;
/** Every option this kernel accepts (others: EINVAL). */
export const PTRACE_O_MASK = 0xff | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP;

export const PTRACE_EVENT_FORK = 1, PTRACE_EVENT_VFORK = 2, PTRACE_EVENT_CLONE = 3, PTRACE_EVENT_EXEC = 4,
  PTRACE_EVENT_VFORK_DONE = 5, PTRACE_EVENT_EXIT = 6, PTRACE_EVENT_STOP = 128;

/** PTRACE_GET_SYSCALL_INFO ops. */
export const PTRACE_SYSCALL_INFO_NONE = 0, PTRACE_SYSCALL_INFO_ENTRY = 1, PTRACE_SYSCALL_INFO_EXIT = 2;
/** AUDIT_ARCH_RISCV64 (EM_RISCV | 64-bit | little-endian). */
export const AUDIT_ARCH_RISCV64 = 0xc00000f3;

/** Register-set notes: struct user_regs_struct (pc, x1..x31) and the F/D state (f0..f31, fcsr). */
export const NT_PRSTATUS = 1, NT_PRFPREG = 2;
export const USER_REGS_SIZE = 32 * 8;
/** f0..f31 and fcsr: ELF_NFPREG (33) slots of 8 bytes, fcsr in the low half of the last (Linux riscv_fpr_get). */
export const USER_FPREGS_SIZE = 33 * 8;
/** A regset's slot size: iov_len must be a multiple of it (Linux ptrace_regset, EINVAL): gdb probes flen this way. */
export const REGSET_SLOT = 8;
export const CLD_TRAPPED = 4; // siginfo si_code of SIGCHLD for a ptrace-stop

/** The wait status of a ptrace-stop: WSTOPSIG `sig` (with 0x80 for TRACESYSGOOD) and a PTRACE_EVENT_* in bits 16-23. */
export function ptraceStopStatus(sig: number, event = 0): number {
  return (((sig & 0xff) | (event << 8)) << 8) | 0x7f;
}

/** The status of a syscall-entry or -exit stop: SIGTRAP, | 0x80 under PTRACE_O_TRACESYSGOOD. */
export function syscallStopStatus(options: number): number {
  return ptraceStopStatus(SIGTRAP | ((options & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0));
}
