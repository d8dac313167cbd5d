/* Hostile use of AF_INET/AF_INET6 sockets (test/security/net.test.ts): bad
   sockaddr lengths and pointers, privileged ports for a non-root user, and
   floods of sockets, connections and datagrams that must stay bounded by
   RLIMIT_NOFILE, the listen backlog and the socket buffers. argv[1] is
   "root" or "user" (the test runs it with the matching credentials);
   argv[2] is a host port that must be unreachable from the guest. */
#include "../../kernel/fs/progs/t.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in a4(const char *ip, int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}
#define SA(x) ((struct sockaddr *)&(x))

static void lengths(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in a = a4("127.0.0.1", 0);
  ERR(bind(s, SA(a), 0), EINVAL);
  ERR(bind(s, SA(a), (socklen_t)-1), EINVAL);
  ERR(bind(s, SA(a), 129), EINVAL);
  ERR(bind(s, (struct sockaddr *)1, 16), EFAULT);
  ERR(connect(s, (struct sockaddr *)1, 16), EFAULT);
  ERR(connect(s, SA(a), 3), EINVAL);
  ERR(sendto(s6, "x", 1, 0, SA(a), 23), EINVAL);
  ERR(sendto(s6, "x", 1, 0, (struct sockaddr *)8, 28), EFAULT);
  ERR(getsockname(s, SA(a), (socklen_t *)1), EFAULT);
  socklen_t neg = (socklen_t)-5;
  ERR(getsockname(s, SA(a), &neg), EINVAL);
  /* a short room gets a truncated name and the full length */
  OK(bind(s, SA(a), sizeof a));
  unsigned char small[4] = { 0xee, 0xee, 0xee, 0xee };
  socklen_t sl = 2;
  OK(getsockname(s, (struct sockaddr *)small, &sl));
  CHECK(sl == sizeof(struct sockaddr_in) && small[0] == AF_INET && small[2] == 0xee);
  /* every length from 0 to 130 with junk bytes: errors only, never a crash */
  unsigned char junk[140];
  for (int i = 0; i < 140; i++) junk[i] = (unsigned char)(i * 37 + 11);
  for (int len = 0; len <= 130; len++) {
    int t = socket(len & 1 ? AF_INET6 : AF_INET, len & 2 ? SOCK_DGRAM : SOCK_STREAM | SOCK_NONBLOCK, 0);
    junk[0] = len & 4 ? AF_INET : AF_INET6; junk[1] = 0;
    bind(t, (struct sockaddr *)junk, len);
    connect(t, (struct sockaddr *)junk, len);
    sendto(t, "j", 1, MSG_NOSIGNAL | MSG_DONTWAIT, (struct sockaddr *)junk, len);
    close(t);
  }
  close(s); close(s6);
}

static void ports(int root) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = a4("127.0.0.1", 80);
  if (root) OK(bind(s, SA(a), sizeof a));
  else ERR(bind(s, SA(a), sizeof a), EACCES);
  close(s);
  s = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 b;
  memset(&b, 0, sizeof b);
  b.sin6_family = AF_INET6; b.sin6_port = htons(1023);
  if (root) OK(bind(s, SA(b), sizeof b));
  else ERR(bind(s, SA(b), sizeof b), EACCES);
  close(s);
  s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in c = a4("127.0.0.1", 1024);
  OK(bind(s, SA(c), sizeof c)); /* the first unprivileged port */
  close(s);
  s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in z = a4("127.0.0.1", 0);
  OK(bind(s, SA(z), sizeof z)); /* port 0: an ephemeral port, no privilege needed */
  close(s);
}

static void floods(void) {
  /* sockets: bounded by RLIMIT_NOFILE */
  struct rlimit rl = { 64, 64 };
  OK(setrlimit(RLIMIT_NOFILE, &rl));
  int n = 0, fd;
  while ((fd = socket(AF_INET, SOCK_DGRAM, 0)) >= 0) n++;
  CHECK(errno == EMFILE && n > 50 && n < 64);
  for (int i = 3; i < 64; i++) close(i);
  rl.rlim_cur = rl.rlim_max = 1024;
  setrlimit(RLIMIT_NOFILE, &rl);
  /* connections: a listener nobody accepts from holds backlog+1 */
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in la = a4("127.0.0.1", 9000);
  OK(bind(l, SA(la), sizeof la)); OK(listen(l, 3));
  int took = 0, lastErr = 0;
  for (int i = 0; i < 50; i++) {
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    errno = 0;
    int r = connect(c, SA(la), sizeof la);
    if (r == 0 || errno == EINPROGRESS) took++; else { lastErr = errno; close(c); }
  }
  CHECK(took == 4 && lastErr == EAGAIN);
  /* datagrams to a socket that never reads: its queue stays within its buffer, the rest dropped */
  int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
  int rcv = 4096;
  setsockopt(u, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  struct sockaddr_in ua = a4("127.0.0.1", 9001);
  OK(bind(u, SA(ua), sizeof ua));
  static char big[1000];
  for (int i = 0; i < 2000; i++) CHECK(sendto(v, big, sizeof big, 0, SA(ua), sizeof ua) == sizeof big || i > 0);
  int q = 0, total = 0, k;
  while ((k = recv(u, big, sizeof big, MSG_DONTWAIT)) > 0) { q++; total += k; }
  CHECK(q >= 1 && total <= 8192);
  /* a stream to a peer that never reads: writes stop at the buffers (EAGAIN), memory stays bounded */
  int c = socket(AF_INET, SOCK_STREAM, 0);
  int l2 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in l2a = a4("127.0.0.1", 9002);
  OK(bind(l2, SA(l2a), sizeof l2a)); OK(listen(l2, 1));
  OK(connect(c, SA(l2a), sizeof l2a));
  fcntl(c, F_SETFL, O_NONBLOCK);
  long sent = 0;
  ssize_t w;
  static char chunk[65536];
  while ((w = write(c, chunk, sizeof chunk)) > 0) sent += w;
  CHECK(w < 0 && errno == EAGAIN && sent > 0 && sent < (8 << 20));
}

/* Without --net user the guest reaches nothing outside itself: not the host's loopback, not the gateway. */
static void isolation(int host_port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in h = a4("127.0.0.1", host_port);
  ERR(connect(s, SA(h), sizeof h), ECONNREFUSED); /* the guest's lo is its own */
  close(s);
  s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in g = a4("10.0.2.2", host_port);
  ERR(connect(s, SA(g), sizeof g), ENETUNREACH);
  close(s);
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in dns = a4("10.0.2.3", 53);
  ERR(sendto(u, "q", 1, 0, SA(dns), sizeof dns), ENETUNREACH);
  close(u);
}

int main(int argc, char **argv) {
  prog_name = "net_hostile";
  setvbuf(stdout, NULL, _IONBF, 0);
  int root = argc > 1 && strcmp(argv[1], "root") == 0;
  lengths();
  ports(root);
  if (root) floods();
  isolation(argc > 2 ? atoi(argv[2]) : 1);
  DONE();
}
