/* Tasks that pass through every scheduling state, for the tracepoint tests.
 *   lifecycle life      a thread that spins and exits; a child that sleeps
 *                       5 ms (blocked), spins and exits with 3; the parent
 *                       waits for both and prints "child C thread T".
 *   lifecycle spin N I  N CPU-bound children of I busy iterations each,
 *                       started together; the parent waits for all.
 *   lifecycle stop      a CPU-bound child and a sleeping child are each
 *                       stopped (SIGSTOP) and continued (SIGCONT); the
 *                       parent prints "stopped S B" (their pids) and waits. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
static volatile long thread_tid;

static void burn(long n) {
  for (long i = 0; i < n; i++) sink += (unsigned long)i ^ (sink >> 3);
}

static void *thread_main(void *arg) {
  (void)arg;
  thread_tid = syscall(SYS_gettid);
  burn(20000);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc >= 2 && argv[1][0] == 'l') {
    pthread_t th;
    if (pthread_create(&th, NULL, thread_main, NULL) != 0) return 2;
    pid_t c = fork();
    if (c == 0) {
      struct timespec d = { 0, 5000000 };
      nanosleep(&d, NULL);
      burn(50000);
      _exit(3);
    }
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 3) return 3;
    pthread_join(th, NULL);
    printf("child %d thread %ld\n", (int)c, thread_tid);
    return 0;
  }
  if (argc >= 2 && argv[1][0] == 's' && argv[1][1] == 't') {
    struct timespec ms2 = { 0, 2000000 };
    pid_t spin = fork();
    if (spin == 0) { burn(400000); _exit(0); }
    pid_t sleeper = fork();
    if (sleeper == 0) {
      struct timespec d = { 0, 20000000 };
      nanosleep(&d, NULL);
      _exit(0);
    }
    nanosleep(&ms2, NULL);
    if (kill(spin, SIGSTOP) || kill(sleeper, SIGSTOP)) return 5;
    nanosleep(&ms2, NULL);
    if (kill(spin, SIGCONT) || kill(sleeper, SIGCONT)) return 6;
    int st, bad = 0;
    for (int i = 0; i < 2; i++) if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) bad = 1;
    printf("stopped %d %d\n", (int)spin, (int)sleeper);
    return bad ? 7 : 0;
  }
  if (argc < 4) return 2;
  int n = atoi(argv[2]);
  long iters = atol(argv[3]);
  for (int i = 0; i < n; i++) {
    if (fork() == 0) { burn(iters); _exit(0); }
  }
  int st, bad = 0;
  for (int i = 0; i < n; i++) if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) bad = 1;
  printf("spin %d done\n", n);
  return bad ? 4 : 0;
}
