/*
 * psi_io MODE [DEV]: workloads for /proc/pressure (test/kernel/mm/psi_io.test.ts).
 *   io DEV    readers of DEV (a disk that answers later) mixed with pipe
 *             ping-pong, sleeps and SIGSTOP/SIGCONT, in a fixed pseudo-random
 *             order: tasks wait in D on the disk, in S on pipes and timers,
 *             and are stopped while in D.
 *   swap DEV  swapon DEV, fill and check 2x RAM of anonymous memory (the
 *             swap-ins sleep on the disk), swapoff.
 *   cpu       a CPU-only loop.
 * Then it prints /proc/pressure/io and /proc/pressure/memory, and the
 * vmstat counters "pswpin", "workingset_refault_file", "allocstall" (the
 * events that each cost a fixed memory stall), and "bad N" for swap.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "swaptest.h"

#define MIB (1024 * 1024)

static void cat(const char *path) {
    char buf[512];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("open %s failed\n", path); return; }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) n = 0;
    buf[n] = 0;
    printf("%s:\n%s", path, buf);
}

static uint32_t rng = 12345;
static uint32_t rnd(void) { rng = rng * 1103515245u + 12345u; return rng >> 8; }

/* Read `n` blocks of 4 KiB of dev from block `first` on, one by one. */
struct range { const char *dev; long first; int n; int err; };
static void *read_range(void *arg) {
    struct range *r = arg;
    char buf[4096];
    int fd = open(r->dev, O_RDONLY);
    if (fd < 0) { r->err = 3; return NULL; }
    for (int i = 0; i < r->n; i++)
        if (pread(fd, buf, sizeof buf, (r->first + i) * 4096L) != (ssize_t)sizeof buf) { r->err = 4; break; }
    close(fd);
    return NULL;
}

/* A reader process; with `threads` 2, a second thread reads beside it (a SIGSTOP then stops a thread asleep in D). */
static void reader(const char *dev, long first, int n, int threads) {
    struct range a = { dev, first, n, 0 }, b = { dev, first + 4000, n, 0 };
    pthread_t th;
    if (threads == 2 && pthread_create(&th, NULL, read_range, &b) != 0) _exit(8);
    read_range(&a);
    if (threads == 2) pthread_join(th, NULL);
    _exit(a.err ? a.err : b.err);
}

static void pinger(int rounds) {
    int a[2], b[2];
    if (pipe(a) || pipe(b)) _exit(5);
    pid_t p = fork();
    char c = 'x';
    if (p == 0) {
        for (int i = 0; i < rounds; i++) { if (read(a[0], &c, 1) != 1) _exit(6); write(b[1], &c, 1); }
        _exit(0);
    }
    for (int i = 0; i < rounds; i++) { write(a[1], &c, 1); if (read(b[0], &c, 1) != 1) _exit(7); }
    waitpid(p, NULL, 0);
    _exit(0);
}

static int io_mode(const char *dev) {
    pid_t kids[64];
    int nk = 0;
    for (int round = 0; round < 6; round++) {
        for (int j = 0; j < 8 && nk < 64; j++) {
            int what = rnd() % 4;
            pid_t p = fork();
            if (p < 0) return 1;
            if (p == 0) {
                if (what <= 1) reader(dev, (long)(round * 8 + j) * 48 + rnd() % 8, 20 + rnd() % 20, what + 1);
                if (what == 2) pinger(200 + rnd() % 200);
                struct timespec ts = { 0, (long)(1 + rnd() % 5) * 1000000L };
                nanosleep(&ts, NULL);
                _exit(0);
            }
            kids[nk++] = p;
        }
        /* Stop and continue a few of this round: readers are asleep in D on the disk then. */
        struct timespec ts0 = { 0, 2000000L };
        nanosleep(&ts0, NULL);
        for (int j = 0; j < 3; j++) {
            pid_t v = kids[nk - 8 + rnd() % 8];
            kill(v, SIGSTOP);
            struct timespec ts = { 0, 500000L };
            nanosleep(&ts, NULL);
            kill(v, SIGCONT);
        }
    }
    int bad = 0;
    for (int i = 0; i < nk; i++) {
        int st;
        if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) bad++;
    }
    printf("children_bad %d\n", bad);
    return 0;
}

static uint64_t io_pat(uint64_t i) {
    uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull;
    x ^= x >> 29; x *= 0xbf58476d1ce4e5b9ull; x ^= x >> 32;
    return x;
}

static int swap_mode(const char *dev) {
    if (swapon(dev, 0) != 0) { perror("swapon"); return 1; }
    size_t bytes = 24 * MIB;
    uint64_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 1; }
    for (size_t i = 0; i < bytes / 8; i++) p[i] = io_pat(i);
    long bad = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < bytes / 8; i++) if (p[i] != io_pat(i)) bad++;
    printf("bad %ld\n", bad);
    munmap(p, bytes);
    if (swapoff(dev) != 0) { perror("swapoff"); return 1; }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: psi_io io|swap|cpu [DEV]\n"); return 2; }
    int r = 0;
    if (strcmp(argv[1], "io") == 0 && argc > 2) r = io_mode(argv[2]);
    else if (strcmp(argv[1], "swap") == 0 && argc > 2) r = swap_mode(argv[2]);
    else if (strcmp(argv[1], "cpu") == 0) {
        volatile uint64_t x = 0;
        for (long i = 0; i < 20000000; i++) x += i ^ (x >> 3);
    } else { fprintf(stderr, "psi_io: bad mode\n"); return 2; }
    cat("/proc/pressure/io");
    cat("/proc/pressure/memory");
    printf("pswpin %ld\n", vmstat("pswpin"));
    printf("workingset_refault_file %ld\n", vmstat("workingset_refault_file"));
    printf("allocstall %ld\n", vmstat("allocstall_normal"));
    return r;
}
