/*
 * swapoff_move A B MIB [shared]: swapoff of an area holding more than free RAM, with
 * another area to take the pages (test/kernel/mm/swapoff_reclaim.test.ts).
 * MIB MiB of anonymous memory is filled with only A on, so much of it goes
 * to A; then B is turned on and A off: swapoff reads A's pages back, and
 * the frames it needs come from direct reclaim, which sends other pages to
 * B (never back to A, which is being turned off). Then B off too: there is
 * no other place for its pages, so that swapoff fails with ENOMEM and B
 * stays on. The data is checked after each step. "shared": the memory is
 * MAP_SHARED (a shared memory object: mm/shmem_swap.ts's swapoff path).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include "swaptest.h"

static int e(int r) { return r == 0 ? 0 : errno; }


int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) return 2;
    int shared = argc == 5;
    size_t bytes = (size_t)atol(argv[3]) << 20;
    if (swapon(argv[1], 0) != 0) { printf("swapon A: %d\n", errno); return 1; }
    uint64_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { printf("mmap: %d\n", errno); return 1; }
    fill_words(p, bytes, 5);
    printf("swapped_kb %ld\n", swaps_used());
    printf("smaps_swap_kb %ld\n", smaps_swap(p));
    printf("memfree_kb %ld\n", meminfo("MemFree"));
    if (swapon(argv[2], 0) != 0) { printf("swapon B: %d\n", errno); return 1; }
    long in0 = vmstat("pswpin"), out0 = vmstat("pswpout");
    printf("swapoff_a %d\n", e(swapoff(argv[1])));
    printf("swapoff_a_in %ld\nswapoff_a_out %ld\n", vmstat("pswpin") - in0, vmstat("pswpout") - out0);
    printf("on_b_kb %ld\n", swaps_used());
    printf("bad_after_a %zu\n", check_words(p, bytes, 5));
    printf("swapoff_b %d\n", e(swapoff(argv[2])));
    printf("bad_after_b %zu\n", check_words(p, bytes, 5));
    printf("swaptotal_kb %ld\n", meminfo("SwapTotal"));
    return 0;
}
