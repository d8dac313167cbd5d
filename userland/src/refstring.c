/*
 * refstring: touch pages in the order of a reference string, for page
 * replacement demos (tsix memlab --belady, docs/memory.md).
 *   refstring [-f FRAMES] [-p POLICY] REFS
 * REFS is a comma-separated list of page numbers 0..1023, e.g.
 * 1,2,3,4,1,2,5,1,2,3,4,5; a number followed by w (3w) writes the page
 * (setting its dirty bit), a plain number reads it. The pages are one
 * private anonymous mmap region: exactly the pages tsix's frame budget
 * counts (kernel/mm/replace.ts), so the code, stack and libc of this
 * program never disturb the fault count.
 *   -f FRAMES  set RLIMIT_RSS to FRAMES pages first (tsix: the frame budget;
 *              Linux ignores RLIMIT_RSS)
 *   -p POLICY  write POLICY to /proc/sys/vm/replacement_policy first (root)
 * After the last reference it prints the budget's counters from
 * /proc/self/frame_budget (a tsix file; "n/a" elsewhere), then checks that
 * every written page still holds what was written (eviction must never lose
 * data) and prints "refstring: ok". Bad arguments: usage on stderr, exit 2.
 * Concepts: C54 (page replacement: textbook reference strings played by a
 * real program under a frame budget).
 */
/* tsix-build: static install=/usr/local/bin */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define MAXREFS 4096
#define MAXPAGE 1023

static void usage(void) {
    fprintf(stderr, "usage: refstring [-f FRAMES] [-p POLICY] REFS  (REFS: comma-separated page numbers 0..%d, Nw writes page N)\n", MAXPAGE);
    exit(2);
}

int main(int argc, char **argv) {
    long frames = -1;
    const char *policy = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "f:p:")) != -1) {
        char *end;
        if (opt == 'f') {
            frames = strtol(optarg, &end, 10);
            if (*end != '\0' || frames < 1 || frames > 1000000) usage();
        } else if (opt == 'p') policy = optarg;
        else usage();
    }
    if (optind != argc - 1) usage();
    static int page[MAXREFS];
    static char wr[MAXREFS];
    int n = 0, maxp = -1;
    const char *s = argv[optind];
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < 0 || v > MAXPAGE || n == MAXREFS) usage();
        page[n] = (int)v;
        wr[n] = 0;
        if (*end == 'w') { wr[n] = 1; end++; }
        if (v > maxp) maxp = (int)v;
        n++;
        if (*end == ',') end++;
        else if (*end != '\0') usage();
        s = end;
    }
    if (n == 0) usage();
    if (policy) {
        FILE *f = fopen("/proc/sys/vm/replacement_policy", "w");
        if (!f || fprintf(f, "%s\n", policy) < 0 || fclose(f) != 0) { perror("refstring: replacement_policy"); return 1; }
    }
    if (frames > 0) {
        struct rlimit rl;
        getrlimit(RLIMIT_RSS, &rl);
        rl.rlim_cur = (rlim_t)frames * 4096;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max) rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_RSS, &rl) != 0) { perror("refstring: setrlimit"); return 1; }
    }
    size_t len = (size_t)(maxp + 1) * 4096;
    volatile unsigned char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) { perror("refstring: mmap"); return 1; }
    static unsigned char expect[MAXPAGE + 1];
    unsigned sum = 0;
    for (int i = 0; i < n; i++) {
        volatile unsigned char *p = mem + (size_t)page[i] * 4096 + 8 * (i % 64);
        if (wr[i]) { *p = (unsigned char)(i + 1); expect[page[i]] = 1; mem[(size_t)page[i] * 4096] = (unsigned char)(page[i] + 1); }
        else sum += *p;
    }
    char buf[512];
    FILE *f = fopen("/proc/self/frame_budget", "r");
    size_t got = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[got] = '\0';
    long faults = -1, limit = -1, evictions = -1, resident = -1, kept = -1, refaults = -1;
    char pol[32] = "n/a";
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        sscanf(line, "faults %ld", &faults);
        sscanf(line, "limit %ld", &limit);
        sscanf(line, "evictions %ld", &evictions);
        sscanf(line, "resident %ld", &resident);
        sscanf(line, "kept %ld", &kept);
        sscanf(line, "refaults %ld", &refaults);
        sscanf(line, "policy %31s", pol);
    }
    if (faults >= 0) {
        printf("refstring: %d references, %ld faults, %ld evictions (budget %ld frames, policy %s)\n", n, faults, evictions, limit, pol);
        printf("refstring: resident %ld, kept %ld, refaults %ld\n", resident, kept, refaults);
    }
    else printf("refstring: %d references, faults n/a (no /proc/self/frame_budget)\n", n);
    fflush(stdout);
    int bad = 0;
    for (int p = 0; p <= maxp; p++)
        if (expect[p] && mem[(size_t)p * 4096] != (unsigned char)(p + 1)) { printf("FAIL: page %d lost its data\n", p); bad = 1; }
    (void)sum;
    if (!bad) printf("refstring: ok\n");
    return bad;
}
