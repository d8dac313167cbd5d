/*
 * What stress-ng's --epoll and --pty stressors needed and tsix lacked
 * (issue 11): the generic SOL_SOCKET options on AF_UNIX sockets
 * (stress-ng --epoll sets SO_REUSEADDR on its AF_UNIX listener), and the
 * locked termios of a pty (TIOCGLCKTRMIOS/TIOCSLCKTRMIOS on either end),
 * and epoll_ctl's EPOLLEXCLUSIVE rules (stress-ng --epoll tries an exclusive
 * watch of an epoll, which must fail and leave nothing behind).
 * Runs on tsix and under qemu-riscv64 on the host's Linux, with the same
 * expectations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf(" (errno %d)\n", errno); } } while (0)

static int getint(int s, int name) {
  int v = -12345;
  socklen_t len = sizeof v;
  if (getsockopt(s, SOL_SOCKET, name, &v, &len) < 0) return -1000 - errno;
  return v;
}

static void unix_sockopts(int type) {
  int s = socket(AF_UNIX, type, 0), one = 1, five = 5, zero = 0, three = 3, seven = 7;
  CHECK(s >= 0, "socket");
  CHECK(getint(s, SO_REUSEADDR) == 0, "SO_REUSEADDR default %d", getint(s, SO_REUSEADDR));
  CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "set SO_REUSEADDR");
  CHECK(getint(s, SO_REUSEADDR) == 1, "SO_REUSEADDR read back %d", getint(s, SO_REUSEADDR));
  CHECK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &five, sizeof five) == 0, "set SO_KEEPALIVE");
  CHECK(getint(s, SO_KEEPALIVE) == 1, "SO_KEEPALIVE is a boolean: %d", getint(s, SO_KEEPALIVE));
  CHECK(getint(s, SO_RCVLOWAT) == 1, "SO_RCVLOWAT default %d", getint(s, SO_RCVLOWAT));
  CHECK(setsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &zero, sizeof zero) == 0, "set SO_RCVLOWAT 0");
  CHECK(getint(s, SO_RCVLOWAT) == 1, "SO_RCVLOWAT 0 reads 1: %d", getint(s, SO_RCVLOWAT));
  CHECK(setsockopt(s, SOL_SOCKET, SO_PRIORITY, &three, sizeof three) == 0, "set SO_PRIORITY");
  CHECK(getint(s, SO_PRIORITY) == 3, "SO_PRIORITY %d", getint(s, SO_PRIORITY));
  if (geteuid() == 0) CHECK(setsockopt(s, SOL_SOCKET, SO_PRIORITY, &seven, sizeof seven) == 0, "root may set SO_PRIORITY 7");
  CHECK(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) == 0 && getint(s, SO_BROADCAST) == 1, "SO_BROADCAST");
  CHECK(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one) == 0 && getint(s, SO_OOBINLINE) == 1, "SO_OOBINLINE");
  CHECK(setsockopt(s, SOL_SOCKET, SO_DONTROUTE, &one, sizeof one) == 0 && getint(s, SO_DONTROUTE) == 1, "SO_DONTROUTE");
  /* An option no socket has: still ENOPROTOOPT. */
  errno = 0;
  CHECK(setsockopt(s, SOL_SOCKET, 9999, &one, sizeof one) < 0 && errno == ENOPROTOOPT, "unknown option");
  CHECK(getint(s, 9999) == -1000 - ENOPROTOOPT, "unknown getsockopt %d", getint(s, 9999));
  /* The listener stress-ng --epoll makes: SO_REUSEADDR, then bind and listen. */
  if (type == SOCK_STREAM) {
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "listener SO_REUSEADDR");
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "stressng-gaps-%d", getpid()); /* abstract */
    CHECK(bind(l, (struct sockaddr *)&a, sizeof a) == 0, "bind");
    CHECK(listen(l, 4) == 0, "listen");
    close(l);
  }
  close(s);
}

static void pty_locked(void) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  CHECK(m >= 0, "posix_openpt");
  CHECK(grantpt(m) == 0 && unlockpt(m) == 0, "grantpt/unlockpt");
  int s = open(ptsname(m), O_RDWR | O_NOCTTY);
  CHECK(s >= 0, "open slave");
  /* The kernel's struct termios is 36 bytes (glibc's has room for more): compare those. */
  const size_t KTERMIOS = 36;
  struct termios lk, zero, tio;
  memset(&zero, 0, sizeof zero);
  memset(&lk, 0x55, sizeof lk);
  CHECK(ioctl(s, TIOCGLCKTRMIOS, &lk) == 0, "TIOCGLCKTRMIOS on the slave");
  CHECK(memcmp(&lk, &zero, KTERMIOS) == 0, "nothing locked at first");
  memset(&lk, 0x55, sizeof lk);
  CHECK(ioctl(m, TIOCGLCKTRMIOS, &lk) == 0, "TIOCGLCKTRMIOS on the master");
  CHECK(memcmp(&lk, &zero, KTERMIOS) == 0, "nothing locked at first (master)");
  if (geteuid() == 0) {
    /* Lock ECHO and VINTR through the master; the slave's tcsetattr cannot change them. */
    memset(&lk, 0, sizeof lk);
    lk.c_lflag = ECHO;
    lk.c_cc[VINTR] = 1;
    CHECK(ioctl(m, TIOCSLCKTRMIOS, &lk) == 0, "TIOCSLCKTRMIOS");
    struct termios back;
    CHECK(ioctl(s, TIOCGLCKTRMIOS, &back) == 0 && back.c_lflag == ECHO && back.c_cc[VINTR] == 1, "locked read back on the slave");
    CHECK(tcgetattr(s, &tio) == 0 && (tio.c_lflag & ECHO), "ECHO on");
    cc_t intr = tio.c_cc[VINTR];
    tio.c_lflag &= ~(ECHO | ICANON);
    tio.c_cc[VINTR] = 'x';
    CHECK(tcsetattr(s, TCSANOW, &tio) == 0, "tcsetattr");
    CHECK(tcgetattr(s, &tio) == 0, "tcgetattr");
    CHECK(tio.c_lflag & ECHO, "locked ECHO stays on");
    CHECK(!(tio.c_lflag & ICANON), "unlocked ICANON went off");
    CHECK(tio.c_cc[VINTR] == intr, "locked VINTR kept: %d", tio.c_cc[VINTR]);
    /* Unlock: now it changes. */
    CHECK(ioctl(s, TIOCSLCKTRMIOS, &zero) == 0, "unlock");
    tio.c_lflag &= ~ECHO;
    CHECK(tcsetattr(s, TCSANOW, &tio) == 0 && tcgetattr(s, &tio) == 0 && !(tio.c_lflag & ECHO), "ECHO off once unlocked");
    /* A bad pointer. */
    errno = 0;
    CHECK(ioctl(s, TIOCSLCKTRMIOS, (void *)8) < 0 && errno == EFAULT, "EFAULT");
    errno = 0;
    CHECK(ioctl(s, TIOCGLCKTRMIOS, (void *)8) < 0 && errno == EFAULT, "EFAULT (get)");
    /* Only root: as another user it is EPERM. */
    pid_t p = fork();
    if (p == 0) {
      if (setuid(1000) < 0) _exit(3);
      errno = 0;
      int r = ioctl(s, TIOCSLCKTRMIOS, &zero);
      _exit(r < 0 && errno == EPERM ? 0 : 1);
    }
    int st;
    CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0, "non-root TIOCSLCKTRMIOS is EPERM: %x", st);
  }
  /* Not a tty: ENOTTY. */
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe");
  errno = 0;
  CHECK(ioctl(fds[0], TIOCGLCKTRMIOS, &lk) < 0 && errno == ENOTTY, "ENOTTY on a pipe");
  close(fds[0]); close(fds[1]);
  close(s); close(m);
}

static int ctl(int ep, int op, int fd, unsigned events) {
  struct epoll_event ev = { .events = events, .data.u64 = (unsigned)fd };
  errno = 0;
  return epoll_ctl(ep, op, fd, &ev) < 0 ? -errno : 0;
}

static void epoll_exclusive(void) {
  int a = epoll_create1(0), b = epoll_create1(0), p[2];
  CHECK(a >= 0 && b >= 0 && pipe(p) == 0, "setup");
  /* An exclusive watch of an epoll: EINVAL, and nothing was added. */
  CHECK(ctl(a, EPOLL_CTL_ADD, b, EPOLLIN | EPOLLEXCLUSIVE) == -EINVAL, "exclusive watch of an epoll");
  CHECK(ctl(a, EPOLL_CTL_ADD, b, EPOLLIN) == 0, "then a plain watch of it");
  CHECK(ctl(a, EPOLL_CTL_ADD, b, EPOLLIN) == -EEXIST, "twice: EEXIST");
  CHECK(ctl(b, EPOLL_CTL_ADD, a, EPOLLIN) == -ELOOP, "loop");
  /* MOD with EPOLLEXCLUSIVE: EINVAL even when there is no such entry. */
  CHECK(ctl(a, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLEXCLUSIVE) == -EINVAL, "MOD exclusive of nothing");
  CHECK(ctl(a, EPOLL_CTL_MOD, p[0], EPOLLIN) == -ENOENT, "MOD of nothing");
  /* Exclusive with other events than the allowed ones: EINVAL. */
  CHECK(ctl(a, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT) == -EINVAL, "exclusive + oneshot");
  CHECK(ctl(a, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE) == 0, "exclusive watch of a pipe");
  /* An exclusive entry cannot be modified, even without EPOLLEXCLUSIVE in the request. */
  CHECK(ctl(a, EPOLL_CTL_MOD, p[0], EPOLLIN) == -EINVAL, "MOD of an exclusive entry");
  CHECK(ctl(a, EPOLL_CTL_DEL, p[0], 0) == 0, "DEL of an exclusive entry");
  CHECK(ctl(a, EPOLL_CTL_DEL, b, 0) == 0, "DEL");
  close(a); close(b); close(p[0]); close(p[1]);
}

int main(void) {
  epoll_exclusive();
  unix_sockopts(SOCK_STREAM);
  unix_sockopts(SOCK_DGRAM);
  unix_sockopts(SOCK_SEQPACKET);
  pty_locked();
  printf("stressng_gaps: %s (%d failures)\n", failures ? "FAILED" : "ok", failures);
  return failures != 0;
}
