/*
 * thrash: a working set larger than its frame budget (docs/memory.md).
 *   thrash PAGES ROUNDS
 * It maps PAGES pages (a private anonymous mmap region, the pages a tsix
 * frame budget counts) and sweeps them in order ROUNDS times. Under a budget
 * smaller than PAGES, FIFO and LRU evict exactly the page needed next: every
 * reference faults (PAGES * ROUNDS faults) and the kernel's thrashing
 * detector logs "thrashing: pid N ..." once (dmesg); with a budget of PAGES
 * frames only the first sweep faults. It prints its faults from
 * /proc/self/frame_budget and a checksum of its data. Bad arguments: usage
 * on stderr, exit 2. Try:
 *   sh -c 'ulimit -m 16; exec thrash 8 200'; dmesg | grep thrashing
 * Concepts: C55 (thrashing: the working set does not fit; detected and
 * logged), C54.
 */
/* tsix-build: static install=/usr/local/bin */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static long budget_field(const char *name) {
    char buf[512];
    FILE *f = fopen("/proc/self/frame_budget", "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    size_t l = strlen(name);
    for (char *p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, name, l) == 0 && p[l] == ' ') return atol(p + l + 1);
    return -1;
}

int main(int argc, char **argv) {
    char *e1 = NULL, *e2 = NULL;
    long pages = argc == 3 ? strtol(argv[1], &e1, 10) : 0, rounds = argc == 3 ? strtol(argv[2], &e2, 10) : 0;
    if (argc != 3 || *e1 || *e2 || pages < 1 || pages > 65536 || rounds < 1 || rounds > 1000000) {
        fprintf(stderr, "usage: thrash PAGES ROUNDS  (1..65536 pages swept ROUNDS times, 1..1000000)\n");
        return 2;
    }
    volatile unsigned char *mem = mmap(NULL, (size_t)pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) { perror("thrash: mmap"); return 1; }
    for (long r = 0; r < rounds; r++)
        for (long p = 0; p < pages; p++) mem[p * 4096] += 1;
    long faults = budget_field("faults"), limit = budget_field("limit"), episodes = budget_field("thrashing");
    unsigned long sum = 0;
    for (long p = 0; p < pages; p++) sum += mem[p * 4096];
    printf("thrash: %ld references, checksum %lu\n", pages * rounds, sum);
    if (faults >= 0) printf("thrash: %ld faults (budget %ld frames), %ld thrashing episode%s\n", faults, limit, episodes, episodes == 1 ? "" : "s");
    else printf("thrash: faults n/a (no /proc/self/frame_budget)\n");
    return 0;
}
