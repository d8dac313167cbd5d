/*
 * sigtest: signal delivery details on the tsix kernel.
 * Concepts: C44 (handlers run on a kernel-built frame, masks, pending sets,
 * queued real-time signals, the alternate stack, interrupted system calls).
 *
 * Proves:
 *   - siginfo fields: kill -> SI_USER + sender pid/uid, raise (tgkill) ->
 *     SI_TKILL, sigqueue -> SI_QUEUE + si_value;
 *   - nesting: an unblocked signal raised in a handler runs nested inside it;
 *     one in sa_mask waits until the handler returns; SA_NODEFER re-enters;
 *     SA_RESETHAND makes the handler one-shot;
 *   - real-time signals queue (three sent while blocked, three delivered in
 *     order); standard ones do not;
 *   - sigtimedwait: EAGAIN on timeout, takes a pending signal with its info;
 *   - the handler's ucontext holds the interrupted mask; integer and FP
 *     temporaries and the FP rounding mode survive a handler that clobbers them;
 *   - sigaltstack: the handler runs on the alternate stack (SS_ONSTACK seen
 *     inside), and a stack overflow is caught there;
 *   - SA_RESTART: a read from a pipe interrupted by SIGALRM restarts and gets
 *     the data; without SA_RESTART it fails with EINTR; wait4 restarts too;
 *   - SIGKILL and SIGSTOP cannot be caught or blocked;
 *   - a corrupted signal frame makes rt_sigreturn kill the process with SIGSEGV.
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int masked) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (masked) sigaddset(&sa.sa_mask, masked);
    if (sigaction(sig, &sa, NULL) != 0) { perror("sigaction"); exit(2); }
}

/* ---- siginfo ---- */
static volatile int got_code, got_pid, got_uid, got_value, got_signo;
static void info_handler(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    got_signo = sig; got_code = si->si_code; got_pid = si->si_pid; got_uid = (int)si->si_uid;
    got_value = si->si_value.sival_int;
}

/* ---- nesting ---- */
static char order[32];
static volatile int olen;
static void rec(char c) { if (olen < 31) order[olen++] = c; }
static void nest_usr2(int sig, siginfo_t *si, void *uc) { (void)sig; (void)si; (void)uc; rec('2'); }
static void nest_usr1(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)si; (void)uc;
    rec('a'); raise(SIGUSR2); rec('b');
}
static volatile int depth, maxdepth, calls;
static void nodefer_handler(int sig, siginfo_t *si, void *uc) {
    (void)si; (void)uc;
    depth++;
    calls++;
    if (depth > maxdepth) maxdepth = depth;
    if (calls < 3) raise(sig);
    depth--;
}

/* ---- real-time queueing ---- */
static int rt_values[8];
static volatile int rt_count;
static void rt_handler(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    if (rt_count < 8) rt_values[rt_count] = si->si_value.sival_int;
    rt_count++;
}
static volatile int usr1_count;
static void count_handler(int sig, siginfo_t *si, void *uc) { (void)sig; (void)si; (void)uc; usr1_count++; }

/* ---- ucontext and register preservation ---- */
static volatile int mask_ok, clobbered;
#if defined(__riscv)
static void ctx_handler(int sig, siginfo_t *si, void *ucp) {
    (void)sig; (void)si;
    ucontext_t *uc = ucp;
    mask_ok = sigismember(&uc->uc_sigmask, SIGUSR2) == 1 && sigismember(&uc->uc_sigmask, SIGUSR1) == 0;
    /* Clobber caller-saved integer and FP registers and the rounding mode. */
    __asm__ volatile("li t3, 0x1111\n li t4, 0x2222\n fmv.d.x ft0, zero\n fmv.d.x ft1, zero\n fsrmi 3" ::: "t3", "t4", "ft0", "ft1", "memory");
    clobbered = 1;
}
#endif

/* ---- alternate stack ---- */
static char *alt_base;
static size_t alt_size;
static volatile int on_alt, onstack_flag;
static void alt_handler(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)si; (void)uc;
    char local;
    on_alt = &local >= alt_base && &local < alt_base + alt_size;
    stack_t cur;
    sigaltstack(NULL, &cur);
    onstack_flag = (cur.ss_flags & SS_ONSTACK) != 0;
}
static void overflow_handler(int sig, siginfo_t *si, void *uc) {
    (void)si; (void)uc;
    char local;
    _exit(sig == SIGSEGV && &local >= alt_base && &local < alt_base + alt_size ? 0 : 1);
}
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(volatile char *p) {
    volatile char buf[1024];
    buf[0] = p ? p[0] + 1 : 0;
    return recurse(buf) + buf[0];
}

/* ---- SA_RESTART ---- */
static volatile int alarms;
static void alarm_handler(int sig, siginfo_t *si, void *uc) { (void)sig; (void)si; (void)uc; alarms++; }
static void arm_ms(int ms) {
    struct itimerval it = {{0, 0}, {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}
static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* Read from a pipe whose writer (a child) writes after 200 ms, with SIGALRM at 30 ms. */
static ssize_t interrupted_read(int restart, int *err, char *buf) {
    int p[2];
    if (pipe(p) != 0) return -2;
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        msleep(200);
        write(p[1], "data", 4);
        _exit(0);
    }
    close(p[1]);
    alarms = 0;
    set_handler(SIGALRM, alarm_handler, restart ? SA_RESTART : 0, 0);
    arm_ms(30);
    ssize_t n = read(p[0], buf, 16);
    *err = errno;
    close(p[0]);
    waitpid(c, NULL, 0);
    return n;
}

static volatile int chld_count;
static void chld_handler(int sig, siginfo_t *si, void *uc) { (void)sig; (void)si; (void)uc; chld_count++; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char what[200];

    /* siginfo for kill, raise and sigqueue */
    set_handler(SIGUSR1, info_handler, 0, 0);
    kill(getpid(), SIGUSR1);
    check(got_signo == SIGUSR1 && got_code == SI_USER && got_pid == getpid() && got_uid == (int)getuid(), "kill: SI_USER with the sender's pid and uid");
    raise(SIGUSR1);
    check(got_code == SI_TKILL && got_pid == getpid(), "raise (tgkill): SI_TKILL");
    union sigval v = {.sival_int = 4242};
    sigqueue(getpid(), SIGUSR1, v);
    check(got_code == SI_QUEUE && got_value == 4242, "sigqueue: SI_QUEUE and the value");

    /* nesting and masks */
    set_handler(SIGUSR2, nest_usr2, 0, 0);
    set_handler(SIGUSR1, nest_usr1, 0, 0);
    olen = 0; raise(SIGUSR1); order[olen] = 0;
    snprintf(what, sizeof what, "a signal raised in a handler runs nested (order %s)", order);
    check(strcmp(order, "a2b") == 0, what);
    set_handler(SIGUSR1, nest_usr1, 0, SIGUSR2);
    olen = 0; raise(SIGUSR1); order[olen] = 0;
    snprintf(what, sizeof what, "a signal in sa_mask waits until the handler returns (order %s)", order);
    check(strcmp(order, "ab2") == 0, what);
    set_handler(SIGUSR1, nodefer_handler, SA_NODEFER, 0);
    maxdepth = 0; calls = 0; raise(SIGUSR1);
    check(maxdepth == 3, "SA_NODEFER: the handler re-entered itself");
    set_handler(SIGUSR1, nodefer_handler, 0, 0);
    maxdepth = 0; calls = 0; raise(SIGUSR1);
    check(maxdepth == 1 && calls == 3, "without SA_NODEFER the signal waits for its own handler to return");
    pid_t c = fork();
    if (c == 0) {
        set_handler(SIGUSR1, count_handler, SA_RESETHAND, 0);
        raise(SIGUSR1);
        if (usr1_count != 1) _exit(3);
        raise(SIGUSR1); /* default action now: terminate */
        _exit(4);
    }
    int st;
    waitpid(c, &st, 0);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1, "SA_RESETHAND: the second SIGUSR1 took the default action");

    /* real-time signals queue, standard ones do not */
    sigset_t rt, old;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN + 1);
    sigaddset(&rt, SIGUSR1);
    set_handler(SIGRTMIN + 1, rt_handler, 0, 0);
    set_handler(SIGUSR1, count_handler, 0, 0);
    sigprocmask(SIG_BLOCK, &rt, &old);
    for (int i = 1; i <= 3; i++) { v.sival_int = i; sigqueue(getpid(), SIGRTMIN + 1, v); }
    usr1_count = 0;
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    snprintf(what, sizeof what, "3 queued SIGRTMIN+1 delivered 3 times in order (%d: %d %d %d)", rt_count, rt_values[0], rt_values[1], rt_values[2]);
    check(rt_count == 3 && rt_values[0] == 1 && rt_values[1] == 2 && rt_values[2] == 3, what);
    check(usr1_count == 1, "two SIGUSR1 sent while blocked were delivered once");

    /* sigtimedwait */
    sigset_t w;
    sigemptyset(&w);
    sigaddset(&w, SIGUSR2);
    sigprocmask(SIG_BLOCK, &w, &old);
    struct timespec ts = {0, 50 * 1000 * 1000};
    errno = 0;
    int r = sigtimedwait(&w, NULL, &ts);
    check(r == -1 && errno == EAGAIN, "sigtimedwait times out with EAGAIN");
    pid_t parent = getpid();
    c = fork();
    if (c == 0) { msleep(30); kill(parent, SIGUSR2); _exit(0); }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    ts.tv_sec = 5;
    r = sigtimedwait(&w, &si, &ts);
    check(r == SIGUSR2 && si.si_pid == c && si.si_code == SI_USER, "sigtimedwait took SIGUSR2 from the child, with its pid");
    waitpid(c, NULL, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);

#if defined(__riscv)
    /* ucontext mask and register preservation */
    set_handler(SIGUSR1, ctx_handler, 0, 0);
    sigset_t m2;
    sigemptyset(&m2);
    sigaddset(&m2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &m2, &old);
    uint64_t t3v, t4v, f0v, f1v, frm;
    long pid = getpid(), tid = syscall(SYS_gettid);
    __asm__ volatile(
        "li t3, 0x123456789\n li t4, -77\n"
        "li t5, 0x400921fb54442d18\n fmv.d.x ft0, t5\n li t5, 0x4005bf0a8b145769\n fmv.d.x ft1, t5\n"
        "fsrmi 2\n"
        "mv a0, %[pid]\n mv a1, %[tid]\n li a2, %[sig]\n li a7, %[nr]\n ecall\n"
        "mv %[o3], t3\n mv %[o4], t4\n fmv.x.d %[o0], ft0\n fmv.x.d %[o1], ft1\n frrm %[rm]\n fsrmi 0\n"
        : [o3] "=&r"(t3v), [o4] "=&r"(t4v), [o0] "=&r"(f0v), [o1] "=&r"(f1v), [rm] "=&r"(frm)
        : [pid] "r"(pid), [tid] "r"(tid), [sig] "i"(SIGUSR1), [nr] "i"(SYS_tgkill)
        : "a0", "a1", "a2", "a7", "t3", "t4", "t5", "ft0", "ft1", "memory");
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(clobbered && mask_ok, "the handler ran; uc_sigmask is the mask of the interrupted code");
    check(t3v == 0x123456789ULL && t4v == (uint64_t)-77, "integer temporaries survived the handler");
    check(f0v == 0x400921fb54442d18ULL && f1v == 0x4005bf0a8b145769ULL && frm == 2, "FP registers and the rounding mode survived the handler");
#endif

    /* alternate signal stack */
    alt_size = 64 * 1024;
    alt_base = malloc(alt_size);
    stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0};
    check(sigaltstack(&ss, NULL) == 0, "sigaltstack installed");
    set_handler(SIGUSR1, alt_handler, SA_ONSTACK, 0);
    raise(SIGUSR1);
    check(on_alt && onstack_flag, "SA_ONSTACK handler ran on the alternate stack and saw SS_ONSTACK");
    stack_t cur;
    sigaltstack(NULL, &cur);
    check(!(cur.ss_flags & SS_ONSTACK) && cur.ss_sp == alt_base, "back on the normal stack afterwards");
    ss.ss_size = 100;
    errno = 0;
    check(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "a too small alternate stack is ENOMEM");
    c = fork();
    if (c == 0) {
        struct rlimit rl = {1 << 20, 1 << 20};
        setrlimit(RLIMIT_STACK, &rl);
        set_handler(SIGSEGV, overflow_handler, SA_ONSTACK, 0);
        recurse(NULL);
        _exit(2);
    }
    waitpid(c, &st, 0);
    snprintf(what, sizeof what, "stack overflow caught by a SIGSEGV handler on the alternate stack (status 0x%x)", st);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, what);

    /* SA_RESTART */
    char buf[16] = {0};
    int err = 0;
    ssize_t n = interrupted_read(1, &err, buf);
    snprintf(what, sizeof what, "SA_RESTART: read restarted after SIGALRM and got the data (n=%zd, alarms=%d)", n, alarms);
    check(n == 4 && memcmp(buf, "data", 4) == 0 && alarms == 1, what);
    n = interrupted_read(0, &err, buf);
    snprintf(what, sizeof what, "without SA_RESTART the read failed with EINTR (n=%zd, errno=%d)", n, err);
    check(n == -1 && err == EINTR && alarms == 1, what);
    set_handler(SIGCHLD, chld_handler, SA_RESTART, 0);
    c = fork();
    if (c == 0) { msleep(50); _exit(9); }
    errno = 0;
    pid_t wr = waitpid(c, &st, 0);
    check(wr == c && WEXITSTATUS(st) == 9 && chld_count >= 1, "SA_RESTART SIGCHLD handler ran and waitpid still returned the child");
    signal(SIGCHLD, SIG_DFL);

    /* SIGKILL and SIGSTOP */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    errno = 0;
    check(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "sigaction(SIGKILL) is EINVAL");
    errno = 0;
    check(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL, "sigaction(SIGSTOP) is EINVAL");
    sigset_t all, now;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    sigprocmask(SIG_BLOCK, NULL, &now);
    check(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP), "SIGKILL and SIGSTOP cannot be blocked");
    sigprocmask(SIG_SETMASK, &old, NULL);

    printf("sigtest: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
