/* race_demo: a race condition and three ways to prevent it (C34).
 *
 *   race_demo MODE [THREADS [ITERS [WORK]]]     MODE: none | mutex | spin | sem
 *
 * THREADS threads (default 2) each add 1 to one shared counter ITERS times
 * (default 100000). An increment is a critical section: read the counter,
 * work on the value for a moment (a loop of WORK steps, default 4, as real
 * code computes between reading shared data and writing it back), write
 * it back. The program prints how many increments there should be and how
 * many the counter holds:
 *   none   no lock: on two CPUs the other thread's increments that land
 *          between a read and its write are overwritten, so updates are lost;
 *   mutex  a pthread mutex around the increment (futex(2) when contended);
 *   spin   a spinlock taken with amoswap.w.aq and dropped with amoswap.w.rl;
 *   sem    a POSIX semaphore (initial value 1) around the increment.
 * With a lock no update is lost. Run it with `tsix run --cpus 2`: on one
 * CPU a thread loses the CPU only at a timer tick, so updates are lost only
 * when a tick lands inside a critical section.
 *
 * tsix-build: -pthread
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum mode { NONE, MUTEX, SPIN, SEM };

static enum mode mode;
static long iters;
static int nthreads;
/* The shared counter; volatile so that each increment is its own load and store. */
static volatile long counter __attribute__((aligned(64)));
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static volatile int spin __attribute__((aligned(64)));
static sem_t sem;
/* Threads that have started: each waits for all, so that they really run at the same time. */
static volatile int ready;
static int work = 4;

/* The critical section: read, compute (a short loop), write back. */
static void increment(void) {
  long v = counter;
  for (int j = 0; j < work; j++) __asm__ volatile("" : "+r"(v));
  counter = v + 1;
}

static void spin_lock(volatile int *l) {
  int old;
  do {
    __asm__ volatile("amoswap.w.aq %0, %2, (%1)" : "=r"(old) : "r"(l), "r"(1) : "memory");
  } while (old != 0);
}

static void spin_unlock(volatile int *l) {
  __asm__ volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(l) : "memory");
}

static void *worker(void *arg) {
  (void)arg;
  __atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
  while (ready < nthreads) { /* start together */ }
  for (long i = 0; i < iters; i++) {
    switch (mode) {
      case NONE:
        increment();
        break;
      case MUTEX:
        pthread_mutex_lock(&mutex);
        increment();
        pthread_mutex_unlock(&mutex);
        break;
      case SPIN:
        spin_lock(&spin);
        increment();
        spin_unlock(&spin);
        break;
      case SEM:
        while (sem_wait(&sem) != 0) { /* EINTR: try again */ }
        increment();
        sem_post(&sem);
        break;
    }
  }
  return NULL;
}

static int usage(void) {
  fprintf(stderr, "usage: race_demo none|mutex|spin|sem [THREADS [ITERS [WORK]]]\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 5) return usage();
  if (strcmp(argv[1], "none") == 0) mode = NONE;
  else if (strcmp(argv[1], "mutex") == 0) mode = MUTEX;
  else if (strcmp(argv[1], "spin") == 0) mode = SPIN;
  else if (strcmp(argv[1], "sem") == 0) mode = SEM;
  else return usage();
  nthreads = argc > 2 ? atoi(argv[2]) : 2;
  iters = argc > 3 ? atol(argv[3]) : 100000;
  if (argc > 4) work = atoi(argv[4]);
  if (nthreads < 1 || nthreads > 64 || iters < 1 || work < 0) return usage();
  if (sem_init(&sem, 0, 1) != 0) { perror("sem_init"); return 1; }
  pthread_t th[64];
  for (int i = 0; i < nthreads; i++) {
    int e = pthread_create(&th[i], NULL, worker, NULL);
    if (e != 0) { fprintf(stderr, "pthread_create: %s\n", strerror(e)); return 1; }
  }
  for (int i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
  long expected = (long)nthreads * iters;
  printf("mode=%s threads=%d iters=%ld work=%d expected=%ld actual=%ld lost=%ld\n",
         argv[1], nthreads, iters, work, expected, counter, expected - counter);
  return 0;
}
