/* futexbench: the cost of a futex wake-up and of a SysV semaphore wake-up
 * (issue 11's benchmarks; C33, C34).
 *
 *   futexbench futex N   two threads pass a turn back and forth N times
 *                        through two futex words (FUTEX_WAIT / FUTEX_WAKE);
 *                        prints "futex <us> us/round-trip"
 *   futexbench futexto N the same, each FUTEX_WAIT with a 1 s timeout
 *                        (a timed wait must cost no more than an untimed one)
 *   futexbench sem N     two processes pass a turn back and forth N times
 *                        through a SysV semaphore set of two (semop -1 / +1);
 *                        prints "sem <us> us/round-trip"
 *
 * Each round trip is two blocking waits and two wake-ups. bench/futex.ts
 * runs it under tsix and under qemu-riscv64 and reports both.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long n;
static int timed;
static _Atomic int turn; /* 0: main's turn, 1: the other thread's */

static void wait_for(int want) {
  struct timespec to = { 1, 0 };
  int v;
  while ((v = atomic_load(&turn)) != want)
    syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, v, timed ? &to : NULL, NULL, 0);
}

static void pass(int to) {
  atomic_store(&turn, to);
  syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *other(void *arg) {
  (void)arg;
  for (long i = 0; i < n; i++) { wait_for(1); pass(0); }
  return NULL;
}

static int futex_bench(const char *name) {
  pthread_t th;
  pthread_create(&th, NULL, other, NULL);
  double t0 = now();
  for (long i = 0; i < n; i++) { pass(1); wait_for(0); }
  double t = now() - t0;
  pthread_join(th, NULL);
  printf("%s %.2f us/round-trip\n", name, t / n * 1e6);
  return 0;
}

static int sem_bench(void) {
  int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  if (id < 0) { perror("semget"); return 1; }
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 1; }
  struct sembuf down0 = { 0, -1, 0 }, up1 = { 1, 1, 0 }, down1 = { 1, -1, 0 }, up0 = { 0, 1, 0 };
  if (pid == 0) {
    for (long i = 0; i < n; i++) {
      if (semop(id, &down0, 1) != 0 || semop(id, &up1, 1) != 0) _exit(1);
    }
    _exit(0);
  }
  double t0 = now();
  for (long i = 0; i < n; i++) {
    if (semop(id, &up0, 1) != 0 || semop(id, &down1, 1) != 0) { perror("semop"); return 1; }
  }
  double t = now() - t0;
  int st;
  waitpid(pid, &st, 0);
  semctl(id, 0, IPC_RMID);
  printf("sem %.2f us/round-trip\n", t / n * 1e6);
  return st == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  n = argc > 2 ? atol(argv[2]) : 10000;
  if (argc < 2 || n < 1) { fprintf(stderr, "usage: futexbench futex|futexto|sem N\n"); return 2; }
  if (!strcmp(argv[1], "futex")) return futex_bench("futex");
  if (!strcmp(argv[1], "futexto")) { timed = 1; return futex_bench("futexto"); }
  if (!strcmp(argv[1], "sem")) return sem_bench();
  fprintf(stderr, "usage: futexbench futex|futexto|sem N\n");
  return 2;
}
