/*
 * kbench: kernel micro-benchmarks, run inside tsix and under qemu-riscv64 by
 * bench/kernel.ts. Each mode times itself with CLOCK_MONOTONIC and prints one
 * line "NAME VALUE UNIT".
 *
 *   kbench getpid N         N getpid system calls           -> ns per call
 *   kbench forkexec N       N times fork + execve(self, "true") + wait4 -> us per round
 *   kbench pipe MB [WARM]   a child writes MB MiB into a pipe, the parent reads -> MB/s;
 *                           with WARM, WARM MiB go through first, untimed (the
 *                           figure is then the steady rate, without fork and
 *                           the emulators' warm-up: qemu's translation, tsix's JIT)
 *   kbench true             exit 0 at once (the program forkexec executes)
 *
 * Built static with the riscv64 cross compiler (-O2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bench_getpid(long n) {
    double t0 = now();
    long sum = 0;
    for (long i = 0; i < n; i++) sum += syscall(SYS_getpid); /* glibc does not cache getpid; be explicit */
    double t = now() - t0;
    if (sum != n * (long)getpid()) { fprintf(stderr, "getpid: wrong results\n"); return 1; }
    printf("getpid %.1f ns\n", t / n * 1e9);
    return 0;
}

static int bench_forkexec(long n, const char *self) {
    double t0 = now();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            char *argv[] = {(char *)self, "true", NULL};
            execv(self, argv);
            _exit(127);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "forkexec: child failed (status %#x)\n", st);
            return 1;
        }
    }
    double t = now() - t0;
    printf("forkexec %.1f us\n", t / n * 1e6);
    return 0;
}

static int bench_pipe(long mb, long warm_mb) {
    enum { CHUNK = 64 * 1024 };
    static char buf[CHUNK];
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 1; }
    long warm = warm_mb * 1024 * 1024;
    long total = mb * 1024 * 1024 + warm;
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        close(p[0]);
        memset(buf, 'x', sizeof buf);
        for (long left = total; left > 0;) {
            ssize_t w = write(p[1], buf, left < CHUNK ? left : CHUNK);
            if (w <= 0) _exit(1);
            left -= w;
        }
        _exit(0);
    }
    close(p[1]);
    long got = 0;
    int timing = warm == 0;
    for (;;) {
        ssize_t r = read(p[0], buf, sizeof buf);
        if (r < 0) { perror("read"); return 1; }
        if (r == 0) break;
        got += r;
        if (!timing && got >= warm) { t0 = now(); timing = 1; got -= warm; warm = 0; }
    }
    int st;
    waitpid(pid, &st, 0);
    double t = now() - t0;
    if (got != total - warm_mb * 1024 * 1024) { fprintf(stderr, "pipe: read %ld of %ld bytes\n", got, total); return 1; }
    printf("pipe %.1f MB/s\n", got / t / 1e6);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 2 && strcmp(argv[1], "true") == 0) return 0;
    if (argc < 3) {
        fprintf(stderr, "usage: kbench getpid N | forkexec N | pipe MB [WARM_MB] | true\n");
        return 2;
    }
    long n = atol(argv[2]);
    if (strcmp(argv[1], "getpid") == 0) return bench_getpid(n);
    if (strcmp(argv[1], "forkexec") == 0) return bench_forkexec(n, argv[0]);
    if (strcmp(argv[1], "pipe") == 0) return bench_pipe(n, argc > 3 ? atol(argv[3]) : 0);
    fprintf(stderr, "kbench: unknown mode %s\n", argv[1]);
    return 2;
}
