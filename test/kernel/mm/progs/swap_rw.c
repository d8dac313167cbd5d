/*
 * swap_rw DEV: read() into and write() from buffers that are out on swap
 * (test/kernel/mm/swap_rw.test.ts). Under a 16-frame budget (RLIMIT_RSS) a
 * 64-page buffer is mostly on swap; on a disk that answers later every
 * swap-in inside the call must sleep and restart the call, not fail.
 * Prints "read=N errno=E bad=B in=I" and "write=N errno=E bad=B in=I" (I:
 * pswpin moved during the call), and "pread=..." for a positional read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/swap.h>
#include <unistd.h>
#include "swaptest.h"

#define N 64

/* Fill / check `pages` pages of pattern `seed` (swaptest.h counts in bytes). */
static void fill(uint64_t *p, size_t pages, uint64_t seed) { fill_words(p, pages * 4096, seed); }
static size_t check(const uint64_t *p, size_t pages, uint64_t seed) { return check_words(p, pages * 4096, seed); }

static uint64_t page[512];

/* Give a disk that answers later time to finish the page-outs: a page-in then has to read the disk. */
static void settle(void) { usleep(100000); }

/* A file of N pages of pattern `seed`, written from one small buffer. */
static int make_file(const char *path, uint64_t seed) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return -1;
    for (size_t pg = 0; pg < N; pg++) {
        for (size_t j = 0; j < 512; j++) page[j] = pat(pg * 512 + j, seed);
        if (write(fd, page, sizeof page) != (ssize_t)sizeof page) return -1;
    }
    return fd;
}

/* Words of the file that differ from pattern `seed`, read through the small buffer. */
static size_t check_file(int fd, uint64_t seed) {
    size_t bad = 0;
    for (size_t pg = 0; pg < N; pg++) {
        if (pread(fd, page, sizeof page, pg * sizeof page) != (ssize_t)sizeof page) return (size_t)-1;
        for (size_t j = 0; j < 512; j++) if (page[j] != pat(pg * 512 + j, seed)) bad++;
    }
    return bad;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: swap_rw DEV\n"); return 2; }
    setvbuf(stdout, NULL, _IONBF, 0);
    if (swapon(argv[1], 0) != 0) { printf("swapon: %d\n", errno); return 1; }
    int src = make_file("/tmp/src", 2);
    if (src < 0) { printf("make_file: %d\n", errno); return 1; }
    lseek(src, 0, SEEK_SET);
    struct rlimit r = { 16 * 4096, 16 * 4096 };
    setrlimit(RLIMIT_RSS, &r);
    uint64_t *a = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t *b = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED || b == MAP_FAILED) { printf("mmap: %d\n", errno); return 1; }

    /* read(): a's pages go to swap as b is filled; the file's bytes must land in all of them. */
    fill(a, N, 1);
    fill(b, N, 3);
    settle();
    long i0 = vmstat("pswpin");
    ssize_t n = read(src, a, N * 4096);
    int err = n < 0 ? errno : 0;
    long i1 = vmstat("pswpin");
    printf("read=%zd errno=%d bad=%zu in=%ld\n", n, err, check(a, N, 2), i1 - i0);

    /* pread() at an offset: the same, with the file position left alone. */
    fill(a, N, 1);
    fill(b, N, 3);
    settle();
    off_t before = lseek(src, 0, SEEK_CUR);
    i0 = vmstat("pswpin");
    n = pread(src, a, (N - 1) * 4096, 4096);
    err = n < 0 ? errno : 0;
    i1 = vmstat("pswpin");
    size_t bad = 0;
    for (size_t i = 0; i < (N - 1) * 512; i++) if (a[i] != pat(i + 512, 2)) bad++;
    printf("pread=%zd errno=%d bad=%zu in=%ld pos=%lld\n", n, err, bad, i1 - i0, (long long)(lseek(src, 0, SEEK_CUR) - before));

    /* write(): b (pattern 3) goes to swap as a is filled; the file must get every byte of it. */
    int dst = open("/tmp/dst", O_RDWR | O_CREAT | O_TRUNC, 0600);
    fill(b, N, 3);
    fill(a, N, 4);
    settle();
    i0 = vmstat("pswpin");
    n = write(dst, b, N * 4096);
    err = n < 0 ? errno : 0;
    i1 = vmstat("pswpin");
    printf("write=%zd errno=%d bad=%zu in=%ld\n", n, err, check_file(dst, 3), i1 - i0);
    return 0;
}
