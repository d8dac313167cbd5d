/*
 * direct_reclaim DEV: allocations made by system calls reclaim before they
 * fail (test/kernel/mm/direct_reclaim.test.ts). DEV holds an ext2 file
 * system with /swap (a swap file) and /big (8 MiB of pat32 words); it is
 * mounted on /mnt and /mnt/swap swapped on, and a tmpfs is mounted on /tmp.
 * A worker child fills anonymous memory bigger than what RAM has free (so
 * RAM is full and part of it is on swap), then
 *   - write(2)s 8 MiB to /tmp/f (tmpfs) and to /mnt/f (ext2) and reads both
 *     back with read(2),
 *   - reads /mnt/big, which no one has read yet, through the page cache,
 *   - checks its anonymous memory.
 * None of it may fail for want of a frame: each page-cache page the calls
 * need comes from direct reclaim (anonymous pages to swap) when RAM has none.
 * Every read(2) goes into a new mapping nothing has touched, so its copies
 * to the caller fault pages in inside the system call; last, 64 KiB go into
 * a new pipe (buffer pages of kernel memory).
 * Lines: "anon_kb KB", "tmpfs_write E", "tmpfs_read E", "tmpfs_bad B",
 * "ext2_write E", "ext2_read E", "ext2_bad B", "big_read E", "big_bad B",
 * "big_allocstall N" (direct reclaims during the read of /big), "pipe_write E",
 * "anon_bad B", "pswpout N", "oom_kill N", "worker: ok|signal S|exit S"
 * (E: errno or 0; B: bad words, -1 when the read failed).
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
#define FILE_BYTES (8 * MIB)

/* /big's word i (32-bit, little endian), as the test wrote it into the image. */
static uint32_t pat32(uint32_t i) {
    uint32_t x = i * 2654435761u;
    x ^= x >> 15;
    return x * 2246822519u;
}

/*
 * Read FILE_BYTES of fd with read(2) into a new anonymous mapping nothing
 * has touched: each copy to the caller faults a page in, inside the system
 * call. The mapping, or NULL (errno set) when a read failed or was short.
 */
static void *read_fresh(int fd) {
    char *p = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    for (size_t off = 0; off < FILE_BYTES; off += SWAPTEST_CHUNK) {
        ssize_t n = pread(fd, p + off, SWAPTEST_CHUNK, off);
        if (n != SWAPTEST_CHUNK) { if (n >= 0) errno = EIO; munmap(p, FILE_BYTES); return NULL; }
    }
    return p;
}

/* Write FILE_BYTES of pattern `seed` to a new file at `path` and read them back: prints NAME_write, NAME_read and NAME_bad. */
static void file_round(const char *name, const char *path, uint64_t seed) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    int err = fd < 0 ? errno : fill_fd(fd, FILE_BYTES, seed) == 0 ? 0 : errno;
    printf("%s_write %d\n", name, err);
    uint64_t *p = err ? NULL : read_fresh(fd);
    printf("%s_read %d\n", name, err ? err : p ? 0 : errno);
    printf("%s_bad %ld\n", name, p ? (long)check_words(p, FILE_BYTES, seed) : -1);
    if (p) munmap(p, FILE_BYTES);
    if (fd >= 0) close(fd);
}

/* Read /big (never read before: every page comes from the disk into the page cache): prints big_read and big_bad. */
static void big_round(void) {
    int fd = open("/mnt/big", O_RDONLY);
    uint32_t *p = fd < 0 ? NULL : read_fresh(fd);
    printf("big_read %d\n", p ? 0 : errno);
    long bad = 0;
    if (p) { for (uint32_t i = 0; i < FILE_BYTES / 4; i++) if (p[i] != pat32(i)) bad++; munmap(p, FILE_BYTES); }
    printf("big_bad %ld\n", p ? bad : -1);
    if (fd >= 0) close(fd);
}

/* A pipe's buffer pages are kernel memory in RAM (kmem.ts): 64 KiB into a new pipe. Prints pipe_write E. */
static void pipe_round(void) {
    int fds[2];
    if (pipe(fds) != 0) { printf("pipe_write %d\n", errno); return; }
    ssize_t n = write(fds[1], swaptest_buf, SWAPTEST_CHUNK);
    printf("pipe_write %d\n", n == SWAPTEST_CHUNK ? 0 : n < 0 ? errno : EIO);
    close(fds[0]); close(fds[1]);
}

static int worker(void) {
    int ofd = open("/proc/self/oom_score_adj", O_WRONLY);
    if (ofd >= 0) { write(ofd, "0", 1); close(ofd); }
    /* Anonymous memory: all that is free now and 4 MiB more, so RAM is full and some of it is on swap. */
    size_t anon = ((size_t)meminfo("MemFree") * 1024 + 4 * MIB) & ~(size_t)4095;
    uint64_t *a = mmap(NULL, anon, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) { printf("mmap: %d\n", errno); return 3; }
    fill_words(a, anon, 7);
    printf("anon_kb %zu\n", anon / 1024);
    file_round("tmpfs", "/tmp/f", 1);
    file_round("ext2", "/mnt/f", 2);
    long s0 = vmstat("allocstall_normal");
    big_round();
    printf("big_allocstall %ld\n", vmstat("allocstall_normal") - s0);
    pipe_round();
    printf("anon_bad %zu\n", check_words(a, anon, 7));
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: direct_reclaim DEV\n"); return 2; }
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("/mnt", 0755);
    if (mount(argv[1], "/mnt", "ext2", 0, NULL) != 0) { printf("mount: %d\n", errno); return 1; }
    if (mount("tmpfs", "/tmp", "tmpfs", 0, "size=64m") != 0) { printf("mount tmpfs: %d\n", errno); return 1; }
    if (swapon("/mnt/swap", 0) != 0) { printf("swapon: %d\n", errno); return 1; }
    /* The parent is never the OOM killer's choice. */
    int fd = open("/proc/self/oom_score_adj", O_WRONLY);
    if (fd >= 0) { write(fd, "-1000", 5); close(fd); }
    long o0 = vmstat("pswpout"), k0 = vmstat("oom_kill");
    pid_t p = fork();
    if (p == 0) _exit(worker());
    int st;
    waitpid(p, &st, 0);
    printf("pswpout %ld\noom_kill %ld\n", vmstat("pswpout") - o0, vmstat("oom_kill") - k0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) printf("worker: ok\n");
    else if (WIFSIGNALED(st)) printf("worker: signal %d\n", WTERMSIG(st));
    else printf("worker: exit %d\n", WEXITSTATUS(st));
    unlink("/mnt/f");
    if (swapoff("/mnt/swap") != 0) printf("swapoff: %d\n", errno);
    if (umount("/mnt") != 0) printf("umount: %d\n", errno);
    return 0;
}
