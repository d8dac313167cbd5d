/* File-system micro benchmarks for bench/storage.ts, the same binary inside
 * tsix and under qemu-riscv64 on a host directory. Prints "secs=S".
 *   fsbench write FILE MIB    MIB MiB in 1 MiB writes, then fsync
 *   fsbench read FILE         the whole file in 1 MiB reads
 *   fsbench create DIR N      N files of 100 bytes (open, write, close)
 *   fsbench stat DIR N        stat each of them */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static char buf[1 << 20];

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: fsbench write|read|create|stat PATH [N]\n"); return 2; }
  const char *op = argv[1], *p = argv[2];
  long n = argc > 3 ? atol(argv[3]) : 0;
  double t0 = now();
  if (!strcmp(op, "write")) {
    memset(buf, 0x5a, sizeof buf);
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) { perror(p); return 1; }
    for (long i = 0; i < n; i++) if (write(fd, buf, sizeof buf) != sizeof buf) { perror("write"); return 1; }
    if (fsync(fd) < 0) { perror("fsync"); return 1; }
    close(fd);
  } else if (!strcmp(op, "read")) {
    int fd = open(p, O_RDONLY);
    if (fd < 0) { perror(p); return 1; }
    long total = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) total += r;
    close(fd);
    printf("bytes=%ld\n", total);
  } else if (!strcmp(op, "create") || !strcmp(op, "stat")) {
    char name[4096];
    memset(buf, 'x', 100);
    mkdir(p, 0755);
    for (long i = 0; i < n; i++) {
      snprintf(name, sizeof name, "%s/file%05ld", p, i);
      if (op[0] == 'c') {
        int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (fd < 0 || write(fd, buf, 100) != 100) { perror(name); return 1; }
        close(fd);
      } else {
        struct stat s;
        if (stat(name, &s) < 0 || s.st_size != 100) { perror(name); return 1; }
      }
    }
  } else { fprintf(stderr, "unknown op %s\n", op); return 2; }
  printf("secs=%.6f\n", now() - t0);
  return 0;
}
