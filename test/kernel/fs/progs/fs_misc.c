/* Devices, mappings, mounts and more: /dev/null, zero, full, urandom, tty
   (ENXIO without a terminal), the /dev tree; mmap of a tmpfs file shared
   with read()/write() (the page cache is the file), private mappings,
   mappings outliving unlink; mount -t tmpfs with size=, EXDEV across
   mounts, EBUSY, read-only remount, bind mounts, umount; chroot; close_range;
   close-on-exec across execve; statx; O_TMPFILE; ioctl on files; fsync. */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <linux/close_range.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
  prog_name = "fs_misc";
  if (argc > 1 && !strcmp(argv[1], "exec-check")) {
    /* after execve: fd 5 was close-on-exec, fd 6 was not */
    struct stat st;
    int ok = fstat(5, &st) == -1 && errno == EBADF && fstat(6, &st) == 0;
    return ok ? 0 : 1;
  }
  char buf[8192];
  struct stat st;

  /* the mem devices */
  int fd = open("/dev/null", O_RDWR);
  CHECK(fd >= 0 && read(fd, buf, 10) == 0 && write(fd, "abc", 3) == 3);
  CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
  CHECK(lseek(fd, 100, SEEK_SET) == 0);
  close(fd);
  fd = open("/dev/zero", O_RDONLY);
  memset(buf, 1, 100);
  CHECK(read(fd, buf, 100) == 100 && buf[0] == 0 && buf[99] == 0);
  char *z = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  CHECK(z != MAP_FAILED && z[0] == 0 && z[8191] == 0);
  if (z != MAP_FAILED) { z[10] = 5; CHECK(z[10] == 5); munmap(z, 8192); }
  close(fd);
  fd = open("/dev/full", O_WRONLY);
  ERR(write(fd, "x", 1), ENOSPC);
  close(fd);
  fd = open("/dev/urandom", O_RDONLY);
  memset(buf, 0, 64);
  CHECK(read(fd, buf, 64) == 64);
  int nz = 0;
  for (int i = 0; i < 64; i++) nz += buf[i] != 0;
  CHECK(nz > 32);
  close(fd);
  CHECK(stat("/dev/console", &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 && minor(st.st_rdev) == 1);
  CHECK(stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777);
  CHECK(lstat("/dev/fd", &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(readlink("/dev/stdout", buf, sizeof buf) == 15 && !memcmp(buf, "/proc/self/fd/1", 15));
  CHECK(stat("/dev/pts", &st) == 0 && S_ISDIR(st.st_mode));

  /* a tmpfs file mapped shared: stores show up in read(), writes in the mapping */
  fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(ftruncate(fd, 8192) == 0);
  char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  CHECK(m != MAP_FAILED);
  strcpy(m + 4096, "stored through the mapping");
  CHECK(pread(fd, buf, 26, 4096) == 26 && !memcmp(buf, "stored through the mapping", 26));
  CHECK(pwrite(fd, "written", 7, 100) == 7);
  CHECK(!memcmp(m + 100, "written", 7));
  char *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  CHECK(pm != MAP_FAILED && !memcmp(pm + 100, "written", 7));
  pm[100] = 'W';
  CHECK(m[100] == 'w');
  CHECK(pread(fd, buf, 1, 100) == 1 && buf[0] == 'w');
  /* the file is unlinked and closed: the mapping still holds the pages */
  CHECK(unlink("/tmp/mapped") == 0);
  close(fd);
  CHECK(!memcmp(m + 4096, "stored", 6));
  CHECK(msync(m, 8192, MS_SYNC) == 0);
  munmap(m, 8192);
  munmap(pm, 4096);
  /* mapping a file opened write-only is refused */
  fd = open("/tmp/wo", O_WRONLY | O_CREAT, 0644);
  CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES);
  close(fd);

  /* mounting a tmpfs */
  CHECK(mkdir("/mnt", 0755) == 0 || errno == EEXIST);
  CHECK(mount("none", "/mnt", "tmpfs", 0, "size=64k,mode=0700") == 0);
  struct statfs sf;
  CHECK(statfs("/mnt", &sf) == 0 && sf.f_type == 0x01021994 && sf.f_blocks == 16);
  CHECK(stat("/mnt", &st) == 0 && (st.st_mode & 07777) == 0700);
  fd = open("/mnt/f", O_RDWR | O_CREAT, 0644);
  CHECK(fd >= 0);
  static char big[100000];
  CHECK(write(fd, big, sizeof big) == 65536);
  ERR(write(fd, big, 10), ENOSPC);
  close(fd);
  ERR(rename("/mnt/f", "/tmp/f"), EXDEV);
  ERR(link("/mnt/f", "/tmp/f"), EXDEV);
  CHECK(chdir("/mnt") == 0);
  ERR(umount("/mnt"), EBUSY);
  CHECK(chdir("/") == 0);
  fd = open("/mnt/f", O_RDONLY);
  ERR(umount("/mnt"), EBUSY);
  close(fd);
  ERR(umount("/tmp"), EINVAL);
  /* read-only remount */
  CHECK(mount(NULL, "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
  ERR(open("/mnt/g", O_WRONLY | O_CREAT, 0644), EROFS);
  ERR(open("/mnt/f", O_WRONLY), EROFS);
  ERR(unlink("/mnt/f"), EROFS);
  CHECK(open("/mnt/f", O_RDONLY) >= 0);
  CHECK(mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL) == 0);
  /* a bind mount shows the same files */
  CHECK(mkdir("/bind", 0755) == 0);
  CHECK(mount("/mnt", "/bind", NULL, MS_BIND, NULL) == 0);
  CHECK(stat("/bind/f", &st) == 0 && st.st_size == 65536);
  CHECK(umount("/bind") == 0);
  ERR(stat("/bind/f", &st), ENOENT);
  for (int i = 3; i < 20; i++) close(i);
  CHECK(umount2("/mnt", 0) == 0);
  ERR(stat("/mnt/f", &st), ENOENT);
  ERR(mount("none", "/mnt", "nosuchfs", 0, NULL), ENODEV);

  /* chroot: ".." stops at the new root */
  CHECK(mkdir("/jail", 0755) == 0 && mkdir("/jail/inner", 0755) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    if (chroot("/jail") != 0) _exit(1);
    if (chdir("/") != 0) _exit(2);
    struct stat a, b;
    if (stat("/../../..", &a) != 0 || stat("/", &b) != 0 || a.st_ino != b.st_ino) _exit(3);
    if (stat("/inner", &a) != 0) _exit(4);
    char cwd[256];
    if (chdir("/inner") != 0 || !getcwd(cwd, sizeof cwd) || strcmp(cwd, "/inner")) _exit(5);
    if (stat("/jail", &a) == 0) _exit(6);
    _exit(0);
  }
  int wst;
  CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);

  /* close_range and close-on-exec */
  for (int i = 10; i < 15; i++) CHECK(dup2(0, i) == i);
  CHECK(syscall(SYS_close_range, 10, 12, 0) == 0);
  CHECK(fcntl(10, F_GETFD) == -1 && fcntl(13, F_GETFD) == 0);
  CHECK(syscall(SYS_close_range, 13, ~0U, CLOSE_RANGE_CLOEXEC) == 0);
  CHECK(fcntl(13, F_GETFD) == FD_CLOEXEC && fcntl(14, F_GETFD) == FD_CLOEXEC);
  ERR(syscall(SYS_close_range, 5, 4, 0), EINVAL);
  CHECK(syscall(SYS_close_range, 10, 100, 0) == 0);
  pid = fork();
  if (pid == 0) {
    dup3(1, 5, O_CLOEXEC);
    dup2(1, 6);
    char *args[] = { argv[0], "exec-check", NULL };
    execve(argv[0], args, args + 2);
    _exit(99);
  }
  CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);

  /* memfd_create: an unlinked tmpfs file */
  int mfd = memfd_create("test", MFD_CLOEXEC);
  CHECK(mfd >= 0 && fcntl(mfd, F_GETFD) == FD_CLOEXEC);
  CHECK(write(mfd, "memfd!", 6) == 6);
  CHECK(fstat(mfd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 0 && st.st_size == 6);
  CHECK(ftruncate(mfd, 4096) == 0);
  char *mm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  CHECK(mm != MAP_FAILED && !memcmp(mm, "memfd!", 6));
  if (mm != MAP_FAILED) munmap(mm, 4096);
  CHECK(fcntl(mfd, F_GET_SEALS) == F_SEAL_SEAL);
  if (stat("/proc/self", &st) == 0) {
    char name[64];
    snprintf(name, sizeof name, "/proc/self/fd/%d", mfd);
    memset(buf, 0, sizeof buf);
    CHECK(readlink(name, buf, sizeof buf) > 0 && !strcmp(buf, "/memfd:test (deleted)"));
  }
  close(mfd);

  /* statx */
  struct statx sx;
  CHECK(statx(AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS, &sx) == 0);
  CHECK(S_ISCHR(sx.stx_mode) && sx.stx_rdev_major == 1 && sx.stx_rdev_minor == 3);
  CHECK(statx(AT_FDCWD, "/tmp", 0, STATX_BASIC_STATS, &sx) == 0 && S_ISDIR(sx.stx_mode) && (sx.stx_mask & STATX_INO));

  /* odds and ends */
  ERR(open("/tmp", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP);
  fd = open("/tmp/plain", O_RDWR | O_CREAT, 0644);
  CHECK(write(fd, "12345", 5) == 5 && lseek(fd, 1, SEEK_SET) == 1);
  struct termios tio;
  ERR(ioctl(fd, TCGETS, &tio), ENOTTY);
  int avail = 0;
  CHECK(ioctl(fd, FIONREAD, &avail) == 0 && avail == 4);
  CHECK(ioctl(fd, FIOCLEX) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
  CHECK(ioctl(fd, FIONCLEX) == 0 && fcntl(fd, F_GETFD) == 0);
  int on = 1;
  CHECK(ioctl(fd, FIONBIO, &on) == 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK));
  CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);
  sync();
  CHECK(syncfs(fd) == 0);
  close(fd);
  int p[2];
  CHECK(pipe(p) == 0);
  ERR(fsync(p[0]), EINVAL);
  close(p[0]); close(p[1]);
  ERR(open("/dev/tty", O_RDWR), ENXIO);

  /* /proc/self/fd and /dev/fd are magic links: they reopen the very file (a pipe too) */
  if (stat("/proc/self", &st) == 0) {
    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "via /dev/fd", 11) == 11);
    char name[64];
    snprintf(name, sizeof name, "/dev/fd/%d", p[0]);
    int again = open(name, O_RDONLY);
    CHECK(again >= 0);
    memset(buf, 0, sizeof buf);
    CHECK(read(again, buf, sizeof buf) == 11 && !strcmp(buf, "via /dev/fd"));
    memset(buf, 0, sizeof buf);
    snprintf(name, sizeof name, "/proc/self/fd/%d", p[0]);
    CHECK(readlink(name, buf, sizeof buf) > 5 && !strncmp(buf, "pipe:[", 6));
    close(again); close(p[0]); close(p[1]);
    fd = open("/tmp/plain", O_RDONLY);
    snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
    memset(buf, 0, sizeof buf);
    CHECK(readlink(name, buf, sizeof buf) == 10 && !strcmp(buf, "/tmp/plain"));
    /* the link still opens the file after it was unlinked */
    CHECK(unlink("/tmp/plain") == 0);
    int re = open(name, O_RDONLY);
    CHECK(re >= 0 && read(re, buf, 5) == 5 && !memcmp(buf, "12345", 5));
    close(re); close(fd);
    memset(buf, 0, sizeof buf);
    CHECK(readlink("/proc/self/exe", buf, sizeof buf) > 0 && !strcmp(buf, "/bin/fs_misc"));
    CHECK(chdir("/jail/inner") == 0);
    memset(buf, 0, sizeof buf);
    CHECK(readlink("/proc/self/cwd", buf, sizeof buf) > 0 && !strcmp(buf, "/jail/inner"));
    CHECK(chdir("/") == 0);
    fd = open("/proc/mounts", O_RDONLY);
    memset(buf, 0, sizeof buf);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) > 0);
    CHECK(strstr(buf, "tmpfs / tmpfs ") && strstr(buf, " /dev devtmpfs ") && strstr(buf, " /proc proc "));
    close(fd);
  } else {
    printf("no /proc: magic link checks skipped\n");
  }
  DONE();
}
