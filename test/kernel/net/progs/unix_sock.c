/* AF_UNIX sockets, checked against Linux's behaviour (the same program runs
   under tsix and under qemu-riscv64 on the host kernel): socketpair for the
   three types, message boundaries, MSG_PEEK/DONTWAIT/TRUNC/WAITALL/NOSIGNAL,
   shutdown, EPIPE/SIGPIPE, ECONNRESET, path and abstract names, autobind,
   listen/connect/accept4, getsockname/getpeername, SCM_RIGHTS (with
   MSG_CTRUNC and descriptors closed while in flight), SCM_CREDENTIALS,
   SO_PEERCRED, socket options, poll/select/epoll readiness, blocking (a
   datagram sender asleep on a full receive queue, or polling it for
   POLLOUT, is woken by a read). */
#include "../../fs/progs/t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int sigpipes;
static int under_qemu; /* argv[1] == "qemu" */
static void on_pipe(int s) { (void)s; sigpipes++; }

static socklen_t mkaddr(struct sockaddr_un *a, const char *path, int abstract) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  size_t n = strlen(path);
  if (abstract) { memcpy(a->sun_path + 1, path, n); return offsetof(struct sockaddr_un, sun_path) + 1 + n; }
  memcpy(a->sun_path, path, n);
  return offsetof(struct sockaddr_un, sun_path) + n + 1;
}

static int getint(int fd, int opt) {
  int v = -1; socklen_t l = sizeof v;
  if (getsockopt(fd, SOL_SOCKET, opt, &v, &l) < 0) return -1000 - errno;
  return v;
}

/* The /proc/net/unix line of the socket whose name is `name` ("@..." for abstract): "Flags Type St Inode" checked. */
static int proc_net_unix(const char *name, unsigned flags, int type, int st, unsigned long ino) {
  FILE *f = fopen("/proc/net/unix", "r");
  if (!f) return -1;
  char line[512], want[300];
  int found = 0;
  snprintf(want, sizeof want, " %s\n", name);
  if (!fgets(line, sizeof line, f) || strcmp(line, "Num       RefCount Protocol Flags    Type St Inode Path\n") != 0) found = -2;
  while (found == 0 && fgets(line, sizeof line, f)) {
    size_t n = strlen(line), w = strlen(want);
    if (n < w || strcmp(line + n - w, want) != 0) continue;
    unsigned rc, proto, fl, ty, s; unsigned long in;
    char num[32];
    if (sscanf(line, "%31[0-9a-f]: %X %X %X %X %X %lu", num, &rc, &proto, &fl, &ty, &s, &in) != 7) { found = -3; break; }
    if (strlen(num) == 16 && proto == 0 && fl == flags && (int)ty == type && (int)s == st && in == ino) found = 1; /* several sockets may share a name (a listener and its accepted ones) */
  }
  fclose(f);
  return found;
}

static void test_pair(void) {
  int sv[2];
  char buf[64];
  OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  struct stat st;
  OK(fstat(sv[0], &st));
  CHECK(S_ISSOCK(st.st_mode));
  CHECK(getint(sv[0], SO_TYPE) == SOCK_STREAM);
  CHECK(getint(sv[0], SO_DOMAIN) == AF_UNIX);
  CHECK(getint(sv[0], SO_ACCEPTCONN) == 0);
  CHECK(getint(sv[0], SO_ERROR) == 0);
  struct sockaddr_un a; socklen_t al = sizeof a;
  OK(getsockname(sv[0], (struct sockaddr *)&a, &al));
  CHECK(al == 2 && a.sun_family == AF_UNIX);
  CHECK(write(sv[0], "hello", 5) == 5);
  CHECK(write(sv[0], " world", 6) == 6);
  int n = -1;
  OK(ioctl(sv[1], FIONREAD, &n));
  CHECK(n == 11);
  CHECK(recv(sv[1], buf, 3, MSG_PEEK) == 3 && memcmp(buf, "hel", 3) == 0);
  CHECK(read(sv[1], buf, sizeof buf) == 11 && memcmp(buf, "hello world", 11) == 0); /* a stream joins writes */
  ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
  CHECK(write(sv[1], "back", 4) == 4);
  CHECK(read(sv[0], buf, sizeof buf) == 4);
  /* shutdown: the peer reads end of file; sending after SHUT_WR is EPIPE */
  OK(shutdown(sv[0], SHUT_WR));
  CHECK(read(sv[1], buf, sizeof buf) == 0);
  ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
  ERR(shutdown(sv[0], 7), EINVAL);
  close(sv[0]); close(sv[1]);

  /* datagrams and seqpackets keep message boundaries; a short read loses the rest */
  int types[2] = { SOCK_DGRAM, SOCK_SEQPACKET };
  for (int i = 0; i < 2; i++) {
    OK(socketpair(AF_UNIX, types[i] | SOCK_CLOEXEC, 0, sv));
    CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC);
    CHECK(getint(sv[1], SO_TYPE) == types[i]);
    CHECK(send(sv[0], "ab", 2, 0) == 2);
    CHECK(send(sv[0], "cde", 3, 0) == 3);
    CHECK(send(sv[0], "fghij", 5, 0) == 5);
    CHECK(recv(sv[1], buf, sizeof buf, 0) == 2);
    CHECK(recv(sv[1], buf, sizeof buf, 0) == 3 && memcmp(buf, "cde", 3) == 0);
    CHECK(recv(sv[1], buf, 2, MSG_TRUNC) == 5); /* MSG_TRUNC: the real length */
    CHECK(send(sv[0], "klmno", 5, 0) == 5);
    struct iovec iov = { buf, 2 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    CHECK(recvmsg(sv[1], &m, 0) == 2 && (m.msg_flags & MSG_TRUNC));
    ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    close(sv[0]);
    if (types[i] == SOCK_SEQPACKET) CHECK(recv(sv[1], buf, sizeof buf, 0) == 0);
    else ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    close(sv[1]);
  }
  ERR(socketpair(AF_UNIX, 9, 0, sv), ESOCKTNOSUPPORT);
  ERR(socketpair(AF_UNIX, SOCK_STREAM, 7, sv), EPROTONOSUPPORT);
  int p[2];
  OK(pipe(p));
  ERR(getint(p[0], SO_TYPE) + 1000 == 0 ? -1 : (errno = -(getint(p[0], SO_TYPE) + 1000), -1), ENOTSOCK);
  close(p[0]); close(p[1]);
}

static void test_pipe_errors(void) {
  int sv[2];
  char buf[16];
  signal(SIGPIPE, on_pipe);
  OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  close(sv[1]);
  ERR(write(sv[0], "x", 1), EPIPE);
  CHECK(sigpipes == 1);
  ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
  CHECK(sigpipes == 1);
  CHECK(read(sv[0], buf, sizeof buf) == 0);
  close(sv[0]);
  /* the peer closes with unread data: ECONNRESET once, then end of file */
  OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  CHECK(write(sv[0], "unread", 6) == 6);
  close(sv[1]);
  ERR(read(sv[0], buf, sizeof buf), ECONNRESET);
  CHECK(read(sv[0], buf, sizeof buf) == 0);
  close(sv[0]);
  signal(SIGPIPE, SIG_DFL);
}

static void test_names(void) {
  char path[64], buf[64];
  snprintf(path, sizeof path, "sock.%d", getpid());
  struct sockaddr_un a, b;
  socklen_t al = mkaddr(&a, path, 0);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(l >= 0);
  int c0 = socket(AF_UNIX, SOCK_STREAM, 0);
  ERR(connect(c0, (struct sockaddr *)&a, al), ENOENT);
  OK(bind(l, (struct sockaddr *)&a, al));
  ERR(bind(l, (struct sockaddr *)&a, al), EADDRINUSE); /* the name is checked first */
  { struct sockaddr_un o; socklen_t ol = mkaddr(&o, "other-name", 0); ERR(bind(l, (struct sockaddr *)&o, ol), EINVAL); unlink("other-name"); }
  struct stat st;
  OK(stat(path, &st));
  CHECK(S_ISSOCK(st.st_mode));
  int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
  ERR(bind(l2, (struct sockaddr *)&a, al), EADDRINUSE);
  ERR(connect(c0, (struct sockaddr *)&a, al), ECONNREFUSED); /* bound, not listening */
  ERR(accept(l, NULL, NULL), EINVAL);
  int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
  ERR(listen(dg, 1), EOPNOTSUPP);
  OK(listen(l, 4));
  CHECK(getint(l, SO_ACCEPTCONN) == 1);
  OK(fstat(l, &st));
  CHECK(proc_net_unix(path, 0x10000, SOCK_STREAM, 1, st.st_ino) == 1);
  ERR(connect(dg, (struct sockaddr *)&a, al), EPROTOTYPE);
  socklen_t bl = sizeof b;
  OK(getsockname(l, (struct sockaddr *)&b, &bl));
  CHECK(bl == al && strcmp(b.sun_path, path) == 0);
  struct pollfd pf = { l, POLLIN, 0 };
  CHECK(poll(&pf, 1, 0) == 0);
  pid_t child = fork();
  if (child == 0) {
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, al) < 0) _exit(10);
    struct sockaddr_un pa; socklen_t pl = sizeof pa;
    if (getpeername(c, (struct sockaddr *)&pa, &pl) < 0 || pl != al || strcmp(pa.sun_path, path) != 0) _exit(11);
    if (write(c, "hello", 5) != 5) _exit(12);
    char r[8];
    struct sockaddr_un fa; socklen_t fal = sizeof fa;
    if (recvfrom(c, r, sizeof r, 0, (struct sockaddr *)&fa, &fal) != 3 || memcmp(r, "bye", 3) != 0) _exit(13);
    if (fal != al || strcmp(fa.sun_path, path) != 0) _exit(14); /* a stream's sender is the accepted socket, named like the listener */
    _exit(0);
  }
  CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN)); /* a waiting connection makes the listener readable */
  bl = sizeof b;
  int s = accept4(l, (struct sockaddr *)&b, &bl, SOCK_CLOEXEC);
  CHECK(s >= 0);
  CHECK(bl == 2); /* the client is unnamed */
  CHECK(fcntl(s, F_GETFD) == FD_CLOEXEC);
  struct ucred uc; socklen_t ul = sizeof uc;
  OK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &ul));
  CHECK(ul == sizeof uc && uc.pid == child && uc.uid == geteuid());
  CHECK(read(s, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
  CHECK(write(s, "bye", 3) == 3);
  int st2;
  waitpid(child, &st2, 0);
  CHECK(WIFEXITED(st2) && WEXITSTATUS(st2) == 0);
  close(s);
  close(l);
  ERR(connect(c0, (struct sockaddr *)&a, al), ECONNREFUSED); /* the name stays; nobody listens */
  OK(unlink(path));
  close(c0); close(l2); close(dg);

  /* abstract names: no file; the length is exact */
  char name[32];
  snprintf(name, sizeof name, "tsix-test-%d", getpid());
  al = mkaddr(&a, name, 1);
  l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
  OK(bind(l, (struct sockaddr *)&a, al));
  l2 = socket(AF_UNIX, SOCK_SEQPACKET, 0);
  ERR(bind(l2, (struct sockaddr *)&a, al), EADDRINUSE);
  OK(listen(l, 1));
  ERR(accept(l, NULL, NULL), EAGAIN);
  int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
  OK(connect(c, (struct sockaddr *)&a, al));
  ERR(connect(c, (struct sockaddr *)&a, al), EISCONN);
  s = accept(l, NULL, NULL);
  CHECK(s >= 0);
  { char at[40]; snprintf(at, sizeof at, "@%s", name); OK(fstat(s, &st)); CHECK(proc_net_unix(at, 0, SOCK_SEQPACKET, 3, st.st_ino) == 1); }
  bl = sizeof b;
  OK(getsockname(s, (struct sockaddr *)&b, &bl));
  CHECK(bl == al && b.sun_path[0] == 0 && memcmp(b.sun_path + 1, name, strlen(name)) == 0);
  CHECK(send(c, "one", 3, 0) == 3 && send(c, "two!", 4, 0) == 4);
  CHECK(recv(s, buf, sizeof buf, 0) == 3 && recv(s, buf, sizeof buf, 0) == 4);
  close(s); close(c); close(l); close(l2);

  /* autobind: bind with only the family gives a 5-hex-digit abstract name */
  int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
  a.sun_family = AF_UNIX;
  OK(bind(ab, (struct sockaddr *)&a, sizeof(sa_family_t)));
  bl = sizeof b;
  OK(getsockname(ab, (struct sockaddr *)&b, &bl));
  CHECK(bl == offsetof(struct sockaddr_un, sun_path) + 6 && b.sun_path[0] == 0);
  /* datagrams to a name, and the sender's name from recvfrom */
  int d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
  snprintf(name, sizeof name, "tsix-dg-%d", getpid());
  socklen_t dl = mkaddr(&a, name, 1);
  OK(bind(d2, (struct sockaddr *)&a, dl));
  CHECK(sendto(ab, "dg", 2, 0, (struct sockaddr *)&a, dl) == 2);
  struct sockaddr_un from; socklen_t fl = sizeof from;
  CHECK(recvfrom(d2, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) == 2);
  CHECK(fl == bl && memcmp(&from, &b, bl) == 0);
  ERR(send(d2, "x", 1, 0), ENOTCONN);
  close(ab); close(d2);
}

static void send_fds(int s, const int *fds, int n, const char *data) {
  char cbuf[CMSG_SPACE(sizeof(int) * 4)];
  memset(cbuf, 0, sizeof cbuf);
  struct iovec iov = { (void *)data, strlen(data) };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int) * n);
  memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
  CHECK(sendmsg(s, &m, 0) == (ssize_t)strlen(data));
}

static void test_rights(void) {
  int sv[2], p[2];
  char buf[16];
  OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  OK(pipe(p));
  send_fds(sv[0], &p[0], 1, "F");
  close(p[0]);
  CHECK(write(p[1], "via", 3) == 3);
  char cbuf[CMSG_SPACE(sizeof(int) * 4)];
  struct iovec iov = { buf, sizeof buf };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  CHECK(recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC) == 1 && buf[0] == 'F');
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  CHECK(c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)));
  CHECK(m.msg_controllen == CMSG_SPACE(sizeof(int)) && !(m.msg_flags & MSG_CTRUNC));
  int got = -1;
  if (c) memcpy(&got, CMSG_DATA(c), sizeof got);
  CHECK(got >= 0 && fcntl(got, F_GETFD) == FD_CLOEXEC);
  CHECK(read(got, buf, sizeof buf) == 3 && memcmp(buf, "via", 3) == 0);
  close(got);

  /* no room for every descriptor: MSG_CTRUNC, the rest are closed (CMSG_SPACE's padding holds a second int) */
  int three[3] = { p[1], p[1], p[1] };
  send_fds(sv[0], three, 3, "G");
  char small[CMSG_SPACE(sizeof(int))];
  m.msg_control = small; m.msg_controllen = sizeof small; m.msg_flags = 0;
  CHECK(recvmsg(sv[1], &m, 0) == 1);
  /* qemu-user reads into a larger host control buffer and loses MSG_CTRUNC: checked on tsix only */
  if (!under_qemu) CHECK(m.msg_flags & MSG_CTRUNC);
  c = CMSG_FIRSTHDR(&m);
  CHECK(c && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(2 * sizeof(int)));
  if (c) { int g2[2]; memcpy(g2, CMSG_DATA(c), sizeof g2); CHECK(g2[0] >= 0 && g2[1] > g2[0]); close(g2[0]); close(g2[1]); }
  /* a bad descriptor fails the whole send */
  int bad = 999;
  struct iovec iov2 = { "x", 1 };
  char cb2[CMSG_SPACE(sizeof(int))];
  struct msghdr m2 = { .msg_iov = &iov2, .msg_iovlen = 1, .msg_control = cb2, .msg_controllen = sizeof cb2 };
  c = CMSG_FIRSTHDR(&m2);
  c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &bad, sizeof bad);
  ERR(sendmsg(sv[0], &m2, 0), EBADF);

  /* descriptors in flight are closed with the socket that holds them: the pipe's last writer goes */
  OK(pipe(p));
  send_fds(sv[0], &p[1], 1, "H");
  close(p[1]);
  close(sv[0]); close(sv[1]);
  CHECK(read(p[0], buf, sizeof buf) == 0);
  close(p[0]);
}

static void test_creds(void) {
  int sv[2], on = 1;
  char buf[8];
  OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
  OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
  CHECK(getint(sv[1], SO_PASSCRED) == 1);
  CHECK(send(sv[0], "c", 1, 0) == 1);
  char cbuf[CMSG_SPACE(sizeof(struct ucred))];
  struct iovec iov = { buf, sizeof buf };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  CHECK(recvmsg(sv[1], &m, 0) == 1);
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  CHECK(c && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len == CMSG_LEN(sizeof(struct ucred)));
  struct ucred u = { 0, 0, 0 };
  if (c) memcpy(&u, CMSG_DATA(c), sizeof u);
  CHECK(u.pid == getpid() && u.uid == getuid() && u.gid == getgid());
  struct ucred pc; socklen_t pl = sizeof pc;
  OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &pc, &pl));
  CHECK(pc.pid == getpid());
  /* buffer sizes: Linux doubles what is asked */
  int v = 4096;
  OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
  CHECK(getint(sv[0], SO_SNDBUF) == 8192);
  OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
  CHECK(getint(sv[0], SO_RCVBUF) == 8192);
  ERR(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, 2), EINVAL);
  close(sv[0]); close(sv[1]);
}

static void test_ready(void) {
  int sv[2];
  char buf[4096];
  OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  struct pollfd pf = { sv[0], POLLIN | POLLOUT | POLLRDHUP, 0 };
  CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT);
  CHECK(write(sv[1], "z", 1) == 1);
  CHECK(poll(&pf, 1, 0) == 1 && pf.revents == (POLLIN | POLLOUT));
  fd_set rs; FD_ZERO(&rs); FD_SET(sv[0], &rs);
  struct timeval tv = { 0, 0 };
  CHECK(select(sv[0] + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(sv[0], &rs));
  int ep = epoll_create1(0);
  struct epoll_event ev = { .events = EPOLLIN, .data.fd = sv[0] }, out;
  OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev));
  CHECK(epoll_wait(ep, &out, 1, 0) == 1 && (out.events & EPOLLIN));
  CHECK(read(sv[0], buf, 1) == 1);
  CHECK(epoll_wait(ep, &out, 1, 0) == 0);
  /* blocking: a reader sleeps until a child writes; epoll wakes too */
  pid_t child = fork();
  if (child == 0) { usleep(50000); if (write(sv[1], "late", 4) != 4) _exit(1); usleep(50000); if (write(sv[1], "more", 4) != 4) _exit(1); _exit(0); }
  CHECK(epoll_wait(ep, &out, 1, 5000) == 1);
  CHECK(recv(sv[0], buf, 8, MSG_WAITALL) == 8 && memcmp(buf, "latemore", 8) == 0);
  waitpid(child, NULL, 0);
  close(ep);
  /* the peer shuts its writing side: POLLRDHUP; it closes: POLLHUP */
  OK(shutdown(sv[1], SHUT_WR));
  CHECK(poll(&pf, 1, 0) == 1 && pf.revents == (POLLIN | POLLOUT | POLLRDHUP));
  close(sv[1]);
  pf.events = POLLIN | POLLRDHUP;
  CHECK(poll(&pf, 1, 0) == 1 && pf.revents == (POLLIN | POLLRDHUP | POLLHUP));
  close(sv[0]);
  /* a full send buffer: EAGAIN without blocking, and no POLLOUT */
  OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
  long total = 0, n;
  memset(buf, 'q', sizeof buf);
  while ((n = write(sv[0], buf, sizeof buf)) > 0) total += n;
  CHECK(n == -1 && errno == EAGAIN && total > 0);
  pf.fd = sv[0]; pf.events = POLLOUT;
  CHECK(poll(&pf, 1, 0) == 0);
  long got = 0;
  while ((n = read(sv[1], buf, sizeof buf)) > 0) got += n;
  CHECK(got == total);
  CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT);
  /* an unconnected stream socket polls as hung up */
  int u = socket(AF_UNIX, SOCK_STREAM, 0);
  pf.fd = u; pf.events = POLLIN | POLLOUT;
  CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP));
  ERR(read(u, buf, 1), EINVAL);
  ERR(write(u, buf, 1), ENOTCONN);
  close(u); close(sv[0]); close(sv[1]);
}

/* A datagram sender blocked on a receiver's full queue (net.unix.max_dgram_qlen) is woken when the receiver reads:
   the child sends 2000 one-byte datagrams to a bound socket, the parent only reads them (poll with a timeout, so a
   sender that is never woken shows as a count short of 2000 instead of a hang). */
static void test_dgram_full(void) {
  enum { N = 2000 };
  char name[64], buf[16];
  struct sockaddr_un a;
  snprintf(name, sizeof name, "tsix-dgfull-%d", getpid());
  socklen_t al = mkaddr(&a, name, 1);
  int r = socket(AF_UNIX, SOCK_DGRAM, 0);
  OK(bind(r, (struct sockaddr *)&a, al));
  pid_t child = fork();
  if (child == 0) {
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    for (int i = 0; i < N; i++) {
      char c = (char)i;
      if (sendto(s, &c, 1, 0, (struct sockaddr *)&a, al) != 1) _exit(1);
    }
    _exit(0);
  }
  usleep(50000); /* the sender fills the queue and sleeps on it */
  int got = 0, wrong = 0;
  for (; got < N; got++) {
    struct pollfd pf = { r, POLLIN, 0 };
    if (poll(&pf, 1, 3000) != 1) break;
    if (recv(r, buf, sizeof buf, 0) != 1) break;
    if (buf[0] != (char)got) wrong++;
  }
  int st = -1;
  if (got != N) kill(child, SIGKILL); /* still asleep on the queue: it would never finish */
  waitpid(child, &st, 0);
  CHECK(got == N && wrong == 0);
  if (got != N) printf("dgram full queue: got %d of %d datagrams\n", got, N);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  close(r);
}

/* poll, select and epoll for POLLOUT on a connected datagram sender whose
   receiver's queue another socket filled: the receiver's read makes room,
   and that must wake the waiting poller (Linux hangs it on the receiver's
   peer_wait). The sender's own buffer is empty, so no wake-up of its own
   socket (room in its send buffer) could stand in for that one. */
static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void test_dgram_pollout(int how) {
  char name[64], buf[16];
  struct sockaddr_un a;
  snprintf(name, sizeof name, "tsix-dgpoll-%d-%d", getpid(), how);
  socklen_t al = mkaddr(&a, name, 1);
  int r = socket(AF_UNIX, SOCK_DGRAM, 0);
  OK(bind(r, (struct sockaddr *)&a, al));
  int fill = socket(AF_UNIX, SOCK_DGRAM, 0);
  int sent = 0;
  char c = 'x';
  while (sent < 100000 && sendto(fill, &c, 1, MSG_DONTWAIT, (struct sockaddr *)&a, al) == 1) sent++;
  CHECK(sent > 0 && sent < 100000 && errno == EAGAIN);
  int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  OK(connect(s, (struct sockaddr *)&a, al));
  CHECK(send(s, &c, 1, 0) == -1 && errno == EAGAIN);
  struct pollfd pf0 = { s, POLLOUT, 0 };
  CHECK(poll(&pf0, 1, 0) == 0); /* full: not writable */
  pid_t child = fork();
  if (child == 0) {
    usleep(100000);
    _exit(recv(r, buf, sizeof buf, 0) == 1 ? 0 : 1);
  }
  long t0 = now_ms();
  int ready = -1;
  if (how == 0) {
    struct pollfd pf = { s, POLLOUT, 0 };
    ready = poll(&pf, 1, 5000) == 1 && (pf.revents & POLLOUT);
  } else if (how == 1) {
    fd_set w;
    FD_ZERO(&w);
    FD_SET(s, &w);
    struct timeval tv = { 5, 0 };
    ready = select(s + 1, NULL, &w, NULL, &tv) == 1 && FD_ISSET(s, &w);
  } else {
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLOUT, .data.fd = s }, out;
    OK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
    ready = epoll_wait(ep, &out, 1, 5000) == 1 && (out.events & EPOLLOUT);
    close(ep);
  }
  long waited = now_ms() - t0;
  int st = -1;
  waitpid(child, &st, 0);
  CHECK(ready == 1);
  CHECK(waited < 2500); /* woken by the read at ~100 ms, not by the 5 s timeout */
  if (ready != 1 || waited >= 2500) printf("dgram POLLOUT (%s): ready %d after %ld ms\n", how == 0 ? "poll" : how == 1 ? "select" : "epoll", ready, waited);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  CHECK(send(s, &c, 1, 0) == 1);
  close(fill);
  close(s);
  close(r);
}

/* max_dgram_qlen (10 by default) bounds a receiver's queue only against
   senders it is not connected back to: the two ends of a datagram
   socketpair queue up to their send buffer. */
static void test_dgram_pair_qlen(void) {
  int sv[2];
  OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
  int n = 0;
  char c = 'q';
  while (n < 100 && send(sv[0], &c, 1, MSG_DONTWAIT) == 1) n++;
  CHECK(n == 100);
  if (n != 100) printf("dgram socketpair: %d datagrams queued before %s\n", n, strerror(errno));
  close(sv[0]);
  close(sv[1]);
}

int main(int argc, char **argv) {
  prog_name = "unix_sock";
  under_qemu = argc > 1 && strcmp(argv[1], "qemu") == 0;
  setvbuf(stdout, NULL, _IONBF, 0);
  test_pair();
  test_pipe_errors();
  test_names();
  test_rights();
  test_creds();
  test_ready();
  test_dgram_full();
  for (int how = 0; how < 3; how++) test_dgram_pollout(how);
  test_dgram_pair_qlen();
  DONE();
}
