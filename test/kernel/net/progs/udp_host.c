/* UDP through the host under `tsix run --net user`: argv[1] is a UDP echo
 * server's port on the host's loopback (it answers "echo:" + the datagram),
 * argv[2] a host port where nothing listens, argv[3] the gateway to use
 * ("10.0.2.2", or "fec0::2" for IPv6). Checks: an unconnected socket's
 * sendto and recvfrom (the reply comes from the gateway's address and the
 * server's port), a connected socket's send and recv, and ECONNREFUSED on a
 * connected socket after the host's ICMP port unreachable. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %d: ", __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static socklen_t addr(const char *host, int port, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  if (strchr(host, ':')) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    a->sin6_family = AF_INET6; a->sin6_port = htons(port);
    inet_pton(AF_INET6, host, &a->sin6_addr);
    return sizeof *a;
  }
  struct sockaddr_in *a = (struct sockaddr_in *)ss;
  a->sin_family = AF_INET; a->sin_port = htons(port);
  inet_pton(AF_INET, host, &a->sin_addr);
  return sizeof *a;
}

static int wait_in(int fd) {
  struct pollfd p = { fd, POLLIN, 0 };
  return poll(&p, 1, 10000);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 4) return 2;
  int port = atoi(argv[1]), closed = atoi(argv[2]);
  const char *gw = argv[3];
  int fam = strchr(gw, ':') ? AF_INET6 : AF_INET;
  struct sockaddr_storage to, from;
  socklen_t tl = addr(gw, port, &to), fl;
  char buf[256], host[64];

  int s = socket(fam, SOCK_DGRAM, 0);
  CHECK(sendto(s, "ping", 4, 0, (struct sockaddr *)&to, tl) == 4, "sendto: %s", strerror(errno));
  CHECK(wait_in(s) == 1, "no reply within 10 s");
  fl = sizeof from;
  int n = recvfrom(s, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
  CHECK(n == 9 && !memcmp(buf, "echo:ping", 9), "reply %d '%.*s' (%s)", n, n > 0 ? n : 0, buf, strerror(errno));
  int fport = fam == AF_INET ? ntohs(((struct sockaddr_in *)&from)->sin_port) : ntohs(((struct sockaddr_in6 *)&from)->sin6_port);
  inet_ntop(fam, fam == AF_INET ? (void *)&((struct sockaddr_in *)&from)->sin_addr : (void *)&((struct sockaddr_in6 *)&from)->sin6_addr, host, sizeof host);
  CHECK(from.ss_family == fam && fport == port && !strcmp(host, gw), "reply from %s port %d", host, fport);
  printf("unconnected: %.*s from %s:%d\n", n > 0 ? n : 0, buf, host, fport);

  int c = socket(fam, SOCK_DGRAM, 0);
  CHECK(connect(c, (struct sockaddr *)&to, tl) == 0, "connect: %s", strerror(errno));
  CHECK(send(c, "two", 3, 0) == 3, "send: %s", strerror(errno));
  CHECK(wait_in(c) == 1, "no reply on the connected socket");
  n = recv(c, buf, sizeof buf, MSG_DONTWAIT);
  CHECK(n == 8 && !memcmp(buf, "echo:two", 8), "connected reply %d", n);
  printf("connected: %.*s\n", n > 0 ? n : 0, buf);

  /* A closed host port: the host's ICMP port unreachable comes back as ECONNREFUSED. */
  int r = socket(fam, SOCK_DGRAM, 0);
  tl = addr(gw, closed, &to);
  CHECK(connect(r, (struct sockaddr *)&to, tl) == 0, "connect closed: %s", strerror(errno));
  int err = 0;
  for (int i = 0; i < 50 && err == 0; i++) {
    if (send(r, "x", 1, 0) < 0) { err = errno; break; }
    struct pollfd p = { r, POLLIN, 0 };
    poll(&p, 1, 200);
    if (recv(r, buf, sizeof buf, MSG_DONTWAIT) < 0 && errno != EAGAIN) err = errno;
  }
  CHECK(err == ECONNREFUSED, "closed port: %s, want ECONNREFUSED", strerror(err));
  printf("closed port: %s\n", strerror(err));
  printf("udp_host: %s (%d failures)\n", fails ? "FAILED" : "ok", fails);
  return fails ? 1 : 0;
}
