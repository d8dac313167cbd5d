/* eth0's IPv6 link-local address under --net user, fe80::5054:ff:fe12:3456
   (modified EUI-64 of the MAC 52:54:00:12:34:56), as Linux's sockets treat
   a link-local address (net/ipv6/af_inet6.c inet6_bind,
   net/ipv6/datagram.c ip6_datagram_connect, net/ipv6/tcp_ipv6.c
   tcp_v6_connect): the scope id names the link.
   A. bind needs sin6_scope_id: none is EINVAL, an index no interface has is
      ENODEV, lo's (1) is EADDRNOTAVAIL, eth0's (2) binds; getsockname gives
      the address back with scope id 2.
   B. UDP between two of the guest's own sockets on [fe80::...%2]: the
      datagram arrives, from the link-local address and scope id 2.
   C. TCP likewise: connect, accept, a round trip; getpeername has scope 2.
      A connect with scope id 0 is EINVAL.
   D. Never routed to the host: TCP to fe80::2%2 (no such neighbour) is
      EHOSTUNREACH once neighbour discovery gives up (about 3 s: progs/neigh.c
      times it), a datagram to it is lost (sendto succeeds, nothing comes
      back). */
#include "../../fs/progs/t.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *LL = "fe80::5054:ff:fe12:3456";

static struct sockaddr_in6 sa6(const char *addr, int port, unsigned scope) {
  struct sockaddr_in6 a;
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  a.sin6_scope_id = scope;
  inet_pton(AF_INET6, addr, &a.sin6_addr);
  return a;
}

static const char *show(const struct sockaddr_in6 *a, char *buf, size_t n) {
  char t[64];
  inet_ntop(AF_INET6, &a->sin6_addr, t, sizeof t);
  snprintf(buf, n, "%s%%%u", t, a->sin6_scope_id);
  return buf;
}

int main(void) {
  prog_name = "linklocal";
  setvbuf(stdout, NULL, _IONBF, 0);
  char b1[96], b2[96];

  /* A */
  int u = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 a = sa6(LL, 0, 0);
  ERR(bind(u, (struct sockaddr *)&a, sizeof a), EINVAL);
  a = sa6(LL, 0, 9);
  ERR(bind(u, (struct sockaddr *)&a, sizeof a), ENODEV);
  a = sa6(LL, 0, 1);
  ERR(bind(u, (struct sockaddr *)&a, sizeof a), EADDRNOTAVAIL);
  a = sa6(LL, 0, 2);
  OK(bind(u, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_in6 got;
  socklen_t len = sizeof got;
  OK(getsockname(u, (struct sockaddr *)&got, &len));
  printf("A: bound %s\n", show(&got, b1, sizeof b1));
  int uport = ntohs(got.sin6_port);

  /* B */
  int v = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 to = sa6(LL, uport, 2);
  CHECK(sendto(v, "ping", 4, 0, (struct sockaddr *)&to, sizeof to) == 4);
  char buf[16] = "";
  struct sockaddr_in6 from;
  len = sizeof from;
  struct pollfd pf = { u, POLLIN, 0 };
  CHECK(poll(&pf, 1, 1000) == 1);
  ssize_t n = recvfrom(u, buf, sizeof buf - 1, MSG_DONTWAIT, (struct sockaddr *)&from, &len);
  CHECK(n == 4);
  if (n > 0) buf[n] = 0;
  printf("B: udp %s from %s\n", buf, show(&from, b1, sizeof b1));

  /* C */
  int l = socket(AF_INET6, SOCK_STREAM, 0);
  a = sa6(LL, 0, 2);
  OK(bind(l, (struct sockaddr *)&a, sizeof a));
  OK(listen(l, 1));
  len = sizeof got;
  OK(getsockname(l, (struct sockaddr *)&got, &len));
  int c0 = socket(AF_INET6, SOCK_STREAM, 0);
  to = sa6(LL, ntohs(got.sin6_port), 0);
  ERR(connect(c0, (struct sockaddr *)&to, sizeof to), EINVAL);
  int c = socket(AF_INET6, SOCK_STREAM, 0);
  to.sin6_scope_id = 2;
  OK(connect(c, (struct sockaddr *)&to, sizeof to));
  int s = accept(l, 0, 0);
  CHECK(s >= 0);
  CHECK(write(c, "hi", 2) == 2);
  char rb[4] = "";
  CHECK(read(s, rb, 2) == 2);
  CHECK(write(s, "yo", 2) == 2);
  CHECK(read(c, rb + 2, 2) == 2);
  struct sockaddr_in6 peer, self;
  len = sizeof peer;
  OK(getpeername(c, (struct sockaddr *)&peer, &len));
  len = sizeof self;
  OK(getsockname(c, (struct sockaddr *)&self, &len));
  printf("C: tcp %.4s, peer %s, local %s\n", rb, show(&peer, b1, sizeof b1), show(&self, b2, sizeof b2));

  /* D */
  int h = socket(AF_INET6, SOCK_STREAM, 0);
  to = sa6("fe80::2", 80, 2);
  errno = 0;
  int r = connect(h, (struct sockaddr *)&to, sizeof to);
  printf("D: tcp to fe80::2%%2: %s\n", r == 0 ? "connected" : strerror(errno));
  CHECK(r == -1 && errno == EHOSTUNREACH);
  to = sa6("fe80::2", 53, 2);
  CHECK(sendto(v, "dns?", 4, 0, (struct sockaddr *)&to, sizeof to) == 4);
  pf.fd = v;
  int p = poll(&pf, 1, 200);
  printf("D: udp to fe80::2%%2: sent, %s\n", p == 0 ? "nothing back" : "an answer came");
  CHECK(p == 0);
  DONE();
}
