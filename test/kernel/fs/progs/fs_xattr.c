/* Extended attributes as Linux has them (xattr(7), fs/xattr.c), checked in
   DIR: user.* on files and directories, XATTR_CREATE / XATTR_REPLACE,
   size-0 queries, ERANGE / E2BIG / EINVAL argument rules, the l* and f*
   forms, EPERM for user.* on symbolic links and FIFOs, trusted.* for root
   only, the sticky-directory rule, unknown namespaces (EOPNOTSUPP), and a
   file system without xattrs (/proc: EOPNOTSUPP, an empty list).

   fs_xattr DIR         - everything above (run as root); must pass under
                          qemu-riscv64 on a host directory too.
   fs_xattr DIR none    - DIR's file system has no xattrs: get/set/remove
                          give EOPNOTSUPP, listxattr 0 (hostfs, vfat...).
   fs_xattr mnt         - mounts /dev/ram0 (ext2) on /mnt: the full checks
                          there, then "keep".
   fs_xattr DIR read    - mounts /dev/ram0 (ext2) on /mnt and prints the
                          attributes of DIR/small and DIR/large, then adds
                          user.t=t to DIR/small.
   fs_xattr DIR keep    - leaves DIR/kept with user.keep=kept-value,
                          user.empty="" and user.big (200 bytes of 'b')
                          for the host to check (ext2: debugfs ea_list). */
#include "t.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static char dir[512];

/* DIR/name, in a new buffer (kept for the whole run). */
static const char *p(const char *name) {
  char *b = malloc(700);
  snprintf(b, 700, "%s/%s", dir, name);
  return b;
}

/* The names listxattr gives, sorted, joined with ',' (file systems list in their own order). */
static const char *names(const char *path, int follow) {
  static char out[4096];
  char list[4096], *v[64];
  ssize_t n = follow ? listxattr(path, list, sizeof list) : llistxattr(path, list, sizeof list);
  int c = 0;
  out[0] = 0;
  if (n < 0) { snprintf(out, sizeof out, "error %d", errno); return out; }
  for (char *q = list; q < list + n && c < 64; q += strlen(q) + 1) v[c++] = q;
  for (int i = 0; i < c; i++)
    for (int j = i + 1; j < c; j++)
      if (strcmp(v[j], v[i]) < 0) { char *t = v[i]; v[i] = v[j]; v[j] = t; }
  for (int i = 0; i < c; i++) { if (i) strcat(out, ","); strcat(out, v[i]); }
  return out;
}

static void none(void) {
  const char *f = p("nx");
  int fd = open(f, O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0);
  ERR(setxattr(f, "user.a", "1", 1, 0), EOPNOTSUPP);
  ERR(getxattr(f, "user.a", NULL, 0), EOPNOTSUPP);
  ERR(removexattr(f, "user.a"), EOPNOTSUPP);
  ERR(fsetxattr(fd, "user.a", "1", 1, 0), EOPNOTSUPP);
  CHECK(listxattr(f, NULL, 0) == 0);
  CHECK(flistxattr(fd, NULL, 0) == 0);
  close(fd);
  unlink(f);
}

static void keep(void) {
  const char *f = p("kept");
  int fd = open(f, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(fd >= 0 && write(fd, "data", 4) == 4);
  close(fd);
  char big[200];
  memset(big, 'b', sizeof big);
  CHECK(setxattr(f, "user.keep", "kept-value", 10, 0) == 0);
  CHECK(setxattr(f, "user.empty", "", 0, 0) == 0);
  CHECK(setxattr(f, "user.big", big, sizeof big, 0) == 0);
  CHECK(setxattr(f, "user.gone", "x", 1, 0) == 0);
  CHECK(removexattr(f, "user.gone") == 0);
  /* A second file shares nothing with the first. */
  const char *g = p("kept2");
  fd = open(g, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(fd >= 0);
  close(fd);
  CHECK(setxattr(g, "user.other", "2", 1, 0) == 0);
  printf("kept: %s\n", names(f, 1));
}

static void full(void) {
  const char *f = p("f"), *d = p("d"), *l = p("l"), *fifo = p("p");
  unlink(f); unlink(l); unlink(fifo); rmdir(d);
  int fd = open(f, O_CREAT | O_RDWR, 0644);
  CHECK(fd >= 0);
  CHECK(mkdir(d, 0755) == 0);
  CHECK(symlink("f", l) == 0);
  CHECK(mkfifo(fifo, 0644) == 0);
  char buf[256];

  /* set, get, the size-0 query, CREATE and REPLACE. */
  CHECK(listxattr(f, NULL, 0) == 0);
  CHECK(setxattr(f, "user.a", "1", 1, 0) == 0);
  CHECK(getxattr(f, "user.a", NULL, 0) == 1);
  CHECK(getxattr(f, "user.a", buf, sizeof buf) == 1 && buf[0] == '1');
  ERR(setxattr(f, "user.a", "x", 1, XATTR_CREATE), EEXIST);
  ERR(setxattr(f, "user.b", "x", 1, XATTR_REPLACE), ENODATA);
  CHECK(setxattr(f, "user.a", "22", 2, XATTR_REPLACE) == 0);
  CHECK(getxattr(f, "user.a", buf, sizeof buf) == 2 && memcmp(buf, "22", 2) == 0);
  CHECK(setxattr(f, "user.b", "", 0, XATTR_CREATE) == 0);
  CHECK(getxattr(f, "user.b", buf, sizeof buf) == 0);
  ERR(getxattr(f, "user.a", buf, 1), ERANGE);
  ERR(getxattr(f, "user.none", buf, sizeof buf), ENODATA);

  /* Argument rules: flags, empty and over-long names, bare and unknown prefixes, value size. */
  ERR(setxattr(f, "user.a", "1", 1, 4), EINVAL);
  ERR(setxattr(f, "", "1", 1, 0), ERANGE);
  ERR(getxattr(f, "", buf, sizeof buf), ERANGE);
  char longname[300];
  memset(longname, 'n', sizeof longname);
  memcpy(longname, "user.", 5);
  longname[256] = 0;
  ERR(setxattr(f, longname, "1", 1, 0), ERANGE);
  ERR(getxattr(f, longname, buf, sizeof buf), ERANGE);
  ERR(removexattr(f, longname), ERANGE);
  ERR(setxattr(f, "user.", "1", 1, 0), EINVAL);
  ERR(setxattr(f, "foo.bar", "1", 1, 0), EOPNOTSUPP);
  ERR(getxattr(f, "foo.bar", buf, sizeof buf), EOPNOTSUPP);
  ERR(setxattr(f, "system.foo", "1", 1, 0), EOPNOTSUPP);
  static char huge[65537];
  ERR(setxattr(f, "user.huge", huge, sizeof huge, 0), E2BIG);
  const char *volatile bad = (const char *)8;
  ERR(setxattr(f, "user.a", bad, 4, 0), EFAULT);
  ERR(setxattr(p("missing"), "user.a", "1", 1, 0), ENOENT);

  /* listxattr: size 0, too small, the names. */
  ssize_t need = listxattr(f, NULL, 0);
  CHECK(need == (ssize_t)(sizeof "user.a" + sizeof "user.b"));
  ERR(listxattr(f, buf, need - 1), ERANGE);
  printf("list f: %s\n", names(f, 1));

  /* The f* forms on the open file; an O_PATH descriptor is refused. */
  CHECK(fsetxattr(fd, "user.c", "333", 3, 0) == 0);
  CHECK(fgetxattr(fd, "user.c", buf, sizeof buf) == 3 && memcmp(buf, "333", 3) == 0);
  CHECK(flistxattr(fd, NULL, 0) == need + (ssize_t)sizeof "user.c");
  CHECK(fremovexattr(fd, "user.c") == 0);
  ERR(fremovexattr(fd, "user.c"), ENODATA);
  int op = open(f, O_PATH);
  CHECK(op >= 0);
  ERR(fgetxattr(op, "user.a", buf, sizeof buf), EBADF);
  ERR(fsetxattr(op, "user.a", "1", 1, 0), EBADF);
  close(op);
  ERR(fgetxattr(999, "user.a", buf, sizeof buf), EBADF);

  /* Symbolic links: user.* on the link itself is EPERM (set) / ENODATA (get); the path forms follow it. */
  ERR(lsetxattr(l, "user.x", "1", 1, 0), EPERM);
  ERR(lgetxattr(l, "user.a", buf, sizeof buf), ENODATA);
  ERR(lremovexattr(l, "user.a"), EPERM);
  CHECK(getxattr(l, "user.a", buf, sizeof buf) == 2);
  printf("list l nofollow: %s\n", names(l, 0));
  /* A FIFO: no user.* either. */
  ERR(setxattr(fifo, "user.x", "1", 1, 0), EPERM);
  ERR(getxattr(fifo, "user.x", buf, sizeof buf), ENODATA);

  /* Directories take user.*. */
  CHECK(setxattr(d, "user.dir", "d", 1, 0) == 0);
  CHECK(getxattr(d, "user.dir", buf, sizeof buf) == 1);
  printf("list d: %s\n", names(d, 1));

  /* trusted.*: root may. */
  CHECK(setxattr(f, "trusted.t", "T", 1, 0) == 0);
  CHECK(getxattr(f, "trusted.t", buf, sizeof buf) == 1);
  printf("list f as root: %s\n", names(f, 1));

  /* remove. */
  CHECK(removexattr(f, "user.b") == 0);
  ERR(removexattr(f, "user.b"), ENODATA);
  ERR(getxattr(f, "user.b", buf, sizeof buf), ENODATA);

  /* An unprivileged user: reads user.* with read permission, cannot write without write
     permission, does not see trusted.*, and cannot write user.* on a sticky directory it does not own. */
  CHECK(chmod(d, 01777) == 0);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    prog_name = "fs_xattr (uid 1000)";
    if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0) { printf("setresuid: %s\n", strerror(errno)); _exit(1); }
    CHECK(getxattr(f, "user.a", buf, sizeof buf) == 2);
    ERR(setxattr(f, "user.a", "9", 1, 0), EACCES);
    ERR(removexattr(f, "user.a"), EACCES);
    ERR(getxattr(f, "trusted.t", buf, sizeof buf), ENODATA);
    ERR(setxattr(f, "trusted.u", "1", 1, 0), EPERM);
    printf("list f as uid 1000: %s\n", names(f, 1));
    ERR(setxattr(d, "user.y", "1", 1, 0), EPERM);
    CHECK(getxattr(d, "user.dir", buf, sizeof buf) == 1);
    printf("%s: %s (%d failures)\n", prog_name, fails ? "FAILED" : "ok", fails);
    fflush(stdout);
    _exit(fails ? 1 : 0);
  }
  int st = 0;
  CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  CHECK(removexattr(f, "trusted.t") == 0);

  /* A file system without xattrs: /proc. */
  ERR(getxattr("/proc/self/status", "user.a", buf, sizeof buf), EOPNOTSUPP);
  ERR(setxattr("/proc/self/status", "user.a", "1", 1, 0), EOPNOTSUPP);
  CHECK(listxattr("/proc/self/status", buf, sizeof buf) == 0);

  close(fd);
  unlink(f); unlink(l); unlink(fifo); rmdir(d);
}

int main(int argc, char **argv) {
  prog_name = "fs_xattr";
  setvbuf(stdout, NULL, _IOLBF, 0);
  snprintf(dir, sizeof dir, "%s", argc > 1 ? argv[1] : "/tmp");
  if (strcmp(dir, "mnt") == 0) {
    /* ext2 on /dev/ram0: the full checks, then the attributes kept for debugfs. */
    snprintf(dir, sizeof dir, "/mnt");
    mkdir("/mnt", 0755);
    if (mount("/dev/ram0", "/mnt", "ext2", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
    full();
    keep();
    /* ext2's limits (fs/ext2/xattr.c): every attribute of a file shares one block; a value
       larger than a block is ERANGE, a set that does not fit in the block ENOSPC. */
    struct statvfs sv;
    CHECK(statvfs("/mnt", &sv) == 0);
    size_t bs = sv.f_bsize;
    char *v = calloc(1, bs + 1);
    const char *lim = p("limits");
    int fd = open(lim, O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    close(fd);
    ERR(setxattr(lim, "user.r", v, bs + 1, 0), ERANGE);
    CHECK(setxattr(lim, "user.h1", v, bs * 6 / 10, 0) == 0);
    ERR(setxattr(lim, "user.h2", v, bs * 6 / 10, 0), ENOSPC);
    CHECK(getxattr(lim, "user.h1", NULL, 0) == (ssize_t)(bs * 6 / 10));
    CHECK(unlink(lim) == 0);
    CHECK(umount("/mnt") == 0);
    DONE();
  }
  if (argc > 2 && strcmp(argv[2], "read") == 0) {
    /* An ext2 image whose attributes mke2fs wrote: print them, add one. */
    mkdir("/mnt", 0755);
    if (mount("/dev/ram0", "/mnt", "ext2", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
    static const char *files[] = { "small", "large" };
    for (int i = 0; i < 2; i++) {
      char list[1024], val[1024];
      const char *f = p(files[i]);
      ssize_t n = listxattr(f, list, sizeof list);
      CHECK(n > 0);
      for (char *q = list; n > 0 && q < list + n; q += strlen(q) + 1) {
        ssize_t v = getxattr(f, q, val, sizeof val - 1);
        CHECK(v >= 0);
        val[v < 0 ? 0 : v] = 0;
        printf("%s %s=%s\n", files[i], q, val);
      }
    }
    CHECK(setxattr(p("small"), "user.t", "t", 1, XATTR_CREATE) == 0);
    CHECK(getxattr(p("small"), "user.s", NULL, 0) == 8);
    CHECK(umount("/mnt") == 0);
    DONE();
  }
  if (argc > 2 && strcmp(argv[2], "none") == 0) none();
  else if (argc > 2 && strcmp(argv[2], "keep") == 0) keep();
  else full();
  DONE();
}
