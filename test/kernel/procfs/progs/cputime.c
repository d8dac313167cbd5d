/* cputime: a CPU-bound loop, then its CPU time (getrusage, times,
 * CLOCK_PROCESS_CPUTIME_ID) against the real time it took (CLOCK_MONOTONIC).
 * Prints "real_ns user_ns sys_ns cputime_ns tms_utime_ticks". */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>

static long long ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000;
  long long t0 = ns(CLOCK_MONOTONIC);
  volatile long x = 0;
  for (long i = 0; i < n; i++) x += i;
  long long t1 = ns(CLOCK_MONOTONIC);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  struct tms tm;
  times(&tm);
  long long cpu = ns(CLOCK_PROCESS_CPUTIME_ID);
  printf("%lld %lld %lld %lld %ld\n", t1 - t0,
         ru.ru_utime.tv_sec * 1000000000LL + ru.ru_utime.tv_usec * 1000LL,
         ru.ru_stime.tv_sec * 1000000000LL + ru.ru_stime.tv_usec * 1000LL, cpu, (long)tm.tms_utime);
  return 0;
}
