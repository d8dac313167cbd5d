// fault.ts maps a page whose PTE was not valid without a TLB flush, since no
// hart caches a translation that failed. This program counts the flushes
// (/proc/vmstat nr_tlb_local_flush_all) while it touches fresh anonymous
// pages, and checks that the flushes that must stay still happen: after
// munmap the old page is gone (a new mapping at the same address reads
// zero), after mprotect(PROT_READ) a store faults, and PROT_NONE and back
// keeps the data.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static long flushes(void) {
  FILE *f = fopen("/proc/vmstat", "r");
  char k[128];
  long v, r = -1;
  while (f && fscanf(f, "%127s %ld", k, &v) == 2) if (!strcmp(k, "nr_tlb_local_flush_all")) r = v;
  if (f) fclose(f);
  return r;
}

static sigjmp_buf jb;
static void onsegv(int s) { (void)s; siglongjmp(jb, 1); }

int main(void) {
  const size_t pages = 4096, n = pages * 4096;
  long before = flushes();
  volatile char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("mmap"); return 1; }
  for (size_t i = 0; i < n; i += 4096) p[i] = (char)(i >> 12 | 1);
  long after = flushes();
  printf("pages %zu flushes %ld\n", pages, after - before);
  for (size_t i = 0; i < n; i += 4096) if (p[i] != (char)(i >> 12 | 1)) { printf("bad data at page %zu\n", i >> 12); return 1; }

  // PROT_NONE and back: the data stays.
  if (mprotect((void *)p, n, PROT_NONE) || mprotect((void *)p, n, PROT_READ | PROT_WRITE)) { perror("mprotect"); return 1; }
  for (size_t i = 0; i < n; i += 4096) if (p[i] != (char)(i >> 12 | 1)) { printf("bad data after PROT_NONE at page %zu\n", i >> 12); return 1; }

  // Read-only: a store must fault though the page was just written (its write translation is cached).
  signal(SIGSEGV, onsegv);
  if (mprotect((void *)p, 4096, PROT_READ)) { perror("mprotect"); return 1; }
  if (sigsetjmp(jb, 1) == 0) { p[0] = 7; printf("store to a read-only page did not fault\n"); return 1; }

  // munmap, then a new mapping at the same address: fresh zeroes, not the old page.
  if (munmap((void *)p, n)) { perror("munmap"); return 1; }
  volatile char *q = mmap((void *)p, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (q != p) { printf("remap moved\n"); return 1; }
  if (q[0] != 0) { printf("stale page after munmap: %d\n", q[0]); return 1; }
  printf("fresh_flush ok\n");
  return 0;
}
