/* pingpong: the cost of a context switch (C22, C23), as a pipe ping-pong.
 *
 *   pingpong N      N round trips; prints "pingpong <us> us/round-trip"
 *
 * A parent and a child pass one byte back and forth over two pipes: each
 * read blocks until the other side writes, so each round trip is two
 * wake-ups and (on one CPU) two context switches, plus four system calls.
 * The benchmark (bench/kernel.ts) runs it under tsix and under
 * qemu-riscv64 and reports both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000;
  if (n < 1) { fprintf(stderr, "usage: pingpong N\n"); return 2; }
  int ping[2], pong[2];
  if (pipe(ping) != 0 || pipe(pong) != 0) { perror("pipe"); return 1; }
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 1; }
  char c = 'x';
  if (pid == 0) {
    for (long i = 0; i < n; i++) {
      if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1) _exit(1);
    }
    _exit(0);
  }
  double t0 = now();
  for (long i = 0; i < n; i++) {
    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) { perror("pingpong"); return 1; }
  }
  double t = now() - t0;
  int st;
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) { fprintf(stderr, "pingpong: child failed\n"); return 1; }
  printf("pingpong %.2f us/round-trip\n", t / n * 1e6);
  return 0;
}
