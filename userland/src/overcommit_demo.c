/*
 * overcommit_demo: what each vm.overcommit_memory mode grants and refuses
 * (Documentation/mm/overcommit-accounting.rst). Run it as root in tsix:
 * it switches the mode, so do not run it on a host you care about.
 * Concepts: C56 (overcommit: heuristic, always, never; CommitLimit and
 * Committed_AS), C53 (a granted mapping costs nothing until touched).
 *
 * For modes 0, 1 and 2 it asks for:
 *   - 8 GiB of private writable memory, never touched;
 *   - RAM + swap plus one page, in one request (mode 0's "obviously impossible");
 *   - 8 GiB with MAP_NORESERVE (not charged, except in mode 2);
 *   - then, in mode 2, one page at a time until refused: the pages granted
 *     are CommitLimit - Committed_AS (less the last page: Linux grants while
 *     Committed_AS stays strictly below the limit).
 * Prints one line per request, and "overcommit_demo: ok" when every outcome
 * is the one the mode promises (exit 0; 1 otherwise). The mode is restored.
 */
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
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  char *p = strstr(buf, name);
  return p ? atol(p + strlen(name) + 1) : -1;
}

static int setmode(const char *m) {
  int fd = open("/proc/sys/vm/overcommit_memory", O_WRONLY);
  if (fd < 0) return -1;
  int ok = write(fd, m, strlen(m)) == (ssize_t)strlen(m);
  close(fd);
  return ok ? 0 : -1;
}

static int failures;

/** Map, report, unmap; `want` is 1 when the mode should grant it. */
static void ask(const char *what, size_t len, int flags, int want) {
  void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
  int got = p != MAP_FAILED;
  printf("  %-34s %12zu kB  %-8s%s\n", what, len >> 10, got ? "granted" : (errno == ENOMEM ? "ENOMEM" : strerror(errno)),
         got == want ? "" : "   <- not what the mode promises");
  if (got != want) failures++;
  if (got) munmap(p, len);
}

int main(void) {
  char old[8] = "0";
  int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY);
  if (fd >= 0) { ssize_t n = read(fd, old, sizeof old - 1); old[n > 0 ? n : 0] = 0; close(fd); }
  if (setmode(old) < 0) { fprintf(stderr, "overcommit_demo: cannot write /proc/sys/vm/overcommit_memory (run it as root)\n"); return 1; }
  const size_t big = 8UL << 30;
  size_t ramSwap = (size_t)(meminfo("MemTotal:") + meminfo("SwapTotal:")) * 1024;
  const char *modes[] = { "0", "1", "2" };
  const char *names[] = { "heuristic", "always", "never" };
  for (int m = 0; m < 3; m++) {
    setmode(modes[m]);
    printf("mode %s (%s): CommitLimit %ld kB, Committed_AS %ld kB\n", modes[m], names[m], meminfo("CommitLimit:"), meminfo("Committed_AS:"));
    ask("8 GiB private writable, untouched", big, 0, m == 1 || (m == 0 && big <= ramSwap));
    ask("RAM + swap + 1 page in one request", ramSwap + 4096, 0, m == 1);
    ask("8 GiB MAP_NORESERVE", big, MAP_NORESERVE, m != 2);
    if (m == 2) {
      long room = meminfo("CommitLimit:") - meminfo("Committed_AS:");
      long pages = 0;
      for (;;) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) break;
        pages++;
      }
      printf("  one page at a time: %ld kB granted; CommitLimit - Committed_AS was %ld kB\n", pages * 4, room);
      if (pages * 4 != room - 4) { printf("  <- expected %ld kB\n", room - 4); failures++; }
      // The pages stay mapped until exit gives their charge back.
    }
  }
  setmode(old);
  printf("overcommit_demo: %s\n", failures ? "FAIL" : "ok");
  return failures ? 1 : 0;
}
