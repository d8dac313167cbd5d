// Signals in the Linux riscv64 ABI (asm-generic/signal.h, siginfo.h):
// signal numbers, sigaction flags, handler values and si_code values.
//
// Concepts: C05 (the ABI), C44 (signals).

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
  SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
  SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
  SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
  SIGIO = 29, SIGPWR = 30, SIGSYS = 31;

export const SIGRTMIN = 32;

/** A signal's bit in a sigset_t (signal 1 is bit 0). */
export function sigBit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** SIGKILL and SIGSTOP can be neither blocked nor caught. */
export const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);
export const NSIG = 64;
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SA_NOCLDSTOP = 0x1, SA_NOCLDWAIT = 0x2, SA_SIGINFO = 0x4, SA_ONSTACK = 0x08000000,
  SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000, SA_RESTORER = 0x04000000;

/** si_code values (asm-generic/siginfo.h). */
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_MESGQ = -3, SI_TKILL = -6;
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;
/** rt_sigprocmask(2) how. */
export const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
/** si_code of fault signals. */
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRALN = 1, BUS_ADRERR = 2, ILL_ILLOPC = 1, TRAP_BRKPT = 1;
/**
 * The riscv64 rt_sigframe: a siginfo (SIGINFO_SIZE bytes), then a ucontext
 * at UC_OFF whose stack_t, sigset and mcontext (x0-x31 then the FP state at
 * MC_FPREGS) sit at the offsets below (arch/riscv/include/uapi/asm/ucontext.h).
 */
export const SIGINFO_SIZE = 128;
export const UC_OFF = 128;
export const UC_STACK = 16;
export const UC_SIGMASK = 40;
export const UC_MCONTEXT = 176;
export const MC_FPREGS = 256;
/** sigaltstack(2) flags and the smallest stack it accepts. */
export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1 << 31;
export const MINSIGSTKSZ = 2048;
