/* Stream sockets through read(2)/write(2) (issue 11, socket speed: the
 * kernel copies straight between the user's pages and the queued messages,
 * and reuses the buffers of messages that were read): every byte arrives
 * once and in order, over AF_UNIX and TCP loopback, while the writer queues
 * several messages ahead and the reader takes odd-sized pieces of them; and
 * a bad buffer loses no byte. Prints "ok" lines and "sock_stream: ok" at the
 * end, or FAIL lines. The expectations are Linux's (run under qemu-riscv64
 * too). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static unsigned char pattern(unsigned long i) { return (unsigned char)(i * 131 + (i >> 9) * 7 + 1); }

static unsigned long rnd = 12345;
static unsigned long next(unsigned long mod) { rnd = rnd * 6364136223846793005UL + 1442695040888963407UL; return (rnd >> 33) % mod; }

static int pair(const char *kind, int sv[2]) {
  if (strcmp(kind, "unix") == 0) return socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t al = sizeof a;
  if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &al)) return -1;
  sv[0] = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(sv[0], (struct sockaddr *)&a, sizeof a)) return -1;
  sv[1] = accept(l, NULL, NULL);
  close(l);
  return sv[1] < 0 ? -1 : 0;
}

/* The child writes TOTAL bytes of the pattern in pieces of 1..200000 bytes; the parent reads pieces of 1..150000 and checks each byte. */
static void stream(const char *kind) {
  enum { TOTAL = 6 << 20 };
  int sv[2];
  if (pair(kind, sv) != 0) { CHECK(0, "%s: no socket pair: %s", kind, strerror(errno)); return; }
  static unsigned char buf[200000];
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[1]);
    unsigned long at = 0;
    while (at < TOTAL) {
      unsigned long n = 1 + next(200000);
      if (n > TOTAL - at) n = TOTAL - at;
      for (unsigned long i = 0; i < n; i++) buf[i] = pattern(at + i);
      unsigned long off = 0;
      while (off < n) {
        ssize_t w = write(sv[0], buf + off, n - off);
        if (w <= 0) _exit(1);
        off += w;
      }
      at += n;
    }
    _exit(0);
  }
  close(sv[0]);
  unsigned long at = 0, bad = 0;
  for (;;) {
    ssize_t r = read(sv[1], buf, 1 + next(150000));
    if (r < 0) { CHECK(0, "%s: read: %s", kind, strerror(errno)); break; }
    if (r == 0) break;
    for (ssize_t i = 0; i < r; i++) if (buf[i] != pattern(at + i) && bad++ == 0) CHECK(0, "%s: byte %lu is %d, not %d", kind, at + i, buf[i], pattern(at + i));
    at += r;
  }
  int st;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: writer status %#x", kind, st);
  CHECK(at == TOTAL && bad == 0, "%s: %lu bytes of %d, %lu wrong", kind, at, TOTAL, bad);
  if (at == TOTAL && bad == 0) printf("ok %s stream: %d bytes in order\n", kind, TOTAL);
  close(sv[1]);
}

/* A buffer whose second page is PROT_NONE: a write of both pages queues nothing (EFAULT); a read into it loses no byte. */
static void bad_buffer(const char *kind) {
  int sv[2];
  if (pair(kind, sv) != 0) { CHECK(0, "%s: no socket pair", kind); return; }
  unsigned char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < 4096; i++) m[i] = pattern(i);
  mprotect(m + 4096, 4096, PROT_NONE);
  errno = 0;
  ssize_t w = write(sv[0], m, 8192);
  int avail = -1;
  ioctl(sv[1], FIONREAD, &avail);
  CHECK(w == -1 && errno == EFAULT && avail == 0, "%s: write of a half-bad buffer: %zd (%s), %d bytes queued", kind, w, strerror(errno), avail);
  static unsigned char good[8192];
  for (int i = 0; i < 8192; i++) good[i] = pattern(i);
  CHECK(write(sv[0], good, 8192) == 8192, "%s: write 8192", kind);
  /* Linux fails the read of a message it cannot copy whole (EFAULT, nothing consumed); any short count must leave the rest queued. */
  ssize_t r1 = read(sv[1], m, 8192);
  CHECK(r1 == 4096 || (r1 == -1 && errno == EFAULT), "%s: read into a half-bad buffer: %zd (%s)", kind, r1, strerror(errno));
  unsigned long got = r1 > 0 ? (unsigned long)r1 : 0, wrong = 0;
  for (unsigned long i = 0; i < got; i++) if (m[i] != pattern(i)) wrong++;
  static unsigned char rest[8192];
  ssize_t r2 = read(sv[1], rest, sizeof rest);
  for (ssize_t i = 0; i < r2; i++) if (rest[i] != pattern(got + i)) wrong++;
  CHECK(r2 > 0 && got + r2 == 8192 && wrong == 0, "%s: after the bad read: %zd more bytes, %lu wrong", kind, r2, wrong);
  if (w == -1 && avail == 0 && got + (r2 > 0 ? r2 : 0) == 8192 && wrong == 0) printf("ok %s: a bad buffer queues nothing and loses nothing\n", kind);
  close(sv[0]);
  close(sv[1]);
  munmap(m, 8192);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGPIPE, SIG_IGN);
  stream("unix");
  stream("tcp");
  bad_buffer("unix");
  bad_buffer("tcp");
  printf("sock_stream: %s (%d failures)\n", failures ? "FAILED" : "ok", failures);
  return failures != 0;
}
