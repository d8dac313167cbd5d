/*
 * swaptest.h: what the swap and reclaim test programs under
 * test/kernel/mm/progs share - the word pattern they fill memory and files
 * with and check it by, and readers of /proc/vmstat, /proc/meminfo,
 * /proc/swaps and smaps. Every function is static inline so a program that
 * uses only some of them compiles without warnings.
 */
#ifndef SWAPTEST_H
#define SWAPTEST_H
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Word i of pattern `seed`: a mixed value, so a page read back from the wrong place or as zeros shows. */
static inline uint64_t pat(uint64_t i, uint64_t seed) {
    uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull ^ seed;
    x ^= x >> 29; x *= 0xbf58476d1ce4e5b9ull; x ^= x >> 32;
    return x;
}

/* Fill `bytes` of memory at p with pattern `seed`; count the words that differ from it. */
static inline void fill_words(uint64_t *p, size_t bytes, uint64_t seed) { for (size_t i = 0; i < bytes / 8; i++) p[i] = pat(i, seed); }
static inline size_t check_words(const uint64_t *p, size_t bytes, uint64_t seed) {
    size_t bad = 0;
    for (size_t i = 0; i < bytes / 8; i++) if (p[i] != pat(i, seed)) bad++;
    return bad;
}

#define SWAPTEST_CHUNK (64 * 1024)
static uint64_t swaptest_buf[SWAPTEST_CHUNK / 8];

/* Write `bytes` of pattern `seed` to fd at offset 0 with pwrite(2), a chunk at a time: 0, or -1 (errno set; a short write is EIO). */
static inline int fill_fd(int fd, size_t bytes, uint64_t seed) {
    for (size_t off = 0; off < bytes; off += SWAPTEST_CHUNK) {
        for (size_t j = 0; j < SWAPTEST_CHUNK / 8; j++) swaptest_buf[j] = pat(off / 8 + j, seed);
        ssize_t n = pwrite(fd, swaptest_buf, SWAPTEST_CHUNK, off);
        if (n != SWAPTEST_CHUNK) { if (n >= 0) errno = 5; return -1; }
    }
    return 0;
}

/*
 * Words read back with pread(2) that differ from pattern `seed` (-1: the read failed or was short).
 * With `altered`, every 512th word (one per page) must be ~pat instead.
 */
static inline long check_fd(int fd, size_t bytes, uint64_t seed, int altered) {
    long bad = 0;
    for (size_t off = 0; off < bytes; off += SWAPTEST_CHUNK) {
        if (pread(fd, swaptest_buf, SWAPTEST_CHUNK, off) != SWAPTEST_CHUNK) return -1;
        for (size_t j = 0; j < SWAPTEST_CHUNK / 8; j++) {
            uint64_t i = off / 8 + j;
            uint64_t want = altered && i % 512 == 0 ? ~pat(i, seed) : pat(i, seed);
            if (swaptest_buf[j] != want) bad++;
        }
    }
    return bad;
}

/* A counter of /proc/vmstat (-1 when missing). */
static inline long vmstat(const char *name) {
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

/* A "Name:" line of a /proc file that counts in kB (/proc/meminfo, /proc/self/status); -1 when missing. */
static inline long kb_field(const char *path, const char *name) {
    char line[256];
    size_t l = strlen(name);
    long v = -1;
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) if (strncmp(line, name, l) == 0 && line[l] == ':') { v = atol(line + l + 1); break; }
    fclose(f);
    return v;
}
static inline long meminfo(const char *name) { return kb_field("/proc/meminfo", name); }

/* /proc/swaps' Used, summed over the areas, in kB. */
static inline long swaps_used(void) {
    char line[256];
    long total = 0;
    FILE *f = fopen("/proc/swaps", "r");
    if (!f) return -1;
    if (!fgets(line, sizeof line, f)) { fclose(f); return -1; }
    while (fgets(line, sizeof line, f)) {
        char name[128], type[32];
        long size, used;
        if (sscanf(line, "%127s %31s %ld %ld", name, type, &size, &used) == 4) total += used;
    }
    fclose(f);
    return total;
}

/* smaps "Swap:" of the mapping that starts at `addr`, in kB. */
static inline long smaps_swap(void *addr) {
    char line[512], want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long)addr);
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f) return -1;
    int in = 0;
    long v = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) == 0) { in = 1; continue; }
        if (in && strncmp(line, "Swap:", 5) == 0) { v = atol(line + 5); break; }
    }
    fclose(f);
    return v;
}
#endif
