/* Two CPU-bound children, each writing a mark ('a' or 'b') after every
 * PER iterations of a busy loop, MARKS times. The order of the marks on the
 * console shows the policy: FCFS runs the first child to completion, round
 * robin interleaves them a time slice at a time.
 * Usage: policy MARKS PER */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long sink;

static void burn(char mark, int marks, long per) {
  for (int m = 0; m < marks; m++) {
    for (long i = 0; i < per; i++) sink += (unsigned long)i ^ (sink >> 3);
    write(1, &mark, 1);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int marks = atoi(argv[1]);
  long per = atol(argv[2]);
  pid_t a = fork();
  if (a == 0) { burn('a', marks, per); _exit(0); }
  pid_t b = fork();
  if (b == 0) { burn('b', marks, per); _exit(0); }
  int sa, sb;
  if (waitpid(a, &sa, 0) != a || waitpid(b, &sb, 0) != b) return 3;
  write(1, "\n", 1);
  return WIFEXITED(sa) && WIFEXITED(sb) && WEXITSTATUS(sa) == 0 && WEXITSTATUS(sb) == 0 ? 0 : 4;
}
