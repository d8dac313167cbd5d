/* Mount an ext2 image from /dev/ram0 on /mnt and list every file under it:
 * one line per file with its inode number, type and mode, owner, size, link
 * count, mtime and a hash of its contents (or its link target, or its device
 * number), sorted by path; then statfs; then unmount.
 * usage: ext2ls FSTYPE [ro] */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
  return h;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void walk(const char *path, const char *shown) {
  struct stat st;
  if (lstat(path, &st) < 0) { printf("lstat %s: %s\n", shown, strerror(errno)); return; }
  printf("%s ino=%lu mode=%o uid=%u gid=%u size=%lld nlink=%lu mtime=%lld", shown, (unsigned long)st.st_ino, st.st_mode,
         st.st_uid, st.st_gid, (long long)(S_ISDIR(st.st_mode) ? 0 : st.st_size), (unsigned long)st.st_nlink, (long long)st.st_mtime);
  if (S_ISREG(st.st_mode)) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf(" open:%s\n", strerror(errno)); return; }
    static unsigned char buf[65536];
    uint64_t h = 1469598103934665603ULL;
    long long total = 0;
    ssize_t n;
    if (st.st_size > (16 << 20)) {
      /* Big (sparse) files: the first and the last 64 KiB only. */
      n = pread(fd, buf, sizeof buf, 0);
      if (n == sizeof buf) { h = fnv(buf, n, h); total += n; }
      n = pread(fd, buf, sizeof buf, st.st_size - (long long)sizeof buf);
      if (n == sizeof buf) { h = fnv(buf, n, h); total += n; }
      if (n < 0) printf(" read:%s", strerror(errno));
    } else {
      while ((n = read(fd, buf, sizeof buf)) > 0) { h = fnv(buf, n, h); total += n; }
      if (n < 0) printf(" read:%s", strerror(errno));
    }
    close(fd);
    printf(" hash=%016llx read=%lld\n", (unsigned long long)h, total);
  } else if (S_ISLNK(st.st_mode)) {
    char t[4096];
    ssize_t n = readlink(path, t, sizeof t - 1);
    if (n < 0) { printf(" readlink:%s\n", strerror(errno)); return; }
    t[n] = 0;
    printf(" target=%s\n", t);
  } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    printf(" rdev=%u:%u\n", major(st.st_rdev), minor(st.st_rdev));
  } else printf("\n");
  if (!S_ISDIR(st.st_mode)) return;
  DIR *d = opendir(path);
  if (!d) { printf("opendir %s: %s\n", shown, strerror(errno)); return; }
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  for (size_t i = 0; i < n; i++) {
    char p[4096], s[4096];
    snprintf(p, sizeof p, "%s/%s", path, names[i]);
    snprintf(s, sizeof s, "%s/%s", strcmp(shown, "/") ? shown : "", names[i]);
    walk(p, s);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  const char *type = argc > 1 ? argv[1] : "ext2";
  unsigned long flags = argc > 2 && !strcmp(argv[2], "ro") ? MS_RDONLY : 0;
  mkdir("/mnt", 0755);
  if (mount("/dev/ram0", "/mnt", type, flags, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
  walk("/mnt", "/");
  struct statfs sf;
  if (statfs("/mnt", &sf) == 0)
    printf("statfs type=%lx bsize=%ld blocks=%llu bfree=%llu bavail=%llu files=%llu ffree=%llu\n", (unsigned long)sf.f_type, (long)sf.f_bsize,
           (unsigned long long)sf.f_blocks, (unsigned long long)sf.f_bfree, (unsigned long long)sf.f_bavail,
           (unsigned long long)sf.f_files, (unsigned long long)sf.f_ffree);
  if (umount("/mnt") < 0) { printf("umount: %s\n", strerror(errno)); return 1; }
  printf("umount ok\n");
  return 0;
}
