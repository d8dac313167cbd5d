/* shm_demo: two processes share a counter in a System V shared memory
 * segment (C43), without and with a System V semaphore (C34).
 *
 *   shm_demo none|sem [ITERS]
 *
 * The parent makes a segment (shmget IPC_PRIVATE), attaches it (shmat) and
 * marks it for removal at once (IPC_RMID): it lives while attached, and goes
 * when the last process detaches or exits. Two children made with fork
 * inherit the attachment (shm_nattch is 3 while they run) and each add 1 to
 * the counter ITERS times (default 20000), one per CPU:
 *   none  no lock: run it with `tsix run --cpus 2`; an increment of the
 *         other process that lands between a read and its write is lost;
 *   sem   a semaphore (semop -1 / +1 with SEM_UNDO) around each increment:
 *         nothing is lost.
 * It prints the attach count seen by a child, then what the counter should
 * be and what it is.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

/* The work between reading and writing the counter, read from a volatile so
 * that the compiler keeps it a loop (a branch inside the critical section:
 * a tsix hart's turn ends only at a taken branch, docs/smp.md). */
static volatile int work = 4;

struct shared {
  long counter;
  int ready;
  int nattch;
};

static int change(int sem, int by) {
  struct sembuf op = { 0, (short)by, SEM_UNDO };
  return semop(sem, &op, 1);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 2 || argc > 3 || (strcmp(argv[1], "none") != 0 && strcmp(argv[1], "sem") != 0)) {
    fprintf(stderr, "usage: shm_demo none|sem [ITERS]\n");
    return 2;
  }
  int lock = strcmp(argv[1], "sem") == 0;
  long iters = argc > 2 ? atol(argv[2]) : 20000;
  if (iters < 1) { fprintf(stderr, "usage: shm_demo none|sem [ITERS]\n"); return 2; }
  int id = shmget(IPC_PRIVATE, sizeof(struct shared), IPC_CREAT | 0600);
  if (id < 0) { perror("shmget"); return 1; }
  volatile struct shared *sh = shmat(id, NULL, 0);
  if (sh == (void *)-1) { perror("shmat"); return 1; }
  shmctl(id, IPC_RMID, NULL); /* gone when the last attachment goes */
  int sem = semget(IPC_PRIVATE, 1, 0600);
  if (sem < 0 || semctl(sem, 0, SETVAL, 1) < 0) { perror("semget"); return 1; }
  for (int p = 0; p < 2; p++) {
    pid_t c = fork();
    if (c < 0) { perror("fork"); return 1; }
    if (c == 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(p % 2, &set);
      sched_setaffinity(0, sizeof set, &set); /* one per CPU (a hint) */
      __atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
      while (sh->ready < 2) { /* start together */ }
      if (p == 0) {
        struct shmid_ds d;
        sh->nattch = shmctl(id, IPC_STAT, &d) == 0 ? (int)d.shm_nattch : -1;
      }
      for (long i = 0; i < iters; i++) {
        if (lock && change(sem, -1) < 0) { perror("semop"); _exit(1); }
        long v = sh->counter;
        for (int j = 0; j < work; j++) __asm__ volatile("" : "+r"(v));
        sh->counter = v + 1;
        if (lock && change(sem, 1) < 0) { perror("semop"); _exit(1); }
      }
      _exit(0);
    }
  }
  int bad = 0, st;
  for (int p = 0; p < 2; p++) { wait(&st); if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) bad = 1; }
  printf("shm_demo: a child saw shm_nattch=%d\n", sh->nattch);
  long expected = 2 * iters;
  printf("mode=%s iters=%ld expected=%ld actual=%ld lost=%ld\n", argv[1], iters, expected, sh->counter, expected - sh->counter);
  semctl(sem, 0, IPC_RMID);
  shmdt((void *)sh);
  return bad;
}
