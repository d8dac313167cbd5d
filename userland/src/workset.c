/*
 * workset: a program with a working set whose locality you choose, for page
 * replacement demos (tsix memlab, docs/memory.md).
 *   workset WSS TOTAL ITERS [SEED]
 * It maps TOTAL pages (one private anonymous mmap region: the pages a tsix
 * frame budget counts) and makes ITERS references. The references stay in a
 * window of WSS consecutive pages (the working set), chosen in it by a
 * seeded generator; every ITERS/8 references the window moves on by WSS/2
 * pages (a phase change). With a budget of at least WSS frames a good
 * policy faults little past each phase change; below WSS every policy
 * faults often. It prints the references, a checksum of the data (the same
 * under every policy and budget: eviction must not lose data) and the
 * budget's counters from /proc/self/frame_budget (tsix; "n/a" elsewhere).
 * Bad arguments: usage on stderr, exit 2.
 * Concepts: C54 (working sets, locality, policies compared), C55 (below
 * the working set size: thrashing).
 */
/* tsix-build: static install=/usr/local/bin */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static long arg(const char *s, long lo, long hi) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "usage: workset WSS TOTAL ITERS [SEED]  (1 <= WSS <= TOTAL <= 65536, 1 <= ITERS <= 100000000)\n");
        exit(2);
    }
    return v;
}

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
    if (argc < 4 || argc > 5) arg("x", 0, 0);
    long wss = arg(argv[1], 1, 65536), total = arg(argv[2], 1, 65536), iters = arg(argv[3], 1, 100000000);
    unsigned long seed = argc == 5 ? (unsigned long)arg(argv[4], 0, 2147483647) : 1;
    if (wss > total) arg("x", 0, 0);
    unsigned char *mem = mmap(NULL, (size_t)total * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) { perror("workset: mmap"); return 1; }
    long phase = iters / 8 > 0 ? iters / 8 : 1, base = 0;
    unsigned long x = seed * 2654435761u + 1;
    for (long i = 0; i < iters; i++) {
        if (i > 0 && i % phase == 0) base = (base + (wss + 1) / 2) % total;
        x = x * 6364136223846793005ul + 1442695040888963407ul;
        long page = (base + (long)((x >> 33) % (unsigned long)wss)) % total;
        mem[page * 4096 + (i % 512) * 8] += (unsigned char)(page + 1);
    }
    long faults = budget_field("faults"), limit = budget_field("limit");
    unsigned long sum = 0;
    for (long p = 0; p < total; p++)
        for (int j = 0; j < 4096; j += 8) sum = sum * 31 + mem[p * 4096 + j];
    printf("workset: %ld references, working set %ld of %ld pages, checksum %lu\n", iters, wss, total, sum);
    if (faults >= 0) printf("workset: %ld faults (budget %ld frames)\n", faults, limit);
    else printf("workset: faults n/a (no /proc/self/frame_budget)\n");
    return 0;
}
