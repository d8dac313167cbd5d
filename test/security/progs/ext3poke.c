/* Mount each of /dev/ram0 .. /dev/ram<N-1> (ext3, read-write), walk its tree
 * (bounded), read every file, create and fsync a file, remove one entry,
 * unmount. Prints one line per disk with the errno names, so a test can
 * check that corrupt images give errors or read-only mounts - never a hang
 * or a kernel crash. usage: ext3poke N */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[65536];
static int seen, errs;

static void walk(const char *dir, int depth) {
  if (depth > 4 || seen > 200) return;
  DIR *d = opendir(dir);
  if (!d) { errs++; return; }
  struct dirent *e;
  while ((e = readdir(d)) && seen < 200) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    seen++;
    if (lstat(p, &st) < 0) { errs++; continue; }
    if (S_ISDIR(st.st_mode)) walk(p, depth + 1);
    else if (S_ISREG(st.st_mode)) {
      int fd = open(p, O_RDONLY);
      if (fd < 0) { errs++; continue; }
      long total = 0; ssize_t n;
      while (total < (4L << 20) && (n = read(fd, buf, sizeof buf)) > 0) total += n;
      if (n < 0) errs++;
      close(fd);
    } else if (S_ISLNK(st.st_mode)) { if (readlink(p, buf, sizeof buf) < 0) errs++; }
  }
  closedir(d);
}

static const char *err(int r) { return r < 0 ? strerror(errno) : "ok"; }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  mkdir("/mnt", 0755);
  for (int i = 0; i < n; i++) {
    char dev[32];
    snprintf(dev, sizeof dev, "/dev/ram%d", i);
    int r = mount(dev, "/mnt", "ext3", 0, NULL);
    if (r < 0 && (errno == EROFS || errno == EACCES)) r = mount(dev, "/mnt", "ext3", MS_RDONLY, NULL);
    if (r < 0) { printf("disk %d: mount %s\n", i, strerror(errno)); continue; }
    seen = errs = 0;
    walk("/mnt", 0);
    int fd = open("/mnt/poke.new", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    const char *w = "no fd";
    if (fd >= 0) { memset(buf, 'p', 3000); w = write(fd, buf, 3000) == 3000 && fsync(fd) == 0 ? "ok" : strerror(errno); close(fd); }
    else w = strerror(errno);
    int u = unlink("/mnt/a.txt");
    printf("disk %d: mount ok walk %d entries %d errors write %s unlink %s", i, seen, errs, w, err(u));
    printf(" umount %s\n", err(umount("/mnt")));
  }
  printf("poked %d disks\n", n);
  return 0;
}
