// Commit accounting at its edges (test/kernel/mm/overcommit.test.ts), per
// vm.overcommit_memory mode given as argv[1]:
//   2  mmaps one private writable page at a time until refused; prints the
//      pages granted and CommitLimit and Committed_AS (kB) read before.
//   1  maps 8 GiB private writable and never touches it; prints the result
//      and how much Committed_AS grew.
//   0  asks for exactly RAM + swap (MemTotal + SwapTotal) and one page more
//      in single requests: the first passes, the second is refused.
// Lines: "NAME VALUE".
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long meminfo(const char *name) {
  static char buf[8192];
  int fd = open("/proc/meminfo", O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  char *p = strstr(buf, name);
  return p ? atol(p + strlen(name) + 1) : -1;
}

static const char *res(void *p) { return p == MAP_FAILED ? (errno == ENOMEM ? "ENOMEM" : strerror(errno)) : "ok"; }

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "2";
  int fd = open("/proc/sys/vm/overcommit_memory", O_WRONLY);
  if (fd < 0 || write(fd, mode, strlen(mode)) != (ssize_t)strlen(mode)) { printf("cannot set mode\n"); return 1; }
  close(fd);
  printf("mode %s\n", mode); // stdio's buffer exists before the figures are read
  fflush(stdout);
  if (strcmp(mode, "2") == 0) {
    long limit = meminfo("CommitLimit:"), committed = meminfo("Committed_AS:");
    long pages = 0;
    for (;;) {
      void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) { printf("refused %s\n", res(p)); break; }
      pages++;
    }
    long after = meminfo("Committed_AS:");
    printf("CommitLimit %ld\nCommitted_AS %ld\ngranted_kb %ld\nafter_kb %ld\n", limit, committed, pages * 4, after);
  } else if (strcmp(mode, "1") == 0) {
    long before = meminfo("Committed_AS:");
    size_t n = 8UL << 30;
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("map8g %s\ngrew_kb %ld\n", res(p), meminfo("Committed_AS:") - before);
    long rss = -1;
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    while (f && fgets(line, sizeof line, f)) if (strncmp(line, "VmRSS:", 6) == 0) rss = atol(line + 6);
    if (f) fclose(f);
    printf("rss_kb %ld\n", rss);
    if (p != MAP_FAILED) munmap(p, n);
    printf("unmapped_kb %ld\n", meminfo("Committed_AS:") - before);
  } else {
    size_t all = (size_t)(meminfo("MemTotal:") + meminfo("SwapTotal:")) * 1024;
    void *p = mmap(NULL, all, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("ram_plus_swap %s\n", res(p));
    if (p != MAP_FAILED) munmap(p, all);
    p = mmap(NULL, all + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("one_page_more %s\n", res(p));
  }
  return 0;
}
