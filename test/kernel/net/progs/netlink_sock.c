/* AF_NETLINK / NETLINK_ROUTE as programs use it (busybox ip, glibc getifaddrs):
 * socket type and protocol checks, port ids (the process id first, then a
 * negative one; EADDRINUSE for a taken one), getsockname, an RTM_GETLINK
 * dump (every message NLM_F_MULTI with the request's sequence number and our
 * port id, ending in NLMSG_DONE, sent from port 0), acks (NLM_F_ACK on a
 * NLMSG_NOOP: error 0), NLMSG_ERROR with EOPNOTSUPP for an unknown type and
 * EPERM for RTM_NEWADDR without privilege, MSG_PEEK|MSG_TRUNC sizing.
 * (An unknown type's EOPNOTSUPP is checked on tsix only: see below.)
 * argv[1]: the number of interfaces expected ("-" to skip: on the host the
 * count is the host's). argv[2] "tsix": also checks that root's RTM_NEWADDR
 * is EOPNOTSUPP (tsix's interfaces are fixed; Linux would try to add it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %d: ", __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static int nlsock(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  CHECK(fd >= 0, "socket: %s", strerror(errno));
  return fd;
}

static int send_req(int fd, int type, int flags, int seq, int family) {
  struct { struct nlmsghdr h; struct rtgenmsg g; char pad[3]; } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg));
  req.h.nlmsg_type = type;
  req.h.nlmsg_flags = flags;
  req.h.nlmsg_seq = seq;
  req.g.rtgen_family = family;
  struct sockaddr_nl k = { .nl_family = AF_NETLINK };
  return sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof k);
}

/* The error of the NLMSG_ERROR answering seq (1 when none came). */
static int recv_error(int fd, int seq) {
  char buf[8192];
  int n = recv(fd, buf, sizeof buf, 0);
  CHECK(n >= (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)), "error reply length %d (%s)", n, strerror(errno));
  struct nlmsghdr *h = (struct nlmsghdr *)buf;
  CHECK(h->nlmsg_type == NLMSG_ERROR, "type %d, not NLMSG_ERROR", h->nlmsg_type);
  CHECK((int)h->nlmsg_seq == seq, "error seq %u, want %d", h->nlmsg_seq, seq);
  if (h->nlmsg_type != NLMSG_ERROR) return 1;
  struct nlmsgerr *e = NLMSG_DATA(h);
  CHECK((int)e->msg.nlmsg_seq == seq, "the echoed request's seq %u", e->msg.nlmsg_seq);
  return e->error;
}

int main(int argc, char **argv) {
  int want = argc > 1 && strcmp(argv[1], "-") ? atoi(argv[1]) : -1;
  int on_tsix = argc > 2 && !strcmp(argv[2], "tsix");

  errno = 0;
  CHECK(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE) < 0 && errno == ESOCKTNOSUPPORT, "SOCK_STREAM: %s", strerror(errno));
  errno = 0;
  CHECK(socket(AF_NETLINK, SOCK_RAW, 40) < 0 && errno == EPROTONOSUPPORT, "protocol 40: %s", strerror(errno));

  int a = nlsock(), b = nlsock(), c = nlsock();
  int type = 0; socklen_t tl = sizeof type;
  CHECK(getsockopt(a, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type == SOCK_RAW, "SO_TYPE %d", type);
  CHECK(getsockopt(a, SOL_SOCKET, SO_DOMAIN, &type, &tl) == 0 && type == AF_NETLINK, "SO_DOMAIN %d", type);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK }, got;
  socklen_t len = sizeof got;
  CHECK(bind(a, (struct sockaddr *)&sa, sizeof sa) == 0, "bind a: %s", strerror(errno));
  memset(&got, 0xff, sizeof got);
  CHECK(getsockname(a, (struct sockaddr *)&got, &len) == 0, "getsockname: %s", strerror(errno));
  CHECK(len == sizeof(struct sockaddr_nl) && got.nl_family == AF_NETLINK && (pid_t)got.nl_pid == getpid() && got.nl_groups == 0,
        "getsockname: len %u family %d pid %d (getpid %d)", len, got.nl_family, (int)got.nl_pid, (int)getpid());
  CHECK(bind(b, (struct sockaddr *)&sa, sizeof sa) == 0, "bind b: %s", strerror(errno));
  len = sizeof got;
  CHECK(getsockname(b, (struct sockaddr *)&got, &len) == 0 && (int)got.nl_pid < 0, "second port id %d, want negative", (int)got.nl_pid);
  struct sockaddr_nl taken = { .nl_family = AF_NETLINK, .nl_pid = getpid() };
  errno = 0;
  CHECK(bind(c, (struct sockaddr *)&taken, sizeof taken) < 0 && errno == EADDRINUSE, "bind a taken port: %s", strerror(errno));
  struct sockaddr_in6 bad = { 0 };
  bad.sin6_family = AF_INET6;
  errno = 0;
  CHECK(bind(c, (struct sockaddr *)&bad, sizeof bad) < 0 && errno == EINVAL, "bind the wrong family: %s", strerror(errno));

  /* An RTM_GETLINK dump: NLM_F_MULTI messages with our seq and port, then NLMSG_DONE. */
  CHECK(send_req(a, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 42, AF_UNSPEC) == (int)NLMSG_LENGTH(sizeof(struct rtgenmsg)), "send: %s", strerror(errno));
  int links = 0, done = 0, lo = 0;
  while (!done) {
    char buf[16384];
    struct sockaddr_nl from;
    struct iovec iov = { buf, sizeof buf };
    struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1 };
    int peek = recv(a, buf, 1, MSG_PEEK | MSG_TRUNC);
    int n = recvmsg(a, &m, 0);
    CHECK(n > 0 && peek == n, "recvmsg %d, peeked length %d (%s)", n, peek, strerror(errno));
    if (n <= 0) break;
    CHECK(m.msg_namelen == sizeof from && from.nl_family == AF_NETLINK && from.nl_pid == 0, "source: len %u pid %u", m.msg_namelen, from.nl_pid);
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      CHECK(h->nlmsg_seq == 42 && (pid_t)h->nlmsg_pid == getpid() && (h->nlmsg_flags & NLM_F_MULTI), "header seq %u pid %u flags %x", h->nlmsg_seq, h->nlmsg_pid, h->nlmsg_flags);
      if (h->nlmsg_type == NLMSG_DONE) { done = 1; break; }
      CHECK(h->nlmsg_type == RTM_NEWLINK, "type %d in a link dump", h->nlmsg_type);
      struct ifinfomsg *ifi = NLMSG_DATA(h);
      links++;
      int alen = IFLA_PAYLOAD(h);
      for (struct rtattr *at = IFLA_RTA(ifi); RTA_OK(at, alen); at = RTA_NEXT(at, alen))
        if (at->rta_type == IFLA_IFNAME && !strcmp(RTA_DATA(at), "lo")) lo = ifi->ifi_index == 1 && (ifi->ifi_flags & 0x1 /* IFF_UP */);
    }
  }
  CHECK(done && lo, "dump: done %d, lo up as index 1 %d", done, lo);
  if (want >= 0) CHECK(links == want, "%d links, want %d", links, want);

  /* Acks and errors. */
  CHECK(send_req(a, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 5, 0) > 0, "send noop");
  CHECK(recv_error(a, 5) == 0, "NLMSG_NOOP with NLM_F_ACK: an ack (error 0)");
  int e;
  if (on_tsix) {
    /* Linux's rtnetlink_rcv_msg answers a type past RTM_MAX with EOPNOTSUPP; qemu's netlink translation
     * refuses to pass it on (sendto fails), so this runs on tsix only. */
    CHECK(send_req(a, 200, NLM_F_REQUEST | NLM_F_ACK, 6, 0) > 0, "send type 200");
    e = recv_error(a, 6);
    CHECK(e == -EOPNOTSUPP, "type 200: error %d, want -EOPNOTSUPP", e);
    CHECK(send_req(a, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, 7, AF_INET) > 0, "send newaddr");
    e = recv_error(a, 7);
    CHECK(e == -EOPNOTSUPP, "root's RTM_NEWADDR: error %d, want -EOPNOTSUPP", e);
  }
  /* Without privilege, changing an address is EPERM. */
  pid_t p = fork();
  if (p == 0) {
    if (getuid() == 0 && setuid(65534) != 0) _exit(3);
    int u = nlsock();
    send_req(u, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, 8, AF_INET);
    int err = recv_error(u, 8);
    _exit(err == -EPERM && fails == 0 ? 0 : 1);
  }
  int st = 0;
  waitpid(p, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "unprivileged RTM_NEWADDR: not EPERM (status %x)", st);

  printf("netlink_sock: %s (%d failures)\n", fails ? "FAILED" : "ok", fails);
  return fails ? 1 : 0;
}
