/* A scriptable /proc and /sys reader for the procfs tests. Each argument is
   one operation; its output is framed so the test can pick it apart:
     cat:PATH          ">> cat PATH" + the bytes (NULs shown as '^@') + "<< N" (N = bytes or -errno)
     ls:PATH           ">> ls PATH" + one name per line (without . and ..) + "<< N"
     link:PATH         ">> link PATH=TARGET" or "=-errno"
     write:PATH:TEXT   ">> write PATH = N" (bytes written or -errno)
     open:PATH         ">> open PATH = fd or -errno" (then closed)
     child             fork a child that blocks on a pipe; prints "child=PID";
                       later operations may use %c for its pid
     reap              let the child go and wait for it
     setuid:N          drop to uid/gid N
     fdwrite:N:TEXT    open /proc/self/fd/N for writing and write TEXT into it
     spin:N            burn about N million instructions of user time
     dmesg             klogctl(SIZE_BUFFER) then READ_ALL: ">> dmesg SIZE" + records + "<< N"
     dmesg-clear       klogctl(CLEAR): ">> dmesg-clear = R"
     kmsg-nb           one O_NONBLOCK read of /proc/kmsg: ">> kmsg-nb" + bytes + "<< N"
   "%c" anywhere is replaced by the child's pid, "%p" by our own. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

static pid_t child = -1;
static int child_pipe[2] = {-1, -1};

static void subst(const char *in, char *out, size_t n) {
    size_t o = 0;
    for (const char *p = in; *p && o + 12 < n; p++) {
        if (p[0] == '%' && (p[1] == 'c' || p[1] == 'p')) {
            o += snprintf(out + o, n - o, "%d", p[1] == 'c' ? (int)child : (int)getpid());
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = 0;
}

static void do_cat(const char *path) {
    printf(">> cat %s\n", path);
    fflush(stdout);
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("<< %d\n", -errno); return; }
    static char buf[1 << 16];
    long total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) { total = -errno; break; }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == 0) fputs("^@", stdout);
            else putchar(buf[i]);
        }
        total += n;
    }
    close(fd);
    printf("\n<< %ld\n", total);
}

static void do_ls(const char *path) {
    printf(">> ls %s\n", path);
    DIR *d = opendir(path);
    if (!d) { printf("<< %d\n", -errno); return; }
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        printf("%s\n", e->d_name);
        n++;
    }
    closedir(d);
    printf("<< %d\n", n);
}

int main(int argc, char **argv) {
    char arg[4096];
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        subst(argv[i], arg, sizeof arg);
        if (!strncmp(arg, "cat:", 4)) do_cat(arg + 4);
        else if (!strncmp(arg, "ls:", 3)) do_ls(arg + 3);
        else if (!strncmp(arg, "link:", 5)) {
            char t[4096];
            ssize_t n = readlink(arg + 5, t, sizeof t - 1);
            if (n < 0) printf(">> link %s=%d\n", arg + 5, -errno);
            else { t[n] = 0; printf(">> link %s=%s\n", arg + 5, t); }
        } else if (!strncmp(arg, "write:", 6)) {
            char *path = arg + 6, *text = strchr(path, ':');
            if (!text) continue;
            *text++ = 0;
            int fd = open(path, O_WRONLY);
            long r;
            if (fd < 0) r = -errno;
            else { r = write(fd, text, strlen(text)); if (r < 0) r = -errno; close(fd); }
            printf(">> write %s = %ld\n", path, r);
        } else if (!strncmp(arg, "open:", 5)) {
            int fd = open(arg + 5, O_RDONLY);
            printf(">> open %s = %d\n", arg + 5, fd < 0 ? -errno : fd);
            if (fd >= 0) close(fd);
        } else if (!strcmp(arg, "child")) {
            if (pipe(child_pipe) < 0) { perror("pipe"); return 1; }
            child = fork();
            if (child == 0) {
                char c;
                close(child_pipe[1]);
                read(child_pipe[0], &c, 1);
                _exit(7);
            }
            close(child_pipe[0]);
            printf("child=%d\n", (int)child);
            /* Let it reach its read. */
            for (int k = 0; k < 20; k++) sched_yield();
            usleep(20000);
        } else if (!strcmp(arg, "reap")) {
            int st;
            close(child_pipe[1]);
            waitpid(child, &st, 0);
            printf(">> reaped %d status %d\n", (int)child, WEXITSTATUS(st));
        } else if (!strncmp(arg, "setuid:", 7)) {
            int id = atoi(arg + 7);
            if (setgid(id) < 0 || setuid(id) < 0) printf(">> setuid failed %d\n", errno);
            else printf(">> uid %d\n", (int)getuid());
        } else if (!strncmp(arg, "fdwrite:", 8)) {
            char *n = arg + 8, *text = strchr(n, ':');
            if (!text) continue;
            *text++ = 0;
            char path[64];
            snprintf(path, sizeof path, "/proc/self/fd/%s", n);
            int fd = open(path, O_WRONLY);
            if (fd < 0) { printf(">> fdwrite %d\n", -errno); continue; }
            write(fd, text, strlen(text));
            close(fd);
        } else if (!strcmp(arg, "dmesg")) {
            int size = klogctl(10, NULL, 0);
            printf(">> dmesg %d\n", size);
            static char kbuf[1 << 18];
            int n = klogctl(3, kbuf, size > 0 && size < (int)sizeof kbuf ? size : (int)sizeof kbuf);
            if (n > 0) fwrite(kbuf, 1, n, stdout);
            printf("\n<< %d\n", n < 0 ? -errno : n);
        } else if (!strcmp(arg, "dmesg-clear")) {
            int r = klogctl(5, NULL, 0);
            printf(">> dmesg-clear = %d\n", r < 0 ? -errno : r);
        } else if (!strcmp(arg, "kmsg-nb")) {
            printf(">> kmsg-nb\n");
            int fd = open("/proc/kmsg", O_RDONLY | O_NONBLOCK);
            static char kb[1 << 16];
            long n = fd < 0 ? -errno : read(fd, kb, sizeof kb);
            if (n < 0 && fd >= 0) n = -errno;
            if (n > 0) fwrite(kb, 1, n, stdout);
            if (fd >= 0) close(fd);
            printf("\n<< %ld\n", n);
        } else if (!strncmp(arg, "spin:", 5)) {
            volatile unsigned long x = 0;
            long n = atol(arg + 5) * 1000000L / 4;
            for (long k = 0; k < n; k++) x += k;
        }
    }
    return 0;
}
