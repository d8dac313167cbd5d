/* Are two tasks running at the same time? Two children play ping-pong on a
 * shared page by busy-waiting, with no system call in the loop: each waits
 * for the other's move. Only when both run at once (two CPUs) do the ROUNDS
 * rounds finish; on one CPU with a non-preemptive policy the first child
 * spins forever, and alarm(ALARM) ends each child with SIGALRM instead.
 * Each child then prints the processor it ran on (/proc/self/stat field 39).
 * Usage: parallel ROUNDS ALARM */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

static int processor(void) {
  char buf[1024];
  int fd = open("/proc/self/stat", O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *p = strrchr(buf, ')');           /* fields after comm start at 3 */
  if (!p) return -1;
  int field = 2;
  for (p++; *p; p++) {
    if (*p == ' ' && ++field == 39) return atoi(p + 1);
  }
  return -1;
}

static void player(volatile int *turn, int me, int rounds, int secs) {
  alarm(secs);
  for (int r = 0; r < rounds; r++) {
    while (*turn != 2 * r + me) { /* spin: no syscall */ }
    *turn = 2 * r + me + 1;
  }
  alarm(0);
  printf("child %d done on cpu %d\n", me, processor());
  fflush(stdout);
  _exit(0);
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int rounds = atoi(argv[1]), secs = atoi(argv[2]);
  volatile int *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (turn == MAP_FAILED) return 3;
  *turn = 0;
  pid_t p[2];
  for (int i = 0; i < 2; i++) {
    p[i] = fork();
    if (p[i] == 0) player(turn, i, rounds, secs);
  }
  int ok = 1;
  for (int i = 0; i < 2; i++) {
    int st;
    if (waitpid(p[i], &st, 0) != p[i]) return 4;
    if (WIFSIGNALED(st)) { printf("child %d killed by signal %d\n", i, WTERMSIG(st)); ok = 0; }
    else if (WEXITSTATUS(st) != 0) ok = 0;
  }
  printf("rounds %d %s\n", *turn / 2, ok ? "complete" : "incomplete");
  return 0;
}
