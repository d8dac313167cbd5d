// Pipe reads and writes that go straight between user pages and the ring
// (fs/pipe.ts pipeReadUser/pipeWriteUser): a buffer whose second page is
// unmapped moves its first page and stops there, as Linux's pipe_write and
// pipe_read do (EFAULT only when no byte moved); what a bad read buffer
// could not take stays in the pipe; PIPE_BUF atomicity, a small ring
// (F_SETPIPE_SZ), iovecs that cross pages, and data integrity.
// (qemu-user checks a whole buffer before the host kernel sees it, so the
// partial cases are checked against Linux's pipe.c, not under qemu.)
// Then a writer child and a reader that sleeps on the empty pipe: the writer
// hands its bytes straight to the sleeping reader (pipeHandOff), so a reader
// of 64 KiB writes sleeps once per two ring-fulls, and every byte still comes
// once and in order, with irregular sizes and a reader buffer whose pages are
// only partly present.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* The byte at stream offset i of the hand-off checks. */
static unsigned char pat(long i) { return (unsigned char)(i * 31 + 7); }

/* A child writes `total` pattern bytes in writes of the sizes in `wsz` (cycled); returns its pid and the read end. */
static pid_t writer(long total, const long *wsz, int nw, int *rfd) {
  int p[2];
  if (pipe(p)) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    static unsigned char b[70000];
    for (long off = 0, k = 0; off < total; k++) {
      long len = wsz[k % nw];
      if (len > total - off) len = total - off;
      for (long i = 0; i < len; i++) b[i] = pat(off + i);
      for (long w = 0; w < len;) {
        ssize_t r = write(p[1], b + w, len - w);
        if (r <= 0) _exit(1);
        w += r;
      }
      off += len;
    }
    _exit(0);
  }
  close(p[1]);
  *rfd = p[0];
  return pid;
}

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

  // hand-off: 1 MiB in 64 KiB writes to a reader of 64 KiB that sleeps each time the pipe is empty
  static unsigned char rb[65536];
  int rfd, st;
  long w64[1] = { 65536 };
  pid_t pid = writer(1 << 20, w64, 1, &rfd);
  struct rusage a, b;
  getrusage(RUSAGE_SELF, &a);
  long got = 0, wrong = 0;
  for (ssize_t r; (r = read(rfd, rb, sizeof rb)) > 0; got += r)
    for (ssize_t i = 0; i < r; i++) wrong += rb[i] != pat(got + i);
  getrusage(RUSAGE_SELF, &b);
  waitpid(pid, &st, 0);
  close(rfd);
  printf("hand-off 1 MiB: got %ld, wrong %ld, reader slept at most 10 times: %d\n", got, wrong, b.ru_nvcsw - a.ru_nvcsw <= 10);
  // irregular writes (some atomic) and reads
  long wirr[3] = { 4000, 65536 + 123, 1 };
  pid = writer(3 << 20, wirr, 3, &rfd);
  got = 0, wrong = 0;
  for (int k = 0;; k++) {
    ssize_t r = read(rfd, rb, k % 2 ? sizeof rb : 777);
    if (r <= 0) break;
    for (ssize_t i = 0; i < r; i++) wrong += rb[i] != pat(got + i);
    got += r;
  }
  waitpid(pid, &st, 0);
  close(rfd);
  printf("hand-off irregular: got %ld, wrong %ld\n", got, wrong);
  // a read buffer of fresh pages, only the first two touched: the writer fills those, the ring the rest
  pid = writer(1 << 20, w64, 1, &rfd);
  got = 0, wrong = 0;
  for (;;) {
    unsigned char *fresh = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fresh[0] = fresh[4096] = 0;
    ssize_t r = read(rfd, fresh, 65536);
    if (r <= 0) { munmap(fresh, 65536); break; }
    for (ssize_t i = 0; i < r; i++) wrong += fresh[i] != pat(got + i);
    got += r;
    munmap(fresh, 65536);
  }
  waitpid(pid, &st, 0);
  close(rfd);
  printf("hand-off into fresh pages: got %ld, wrong %ld\n", got, wrong);
  printf("pipe_direct: done\n");
  return 0;
}
