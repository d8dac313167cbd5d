/*
 * lifecycle: fork, vfork, clone, wait and exit in detail.
 * Concepts: C24 (fork/exec/wait/exit), C22 (zombies until reaped),
 * C59 (vfork borrows the parent's memory; fork copies it).
 *
 * Proves:
 *   - wait4 by pid, by "any", by own group (0) and by -pgid; ECHILD for a
 *     pid that is not our child; exit codes are 8 bits;
 *   - a zombie exists (kill(pid, 0) works) until reaped, then ESRCH;
 *     waitid(WNOWAIT) reports without reaping; waitid's si_code/si_status;
 *   - "clone" children (exit signal 0) are seen only with __WCLONE or __WALL;
 *   - SIGCHLD set to SIG_IGN (or SA_NOCLDWAIT) reaps children automatically;
 *   - getrusage(RUSAGE_CHILDREN) grows when a CPU-burning child is reaped;
 *   - vfork: the child runs in the parent's memory while the parent waits,
 *     until the child exits or execs; posix_spawn works;
 *   - PR_SET_PDEATHSIG delivers a signal when the parent dies;
 *   - clone refuses CLONE_THREAD without CLONE_SIGHAND, and CLONE_SIGHAND
 *     without CLONE_VM (EINVAL); CLONE_PARENT makes a sibling.
 * Usage: lifecycle | lifecycle exit N (helper: sleeps 200 ms, exits N).
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}
static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}
static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int clone_fn(void *arg) { return (int)(long)arg; }
static int pd_fd = -1;
static void on_pdeath(int sig) { (void)sig; write(pd_fd, "D", 1); _exit(0); }

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "exit") == 0) { msleep(200); return atoi(argv[2]); }
    setvbuf(stdout, NULL, _IONBF, 0);
    char what[200];
    int st;

    /* ---- wait4 selectors ---- */
    pid_t a = fork();
    if (a == 0) _exit(256 + 3);
    pid_t r = waitpid(a, &st, 0);
    check(r == a && WIFEXITED(st) && WEXITSTATUS(st) == 3, "exit(259) is reported as 3 (8 bits)");
    errno = 0;
    check(waitpid(1, &st, 0) == -1 && errno == ECHILD, "waiting for a pid that is not our child: ECHILD");
    a = fork();
    if (a == 0) _exit(11);
    r = waitpid(-1, &st, 0);
    check(r == a && WEXITSTATUS(st) == 11, "waitpid(-1) collects any child");
    a = fork();
    if (a == 0) _exit(12);
    r = waitpid(0, &st, 0);
    check(r == a && WEXITSTATUS(st) == 12, "waitpid(0) collects a child in our process group");
    a = fork();
    if (a == 0) { setpgid(0, 0); msleep(50); _exit(13); }
    setpgid(a, a);
    pid_t b = fork();
    if (b == 0) _exit(14);
    r = waitpid(-a, &st, 0);
    check(r == a && WEXITSTATUS(st) == 13, "waitpid(-pgid) collects only from that group");
    r = waitpid(b, &st, 0);
    check(r == b && WEXITSTATUS(st) == 14, "the other child was still there");

    /* ---- zombies ---- */
    a = fork();
    if (a == 0) _exit(21);
    msleep(50);
    check(kill(a, 0) == 0, "a zombie still has its pid (kill(pid, 0) works)");
    siginfo_t si;
    memset(&si, 0, sizeof si);
    check(waitid(P_PID, a, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == a && si.si_code == CLD_EXITED && si.si_status == 21,
          "waitid(WNOWAIT) reports CLD_EXITED and the status");
    check(kill(a, 0) == 0, "WNOWAIT left the zombie in place");
    memset(&si, 0, sizeof si);
    check(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == a, "waitid(P_ALL) reaped it");
    errno = 0;
    check(kill(a, 0) == -1 && errno == ESRCH, "after reaping the pid is gone (ESRCH)");
    a = fork();
    if (a == 0) { raise(SIGTERM); _exit(0); }
    memset(&si, 0, sizeof si);
    waitid(P_PID, a, &si, WEXITED);
    check(si.si_code == CLD_KILLED && si.si_status == SIGTERM, "waitid: CLD_KILLED with the signal number");
    memset(&si, 0xff, sizeof si);
    a = fork();
    if (a == 0) { msleep(100); _exit(0); }
    check(waitid(P_PID, a, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0, "waitid(WNOHANG) with nothing to report clears si_pid");
    waitpid(a, &st, 0);

    /* ---- clone children ---- */
    char *stack = malloc(65536);
    pid_t cc = clone(clone_fn, stack + 65536, 0 /* exit signal 0 */, (void *)33L);
    msleep(50);
    errno = 0;
    check(waitpid(cc, &st, 0) == -1 && errno == ECHILD, "a clone child (no SIGCHLD) is invisible to plain waitpid");
    r = waitpid(cc, &st, __WCLONE);
    check(r == cc && WEXITSTATUS(st) == 33, "__WCLONE collects it");
    cc = clone(clone_fn, stack + 65536, SIGCHLD, (void *)34L);
    r = waitpid(cc, &st, __WALL);
    check(r == cc && WEXITSTATUS(st) == 34, "__WALL collects a normal child too");
    errno = 0;
    check(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0) == -1 && errno == EINVAL, "CLONE_THREAD without CLONE_SIGHAND: EINVAL");
    errno = 0;
    check(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0) == -1 && errno == EINVAL, "CLONE_SIGHAND without CLONE_VM: EINVAL");

    /* CLONE_PARENT: a child makes a sibling, which reports to us. */
    pid_t top = getpid();
    a = fork();
    if (a == 0) {
        long s = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
        if (s == 0) _exit(getppid() == top ? 35 : 1); /* the sibling */
        _exit(s > 0 ? 0 : 2);
    }
    waitpid(a, &st, 0);
    int sib_ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    r = waitpid(-1, &st, 0);
    check(sib_ok && r > 0 && r != a && WIFEXITED(st) && WEXITSTATUS(st) == 35, "CLONE_PARENT: the new process is our child, not our child's");

    /* ---- automatic reaping ---- */
    signal(SIGCHLD, SIG_IGN);
    a = fork();
    if (a == 0) _exit(0);
    msleep(50);
    errno = 0;
    check(waitpid(a, &st, 0) == -1 && errno == ECHILD, "with SIGCHLD ignored the child was reaped automatically");
    signal(SIGCHLD, SIG_DFL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, NULL);
    a = fork();
    if (a == 0) _exit(0);
    msleep(50);
    errno = 0;
    check(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "SA_NOCLDWAIT: no zombie either");
    signal(SIGCHLD, SIG_DFL);

    /* ---- children's CPU time ---- */
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    a = fork();
    if (a == 0) {
        volatile unsigned long x = 0;
        for (unsigned long i = 0; i < 30000000UL; i++) x += i;
        _exit(0);
    }
    struct rusage ru;
    waitpid(a, &st, 0);
    getrusage(RUSAGE_CHILDREN, &after);
    double b_ms = before.ru_utime.tv_sec * 1e3 + before.ru_utime.tv_usec / 1e3;
    double a_ms = after.ru_utime.tv_sec * 1e3 + after.ru_utime.tv_usec / 1e3;
    snprintf(what, sizeof what, "RUSAGE_CHILDREN user time grew after reaping a busy child (%.1f -> %.1f ms)", b_ms, a_ms);
    check(a_ms > b_ms + 1, what);
    a = fork();
    if (a == 0) {
        volatile unsigned long x = 0;
        for (unsigned long i = 0; i < 10000000UL; i++) x += i;
        _exit(0);
    }
    wait4(a, &st, 0, &ru);
    check(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0, "wait4's rusage has the child's user time");

    /* ---- vfork ---- */
    volatile int shared = 0;
    double t0 = now_ms();
    a = vfork();
    if (a == 0) {
        shared = 42;   /* the parent's memory */
        msleep(80);
        _exit(0);
    }
    double waited = now_ms() - t0;
    check(shared == 42, "the vfork child wrote into the parent's memory");
    snprintf(what, sizeof what, "the parent waited for the vfork child to exit (%.0f ms)", waited);
    check(waited >= 70, what);
    waitpid(a, &st, 0);
    t0 = now_ms();
    a = vfork();
    if (a == 0) {
        execl(argv[0], argv[0], "exit", "42", (char *)NULL);
        _exit(127);
    }
    waited = now_ms() - t0;
    snprintf(what, sizeof what, "the parent resumed when the vfork child exec'd, before it exited (%.0f ms)", waited);
    check(waited < 180, what);
    r = waitpid(a, &st, 0);
    check(r == a && WIFEXITED(st) && WEXITSTATUS(st) == 42, "the exec'd program's exit status arrived");
    pid_t sp;
    char *sargv[] = {argv[0], "exit", "43", NULL};
    check(posix_spawn(&sp, argv[0], NULL, NULL, sargv, environ) == 0, "posix_spawn started the program");
    r = waitpid(sp, &st, 0);
    check(r == sp && WIFEXITED(st) && WEXITSTATUS(st) == 43, "posix_spawn's child exited with 43");

    /* ---- parent-death signal ---- */
    int p[2];
    pipe(p);
    a = fork();
    if (a == 0) {
        pid_t g = fork();
        if (g == 0) {
            pd_fd = p[1];
            signal(SIGUSR2, on_pdeath);
            prctl(PR_SET_PDEATHSIG, SIGUSR2);
            if (getppid() == 1) raise(SIGUSR2);
            for (;;) pause();
        }
        msleep(50);
        _exit(0);
    }
    close(p[1]);
    waitpid(a, &st, 0);
    char c = 0;
    ssize_t n = read(p[0], &c, 1);
    check(n == 1 && c == 'D', "PR_SET_PDEATHSIG: the grandchild got SIGUSR2 when its parent died");

    printf("lifecycle: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
