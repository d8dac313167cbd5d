/* The program gdb debugs in gdb.test.ts (built with -g -O0; the test names
   its lines: keep them where they are). */
#include <pthread.h>
#include <stdio.h>

int square(int v) {
  int r = v * v;
  return r;
}

void *worker(void *arg) {
  int *p = arg;
  *p += 100;
  return 0;
}

int main(void) {
  int x = 6;
  x = square(x) + 1;
  pthread_t t;
  pthread_create(&t, 0, worker, &x);
  pthread_join(t, 0);
  printf("x=%d\n", x);
  return 0;
}
