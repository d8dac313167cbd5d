/* Regular files on tmpfs through the syscalls: create, read, write, seek,
   truncate, O_APPEND/O_EXCL/O_TRUNC, pread/pwrite, readv/writev, holes,
   unlink while open, dup/dup3/fcntl, fstat fields, sendfile, fallocate. */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/sendfile.h>
#include <sys/types.h>

static char buf[70000];

int main(void) {
  prog_name = "fs_files";
  const char *dir = getenv("TESTDIR") ? getenv("TESTDIR") : "/tmp";
  char p[256], q[256];
  snprintf(p, sizeof p, "%s/f1", dir);
  snprintf(q, sizeof q, "%s/f2", dir);
  unlink(p); unlink(q);

  /* create, write, read back */
  int fd = open(p, O_RDWR | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "hello world", 11) == 11);
  CHECK(lseek(fd, 0, SEEK_CUR) == 11);
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  memset(buf, 0, 64);
  CHECK(read(fd, buf, 64) == 11);
  CHECK(memcmp(buf, "hello world", 11) == 0);
  CHECK(read(fd, buf, 64) == 0);
  ERR(open(p, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);

  struct stat st;
  CHECK(fstat(fd, &st) == 0);
  CHECK(S_ISREG(st.st_mode));
  CHECK((st.st_mode & 07777) == (0644 & ~022));
  CHECK(st.st_size == 11);
  CHECK(st.st_nlink == 1);
  CHECK(st.st_blksize == 4096);

  /* seek past the end makes a hole that reads as zeros */
  CHECK(lseek(fd, 10000, SEEK_SET) == 10000);
  CHECK(write(fd, "X", 1) == 1);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 10001);
  CHECK(pread(fd, buf, 100, 5000) == 100);
  int zeros = 1;
  for (int i = 0; i < 100; i++) if (buf[i]) zeros = 0;
  CHECK(zeros);
  CHECK(lseek(fd, -1, SEEK_END) == 10000);
  CHECK(read(fd, buf, 10) == 1 && buf[0] == 'X');
  ERR(lseek(fd, -20000, SEEK_END), EINVAL);
  ERR(lseek(fd, 0, 42), EINVAL);
  CHECK(lseek(fd, 0, SEEK_DATA) == 0);
  ERR(lseek(fd, 20000, SEEK_DATA), ENXIO);

  /* pwrite does not move the offset */
  off_t before = lseek(fd, 0, SEEK_CUR);
  CHECK(pwrite(fd, "ABC", 3, 2) == 3);
  CHECK(lseek(fd, 0, SEEK_CUR) == before);
  CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "heABC", 5) == 0);
  ERR(pread(fd, buf, 5, -1), EINVAL);

  /* truncate shrinks (data gone) and grows (zeros) */
  CHECK(ftruncate(fd, 4) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
  CHECK(ftruncate(fd, 8192) == 0);
  CHECK(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "heAB\0\0\0\0\0\0", 10) == 0);
  CHECK(truncate(p, 2) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 2);
  ERR(ftruncate(fd, -1), EINVAL);
  close(fd);

  /* O_TRUNC and O_APPEND */
  fd = open(p, O_WRONLY | O_TRUNC);
  CHECK(fd >= 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 0);
  CHECK(write(fd, "12345", 5) == 5);
  close(fd);
  fd = open(p, O_WRONLY | O_APPEND);
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  CHECK(write(fd, "678", 3) == 3);
  CHECK(lseek(fd, 0, SEEK_CUR) == 8);
  ERR(read(fd, buf, 1), EBADF);
  CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY);
  CHECK(fcntl(fd, F_GETFL) & O_APPEND);
  CHECK(fcntl(fd, F_SETFL, 0) == 0);
  CHECK(!(fcntl(fd, F_GETFL) & O_APPEND));
  close(fd);
  fd = open(p, O_RDONLY);
  CHECK(read(fd, buf, 100) == 8 && memcmp(buf, "12345678", 8) == 0);
  ERR(write(fd, "x", 1), EBADF);
  close(fd);

  /* big writes and reads (more than a page, more than a pipe) */
  fd = open(q, O_RDWR | O_CREAT | O_TRUNC, 0600);
  for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (char)(i * 7);
  CHECK(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf);
  memset(buf, 0, sizeof buf);
  CHECK(pread(fd, buf, sizeof buf, 0) == (ssize_t)sizeof buf);
  int same = 1;
  for (int i = 0; i < (int)sizeof buf; i++) if (buf[i] != (char)(i * 7)) { same = 0; break; }
  CHECK(same);

  /* readv / writev */
  struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  CHECK(writev(fd, iov, 3) == 5);
  char a[2], b[4];
  struct iovec riov[2] = { { a, 2 }, { b, 4 } };
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  CHECK(readv(fd, riov, 2) == 6);
  CHECK(memcmp(a, "ab", 2) == 0 && memcmp(b, "cde", 3) == 0);
  CHECK(pwritev(fd, iov, 3, 100) == 5);
  CHECK(preadv(fd, riov, 2, 100) == 6 && memcmp(a, "ab", 2) == 0);
  volatile int many = 5000;
  ERR(readv(fd, riov, many), EINVAL);

  /* dup shares the offset; dup3 and fcntl flags */
  int d = dup(fd);
  CHECK(d > fd);
  CHECK(lseek(fd, 42, SEEK_SET) == 42);
  CHECK(lseek(d, 0, SEEK_CUR) == 42);
  CHECK(fcntl(d, F_GETFD) == 0);
  CHECK(dup3(fd, 20, O_CLOEXEC) == 20);
  CHECK(fcntl(20, F_GETFD) == FD_CLOEXEC);
  CHECK(fcntl(20, F_SETFD, 0) == 0 && fcntl(20, F_GETFD) == 0);
  ERR(dup3(fd, fd, 0), EINVAL);
  ERR(dup3(fd, 21, 12345), EINVAL);
  ERR(dup3(99, 21, 0), EBADF);
  CHECK(dup2(fd, fd) == fd);
  int d2 = fcntl(fd, F_DUPFD, 30);
  CHECK(d2 == 30);
  int d3 = fcntl(fd, F_DUPFD_CLOEXEC, 30);
  CHECK(d3 == 31 && fcntl(d3, F_GETFD) == FD_CLOEXEC);
  close(d); close(20); close(30); close(31);
  ERR(close(30), EBADF);
  ERR(fcntl(30, F_GETFD), EBADF);
  ERR(fcntl(fd, 9999), EINVAL);

  /* unlink while open: the data lives until the last close */
  CHECK(unlink(q) == 0);
  ERR(access(q, F_OK), ENOENT);
  CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0);
  CHECK(pread(fd, buf, 2, 0) == 2 && memcmp(buf, "ab", 2) == 0);
  CHECK(write(fd, "more", 4) == 4);
  close(fd);

  /* sendfile from a file to a file */
  fd = open(p, O_RDONLY);
  int out = open(q, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  off_t off = 2;
  CHECK(sendfile(out, fd, &off, 100) == 6);
  CHECK(off == 8);
  CHECK(lseek(fd, 0, SEEK_CUR) == 0);
  CHECK(sendfile(out, fd, NULL, 3) == 3);
  CHECK(lseek(fd, 0, SEEK_CUR) == 3);
  close(out);
  out = open(q, O_RDONLY);
  CHECK(read(out, buf, 100) == 9 && memcmp(buf, "345678123", 9) == 0);
  close(out); close(fd);

  /* fallocate extends; fstat of a directory; O_DIRECTORY */
  fd = open(q, O_RDWR);
  CHECK(fallocate(fd, 0, 0, 20000) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 20000);
  CHECK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 50000) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 20000);
  ERR(fallocate(fd, 0, 0, 0), EINVAL);
  close(fd);
  ERR(open(q, O_RDONLY | O_DIRECTORY), ENOTDIR);
  ERR(open(dir, O_WRONLY), EISDIR);
  fd = open(dir, O_RDONLY | O_DIRECTORY);
  CHECK(fd >= 0);
  ERR(read(fd, buf, 10), EISDIR);
  close(fd);
  ERR(open("/nonexistent/x", O_RDONLY), ENOENT);
  unlink(p); unlink(q);
  DONE();
}
