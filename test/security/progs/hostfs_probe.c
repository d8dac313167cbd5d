/* Probes of a shared host directory (tsix run --mount) that the hostfs
   escape and write-back tests drive; the same binary runs under
   qemu-riscv64 on the host's Linux, on a plain host directory, so that what
   tsix must do is what Linux does. Each probe prints one line per step,
   "STEP ret=R errno=E [data=...]", for the test to compare.

   stale SWAP OP FILE TARGET
       open FILE read-write, then put a symbolic link to TARGET under its
       name (SWAP "rm": unlink + symlink; "mv": rename a new link over it),
       then do OP through the old descriptor: read, write, fchmod,
       ftruncate, futimens, mmap (read the first bytes, store, msync).
   utimes LINK TARGET
       make LINK -> TARGET and set the link's own times with
       utimensat(AT_SYMLINK_NOFOLLOW).
   exchange A B
       renameat2(A, B, RENAME_EXCHANGE).
   map MODE FILE DIR
       map FILE (8 KiB) shared, store "MAPPED-1" at 0 and "MAPPED-2" at
       4096, then: MODE "msync": msync(MS_SYNC), create DIR/synced and wait
       for DIR/done; "hold": create DIR/ready and wait forever (the mapping
       stays alive: the test stops tsix or lets the machine halt); "sleep":
       the same, sleeping a second at a time; "page0": store only at 0,
       read page 1, create DIR/ready, wait for DIR/done and exit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void say(const char *step, long ret, const char *data) {
    printf("%s ret=%ld errno=%d%s%s\n", step, ret, ret < 0 ? errno : 0, data ? " data=" : "", data ? data : "");
    fflush(stdout);
}

static void touch(const char *dir, const char *name) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) close(fd);
}

static int exists(const char *dir, const char *name) {
    char p[512];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

static int stale(const char *swap, const char *op, const char *file, const char *target) {
    int fd = open(file, O_RDWR);
    say("open", fd < 0 ? -1 : 0, NULL); /* not the number: it differs between machines */
    if (fd < 0) return 1;
    if (!strcmp(swap, "rm")) {
        say("unlink", unlink(file), NULL);
        say("symlink", symlink(target, file), NULL);
    } else {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s.new", file);
        say("symlink", symlink(target, tmp), NULL);
        say("rename", rename(tmp, file), NULL);
    }
    char buf[64] = {0};
    if (!strcmp(op, "read")) {
        long n = pread(fd, buf, sizeof buf - 1, 0);
        if (n > 0) buf[n] = 0;
        say("read", n, buf);
    } else if (!strcmp(op, "write")) {
        say("write", pwrite(fd, "XXXX", 4, 0), NULL);
        long n = pread(fd, buf, sizeof buf - 1, 0);
        if (n > 0) buf[n] = 0;
        say("readback", n, buf);
    } else if (!strcmp(op, "fchmod")) {
        say("fchmod", fchmod(fd, 0600), NULL);
        struct stat st;
        fstat(fd, &st);
        snprintf(buf, sizeof buf, "%o", st.st_mode & 0777);
        say("fstat", 0, buf);
    } else if (!strcmp(op, "ftruncate")) {
        say("ftruncate", ftruncate(fd, 2), NULL);
        struct stat st;
        fstat(fd, &st);
        snprintf(buf, sizeof buf, "%ld", (long)st.st_size);
        say("fstat", 0, buf);
    } else if (!strcmp(op, "futimens")) {
        struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };
        say("futimens", futimens(fd, ts), NULL);
    } else if (!strcmp(op, "mmap")) {
        char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) { say("mmap", -1, NULL); return 1; }
        memcpy(buf, p, 16);
        buf[16] = 0;
        for (int i = 0; i < 16; i++) if (buf[i] == '\n' || buf[i] == 0) { buf[i] = 0; break; }
        say("mmap-read", 0, buf);
        memcpy(p, "MMAP", 4);
        say("msync", msync(p, 4096, MS_SYNC), NULL);
        say("munmap", munmap(p, 4096), NULL);
    } else {
        fprintf(stderr, "unknown op %s\n", op);
        return 2;
    }
    say("close", close(fd), NULL);
    return 0;
}

static int map(const char *mode, const char *file, const char *dir) {
    int fd = open(file, O_RDWR);
    if (fd < 0) { say("open", fd, NULL); return 1; }
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { say("mmap", -1, NULL); return 1; }
    close(fd);
    memcpy(p, "MAPPED-1", 8);
    if (!strcmp(mode, "page0")) {
        /* Page 1 is only read (cached); the host then changes it while the mapping lives. */
        volatile char c = p[4096];
        (void)c;
        touch(dir, "ready");
        while (!exists(dir, "done")) usleep(20000);
        return 0; /* exit without munmap */
    }
    memcpy(p + 4096, "MAPPED-2", 8);
    if (!strcmp(mode, "msync")) {
        say("msync", msync(p, 8192, MS_SYNC), NULL);
        touch(dir, "synced");
        while (!exists(dir, "done")) usleep(20000);
        return 0;
    }
    touch(dir, "ready");
    if (!strcmp(mode, "sleep")) for (;;) sleep(1); /* timers keep firing: the periodic write-back runs */
    for (;;) pause();
}

int main(int argc, char **argv) {
    if (argc == 6 && !strcmp(argv[1], "stale")) return stale(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 4 && !strcmp(argv[1], "utimes")) {
        say("symlink", symlink(argv[3], argv[2]), NULL);
        struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };
        say("utimensat", utimensat(AT_FDCWD, argv[2], ts, AT_SYMLINK_NOFOLLOW), NULL);
        struct stat st;
        long r = lstat(argv[2], &st);
        char buf[32];
        snprintf(buf, sizeof buf, "%ld", (long)st.st_mtime);
        say("lstat-mtime", r, buf);
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "exchange")) {
        say("exchange", syscall(SYS_renameat2, AT_FDCWD, argv[2], AT_FDCWD, argv[3], 2 /* RENAME_EXCHANGE */), NULL);
        return 0;
    }
    if (argc == 5 && !strcmp(argv[1], "map")) return map(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: hostfs_probe stale|utimes|exchange|map ...\n");
    return 2;
}
