// Pipe reads and writes that go straight between user pages and the ring
// (fs/pipe.ts pipeReadUser/pipeWriteUser): a buffer whose second page is
// unmapped moves its first page and stops there, as Linux's pipe_write and
// pipe_read do (EFAULT only when no byte moved); what a bad read buffer
// could not take stays in the pipe; PIPE_BUF atomicity, a small ring
// (F_SETPIPE_SZ), iovecs that cross pages, and data integrity.
// (qemu-user checks a whole buffer before the host kernel sees it, so the
// partial cases are checked against Linux's pipe.c, not under qemu.)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  long pg = 4096;
  char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(two + pg, pg); // page 2 is gone
  memset(two, 'a', pg);
  int p[2];
  pipe2(p, O_NONBLOCK);
  printf("write half-bad: %zd\n", write(p[1], two, 2 * pg));
  int n; ioctl(p[0], FIONREAD, &n);
  printf("buffered: %d\n", n);
  printf("write bad first page: %zd %s\n", write(p[1], two + pg, 16), strerrorname_np(errno));
  // read 8192 into a buffer whose second page is unmapped: 4096 come, the rest stays
  char big[8192]; memset(big, 'b', sizeof big);
  write(p[1], big, sizeof big);
  char tmp[4096]; read(p[0], tmp, sizeof tmp); // drop the 'a's
  printf("read half-bad: %zd\n", read(p[0], two, 2 * pg));
  ioctl(p[0], FIONREAD, &n);
  printf("left in pipe: %d, first byte %c\n", n, two[0]);
  printf("read bad buffer: %zd %s\n", read(p[0], two + pg, 16), strerrorname_np(errno));
  ioctl(p[0], FIONREAD, &n);
  printf("still left: %d\n", n);
  while (read(p[0], tmp, sizeof tmp) > 0) {}
  // PIPE_BUF atomicity: 4096 bytes need 4096 free
  char fill[65536]; memset(fill, 'c', sizeof fill);
  printf("fill: %zd\n", write(p[1], fill, 65535));
  printf("atomic 4096 into 1 free: %zd %s\n", write(p[1], fill, 4096), strerrorname_np(errno));
  printf("non-atomic 5000 into 1 free: %zd\n", write(p[1], fill, 5000));
  while (read(p[0], tmp, sizeof tmp) > 0) {}
  // a one-page ring
  printf("setpipe: %d\n", fcntl(p[1], F_SETPIPE_SZ, 4096));
  printf("write 8192 into 4096: %zd\n", write(p[1], fill, 8192));
  while (read(p[0], tmp, sizeof tmp) > 0) {}
  fcntl(p[1], F_SETPIPE_SZ, 65536);
  // iovecs crossing pages, odd sizes, data checked byte for byte
  static char src[3 * 4096 + 123], dst[3 * 4096 + 123];
  for (size_t i = 0; i < sizeof src; i++) src[i] = (char)(i * 7 + 3);
  struct iovec wv[3] = { { src, 1000 }, { src + 1000, 5000 }, { src + 6000, sizeof src - 6000 } };
  printf("writev: %zd\n", writev(p[1], wv, 3));
  struct iovec rv[2] = { { dst, 4097 }, { dst + 4097, sizeof dst - 4097 } };
  printf("readv: %zd\n", readv(p[0], rv, 2));
  printf("data intact: %d\n", memcmp(src, dst, sizeof src) == 0);
  // many rounds through the ring (wrap-around), each checked
  int bad = 0;
  for (int r = 0; r < 200; r++) {
    size_t len = 1 + (r * 997) % sizeof src;
    for (size_t i = 0; i < len; i++) src[i] = (char)(r + i);
    if (write(p[1], src, len) != (ssize_t)len) bad++;
    if (read(p[0], dst, len) != (ssize_t)len || memcmp(src, dst, len)) bad++;
  }
  printf("wrap-around rounds bad: %d\n", bad);
  printf("pipe_direct: done\n");
  return 0;
}
