// Threads blocked on a futex, for the snapshot tests (test/vmm/snapshot.test.ts):
// the main thread holds a mutex while it computes; three threads wait for the
// mutex (futex waits in the kernel), then each adds its share under it and
// signals a condition variable the main thread waits on. A snapshot taken
// while the main thread computes holds the futex waiters; the restored run
// must wake them in the same order and print the same lines.
#include <pthread.h>
#include <stdio.h>

#define THREADS 3
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static int done;
static unsigned long total;
static volatile unsigned long work;

static void *worker(void *arg) {
  long id = (long)arg;
  pthread_mutex_lock(&lock);
  total += (unsigned long)id * 1000 + work % 997;
  done++;
  printf("thread %ld got the lock (done=%d)\n", id, done);
  fflush(stdout);
  pthread_cond_signal(&done_cv);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t[THREADS];
  pthread_mutex_lock(&lock);
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
  printf("main holds the lock; threads started\n");
  fflush(stdout);
  for (int r = 0; r < 400; r++) {
    for (int i = 0; i < 100000; i++) work += (unsigned long)i * 40503u;
    if (r % 100 == 0) { printf("main computing: %d\n", r); fflush(stdout); }
  }
  printf("main releases the lock\n");
  fflush(stdout);
  while (done < THREADS) {
    pthread_mutex_unlock(&lock);
    pthread_mutex_lock(&lock);
    if (done < THREADS) pthread_cond_wait(&done_cv, &lock);
  }
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  printf("all joined: total=%lu\n", total);
  return 0;
}
