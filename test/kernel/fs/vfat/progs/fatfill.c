/* Fill a FAT file system: mount /dev/ram0 on DIR as vfat, write one file in
 * 64 KiB pieces until a write fails, report short writes, the error, what
 * mkdir says then, statfs's free count; unmount.
 * usage: fatfill DIR */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static unsigned char buf[65536];

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/mnt";
  mkdir(dir, 0755);
  if (mount("/dev/ram0", dir, "vfat", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
  char p[256];
  snprintf(p, sizeof p, "%s/fill", dir);
  int fd = open(p, O_CREAT | O_WRONLY, 0644);
  if (fd < 0) { printf("open: %s\n", strerror(errno)); return 1; }
  memset(buf, 0x5a, sizeof buf);
  long long total = 0;
  for (;;) {
    ssize_t n = write(fd, buf, sizeof buf);
    if (n < 0) { printf("write: %s: %s\n", errno == ENOSPC ? "ENOSPC" : "other", strerror(errno)); break; }
    if (n < (ssize_t)sizeof buf) printf("short write %zd of %zu\n", n, sizeof buf);
    total += n;
  }
  close(fd);
  printf("total=%lld\n", total);
  snprintf(p, sizeof p, "%s/newdir", dir);
  if (mkdir(p, 0755) < 0) printf("mkdir: %s\n", strerror(errno)); else printf("mkdir ok\n");
  struct statfs sf;
  if (statfs(dir, &sf) == 0) printf("statfs bfree=%llu\n", (unsigned long long)sf.f_bfree);
  if (umount(dir) < 0) { printf("umount: %s\n", strerror(errno)); return 1; }
  printf("umount ok\n");
  return 0;
}
