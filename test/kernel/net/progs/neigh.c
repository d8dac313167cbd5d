/* A link-local destination on eth0 that no neighbour answers (fe80::2%2:
   eth0's link has no other host). Linux does neighbour discovery first -
   3 solicitations 1 s apart (MAX_MULTICAST_SOLICIT, RETRANS_TIMER), then the
   entry fails and the SYN queued on it draws an ICMPv6 address-unreachable
   (net/ipv6/ndisc.c ndisc_error_report, net/core/neighbour.c
   neigh_invalidate; net/ipv4/af_inet.c __inet_stream_connect for what
   connect returns meanwhile):
   A. a blocking connect sleeps about 3 s, then fails with EHOSTUNREACH;
   B. a non-blocking one is EINPROGRESS; while discovery runs a second
      connect is EALREADY, a write EAGAIN (net/core/stream.c
      sk_stream_wait_connect), poll shows nothing and /proc/net/tcp6 shows the
      socket in SYN_SENT (02); after 3 s poll shows POLLERR and SO_ERROR is
      EHOSTUNREACH;
   C. a signal whose handler has no SA_RESTART interrupts the blocking
      connect (EINTR); the discovery goes on, and connect made again waits
      for its end (EHOSTUNREACH 3 s after the first connect);
   D. with SA_RESTART the handler runs and the connect goes on waiting;
   E. UDP: connect succeeds (a route lookup only), sends succeed, and the
      lost datagrams never come back as an error (address unreachable is a
      soft error for UDP: net/ipv6/udp.c __udp6_lib_err without
      IPV6_RECVERR).
   Prints the times in ms of CLOCK_MONOTONIC: on the instret clock they are
   exact. Needs eth0 (tsix's --net user). */
#include "../../fs/progs/t.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in6 sa6(const char *addr, int port, unsigned scope) {
  struct sockaddr_in6 a;
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  a.sin6_scope_id = scope;
  inet_pton(AF_INET6, addr, &a.sin6_addr);
  return a;
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static volatile int alarms;
static void on_alarm(int s) { (void)s; alarms++; }

static void alarm_in_1s(int restart) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = restart ? SA_RESTART : 0;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 0}, {1, 0}};
  setitimer(ITIMER_REAL, &it, NULL);
}

/* The state column of our socket's line in /proc/net/tcp6 (its local port), or -1. */
static int tcp6_state(int fd) {
  struct sockaddr_in6 me;
  socklen_t len = sizeof me;
  if (getsockname(fd, (struct sockaddr *)&me, &len) < 0) return -1;
  FILE *f = fopen("/proc/net/tcp6", "r");
  if (!f) return -1;
  char line[512];
  int st = -1;
  while (fgets(line, sizeof line, f)) {
    char local[64];
    unsigned port, state;
    if (sscanf(line, " %*d: %64[0-9A-F]:%x %*[0-9A-F]:%*x %x", local, &port, &state) == 3 && port == ntohs(me.sin6_port)) st = (int)state;
  }
  fclose(f);
  return st;
}

int main(void) {
  prog_name = "neigh";
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sockaddr_in6 to = sa6("fe80::2", 80, 2);

  /* A */
  int a = socket(AF_INET6, SOCK_STREAM, 0);
  long t0 = now_ms();
  errno = 0;
  int r = connect(a, (struct sockaddr *)&to, sizeof to);
  int e = errno;
  printf("A: blocking connect: %s after %ld ms\n", r == 0 ? "connected" : strerror(e), now_ms() - t0);
  CHECK(r == -1 && e == EHOSTUNREACH);
  close(a);

  /* B */
  int b = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
  t0 = now_ms();
  ERR(connect(b, (struct sockaddr *)&to, sizeof to), EINPROGRESS);
  ERR(connect(b, (struct sockaddr *)&to, sizeof to), EALREADY);
  ERR(write(b, "x", 1), EAGAIN); /* sk_stream_wait_connect: not connected yet, and it may not wait */
  int st = tcp6_state(b);
  printf("B: /proc/net/tcp6 state while discovery runs: %02X\n", st);
  CHECK(st == 2);
  struct pollfd pf = { b, POLLOUT, 0 };
  CHECK(poll(&pf, 1, 0) == 0);
  int p = poll(&pf, 1, 10000);
  long took = now_ms() - t0;
  int soerr = 0;
  socklen_t len = sizeof soerr;
  OK(getsockopt(b, SOL_SOCKET, SO_ERROR, &soerr, &len));
  printf("B: non-blocking connect: poll %d (%s) after %ld ms, SO_ERROR %s\n", p, (pf.revents & POLLERR) ? "POLLERR" : "no POLLERR", took, strerror(soerr));
  CHECK(p == 1 && (pf.revents & POLLERR));
  CHECK(soerr == EHOSTUNREACH);
  close(b);

  /* C */
  int c = socket(AF_INET6, SOCK_STREAM, 0);
  alarms = 0;
  alarm_in_1s(0);
  t0 = now_ms();
  errno = 0;
  r = connect(c, (struct sockaddr *)&to, sizeof to);
  e = errno;
  printf("C: interrupted connect: %s after %ld ms, %d handler run(s)\n", r == 0 ? "connected" : strerror(e), now_ms() - t0, alarms);
  CHECK(r == -1 && e == EINTR && alarms == 1);
  errno = 0;
  r = connect(c, (struct sockaddr *)&to, sizeof to);
  e = errno;
  printf("C: connect again: %s after %ld ms\n", r == 0 ? "connected" : strerror(e), now_ms() - t0);
  CHECK(r == -1 && e == EHOSTUNREACH);
  close(c);

  /* D */
  int d = socket(AF_INET6, SOCK_STREAM, 0);
  alarms = 0;
  alarm_in_1s(1);
  t0 = now_ms();
  errno = 0;
  r = connect(d, (struct sockaddr *)&to, sizeof to);
  e = errno;
  printf("D: SA_RESTART connect: %s after %ld ms, %d handler run(s)\n", r == 0 ? "connected" : strerror(e), now_ms() - t0, alarms);
  CHECK(r == -1 && e == EHOSTUNREACH && alarms == 1);
  close(d);

  /* E */
  int u = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 dns = sa6("fe80::2", 53, 2);
  OK(connect(u, (struct sockaddr *)&dns, sizeof dns));
  CHECK(send(u, "one", 3, 0) == 3);
  pf.fd = u;
  pf.events = POLLIN;
  p = poll(&pf, 1, 4000);
  CHECK(send(u, "two", 3, 0) == 3);
  char buf[8];
  ERR(recv(u, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
  soerr = -1;
  len = sizeof soerr;
  OK(getsockopt(u, SOL_SOCKET, SO_ERROR, &soerr, &len));
  printf("E: udp: connected, sent, poll %d after 4 s, SO_ERROR %d\n", p, soerr);
  CHECK(p == 0 && soerr == 0);
  DONE();
}
