/*
 * restart: what a signal does to a syscall it interrupts, by Linux's restart
 * codes (ERESTARTSYS, ERESTARTNOHAND, ERESTART_RESTARTBLOCK).
 * Concepts: C44 (signals interrupt blocking calls), C34 (blocking is a
 * state; the syscall restarts), C12 (timers).
 *
 * Proves:
 *   - a stop and continue (no handler runs) in the middle of nanosleep,
 *     clock_nanosleep and a timed FUTEX_WAIT does not lengthen the sleep:
 *     the restart keeps the original deadline (restart block);
 *   - an SA_RESTART handler restarts wait4 and read (ERESTARTSYS), but
 *     ppoll, sigsuspend, nanosleep and a timed FUTEX_WAIT still fail with
 *     EINTR (ERESTARTNOHAND / ERESTART_RESTARTBLOCK ignore SA_RESTART);
 *   - a handler without SA_RESTART makes wait4 and read fail with EINTR.
 * Exits 0 when every check passes, 1 otherwise. Runs the same on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}
static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static volatile int got;
static void on_usr1(int s) { (void)s; got++; }
static void handle(int restart) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGUSR1, &sa, NULL);
}

/* A sleeper child: runs `what` (which sleeps 600 ms), exits with the elapsed ms / 10. */
static int stopped_sleep(int what) {
    pid_t c = fork();
    if (c == 0) {
        static uint32_t word;
        struct timespec ts = {0, 600 * 1000000L};
        double t0 = now_ms();
        long r = 0;
        if (what == 0) r = nanosleep(&ts, NULL);
        else if (what == 1) r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
        else r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
        if (what == 2 ? !(r == -1 && errno == ETIMEDOUT) : r != 0) _exit(255);
        _exit((int)((now_ms() - t0) / 10));
    }
    msleep(100);
    kill(c, SIGSTOP);
    msleep(200);
    kill(c, SIGCONT);
    int st = 0;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) * 10 : -1;
}

/* A child that sends SIGUSR1 to the parent after `ms`, then (after `ms2` more) exits or writes to `fd`. */
static pid_t poke(int ms, int ms2, int fd) {
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        msleep(ms);
        kill(parent, SIGUSR1);
        msleep(ms2);
        if (fd >= 0 && write(fd, "x", 1) != 1) _exit(2);
        _exit(7);
    }
    return c;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);

    /* Stop and continue: no handler runs; the sleeps end on their original deadline (600 ms, not 100 + 200 + 600). */
    int ms = stopped_sleep(0);
    printf("nanosleep across a stop: %d ms\n", ms);
    check(ms >= 590 && ms < 850, "nanosleep keeps its deadline across SIGSTOP/SIGCONT");
    ms = stopped_sleep(1);
    printf("clock_nanosleep across a stop: %d ms\n", ms);
    check(ms >= 590 && ms < 850, "clock_nanosleep keeps its deadline across SIGSTOP/SIGCONT");
    ms = stopped_sleep(2);
    printf("timed FUTEX_WAIT across a stop: %d ms\n", ms);
    check(ms >= 590 && ms < 850, "a timed FUTEX_WAIT keeps its deadline across SIGSTOP/SIGCONT");

    /* SA_RESTART: wait4 restarts (ERESTARTSYS) and returns the child. */
    handle(1);
    got = 0;
    pid_t c = poke(100, 200, -1);
    int st = 0;
    pid_t w = waitpid(c, &st, 0);
    check(w == c && got == 1 && WIFEXITED(st) && WEXITSTATUS(st) == 7, "SA_RESTART: wait4 restarts after the handler");

    /* SA_RESTART: read on an empty pipe restarts and gets the byte written later. */
    int p[2];
    if (pipe(p) != 0) return 1;
    got = 0;
    c = poke(100, 200, p[1]);
    char ch = 0;
    ssize_t n = read(p[0], &ch, 1);
    check(n == 1 && ch == 'x' && got == 1, "SA_RESTART: read restarts after the handler");
    waitpid(c, NULL, 0);

    /* SA_RESTART does not restart ppoll (ERESTARTNOHAND). */
    got = 0;
    c = poke(100, 0, -1);
    struct pollfd pfd = {p[0], POLLIN, 0};
    struct timespec long_ts = {5, 0};
    int pr = ppoll(&pfd, 1, &long_ts, NULL);
    int e = errno;
    check(pr == -1 && e == EINTR && got == 1, "SA_RESTART: ppoll still fails with EINTR");
    waitpid(c, NULL, 0);

    /* ... nor sigsuspend ... */
    got = 0;
    sigset_t block, old, none;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    c = poke(100, 0, -1);
    sigemptyset(&none);
    int sr = sigsuspend(&none);
    e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(sr == -1 && e == EINTR && got == 1, "SA_RESTART: sigsuspend returns EINTR");
    waitpid(c, NULL, 0);

    /* ... nor nanosleep (ERESTART_RESTARTBLOCK), which reports the time left ... */
    got = 0;
    c = poke(100, 0, -1);
    struct timespec req = {2, 0}, rem = {0, 0};
    int nr = nanosleep(&req, &rem);
    e = errno;
    double left = rem.tv_sec * 1e3 + rem.tv_nsec / 1e6;
    printf("nanosleep interrupted with %.0f ms left\n", left);
    check(nr == -1 && e == EINTR && got == 1 && left > 1500 && left < 1950, "SA_RESTART: nanosleep fails with EINTR and the time left");
    waitpid(c, NULL, 0);

    /* ... nor a timed FUTEX_WAIT. */
    got = 0;
    c = poke(100, 0, -1);
    static uint32_t word;
    struct timespec fts = {2, 0};
    long fr = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &fts, NULL, 0);
    e = errno;
    check(fr == -1 && e == EINTR && got == 1, "SA_RESTART: a timed FUTEX_WAIT fails with EINTR");
    waitpid(c, NULL, 0);

    /* Without SA_RESTART: wait4 and read fail with EINTR. */
    handle(0);
    got = 0;
    c = poke(100, 200, -1);
    w = waitpid(c, &st, 0);
    e = errno;
    check(w == -1 && e == EINTR && got == 1, "no SA_RESTART: wait4 fails with EINTR");
    waitpid(c, NULL, 0);
    got = 0;
    c = poke(100, 200, p[1]);
    n = read(p[0], &ch, 1);
    e = errno;
    check(n == -1 && e == EINTR && got == 1, "no SA_RESTART: read fails with EINTR");
    waitpid(c, NULL, 0);

    printf(failures ? "restart: %d failures\n" : "restart: ok\n", failures);
    return failures ? 1 : 0;
}
