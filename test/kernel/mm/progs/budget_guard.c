// The frame budget (RLIMIT_RSS, kernel/mm/replace.ts) must never lose or
// leak data, nor let a process reach beyond its own pages:
//   1. 8 pages written under a budget of 2: 6 are kept off the page table;
//      every one reads back what was written;
//   2. fork with kept pages: the child sees the parent's data, writes its
//      own, and the parent's pages are unchanged (COW holds);
//   3. mprotect(PROT_READ) over kept pages: a read returns the data, a write
//      is SIGSEGV (a kept page does not come back writable);
//   4. setrlimit lowers the budget to 1 frame: the next fault evicts down to
//      it (resident 1), data intact;
//   5. munmap frees kept pages (kept 0 afterwards);
//   6. an unprivileged process cannot set the global policy (EACCES) and it
//      stays as it was.
// It prints "budget_guard: ok" when everything held, FAIL lines otherwise.
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 8
static int bad;
static sigjmp_buf jb;

static void fail(const char *what) { printf("FAIL: %s\n", what); bad = 1; }

static long field(const char *name) {
  char buf[512];
  int fd = open("/proc/self/frame_budget", O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  size_t l = strlen(name);
  for (char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
    if (strncmp(p, name, l) == 0 && p[l] == ' ') return atol(p + l + 1);
  return -1;
}

static void budget(long pages) {
  struct rlimit rl = { (rlim_t)pages * 4096, RLIM_INFINITY };
  if (setrlimit(RLIMIT_RSS, &rl) != 0) fail("setrlimit");
}

static void segv(int sig) { (void)sig; siglongjmp(jb, 1); }

static int check(volatile unsigned char *m, unsigned char base) {
  for (int i = 0; i < PAGES; i++)
    for (int j = 0; j < 4096; j += 512)
      if (m[i * 4096 + j] != (unsigned char)(base + i + j / 512)) return 0;
  return 1;
}

static void fill(volatile unsigned char *m, unsigned char base) {
  for (int i = 0; i < PAGES; i++)
    for (int j = 0; j < 4096; j += 512) m[i * 4096 + j] = (unsigned char)(base + i + j / 512);
}

int main(void) {
  budget(2);
  volatile unsigned char *m = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) { fail("mmap"); return 1; }
  fill(m, 10);
  printf("resident %ld kept %ld\n", field("resident"), field("kept"));
  if (field("resident") != 2 || field("kept") != 6) fail("8 pages under a budget of 2: 2 resident, 6 kept");
  if (!check(m, 10)) fail("data read back under the budget");

  pid_t pid = fork();
  if (pid == 0) {
    int ok = check(m, 10);
    fill(m, 100);
    ok = ok && check(m, 100);
    _exit(ok ? 0 : 1);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) fail("child saw the parent's data and its own writes");
  if (!check(m, 10)) fail("parent's pages unchanged by the child's writes");

  // Evict most pages again, then make the region read-only.
  fill(m, 10);
  if (field("kept") < 1) fail("pages kept before mprotect");
  if (mprotect((void *)m, PAGES * 4096, PROT_READ) != 0) fail("mprotect");
  if (!check(m, 10)) fail("read-only pages read back");
  // Every page, resident or kept, must refuse a write now.
  signal(SIGSEGV, segv);
  volatile int faulted = 0;
  for (volatile int i = 0; i < PAGES; i++) {
    // The read brings a kept page back; the write right after must still fault.
    if (sigsetjmp(jb, 1) == 0) { (void)m[i * 4096]; m[i * 4096 + 8] = 0xee; }
    else faulted++;
  }
  signal(SIGSEGV, SIG_DFL);
  if (faulted != PAGES) { printf("read-only writes faulted: %d of %d\n", faulted, PAGES); fail("a write to a read-only page (kept by the budget before) raised no SIGSEGV"); }
  if (!check(m, 10)) fail("read-only pages unchanged");
  if (mprotect((void *)m, PAGES * 4096, PROT_READ | PROT_WRITE) != 0) fail("mprotect back");

  budget(1);
  m[0] = m[0];
  printf("lowered: resident %ld limit %ld\n", field("resident"), field("limit"));
  if (field("resident") != 1 || field("limit") != 1) fail("a lowered budget evicts down to it");
  if (!check(m, 10)) fail("data intact after the budget was lowered");

  munmap((void *)m, PAGES * 4096);
  printf("after munmap: kept %ld resident %ld\n", field("kept"), field("resident"));
  if (field("kept") != 0 || field("resident") != 0) fail("munmap frees kept pages");

  char before[32] = "", after[32] = "";
  int fd = open("/proc/sys/vm/replacement_policy", O_RDONLY);
  if (fd >= 0) { ssize_t n = read(fd, before, sizeof before - 1); if (n > 0) before[n] = 0; close(fd); }
  pid = fork();
  if (pid == 0) {
    if (setuid(1000) != 0) _exit(3);
    int w = open("/proc/sys/vm/replacement_policy", O_WRONLY);
    if (w >= 0) { ssize_t r = write(w, "random\n", 7); _exit(r == 7 ? 4 : 5); }
    _exit(errno == EACCES ? 0 : 6);
  }
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { printf("unprivileged writer: status %d\n", WEXITSTATUS(st)); fail("an unprivileged process cannot set vm.replacement_policy (EACCES)"); }
  fd = open("/proc/sys/vm/replacement_policy", O_RDONLY);
  if (fd >= 0) { ssize_t n = read(fd, after, sizeof after - 1); if (n > 0) after[n] = 0; close(fd); }
  if (strcmp(before, after) != 0 || before[0] == 0) fail("the policy stays as it was");
  if (!bad) printf("budget_guard: ok\n");
  return bad;
}
