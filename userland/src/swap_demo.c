/*
 * swap_demo: more anonymous memory than RAM, and every byte back (docs/memory.md).
 *   swap_demo [-s SWAPDEV] MIB [PASSES]
 * It maps MIB MiB of private anonymous memory, fills every 8-byte word with
 * a pattern computed from its address, then reads the whole area back
 * PASSES times (default 2) and counts the words that differ. With a machine
 * smaller than MIB (tsix run --mem 32M --swap swap.img:64M swap_demo 48) the
 * kernel must write pages out to swap and read them back on the faults:
 * the counters it prints from /proc/vmstat (pswpout, pswpin, pgmajfault)
 * move, and "swap_demo: ok" says no word was wrong. -s SWAPDEV calls
 * swapon(SWAPDEV, 0) first (root only), for systems where nothing else did.
 * Exit 0 when every pass was right, 1 when a word differed, 2 on bad usage.
 * Concepts: C55 (swap out and in, major faults, a swap area).
 */
/* tsix-build: static install=/usr/local/bin */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/swap.h>

static long vmstat(const char *name) {
    char line[256];
    size_t l = strlen(name);
    long v = -1;
    FILE *f = fopen("/proc/vmstat", "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, l) == 0 && line[l] == ' ') { v = atol(line + l + 1); break; }
    fclose(f);
    return v;
}

static uint64_t pattern(uint64_t i) {
    uint64_t x = i * 0x9e3779b97f4a7c15ull + 0x5eed;
    x ^= x >> 31; x *= 0xbf58476d1ce4e5b9ull; x ^= x >> 29;
    return x;
}

int main(int argc, char **argv) {
    int a = 1;
    if (a + 1 < argc && strcmp(argv[a], "-s") == 0) {
        if (swapon(argv[a + 1], 0) != 0) { perror("swap_demo: swapon"); return 1; }
        a += 2;
    }
    char *e1 = NULL, *e2 = NULL;
    long mib = a < argc ? strtol(argv[a], &e1, 10) : 0;
    long passes = a + 1 < argc ? strtol(argv[a + 1], &e2, 10) : 2;
    if (a >= argc || argc > a + 2 || *e1 || (e2 && *e2) || mib < 1 || mib > 4096 || passes < 1 || passes > 100) {
        fprintf(stderr, "usage: swap_demo [-s SWAPDEV] MIB [PASSES]  (1..4096 MiB, 1..100 passes, default 2)\n");
        return 2;
    }
    size_t words = (size_t)mib << 17;
    uint64_t *p = mmap(NULL, words * 8, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("swap_demo: mmap"); return 1; }
    long out0 = vmstat("pswpout"), in0 = vmstat("pswpin"), maj0 = vmstat("pgmajfault");
    for (size_t i = 0; i < words; i++) p[i] = pattern(i);
    printf("filled %ld MiB\n", mib);
    int bad_passes = 0;
    for (long r = 1; r <= passes; r++) {
        size_t bad = 0;
        for (size_t i = 0; i < words; i++) if (p[i] != pattern(i)) bad++;
        printf("pass %ld: %zu bad words\n", r, bad);
        if (bad) bad_passes++;
    }
    printf("pswpout %ld\npswpin %ld\npgmajfault %ld\n", vmstat("pswpout") - out0, vmstat("pswpin") - in0, vmstat("pgmajfault") - maj0);
    printf(bad_passes ? "swap_demo: FAILED\n" : "swap_demo: ok\n");
    return bad_passes ? 1 : 0;
}
