/* SCHED_RR keeps the unexpired part of its quantum when a higher priority
 * preempts it (sched(7)). Two SCHED_RR tasks of priority 10 spin, counting;
 * a SCHED_FIFO task of priority 20 wakes every PERIOD_US (shorter than the
 * RR quantum) and sleeps again at once. With the rule, each spinner runs a
 * quantum of CPU in total and then the other one has its turn, so both
 * count; without it, every preemption gave the first spinner a whole new
 * quantum and the second never ran. The parent (SCHED_FIFO 50) sleeps MS
 * ms, then prints "a A b B" (the two counts).
 * Usage: rr_quantum MS PERIOD_US */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile long *shared;

static void setsched(pid_t pid, int policy, int prio) {
  struct sched_param sp = { .sched_priority = prio };
  if (sched_setscheduler(pid, policy, &sp) != 0) { perror("sched_setscheduler"); exit(4); }
}

static void snooze(long ns) {
  struct timespec ts = { ns / 1000000000L, ns % 1000000000L };
  nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  long ms = atol(argv[1]), period_us = atol(argv[2]);
  shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return 3;
  setsched(0, SCHED_FIFO, 50); /* the children run only while the parent sleeps */
  pid_t pids[3];
  for (int i = 0; i < 3; i++) {
    pids[i] = fork();
    if (pids[i] < 0) return 3;
    if (pids[i] == 0) {
      if (i < 2) for (;;) shared[i]++;
      for (;;) snooze(period_us * 1000);
    }
  }
  setsched(pids[0], SCHED_RR, 10);
  setsched(pids[1], SCHED_RR, 10);
  setsched(pids[2], SCHED_FIFO, 20);
  snooze(ms * 1000000L);
  long a = shared[0], b = shared[1];
  for (int i = 0; i < 3; i++) { kill(pids[i], SIGKILL); waitpid(pids[i], NULL, 0); }
  printf("a %ld b %ld\n", a, b);
  return 0;
}
