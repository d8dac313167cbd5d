// Page-fault cost, for bench/reclaim.ts (tsix and qemu-riscv64 run the same binary).
//   pagefault anon PAGES           mmap PAGES private anonymous pages, touch each once:
//                                  ns per first-touch fault
//   pagefault file PATH PASSES     map PATH read-only and read one word of every page,
//                                  PASSES times: ns per page for each pass
// Times are CLOCK_MONOTONIC.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "anon") == 0) {
    long pages = atol(argv[2]);
    volatile char *m = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 1;
    double t0 = now();
    for (long i = 0; i < pages; i++) m[i * 4096] = 1;
    printf("anon %.0f ns/fault\n", (now() - t0) / pages);
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "file") == 0) {
    int fd = open(argv[2], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return 1;
    long pages = st.st_size / 4096;
    volatile const char *m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) return 1;
    unsigned sum = 0;
    for (int p = 0; p < atoi(argv[3]); p++) {
      double t0 = now();
      for (long i = 0; i < pages; i++) sum += m[i * 4096];
      printf("file pass %d %.0f ns/page\n", p, (now() - t0) / pages);
    }
    printf("sum %u\n", sum);
    return 0;
  }
  fprintf(stderr, "usage: pagefault anon PAGES | pagefault file PATH PASSES\n");
  return 2;
}
