/* Mount /dev/ram0 (ext2) and poke at the paths given: stat, read to the end
 * (at most 64 MiB), list (directories), readlink, open (following links),
 * then truncate and unlink. Prints each result (errno names), so a test can
 * check that a crafted image gives errors - never a hang or a crash.
 * usage: ext2poke [/dev/DEV] PATH...   (paths relative to the mount point; default /dev/ram0) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *err(int r) { return r < 0 ? strerror(errno) : "ok"; }

int main(int argc, char **argv) {
  mkdir("/mnt", 0755);
  const char *dev = "/dev/ram0";
  if (argc > 1 && !strncmp(argv[1], "/dev/", 5)) { dev = argv[1]; argv++; argc--; }
  if (mount(dev, "/mnt", "ext2", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 0; }
  printf("mount: ok\n");
  static char buf[65536];
  for (int i = 1; i < argc; i++) {
    char p[512];
    snprintf(p, sizeof p, "/mnt/%s", argv[i]);
    struct stat st;
    int r = lstat(p, &st);
    printf("%s: lstat %s", argv[i], err(r));
    if (r == 0 && S_ISDIR(st.st_mode)) {
      DIR *d = opendir(p);
      int n = 0;
      if (d) { errno = 0; while (readdir(d)) n++; printf(" readdir %s (%d)", errno ? strerror(errno) : "ok", n); closedir(d); }
      else printf(" opendir %s", strerror(errno));
    }
    if (r == 0 && S_ISLNK(st.st_mode)) { ssize_t n = readlink(p, buf, sizeof buf); printf(" readlink %s", n < 0 ? strerror(errno) : "ok"); }
    int fd = open(p, O_RDONLY);
    printf(" open %s", err(fd));
    if (fd >= 0) {
      long total = 0;
      ssize_t n;
      while (total < (64L << 20) && (n = read(fd, buf, sizeof buf)) > 0) total += n;
      printf(" read %s", n < 0 ? strerror(errno) : "ok");
      close(fd);
    }
    if (r == 0 && S_ISREG(st.st_mode)) printf(" truncate %s", err(truncate(p, 0)));
    if (r == 0 && S_ISDIR(st.st_mode)) printf(" rmdir %s", err(rmdir(p)));
    else if (r == 0) printf(" unlink %s", err(unlink(p)));
    printf("\n");
  }
  printf("umount: %s\n", err(umount("/mnt")));
  return 0;
}
