/*
 * swap_shm [DEV]: shared memory through swap (test/kernel/mm/swap_shm.test.ts).
 * A MAP_SHARED|MAP_ANONYMOUS region shared by parent and child and a System V
 * segment, together bigger than the machine's RAM, are filled and checked
 * twice; the child writes a new pattern into the shared region after the
 * pages came back from swap and the parent must see it; then swapoff (with
 * the memory still mapped) brings every page back. With no DEV nothing is
 * swapped on: the worker is refused or OOM-killed, as before.
 * Lines: "pass N: B bad" (N = 1, 2), "shm_swp N", "smaps_swap_kb N",
 * "child_bad B", "parent_sees_child B", "pswpout N", "pswpin N",
 * "region_swap_kb N", "swapoff E", "swapoff_in_kb N", "swap_used_kb N",
 * "smaps_swap_after_kb N", "after_swapoff B", "worker: ok|signal S|exit S".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>
#include "swaptest.h"

#define MIB (1024 * 1024)
static size_t S_BYTES = 6 * MIB, SEG_BYTES = 10 * MIB;

/* The larger of `max` and shm_info's shm_swp (pages of System V segments on swap). */
static unsigned long shm_swp(unsigned long max) {
    struct shm_info si;
    memset(&si, 0, sizeof si);
    if (shmctl(0, SHM_INFO, (struct shmid_ds *)&si) < 0) return max;
    return si.shm_swp > max ? si.shm_swp : max;
}

static long swap_used_kb(void) { return swaps_used(); }

static int worker(const char *dev) {
    uint64_t *s = mmap(NULL, S_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) { printf("mmap: %s\n", strerror(errno)); return 3; }
    int id = shmget(IPC_PRIVATE, SEG_BYTES, IPC_CREAT | 0600);
    if (id < 0) { printf("shmget: %s\n", strerror(errno)); return 3; }
    uint64_t *g = shmat(id, NULL, 0);
    if (g == (void *)-1) { printf("shmat: %s\n", strerror(errno)); return 3; }
    long o0 = vmstat("pswpout"), i0 = vmstat("pswpin");
    fill_words(g, SEG_BYTES, 2);
    fill_words(s, S_BYTES, 1);
    /* Each pass reads the region, then the segment; after each half, how many segment pages are on
     * swap (shm_info's shm_swp): the most seen is printed. */
    unsigned long swp = 0;
    for (int pass = 1; pass <= 2; pass++) {
        size_t bad = check_words(s, S_BYTES, 1);
        swp = shm_swp(swp);
        bad += check_words(g, SEG_BYTES, 2);
        swp = shm_swp(swp);
        printf("pass %d: %zu bad\n", pass, bad);
    }
    printf("shm_swp %lu\n", swp);
    /* ... and the segment read last: part of the region is (smaps' Swap). */
    check_words(g, SEG_BYTES, 2);
    printf("smaps_swap_kb %ld\n", smaps_swap(s));
    /* The child sees the parent's bytes, then writes its own into the shared region. */
    pid_t c = fork();
    if (c == 0) {
        size_t bad = check_words(s, S_BYTES, 1) + check_words(g, SEG_BYTES, 2);
        fill_words(s, S_BYTES, 3);
        fill_words(g, SEG_BYTES, 4);
        printf("child_bad %zu\n", bad);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("parent_sees_child %zu\n", check_words(s, S_BYTES, 3) + check_words(g, SEG_BYTES, 4));
    printf("pswpout %ld\npswpin %ld\n", vmstat("pswpout") - o0, vmstat("pswpin") - i0);
    if (!dev) shmctl(id, IPC_RMID, NULL);
    if (dev) {
        /* Part of the region is on swap (the segment was read last); the segment goes (it fits no more),
         * and swapoff must bring the region's pages back while it stays mapped. */
        shmdt(g);
        shmctl(id, IPC_RMID, NULL);
        /* Another shared region pushes this one out, then goes. */
        uint64_t *p = mmap(NULL, 12 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) { fill_words(p, 12 * MIB, 5); munmap(p, 12 * MIB); }
        long before = smaps_swap(s), in0 = vmstat("pswpin");
        printf("region_swap_kb %ld\n", before);
        printf("swapoff %d\n", swapoff(dev) == 0 ? 0 : errno);
        printf("swapoff_in_kb %ld\n", (vmstat("pswpin") - in0) * 4);
        printf("swap_used_kb %ld\n", swap_used_kb());
        printf("smaps_swap_after_kb %ld\n", smaps_swap(s));
        printf("after_swapoff %zu\n", check_words(s, S_BYTES, 3));
    }
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *dev = argc > 1 ? argv[1] : NULL;
    if (dev && swapon(dev, 0) != 0) { printf("swapon: %s\n", strerror(errno)); return 1; }
    pid_t w = fork();
    if (w == 0) _exit(worker(dev));
    int st = 0;
    pid_t got;
    while ((got = waitpid(w, &st, 0)) < 0 && errno == EINTR) {}
    if (got != w) printf("worker: waitpid %s\n", strerror(errno));
    else if (WIFSIGNALED(st)) printf("worker: signal %d\n", WTERMSIG(st));
    else if (WEXITSTATUS(st) != 0) printf("worker: exit %d\n", WEXITSTATUS(st));
    else printf("worker: ok\n");
    return 0;
}
