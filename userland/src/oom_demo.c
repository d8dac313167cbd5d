/*
 * oom_demo: who the OOM killer chooses. Two hogs grow in turns, 1 MiB at a
 * time, until memory runs out; "gentle" has oom_score_adj 0, "pushy" has
 * oom_score_adj 500 (+500 * RAM pages / 1000 to its badness). Badness is
 * rss + swap entries + page-table pages + oom_score_adj * totalpages / 1000,
 * so pushy dies first although both are the same size; then gentle grows
 * alone and dies next. A third process, "shielded", holds 4 MiB with
 * oom_score_adj -1000: it is never chosen. Run it as root in tsix (it sets
 * oom_score_adj -1000, which needs CAP_SYS_RESOURCE); then `dmesg | tail`
 * shows the task table and the "Out of memory: Killed process" lines.
 * Concepts: C56 (OOM killer, badness, oom_score_adj, SIGKILL), C15 (RAM).
 *
 * Prints each hog's oom_score once both hold 4 MiB, the order of the deaths,
 * and "oom_demo: ok" when pushy died first, then gentle, and shielded lives.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1 << 20)

static void setadj(const char *v) {
  int fd = open("/proc/self/oom_score_adj", O_WRONLY);
  if (fd < 0 || write(fd, v, strlen(v)) != (ssize_t)strlen(v)) { fprintf(stderr, "oom_demo: cannot set oom_score_adj %s (run it as root)\n", v); _exit(2); }
  close(fd);
}

static long score(pid_t p) {
  char path[64], b[32] = { 0 };
  snprintf(path, sizeof path, "/proc/%d/oom_score", p);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, b, sizeof b - 1);
  close(fd);
  return n > 0 ? atol(b) : -1;
}

static void touch(size_t n) {
  char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { printf("mmap failed\n"); _exit(3); }
  for (size_t i = 0; i < n; i += 4096) p[i] = 1;
}

/** A hog: take `first` MiB, say so, wait for the go, then grow 1 MiB per turn. */
static pid_t hog(const char *adj, int ready, int go) {
  pid_t p = fork();
  if (p != 0) return p;
  setadj(adj);
  touch(4 * MiB);
  write(ready, "r", 1);
  char c;
  read(go, &c, 1);
  for (;;) { touch(MiB); sched_yield(); }
}

int main(void) {
  int ready[2], go[2];
  if (pipe(ready) < 0 || pipe(go) < 0) return 1;
  pid_t shielded = fork();
  if (shielded == 0) {
    setadj("-1000");
    touch(4 * MiB);
    write(ready[1], "r", 1);
    for (;;) pause();
  }
  pid_t gentle = hog("0", ready[1], go[0]);
  pid_t pushy = hog("500", ready[1], go[0]);
  char c;
  for (int i = 0; i < 3; i++) read(ready[0], &c, 1);
  printf("shielded pid %d oom_score %ld (oom_score_adj -1000)\n", shielded, score(shielded));
  printf("gentle   pid %d oom_score %ld (oom_score_adj 0)\n", gentle, score(gentle));
  printf("pushy    pid %d oom_score %ld (oom_score_adj 500)\n", pushy, score(pushy));
  fflush(stdout);
  write(go[1], "gg", 2);
  pid_t order[2];
  for (int i = 0; i < 2; i++) {
    int st;
    order[i] = wait(&st);
    printf("died %d: %s pid %d, %s %d\n", i + 1, order[i] == pushy ? "pushy" : order[i] == gentle ? "gentle" : "shielded",
           order[i], WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
  }
  int alive = kill(shielded, 0) == 0 && waitpid(shielded, NULL, WNOHANG) == 0;
  printf("shielded %s\n", alive ? "alive" : "dead");
  kill(shielded, SIGKILL);
  waitpid(shielded, NULL, 0);
  int ok = order[0] == pushy && order[1] == gentle && alive;
  printf("oom_demo: %s\n", ok ? "ok" : "FAIL");
  return ok ? 0 : 1;
}
