/*
 * mmfault: page-fault costs, run inside tsix and under qemu-riscv64 by
 * bench/mmfault.ts. Each mode times itself with CLOCK_MONOTONIC and prints
 * one line "NAME VALUE UNIT".
 *
 *   mmfault anon MIB ROUNDS   mmap MIB MiB, write one byte per page (a
 *                             first-touch fault each), munmap; ROUNDS times
 *                             -> ns per fault
 *   mmfault cow MIB           the parent writes MIB MiB, forks; the child
 *                             writes one byte per page (a COW break each)
 *                             -> ns per fault
 *   mmfault churn N           N rounds of mmap 64 pages, touch them,
 *                             mprotect read-only, munmap -> us per round
 *   mmfault swapin MIB        fill MIB MiB (one 8-byte word per page written,
 *                             the rest zero-filled), then time a pass that reads
 *                             one word per page from the start: on a machine
 *                             smaller than MIB with swap, nearly every page of
 *                             that pass is a swap-in fault -> ns per page (the
 *                             pass's pswpin from /proc/vmstat is printed too)
 *   mmfault split MIB         what stress-ng --mmap does to one big mapping:
 *                             mmap MIB MiB, touch it, mprotect every other
 *                             page read-only, munmap the pages one at a time
 *                             (every other page first: the mapping splits into
 *                             thousands of VMAs) -> us per page
 *
 * Built static with the riscv64 cross compiler (-O2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *map(size_t n) {
  char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("mmap"); exit(1); }
  return p;
}

/* A /proc/vmstat counter, or -1 (no /proc: qemu-user shows the host's, which is fine for a delta). */
static long vmstat_field(const char *name) {
  char line[256];
  size_t l = strlen(name);
  long v = -1;
  FILE *f = fopen("/proc/vmstat", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, name, l) == 0 && line[l] == ' ') { v = atol(line + l + 1); break; }
  fclose(f);
  return v;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "anon";
  long a = argc > 2 ? atol(argv[2]) : 16, b = argc > 3 ? atol(argv[3]) : 8;
  if (strcmp(mode, "anon") == 0) {
    size_t n = (size_t)a << 20;
    double t0 = now();
    for (long r = 0; r < b; r++) {
      char *p = map(n);
      for (size_t i = 0; i < n; i += PG) p[i] = (char)i;
      munmap(p, n);
    }
    printf("anon %.1f ns per fault\n", (now() - t0) / ((double)b * (n / PG)) * 1e9);
  } else if (strcmp(mode, "swapin") == 0) {
    size_t n = (size_t)a << 20;
    char *p = map(n);
    for (size_t i = 0; i < n; i += PG) p[i] = (char)(i >> 12);
    long in0 = vmstat_field("pswpin");
    volatile long sum = 0;
    double t0 = now();
    for (size_t i = 0; i < n; i += PG) sum += p[i];
    double t = now() - t0;
    printf("swapin %.1f ns per page\npswpin %ld\n", t / (n / PG) * 1e9, vmstat_field("pswpin") - in0);
  } else if (strcmp(mode, "cow") == 0) {
    size_t n = (size_t)a << 20;
    char *p = map(n);
    for (size_t i = 0; i < n; i += PG) p[i] = 1;
    int fd[2];
    if (pipe(fd) < 0) return 1;
    pid_t c = fork();
    if (c == 0) {
      double t0 = now();
      for (size_t i = 0; i < n; i += PG) p[i] = 2;
      double t = now() - t0;
      printf("cow %.1f ns per fault\n", t / (n / PG) * 1e9);
      fflush(stdout);
      _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
  } else if (strcmp(mode, "churn") == 0) {
    double t0 = now();
    for (long r = 0; r < a; r++) {
      char *p = map(64 * PG);
      for (int i = 0; i < 64; i++) p[i * PG] = (char)i;
      mprotect(p, 64 * PG, PROT_READ);
      munmap(p, 64 * PG);
    }
    printf("churn %.1f us per round\n", (now() - t0) / a * 1e6);
  } else if (strcmp(mode, "split") == 0) {
    size_t n = (size_t)a << 20, pages = n / PG;
    double t0 = now();
    char *p = map(n);
    for (size_t i = 0; i < n; i += PG) p[i] = 1;
    for (size_t i = 0; i < pages; i += 2) mprotect(p + i * PG, PG, PROT_READ);
    for (size_t i = 1; i < pages; i += 2) munmap(p + i * PG, PG);
    for (size_t i = 0; i < pages; i += 2) munmap(p + i * PG, PG);
    printf("split %.2f us per page\n", (now() - t0) / pages * 1e6);
  } else {
    fprintf(stderr, "usage: mmfault anon MIB ROUNDS | cow MIB | churn N | split MIB\n");
    return 2;
  }
  return 0;
}
