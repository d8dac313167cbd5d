// A pending alarm and a signal handler, for the snapshot tests
// (test/vmm/snapshot.test.ts): the program arms alarm(1), then computes until
// the handler has run, printing its progress. A snapshot taken while it
// computes holds the armed alarm (a kernel timer) and the installed handler;
// the restored run must take the signal at the same instruction and print the
// same lines.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t fired;
static volatile unsigned long work;

static void on_alarm(int sig) {
  (void)sig;
  fired = 1;
  static const char msg[] = "handler: SIGALRM\n";
  write(1, msg, sizeof msg - 1);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  printf("armed: %u\n", alarm(1));
  fflush(stdout);
  unsigned long rounds = 0;
  while (!fired) {
    for (int i = 0; i < 100000; i++) work += (unsigned long)i * 2654435761u;
    rounds++;
    if (rounds % 64 == 0) { printf("computing: %lu\n", rounds); fflush(stdout); }
  }
  printf("after the alarm: rounds=%lu work=%lu left=%u\n", rounds, work, alarm(0));
  return 0;
}
