/* POSIX message queues through glibc's mq_* (the mq_* system calls):
 * names, attributes, priorities, O_NONBLOCK, timeouts, blocking across
 * processes, signals, poll/select/epoll, unlink. One line per check and
 * nothing that differs between runs: the test compares this output under
 * tsix with the same binary under qemu-riscv64 on Linux. (mq_notify is in
 * mq_more.c: qemu-user 7.2 does not implement it.) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char name[64], name2[64];

static void show(const char *what, long r) {
  if (r < 0) printf("%s: %ld %s\n", what, r, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static void attrs(mqd_t q, const char *what) {
  struct mq_attr a;
  if (mq_getattr(q, &a) < 0) { show(what, -1); return; }
  printf("%s: flags=%s maxmsg=%ld msgsize=%ld curmsgs=%ld\n", what, (a.mq_flags & O_NONBLOCK) ? "O_NONBLOCK" : "0", a.mq_maxmsg,
         a.mq_msgsize, a.mq_curmsgs);
}

static void recv1(mqd_t q, const char *what) {
  char buf[64];
  unsigned prio = 99;
  ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
  if (n < 0) { show(what, -1); return; }
  printf("%s: %zd prio=%u text=%.*s\n", what, n, prio, (int)n, buf);
}

static struct timespec in(long ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_sec += ms / 1000;
  t.tv_nsec += (ms % 1000) * 1000000;
  if (t.tv_nsec >= 1000000000) { t.tv_sec++; t.tv_nsec -= 1000000000; }
  return t;
}

static void onUsr1(int s) { (void)s; }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  snprintf(name, sizeof name, "/tsix-mq-%d", getpid());
  snprintf(name2, sizeof name2, "/tsix-mq2-%d", getpid());
  char longName[300];
  memset(longName, 'x', sizeof longName);
  longName[0] = '/';
  longName[299] = 0;

  /* Names. */
  show("no slash", mq_open("noslash", O_RDWR | O_CREAT, 0600, NULL));
  show("inner slash", mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL));
  show("only slash", mq_open("/", O_RDWR | O_CREAT, 0600, NULL));
  show("dot", mq_open("/.", O_RDWR | O_CREAT, 0600, NULL));
  show("too long", mq_open(longName, O_RDWR | O_CREAT, 0600, NULL));
  show("missing", mq_open(name, O_RDWR, 0600, NULL));

  /* Attributes. */
  struct mq_attr a = { .mq_maxmsg = 0, .mq_msgsize = 64 };
  show("maxmsg 0", mq_open(name, O_RDWR | O_CREAT, 0600, &a));
  a.mq_maxmsg = 4;
  a.mq_msgsize = -1;
  show("msgsize -1", mq_open(name, O_RDWR | O_CREAT, 0600, &a));
  a.mq_msgsize = 64;
  mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
  printf("create: %s cloexec=%d\n", q < 0 ? strerrorname_np(errno) : "ok", (fcntl(q, F_GETFD) & FD_CLOEXEC) != 0);
  show("excl again", mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a));
  attrs(q, "attr");
  mqd_t dflt = mq_open(name2, O_RDWR | O_CREAT, 0600, NULL);
  attrs(dflt, "default attr");
  mq_close(dflt);
  mq_unlink(name2);

  /* Priorities: highest first, FIFO within one. */
  mq_send(q, "low-a", 5, 1);
  mq_send(q, "high", 4, 5);
  mq_send(q, "low-b", 5, 1);
  mq_send(q, "mid", 3, 3);
  attrs(q, "four queued");
  show("full nonblocking? (blocking fd, timeout past)", mq_timedsend(q, "x", 1, 0, &(struct timespec){ 0, 0 }));
  recv1(q, "first");
  recv1(q, "second");
  recv1(q, "third");
  recv1(q, "fourth");
  show("too big", mq_send(q, "0123456789012345678901234567890123456789012345678901234567890123456789", 70, 0));
  char small[10];
  show("buffer too small", mq_receive(q, small, sizeof small, NULL));
  show("prio 32768", mq_send(q, "p", 1, 32768));
  show("prio 32767", mq_send(q, "p", 1, 32767));
  recv1(q, "max prio");
  show("empty message", mq_send(q, "", 0, 0));
  recv1(q, "empty");

  /* O_NONBLOCK through mq_setattr; only O_NONBLOCK may change. */
  struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old;
  show("setattr", mq_setattr(q, &nb, &old));
  printf("old flags: %ld\n", old.mq_flags);
  attrs(q, "nonblocking");
  show("empty nonblocking", mq_receive(q, small, 64, NULL));
  for (int i = 0; i < 4; i++) mq_send(q, "f", 1, 0);
  show("full nonblocking", mq_send(q, "f", 1, 0));
  struct mq_attr bad = { .mq_flags = O_NONBLOCK | O_APPEND };
  show("setattr other flags", mq_setattr(q, &bad, NULL));
  nb.mq_flags = 0;
  mq_setattr(q, &nb, NULL);

  /* Timeouts (absolute CLOCK_REALTIME). */
  struct timespec t = in(50);
  show("full, 50 ms", mq_timedsend(q, "f", 1, 0, &t));
  t.tv_nsec = 1000000000;
  show("bad timespec", mq_timedsend(q, "f", 1, 0, &t));
  show("bad timespec, not full", mq_timedreceive(q, small, 64, NULL, &t));
  for (int i = 0; i < 4; i++) mq_receive(q, small, 64, NULL);
  t = in(50);
  show("empty, 50 ms", mq_timedreceive(q, small, 64, NULL, &t));

  /* Descriptor modes. */
  mqd_t ro = mq_open(name, O_RDONLY), wo = mq_open(name, O_WRONLY);
  show("send on O_RDONLY", mq_send(ro, "x", 1, 0));
  show("receive on O_WRONLY", mq_receive(wo, small, 64, NULL));
  show("send on stdin", mq_send(0, "x", 1, 0));
  show("getattr on stdin", mq_getattr(0, &old));
  mq_close(ro);
  mq_close(wo);

  /* Blocking across processes: a receiver waits for a child's send, a sender for a child's receive. */
  pid_t c = fork();
  if (c == 0) { usleep(50000); mq_send(q, "from child", 10, 2); _exit(0); }
  recv1(q, "blocked receive");
  waitpid(c, NULL, 0);
  for (int i = 0; i < 4; i++) mq_send(q, "f", 1, 0);
  c = fork();
  if (c == 0) { usleep(50000); char b[64]; mq_receive(q, b, 64, NULL); _exit(0); }
  show("blocked send", mq_send(q, "last", 4, 9));
  waitpid(c, NULL, 0);
  recv1(q, "after blocked send");
  for (int i = 0; i < 3; i++) mq_receive(q, small, 64, NULL);

  /* Signals: a handler without SA_RESTART ends the wait with EINTR; with SA_RESTART the call goes on. */
  struct sigaction sa = { 0 };
  sa.sa_handler = onUsr1;
  sigaction(SIGUSR1, &sa, NULL);
  pid_t me = getpid();
  c = fork();
  if (c == 0) { usleep(50000); kill(me, SIGUSR1); _exit(0); }
  show("interrupted", mq_receive(q, small, 64, NULL));
  waitpid(c, NULL, 0);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  c = fork();
  if (c == 0) { usleep(50000); kill(me, SIGUSR1); usleep(50000); mq_send(q, "after signal", 12, 0); _exit(0); }
  recv1(q, "restarted");
  waitpid(c, NULL, 0);

  /* Readiness: poll, select, epoll. */
  struct pollfd p = { .fd = q, .events = POLLIN | POLLOUT };
  poll(&p, 1, 0);
  printf("poll empty: in=%d out=%d\n", (p.revents & POLLIN) != 0, (p.revents & POLLOUT) != 0);
  for (int i = 0; i < 4; i++) mq_send(q, "r", 1, 0);
  poll(&p, 1, 0);
  printf("poll full: in=%d out=%d\n", (p.revents & POLLIN) != 0, (p.revents & POLLOUT) != 0);
  for (int i = 0; i < 4; i++) mq_receive(q, small, 64, NULL);
  fd_set rs;
  FD_ZERO(&rs);
  FD_SET(q, &rs);
  c = fork();
  if (c == 0) { usleep(50000); mq_send(q, "sel", 3, 0); _exit(0); }
  struct timeval tv = { 5, 0 };
  printf("select woke: %d readable=%d\n", select(q + 1, &rs, NULL, NULL, &tv), FD_ISSET(q, &rs));
  waitpid(c, NULL, 0);
  mq_receive(q, small, 64, NULL);
  int ep = epoll_create1(0);
  struct epoll_event ee = { .events = EPOLLIN, .data.fd = q };
  epoll_ctl(ep, EPOLL_CTL_ADD, q, &ee);
  c = fork();
  if (c == 0) { usleep(50000); mq_send(q, "ep", 2, 0); _exit(0); }
  struct epoll_event out;
  int n = epoll_wait(ep, &out, 1, 5000);
  printf("epoll woke: %d in=%d\n", n, n == 1 && (out.events & EPOLLIN) && out.data.fd == q);
  waitpid(c, NULL, 0);
  close(ep);

  /* Unlink: the name goes at once, the queue lives while open. */
  show("unlink", mq_unlink(name));
  show("open after unlink", mq_open(name, O_RDWR));
  show("unlink again", mq_unlink(name));
  recv1(q, "still usable");
  mq_close(q);
  printf("posix_mq: done\n");
  return 0;
}
