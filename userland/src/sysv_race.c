/* sysv_race: processes updating shared memory, without and with a System V
 * semaphore (C34).
 *
 *   sysv_race none|sem [PROCS [ITERS]]
 *
 * PROCS processes (default 2, made with fork) each add 1 ITERS times
 * (default 10000) to a counter in a MAP_SHARED anonymous mapping, which
 * they all see. An increment is a read, a moment of work, a write:
 *   none  no lock: on two CPUs (`tsix run --cpus 2`) another process's
 *         increments that land between a read and its write are lost;
 *   sem   a SysV semaphore set to 1 is taken (semop -1, SEM_UNDO) and
 *         given back (+1) around each increment: nothing is lost, and if a
 *         process died holding it, exit would give it back (SEM_UNDO).
 * It prints how many increments there should be and how many there are.
 * Each process is pinned to its own CPU (sched_setaffinity), so that they
 * really run at the same time.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

/* The moment of work between the read and the write. Read from a volatile so
 * that the compiler cannot unroll it: with a constant 4, gcc -O2 unrolled the
 * loop, leaving no branch between the load and the store, and a tsix hart's
 * turn ends only at a taken branch (docs/smp.md), so the two processes never
 * interleaved inside the critical section and no update was ever lost. */
static volatile int work = 4;

static int sem_change(int s, int by) {
  struct sembuf op = { 0, (short)by, SEM_UNDO };
  return semop(s, &op, 1);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 4 || (strcmp(argv[1], "none") != 0 && strcmp(argv[1], "sem") != 0)) {
    fprintf(stderr, "usage: sysv_race none|sem [PROCS [ITERS]]\n");
    return 2;
  }
  int lock = strcmp(argv[1], "sem") == 0;
  int procs = argc > 2 ? atoi(argv[2]) : 2;
  long iters = argc > 3 ? atol(argv[3]) : 10000;
  if (procs < 1 || procs > 64 || iters < 1) { fprintf(stderr, "usage: sysv_race none|sem [PROCS [ITERS]]\n"); return 2; }
  volatile long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) { perror("mmap"); return 1; }
  /* shared[0]: the counter; shared[8]: processes ready (they start together). */
  int s = semget(IPC_PRIVATE, 1, 0600);
  if (s < 0) { perror("semget"); return 1; }
  if (semctl(s, 0, SETVAL, 1) < 0) { perror("semctl SETVAL"); return 1; }
  for (int p = 0; p < procs; p++) {
    pid_t c = fork();
    if (c < 0) { perror("fork"); return 1; }
    if (c == 0) {
      /* One process per CPU: otherwise both may queue on one CPU and run in
       * turns of a whole time slice, each finishing its loop in one turn. */
      long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(p % (ncpu > 0 ? ncpu : 1), &set);
      sched_setaffinity(0, sizeof set, &set); /* a hint: without it the demo still runs */
      __atomic_add_fetch(&shared[8], 1, __ATOMIC_SEQ_CST);
      while (shared[8] < procs) { /* start together */ }
      for (long i = 0; i < iters; i++) {
        if (lock && sem_change(s, -1) < 0) { perror("semop"); _exit(1); }
        long v = shared[0];
        for (int j = 0; j < work; j++) __asm__ volatile("" : "+r"(v));
        shared[0] = v + 1;
        if (lock && sem_change(s, 1) < 0) { perror("semop"); _exit(1); }
      }
      _exit(0);
    }
  }
  int bad = 0, st;
  for (int p = 0; p < procs; p++) { wait(&st); if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) bad = 1; }
  long expected = (long)procs * iters;
  printf("mode=%s procs=%d iters=%ld expected=%ld actual=%ld lost=%ld\n", argv[1], procs, iters, expected, shared[0], expected - shared[0]);
  semctl(s, 0, IPC_RMID);
  return bad;
}
