/*
 * procfuzz: hostile arguments to the process, signal and futex system calls.
 * Concepts: C06 (bad pointers and bad arguments give errors, never a kernel
 * crash), C44 (a forged signal frame kills only the forger).
 *
 * Proves (the kernel test also checks its log for oopses):
 *   - crafted bad calls fail cleanly: execve/wait4/rt_sigaction/sigaltstack/
 *     futex/capget with unmapped, unaligned or kernel-half pointers give
 *     EFAULT or EINVAL, bad flags EINVAL;
 *   - rt_sigreturn with a garbage stack pointer, or a frame with nonzero
 *     reserved FP words, kills the caller with SIGSEGV; a signal whose frame
 *     cannot be written kills with SIGSEGV;
 *   - thousands of random calls (seeded PRNG) in throw-away children leave
 *     the system running.
 * Usage: procfuzz [CALLS] [SEED]. Exits 0 when every check passes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

#define BAD ((void *)0x10)               /* below mmap_min_addr */
#define KERN ((void *)0xffffffc000000000UL) /* kernel half */

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static const long calls[] = {
    SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigpending, SYS_sigaltstack, SYS_kill, SYS_tgkill, SYS_tkill,
    SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo, SYS_setitimer, SYS_getitimer, SYS_wait4, SYS_waitid,
    SYS_setpgid, SYS_getpgid, SYS_getsid, SYS_setsid, SYS_setuid, SYS_setgid, SYS_setreuid, SYS_setregid,
    SYS_setresuid, SYS_setresgid, SYS_getresuid, SYS_getresgid, SYS_setfsuid, SYS_setfsgid, SYS_getgroups,
    SYS_setgroups, SYS_capget, SYS_capset, SYS_getrusage, SYS_times, SYS_sched_setscheduler,
    SYS_sched_getscheduler, SYS_sched_setparam, SYS_sched_getparam, SYS_sched_get_priority_max,
    SYS_sched_get_priority_min, SYS_sched_rr_get_interval, SYS_sched_getaffinity, SYS_sched_setaffinity,
    SYS_sched_yield, SYS_setpriority, SYS_getpriority, SYS_futex,
};

static long arg(void) {
    static void *valid;
    if (!valid) valid = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    switch (rnd() % 8) {
    case 0: return 0;
    case 1: return (long)(rnd() % 64);
    case 2: return -(long)(rnd() % 5);
    case 3: return (long)valid + (long)(rnd() % 4096);
    case 4: return (long)BAD;
    case 5: return (long)KERN + (long)(rnd() % 4096);
    case 6: return (long)rnd();
    default: return (long)valid + 8192 - 4; /* straddles the end of the mapping */
    }
}

static void fuzz_child(int n) {
    /* Keep the random calls from ending us too early or touching other processes. */
    for (int s = 1; s < 32; s++) if (s != SIGKILL && s != SIGSTOP && s != SIGSEGV && s != SIGBUS) signal(s, SIG_IGN);
    for (int i = 0; i < n; i++) {
        long nr = calls[rnd() % (sizeof calls / sizeof calls[0])];
        long a[6];
        for (int j = 0; j < 6; j++) a[j] = arg();
        if (nr == SYS_kill || nr == SYS_rt_sigqueueinfo) a[0] = rnd() % 2 ? getpid() : 999999;
        if (nr == SYS_tgkill || nr == SYS_rt_tgsigqueueinfo) { a[0] = getpid(); a[1] = rnd() % 2 ? getpid() : 999999; }
        if (nr == SYS_tkill) a[0] = rnd() % 2 ? getpid() : 999999;
        if (nr == SYS_futex) { a[1] = (a[1] & ~0x7f) | FUTEX_WAKE; } /* never block forever */
        if (nr == SYS_wait4 || nr == SYS_waitid) a[2 + (nr == SYS_waitid)] |= WNOHANG;
        if (nr == SYS_setitimer) a[0] = 1 + rnd() % 2; /* virtual/prof only: SIGALRM is ours */
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    _exit(0);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int total = argc > 1 ? atoi(argv[1]) : 3000;
    if (argc > 2) rng ^= strtoull(argv[2], NULL, 0);
    int st;

    /* ---- crafted bad calls ---- */
    errno = 0;
    char *no_args[] = {NULL};
    const char *volatile badp = BAD;
    check(execve(badp, no_args, NULL) == -1 && errno == EFAULT, "execve(bad path): EFAULT");
    char *bad_argv[] = {"x", BAD, NULL};
    errno = 0;
    check(execve("/bin/procfuzz", bad_argv, NULL) == -1 && errno == EFAULT, "execve with a bad argv string: EFAULT");
    errno = 0;
    check(execve("/bin/procfuzz", KERN, NULL) == -1 && errno == EFAULT, "execve with argv in the kernel half: EFAULT");
    pid_t c = fork();
    if (c == 0) _exit(3);
    errno = 0;
    check(syscall(SYS_wait4, c, BAD, 0, 0) == -1 && errno == EFAULT, "wait4 with a bad status pointer: EFAULT");
    errno = 0;
    check(syscall(SYS_wait4, -1, 0, 0x1000, 0) == -1 && errno == EINVAL, "wait4 with unknown option bits: EINVAL");
    errno = 0;
    check(syscall(SYS_rt_sigaction, SIGUSR1, BAD, 0, 8) == -1 && errno == EFAULT, "rt_sigaction with a bad act: EFAULT");
    errno = 0;
    check(syscall(SYS_rt_sigaction, SIGUSR1, 0, 0, 16) == -1 && errno == EINVAL, "rt_sigaction with sigsetsize 16: EINVAL");
    errno = 0;
    check(syscall(SYS_rt_sigaction, 65, 0, 0, 8) == -1 && errno == EINVAL, "rt_sigaction of signal 65: EINVAL");
    errno = 0;
    check(syscall(SYS_rt_sigprocmask, 7, KERN, 0, 8) == -1 && errno == EFAULT, "rt_sigprocmask with a kernel pointer: EFAULT");
    errno = 0;
    check(syscall(SYS_sigaltstack, BAD, 0) == -1 && errno == EFAULT, "sigaltstack with a bad pointer: EFAULT");
    uint32_t w = 0;
    errno = 0;
    check(syscall(SYS_futex, (char *)&w + 1, FUTEX_WAKE, 1, 0, 0, 0) == -1 && errno == EINVAL, "futex on an unaligned word: EINVAL");
    errno = 0;
    check(syscall(SYS_futex, BAD, FUTEX_WAIT, 0, 0, 0, 0) == -1 && errno == EFAULT, "FUTEX_WAIT on an unmapped word: EFAULT");
    errno = 0;
    check(syscall(SYS_futex, &w, 99, 0, 0, 0, 0) == -1 && errno == ENOSYS, "an unknown futex op: ENOSYS");
    errno = 0;
    check(syscall(SYS_capget, BAD, 0) == -1 && errno == EFAULT, "capget with a bad header: EFAULT");
    errno = 0;
    check(syscall(SYS_clone, 0x20000 | 0x200, 0, 0, 0, 0) == -1 && errno == EINVAL, "clone(CLONE_NEWNS|CLONE_FS): EINVAL");
    errno = 0;
    check(syscall(SYS_kill, getpid(), 65) == -1 && errno == EINVAL, "kill with signal 65: EINVAL");
    errno = 0;
    check(syscall(SYS_tgkill, 0, 1, 0) == -1 && errno == EINVAL, "tgkill with tgid 0: EINVAL");
    waitpid(c, &st, 0);

    /* ---- forged frames ---- */
    c = fork();
    if (c == 0) {
        __asm__ volatile("li sp, 0x10\n li a7, 139\n ecall" ::: "memory");
        _exit(0);
    }
    waitpid(c, &st, 0);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "rt_sigreturn with a garbage sp: killed by SIGSEGV");
    c = fork();
    if (c == 0) {
        static unsigned char frame[2048] __attribute__((aligned(16)));
        memset(frame, 0, sizeof frame);
        frame[128 + 176 + 256 + 516] = 1; /* reserved word after the FP state */
        register long sp_ __asm__("a0") = (long)frame;
        __asm__ volatile("mv sp, a0\n li a7, 139\n ecall" :: "r"(sp_) : "memory");
        _exit(0);
    }
    waitpid(c, &st, 0);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "rt_sigreturn of a frame with reserved bits set: SIGSEGV");
    c = fork();
    if (c == 0) {
        signal(SIGUSR1, (void (*)(int))abort);
        register long pid_ __asm__("a0") = getpid();
        __asm__ volatile("li sp, 0x20\n li a7, %1\n li a1, %2\n ecall\n 1: j 1b" :: "r"(pid_), "i"(SYS_kill), "i"(SIGUSR1) : "memory");
        _exit(0);
    }
    waitpid(c, &st, 0);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a handler whose frame cannot be written: SIGSEGV");

    /* ---- random calls ---- */
    int done = 0, children = 0, killed = 0;
    while (done < total) {
        int n = total - done < 500 ? total - done : 500;
        c = fork();
        if (c == 0) { alarm(20); fuzz_child(n); }
        for (int waited = 0;; waited++) {
            pid_t r = waitpid(c, &st, WNOHANG);
            if (r == c) break;
            if (waited > 2000) { kill(c, SIGKILL); waitpid(c, &st, 0); break; }
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
        if (WIFSIGNALED(st)) killed++;
        /* the child may have left children of its own (it cannot fork, but be safe) */
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
        rnd();
        done += n;
        children++;
    }
    printf("random calls: %d in %d children (%d ended by a signal)\n", total, children, killed);
    check(1, "the system survived the random calls");

    printf("procfuzz: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
