/* No syscall can freeze the machine (issue 6).
     sec_freeze eventfd [tsix]  - eventfd moves exactly 8 bytes: a 16 MiB read
                                  returns 8, a 16 MiB write is EINVAL at once
                                  (any count but 8, as Linux 6.9+); EINVAL for
                                  0xffffffffffffffff; EFD_SEMAPHORE; EAGAIN; a
                                  write that would overflow blocks until a
                                  read; writev takes 8 bytes per iovec.
                                  "tsix" adds what qemu-user cannot show: a
                                  read writes only the 8 bytes it returns.
     sec_freeze ticks TARGET [MIB] - a task writes 1 GiB (or MIB MiB) in one write() to TARGET
                                  (null: /dev/null, pipe: a pipe a child drains,
                                  tmpfs: a file in $TESTDIR) while another task
                                  busy-loops printing a tick every 5 ms; prints
                                  "ticks during the write: N".
     sec_freeze kill            - a child writes 1 GiB to /dev/null; the parent
                                  sleeps 20 ms, kills it with SIGKILL and reaps
                                  it; prints how long that took and whether the
                                  write had finished.
   The 1 GiB buffer is one 1 MiB file mapped 1024 times (MAP_SHARED), so it
   costs a MiB of memory. */
#include "../../kernel/fs/progs/t.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define GIB (1UL << 30)
#define UNIT (1UL << 20)

static const char *base;

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A readable buffer of `size` bytes (a multiple of UNIT): one file, mapped again and again. */
static char *big_buffer(size_t size) {
  char path[512];
  snprintf(path, sizeof path, "%s/sec_freeze.XXXXXX", base);
  int fd = mkstemp(path);
  if (fd < 0) { perror("mkstemp"); exit(2); }
  unlink(path);
  static char unit[UNIT];
  for (size_t i = 0; i < UNIT; i++) unit[i] = (char)('a' + i % 26);
  if (write(fd, unit, UNIT) != (ssize_t)UNIT) { perror("write"); exit(2); }
  char *b = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (b == MAP_FAILED) { perror("mmap"); exit(2); }
  for (size_t off = 0; off < size; off += UNIT)
    if (mmap(b + off, UNIT, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) { perror("mmap fixed"); exit(2); }
  close(fd);
  return b;
}

static int eventfd_semantics(int tsix) {
  static char big[16 << 20];
  uint64_t v;
  int e = eventfd(0, EFD_NONBLOCK);
  CHECK(e >= 0);
  /* A write is exactly 8 bytes (Linux 6.9 on: EINVAL for any other count, a huge one
     included - once a machine freeze here); a read of 8 bytes or more gives 8. */
  v = 5;
  memcpy(big, &v, 8);
  ERR(write(e, big, sizeof big), EINVAL);
  ERR(write(e, big, 16), EINVAL);
  ERR(write(e, big, 7), EINVAL);
  ERR(write(e, big, 0), EINVAL);
  ERR(read(e, big, sizeof big), EAGAIN);
  CHECK(write(e, big, 8) == 8);
  memset(big, 0, 16);
  CHECK(read(e, big, sizeof big) == 8 && memcmp(big, &v, 8) == 0);
  ERR(read(e, big, sizeof big), EAGAIN);
  ERR(read(e, big, 7), EINVAL);
  v = UINT64_MAX;
  ERR(write(e, &v, 8), EINVAL);
  /* The counter sums; read resets it. */
  v = 2; CHECK(write(e, &v, 8) == 8);
  v = 3; CHECK(write(e, &v, 8) == 8);
  v = 0; CHECK(read(e, &v, 8) == 8 && v == 5);
  /* Overflow: the largest value fits, one more would block (EAGAIN here). */
  v = UINT64_MAX - 1; CHECK(write(e, &v, 8) == 8);
  v = 1; ERR(write(e, &v, 8), EAGAIN);
  v = 0; CHECK(write(e, &v, 8) == 8);
  CHECK(read(e, &v, 8) == 8 && v == UINT64_MAX - 1);
  /* writev: one 8-byte record per iovec (a bad length after a good one ends it); readv: one record. */
  uint64_t a = 4, b = 6;
  struct iovec iov[2] = {{&a, 8}, {&b, 8}};
  CHECK(writev(e, iov, 2) == 16);
  CHECK(read(e, &v, 8) == 8 && v == 10);
  struct iovec iov2[2] = {{&a, 8}, {big, 16 << 20}};
  CHECK(writev(e, iov2, 2) == 8);
  struct iovec iov3[1] = {{big, 16 << 20}};
  ERR(writev(e, iov3, 1), EINVAL);
  CHECK(writev(e, iov, 1) == 8);
  uint64_t r1 = 0, r2 = 0;
  struct iovec riov[2] = {{&r1, 8}, {&r2, 8}};
  CHECK(readv(e, riov, 2) == 8 && r1 == 8 && r2 == 0);
  close(e);

  /* EFD_SEMAPHORE: each read takes 1. */
  e = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  CHECK(e >= 0);
  CHECK(read(e, &v, 8) == 8 && v == 1);
  CHECK(read(e, &v, 8) == 8 && v == 1);
  ERR(read(e, &v, 8), EAGAIN);
  close(e);

  /* Blocking: a writer that would overflow waits for a reader; a reader waits for a writer. */
  e = eventfd(0, 0);
  CHECK(e >= 0);
  v = UINT64_MAX - 1;
  CHECK(write(e, &v, 8) == 8);
  pid_t pid = fork();
  if (pid == 0) {
    uint64_t one = 1;
    _exit(write(e, &one, 8) == 8 ? 0 : 1); /* blocks until the parent reads */
  }
  usleep(20000);
  int st;
  CHECK(waitpid(pid, &st, WNOHANG) == 0); /* still blocked */
  CHECK(read(e, &v, 8) == 8 && v == UINT64_MAX - 1);
  CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  CHECK(read(e, &v, 8) == 8 && v == 1);
  pid = fork();
  if (pid == 0) {
    usleep(20000);
    uint64_t seven = 7;
    _exit(write(e, &seven, 8) == 8 ? 0 : 1);
  }
  v = 0;
  CHECK(read(e, &v, 8) == 8 && v == 7); /* blocked until the child wrote */
  CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  close(e);

  if (tsix) {
    /* Linux writes only the 8 bytes it returns (access_ok checks the range, not the mapping):
       a 1 MiB read into a buffer mapped for its first 8 bytes only works. (1 MiB: the
       mapping is near the top of the user half, and access_ok refuses a range past it.)
       (qemu-user checks the whole range first and says EFAULT.) */
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED && munmap(m + 4096, 4096) == 0);
    e = eventfd(9, EFD_NONBLOCK);
    v = 9;
    CHECK(read(e, m + 4096 - 8, 1 << 20) == 8 && memcmp(m + 4096 - 8, &v, 8) == 0);
    close(e);
  }
  DONE();
}

/* Busy: mostly arithmetic (a clock read every ~100k instructions), so that it is the CPU it wants. */
static void printer(void) {
  long t0 = now_ms(), last = t0;
  for (;;) {
    for (volatile int i = 0; i < 20000; i++) {}
    long t = now_ms();
    if (t - last >= 5) {
      last = t;
      dprintf(1, "tick %ld\n", t - t0);
    }
  }
}

static int ticks(const char *target, size_t size) {
  char *buf = big_buffer(size);
  int fd = -1;
  pid_t drain = -1;
  if (strcmp(target, "null") == 0) {
    fd = open("/dev/null", O_WRONLY);
  } else if (strcmp(target, "tmpfs") == 0) {
    char path[512];
    snprintf(path, sizeof path, "%s/sec_freeze.big", base);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    unlink(path);
  } else if (strcmp(target, "pipe") == 0) {
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 2; }
    drain = fork();
    if (drain == 0) {
      close(p[1]);
      static char rb[1 << 16];
      long got = 0;
      ssize_t n;
      while ((n = read(p[0], rb, sizeof rb)) > 0) got += n;
      dprintf(1, "drained %ld\n", got);
      _exit(got == (long)size ? 0 : 1);
    }
    close(p[0]);
    fd = p[1];
  }
  if (fd < 0) { printf("bad target %s\n", target); return 2; }
  pid_t tick = fork();
  if (tick == 0) printer();
  usleep(30000); /* the printer is going */
  dprintf(1, "write start\n");
  long t0 = now_ms();
  ssize_t n = write(fd, buf, size);
  long ms = now_ms() - t0;
  dprintf(1, "write done %zd in %ld ms\n", n, ms);
  kill(tick, SIGKILL);
  waitpid(tick, NULL, 0);
  close(fd);
  int st = 0;
  if (drain > 0) CHECK(waitpid(drain, &st, 0) == drain && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  CHECK(n == (ssize_t)size);
  DONE();
}

static int killer(void) {
  char *buf = big_buffer(GIB);
  volatile long *res = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  res[0] = -1;
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    ssize_t n = write(fd, buf, GIB);
    res[0] = n;
    _exit(0);
  }
  usleep(20000);
  long t0 = now_ms();
  CHECK(kill(pid, SIGKILL) == 0);
  int st = 0;
  CHECK(waitpid(pid, &st, 0) == pid);
  long ms = now_ms() - t0;
  printf("kill -9 to reaped: %ld ms; killed by signal %d; the write %s\n", ms,
         WIFSIGNALED(st) ? WTERMSIG(st) : 0, res[0] < 0 ? "had not returned" : "had returned");
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
  CHECK(res[0] == -1);
  DONE();
}

int main(int argc, char **argv) {
  prog_name = "sec_freeze";
  setvbuf(stdout, NULL, _IONBF, 0);
  base = getenv("TESTDIR") ? getenv("TESTDIR") : "/tmp";
  if (argc > 1 && strcmp(argv[1], "eventfd") == 0) return eventfd_semantics(argc > 2 && strcmp(argv[2], "tsix") == 0);
  if (argc > 2 && strcmp(argv[1], "ticks") == 0) return ticks(argv[2], argc > 3 ? strtoul(argv[3], NULL, 0) * UNIT : GIB);
  if (argc > 1 && strcmp(argv[1], "kill") == 0) return killer();
  printf("usage: sec_freeze eventfd [tsix] | ticks null|pipe|tmpfs | kill\n");
  return 2;
}
