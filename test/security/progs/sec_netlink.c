/* AF_NETLINK against a hostile program: malformed requests (a length below
 * the header, a length past the datagram, 0xffffffff, a request with no
 * family byte, a dump request packed a hundred times into one datagram),
 * bad addresses and pointers, a tiny receive buffer, binding another
 * process's port, and an mq_notify SIGEV_THREAD whose netlink socket is
 * closed before the notification fires. Each call fails with Linux's errno
 * or is answered within bounds; the kernel stays up. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %d: ", __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

/* Anything queued within 200 ms, drained; the number of bytes. */
static int drain(int s) {
  char buf[65536];
  int total = 0;
  struct pollfd p = { s, POLLIN, 0 };
  while (poll(&p, 1, 200) == 1) {
    int n = recv(s, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    total += n;
  }
  return total;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  CHECK(s >= 0, "socket: %s", strerror(errno));
  unsigned char m[4096];
  struct nlmsghdr *h = (struct nlmsghdr *)m;

  /* Lengths that lie: nothing is answered, nothing breaks. */
  unsigned lens[] = { 0, 8, 15, 4096, 0xffffffffu };
  for (unsigned i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    memset(m, 0, 64);
    h->nlmsg_len = lens[i];
    h->nlmsg_type = RTM_GETLINK;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK;
    CHECK(sendto(s, m, 32, 0, (struct sockaddr *)&kernel, sizeof kernel) == 32, "send len %u: %s", lens[i], strerror(errno));
  }
  CHECK(drain(s) == 0, "a lying length got an answer");
  /* A request with no family byte is ignored (acked when asked). */
  memset(m, 0, 64);
  h->nlmsg_len = 16; h->nlmsg_type = RTM_GETLINK; h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK; h->nlmsg_seq = 9;
  CHECK(sendto(s, m, 16, 0, (struct sockaddr *)&kernel, sizeof kernel) == 16, "send short");
  CHECK(drain(s) == 36, "a request without its family: an ack only");
  /* A hundred dump requests in one datagram: answers within the receive buffer; excess is dropped with ENOBUFS. */
  int rcv = 4096;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  for (int i = 0; i < 100; i++) {
    struct nlmsghdr *x = (struct nlmsghdr *)(m + i * 20);
    memset(x, 0, 20);
    x->nlmsg_len = 17; x->nlmsg_type = RTM_GETADDR; x->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP; x->nlmsg_seq = i;
  }
  CHECK(sendto(s, m, 2000, 0, (struct sockaddr *)&kernel, sizeof kernel) == 2000, "send 100: %s", strerror(errno));
  int got = drain(s);
  CHECK(got > 0 && got <= 2 * 8192 + 4096, "100 dumps: %d bytes queued", got);
  /* Bad addresses and pointers. */
  struct sockaddr_nl bad = { .nl_family = AF_INET };
  errno = 0;
  CHECK(sendto(s, m, 20, 0, (struct sockaddr *)&bad, sizeof bad) < 0 && errno == EINVAL, "sendto a non-netlink address: %s", strerror(errno));
  errno = 0;
  CHECK(sendto(s, m, 20, 0, (struct sockaddr *)&kernel, 4) < 0 && errno == EINVAL, "a short address: %s", strerror(errno));
  errno = 0;
  CHECK(sendto(s, (void *)8, 20, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0 && errno == EFAULT, "a bad buffer: %s", strerror(errno));
  errno = 0;
  CHECK(bind(s, (struct sockaddr *)8, sizeof kernel) < 0 && errno == EFAULT, "bind a bad address: %s", strerror(errno));
  struct sockaddr_nl to1 = { .nl_family = AF_NETLINK, .nl_pid = 12345 };
  errno = 0;
  CHECK(bind(s, (struct sockaddr *)&to1, sizeof to1) < 0 && errno == EINVAL, "rebinding an autobound socket elsewhere: %s", strerror(errno));
  errno = 0;
  CHECK(sendto(s, m, 20, 0, (struct sockaddr *)&to1, sizeof to1) < 0 && errno == ECONNREFUSED, "to a port nobody has: %s", strerror(errno));
  /* A tiny receive buffer truncates: MSG_TRUNC gives the real length. */
  memset(m, 0, 64);
  h->nlmsg_len = 17; h->nlmsg_type = RTM_GETLINK; h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  rcv = 65536;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  CHECK(sendto(s, m, 17, 0, (struct sockaddr *)&kernel, sizeof kernel) == 17, "send dump");
  char tiny[4];
  int n = recv(s, tiny, sizeof tiny, MSG_TRUNC);
  CHECK(n > 20, "MSG_TRUNC length %d", n);
  drain(s);
  errno = 0;
  CHECK(recv(s, (void *)8, 100, MSG_DONTWAIT) < 0, "recv into a bad buffer fails");

  /* mq_notify SIGEV_THREAD to a socket closed before the notification fires. */
  struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 8 };
  mq_unlink("/secnl");
  mqd_t q = mq_open("/secnl", O_RDWR | O_CREAT, 0600, &a);
  CHECK(q >= 0, "mq_open: %s", strerror(errno));
  int t = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  char cookie[32] = { 1 };
  struct { union sigval v; int signo; int notify; char pad[48]; } ev = { .v.sival_ptr = cookie, .signo = t, .notify = SIGEV_THREAD };
  CHECK(syscall(SYS_mq_notify, q, &ev) == 0, "raw SIGEV_THREAD: %s", strerror(errno));
  close(t);
  CHECK(mq_send(q, "x", 1, 0) == 0, "send after the socket closed: %s", strerror(errno));
  mq_close(q);
  mq_unlink("/secnl");
  printf("sec_netlink: %s (%d failures)\n", fails ? "FAILED" : "ok", fails);
  return fails ? 1 : 0;
}
