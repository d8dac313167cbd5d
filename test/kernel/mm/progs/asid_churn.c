/* asid_churn.c - many address spaces with the same virtual addresses
 * holding different data, switching constantly through pipes, so that a
 * TLB entry of one address space hitting in another (a wrong ASID, an ASID
 * reused without a flush, a PTE change not flushed) shows up as wrong data.
 *
 *   asid_churn ROUNDS CHILDREN ITERS [noexec]
 *
 * Each round the parent forks CHILDREN children (every other round they
 * exec this program again, a fresh mm, unless `noexec`: qemu-riscv64 cannot
 * exec a RISC-V binary without binfmt_misc). Parent and children all keep a
 * 4-page array `data` (one virtual address everywhere; after fork its pages
 * are copy-on-write until each side rewrites them) filled with their own
 * pattern, and take turns through pipes: at every turn each checks its
 * whole array, maps and unmaps a page at one fixed address (which must come
 * back zero-filled, never holding the page of an earlier mapping or of
 * another process), and rewrites the array with a new pattern. Exits 0 when
 * every check held; prints FAIL and exits 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define WORDS (4 * 512)
#define FIXED ((void *)0x50000000UL)

static unsigned long data[WORDS] __attribute__((aligned(4096)));

static void fill(unsigned long tag)
{
    for (int i = 0; i < WORDS; i++) data[i] = tag * 0x100000001UL + i;
}

static void fail(const char *what, long who, long it, unsigned long got, unsigned long want)
{
    printf("FAIL %s: process %ld, turn %ld: got %#lx, expected %#lx\n", what, who, it, got, want);
    fflush(stdout);
    _exit(1);
}

static void check(unsigned long tag, long who, long it)
{
    for (int i = 0; i < WORDS; i++)
        if (data[i] != tag * 0x100000001UL + i) fail("data", who, it, data[i], tag * 0x100000001UL + i);
}

/* map a page at FIXED: it must read zero; leave our mark in it and unmap it */
static void map_churn(unsigned long tag, long who, long it)
{
    unsigned long *p = mmap(FIXED, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED) fail("mmap", who, it, 0, 0);
    for (int i = 0; i < 512; i++) if (p[i] != 0) fail("fresh page", who, it, p[i], 0);
    for (int i = 0; i < 512; i++) p[i] = tag + i;
    for (int i = 0; i < 512; i++) if (p[i] != tag + i) fail("own page", who, it, p[i], tag + i);
    if (munmap(p, 4096) != 0) fail("munmap", who, it, 0, 0);
}

static int child(long id, int rfd, int wfd, long iters)
{
    unsigned long tag = 1000 + id;
    fill(tag);
    for (long it = 0; it < iters; it++) {
        char c;
        if (read(rfd, &c, 1) != 1) fail("read", id, it, 0, 1);
        check(tag, id, it);
        map_churn(tag << 20, id, it);
        tag += 0x10000;
        fill(tag);
        if (write(wfd, &c, 1) != 1) fail("write", id, it, 0, 1);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "child") == 0)
        return child(atol(argv[2]), atoi(argv[3]), atoi(argv[4]), atol(argv[5]));
    if (argc != 4 && argc != 5) { fprintf(stderr, "usage: asid_churn ROUNDS CHILDREN ITERS [noexec]\n"); return 2; }
    int doexec = argc == 4;
    long rounds = atol(argv[1]), n = atol(argv[2]), iters = atol(argv[3]);
    if (n > 16) n = 16;
    unsigned long tag = 7;
    fill(tag);
    for (long r = 0; r < rounds; r++) {
        int to[16][2], from[16][2];
        pid_t pids[16];
        for (long k = 0; k < n; k++) {
            if (pipe(to[k]) != 0 || pipe(from[k]) != 0) fail("pipe", 0, r, 0, 0);
            pid_t p = fork();
            if (p < 0) fail("fork", 0, r, 0, 0);
            if (p == 0) {
                long id = r * 16 + k + 1;
                if (doexec && r % 2) {
                    char a[4][24];
                    snprintf(a[0], sizeof a[0], "%ld", id);
                    snprintf(a[1], sizeof a[1], "%d", to[k][0]);
                    snprintf(a[2], sizeof a[2], "%d", from[k][1]);
                    snprintf(a[3], sizeof a[3], "%ld", iters);
                    execl(argv[0], argv[0], "child", a[0], a[1], a[2], a[3], (char *)0);
                    fail("exec", id, 0, 0, 0);
                }
                /* the child's first check sees the parent's data, copy-on-write */
                check(tag, id, -1);
                _exit(child(id, to[k][0], from[k][1], iters));
            }
            pids[k] = p;
        }
        for (long it = 0; it < iters; it++) {
            for (long k = 0; k < n; k++) {
                char c = 'x';
                if (write(to[k][1], &c, 1) != 1) fail("write", 0, it, 0, 1);
                if (read(from[k][0], &c, 1) != 1) fail("read", 0, it, 0, 1);
                check(tag, 0, it);
                map_churn(tag << 20, 0, it);
                tag++;
                fill(tag);
            }
        }
        for (long k = 0; k < n; k++) {
            int st;
            if (waitpid(pids[k], &st, 0) != pids[k]) fail("waitpid", 0, r, 0, 0);
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) fail("child status", r * 16 + k + 1, r, st, 0);
            close(to[k][0]); close(to[k][1]); close(from[k][0]); close(from[k][1]);
        }
    }
    printf("asid_churn ok\n");
    return 0;
}
