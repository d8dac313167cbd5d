// Hostile arguments to timerfd and the POSIX timers: every call must fail
// cleanly or succeed as Linux does, and the machine must keep running (a
// 1 ns period must not starve it; a flood of timers stops at
// RLIMIT_SIGPENDING; a bad pointer leaks no timer).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *e(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static int flood(void) {
  int n = 0, id;
  struct sigevent sev = { .sigev_notify = SIGEV_NONE };
  while (n < 100000 && syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == 0) n++;
  return errno == EAGAIN ? n : -1;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct itimerspec s = { { 0, 0 }, { (time_t)1 << 62, 0 } };
  printf("tfd huge value: %s\n", e(timerfd_settime(fd, 0, &s, NULL)));
  struct itimerspec cur;
  timerfd_gettime(fd, &cur);
  printf("tfd huge still armed: %d\n", cur.it_value.tv_sec > 0);
  s.it_value.tv_sec = INT64_MAX; s.it_interval.tv_sec = INT64_MAX;
  printf("tfd INT64_MAX: %s\n", e(timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL)));
  s.it_value.tv_sec = -5;
  printf("tfd negative: %s\n", e(timerfd_settime(fd, 0, &s, NULL)));
  printf("tfd fd -1: %s\n", e(timerfd_settime(-1, 0, &s, NULL)));
  printf("tfd fd INT_MAX: %s\n", e(syscall(SYS_timerfd_gettime, 0x7fffffff, &cur)));
  printf("tfd bad old pointer: %s\n", e(syscall(SYS_timerfd_gettime, fd, (void *)8)));
  printf("tfd bad clock: %s\n", e(timerfd_create(-12345, 0)));
  // a 1 ns period: every expiry counted, the machine not starved
  s.it_value.tv_sec = 0; s.it_value.tv_nsec = 1; s.it_interval.tv_sec = 0; s.it_interval.tv_nsec = 1;
  timerfd_settime(fd, 0, &s, NULL);
  struct timespec ten = { 0, 10000000 };
  nanosleep(&ten, NULL);
  uint64_t ticks = 0;
  ssize_t r = read(fd, &ticks, sizeof ticks);
  printf("tfd 1ns period: read %zd, ticks >= 5e6: %d\n", r, ticks >= 5000000);
  char big[1 << 16];
  nanosleep(&ten, NULL);
  printf("tfd read with a large count: %zd\n", read(fd, big, sizeof big));
  close(fd);

  // POSIX timers
  int id;
  printf("pt bad timerid pointer: %s\n", e(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, (void *)8)));
  printf("pt bad sigevent pointer: %s\n", e(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)8, &id)));
  printf("pt id INT_MIN: %s\n", e(syscall(SYS_timer_delete, (int)0x80000000)));
  printf("pt id -1 gettime: %s\n", e(syscall(SYS_timer_gettime, -1, &cur)));
  printf("pt getoverrun bad: %s\n", e(syscall(SYS_timer_getoverrun, 777)));
  printf("pt cpu clock of no process: %s\n", e(syscall(SYS_timer_create, (~999999 << 3) | 2, NULL, &id)));
  printf("pt cpu clock of no thread: %s\n", e(syscall(SYS_timer_create, (~999999 << 3) | 6, NULL, &id)));
  // 1 ns periodic timer with its signal blocked: overruns saturate, nothing queues twice
  sigset_t set; sigemptyset(&set); sigaddset(&set, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &set, NULL);
  struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
  timer_t t;
  timer_create(CLOCK_MONOTONIC, &sev, &t);
  timer_settime(t, 0, &s, NULL);
  nanosleep(&ten, NULL);
  siginfo_t si;
  sigwaitinfo(&set, &si);
  printf("pt 1ns period: overrun large %d\n", si.si_overrun > 1000);
  timer_delete(t);

  // a flood of timers, in a child with RLIMIT_SIGPENDING 16
  pid_t c = fork();
  if (c == 0) {
    struct rlimit rl = { 16, 16 };
    setrlimit(RLIMIT_SIGPENDING, &rl);
    int n = flood();
    printf("flood with limit 16: %d\n", n);
    // a failing create (bad pointer) leaks no timer: after deleting one, exactly one more fits
    syscall(SYS_timer_delete, 0);
    syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, (void *)8);
    printf("after delete and a faulting create: %d more\n", flood());
    _exit(0);
  }
  int st; waitpid(c, &st, 0);
  printf("timers_hostile: done\n");
  return 0;
}
