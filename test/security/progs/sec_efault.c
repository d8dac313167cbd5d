/* EFAULT semantics of read and write on streams (issue 6): a read into a
   bad buffer fails with EFAULT and leaves the bytes in the pipe or FIFO
   (Linux copies before it consumes); read/write with a count that reaches
   past the user half (SIZE_MAX) is EFAULT before anything is read, written
   or consumed (access_ok); readv with a bad first buffer likewise.
   Runs under qemu-riscv64 too (the cross-check) - except the part after
   "tsix-only", run when argv[1] is "tsix": an eventfd's counter and a tty's
   typed line survive an EFAULT read. (Real Linux consumes those two before
   its copy fails; tsix, like qemu-user, checks the buffer first.) */
#include "../../kernel/fs/progs/t.h"
#include <fcntl.h>
#include <unistd.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>

/* The count is passed as it is: glibc's wrappers take size_t. */
static long avail(int fd) {
  int n = -1;
  if (ioctl(fd, FIONREAD, &n) != 0) return -1;
  return n;
}

/* Each way to read into a bad buffer fails with EFAULT and consumes nothing. */
#define BAD(expr) do { ERR(expr, EFAULT); long _n = avail(rd); if (_n != before) { printf("FAIL %s:%d: %s: %s consumed %ld bytes\n", __FILE__, __LINE__, what, #expr, before - _n); fails++; before = _n; } } while (0)

static void bad_reads(int rd, const char *what, char *unmapped, char *ro) {
  char buf[64];
  long before = avail(rd);
  CHECK(before == 5);
  BAD(read(rd, unmapped, 5));
  BAD(read(rd, ro, 5));
  BAD(read(rd, (char *)16, 5));
  BAD(read(rd, buf, SIZE_MAX));
  BAD(read(rd, buf, (size_t)1 << 62));
  struct iovec iov[2] = {{unmapped, 5}, {buf, sizeof buf}};
  BAD(readv(rd, iov, 2));
  struct iovec huge[1] = {{buf, (size_t)1 << 62}};
  BAD(readv(rd, huge, 1));
  memset(buf, 0, sizeof buf);
  CHECK(read(rd, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
}

int main(int argc, char **argv) {
  prog_name = "sec_efault";
  int tsix_only = argc > 1 && strcmp(argv[1], "tsix") == 0;
  const char *base = getenv("TESTDIR") ? getenv("TESTDIR") : "/tmp";
  char *unmapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(unmapped != MAP_FAILED && ro != MAP_FAILED);
  CHECK(munmap(unmapped, 4096) == 0);

  /* An anonymous pipe. */
  /* A count past the user half, alone: EFAULT, not the data (access_ok). */
  int q[2];
  char small[16];
  CHECK(pipe2(q, O_NONBLOCK) == 0);
  CHECK(write(q[1], "hello", 5) == 5);
  ERR(read(q[0], small, SIZE_MAX), EFAULT);
  CHECK(avail(q[0]) == 5);
  close(q[0]);
  close(q[1]);

  /* Non-blocking: on a kernel that lost the bytes, the reads that follow fail at once instead of waiting. */
  int p[2];
  CHECK(pipe2(p, O_NONBLOCK) == 0);
  CHECK(write(p[1], "hello", 5) == 5);
  bad_reads(p[0], "pipe", unmapped, ro);

  /* A write with a count past the user half writes nothing. */
  char src[16] = "0123456789";
  ERR(write(p[1], src, SIZE_MAX), EFAULT);
  ERR(write(p[1], src, (size_t)1 << 62), EFAULT);
  CHECK(avail(p[0]) == 0);
  /* A bad buffer with a count that stays in the user half: EFAULT, nothing written. */
  ERR(write(p[1], unmapped, 5), EFAULT);
  CHECK(avail(p[0]) == 0);
  close(p[0]);
  close(p[1]);

  /* A FIFO. */
  char path[512];
  snprintf(path, sizeof path, "%s/sec_efault.fifo", base);
  unlink(path);
  CHECK(mkfifo(path, 0600) == 0);
  int f = open(path, O_RDWR | O_NONBLOCK);
  CHECK(f >= 0);
  CHECK(write(f, "hello", 5) == 5);
  bad_reads(f, "fifo", unmapped, ro);
  close(f);
  unlink(path);

  if (tsix_only) {
    /* eventfd: the counter is not lost to a bad buffer. */
    int e = eventfd(7, EFD_NONBLOCK);
    CHECK(e >= 0);
    ERR(read(e, unmapped, 8), EFAULT);
    ERR(read(e, ro, 8), EFAULT);
    uint64_t v = 0;
    CHECK(read(e, &v, 8) == 8 && v == 7);
    close(e);

    /* The console tty: the test typed "typed\n" before this program ran. */
    int t = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
    CHECK(t >= 0);
    char line[32] = {0};
    ERR(read(t, unmapped, 10), EFAULT);
    ERR(read(t, ro, 10), EFAULT);
    ERR(read(t, line, SIZE_MAX), EFAULT);
    CHECK(read(t, line, sizeof line) == 6 && memcmp(line, "typed\n", 6) == 0);
    close(t);
  }
  DONE();
}
