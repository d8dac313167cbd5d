/* Directories and names: mkdir/rmdir, getdents64 (d_type, resumable
   offsets, entries removed while listing), hard links and link counts,
   symbolic links (relative, absolute, dangling, loops, O_NOFOLLOW,
   lstat vs stat, readlink), rename (replace, RENAME_NOREPLACE/EXCHANGE,
   into itself), the path-walk errors (ENOENT, ENOTDIR, ENAMETOOLONG,
   trailing slashes), getcwd/chdir/fchdir, *at() with directory fds,
   utimensat, mknod of a FIFO, statfs. */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>

struct linux_dirent64 { uint64_t d_ino; int64_t d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };

static int count_entries(const char *path, int *dirs) {
  DIR *d = opendir(path);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  if (dirs) *dirs = 0;
  while ((e = readdir(d))) {
    n++;
    if (dirs && e->d_type == DT_DIR) (*dirs)++;
  }
  closedir(d);
  return n;
}

static void touch(const char *p) { int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644); if (fd >= 0) close(fd); }

int main(void) {
  prog_name = "fs_dirs";
  const char *base = getenv("TESTDIR") ? getenv("TESTDIR") : "/tmp";
  char top[256], p[512];
  snprintf(top, sizeof top, "%s/dirs", base);
  CHECK(chdir(base) == 0);
  CHECK(mkdir(top, 0755) == 0);
  ERR(mkdir(top, 0755), EEXIST);
  CHECK(chdir(top) == 0);

  /* getcwd */
  char cwd[PATH_MAX];
  CHECK(getcwd(cwd, sizeof cwd) != NULL && strcmp(cwd, top) == 0);
  ERR(syscall(SYS_getcwd, cwd, 2), ERANGE);

  /* mkdir, link counts, rmdir */
  struct stat st;
  CHECK(mkdir("a", 0700) == 0);
  CHECK(mkdir("a/b", 0755) == 0);
  CHECK(mkdir("a/b/", 0755) == -1 && errno == EEXIST);
  CHECK(mkdir("a/c/", 0755) == 0);
  CHECK(stat("a", &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 4);
  CHECK((st.st_mode & 0777) == 0700);
  ERR(rmdir("a"), ENOTEMPTY);
  CHECK(rmdir("a/c") == 0);
  CHECK(stat("a", &st) == 0 && st.st_nlink == 3);
  ERR(rmdir("a/b/."), EINVAL);
  ERR(rmdir("nonexistent"), ENOENT);
  ERR(rmdir("/"), EBUSY);
  ERR(unlink("/"), EISDIR);
  ERR(unlink("a"), EISDIR);

  /* getdents: ".", "..", and the files, with types */
  touch("a/f1"); touch("a/f2");
  CHECK(symlink("f1", "a/l1") == 0);
  CHECK(mkfifo("a/fifo", 0600) == 0);
  int ndirs = 0;
  CHECK(count_entries("a", &ndirs) == 7);
  CHECK(ndirs == 3);
  int fd = open("a", O_RDONLY | O_DIRECTORY);
  char dbuf[4096];
  int n = syscall(SYS_getdents64, fd, dbuf, sizeof dbuf);
  CHECK(n > 0);
  int seen_f1 = 0, seen_fifo = 0, seen_lnk = 0;
  for (int off = 0; off < n;) {
    struct linux_dirent64 *e = (void *)(dbuf + off);
    if (!strcmp(e->d_name, "f1")) { seen_f1 = e->d_type == DT_REG; }
    if (!strcmp(e->d_name, "fifo")) seen_fifo = e->d_type == DT_FIFO;
    if (!strcmp(e->d_name, "l1")) seen_lnk = e->d_type == DT_LNK;
    CHECK(e->d_reclen % 8 == 0);
    off += e->d_reclen;
  }
  CHECK(seen_f1 && seen_fifo && seen_lnk);
  CHECK(syscall(SYS_getdents64, fd, dbuf, sizeof dbuf) == 0);
  /* rewinding starts over; a small buffer resumes where it stopped */
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  ERR(syscall(SYS_getdents64, fd, dbuf, 10), EINVAL);
  int total = 0, r;
  while ((r = syscall(SYS_getdents64, fd, dbuf, 40)) > 0) {
    for (int off = 0; off < r;) { total++; off += ((struct linux_dirent64 *)(dbuf + off))->d_reclen; }
  }
  CHECK(total == 7);
  close(fd);
  ERR(syscall(SYS_getdents64, 0, dbuf, sizeof dbuf), ENOTDIR);

  /* removing entries while listing still visits every entry once (rm -rf) */
  CHECK(mkdir("many", 0755) == 0);
  for (int i = 0; i < 300; i++) { snprintf(p, sizeof p, "many/file-with-a-long-name-%03d", i); touch(p); }
  fd = open("many", O_RDONLY | O_DIRECTORY);
  int removed = 0;
  while ((r = syscall(SYS_getdents64, fd, dbuf, 1024)) > 0) {
    for (int off = 0; off < r;) {
      struct linux_dirent64 *e = (void *)(dbuf + off);
      if (e->d_name[0] != '.') { snprintf(p, sizeof p, "many/%s", e->d_name); if (unlink(p) == 0) removed++; }
      off += e->d_reclen;
    }
  }
  close(fd);
  CHECK(removed == 300);
  CHECK(rmdir("many") == 0);

  /* hard links */
  CHECK(link("a/f1", "a/h1") == 0);
  CHECK(stat("a/f1", &st) == 0 && st.st_nlink == 2);
  struct stat st2;
  CHECK(stat("a/h1", &st2) == 0 && st2.st_ino == st.st_ino);
  ERR(link("a/f1", "a/h1"), EEXIST);
  ERR(link("a", "a2"), EPERM);
  ERR(link("a/nope", "a/h2"), ENOENT);
  CHECK(unlink("a/f1") == 0);
  CHECK(stat("a/h1", &st) == 0 && st.st_nlink == 1);
  CHECK(rename("a/h1", "a/f1") == 0);

  /* symbolic links */
  CHECK(lstat("a/l1", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 2);
  CHECK(stat("a/l1", &st) == 0 && S_ISREG(st.st_mode));
  char lb[64];
  memset(lb, 0, sizeof lb);
  CHECK(readlink("a/l1", lb, sizeof lb) == 2 && !strcmp(lb, "f1"));
  CHECK(readlink("a/l1", lb, 1) == 1);
  ERR(readlink("a/f1", lb, sizeof lb), EINVAL);
  snprintf(p, sizeof p, "%s/a/b", top);
  CHECK(symlink(p, "abs") == 0);
  touch("abs/inb");
  CHECK(stat("a/b/inb", &st) == 0);
  CHECK(symlink("nowhere", "dangling") == 0);
  ERR(stat("dangling", &st), ENOENT);
  CHECK(lstat("dangling", &st) == 0);
  /* open(O_CREAT) through a dangling link creates the target; O_EXCL refuses */
  ERR(open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
  fd = open("dangling", O_WRONLY | O_CREAT, 0644);
  CHECK(fd >= 0); close(fd);
  CHECK(stat("nowhere", &st) == 0);
  ERR(open("a/l1", O_RDONLY | O_NOFOLLOW), ELOOP);
  fd = open("a/l1", O_PATH | O_NOFOLLOW);
  CHECK(fd >= 0);
  ERR(read(fd, lb, 1), EBADF);
  CHECK(fstat(fd, &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(readlinkat(fd, "", lb, sizeof lb) == 2);
  close(fd);
  CHECK(symlink("loop2", "loop1") == 0 && symlink("loop1", "loop2") == 0);
  ERR(stat("loop1", &st), ELOOP);
  ERR(open("loop1/x", O_RDONLY), ELOOP);
  ERR(symlink("", "emptylink"), ENOENT);
  CHECK(symlink("a", "dirlink") == 0);
  CHECK(stat("dirlink/", &st) == 0 && S_ISDIR(st.st_mode));
  ERR(rmdir("dirlink"), ENOTDIR);

  /* path walk errors */
  ERR(stat("a/f1/x", &st), ENOTDIR);
  ERR(stat("a/f1/", &st), ENOTDIR);
  ERR(open("a/f1/", O_RDONLY), ENOTDIR);
  ERR(open("a/new/", O_RDWR | O_CREAT, 0644), EISDIR);
  ERR(stat("a/zz/x", &st), ENOENT);
  ERR(stat("", &st), ENOENT);
  memset(p, 'x', 300); p[300] = 0;
  ERR(stat(p, &st), ENAMETOOLONG);
  static char longp[5000];
  memset(longp, 'a', 4200); longp[4200] = 0;
  for (int i = 1; i < 4200; i += 2) longp[i] = '/';
  ERR(stat(longp, &st), ENAMETOOLONG);
  CHECK(stat("a/./b/../b/.", &st) == 0 && S_ISDIR(st.st_mode));
  CHECK(stat("/../../..", &st) == 0 && st.st_ino == (stat("/", &st2), st2.st_ino));
  CHECK(stat("//a/..//", &st) == -1 || 1);

  /* rename */
  touch("r1"); touch("r2");
  CHECK(rename("r1", "r2") == 0);
  ERR(stat("r1", &st), ENOENT);
  touch("r1");
  ERR(renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_NOREPLACE), EEXIST);
  fd = open("r1", O_WRONLY); CHECK(write(fd, "one", 3) == 3); close(fd);
  CHECK(renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_EXCHANGE) == 0);
  CHECK(stat("r2", &st) == 0 && st.st_size == 3);
  CHECK(stat("r1", &st) == 0 && st.st_size == 0);
  ERR(rename("a", "a/b/inside"), EINVAL);
  ERR(rename("r1", "a"), EISDIR);
  ERR(rename("a", "r1"), ENOTDIR);
  CHECK(mkdir("emptyd", 0755) == 0);
  CHECK(mkdir("full", 0755) == 0); touch("full/x");
  ERR(rename("emptyd", "full"), ENOTEMPTY);
  CHECK(rename("full", "emptyd") == 0);
  CHECK(stat("emptyd/x", &st) == 0);
  CHECK(rename("r1", "r1") == 0);
  ERR(rename("missing", "x"), ENOENT);
  CHECK(rename("a/b", "bmoved") == 0);
  CHECK(stat("a", &st) == 0 && st.st_nlink == 2);
  CHECK(stat("bmoved/inb", &st) == 0);

  /* *at() with a directory descriptor, fchdir */
  int dfd = open("emptyd", O_RDONLY | O_DIRECTORY);
  CHECK(dfd >= 0);
  CHECK(mkdirat(dfd, "sub", 0755) == 0);
  CHECK(fstatat(dfd, "x", &st, 0) == 0);
  CHECK(unlinkat(dfd, "x", 0) == 0);
  CHECK(unlinkat(dfd, "sub", AT_REMOVEDIR) == 0);
  ERR(unlinkat(dfd, "sub", 0x4000), EINVAL);
  int ffd = open("r1", O_RDONLY);
  ERR(fstatat(ffd, "x", &st, 0), ENOTDIR);
  CHECK(fstatat(ffd, "", &st, AT_EMPTY_PATH) == 0 && S_ISREG(st.st_mode));
  close(ffd);
  CHECK(fchdir(dfd) == 0);
  CHECK(getcwd(cwd, sizeof cwd) && strstr(cwd, "/dirs/emptyd") != NULL);
  CHECK(chdir("..") == 0);
  close(dfd);
  ERR(chdir("r1"), ENOTDIR);

  /* removing the cwd: getcwd fails with ENOENT */
  CHECK(mkdir("gone", 0755) == 0);
  CHECK(chdir("gone") == 0);
  CHECK(rmdir(cwd[0] ? "../gone" : "../gone") == 0);
  ERR(syscall(SYS_getcwd, cwd, sizeof cwd), ENOENT);
  ERR(open("newfile", O_CREAT | O_WRONLY, 0644), ENOENT);
  CHECK(chdir(top) == 0);

  /* times */
  struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 7 } };
  CHECK(utimensat(AT_FDCWD, "r2", ts, 0) == 0);
  CHECK(stat("r2", &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 7);
  ts[0].tv_nsec = UTIME_OMIT; ts[1].tv_nsec = UTIME_NOW;
  CHECK(utimensat(AT_FDCWD, "r2", ts, 0) == 0);
  CHECK(stat("r2", &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec > 1600000000);
  ts[0].tv_nsec = 2000000000;
  ERR(utimensat(AT_FDCWD, "r2", ts, 0), EINVAL);
  /* writing changes mtime */
  ts[0].tv_nsec = 0; ts[1].tv_sec = 1; ts[1].tv_nsec = 0;
  CHECK(utimensat(AT_FDCWD, "r2", ts, 0) == 0);
  fd = open("r2", O_WRONLY); CHECK(write(fd, "z", 1) == 1); close(fd);
  CHECK(stat("r2", &st) == 0 && st.st_mtim.tv_sec > 1600000000);

  /* mknod: FIFO and regular file; devices need privilege checks elsewhere */
  CHECK(mknod("pipe2", S_IFIFO | 0644, 0) == 0);
  CHECK(stat("pipe2", &st) == 0 && S_ISFIFO(st.st_mode));
  CHECK(mknod("reg", 0644, 0) == 0);
  CHECK(stat("reg", &st) == 0 && S_ISREG(st.st_mode));
  ERR(mknod("bad", S_IFDIR | 0755, 0), EPERM);

  /* chmod */
  CHECK(chmod("reg", 04755) == 0);
  CHECK(stat("reg", &st) == 0 && (st.st_mode & 07777) == 04755);
  CHECK(fchmodat(AT_FDCWD, "reg", 0600, 0) == 0);
  CHECK(stat("reg", &st) == 0 && (st.st_mode & 07777) == 0600);

  /* statfs of tmpfs */
  struct statfs sf;
  CHECK(statfs(top, &sf) == 0);
  CHECK(sf.f_bsize == 4096 && sf.f_namelen == 255);
  DONE();
}
