/* mq_demo: a producer and a consumer over a POSIX message queue (C42),
 * with priorities and mq_notify.
 *
 *   mq_demo [ITEMS]
 *
 * The parent makes /mq_demo (4 messages of at most 64 bytes) and forks a
 * consumer. The consumer registers for notification (mq_notify,
 * SIGEV_SIGNAL with SIGUSR1) and waits for the signal: the first message
 * into the empty queue sends it. Then:
 *   1. the producer queues four messages of priorities 1, 9, 5, 9 while the
 *      consumer waits; the consumer receives them highest priority first,
 *      FIFO within a priority: 9 9 5 1;
 *   2. the producer sends ITEMS (default 200) numbered items at priority 0
 *      through the 4-message queue, blocking whenever it is full; the
 *      consumer checks that every item arrives, in order, and sums them.
 * See the queue while it runs: cat /dev/mqueue/mq_demo.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *NAME = "/mq_demo";

static volatile sig_atomic_t notified, notifyCode;
static void onNotify(int s, siginfo_t *si, void *uc) {
  (void)s; (void)uc;
  notified = 1;
  notifyCode = si->si_code;
}

static int consumer(mqd_t q, int tell, int hear, long items) {
  char buf[64];
  unsigned prio;
  /* Wait for the notification: the queue is empty until the producer's first message. */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
  if (mq_notify(q, &ev) < 0) { perror("mq_notify"); return 1; }
  if (write(tell, "r", 1) != 1) return 1; /* registered: the producer may start */
  while (!notified) sigsuspend(&old);
  printf("consumer: notified (si_code %s)\n", notifyCode == SI_MESGQ ? "SI_MESGQ" : "other");
  ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
  printf("consumer: first message \"%.*s\"\n", (int)n, buf);
  if (write(tell, "1", 1) != 1) return 1; /* phase 1 may start */
  /* Phase 1: the producer tells us (through the pipe) when the four are queued. */
  char c;
  if (read(hear, &c, 1) != 1) return 1;
  printf("consumer: priorities received:");
  for (int i = 0; i < 4; i++) {
    n = mq_receive(q, buf, sizeof buf, &prio);
    printf(" %u(%.*s)", prio, (int)n, buf);
  }
  printf("\n");
  /* Phase 2: the stream. */
  long sum = 0, bad = 0;
  for (long i = 0; i < items; i++) {
    n = mq_receive(q, buf, sizeof buf, &prio);
    if (n < 0) { perror("mq_receive"); return 1; }
    buf[n] = 0;
    long v = atol(buf);
    if (v != i) bad++;
    sum += v;
  }
  printf("consumer: received %ld items, sum %ld, %ld out of order\n", items, sum, bad);
  return bad != 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  long items = argc > 1 ? atol(argv[1]) : 200;
  if (argc > 2 || items < 1) { fprintf(stderr, "usage: mq_demo [ITEMS]\n"); return 2; }
  mq_unlink(NAME);
  struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 64 };
  mqd_t q = mq_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
  if (q == (mqd_t)-1) { perror("mq_open"); return 1; }
  struct sigaction sa = { .sa_sigaction = onNotify, .sa_flags = SA_SIGINFO };
  sigaction(SIGUSR1, &sa, NULL);
  int toCons[2], toProd[2];
  if (pipe(toCons) < 0 || pipe(toProd) < 0) { perror("pipe"); return 1; }
  pid_t c = fork();
  if (c == 0) {
    close(toCons[1]);
    close(toProd[0]);
    _exit(consumer(q, toProd[1], toCons[0], items));
  }
  close(toCons[0]);
  close(toProd[1]);
  char ch;
  if (read(toProd[0], &ch, 1) != 1) return 1; /* the consumer registered */
  mq_send(q, "hello", 5, 0);
  if (read(toProd[0], &ch, 1) != 1) return 1; /* it took the first message */
  const unsigned prios[4] = { 1, 9, 5, 9 };
  const char *texts[4] = { "a", "b", "c", "d" };
  for (int i = 0; i < 4; i++) mq_send(q, texts[i], 1, prios[i]);
  printf("producer: queued a/1 b/9 c/5 d/9\n");
  if (write(toCons[1], "g", 1) != 1) return 1;
  long full = 0;
  for (long i = 0; i < items; i++) {
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%ld", i);
    struct mq_attr now;
    mq_getattr(q, &now);
    if (now.mq_curmsgs == now.mq_maxmsg) full++;
    if (mq_send(q, buf, len, 0) < 0) { perror("mq_send"); return 1; }
  }
  printf("producer: sent %ld items; the queue was full %ld times\n", items, full);
  int st;
  waitpid(c, &st, 0);
  mq_close(q);
  mq_unlink(NAME);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
