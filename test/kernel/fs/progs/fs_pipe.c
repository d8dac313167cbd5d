/* Pipes, FIFOs and waiting on descriptors: pipe2 flags, the 64 KiB ring,
   EAGAIN with O_NONBLOCK, end of file, EPIPE + SIGPIPE, blocking readers
   and writers across fork, PIPE_BUF atomicity with several writers,
   F_GETPIPE_SZ/F_SETPIPE_SZ, FIONREAD, ESPIPE, FIFO open rules (waiting for
   the other side, ENXIO), poll/ppoll/select with timeouts, epoll, eventfd,
   and a read interrupted by a signal (EINTR without SA_RESTART, restarted
   with it). */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

static char big[200000];
static volatile int got_pipe, got_alarm;
static void on_pipe(int s) { (void)s; got_pipe++; }
static void on_alarm(int s) { (void)s; got_alarm++; }

static int wait_ok(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) return 0;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void) {
  prog_name = "fs_pipe";
  const char *base = getenv("TESTDIR") ? getenv("TESTDIR") : "/tmp";
  int p[2];
  char buf[8192];

  /* basics in one process */
  CHECK(pipe2(p, O_CLOEXEC) == 0);
  CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC);
  CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY && (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
  CHECK(write(p[1], "hello", 5) == 5);
  int avail = -1;
  CHECK(ioctl(p[0], FIONREAD, &avail) == 0 && avail == 5);
  CHECK(read(p[0], buf, 3) == 3 && memcmp(buf, "hel", 3) == 0);
  CHECK(read(p[0], buf, 100) == 2 && memcmp(buf, "lo", 2) == 0);
  CHECK(fcntl(p[0], F_GETPIPE_SZ) == 65536);
  ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
  ERR(pread(p[0], buf, 1, 0), ESPIPE);
  ERR(read(p[1], buf, 1), EBADF);
  ERR(write(p[0], "x", 1), EBADF);
  ERR(fcntl(0 + 100, F_GETPIPE_SZ), EBADF);
  ERR(pipe2(p + 0, 0x1234), EINVAL);

  /* non-blocking: EAGAIN on empty, fill to capacity */
  CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 && fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
  ERR(read(p[0], buf, 1), EAGAIN);
  long total = 0;
  for (;;) { ssize_t n = write(p[1], big, 4096); if (n < 0) { CHECK(errno == EAGAIN); break; } total += n; }
  CHECK(total == 65536);
  ERR(write(p[1], "x", 1), EAGAIN);
  ERR(fcntl(p[1], F_SETPIPE_SZ, 4096), EBUSY);
  struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
  CHECK(poll(pf, 2, 0) == 1 && pf[0].revents == POLLIN && pf[1].revents == 0);
  while (read(p[0], big, sizeof big) > 0) {}
  CHECK(poll(pf, 2, 0) == 1 && pf[1].revents == POLLOUT);
  CHECK(fcntl(p[1], F_SETPIPE_SZ, 5000) == 8192 && fcntl(p[0], F_GETPIPE_SZ) == 8192);
  CHECK(fcntl(p[1], F_SETPIPE_SZ, 65536) == 65536);
  /* end of file and POLLHUP once the writer is gone */
  CHECK(write(p[1], "z", 1) == 1);
  close(p[1]);
  CHECK(poll(pf, 1, 0) == 1 && (pf[0].revents & (POLLIN | POLLHUP)) == (POLLIN | POLLHUP));
  CHECK(read(p[0], buf, 10) == 1);
  CHECK(read(p[0], buf, 10) == 0);
  close(p[0]);

  /* EPIPE and SIGPIPE */
  CHECK(pipe(p) == 0);
  close(p[0]);
  signal(SIGPIPE, on_pipe);
  ERR(write(p[1], "x", 1), EPIPE);
  CHECK(got_pipe == 1);
  pf[0].fd = p[1]; pf[0].events = POLLOUT;
  CHECK(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLERR));
  close(p[1]);
  signal(SIGPIPE, SIG_DFL);

  /* blocking reader and writer across fork: 200000 bytes through a 64 KiB pipe */
  for (int i = 0; i < (int)sizeof big; i++) big[i] = (char)(i % 251);
  CHECK(pipe(p) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    ssize_t n = write(p[1], big, sizeof big);
    _exit(n == (ssize_t)sizeof big ? 0 : 1);
  }
  close(p[1]);
  static char got[sizeof big];
  long have = 0;
  for (;;) { ssize_t n = read(p[0], got + have, sizeof got - have); if (n <= 0) break; have += n; }
  CHECK(have == (long)sizeof big);
  CHECK(memcmp(got, big, sizeof big) == 0);
  CHECK(wait_ok(pid));
  close(p[0]);

  /* PIPE_BUF atomicity: four writers of 4096-byte records, never interleaved */
  CHECK(pipe(p) == 0);
  for (int w = 0; w < 4; w++) {
    if (fork() == 0) {
      close(p[0]);
      char rec[4096];
      memset(rec, 'A' + w, sizeof rec);
      for (int i = 0; i < 40; i++) if (write(p[1], rec, sizeof rec) != sizeof rec) _exit(1);
      _exit(0);
    }
  }
  close(p[1]);
  int records = 0, torn = 0;
  for (;;) {
    long n = 0;
    while (n < 4096) { ssize_t r = read(p[0], buf + n, 4096 - n); if (r <= 0) break; n += r; }
    if (n == 0) break;
    if (n != 4096) { torn++; break; }
    for (int i = 1; i < 4096; i++) if (buf[i] != buf[0]) { torn++; break; }
    records++;
  }
  CHECK(records == 160 && torn == 0);
  for (int w = 0; w < 4; w++) { int st; CHECK(wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0); }
  close(p[0]);

  /* poll, ppoll and select with timeouts; a child makes the pipe readable later */
  CHECK(pipe(p) == 0);
  pf[0].fd = p[0]; pf[0].events = POLLIN;
  CHECK(poll(pf, 1, 30) == 0);
  struct timespec ts = { 0, 20 * 1000 * 1000 };
  CHECK(ppoll(pf, 1, &ts, NULL) == 0);
  fd_set rs; FD_ZERO(&rs); FD_SET(p[0], &rs);
  struct timeval tv = { 0, 20000 };
  CHECK(select(p[0] + 1, &rs, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rs));
  pid = fork();
  if (pid == 0) { usleep(50000); ssize_t n = write(p[1], "late", 4); _exit(n == 4 ? 0 : 1); }
  CHECK(poll(pf, 1, 10000) == 1 && pf[0].revents == POLLIN);
  FD_ZERO(&rs); FD_SET(p[0], &rs);
  fd_set ws; FD_ZERO(&ws); FD_SET(p[1], &ws);
  CHECK(select(p[1] + 1, &rs, &ws, NULL, NULL) == 2 && FD_ISSET(p[0], &rs) && FD_ISSET(p[1], &ws));
  CHECK(read(p[0], buf, 10) == 4);
  CHECK(wait_ok(pid));
  pf[0].fd = 999;
  CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLNVAL);
  FD_ZERO(&rs); FD_SET(50, &rs);
  tv.tv_sec = 0; tv.tv_usec = 0;
  ERR(select(51, &rs, NULL, NULL, &tv), EBADF);

  /* epoll */
  int ep = epoll_create1(EPOLL_CLOEXEC);
  CHECK(ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC);
  struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ULL }, out[4];
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
  ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
  ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), ENOENT);
  ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
  char fname[256];
  snprintf(fname, sizeof fname, "%s/epreg", base);
  int reg = open(fname, O_RDWR | O_CREAT, 0600);
  ERR(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), EPERM);
  close(reg); unlink(fname);
  CHECK(epoll_wait(ep, out, 4, 0) == 0);
  CHECK(epoll_wait(ep, out, 4, 20) == 0);
  CHECK(write(p[1], "e", 1) == 1);
  CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ULL);
  CHECK(epoll_wait(ep, out, 4, 0) == 1); /* level-triggered: still readable */
  ev.events = EPOLLIN | EPOLLONESHOT;
  CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
  CHECK(epoll_wait(ep, out, 4, 0) == 1);
  CHECK(epoll_wait(ep, out, 4, 0) == 0);
  CHECK(read(p[0], buf, 10) == 1);
  ev.events = EPOLLIN;
  CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
  pid = fork();
  if (pid == 0) { usleep(30000); ssize_t n = write(p[1], "w", 1); _exit(n == 1 ? 0 : 1); }
  CHECK(epoll_wait(ep, out, 4, 10000) == 1);
  CHECK(wait_ok(pid));
  CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0);
  CHECK(epoll_wait(ep, out, 4, 0) == 0);
  ERR(epoll_wait(ep, out, 0, 0), EINVAL);
  close(ep);
  close(p[0]); close(p[1]);

  /* eventfd */
  int efd = eventfd(0, EFD_NONBLOCK);
  uint64_t v = 3;
  ERR(read(efd, &v, 8), EAGAIN);
  v = 3; CHECK(write(efd, &v, 8) == 8);
  v = 4; CHECK(write(efd, &v, 8) == 8);
  CHECK(read(efd, &v, 8) == 8 && v == 7);
  ERR(read(efd, &v, 4), EINVAL);
  close(efd);
  efd = eventfd(2, EFD_SEMAPHORE);
  CHECK(read(efd, &v, 8) == 8 && v == 1);
  CHECK(read(efd, &v, 8) == 8 && v == 1);
  pf[0].fd = efd; pf[0].events = POLLIN;
  CHECK(poll(pf, 1, 0) == 0);
  close(efd);

  /* FIFOs */
  char fifo[256];
  snprintf(fifo, sizeof fifo, "%s/fifo1", base);
  unlink(fifo);
  CHECK(mkfifo(fifo, 0600) == 0);
  ERR(open(fifo, O_WRONLY | O_NONBLOCK), ENXIO);
  int r = open(fifo, O_RDONLY | O_NONBLOCK);
  CHECK(r >= 0);
  CHECK(read(r, buf, 10) == 0);
  pf[0].fd = r; pf[0].events = POLLIN;
  CHECK(poll(pf, 1, 0) == 0);   /* no writer yet: no POLLHUP */
  int w = open(fifo, O_WRONLY | O_NONBLOCK);
  CHECK(w >= 0);
  CHECK(write(w, "ab", 2) == 2 && read(r, buf, 10) == 2);
  close(w);
  CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLHUP);   /* a writer came and went */
  close(r);
  /* a blocking open waits for the other side */
  pid = fork();
  if (pid == 0) {
    usleep(30000);
    int fw = open(fifo, O_WRONLY);
    if (fw < 0) _exit(1);
    ssize_t n = write(fw, "through fifo", 12);
    close(fw);
    _exit(n == 12 ? 0 : 2);
  }
  r = open(fifo, O_RDONLY);
  CHECK(r >= 0);
  memset(buf, 0, sizeof buf);
  long gotn = 0;
  for (;;) { ssize_t n = read(r, buf + gotn, 100); if (n <= 0) break; gotn += n; }
  CHECK(gotn == 12 && !strcmp(buf, "through fifo"));
  close(r);
  CHECK(wait_ok(pid));
  pid = fork();
  if (pid == 0) {
    int fr = open(fifo, O_RDONLY);
    if (fr < 0) _exit(1);
    char c[4];
    ssize_t n = read(fr, c, 4);
    _exit(n == 4 && !memcmp(c, "wxyz", 4) ? 0 : 2);
  }
  w = open(fifo, O_WRONLY);
  CHECK(w >= 0 && write(w, "wxyz", 4) == 4);
  close(w);
  CHECK(wait_ok(pid));
  w = open(fifo, O_RDWR);
  CHECK(w >= 0);
  close(w);
  unlink(fifo);

  /* a signal interrupts a blocking read: EINTR without SA_RESTART */
  CHECK(pipe(p) == 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = { { 0, 0 }, { 0, 30000 } };
  setitimer(ITIMER_REAL, &it, NULL);
  ERR(read(p[0], buf, 1), EINTR);
  CHECK(got_alarm == 1);
  /* with SA_RESTART the read goes on, and gets the data written later */
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  pid = fork();
  if (pid == 0) { usleep(80000); ssize_t n = write(p[1], "R", 1); _exit(n == 1 ? 0 : 1); }
  setitimer(ITIMER_REAL, &it, NULL);
  CHECK(read(p[0], buf, 1) == 1 && buf[0] == 'R');
  CHECK(got_alarm == 2);
  CHECK(wait_ok(pid));
  /* poll is never restarted */
  setitimer(ITIMER_REAL, &it, NULL);
  pf[0].fd = p[0]; pf[0].events = POLLIN;
  ERR(poll(pf, 1, 5000), EINTR);
  close(p[0]); close(p[1]);

  /* shell-style redirection: the child's stdout is the pipe */
  CHECK(pipe(p) == 0);
  pid = fork();
  if (pid == 0) { dup2(p[1], 1); close(p[0]); close(p[1]); printf("from child\n"); fflush(stdout); _exit(0); }
  close(p[1]);
  memset(buf, 0, sizeof buf);
  CHECK(read(p[0], buf, sizeof buf) == 11 && !strcmp(buf, "from child\n"));
  CHECK(wait_ok(pid));
  close(p[0]);
  DONE();
}
