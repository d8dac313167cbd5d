/* AF_INET/AF_INET6 TCP and UDP on loopback, checked against Linux's behaviour:
   the same program runs under tsix and under qemu-riscv64 on the host kernel
   (only 127.0.0.1 and ::1 are ever used; ports are argv[1]'s base + small
   offsets, so parallel runs on the host do not collide). Covers: socket
   options and their defaults, bind/listen/connect/accept, getsockname/
   getpeername, ephemeral ports, ECONNREFUSED, EADDRINUSE with SO_REUSEADDR/
   SO_REUSEPORT, non-blocking connect (EINPROGRESS, POLLOUT, SO_ERROR),
   backlog, half-close, EPIPE/SIGPIPE/MSG_NOSIGNAL, ECONNRESET, MSG_PEEK/
   DONTWAIT/WAITALL/TRUNC, UDP boundaries, connected UDP and its ECONNREFUSED,
   sendmsg/recvmsg/sendmmsg/recvmmsg, IPv4-mapped IPv6 and IPV6_V6ONLY, and
   poll/select/epoll readiness. A few checks differ by design and run only on
   tsix (argv[2] != "qemu"): non-loopback destinations (which the test must
   never contact on the host) and a full backlog's non-blocking connect. */
#include "../../fs/progs/t.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int sigpipes;
static int under_qemu;
static int base;
static void on_pipe(int s) { (void)s; sigpipes++; }

static struct sockaddr_in a4(const char *ip, int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}
static struct sockaddr_in6 a6(const char *ip, int port) {
  struct sockaddr_in6 a;
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  inet_pton(AF_INET6, ip, &a.sin6_addr);
  return a;
}
#define SA(x) ((struct sockaddr *)&(x))

static int getint(int fd, int level, int opt) {
  int v = -1; socklen_t l = sizeof v;
  if (getsockopt(fd, level, opt, &v, &l) < 0) return -1000 - errno;
  return v;
}
static int setint(int fd, int level, int opt, int v) { return setsockopt(fd, level, opt, &v, sizeof v); }

static int listener(int port, int backlog) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = a4("127.0.0.1", port);
  if (bind(l, SA(a), sizeof a) < 0 || listen(l, backlog) < 0) { printf("FAIL listener %d: errno %d\n", port, errno); fails++; }
  return l;
}
static int client(int port) {
  int c = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = a4("127.0.0.1", port);
  if (connect(c, SA(a), sizeof a) < 0) { printf("FAIL connect %d: errno %d\n", port, errno); fails++; }
  return c;
}
static int local_port(int fd) {
  struct sockaddr_in6 a; socklen_t l = sizeof a;
  if (getsockname(fd, SA(a), &l) < 0) return -1;
  return ntohs(a.sin6_port); /* the port sits at the same offset in both families */
}

static void test_tcp_basic(void) {
  int p = base;
  int l = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(getint(l, SOL_SOCKET, SO_TYPE) == SOCK_STREAM);
  CHECK(getint(l, SOL_SOCKET, SO_DOMAIN) == AF_INET);
  CHECK(getint(l, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP);
  CHECK(getint(l, SOL_SOCKET, SO_SNDBUF) == 16384);
  CHECK(getint(l, SOL_SOCKET, SO_RCVBUF) == 131072);
  CHECK(getint(l, IPPROTO_TCP, TCP_NODELAY) == 0);
  OK(setint(l, IPPROTO_TCP, TCP_NODELAY, 5));
  CHECK(getint(l, IPPROTO_TCP, TCP_NODELAY) == 1);
  OK(setint(l, SOL_SOCKET, SO_KEEPALIVE, 1));
  CHECK(getint(l, SOL_SOCKET, SO_KEEPALIVE) == 1);
  CHECK(getint(l, IPPROTO_TCP, TCP_KEEPIDLE) == 7200);
  OK(setint(l, SOL_SOCKET, SO_RCVBUF, 10000));
  CHECK(getint(l, SOL_SOCKET, SO_RCVBUF) == 20000);
  OK(setint(l, SOL_SOCKET, SO_SNDBUF, 1));
  CHECK(getint(l, SOL_SOCKET, SO_SNDBUF) == 4608);
  CHECK(getint(l, SOL_IP, IP_TTL) == 64);
  CHECK(getint(l, IPPROTO_IPV6, IPV6_V6ONLY) == -1000 - EOPNOTSUPP); /* getsockopt's answer; setsockopt says ENOPROTOOPT */
  ERR(setint(l, IPPROTO_IPV6, IPV6_V6ONLY, 1), ENOPROTOOPT);
  CHECK(getint(l, SOL_SOCKET, SO_ACCEPTCONN) == 0);
  struct sockaddr_in a; socklen_t al = sizeof a;
  OK(getsockname(l, SA(a), &al));
  CHECK(al == sizeof a && a.sin_family == AF_INET && a.sin_port == 0 && a.sin_addr.s_addr == 0);
  ERR(getpeername(l, SA(a), &al), ENOTCONN);
  struct sockaddr_in b = a4("127.0.0.1", p);
  ERR(bind(l, SA(b), 15), EINVAL);
  struct sockaddr_in bad = b; bad.sin_family = AF_INET6;
  ERR(bind(l, SA(bad), sizeof bad), EAFNOSUPPORT);
  struct sockaddr_in far = a4("192.0.2.1", p);
  ERR(bind(l, SA(far), sizeof far), EADDRNOTAVAIL);
  OK(bind(l, SA(b), sizeof b));
  ERR(bind(l, SA(b), sizeof b), EINVAL);
  ERR(accept(l, NULL, NULL), EINVAL);
  OK(listen(l, 5));
  CHECK(getint(l, SOL_SOCKET, SO_ACCEPTCONN) == 1);
  CHECK(local_port(l) == p);

  int c = socket(AF_INET, SOCK_STREAM, 0);
  ERR(recv(c, &a, 1, MSG_DONTWAIT), ENOTCONN);
  ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
  int sh = socket(AF_INET, SOCK_STREAM, 0);
  ERR(shutdown(sh, SHUT_WR), ENOTCONN);
  /* ... yet Linux keeps the shutdown: connected later, the socket cannot send */
  OK(connect(sh, SA(b), sizeof b));
  ERR(send(sh, "x", 1, MSG_NOSIGNAL), EPIPE);
  close(sh);
  close(accept(l, NULL, NULL));
  OK(connect(c, SA(b), sizeof b));
  ERR(connect(c, SA(b), sizeof b), EISCONN);
  int cp = local_port(c);
  CHECK(cp >= 32768 && cp <= 60999);
  al = sizeof a;
  OK(getpeername(c, SA(a), &al));
  CHECK(al == sizeof a && ntohs(a.sin_port) == p && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  al = sizeof a;
  OK(getsockname(c, SA(a), &al));
  CHECK(a.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  struct sockaddr_in from; socklen_t fl = sizeof from;
  int s = accept(l, SA(from), &fl);
  CHECK(s >= 0);
  CHECK(fl == sizeof from && ntohs(from.sin_port) == cp && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  CHECK(local_port(s) == p);
  CHECK(getint(s, IPPROTO_TCP, TCP_NODELAY) == 1); /* an accepted socket inherits the listener's options */

  char buf[64];
  ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
  CHECK(write(c, "hello", 5) == 5);
  CHECK(send(c, " world", 6, 0) == 6);
  int n = -1;
  usleep(10000);
  OK(ioctl(s, FIONREAD, &n));
  CHECK(n == 11);
  CHECK(recv(s, buf, 3, MSG_PEEK) == 3 && memcmp(buf, "hel", 3) == 0);
  fl = sizeof from;
  memset(&from, 0x55, sizeof from);
  CHECK(recvfrom(s, buf, sizeof buf, 0, SA(from), &fl) == 11 && memcmp(buf, "hello world", 11) == 0);
  CHECK(fl == 0); /* TCP gives no source address */
  /* half-close: the server reads end of file, and can still answer */
  OK(shutdown(c, SHUT_WR));
  CHECK(read(s, buf, sizeof buf) == 0);
  struct pollfd pf = { s, POLLIN | POLLRDHUP | POLLOUT, 0 };
  CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & (POLLIN | POLLRDHUP | POLLOUT)) == (POLLIN | POLLRDHUP | POLLOUT) && !(pf.revents & POLLHUP));
  CHECK(write(s, "bye", 3) == 3);
  CHECK(read(c, buf, sizeof buf) == 3 && memcmp(buf, "bye", 3) == 0);
  sigpipes = 0;
  ERR(write(c, "x", 1), EPIPE);
  CHECK(sigpipes == 1);
  ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
  CHECK(sigpipes == 1);
  close(s);
  CHECK(read(c, buf, sizeof buf) == 0);
  close(c);

  /* the peer closed: our first write still goes (its reset comes back), later ones fail with EPIPE */
  c = client(p);
  s = accept(l, NULL, NULL);
  close(s);
  usleep(20000);
  CHECK(read(c, buf, sizeof buf) == 0);
  CHECK(send(c, "a", 1, MSG_NOSIGNAL) == 1);
  usleep(20000);
  ERR(send(c, "b", 1, MSG_NOSIGNAL), EPIPE);
  close(c);

  /* close with unread data resets the connection */
  c = client(p);
  s = accept(l, NULL, NULL);
  CHECK(write(c, "unread", 6) == 6);
  usleep(20000);
  close(s);
  usleep(20000);
  ERR(recv(c, buf, sizeof buf, 0), ECONNRESET);
  close(c);

  /* MSG_WAITALL gathers across writes */
  c = client(p);
  s = accept(l, NULL, NULL);
  pid_t pid = fork();
  if (pid == 0) { write(c, "abc", 3); usleep(50000); write(c, "defg", 4); _exit(0); }
  CHECK(recv(s, buf, 7, MSG_WAITALL) == 7 && memcmp(buf, "abcdefg", 7) == 0);
  waitpid(pid, NULL, 0);

  /* sendmsg/recvmsg with several iovecs */
  struct iovec iv[2] = { { "one", 3 }, { "two", 3 } };
  struct msghdr m = { .msg_iov = iv, .msg_iovlen = 2 };
  CHECK(sendmsg(c, &m, 0) == 6);
  char x[2], y[10];
  struct iovec ov[2] = { { x, 2 }, { y, 10 } };
  struct msghdr mr = { .msg_iov = ov, .msg_iovlen = 2 };
  CHECK(recvmsg(s, &mr, 0) == 6 && memcmp(x, "on", 2) == 0 && memcmp(y, "etwo", 4) == 0);
  /* a large transfer through the buffers, with a reader in another process */
  pid = fork();
  if (pid == 0) {
    static char big[300000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i * 7);
    size_t off = 0;
    while (off < sizeof big) { ssize_t w = write(c, big + off, sizeof big - off); if (w <= 0) _exit(1); off += w; }
    _exit(0);
  }
  size_t got = 0; int wrong = 0;
  while (got < 300000) {
    char rb[8192];
    ssize_t r = read(s, rb, sizeof rb);
    if (r <= 0) { wrong++; break; }
    for (ssize_t i = 0; i < r; i++) if (rb[i] != (char)((got + i) * 7)) wrong++;
    got += r;
  }
  CHECK(got == 300000 && wrong == 0);
  int st = -1;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  close(s); close(c); close(l);
}

static void test_tcp_errors(void) {
  int p = base + 1;
  struct sockaddr_in b = a4("127.0.0.1", p);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  ERR(connect(c, SA(b), sizeof b), ECONNREFUSED);
  /* after a refusal the socket may try again */
  int l = listener(p, 5);
  OK(connect(c, SA(b), sizeof b));
  close(c);
  int d = socket(AF_INET, SOCK_STREAM, 0);
  ERR(bind(d, SA(b), sizeof b), EADDRINUSE);
  struct sockaddr_in any = a4("0.0.0.0", p);
  ERR(bind(d, SA(any), sizeof any), EADDRINUSE);
  /* SO_REUSEADDR on both does not share a port with a listener */
  OK(setint(l, SOL_SOCKET, SO_REUSEADDR, 1));
  OK(setint(d, SOL_SOCKET, SO_REUSEADDR, 1));
  CHECK(getint(d, SOL_SOCKET, SO_REUSEADDR) == 1);
  ERR(bind(d, SA(b), sizeof b), EADDRINUSE);
  close(d);
  close(l);
  /* ... but does between sockets that are not listening */
  int e1 = socket(AF_INET, SOCK_STREAM, 0), e2 = socket(AF_INET, SOCK_STREAM, 0);
  setint(e1, SOL_SOCKET, SO_REUSEADDR, 1); setint(e2, SOL_SOCKET, SO_REUSEADDR, 1);
  struct sockaddr_in b2 = a4("127.0.0.1", base + 2);
  OK(bind(e1, SA(b2), sizeof b2));
  OK(bind(e2, SA(b2), sizeof b2));
  OK(listen(e1, 1));
  ERR(listen(e2, 1), EADDRINUSE);
  close(e1); close(e2);
  /* SO_REUSEPORT: two listeners on one port */
  int r1 = socket(AF_INET, SOCK_STREAM, 0), r2 = socket(AF_INET, SOCK_STREAM, 0);
  setint(r1, SOL_SOCKET, SO_REUSEPORT, 1); setint(r2, SOL_SOCKET, SO_REUSEPORT, 1);
  struct sockaddr_in b3 = a4("127.0.0.1", base + 3);
  OK(bind(r1, SA(b3), sizeof b3)); OK(listen(r1, 4));
  OK(bind(r2, SA(b3), sizeof b3)); OK(listen(r2, 4));
  int r3 = socket(AF_INET, SOCK_STREAM, 0);
  ERR(bind(r3, SA(b3), sizeof b3), EADDRINUSE);
  close(r1); close(r2); close(r3);
  /* a specific address and the wildcard on different ports, and 127.0.0.2 (all of 127/8 is local) */
  int w = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in lo2 = a4("127.0.0.2", base + 4);
  OK(bind(w, SA(lo2), sizeof lo2)); OK(listen(w, 1));
  int wc = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in lo1 = a4("127.0.0.1", base + 4);
  ERR(connect(wc, SA(lo1), sizeof lo1), ECONNREFUSED); /* 127.0.0.2's listener does not take 127.0.0.1 */
  OK(connect(wc, SA(lo2), sizeof lo2));
  close(wc); close(w);
  /* UDP cannot listen; TCP has no socketpair; unknown protocols and types */
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  ERR(listen(u, 1), EOPNOTSUPP);
  ERR(accept(u, NULL, NULL), EOPNOTSUPP);
  close(u);
  int sv[2];
  ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
  ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
  ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
  CHECK(getint(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP);
  if (!under_qemu) {
    /* the machine has only lo: nothing else routes (never tried on the host, whose network is real) */
    int x = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in far = a4("192.0.2.1", 80);
    ERR(connect(x, SA(far), sizeof far), ENETUNREACH);
    int ux = socket(AF_INET, SOCK_DGRAM, 0);
    ERR(sendto(ux, "x", 1, 0, SA(far), sizeof far), ENETUNREACH);
    close(x); close(ux);
  }
}

static void test_nonblock(void) {
  int p = base + 5;
  int l = listener(p, 1);
  struct sockaddr_in b = a4("127.0.0.1", p);
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ERR(connect(c, SA(b), sizeof b), EINPROGRESS);
  struct pollfd pf = { c, POLLOUT, 0 };
  CHECK(poll(&pf, 1, 2000) == 1 && (pf.revents & POLLOUT) && !(pf.revents & POLLERR));
  CHECK(getint(c, SOL_SOCKET, SO_ERROR) == 0);
  OK(connect(c, SA(b), sizeof b)); /* the connect in progress reports its success once */
  ERR(connect(c, SA(b), sizeof b), EISCONN);
  struct pollfd lp = { l, POLLIN, 0 };
  CHECK(poll(&lp, 1, 2000) == 1 && lp.revents == POLLIN);
  int s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  CHECK(s >= 0);
  CHECK((fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC));
  OK(fcntl(l, F_SETFL, O_NONBLOCK));
  ERR(accept(l, NULL, NULL), EAGAIN);
  OK(fcntl(l, F_SETFL, 0));
  /* the backlog holds backlog+1 connections before accept (Linux's test is "more than backlog") */
  int q1 = client(p), q2 = client(p);
  if (!under_qemu) {
    int q3 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ERR(connect(q3, SA(b), sizeof b), EAGAIN); /* Linux: EINPROGRESS, the SYN retried later (docs/net.md) */
    close(q3);
  }
  int a1 = accept(l, NULL, NULL), a2 = accept(l, NULL, NULL);
  CHECK(a1 >= 0 && a2 >= 0);
  close(q1); close(q2); close(a1); close(a2);
  /* a refused non-blocking connect: EINPROGRESS, then POLLERR and SO_ERROR */
  int r = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in closed = a4("127.0.0.1", base + 6);
  ERR(connect(r, SA(closed), sizeof closed), EINPROGRESS);
  struct pollfd rp = { r, POLLOUT, 0 };
  CHECK(poll(&rp, 1, 2000) == 1 && (rp.revents & POLLERR) && (rp.revents & POLLHUP));
  CHECK(getint(r, SOL_SOCKET, SO_ERROR) == ECONNREFUSED);
  CHECK(getint(r, SOL_SOCKET, SO_ERROR) == 0);
  close(r); close(c); close(s); close(l);
  /* a fresh TCP socket polls as writable and hung up */
  int f = socket(AF_INET, SOCK_STREAM, 0);
  struct pollfd fp = { f, POLLIN | POLLOUT, 0 };
  CHECK(poll(&fp, 1, 0) == 1 && fp.revents == (POLLOUT | POLLHUP));
  close(f);
  /* a fresh UDP socket is just writable */
  int g = socket(AF_INET, SOCK_DGRAM, 0);
  struct pollfd gp = { g, POLLIN | POLLOUT, 0 };
  CHECK(poll(&gp, 1, 0) == 1 && gp.revents == POLLOUT);
  close(g);
}

static void test_multiplex(void) {
  int p = base + 7;
  int l = listener(p, 8);
  int ep = epoll_create1(0);
  struct epoll_event ev = { .events = EPOLLIN, .data.fd = l };
  OK(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev));
  struct epoll_event out[4];
  CHECK(epoll_wait(ep, out, 4, 0) == 0);
  int c = client(p);
  CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].data.fd == l && out[0].events == EPOLLIN);
  int s = accept(l, NULL, NULL);
  ev.events = EPOLLIN | EPOLLRDHUP; ev.data.fd = s;
  OK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
  CHECK(epoll_wait(ep, out, 4, 0) == 0);
  write(c, "ping", 4);
  CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].data.fd == s && out[0].events == EPOLLIN);
  char buf[8];
  CHECK(read(s, buf, 8) == 4);
  fd_set rd, wr;
  FD_ZERO(&rd); FD_ZERO(&wr); FD_SET(s, &rd); FD_SET(c, &wr);
  struct timeval tv = { 0, 0 };
  CHECK(select((s > c ? s : c) + 1, &rd, &wr, NULL, &tv) == 1 && FD_ISSET(c, &wr) && !FD_ISSET(s, &rd));
  close(c);
  CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].data.fd == s && (out[0].events & (EPOLLIN | EPOLLRDHUP)) == (EPOLLIN | EPOLLRDHUP));
  FD_ZERO(&rd); FD_SET(s, &rd);
  CHECK(select(s + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(s, &rd));
  close(s); close(l); close(ep);
}

static void test_udp(void) {
  int p = base + 10;
  int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
  CHECK(getint(a, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_UDP);
  CHECK(getint(a, SOL_SOCKET, SO_SNDBUF) == 212992);
  struct sockaddr_in ad = a4("127.0.0.1", p);
  OK(bind(a, SA(ad), sizeof ad));
  int dup = socket(AF_INET, SOCK_DGRAM, 0);
  ERR(bind(dup, SA(ad), sizeof ad), EADDRINUSE);
  close(dup);
  ERR(send(b, "x", 1, 0), EDESTADDRREQ);
  struct sockaddr_in zero = a4("127.0.0.1", 0);
  ERR(sendto(b, "x", 1, 0, SA(zero), sizeof zero), EINVAL);
  ERR(sendto(b, "x", 1, 0, SA(ad), 8), EINVAL);
  CHECK(sendto(b, "abc", 3, 0, SA(ad), sizeof ad) == 3);
  CHECK(sendto(b, "defgh", 5, 0, SA(ad), sizeof ad) == 5);
  CHECK(sendto(b, "", 0, 0, SA(ad), sizeof ad) == 0);
  int bp = local_port(b);
  CHECK(bp >= 32768 && bp <= 60999); /* the first sendto bound b */
  char buf[64];
  struct sockaddr_in from; socklen_t fl = sizeof from;
  int n = -1;
  usleep(10000);
  OK(ioctl(a, FIONREAD, &n));
  CHECK(n == 3);
  CHECK(recv(a, buf, sizeof buf, MSG_PEEK) == 3);
  CHECK(recvfrom(a, buf, sizeof buf, 0, SA(from), &fl) == 3 && memcmp(buf, "abc", 3) == 0);
  CHECK(fl == sizeof from && ntohs(from.sin_port) == bp && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  /* MSG_TRUNC: the datagram's real length, and the rest of it is gone */
  CHECK(recv(a, buf, 2, MSG_TRUNC) == 5 && memcmp(buf, "de", 2) == 0);
  CHECK(recv(a, buf, sizeof buf, 0) == 0); /* the empty datagram */
  ERR(recv(a, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
  sendto(b, "0123456789", 10, 0, SA(ad), sizeof ad);
  struct iovec iv = { buf, 4 };
  struct msghdr m = { .msg_iov = &iv, .msg_iovlen = 1 };
  CHECK(recvmsg(a, &m, 0) == 4 && (m.msg_flags & MSG_TRUNC));
  static char huge[65508];
  ERR(sendto(b, huge, sizeof huge, 0, SA(ad), sizeof ad), EMSGSIZE);
  /* connected UDP: a default destination, and only the peer's datagrams come in */
  OK(connect(b, SA(ad), sizeof ad));
  struct sockaddr_in pa; socklen_t pl = sizeof pa;
  OK(getpeername(b, SA(pa), &pl));
  CHECK(ntohs(pa.sin_port) == p);
  CHECK(send(b, "conn", 4, 0) == 4);
  CHECK(recv(a, buf, sizeof buf, 0) == 4 && memcmp(buf, "conn", 4) == 0);
  struct sockaddr_in bad = a4("127.0.0.1", bp);
  int c = socket(AF_INET, SOCK_DGRAM, 0);
  CHECK(sendto(c, "stranger", 8, 0, SA(bad), sizeof bad) == 8);
  CHECK(sendto(a, "fromA", 5, 0, SA(bad), sizeof bad) == 5);
  usleep(10000);
  CHECK(recv(b, buf, sizeof buf, MSG_DONTWAIT) == 5 && memcmp(buf, "fromA", 5) == 0); /* the stranger's was dropped */
  ERR(recv(b, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
  /* AF_UNSPEC dissolves the association */
  struct sockaddr un = { .sa_family = AF_UNSPEC };
  OK(connect(b, &un, sizeof un));
  ERR(getpeername(b, SA(pa), &pl), ENOTCONN);
  ERR(send(b, "x", 1, 0), EDESTADDRREQ);
  /* a connected socket learns of a closed port: ECONNREFUSED on a later call */
  struct sockaddr_in closed = a4("127.0.0.1", base + 11);
  int d = socket(AF_INET, SOCK_DGRAM, 0);
  OK(connect(d, SA(closed), sizeof closed));
  CHECK(send(d, "x", 1, 0) == 1);
  struct pollfd pf = { d, POLLIN, 0 };
  CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLERR));
  ERR(recv(d, buf, sizeof buf, MSG_DONTWAIT), ECONNREFUSED);
  CHECK(send(d, "y", 1, 0) == 1);
  usleep(10000);
  ERR(send(d, "z", 1, 0), ECONNREFUSED);
  /* an unconnected socket hears nothing of it */
  CHECK(sendto(c, "q", 1, 0, SA(closed), sizeof closed) == 1);
  usleep(10000);
  CHECK(sendto(c, "q", 1, 0, SA(closed), sizeof closed) == 1);
  /* sendmmsg / recvmmsg */
  struct mmsghdr mm[3];
  struct iovec mi[3] = { { "m1", 2 }, { "mm2", 3 }, { "mmm3", 4 } };
  memset(mm, 0, sizeof mm);
  for (int i = 0; i < 3; i++) { mm[i].msg_hdr.msg_iov = &mi[i]; mm[i].msg_hdr.msg_iovlen = 1; mm[i].msg_hdr.msg_name = &ad; mm[i].msg_hdr.msg_namelen = sizeof ad; }
  CHECK(sendmmsg(c, mm, 3, 0) == 3 && mm[0].msg_len == 2 && mm[2].msg_len == 4);
  char rb[3][8];
  struct iovec ri[3] = { { rb[0], 8 }, { rb[1], 8 }, { rb[2], 8 } };
  struct sockaddr_in rf[3];
  memset(mm, 0, sizeof mm);
  for (int i = 0; i < 3; i++) { mm[i].msg_hdr.msg_iov = &ri[i]; mm[i].msg_hdr.msg_iovlen = 1; mm[i].msg_hdr.msg_name = &rf[i]; mm[i].msg_hdr.msg_namelen = sizeof rf[i]; }
  usleep(10000);
  CHECK(recvmmsg(a, mm, 3, MSG_WAITFORONE, NULL) == 3);
  CHECK(mm[0].msg_len == 2 && mm[1].msg_len == 3 && mm[2].msg_len == 4 && memcmp(rb[2], "mmm3", 4) == 0);
  CHECK(mm[1].msg_hdr.msg_namelen == sizeof(struct sockaddr_in) && ntohs(rf[1].sin_port) == local_port(c));
  /* SO_REUSEADDR lets two UDP sockets share a port */
  int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
  setint(u1, SOL_SOCKET, SO_REUSEADDR, 1); setint(u2, SOL_SOCKET, SO_REUSEADDR, 1);
  struct sockaddr_in ua = a4("127.0.0.1", base + 12);
  OK(bind(u1, SA(ua), sizeof ua)); OK(bind(u2, SA(ua), sizeof ua));
  close(u1); close(u2); close(a); close(b); close(c); close(d);
}

static void test_v6(void) {
  int p = base + 20;
  /* a dual-stack listener takes IPv4 clients, which it sees as IPv4-mapped addresses */
  int l = socket(AF_INET6, SOCK_STREAM, 0);
  CHECK(getint(l, IPPROTO_IPV6, IPV6_V6ONLY) == 0);
  CHECK(getint(l, SOL_SOCKET, SO_DOMAIN) == AF_INET6);
  struct sockaddr_in6 any = a6("::", p);
  ERR(bind(l, SA(any), 20), EINVAL);
  OK(bind(l, SA(any), sizeof any));
  OK(listen(l, 4));
  ERR(setint(l, IPPROTO_IPV6, IPV6_V6ONLY, 1), EINVAL); /* only before bind */
  int c4 = client(p);
  struct sockaddr_in6 from; socklen_t fl = sizeof from;
  int s = accept(l, SA(from), &fl);
  CHECK(s >= 0 && fl == sizeof from && from.sin6_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&from.sin6_addr));
  CHECK(((uint8_t *)&from.sin6_addr)[12] == 127 && ntohs(from.sin6_port) == local_port(c4));
  struct sockaddr_in6 me; socklen_t ml = sizeof me;
  OK(getsockname(s, SA(me), &ml));
  CHECK(ml == sizeof me && IN6_IS_ADDR_V4MAPPED(&me.sin6_addr) && ntohs(me.sin6_port) == p);
  close(s); close(c4);
  /* an IPv6 client on ::1 */
  int c6 = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 lo = a6("::1", p);
  OK(connect(c6, SA(lo), sizeof lo));
  s = accept(l, SA(from), &fl);
  CHECK(s >= 0 && IN6_IS_ADDR_LOOPBACK(&from.sin6_addr));
  char buf[8];
  CHECK(write(c6, "six", 3) == 3 && read(s, buf, 8) == 3 && memcmp(buf, "six", 3) == 0);
  close(s); close(c6);
  /* the dual-stack :: holds the IPv4 port too */
  int v4 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = a4("0.0.0.0", p);
  ERR(bind(v4, SA(a), sizeof a), EADDRINUSE);
  close(v4);
  close(l);
  /* IPV6_V6ONLY: the IPv4 port stays free, mapped addresses do not route */
  int o = socket(AF_INET6, SOCK_STREAM, 0);
  OK(setint(o, IPPROTO_IPV6, IPV6_V6ONLY, 1));
  CHECK(getint(o, IPPROTO_IPV6, IPV6_V6ONLY) == 1);
  struct sockaddr_in6 any2 = a6("::", p + 1);
  OK(bind(o, SA(any2), sizeof any2));
  OK(listen(o, 4));
  v4 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a2 = a4("0.0.0.0", p + 1);
  OK(bind(v4, SA(a2), sizeof a2));
  close(v4);
  int cm = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in l4 = a4("127.0.0.1", p + 1);
  ERR(connect(cm, SA(l4), sizeof l4), ECONNREFUSED); /* the v6-only listener does not take IPv4 */
  close(cm);
  int m6 = socket(AF_INET6, SOCK_STREAM, 0);
  OK(setint(m6, IPPROTO_IPV6, IPV6_V6ONLY, 1));
  struct sockaddr_in6 mapped = a6("::ffff:127.0.0.1", p + 1);
  ERR(connect(m6, SA(mapped), sizeof mapped), ENETUNREACH);
  close(m6); close(o);
  /* UDP over IPv6 */
  int u = socket(AF_INET6, SOCK_DGRAM, 0), v = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 ua = a6("::1", p + 2);
  OK(bind(u, SA(ua), sizeof ua));
  CHECK(sendto(v, "dg6", 3, 0, SA(ua), sizeof ua) == 3);
  fl = sizeof from;
  CHECK(recvfrom(u, buf, 8, 0, SA(from), &fl) == 3 && fl == sizeof from && IN6_IS_ADDR_LOOPBACK(&from.sin6_addr) && ntohs(from.sin6_port) == local_port(v));
  close(u); close(v);
}

/* /proc/net/tcp lists a listener as Linux does: 0100007F:PORT, state 0A */
static void test_proc(void) {
  int p = base + 25;
  int l = listener(p, 3);
  FILE *f = fopen("/proc/net/tcp", "r");
  CHECK(f != NULL);
  if (!f) return;
  char line[256], want[32];
  snprintf(want, sizeof want, "0100007F:%04X", p);
  int found = 0;
  CHECK(fgets(line, sizeof line, f) && strncmp(line, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", 96) == 0);
  while (fgets(line, sizeof line, f)) {
    unsigned sl, lport, rport, st;
    char la[16], ra[16];
    if (sscanf(line, "%u: %8[0-9A-F]:%X %8[0-9A-F]:%X %X", &sl, la, &lport, ra, &rport, &st) == 6 && (int)lport == p && strcmp(la, "0100007F") == 0 && st == 0x0A && strcmp(ra, "00000000") == 0) found = 1;
  }
  fclose(f);
  CHECK(found);
  (void)want;
  close(l);
}

int main(int argc, char **argv) {
  prog_name = "inet_sock";
  base = argc > 1 ? atoi(argv[1]) : 20000;
  under_qemu = argc > 2 && strcmp(argv[2], "qemu") == 0;
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGPIPE, on_pipe);
  test_tcp_basic();
  test_tcp_errors();
  test_nonblock();
  test_multiplex();
  test_udp();
  test_v6();
  test_proc();
  DONE();
}
