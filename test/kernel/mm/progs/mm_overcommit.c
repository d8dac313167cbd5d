// Overcommit policy (test/kernel/mm/overcommit.test.ts): sets
// vm.overcommit_memory to argv[1] and reports what each request gets, as
// Documentation/mm/overcommit-accounting.rst describes:
//   0 heuristic - a single request larger than RAM + swap fails
//   1 always    - nothing fails
//   2 never     - Committed_AS may not pass CommitLimit (swap + RAM * ratio / 100);
//                 read-only private mappings are not charged until made writable;
//                 MAP_NORESERVE is ignored; fork charges the child's private memory.
// Lines: "NAME ok" or "NAME ENOMEM" (or another errno name), plus meminfo figures in kB.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
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

static void report(const char *what, void *p) {
  printf("%s %s\n", what, p == MAP_FAILED ? (errno == ENOMEM ? "ENOMEM" : strerror(errno)) : "ok");
}

static void *anon(size_t n, int prot, int extra) {
  return mmap(NULL, n, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "0";
  int fd = open("/proc/sys/vm/overcommit_memory", O_WRONLY);
  if (fd < 0 || write(fd, mode, strlen(mode)) != (ssize_t)strlen(mode)) { printf("cannot set mode\n"); return 1; }
  close(fd);
  const size_t MiB = 1 << 20;
  long limitKb = meminfo("CommitLimit:"), ramKb = meminfo("MemTotal:");
  printf("mode %s MemTotal %ld CommitLimit %ld\n", mode, ramKb, limitKb);
  // Room left under CommitLimit, in bytes (negative in modes 0/1 does not matter).
  long room = (limitKb - meminfo("Committed_AS:")) * 1024L;

  long before = meminfo("Committed_AS:");
  void *small = anon(4 * MiB, PROT_READ | PROT_WRITE, 0);
  report("small", small);
  printf("small_charge_kb %ld\n", meminfo("Committed_AS:") - before);
  if (small != MAP_FAILED) munmap(small, 4 * MiB);
  printf("after_munmap_kb %ld\n", meminfo("Committed_AS:") - before);

  void *huge = anon(1024 * MiB, PROT_READ | PROT_WRITE, 0);
  report("huge_rw", huge);
  if (huge != MAP_FAILED) munmap(huge, 1024 * MiB);

  void *over = anon(room + 4 * MiB, PROT_READ | PROT_WRITE, 0);
  report("past_limit_rw", over);
  if (over != MAP_FAILED) munmap(over, room + 4 * MiB);

  void *nores = anon(1024 * MiB, PROT_READ | PROT_WRITE, MAP_NORESERVE);
  report("huge_noreserve", nores);
  if (nores != MAP_FAILED) munmap(nores, 1024 * MiB);

  void *ro = anon(1024 * MiB, PROT_READ, 0);
  report("huge_readonly", ro);
  if (ro != MAP_FAILED) {
    int r = mprotect(ro, 1024 * MiB, PROT_READ | PROT_WRITE);
    printf("mprotect_rw %s\n", r == 0 ? "ok" : errno == ENOMEM ? "ENOMEM" : strerror(errno));
    munmap(ro, 1024 * MiB);
  }

  void *shared = mmap(NULL, 1024 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  report("huge_shared_anon", shared);
  if (shared != MAP_FAILED) munmap(shared, 1024 * MiB);

  void *cur = sbrk(0);
  void *grown = sbrk(room + 4 * MiB);
  report("brk_past_limit", grown == (void *)-1 ? MAP_FAILED : grown);
  if (grown != (void *)-1) brk(cur);

  // Fork with more than half of the room charged: the child's copy does not fit in mode 2.
  size_t big = (size_t)(room * 6 / 10) & ~(size_t)4095;
  void *half = big > 0 ? anon(big, PROT_READ | PROT_WRITE, 0) : MAP_FAILED;
  if (half != MAP_FAILED) {
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid(pid, NULL, 0);
    printf("fork_big %s\n", pid >= 0 ? "ok" : errno == ENOMEM ? "ENOMEM" : strerror(errno));
    munmap(half, big);
  }
  printf("end_charge_kb %ld\n", meminfo("Committed_AS:") - before);
  return 0;
}
