/* lrsc: an LR/SC pair must fail when another hart wrote the word between
 * them. One thread adds 1 to X with amoadd.w until told to stop; the other
 * makes ATTEMPTS tries of: lr.w X; a delay loop longer than a hart's turn
 * (so the other hart runs in between); sc.w X+1000. With correct LR/SC
 * semantics no add is lost: X = adds + 1000 * (successful SCs).
 * Prints "adds=A sc_ok=S x=X expected=E". */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static volatile int x __attribute__((aligned(64)));
static volatile int stop, ready;
static long adds;

static void *adder(void *arg) {
  (void)arg;
  __atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
  while (ready < 2) { }
  long n = 0;
  while (!stop) {
    __asm__ volatile("amoadd.w zero, %1, (%0)" : : "r"(&x), "r"(1) : "memory");
    n++;
  }
  adds = n;
  return NULL;
}

int main(int argc, char **argv) {
  long attempts = argc > 1 ? atol(argv[1]) : 200;
  long delay = argc > 2 ? atol(argv[2]) : 20000;
  pthread_t th;
  if (pthread_create(&th, NULL, adder, NULL) != 0) return 1;
  __atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
  while (ready < 2) { }
  long ok = 0;
  for (long i = 0; i < attempts; i++) {
    int v, fail;
    __asm__ volatile(
        "lr.w %0, (%2)\n"
        "mv t2, %3\n"
        "1: addi t2, t2, -1\n"
        "bnez t2, 1b\n"
        "addi %0, %0, 1000\n"
        "sc.w %1, %0, (%2)\n"
        : "=&r"(v), "=&r"(fail)
        : "r"(&x), "r"(delay)
        : "t2", "memory");
    if (fail == 0) ok++;
  }
  stop = 1;
  pthread_join(th, NULL);
  long expected = adds + 1000 * ok;
  printf("adds=%ld sc_ok=%ld x=%d expected=%ld\n", adds, ok, x, expected);
  return x == expected ? 0 : 1;
}
