/* spin.c - says so, then computes forever without a system call: the only
 * way out is a signal. test/cli/stop_signals.test.ts stops it from the host. */
#include <stdio.h>

int main(void) {
  unsigned long x = 0;
  puts("spinning");
  fflush(stdout);
  for (;;) {
    x = x * 6364136223846793005UL + 1442695040888963407UL;
    __asm__ volatile("" : : "r"(x));
  }
}
