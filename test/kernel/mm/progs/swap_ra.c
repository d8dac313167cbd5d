/*
 * swap_ra DEV: swap readahead (test/kernel/mm/swap_ra.test.ts). Under a
 * 16-frame budget (RLIMIT_RSS) 256 pages are written in order (so they go
 * to consecutive slots), then read back in order once with
 * vm.page-cluster 0 and once with 3. For each: "pc=P majflt=M reads=R
 * merged=G sectors=S swap_ra=A swap_ra_hit=H bad=B" - the major faults of the pass
 * (pgmajfault in /proc/vmstat: the program runs alone), the swap disk's reads completed, reads merged
 * and sectors read (/proc/diskstats fields 1, 2 and 3),
 * and how far swap_ra and swap_ra_hit moved (/proc/vmstat). Then the
 * page-cluster refusals: "set_-1=E set_32=E set_31=E set_x=E" (errno, 0 = ok).
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

#define N 256

/* Reads completed, reads merged and sectors read of `dev` ("vda") in /proc/diskstats. */
static void diskstats(const char *dev, long *reads, long *merged, long *sectors) {
    char line[512], name[64];
    long f[4];
    *reads = *merged = *sectors = -1;
    FILE *fp = fopen("/proc/diskstats", "r");
    if (!fp) return;
    while (fgets(line, sizeof line, fp)) {
        int maj, min;
        if (sscanf(line, "%d %d %63s %ld %ld %ld %ld", &maj, &min, name, &f[0], &f[1], &f[2], &f[3]) == 7 && strcmp(name, dev) == 0) {
            *reads = f[0]; *merged = f[1]; *sectors = f[2];
        }
    }
    fclose(fp);
}

static int set_cluster(const char *v) {
    int fd = open("/proc/sys/vm/page-cluster", O_WRONLY);
    if (fd < 0) return errno;
    int r = write(fd, v, strlen(v)) < 0 ? errno : 0;
    close(fd);
    return r;
}



static void pass(const char *pc, uint64_t seed) {
    uint64_t *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { printf("mmap: %d\n", errno); exit(1); }
    for (size_t i = 0; i < N * 512; i++) p[i] = pat(i, seed);
    /* Wait for the page-outs: on a disk that answers later, a page still being written is read back from its buffer, not the disk. */
    sync();
    set_cluster(pc);
    long r0, g0, s0, r1, g1, s1;
    diskstats("vda", &r0, &g0, &s0);
    long m0 = vmstat("pgmajfault"), a0 = vmstat("swap_ra"), h0 = vmstat("swap_ra_hit");
    size_t bad = 0;
    for (size_t i = 0; i < N * 512; i++) if (p[i] != pat(i, seed)) bad++;
    long m1 = vmstat("pgmajfault"), a1 = vmstat("swap_ra"), h1 = vmstat("swap_ra_hit");
    diskstats("vda", &r1, &g1, &s1);
    printf("pc=%s majflt=%ld reads=%ld merged=%ld sectors=%ld swap_ra=%ld swap_ra_hit=%ld bad=%zu\n", pc, m1 - m0, r1 - r0, g1 - g0, s1 - s0, a1 - a0, h1 - h0, bad);
    munmap(p, N * 4096);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) return 2;
    if (swapon(argv[1], 0) != 0) { printf("swapon: %d\n", errno); return 1; }
    char buf[16] = "";
    int fd = open("/proc/sys/vm/page-cluster", O_RDONLY);
    if (fd >= 0) { read(fd, buf, sizeof buf - 1); close(fd); }
    printf("default=%s", buf);
    struct rlimit r = { 16 * 4096, 16 * 4096 };
    setrlimit(RLIMIT_RSS, &r);
    pass("0", 1);
    pass("3", 2);
    printf("set_-1=%d set_32=%d set_31=%d set_x=%d\n", set_cluster("-1"), set_cluster("32"), set_cluster("31"), set_cluster("x"));
    return 0;
}
