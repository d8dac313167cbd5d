/*
 * interactive: an interactive task for the scheduler lab (tsix schedlab),
 * which measures its own response latency.
 *   interactive ROUNDS PERIOD_MS [WORK_MS] [NAME]
 * ROUNDS times: sleep until the next multiple of PERIOD_MS (an absolute
 * deadline on CLOCK_MONOTONIC, like a key press or a frame that is due),
 * note how late it got the CPU back (now - deadline: the wake-up latency the
 * scheduler gave it), then do WORK_MS of CPU work (default 1) as its reply.
 * Prints "NAME done: ROUNDS rounds, latency avg A us max M us" and exits 0;
 * bad arguments: usage, exit 2.
 * Concepts: C30 (response time), C29 (policies that favour tasks that
 * block early: MLFQ, fair share), C22 (blocked -> ready -> running).
 */
/* tsix-build: static install=/usr/local/bin */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double ms_of(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long arg(const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    return *end == '\0' && v >= 0 && v <= 3600000 ? v : -1;
}

int main(int argc, char **argv) {
    long rounds = argc >= 3 ? arg(argv[1]) : -1, period = argc >= 3 ? arg(argv[2]) : -1;
    long work = argc >= 4 ? arg(argv[3]) : 1;
    if (argc < 3 || argc > 5 || rounds < 0 || period < 1 || work < 0) {
        fprintf(stderr, "usage: interactive ROUNDS PERIOD_MS [WORK_MS] [NAME]  (PERIOD_MS at least 1)\n");
        return 2;
    }
    const char *name = argc == 5 ? argv[4] : "interactive";
    double sum = 0, max = 0;
    volatile unsigned long x = 1;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (long r = 0; r < rounds; r++) {
        next.tv_nsec += period * 1000000L;
        while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        double late = ms_of(CLOCK_MONOTONIC) - (next.tv_sec * 1e3 + next.tv_nsec / 1e6);
        if (late < 0) late = 0;
        sum += late;
        if (late > max) max = late;
        double start = ms_of(CLOCK_THREAD_CPUTIME_ID);
        while (ms_of(CLOCK_THREAD_CPUTIME_ID) - start < (double)work) {
            for (int i = 0; i < 2000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        }
    }
    printf("%s done: %ld rounds, latency avg %.0f us max %.0f us\n", name, rounds, rounds ? sum * 1000 / rounds : 0.0, max * 1000);
    return 0;
}
