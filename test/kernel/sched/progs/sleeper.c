/* Busy work and short sleeps, N times: every sleep ends with a timer
 * wake-up, which must reach this program's own kernel even when another
 * kernel runs in the same host process.
 * Usage: sleeper N PER */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int n = atoi(argv[1]);
  long per = atol(argv[2]);
  struct timespec ts = { 0, 1000000 };
  for (int i = 0; i < n; i++) {
    for (long j = 0; j < per; j++) sink += (unsigned long)j ^ (sink >> 3);
    if (nanosleep(&ts, NULL) != 0) return 3;
  }
  printf("slept %d times\n", n);
  return 0;
}
