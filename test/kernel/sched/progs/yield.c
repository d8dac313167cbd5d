/* Two children that each write a mark and call sched_yield(), N times. On
 * one CPU, a yield that really gives the CPU to the other runnable task
 * makes the marks alternate exactly: "abab...". The work between yields is
 * tiny, far less than a time slice, so without a working sched_yield one
 * child would write all its marks in its first slice.
 * Usage: yield N */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(char mark, int n) {
  for (int i = 0; i < n; i++) {
    write(1, &mark, 1);
    if (sched_yield() != 0) _exit(1);
  }
  _exit(0);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  int n = atoi(argv[1]);
  pid_t a = fork();
  if (a == 0) child('a', n);
  pid_t b = fork();
  if (b == 0) child('b', n);
  int sa, sb;
  if (waitpid(a, &sa, 0) != a || waitpid(b, &sb, 0) != b) return 3;
  printf("\npids %d %d\n", (int)a, (int)b);
  return WIFEXITED(sa) && WIFEXITED(sb) && WEXITSTATUS(sa) == 0 && WEXITSTATUS(sb) == 0 ? 0 : 4;
}
