// A workload for the reverse-map check (test/kernel/mm/rmap.test.ts): every
// way a page-table entry is made or removed - demand paging, fork and
// copy-on-write, munmap, mremap (grow in place and move), madvise, mprotect,
// shared anonymous memory, shared and private file mappings, exit. Each step
// also checks the data the program sees, so the same binary passes under
// qemu-riscv64 on Linux.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096
#define CHECK(c, what) do { if (!(c)) { printf("FAIL %s (line %d)\n", what, __LINE__); exit(1); } } while (0)

static void fill(unsigned char *p, size_t n, int seed) {
  for (size_t i = 0; i < n; i += PG) p[i] = (unsigned char)(seed + i / PG);
}
static int same(const unsigned char *p, size_t n, int seed) {
  for (size_t i = 0; i < n; i += PG) if (p[i] != (unsigned char)(seed + i / PG)) return 0;
  return 1;
}

int main(void) {
  // Demand-paged anonymous memory.
  size_t n = 64 * PG;
  unsigned char *a = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(a != MAP_FAILED, "mmap anon");
  fill(a, n, 1);

  // Shared anonymous memory, seen by parent and child.
  volatile unsigned char *sh = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  CHECK(sh != MAP_FAILED, "mmap shared anon");
  sh[0] = 7;

  // A file, mapped shared (stores reach the file) and private (copies on write).
  const char *path = "/tmp/rmapfile";
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0, "open");
  static unsigned char buf[4 * PG];
  memset(buf, 'f', sizeof buf);
  CHECK(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf, "write file");
  unsigned char *fs = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  unsigned char *fp = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  CHECK(fs != MAP_FAILED && fp != MAP_FAILED, "mmap file");
  CHECK(fp[PG] == 'f', "private file read");
  fs[0] = 'S';
  fp[2 * PG] = 'P';
  CHECK(fp[0] == 'S', "private mapping sees shared store before its own write");

  for (int round = 0; round < 3; round++) {
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
      // Child: COW-break half, unmap a quarter, move a region, exit.
      CHECK(same(a, n, 1), "child sees parent data");
      for (size_t i = 0; i < n / 2; i += PG) a[i] = (unsigned char)(200 + i / PG);
      munmap(a + 48 * PG, 8 * PG);
      unsigned char *b = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      fill(b, 8 * PG, 50);
      // Block growth in place, then grow: the PTEs move.
      unsigned char *moved = mremap(b, 8 * PG, 32 * PG, MREMAP_MAYMOVE);
      CHECK(moved != MAP_FAILED, "mremap");
      CHECK(same(moved, 8 * PG, 50), "mremap keeps data");
      moved[20 * PG] = 1;
      sh[1] = (unsigned char)(10 + round);
      fs[PG] = 'C';
      fp[3 * PG] = 'c';
      _exit(0);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child ok");
    CHECK(same(a, n, 1), "parent data untouched by child COW");
    CHECK(sh[1] == 10 + round, "shared anon store from child");
    CHECK(fs[PG] == 'C', "shared file store from child");
    CHECK(fp[3 * PG] == 'f', "child's private file store stays private");
  }

  // mremap grow in place (nothing after it), shrink, and a forced move.
  unsigned char *g = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  fill(g, 4 * PG, 90);
  unsigned char *blocker = mmap(g + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  unsigned char *g2 = mremap(g, 4 * PG, 16 * PG, MREMAP_MAYMOVE);
  CHECK(g2 != MAP_FAILED && same(g2, 4 * PG, 90), "mremap move keeps data");
  if (blocker != MAP_FAILED) CHECK(g2 != g, "mremap moved past the blocker");
  g2 = mremap(g2, 16 * PG, 2 * PG, 0);
  CHECK(g2 != MAP_FAILED && same(g2, 2 * PG, 90), "mremap shrink");

  // madvise(DONTNEED) drops private pages: they read back as zeros.
  madvise(a, 8 * PG, MADV_DONTNEED);
  CHECK(a[0] == 0 && a[7 * PG] == 0 && a[8 * PG] == (unsigned char)(1 + 8), "madvise dontneed");

  // mprotect to none and back keeps the frames.
  CHECK(mprotect(a + 16 * PG, 4 * PG, PROT_NONE) == 0, "mprotect none");
  CHECK(mprotect(a + 16 * PG, 4 * PG, PROT_READ | PROT_WRITE) == 0, "mprotect rw");
  CHECK(a[17 * PG] == (unsigned char)(1 + 17), "mprotect keeps data");

  munmap(fs, 4 * PG);
  munmap(fp, 4 * PG);
  unsigned char rb[2];
  CHECK(pread(fd, rb, 1, 0) == 1 && rb[0] == 'S' && pread(fd, rb, 1, PG) == 1 && rb[0] == 'C', "shared stores reach the file");
  close(fd);
  unlink(path);
  munmap((void *)sh, 4 * PG);
  munmap(a, n);
  printf("rmap workload ok\n");
  return 0;
}
