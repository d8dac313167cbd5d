// Signals in the Linux riscv64 ABI (asm-generic/signal.h, siginfo.h):
// signal numbers, sigaction flags, handler values and si_code values.
//
// Concepts: C05 (the ABI), C44 (signals).
import { layout } from "./layout.js";

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
 * struct sigaction as rt_sigaction reads it on riscv64 (asm-generic
 * signal.h): handler, flags (unsigned long), mask. riscv defines no
 * SA_RESTORER, so there is no sa_restorer field: 24 bytes.
 */
export const SIGACTION = layout(24, { sa_handler: [0, "u64"], sa_flags: [8, "u64"], sa_mask: [16, "u64"] });
/** sigset_t as the rt_* calls pass it (sigsetsize 8: one 64-bit mask, signal n is bit n-1). */
export const SIGSET = layout(8, { sig: [0, "u64"] });
/** pselect6's sixth argument (fs/select.c's sigset_argpack): a sigset_t pointer and its size. */
export const SIGSET_ARGPACK = layout(16, { p: [0, "u64"], size: [8, "u64"] });
/** stack_t (sigaltstack, uc_stack): base, flags (int), size. */
export const STACK_T = layout(24, { ss_sp: [0, "u64"], ss_flags: [8, "i32"], ss_size: [16, "u64"] });
/**
 * siginfo_t (asm-generic/siginfo.h, 128 bytes): signo, errno, code, then at
 * 16 the union; the members tsix fills overlap there: _kill/_rt (pid, uid,
 * sigval), _timer (tid, overrun, sigval), _sigchld (pid, uid, status, utime,
 * stime), _sigfault (addr), _sigpoll (band, fd).
 */
export const SIGINFO = layout(128, {
  si_signo: [0, "i32"], si_errno: [4, "i32"], si_code: [8, "i32"],
  si_pid: [16, "i32"], si_uid: [20, "u32"], si_value: [24, "u64"],
  si_timerid: [16, "i32"], si_overrun: [20, "i32"],
  si_status: [24, "i32"], si_utime: [32, "i64"], si_stime: [40, "i64"],
  si_addr: [16, "u64"],
  si_band: [16, "i64"], si_fd: [24, "i32"],
});
/**
 * The ucontext of the riscv64 rt_sigframe (arch/riscv/include/uapi/asm/
 * ucontext.h): uc_flags, uc_link, uc_stack (a stack_t), uc_sigmask (8 bytes
 * used of a 128-byte field), then at 176 uc_mcontext, a struct sigcontext
 * (SIGCONTEXT below). sc_pc and sc_f0 are the first words of the
 * sigcontext's register file and of its FP state: they place the nested
 * structs inside the ucontext (and the C layout check confirms both). 960 bytes.
 */
export const UCONTEXT = layout(960, {
  uc_flags: [0, "u64"], uc_link: [8, "u64"],
  uc_stack_sp: [16, "u64"], uc_stack_flags: [24, "i32"], uc_stack_size: [32, "u64"],
  uc_sigmask: [40, "u64"],
  sc_pc: [176, "u64"], sc_f0: [432, "u64"],
});

/**
 * struct user_regs_struct (asm/ptrace.h) field names in order: pc, then x1..x31
 * by their ABI names, so that USER_REGS[n] names register xn (n >= 1).
 */
export const USER_REGS = [
  "pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
  "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
] as const;
export type UserReg = (typeof USER_REGS)[number];

/** The 32 FP registers of struct __riscv_d_ext_state, FP_REGS[n] naming fn. */
export const FP_REGS = [
  "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15",
  "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31",
] as const;
export type FpReg = (typeof FP_REGS)[number];

/** `names[i]` as a u64 field at `i * 8` (register files are arrays of 64-bit words). */
function words<N extends string>(names: readonly N[]): { [K in N]: readonly [number, "u64"] } {
  const out = {} as { [K in N]: readonly [number, "u64"] };
  names.forEach((n, i) => { out[n] = [i * 8, "u64"]; });
  return out;
}

/**
 * struct sigcontext (asm/sigcontext.h): sc_regs, the user_regs_struct
 * (pc, x1..x31), then at SC_FPREGS the FP state, union __riscv_fp_state,
 * whose largest member (the Q state: f[64], fcsr, reserved[3]) makes it 528
 * bytes. tsix fills the D state (D_EXT_STATE) there; the Q state's reserved
 * words, the extension space after it, must be zero on rt_sigreturn. 784 bytes.
 */
export const SIGCONTEXT = layout(784, {
  ...words(USER_REGS),
  q_reserved0: [772, "u32"], q_reserved1: [776, "u32"], q_reserved2: [780, "u32"],
});
export const SC_FPREGS = UCONTEXT.fields.sc_f0[0] - UCONTEXT.fields.sc_pc[0];

/** struct __riscv_d_ext_state (asm/ptrace.h): f0..f31 (raw 64-bit patterns), then fcsr. 264 bytes. */
export const D_EXT_STATE = layout(264, { ...words(FP_REGS), fcsr: [256, "u32"] });

/**
 * The riscv64 rt_sigframe (arch/riscv/kernel/signal.c, with an MMU): a
 * siginfo (SIGINFO_SIZE bytes), then a ucontext at UC_OFF whose stack_t,
 * sigset and mcontext (sigcontext: x0-x31, then the FP state at MC_FPREGS)
 * sit at the offsets below, all taken from the layouts above. The frame is
 * kernel-internal (no uapi header declares it), so it is these two offsets
 * rather than a layout of its own.
 */
export const SIGINFO_SIZE = SIGINFO.size;
export const UC_OFF = SIGINFO.size;
export const RT_SIGFRAME_SIZE = SIGINFO.size + UCONTEXT.size;
export const UC_STACK = UCONTEXT.fields.uc_stack_sp[0];
export const UC_SIGMASK = UCONTEXT.fields.uc_sigmask[0];
export const UC_MCONTEXT = UCONTEXT.fields.sc_pc[0];
export const MC_FPREGS = SC_FPREGS;
/** sigaltstack(2) flags and the smallest stack it accepts. */
export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1 << 31;
export const MINSIGSTKSZ = 2048;
