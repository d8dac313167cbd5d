/* FAT semantics as Linux's vfat gives them, on /dev/ram0 mounted at /mnt:
 * owner and modes from uid=/gid=/fmask=/dmask=, what chmod and chown may
 * change, no hard links/symlinks/device nodes (EPERM), 2-second mtimes,
 * case-insensitive lookup (also by the short alias), bad names, "." and
 * ".." after mkdir and a rename to another directory, rmdir/unlink errors,
 * mmap (MAP_SHARED stores reach the disk), a read-only remount.
 * Prints one "name: result" line per check. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static void res(const char *what, int r) {
  if (r < 0) printf("%s: %s\n", what, strerror(errno)); else printf("%s: ok\n", what);
}
static void st(const char *what, const char *p) {
  struct stat s;
  if (stat(p, &s) < 0) { printf("%s: %s\n", what, strerror(errno)); return; }
  printf("%s: mode=%o uid=%u gid=%u size=%lld nlink=%lu\n", what, s.st_mode, s.st_uid, s.st_gid, (long long)s.st_size, (unsigned long)s.st_nlink);
}
/* open and close again (-1 with errno on failure). */
static int oc(const char *p, int flags) {
  int fd = open(p, flags, 0644);
  if (fd >= 0) close(fd);
  return fd;
}
static ino_t ino(const char *p) { struct stat s; return stat(p, &s) < 0 ? 0 : s.st_ino; }
static int put(const char *p, const char *data) {
  int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) return -1;
  int r = write(fd, data, strlen(data));
  close(fd);
  return r;
}

int main(void) {
  mkdir("/mnt", 0755);
  if (mount("/dev/ram0", "/mnt", "vfat", 0, "uid=1000,gid=100,fmask=0133,dmask=0022") < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
  struct statfs sf;
  statfs("/mnt", &sf);
  printf("f_type: %lx\n", (unsigned long)sf.f_type);
  res("create", put("/mnt/hello.txt", "hello\n"));
  st("file", "/mnt/hello.txt");
  res("mkdir", mkdir("/mnt/Sub Dir", 0700));
  st("dir", "/mnt/Sub Dir");
  st("root", "/mnt");
  res("link", link("/mnt/hello.txt", "/mnt/hard"));
  res("symlink", symlink("hello.txt", "/mnt/sym"));
  res("mkfifo", mkfifo("/mnt/fifo", 0644));
  res("mknod", mknod("/mnt/dev", S_IFCHR | 0644, makedev(1, 3)));
  res("chown other", chown("/mnt/hello.txt", 0, 100));
  res("chown same", chown("/mnt/hello.txt", 1000, 100));
  res("chmod 0600 (r/x bits differ)", chmod("/mnt/hello.txt", 0600));
  res("chmod 0444 (read-only)", chmod("/mnt/hello.txt", 0444));
  st("after chmod 0444", "/mnt/hello.txt");
  res("chmod 0644", chmod("/mnt/hello.txt", 0644));
  st("after chmod 0644", "/mnt/hello.txt");
  struct timespec ts[2] = {{1700000001, 500}, {1700000001, 999999999}};
  res("utimensat", utimensat(AT_FDCWD, "/mnt/hello.txt", ts, 0));
  struct stat s;
  stat("/mnt/hello.txt", &s);
  printf("mtime: %lld.%09ld\n", (long long)s.st_mtime, s.st_mtim.tv_nsec);
  /* Lookups without regard to case, and by the short alias. */
  res("open HELLO.TXT", oc("/mnt/HELLO.TXT", O_RDONLY));
  res("create Hello.Txt (exists)", oc("/mnt/Hello.Txt", O_CREAT | O_EXCL | O_WRONLY));
  res("long name", put("/mnt/A Long File Name.text", "long\n"));
  res("open by alias ALONGF~1.TEX", oc("/mnt/ALONGF~1.TEX", O_RDONLY));
  res("name with ':'", put("/mnt/a:b", "x"));
  char longname[300];
  memset(longname, 'n', sizeof longname);
  memcpy(longname, "/mnt/", 5);
  longname[5 + 256] = 0;
  res("256-character name", put(longname, "x"));
  longname[5 + 255] = 0;
  res("255-character name", put(longname, "x"));
  /* Directories: "." and "..", moves, errors. */
  res("mkdir a", mkdir("/mnt/a", 0755));
  res("mkdir a/b", mkdir("/mnt/a/b", 0755));
  res("put a/b/f", put("/mnt/a/b/f", "f\n"));
  printf("a/b/.. is a: %d\n", ino("/mnt/a/b/..") == ino("/mnt/a"));
  printf("a/.. is root: %d\n", ino("/mnt/a/..") == ino("/mnt"));
  res("rmdir a (not empty)", rmdir("/mnt/a"));
  res("unlink a (a directory)", unlink("/mnt/a"));
  res("rmdir hello.txt (not a directory)", rmdir("/mnt/hello.txt"));
  res("rename a/b to Sub Dir/b", rename("/mnt/a/b", "/mnt/Sub Dir/b"));
  printf("Sub Dir/b/.. is Sub Dir: %d\n", ino("/mnt/Sub Dir/b/..") == ino("/mnt/Sub Dir"));
  st("a after the move", "/mnt/a");
  st("Sub Dir after the move", "/mnt/Sub Dir");
  res("read Sub Dir/b/f", oc("/mnt/Sub Dir/b/f", O_RDONLY));
  res("rmdir a", rmdir("/mnt/a"));
  DIR *d = opendir("/mnt/Sub Dir/b");
  struct dirent *e;
  int dots = 0;
  while ((e = readdir(d))) if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) dots++;
  closedir(d);
  printf("dot entries: %d\n", dots);
  /* mmap: a shared store reaches the file, and the disk. */
  int fd = open("/mnt/map.bin", O_CREAT | O_RDWR, 0644);
  char blk[10000];
  memset(blk, 'a', sizeof blk);
  write(fd, blk, sizeof blk);
  char *m = mmap(NULL, sizeof blk, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) { printf("mmap: %s\n", strerror(errno)); return 1; }
  memcpy(m + 5000, "MAPPED", 6);
  msync(m, sizeof blk, MS_SYNC);
  munmap(m, sizeof blk);
  char back[6];
  pread(fd, back, 6, 5000);
  printf("read after mmap store: %.6s\n", back);
  close(fd);
  /* Truncate up reads zeros. */
  fd = open("/mnt/grow", O_CREAT | O_RDWR, 0644);
  write(fd, "xyz", 3);
  ftruncate(fd, 3000);
  char z[3000];
  pread(fd, z, 3000, 0);
  int zeros = 1;
  for (int i = 3; i < 3000; i++) if (z[i]) zeros = 0;
  printf("truncate up zeros: %d size=%lld\n", zeros, (long long)lseek(fd, 0, SEEK_END));
  close(fd);
  res("umount", umount("/mnt"));
  /* Again, read-only: the mapped store is on the disk; writes are refused. */
  if (mount("/dev/ram0", "/mnt", "vfat", MS_RDONLY, NULL) < 0) { printf("mount ro: %s\n", strerror(errno)); return 1; }
  fd = open("/mnt/map.bin", O_RDONLY);
  pread(fd, back, 6, 5000);
  close(fd);
  printf("after remount: %.6s\n", back);
  st("default owner and modes", "/mnt/hello.txt");
  res("create on ro", put("/mnt/new", "x"));
  res("umount", umount("/mnt"));
  return 0;
}
