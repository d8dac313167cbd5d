// Splitting one mapping into many VMAs (test/kernel/mm/mmview.test.ts):
// 64 pages, touched; every even page made read-only; every odd page
// unmapped (32 VMAs left); then one munmap across 8 of them and one
// mprotect across a hole (ENOMEM, nothing changed). Prints the region's
// maps lines as "vma START-END PERMS" (offsets in pages) and the errno.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096

static void show(char *base) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[256];
  unsigned long b = (unsigned long)base;
  while (f && fgets(line, sizeof line, f)) {
    unsigned long s, e;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) != 3 || s < b || e > b + 64 * PG) continue;
    printf("vma %lu-%lu %s\n", (s - b) / PG, (e - b) / PG, perms);
  }
  if (f) fclose(f);
}

int main(void) {
  char *p = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 1;
  for (int i = 0; i < 64; i++) p[i * PG] = (char)i;
  for (int i = 0; i < 64; i += 2) if (mprotect(p + i * PG, PG, PROT_READ) < 0) return 2;
  for (int i = 1; i < 64; i += 2) if (munmap(p + i * PG, PG) < 0) return 3;
  printf("--- split\n");
  show(p);
  if (munmap(p + 4 * PG, 16 * PG) < 0) return 4;
  int r = mprotect(p, 4 * PG, PROT_READ | PROT_WRITE);
  printf("mprotect_over_hole %s\n", r < 0 && errno == ENOMEM ? "ENOMEM" : "ok");
  printf("--- after\n");
  show(p);
  int sum = 0;
  for (int i = 20; i < 64; i += 2) sum += p[i * PG];
  printf("sum %d\n", sum);
  return 0;
}
