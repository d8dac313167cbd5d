/* A DNS query by hand under `tsix run --net user`: for each server address
 * in argv ("10.0.2.3", "fec0::3"), ask for "localhost" (type A) over UDP to
 * port 53, once with sendto/recvfrom on an unconnected socket (the answer
 * must come from the server's address and port 53) and once on a connected
 * socket with send/recv. The answer must carry the query's id, the response
 * bit, no error, and an A record 127.0.0.1 (the host's resolver reads its
 * own hosts file: no network is used).
 * `dns_query -t TYPE SERVER [NAME]` instead asks once for NAME ("localhost"
 * by default) of type TYPE (1 A, 28 AAAA, 255 ANY) and prints the answer's rcode and each record it holds
 * ("A 127.0.0.1", "AAAA ::1"), for the test to compare with the host's
 * resolver. */
#include <arpa/inet.h>
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

/* `name` (dot-separated labels) IN `type`, recursion desired, with id `id`; q has room for 300 bytes. */
static int query_type(unsigned char *q, int id, int type, const char *name) {
  unsigned char h[12] = { id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
  memcpy(q, h, 12);
  int at = 12;
  for (const char *p = name; *p && at < 270;) {
    const char *dot = strchr(p, '.');
    int n = dot ? (int)(dot - p) : (int)strlen(p);
    if (n > 63) n = 63;
    q[at++] = n;
    memcpy(q + at, p, n);
    at += n;
    p += n + (dot ? 1 : 0);
  }
  q[at++] = 0;
  q[at++] = type >> 8; q[at++] = type & 0xff; q[at++] = 0; q[at++] = 1;
  return at;
}

/* "localhost" IN A, recursion desired, with id `id`. */
static int query(unsigned char *q, int id) {
  static const unsigned char tail[] = { 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0, 0, 1, 0, 1 };
  unsigned char h[12] = { id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
  memcpy(q, h, 12);
  memcpy(q + 12, tail, sizeof tail);
  return 12 + sizeof tail;
}

/* Whether `a` (n bytes) answers query `id` with an A record 127.0.0.1. */
static int good_answer(const unsigned char *a, int n, int id) {
  if (n < 12 || ((a[0] << 8) | a[1]) != id || !(a[2] & 0x80) || (a[3] & 0x0f) != 0 || ((a[6] << 8) | a[7]) < 1) return 0;
  for (int i = 12; i + 6 <= n; i++)
    if (a[i] == 0 && a[i + 1] == 4 && a[i + 2] == 127 && a[i + 3] == 0 && a[i + 4] == 0 && a[i + 5] == 1) return 1;
  return 0;
}

static int wait_in(int fd) {
  struct pollfd p = { fd, POLLIN, 0 };
  return poll(&p, 1, 10000);
}

static void ask(const char *server, int id) {
  struct sockaddr_storage to, from;
  socklen_t tl = addr(server, 53, &to), fl = sizeof from;
  int fam = to.ss_family;
  unsigned char q[64], a[512];
  int qn = query(q, id);
  /* Unconnected: sendto, then recvfrom names the server. */
  int s = socket(fam, SOCK_DGRAM, 0);
  CHECK(s >= 0, "socket");
  CHECK(sendto(s, q, qn, 0, (struct sockaddr *)&to, tl) == qn, "sendto %s", server);
  CHECK(wait_in(s) == 1, "no answer from %s", server);
  int n = recvfrom(s, a, sizeof a, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
  CHECK(good_answer(a, n, id), "bad answer from %s (%d bytes)", server, n);
  char txt[64] = "?";
  int port = 0;
  if (from.ss_family == AF_INET6) { inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&from)->sin6_addr, txt, sizeof txt); port = ntohs(((struct sockaddr_in6 *)&from)->sin6_port); }
  else if (from.ss_family == AF_INET) { inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr, txt, sizeof txt); port = ntohs(((struct sockaddr_in *)&from)->sin_port); }
  CHECK(from.ss_family == fam && strcmp(txt, server) == 0 && port == 53, "answer from %s port %d, not %s", txt, port, server);
  if (good_answer(a, n, id)) printf("%s: localhost A 127.0.0.1 from %s port %d\n", server, txt, port);
  close(s);
  /* Connected: send and recv. */
  s = socket(fam, SOCK_DGRAM, 0);
  CHECK(connect(s, (struct sockaddr *)&to, tl) == 0, "connect %s", server);
  qn = query(q, id + 1);
  CHECK(send(s, q, qn, 0) == qn, "send %s", server);
  CHECK(wait_in(s) == 1, "no answer on the connected socket from %s", server);
  n = recv(s, a, sizeof a, MSG_DONTWAIT);
  CHECK(good_answer(a, n, id + 1), "bad answer on the connected socket from %s (%d bytes)", server, n);
  if (good_answer(a, n, id + 1)) printf("%s: connected: localhost A 127.0.0.1\n", server);
  close(s);
}

/* One query of `type` to `server`: print the rcode, the answer count and each record. */
static void ask_type(const char *server, int type, const char *name) {
  struct sockaddr_storage to;
  socklen_t tl = addr(server, 53, &to);
  unsigned char q[300], a[512];
  int id = 0x3400 + type, qn = query_type(q, id, type, name);
  int s = socket(to.ss_family, SOCK_DGRAM, 0);
  CHECK(s >= 0, "socket");
  CHECK(connect(s, (struct sockaddr *)&to, tl) == 0, "connect %s", server);
  CHECK(send(s, q, qn, 0) == qn, "send %s", server);
  CHECK(wait_in(s) == 1, "no answer from %s", server);
  int n = recv(s, a, sizeof a, MSG_DONTWAIT);
  close(s);
  CHECK(n >= qn, "short answer (%d bytes)", n);
  if (n < qn) return;
  CHECK(((a[0] << 8) | a[1]) == id && (a[2] & 0x80), "not a response to query %#x", id);
  /* The question comes back as it was asked. */
  CHECK(memcmp(a + 12, q + 12, qn - 12) == 0, "question not echoed");
  int count = (a[6] << 8) | a[7];
  printf("type %d: rcode %d answers %d\n", type, a[3] & 0x0f, count);
  int at = qn;
  for (int i = 0; i < count; i++) {
    CHECK(at + 12 <= n, "record %d past the end", i);
    if (at + 12 > n) return;
    int rtype = (a[at + 2] << 8) | a[at + 3], len = (a[at + 10] << 8) | a[at + 11];
    CHECK(a[at] == 0xc0 && a[at + 1] == 12, "record %d does not name the question", i);
    CHECK(at + 12 + len <= n, "record %d data past the end", i);
    if (at + 12 + len > n) return;
    char txt[64] = "?";
    if (rtype == 1 && len == 4) inet_ntop(AF_INET, a + at + 12, txt, sizeof txt);
    else if (rtype == 28 && len == 16) inet_ntop(AF_INET6, a + at + 12, txt, sizeof txt);
    else CHECK(0, "record %d: type %d with %d bytes", i, rtype, len);
    printf("record %s %s\n", rtype == 1 ? "A" : rtype == 28 ? "AAAA" : "?", txt);
    at += 12 + len;
  }
  CHECK(at == n, "%d bytes after the records", n - at);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if ((argc == 4 || argc == 5) && strcmp(argv[1], "-t") == 0) {
    ask_type(argv[3], atoi(argv[2]), argc == 5 ? argv[4] : "localhost");
    printf("dns_query: %s (%d failures)\n", fails ? "FAILED" : "ok", fails);
    return fails ? 1 : 0;
  }
  for (int i = 1; i < argc; i++) ask(argv[i], 0x1200 + i * 2);
  printf("dns_query: %s (%d failures)\n", fails ? "FAILED" : "ok", fails);
  return fails ? 1 : 0;
}
