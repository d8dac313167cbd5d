/*
 * tmpfs_swap [DEV]: tmpfs pages through swap (test/kernel/mm/tmpfs_swap.test.ts).
 * With DEV, swapon DEV first. A worker child fills a memfd (16 MiB) and a
 * shm_open file on a tmpfs mounted at /dev/shm (12 MiB) with write(2) -
 * together more than the machine's RAM - and checks every byte of both
 * through read(2) and through a MAP_SHARED mapping, writes a new word in
 * every page of the memfd through the mapping and reads it back with
 * read(2), truncates the memfd to an odd size, grows it back and checks the
 * bytes past the cut read as zeros, then truncates/unlinks both. The parent
 * prints /proc/swaps' Used before and after, and swapoff's result.
 * Lines: "used_start KB", "pswpout N", "swap_used_filled_kb KB",
 * "memfd_read B", "shm_read B", "memfd_map B", "shm_map B", "smaps_swap_kb KB",
 * "map_write B", "trunc_keep B", "trunc_zero B", "worker: ok|signal S|exit S",
 * "used_end KB", "parent_swap_kb KB" (this process's own pages out on swap),
 * "swap_cached_kb KB", "swapoff E", "used_off KB" (B: bad words; E: errno or 0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>
#include "swaptest.h"

#define MIB (1024 * 1024)
#define MEMFD_BYTES (16 * MIB)
#define SHM_BYTES (12 * MIB)

/* This process's own pages on swap (VmSwap in /proc/self/status), in kB. */
static long own_swap(void) { return kb_field("/proc/self/status", "VmSwap"); }

/* SwapCached in /proc/meminfo (slots kept for pages that are in RAM again), in kB. */
static long swap_cached(void) { return meminfo("SwapCached"); }

static int worker(void) {
    /* Killable again (the parent protected itself): without swap the OOM killer takes this one. */
    int ofd = open("/proc/self/oom_score_adj", O_WRONLY);
    if (ofd >= 0) { write(ofd, "0", 1); close(ofd); }
    int mfd = memfd_create("big", 0);
    if (mfd < 0) { perror("memfd_create"); return 1; }
    int sfd = shm_open("/big", O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (sfd < 0) { perror("shm_open"); return 1; }
    if (fill_fd(mfd, MEMFD_BYTES, 1) || fill_fd(sfd, SHM_BYTES, 2)) { perror("write"); return 1; }
    printf("pswpout %ld\n", vmstat("pswpout"));
    printf("swap_used_filled_kb %ld\n", swaps_used());
    printf("memfd_read %ld\n", check_fd(mfd, MEMFD_BYTES, 1, 0));
    printf("shm_read %ld\n", check_fd(sfd, SHM_BYTES, 2, 0));
    uint64_t *m = mmap(NULL, MEMFD_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    uint64_t *s = mmap(NULL, SHM_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
    if (m == MAP_FAILED || s == MAP_FAILED) { perror("mmap"); return 1; }
    printf("memfd_map %ld\n", (long)check_words(m, MEMFD_BYTES, 1));
    printf("shm_map %ld\n", (long)check_words(s, SHM_BYTES, 2));
    /* The memfd's first pages went out again while the rest was read. */
    printf("smaps_swap_kb %ld\n", smaps_swap(m));
    /* A store through the mapping in every page, read back with read(2) after the pages went through swap again. */
    for (size_t i = 0; i < MEMFD_BYTES / 8; i += 512) m[i] = ~pat(i, 1);
    printf("map_write %ld\n", (long)check_words(s, SHM_BYTES, 2) + check_fd(mfd, MEMFD_BYTES, 1, 1));
    munmap(m, MEMFD_BYTES);
    munmap(s, SHM_BYTES);
    /* Cut the memfd inside a page, grow it back: the cut part reads as zeros, the rest is intact. */
    size_t cut = 5 * MIB + 123;
    if (ftruncate(mfd, cut) || ftruncate(mfd, 6 * MIB)) { perror("ftruncate"); return 1; }
    long keep = 0, zero = 0;
    for (size_t off = 0; off < 6 * MIB; off += SWAPTEST_CHUNK) {
        if (pread(mfd, swaptest_buf, SWAPTEST_CHUNK, off) != SWAPTEST_CHUNK) return 1;
        const unsigned char *b = (const unsigned char *)swaptest_buf;
        for (size_t j = 0; j < SWAPTEST_CHUNK; j++) {
            size_t at = off + j;
            uint64_t i = at / 8;
            uint64_t w = i % 512 == 0 ? ~pat(i, 1) : pat(i, 1);
            unsigned char want = at < cut ? (unsigned char)(w >> (8 * (at % 8))) : 0;
            if (b[j] != want) { if (at < cut) keep++; else zero++; }
        }
    }
    printf("trunc_keep %ld\ntrunc_zero %ld\n", keep, zero);
    if (ftruncate(mfd, 0)) return 1;
    close(mfd);
    close(sfd);
    if (shm_unlink("/big")) { perror("shm_unlink"); return 1; }
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("/dev", 0755);
    mkdir("/dev/shm", 01777);
    if (mount("tmpfs", "/dev/shm", "tmpfs", 0, "size=64m") != 0) { perror("mount"); return 1; }
    /* The parent is never the OOM killer's choice. */
    int fd = open("/proc/self/oom_score_adj", O_WRONLY);
    if (fd >= 0) { write(fd, "-1000", 5); close(fd); }
    if (argc > 1 && swapon(argv[1], 0) != 0) { perror("swapon"); return 1; }
    printf("used_start %ld\n", swaps_used());
    pid_t p = fork();
    if (p == 0) _exit(worker());
    int st;
    waitpid(p, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) printf("worker: ok\n");
    else if (WIFSIGNALED(st)) printf("worker: signal %d\n", WTERMSIG(st));
    else printf("worker: exit %d\n", WEXITSTATUS(st));
    shm_unlink("/big");
    /* Read the three until a round sees the same Used at both ends (reading may fault this process's own pages back in). */
    long used = 0, own = 0, cached = 0;
    for (int i = 0; i < 10; i++) {
        used = swaps_used(); own = own_swap(); cached = swap_cached();
        if (swaps_used() == used && own_swap() == own && swap_cached() == cached) break;
    }
    printf("used_end %ld\nparent_swap_kb %ld\nswap_cached_kb %ld\n", used, own, cached);
    if (argc > 1) {
        printf("swapoff %d\n", swapoff(argv[1]) == 0 ? 0 : errno);
        printf("used_off %ld\n", swaps_used());
    }
    return 0;
}
