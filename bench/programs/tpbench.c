/*
 * tpbench: the paths the scheduler's tracepoints sit on, timed from inside the
 * guest (CLOCK_MONOTONIC) by bench/tracepoint.ts, with and without a
 * subscriber. Each mode prints one line "NAME VALUE UNIT".
 *
 *   tpbench getpid N     N getpid calls (syscall entry/exit, no switch)   -> ns per call
 *   tpbench pingpong N   parent and child bounce one byte over two pipes
 *                        N times: each round trip blocks and wakes both,
 *                        two context switches on one CPU                   -> us per round trip
 *   tpbench yield N      two processes call sched_yield N times each
 *                        (a switch per call on one CPU)                    -> ns per yield
 *
 * Built static with the riscv64 cross compiler (-O2).
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int getpid_loop(long n) {
    double t0 = now();
    long sum = 0;
    for (long i = 0; i < n; i++) sum += syscall(SYS_getpid);
    double t = now() - t0;
    if (sum != n * (long)getpid()) { fprintf(stderr, "getpid: wrong results\n"); return 1; }
    printf("getpid %.1f ns\n", t / n * 1e9);
    return 0;
}

static int pingpong(long n) {
    int ab[2], ba[2];
    if (pipe(ab) || pipe(ba)) { perror("pipe"); return 1; }
    char c = 'x';
    pid_t pid = fork();
    if (pid == 0) {
        for (long i = 0; i < n; i++) {
            if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1) _exit(1);
        }
        _exit(0);
    }
    double t0 = now();
    for (long i = 0; i < n; i++) {
        if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1) { fprintf(stderr, "pingpong: broken\n"); return 1; }
    }
    double t = now() - t0;
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) { fprintf(stderr, "pingpong: child failed\n"); return 1; }
    printf("pingpong %.2f us\n", t / n * 1e6);
    return 0;
}

static int yield_loop(long n) {
    double t0 = now();
    pid_t pid = fork();
    for (long i = 0; i < n; i++) sched_yield();
    if (pid == 0) _exit(0);
    int st;
    waitpid(pid, &st, 0);
    double t = now() - t0;
    printf("yield %.1f ns\n", t / (2 * n) * 1e9);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: tpbench getpid|pingpong|yield N\n"); return 2; }
    long n = atol(argv[2]);
    if (strcmp(argv[1], "getpid") == 0) return getpid_loop(n);
    if (strcmp(argv[1], "pingpong") == 0) return pingpong(n);
    if (strcmp(argv[1], "yield") == 0) return yield_loop(n);
    fprintf(stderr, "tpbench: unknown mode %s\n", argv[1]);
    return 2;
}
