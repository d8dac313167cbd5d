/* sigframe: the rt_sigframe a handler sees, and what rt_sigreturn takes back.
 *
 * SIGUSR1 is sent by an inline tgkill ecall with known values live in t3 and
 * s2 (64-bit patterns above 2^53), ft0 and ft11 (a NaN-boxed single, a NaN
 * payload) and fcsr. The handler checks that uc_mcontext holds exactly those
 * values in __gregs[xN] / __fpregs.__d.__f[N] / __fcsr, that pc is just after
 * the ecall and that the ucontext follows the 128-byte siginfo; then it
 * rewrites t3, s2, ft0, fcsr and pc (+4, skipping `li t4, 0xbad`). After the
 * return the program checks that the rewritten values are the live ones.
 * Linux restores the whole context from the frame, so this passes there
 * (qemu-riscv64) as under tsix. Prints "sigframe: ok" and exits 0 on success.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>

static int fails;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    if (!ok) fails++;
}

#define T3_IN 0xfedcba9876543210ULL
#define S2_IN 0x8000000000000001ULL
#define F0_IN 0xffffffff3fc00000ULL  /* 1.5f, NaN-boxed */
#define F31_IN 0x7ff8dead0000beefULL /* a quiet NaN with a payload */
#define T3_OUT 0x0123456789abcdefULL
#define S2_OUT 0xfffffffffffffffeULL
#define F0_OUT 0xc00921fb54442d18ULL /* -pi */
#define FCSR_IN 0x10                  /* frm RNE, fflags NV */
#define FCSR_OUT ((2 << 5) | 0x1)     /* frm RDN, fflags NX */

static volatile uint64_t want[7] = {T3_IN, S2_IN, F0_IN, F31_IN, T3_OUT, S2_OUT, F0_OUT};
static volatile uint64_t seen_t3, seen_s2, seen_a7, seen_pc, seen_f0, seen_f31, seen_fcsr;
static volatile long uc_minus_si;
static volatile int seen_signo;

static void handler(int sig, siginfo_t *si, void *ucp) {
    (void)sig;
    ucontext_t *uc = ucp;
    mcontext_t *mc = &uc->uc_mcontext;
    seen_signo = si->si_signo;
    uc_minus_si = (char *)ucp - (char *)si;
    seen_t3 = mc->__gregs[28];
    seen_s2 = mc->__gregs[18];
    seen_a7 = mc->__gregs[17];
    seen_pc = mc->__gregs[0];
    seen_f0 = mc->__fpregs.__d.__f[0];
    seen_f31 = mc->__fpregs.__d.__f[31];
    seen_fcsr = mc->__fpregs.__d.__fcsr;
    mc->__gregs[28] = T3_OUT;
    mc->__gregs[18] = S2_OUT;
    mc->__fpregs.__d.__f[0] = F0_OUT;
    mc->__fpregs.__d.__fcsr = FCSR_OUT;
    mc->__gregs[0] += 4; /* skip the `li t4, 0xbad` after the ecall */
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    long pid = getpid(), tid = syscall(SYS_gettid);
    uint64_t t3v, s2v, t4v, f0v, f31v, fcsr, ecall_pc;
    __asm__ volatile(
        "mv t3, %[t3in]\n mv s2, %[s2in]\n fmv.d.x ft0, %[f0in]\n fmv.d.x ft11, %[f31in]\n"
        "fscsr %[fcsrin]\n li t4, 7\n"
        "mv a0, %[pid]\n mv a1, %[tid]\n li a2, %[sig]\n li a7, %[nr]\n"
        "1: ecall\n"
        "li t4, 0xbad\n"
        "mv %[o3], t3\n mv %[os2], s2\n mv %[o4], t4\n fmv.x.d %[of0], ft0\n fmv.x.d %[of31], ft11\n"
        "frcsr %[ofcsr]\n fscsr zero\n la %[opc], 1b\n"
        : [o3] "=&r"(t3v), [os2] "=&r"(s2v), [o4] "=&r"(t4v), [of0] "=&r"(f0v), [of31] "=&r"(f31v),
          [ofcsr] "=&r"(fcsr), [opc] "=&r"(ecall_pc)
        : [t3in] "r"(T3_IN), [s2in] "r"(S2_IN), [f0in] "r"(F0_IN), [f31in] "r"(F31_IN), [fcsrin] "r"(FCSR_IN),
          [pid] "r"(pid), [tid] "r"(tid), [sig] "i"(SIGUSR1), [nr] "i"(SYS_tgkill)
        : "a0", "a1", "a2", "a7", "t3", "t4", "s2", "ft0", "ft11", "memory");
    /* Compare with the constants re-read from memory: the compiler would
     * otherwise reuse the callee-saved registers that carried them into the
     * asm, and those come back from the frame too. */
    check(seen_signo == SIGUSR1, "the handler ran for SIGUSR1");
    check(uc_minus_si == 128, "the ucontext follows the 128-byte siginfo in the frame");
    check(seen_pc == ecall_pc + 4, "uc_mcontext pc is the instruction after the ecall");
    check(seen_t3 == want[0] && seen_s2 == want[1] && seen_a7 == SYS_tgkill, "uc_mcontext x28 (t3), x18 (s2), x17 (a7) hold the interrupted values, all 64 bits");
    check(seen_f0 == want[2] && seen_f31 == want[3], "uc_mcontext f0 and f31 hold the interrupted bit patterns");
    check(seen_fcsr == FCSR_IN, "uc_mcontext fcsr holds the interrupted frm and fflags");
    check(t4v == 7, "the pc the handler wrote is where execution resumed (li t4, 0xbad skipped)");
    check(t3v == want[4] && s2v == want[5], "t3 and s2 are the values the handler wrote, all 64 bits");
    check(f0v == want[6] && f31v == want[3], "f0 is the handler's value, f31 is unchanged");
    check(fcsr == FCSR_OUT, "fcsr is the handler's frm and fflags");
    if (fails) return 1;
    printf("sigframe: ok\n");
    return 0;
}
