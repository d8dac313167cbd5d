/* Hostile use of AF_UNIX sockets: bad pointers, forged control messages,
   descriptor cycles, floods of empty messages and huge sends. Every call
   must fail cleanly (or succeed within bounds); the kernel must stay up.
   Prints "sec_unix: ok (0 failures)". */
#include "../../kernel/fs/progs/t.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(void) {
  prog_name = "sec_unix";
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGPIPE, SIG_IGN);
  int sv[2];
  char buf[64];
  void *bad = (void *)16;
  OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
  ERR(sendmsg(sv[0], bad, 0), EFAULT);
  ERR(recvmsg(sv[1], bad, 0), EFAULT);
  ERR(send(sv[0], bad, 10, 0), EFAULT);
  ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, bad), EFAULT);
  ERR(bind(sv[0], bad, 20), EFAULT);
  ERR(connect(sv[0], bad, 20), EFAULT);
  ERR(getsockname(sv[0], bad, bad), EFAULT);
  socklen_t neg = (socklen_t)-1;
  struct sockaddr_un a;
  ERR(getsockname(sv[0], (struct sockaddr *)&a, &neg), EINVAL);
  ERR(bind(sv[0], (struct sockaddr *)&a, 4096), EINVAL);
  /* a datagram larger than the send buffer is refused before anything is copied */
  char *big = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  CHECK(big != MAP_FAILED);
  ERR(send(sv[0], big, 64 << 20, 0), EMSGSIZE);
  /* forged control messages */
  struct iovec iov = { "x", 1 };
  unsigned char cb[64];
  memset(cb, 0, sizeof cb);
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb };
  struct cmsghdr *c = (struct cmsghdr *)cb;
  c->cmsg_len = 1000; c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS;
  ERR(sendmsg(sv[0], &m, 0), EINVAL);
  c->cmsg_len = 4;
  ERR(sendmsg(sv[0], &m, 0), EINVAL);
  c->cmsg_len = CMSG_LEN(sizeof(struct ucred)); c->cmsg_type = SCM_CREDENTIALS;
  struct ucred u = { 1, 0, 0 }; /* someone else's pid */
  memcpy(CMSG_DATA(c), &u, sizeof u);
  m.msg_controllen = CMSG_SPACE(sizeof u);
  if (getuid() != 0) ERR(sendmsg(sv[0], &m, 0), EPERM);
  m.msg_control = bad;
  ERR(sendmsg(sv[0], &m, 0), EFAULT);
  /* received descriptors with an unwritable control buffer: none is left behind */
  int p[2];
  OK(pipe(p));
  m.msg_control = cb; m.msg_controllen = CMSG_SPACE(sizeof(int));
  c->cmsg_len = CMSG_LEN(sizeof(int)); c->cmsg_type = SCM_RIGHTS;
  memcpy(CMSG_DATA(c), &p[1], sizeof(int));
  CHECK(sendmsg(sv[0], &m, 0) == 1);
  close(p[1]);
  struct iovec riov = { buf, sizeof buf };
  struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = (void *)4096, .msg_controllen = 64 };
  errno = 0;
  long r = recvmsg(sv[1], &rm, 0);
  CHECK(r == -1 || r == 1);
  int maxfd = -1;
  for (int fd = 0; fd < 64; fd++) if (fcntl(fd, F_GETFD) >= 0) maxfd = fd;
  CHECK(maxfd <= p[0] || maxfd == sv[1]);
  CHECK(read(p[0], buf, 1) == 0); /* the passed write end was closed with the failed receive */
  close(p[0]);
  /* a cycle: each socket of a pair sent over itself, then closed (Linux's collector frees it; tsix leaks it, but stays up) */
  int cy[2];
  OK(socketpair(AF_UNIX, SOCK_STREAM, 0, cy));
  memcpy(CMSG_DATA(c), &cy[0], sizeof(int));
  m.msg_controllen = CMSG_SPACE(sizeof(int));
  CHECK(sendmsg(cy[1], &m, 0) == 1);
  close(cy[0]); close(cy[1]);
  /* a flood of empty seqpacket messages ends in EAGAIN, not in exhausted memory */
  int sq[2];
  OK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sq));
  long sent = 0;
  while (send(sq[0], "", 0, 0) == 0 && sent < 10000000) sent++;
  CHECK(errno == EAGAIN && sent > 0 && sent < 10000000);
  close(sq[0]); close(sq[1]);
  /* many sockets and close in any order */
  for (int i = 0; i < 200; i++) {
    int x[2];
    if (socketpair(AF_UNIX, i % 2 ? SOCK_STREAM : SOCK_DGRAM, 0, x) < 0) { CHECK(0); break; }
    send(x[0], "abc", 3, MSG_DONTWAIT);
    close(x[i % 2]); close(x[1 - i % 2]);
  }
  close(sv[0]); close(sv[1]);
  DONE();
}
