/*
 * cpu_burn: a CPU-bound job for the scheduler lab (tsix schedlab).
 *   cpu_burn MS [NAME]
 * Computes without ever blocking until it has used MS milliseconds of CPU
 * time (its own thread's CPU clock, CLOCK_THREAD_CPUTIME_ID, so the burst is
 * the same length whatever else runs and however often it is preempted),
 * then prints "NAME done: MS ms of CPU" and exits 0. Bad arguments: a usage
 * line on stderr and exit 2.
 * Concepts: C29/C30 (a job of known CPU burst for comparing policies),
 * C12 (only the timer can take the CPU from it under a preemptive policy).
 */
/* tsix-build: static install=/usr/local/bin */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    char *end;
    long ms = argc >= 2 ? strtol(argv[1], &end, 10) : -1;
    if (argc < 2 || argc > 3 || *end != '\0' || ms < 0 || ms > 3600000) {
        fprintf(stderr, "usage: cpu_burn MS [NAME]  (MS: CPU milliseconds to use, 0 to 3600000)\n");
        return 2;
    }
    const char *name = argc == 3 ? argv[2] : "cpu_burn";
    double start = cpu_ms();
    volatile unsigned long x = 1;
    /* Check the clock every few thousand iterations: the checks are syscalls, the rest is user work. */
    while (cpu_ms() - start < (double)ms) {
        for (int i = 0; i < 5000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
    }
    printf("%s done: %ld ms of CPU\n", name, ms);
    return 0;
}
