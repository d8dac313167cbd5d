/*
 * swap_ops: swapon/swapoff and the swap paths, seen from a program (test/kernel/mm/swap.test.ts).
 *   swap_ops errors DEV      swapon/swapoff's refusals, one "name=errno" line each
 *   swap_ops cache DEV       the swap cache: clean pages read back are not written again
 *   swap_ops fork DEV        fork shares swapped pages; writes stay private; slots freed at munmap
 *   swap_ops full DEV        a child that outgrows RAM + swap is OOM-killed; the parent's pages survive
 *   swap_ops split DEV S F   vm.swappiness S: reclaim of anon against file pages (file F mapped first)
 *   swap_ops try DEV         swapon DEV as it is: "swapon=ERRNO" (then swapoff, and a fill of 4 MiB under a budget)
 *   swap_ops node DEV        root makes a 0666 node for DEV's device and another for no device; a user tries them
 * DEV is a block device the program formats itself (page 0: Linux's swap header).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "swaptest.h"

static const char *dev;

static void cat(const char *path) {
    char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("open %s: %d\n", path, errno); return; }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n > 0) fwrite(buf, 1, n, stdout);
}

/* Write page 0 of `path`: the signature, version 1, last_page, bad pages. */
static int header(const char *path, int magic, uint32_t version, uint32_t last, uint32_t nbad, const uint32_t *bad, int nlist) {
    unsigned char p[4096];
    memset(p, 0, sizeof p);
    memcpy(p + 1024, &version, 4);
    memcpy(p + 1028, &last, 4);
    memcpy(p + 1032, &nbad, 4);
    for (int i = 0; i < nlist; i++) memcpy(p + 1536 + 4 * i, &bad[i], 4);
    if (magic) memcpy(p + 4086, "SWAPSPACE2", 10);
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    if (fd < 0) return -1;
    int ok = pwrite(fd, p, sizeof p, 0) == (ssize_t)sizeof p && fsync(fd) == 0;
    close(fd);
    return ok ? 0 : -1;
}

static int e(int r) { return r == 0 ? 0 : errno; }

/* Fill / check `pages` pages of pattern `seed` (swaptest.h counts in bytes). */
static void fill(uint64_t *p, size_t pages, uint64_t seed) { fill_words(p, pages * 4096, seed); }
static size_t check(const uint64_t *p, size_t pages, uint64_t seed) { return check_words(p, pages * 4096, seed); }
static volatile uint64_t sink;
static void readall(const uint64_t *p, size_t pages) { uint64_t s = 0; for (size_t i = 0; i < pages; i++) s += p[i * 512]; sink = s; }

static void budget(long pages) {
    struct rlimit r = { pages < 0 ? RLIM_INFINITY : pages * 4096, pages < 0 ? RLIM_INFINITY : pages * 4096 };
    setrlimit(RLIMIT_RSS, &r);
}

static int errors(void) {
    uint32_t bad[2] = { 5, 100000 };
    printf("zeros=%d\n", e(swapon(dev, 0)));
    printf("swapoff_inactive=%d\n", e(swapoff(dev)));
    header(dev, 1, 1, 0, 0, NULL, 0);
    printf("last_page_0=%d\n", e(swapon(dev, 0)));
    header(dev, 1, 1, 0xffffffffu, 0, NULL, 0);
    printf("last_page_huge=%d\n", e(swapon(dev, 0)));
    header(dev, 1, 2, 100, 0, NULL, 0);
    printf("version_2=%d\n", e(swapon(dev, 0)));
    header(dev, 1, 1, 100, 0xffffffffu, NULL, 0);
    printf("nr_badpages_huge=%d\n", e(swapon(dev, 0)));
    header(dev, 1, 1, 100, 2, bad, 2);
    printf("badpage_past_end=%d\n", e(swapon(dev, 0)));
    header(dev, 0, 1, 100, 0, NULL, 0);
    printf("no_magic=%d\n", e(swapon(dev, 0)));
    printf("chardev=%d\n", e(swapon("/dev/null", 0)));
    printf("missing=%d\n", e(swapon("/nonexistent", 0)));
    header("/tmp/swapfile", 1, 1, 15, 0, NULL, 0);
    truncate("/tmp/swapfile", 16 * 4096);
    printf("tmpfs_file=%d\n", e(swapon("/tmp/swapfile", 0)));
    header(dev, 1, 1, 100, 1, bad, 1);
    printf("flags_unknown=%d\n", e(swapon(dev, 0x40000000)));
    printf("good=%d\n", e(swapon(dev, SWAP_FLAG_PREFER | 5)));
    printf("again=%d\n", e(swapon(dev, 0)));
    cat("/proc/swaps");
    pid_t c = fork();
    if (c == 0) {
        if (setuid(1000) != 0) _exit(9);
        printf("user_swapon=%d\n", e(swapon(dev, 0)));
        printf("user_swapoff=%d\n", e(swapoff(dev)));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    printf("swapoff=%d\n", e(swapoff(dev)));
    printf("swapoff_again=%d\n", e(swapoff(dev)));
    cat("/proc/swaps");
    return 0;
}

static int cache(void) {
    if (swapon(dev, 0) != 0) { printf("swapon: %d\n", errno); return 1; }
    const size_t N = 64;
    budget(16);
    uint64_t *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(p, N, 1);
    long o1 = vmstat("pswpout"), i1 = vmstat("pswpin");
    readall(p, N);
    long o2 = vmstat("pswpout"), i2 = vmstat("pswpin");
    readall(p, N);
    long o3 = vmstat("pswpout"), i3 = vmstat("pswpin");
    fill(p, N, 2);
    long o4 = vmstat("pswpout");
    size_t bad = check(p, N, 2);
    printf("fill_out %ld\nread1_out %ld\nread1_in %ld\nread2_out %ld\nread2_in %ld\nwrite_out %ld\nbad %zu\n",
           o1, o2 - o1, i2 - i1, o3 - o2, i3 - i2, o4 - o3, bad);
    /* swapoff reads every swapped page back in before the area goes; the data is still right after. */
    long i4 = vmstat("pswpin");
    budget(-1);
    printf("swapoff %d\nswapoff_in %ld\n", e(swapoff(dev)), vmstat("pswpin") - i4);
    printf("bad_after_swapoff %zu\n", check(p, N, 2));
    return bad != 0;
}

static long used_kb(void) {
    char line[256];
    long used = -1;
    FILE *f = fopen("/proc/swaps", "r");
    if (!fgets(line, sizeof line, f)) return -1;
    if (fgets(line, sizeof line, f)) { char name[128], type[32]; long size; sscanf(line, "%127s %31s %ld %ld", name, type, &size, &used); }
    fclose(f);
    return used;
}

static int forked(void) {
    if (swapon(dev, 0) != 0) { printf("swapon: %d\n", errno); return 1; }
    const size_t N = 32;
    budget(8);
    uint64_t *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(p, N, 7);
    printf("used_before_fork %ld\n", used_kb());
    pid_t c = fork();
    if (c == 0) {
        size_t b1 = check(p, N, 7);
        fill(p, N / 2, 8);
        size_t b2 = check(p, N / 2, 8) + check(p + (N / 2) * 512, 0, 7);
        for (size_t i = (N / 2) * 512; i < N * 512; i++) if (p[i] != pat(i, 7)) b2++;
        printf("child_bad %zu %zu\n", b1, b2);
        fflush(stdout);
        _exit(b1 || b2);
    }
    int st;
    waitpid(c, &st, 0);
    printf("child_status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st));
    printf("parent_bad %zu\n", check(p, N, 7));
    printf("used_after_child %ld\n", used_kb());
    munmap(p, N * 4096);
    printf("used_after_munmap %ld\n", used_kb());
    return 0;
}

static int full(void) {
    if (swapon(dev, 0) != 0) { printf("swapon: %d\n", errno); return 1; }
    const size_t N = 256;
    uint64_t *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(p, N, 3);
    pid_t c = fork();
    if (c == 0) {
        /* 1 MiB at a time (each mapping passes the overcommit heuristic), until RAM and swap are gone. */
        for (int m = 0; m < 256; m++) {
            char *q = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (q == MAP_FAILED) _exit(3);
            for (size_t i = 0; i < (1 << 20); i += 4096) q[i] = (char)(i >> 12);
        }
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("hog %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    printf("parent_bad %zu\n", check(p, N, 3));
    printf("oom_kill %ld\n", vmstat("oom_kill"));
    /* The system is usable afterwards: a new process runs and gets memory. */
    pid_t d = fork();
    if (d == 0) { char *q = malloc(1 << 20); memset(q, 1, 1 << 20); _exit(q[4095] == 1 ? 0 : 1); }
    waitpid(d, &st, 0);
    printf("after %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}

static int split(const char *swappiness, const char *file) {
    int fd = open("/proc/sys/vm/swappiness", O_WRONLY);
    if (fd < 0 || write(fd, swappiness, strlen(swappiness)) < 0) { printf("swappiness: %d\n", errno); return 1; }
    close(fd);
    if (swapon(dev, 0) != 0) { printf("swapon: %d\n", errno); return 1; }
    int ffd = open(file, O_RDONLY);
    off_t fsize = lseek(ffd, 0, SEEK_END);
    const unsigned char *m = mmap(NULL, fsize, PROT_READ, MAP_PRIVATE, ffd, 0);
    unsigned long s = 0;
    for (off_t i = 0; i < fsize; i += 4096) s += m[i];
    const size_t N = 3072; /* 12 MiB of anonymous memory */
    uint64_t *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(p, N, 5);
    /* Keep both in use: another sweep over each. */
    for (off_t i = 0; i < fsize; i += 4096) s += m[i];
    sink = s;
    printf("bad %zu\n", check(p, N, 5));
    printf("pgsteal_anon %ld\npgsteal_file %ld\n", vmstat("pgsteal_anon"), vmstat("pgsteal_file"));
    return 0;
}

static int try_dev(void) {
    int r = e(swapon(dev, 0));
    printf("swapon=%d\n", r);
    if (r == 0) {
        budget(64);
        const size_t N = 1024;
        uint64_t *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        fill(p, N, 9);
        printf("bad %zu\n", check(p, N, 9));
        munmap(p, N * 4096);
        printf("swapoff=%d\n", e(swapoff(dev)));
    }
    return 0;
}

static int node(void) {
    struct stat st;
    if (stat(dev, &st) != 0) return 1;
    printf("mknod=%d\n", e(mknod("/tmp/mydisk", S_IFBLK | 0666, st.st_rdev)));
    printf("mknod_nodev=%d\n", e(mknod("/tmp/nodev", S_IFBLK | 0666, makedev(254, 200))));
    printf("root_nodev=%d\n", e(swapon("/tmp/nodev", 0)));
    pid_t c = fork();
    if (c == 0) {
        if (setuid(1000) != 0) _exit(9);
        printf("user_mknod=%d\n", e(mknod("/tmp/usernode", S_IFBLK | 0666, st.st_rdev)));
        printf("user_swapon_node=%d\n", e(swapon("/tmp/mydisk", 0)));
        printf("user_swapoff_node=%d\n", e(swapoff("/tmp/mydisk")));
        _exit(0);
    }
    int s2;
    waitpid(c, &s2, 0);
    /* Root through the user-readable node: the same device, one area (EBUSY the second time by either name). */
    printf("root_node=%d\n", e(swapon("/tmp/mydisk", 0)));
    printf("root_dev_again=%d\n", e(swapon(dev, 0)));
    printf("root_swapoff_dev=%d\n", e(swapoff(dev)));
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 3) return 2;
    dev = argv[2];
    if (!strcmp(argv[1], "errors")) return errors();
    if (!strcmp(argv[1], "cache")) return cache();
    if (!strcmp(argv[1], "fork")) return forked();
    if (!strcmp(argv[1], "full")) return full();
    if (!strcmp(argv[1], "try")) return try_dev();
    if (!strcmp(argv[1], "node")) return node();
    if (!strcmp(argv[1], "split") && argc == 5) return split(argv[3], argv[4]);
    return 2;
}
