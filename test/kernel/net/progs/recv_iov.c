/* recvmsg/sendmsg on stream sockets straight between the iovecs and the
 * socket's queue (kernel/syscalls/socket.ts doSend/doRecv), for argv[1]
 * "unix" (socketpair) or "tcp" (127.0.0.1). Checks, as Linux behaves:
 *   - a recvmsg whose second iovec is not mapped loses nothing: unix
 *     returns the message that fits the first iovec and leaves the next one
 *     queued (tcp may say EFAULT and consume nothing); the next recvs get
 *     every byte in order;
 *   - MSG_PEEK leaves the bytes; recvmsg over three iovecs fills them in
 *     order; MSG_WAITALL waits for the whole buffer across several writes;
 *   - send with MSG_NOSIGNAL to a closed peer is EPIPE without SIGPIPE;
 *     without it, SIGPIPE.
 * Prints "recv_iov: ok (0 failures)" at the end. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %d: ", __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static volatile sig_atomic_t pipes;
static void on_pipe(int s) { (void)s; pipes++; }

static void pair(const char *kind, int sv[2]) {
  if (strcmp(kind, "unix") == 0) {
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) { perror("socketpair"); exit(1); }
    return;
  }
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t al = sizeof a;
  if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &al)) { perror("listen"); exit(1); }
  sv[0] = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(sv[0], (struct sockaddr *)&a, sizeof a)) { perror("connect"); exit(1); }
  sv[1] = accept(l, NULL, NULL);
  close(l);
}

int main(int argc, char **argv) {
  const char *kind = argc > 1 ? argv[1] : "unix";
  signal(SIGPIPE, on_pipe);
  /* An address that is not mapped: a page mapped, then unmapped. */
  char *hole = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(hole, 4096);
  int sv[2];
  pair(kind, sv);

  /* Two messages; the first fits iov[0], the second would go to the hole. */
  CHECK(send(sv[0], "abcd", 4, 0) == 4, "send abcd");
  CHECK(send(sv[0], "efgh", 4, 0) == 4, "send efgh");
  usleep(10000); /* both queued (tcp on loopback is immediate here, but be sure) */
  char a[4] = {0};
  struct iovec iv[2] = { { a, 4 }, { hole, 4 } };
  struct msghdr m = { .msg_iov = iv, .msg_iovlen = 2 };
  ssize_t n = recvmsg(sv[1], &m, 0);
  /* unix: the first message fits iov[0] and is returned; tcp may have merged the two (Linux then says EFAULT and consumes nothing). */
  if (strcmp(kind, "unix") == 0) CHECK(n == 4, "recvmsg with a bad second iovec: %zd (%s)", n, n < 0 ? strerror(errno) : "");
  else CHECK(n == 4 || (n == -1 && errno == EFAULT), "recvmsg with a bad second iovec: %zd (%s)", n, n < 0 ? strerror(errno) : "");
  char all[16] = {0};
  size_t have = 0;
  if (n > 0) { memcpy(all, a, n); have = n; }
  char b[16];
  while (have < 8) {
    ssize_t r = recv(sv[1], b, sizeof b, MSG_DONTWAIT);
    if (r <= 0) break;
    memcpy(all + have, b, r);
    have += r;
  }
  CHECK(have == 8 && memcmp(all, "abcdefgh", 8) == 0, "nothing lost: %zu bytes '%.8s'", have, all);

  /* MSG_PEEK keeps the bytes; three iovecs fill in order. */
  CHECK(send(sv[0], "0123456789", 10, 0) == 10, "send 10");
  char p[10] = {0};
  n = recv(sv[1], p, 4, MSG_PEEK);
  CHECK(n == 4 && memcmp(p, "0123", 4) == 0, "peek: %zd '%.4s'", n, p);
  char x[3], y[3], z[4];
  struct iovec v3[3] = { { x, 3 }, { y, 3 }, { z, 4 } };
  struct msghdr m3 = { .msg_iov = v3, .msg_iovlen = 3 };
  n = recvmsg(sv[1], &m3, 0);
  CHECK(n == 10 && memcmp(x, "012", 3) == 0 && memcmp(y, "345", 3) == 0 && memcmp(z, "6789", 4) == 0,
        "three iovecs: %zd '%.3s' '%.3s' '%.4s'", n, x, y, z);
  CHECK(m3.msg_flags == 0, "msg_flags %d", m3.msg_flags);

  /* MSG_WAITALL across several writes of a child. */
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 4; i++) { usleep(20000); if (write(sv[0], "WAIT", 4) != 4) _exit(1); }
    _exit(0);
  }
  char w[16] = {0};
  struct iovec vw[2] = { { w, 6 }, { w + 6, 10 } };
  struct msghdr mw = { .msg_iov = vw, .msg_iovlen = 2 };
  n = recvmsg(sv[1], &mw, MSG_WAITALL);
  CHECK(n == 16 && memcmp(w, "WAITWAITWAITWAIT", 16) == 0, "MSG_WAITALL: %zd '%.16s'", n, w);
  int st;
  waitpid(pid, &st, 0);

  /* A closed peer: EPIPE; SIGPIPE unless MSG_NOSIGNAL. */
  close(sv[1]);
  usleep(10000);
  int before = pipes;
  n = send(sv[0], "z", 1, MSG_NOSIGNAL);
  if (n == 1) n = send(sv[0], "z", 1, MSG_NOSIGNAL); /* tcp: the first send after the peer's close may still go (RST comes back) */
  CHECK(n == -1 && errno == EPIPE && pipes == before, "MSG_NOSIGNAL: %zd (%s), %d SIGPIPE", n, strerror(errno), pipes - before);
  n = send(sv[0], "z", 1, 0);
  CHECK(n == -1 && errno == EPIPE && pipes == before + 1, "no flag: %zd (%s), %d SIGPIPE", n, strerror(errno), pipes - before);

  printf("recv_iov: %s (%d failures)\n", fails ? "FAILED" : "ok", fails);
  return fails != 0;
}
