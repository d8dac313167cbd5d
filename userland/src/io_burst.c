/*
 * io_burst: an I/O-bound job for the scheduler lab (tsix schedlab).
 *   io_burst ROUNDS BURST_MS SLEEP_MS [NAME]
 * ROUNDS times: compute for BURST_MS milliseconds of CPU time (a short CPU
 * burst), then block for SLEEP_MS milliseconds (nanosleep, standing in for
 * a device: the task leaves the CPU and is woken by the timer). Prints
 * "NAME done: ROUNDS rounds" and exits 0; bad arguments: usage, exit 2.
 * Concepts: C29/C30 (short bursts: what SJF and MLFQ favour), C22 (the
 * task alternates running, blocked and ready).
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

static long arg(const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    return *end == '\0' && v >= 0 && v <= 3600000 ? v : -1;
}

int main(int argc, char **argv) {
    long rounds = argc >= 4 ? arg(argv[1]) : -1, burst = argc >= 4 ? arg(argv[2]) : -1, sleep_ms = argc >= 4 ? arg(argv[3]) : -1;
    if (argc < 4 || argc > 5 || rounds < 0 || burst < 0 || sleep_ms < 0) {
        fprintf(stderr, "usage: io_burst ROUNDS BURST_MS SLEEP_MS [NAME]\n");
        return 2;
    }
    const char *name = argc == 5 ? argv[4] : "io_burst";
    volatile unsigned long x = 1;
    for (long r = 0; r < rounds; r++) {
        double start = cpu_ms();
        while (cpu_ms() - start < (double)burst) {
            for (int i = 0; i < 2000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        }
        struct timespec d = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000L };
        nanosleep(&d, NULL);
    }
    printf("%s done: %ld rounds\n", name, rounds);
    return 0;
}
