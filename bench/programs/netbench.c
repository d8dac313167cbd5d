/* netbench: socket throughput and round-trip latency (bench/net.ts).
 *   netbench stream pipe|unix|tcp MB   a child writes MB MiB, the parent reads -> "stream-KIND X MB/s"
 *   netbench rtt pipe|unix|tcp N       N one-byte round trips parent <-> child -> "rtt-KIND X us"
 *   netbench msg unix|tcp MB           as stream, with sendmsg/recvmsg over two 32 KiB iovecs -> "msg-KIND X MB/s"
 * tcp is a connection over 127.0.0.1 (an ephemeral listener port); unix a
 * socketpair(AF_UNIX, SOCK_STREAM); pipe two pipes, for scale.
 * Built static with the riscv64 cross compiler (-O2). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Two connected descriptors pairs: a[0] (parent) talks to b[0] (child); for pipes a[0]/a[1] read/write ends differ. */
static int make(const char *kind, int *par_r, int *par_w, int *ch_r, int *ch_w) {
  if (strcmp(kind, "pipe") == 0) {
    int p1[2], p2[2];
    if (pipe(p1) || pipe(p2)) return -1;
    *ch_w = p1[1]; *par_r = p1[0]; *par_w = p2[1]; *ch_r = p2[0];
    return 0;
  }
  int sv[2];
  if (strcmp(kind, "unix") == 0) {
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return -1;
  } else {
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &al)) return -1;
    sv[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(sv[0], (struct sockaddr *)&a, sizeof a)) return -1;
    sv[1] = accept(l, NULL, NULL);
    close(l);
    setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  *par_r = *par_w = sv[0];
  *ch_r = *ch_w = sv[1];
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: netbench stream|rtt pipe|unix|tcp N\n"); return 2; }
  const char *kind = argv[2];
  long n = atol(argv[3]);
  int pr, pw, cr, cw;
  if (make(kind, &pr, &pw, &cr, &cw)) { perror("netbench: setup"); return 1; }
  if (strcmp(argv[1], "stream") == 0 || strcmp(argv[1], "msg") == 0) {
    int msg = strcmp(argv[1], "msg") == 0;
    enum { CHUNK = 64 * 1024 };
    static char buf[CHUNK];
    long total = n * 1024 * 1024;
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
      // Each side closes the ends it does not use, as a shell pipeline does: the writer then holds its end alone,
      // which a pipe's and a socket's reader need to take a sleeping writer's bytes straight (fs/pipe.ts, net/handoff.ts).
      close(pr);
      if (pw != pr) close(pw);
      if (cr != cw) close(cr);
      memset(buf, 'x', sizeof buf);
      for (long left = total; left > 0;) {
        long len = left < CHUNK ? left : CHUNK;
        struct iovec v[2] = { { buf, len / 2 }, { buf + len / 2, len - len / 2 } };
        struct msghdr m = { .msg_iov = v, .msg_iovlen = 2 };
        ssize_t w = msg ? sendmsg(cw, &m, 0) : write(cw, buf, len);
        if (w <= 0) _exit(1);
        left -= w;
      }
      _exit(0);
    }
    close(cw);
    if (cr != cw) close(cr);
    if (pw != pr) close(pw);
    long got = 0;
    while (got < total) {
      struct iovec v[2] = { { buf, CHUNK / 2 }, { buf + CHUNK / 2, CHUNK / 2 } };
      struct msghdr m = { .msg_iov = v, .msg_iovlen = 2 };
      ssize_t r = msg ? recvmsg(pr, &m, 0) : read(pr, buf, sizeof buf);
      if (r <= 0) { fprintf(stderr, "netbench: short read\n"); return 1; }
      got += r;
    }
    int st;
    waitpid(pid, &st, 0);
    double t = now() - t0;
    printf("%s-%s %.1f MB/s\n", msg ? "msg" : "stream", kind, total / t / 1e6);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
  }
  char c = 'x';
  pid_t pid = fork();
  if (pid == 0) {
    for (long i = 0; i < n; i++) {
      if (read(cr, &c, 1) != 1 || write(cw, &c, 1) != 1) _exit(1);
    }
    _exit(0);
  }
  double t0 = now();
  for (long i = 0; i < n; i++) {
    if (write(pw, &c, 1) != 1 || read(pr, &c, 1) != 1) { fprintf(stderr, "netbench: rtt failed\n"); return 1; }
  }
  double t = now() - t0;
  int st;
  waitpid(pid, &st, 0);
  printf("rtt-%s %.2f us\n", kind, t / n * 1e6);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
