/* stress-ng --futex's pattern: the parent calls FUTEX_WAKE in a loop and
 * never blocks; the child waits on the futex (5 us timeout) and counts the
 * waits a wake ended. After MS ms of CLOCK_MONOTONIC the parent prints
 * "handoffs N". On one CPU under round robin (tsix's rr, Linux's
 * SCHED_RR) a woken task of equal priority does not preempt the waker, so
 * the child runs once per quantum of the parent: MS / quantum handoffs.
 * Usage: futex_handoff MS */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  long ms = atol(argv[1]);
  volatile long *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (sh == MAP_FAILED) return 3;
  unsigned *fut = (unsigned *)&sh[0];
  double end = now() + ms / 1000.0;
  pid_t pid = fork();
  if (pid < 0) return 3;
  if (pid == 0) {
    for (;;) {
      struct timespec t = { 0, 5000 };
      long r = syscall(SYS_futex, fut, FUTEX_WAIT, 0, &t, NULL, 0);
      if (!(r < 0 && errno == ETIMEDOUT)) sh[1]++;
    }
  }
  while (now() < end) syscall(SYS_futex, fut, FUTEX_WAKE, 1, NULL, NULL, 0);
  long n = sh[1];
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  printf("handoffs %ld\n", n);
  return 0;
}
