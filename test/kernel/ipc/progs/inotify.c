/* inotify: one line per event or check, so that the output under tsix can
   be compared with the output under qemu-riscv64 (Linux). Works in a new
   directory under argv[1] (default "."). With argv[2] == "limits" (tsix
   only: it changes /proc/sys/fs/inotify, which under qemu would be the
   host's) it checks max_queued_events, max_user_watches and
   max_user_instances by lowering them; with "nofifo" it makes no FIFO;
   with "ext2" it first mounts the ext2 image on /dev/ram0 at argv[1]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char D[512], paths[4][600];
static int pi;
/* D/name, in one of four buffers so that a call may take two of them. */
static const char *P(const char *name) { char *p = paths[pi++ & 3]; snprintf(p, sizeof paths[0], "%s/%s", D, name); return p; }
static unsigned last_cookie;

static const char *en(int e) {
  switch (e) {
  case EAGAIN: return "EAGAIN"; case EBADF: return "EBADF"; case EINVAL: return "EINVAL"; case ENOTDIR: return "ENOTDIR";
  case EEXIST: return "EEXIST"; case ENOSPC: return "ENOSPC"; case EMFILE: return "EMFILE"; case ENOENT: return "ENOENT";
  default: return strerror(e);
  }
}
static void show(const char *label, long r) {
  if (r < 0) printf("%s: %ld %s\n", label, r, en(errno)); else printf("%s: %ld\n", label, r);
  fflush(stdout);
}
static void masks(unsigned m, char *out) {
  static const struct { unsigned bit; const char *n; } names[] = {
    { IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" }, { IN_CLOSE_WRITE, "CLOSE_WRITE" },
    { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" }, { IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
    { IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" }, { IN_MOVE_SELF, "MOVE_SELF" },
    { IN_UNMOUNT, "UNMOUNT" }, { IN_Q_OVERFLOW, "Q_OVERFLOW" }, { IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
  };
  out[0] = 0;
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
    if (m & names[i].bit) { if (out[0]) strcat(out, "|"); strcat(out, names[i].n); m &= ~names[i].bit; }
  if (m) sprintf(out + strlen(out), "|0x%x", m);
}
/* Read and print every queued event (the fd is non-blocking). */
static int events(int fd) {
  char buf[65536] __attribute__((aligned(8)));
  int count = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *e = (struct inotify_event *)p;
      char m[256];
      masks(e->mask, m);
      const char *ck = "";
      if (e->cookie) { ck = e->cookie == last_cookie ? " cookie=same" : " cookie=new"; last_cookie = e->cookie; }
      printf("  wd=%d %s%s%s%s len=%u\n", e->wd, m, ck, e->len ? " name=" : "", e->len ? e->name : "", e->len);
      p += sizeof *e + e->len;
      count++;
    }
  }
  fflush(stdout);
  return count;
}
static void step(const char *what) { printf("%s\n", what); fflush(stdout); }
static void writefile(const char *name, const char *data) { int f = open(P(name), O_WRONLY | O_CREAT | O_TRUNC, 0644); write(f, data, strlen(data)); close(f); }
static void setsys(const char *name, long v) {
  char p[128]; snprintf(p, sizeof p, "/proc/sys/fs/inotify/%s", name);
  FILE *f = fopen(p, "w"); fprintf(f, "%ld\n", v); fclose(f);
}

static void limits(void) {
  setsys("max_queued_events", 8);
  int fd = inotify_init1(IN_NONBLOCK);
  inotify_add_watch(fd, D, IN_CREATE);
  char name[16];
  for (int i = 0; i < 12; i++) { snprintf(name, sizeof name, "q%d", i); close(creat(P(name), 0644)); }
  step("overflow at 8:");
  events(fd);
  close(fd);
  for (int i = 0; i < 12; i++) { snprintf(name, sizeof name, "q%d", i); unlink(P(name)); }
  setsys("max_queued_events", 16384);
  setsys("max_user_watches", 2);
  fd = inotify_init1(0);
  show("watch 1", inotify_add_watch(fd, D, IN_CREATE));
  show("watch 2", inotify_add_watch(fd, "/", IN_CREATE));
  show("watch 3", inotify_add_watch(fd, "/proc", IN_CREATE));
  show("watch 1 again (an update)", inotify_add_watch(fd, D, IN_DELETE));
  close(fd);
  fd = inotify_init1(0);
  show("after close, watch 1", inotify_add_watch(fd, D, IN_CREATE));
  close(fd);
  setsys("max_user_watches", 8192);
  setsys("max_user_instances", 3);
  int a1 = inotify_init1(0), a2 = inotify_init1(0), a3 = inotify_init1(0);
  show("instance 4", inotify_init1(0));
  close(a1);
  show("instance after a close", a1 = inotify_init1(0));
  close(a1); close(a2); close(a3);
  setsys("max_user_instances", 128);
  FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "w");
  fprintf(f, "-1\n");
  show("negative sysctl", fclose(f));
}

int main(int argc, char **argv) {
  snprintf(D, sizeof D, "%s/inotest", argc > 1 ? argv[1] : ".");
  if (argc > 2 && !strcmp(argv[2], "ext2")) {
    /* tsix only: the ext2 image on /dev/ram0, mounted at argv[1] */
    mkdir(argv[1], 0755);
    if (mount("/dev/ram0", argv[1], "ext2", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
  }
  mkdir(D, 0755);
  if (argc > 2 && !strcmp(argv[2], "limits")) { limits(); rmdir(D); printf("inotify limits: done\n"); return 0; }
  int nofifo = argc > 2 && !strcmp(argv[2], "nofifo"); /* a file system without FIFOs (hostfs) */
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  printf("nonblock %d cloexec %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  char tiny[8];
  show("empty read", read(fd, tiny, sizeof tiny));
  show("init1 bad flags", inotify_init1(1));
  int wdd = inotify_add_watch(fd, D, IN_ALL_EVENTS);
  printf("dir wd %d\n", wdd);

  step("create, write twice, close:");
  int f = open(P("f"), O_WRONLY | O_CREAT, 0644);
  write(f, "abc", 3);
  write(f, "def", 3);
  close(f);
  events(fd);

  int wdf = inotify_add_watch(fd, P("f"), IN_ALL_EVENTS);
  printf("file wd %d\n", wdf);
  step("open, read, close:");
  f = open(P("f"), O_RDONLY);
  read(f, tiny, 2);
  close(f);
  events(fd);
  step("read buffer too small for one event:");
  f = open(P("f"), O_RDONLY); close(f);
  show("read 8 bytes", read(fd, tiny, sizeof tiny));
  int nb = 0;
  ioctl(fd, FIONREAD, &nb);
  printf("FIONREAD %d\n", nb);
  struct pollfd pf = { fd, POLLIN, 0 };
  printf("poll: %d revents %d\n", poll(&pf, 1, 0), pf.revents);
  fd_set rs; FD_ZERO(&rs); FD_SET(fd, &rs);
  struct timeval tv = { 0, 0 };
  printf("select: %d\n", select(fd + 1, &rs, NULL, NULL, &tv));
  int ep = epoll_create1(0);
  struct epoll_event ee = { .events = EPOLLIN, .data.u32 = 7 }, got;
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
  printf("epoll: %d data %u\n", epoll_wait(ep, &got, 1, 0), got.data.u32);
  events(fd);
  printf("poll when empty: %d\n", poll(&pf, 1, 0));
  printf("epoll when empty: %d\n", epoll_wait(ep, &got, 1, 0));

  step("truncate, chmod, utimes, O_TRUNC:");
  truncate(P("f"), 1);
  chmod(P("f"), 0600);
  utimensat(AT_FDCWD, P("f"), NULL, 0);
  f = open(P("f"), O_WRONLY | O_TRUNC);
  close(f);
  events(fd);

  step("link, rename, unlink:");
  link(P("f"), P("h"));
  rename(P("f"), P("g"));
  unlink(P("h"));
  unlink(P("g"));
  events(fd);
  step("the file's watch is gone:");
  show("rm_watch of it", inotify_rm_watch(fd, wdf));

  step("mkdir, rename a dir, rmdir, symlink, mknod fifo:");
  mkdir(P("sub"), 0755);
  int wds = inotify_add_watch(fd, P("sub"), IN_ALL_EVENTS);
  printf("sub wd %d\n", wds);
  writefile("sub/inner", "x");
  rename(P("sub"), P("sub2"));
  unlink(P("sub2/inner"));
  rmdir(P("sub2"));
  symlink("target", P("ln"));
  if (!nofifo) mkfifo(P("fifo"), 0644);
  unlink(P("ln"));
  if (!nofifo) unlink(P("fifo"));
  events(fd);

  step("errors:");
  writefile("e", "e");
  show("ONLYDIR on a file", inotify_add_watch(fd, P("e"), IN_ONLYDIR | IN_OPEN));
  show("mask 0", inotify_add_watch(fd, P("e"), 0));
  show("bad fd", inotify_add_watch(99, P("e"), IN_OPEN));
  show("not inotify", inotify_add_watch(0, P("e"), IN_OPEN));
  show("no such file", inotify_add_watch(fd, P("nope"), IN_OPEN));
  show("ADD|CREATE", inotify_add_watch(fd, P("e"), IN_MASK_ADD | IN_MASK_CREATE | IN_OPEN));
  show("MASK_CREATE on watched", inotify_add_watch(fd, D, IN_MASK_CREATE | IN_OPEN));
  show("same dir again", inotify_add_watch(fd, D, IN_ALL_EVENTS));
  show("rm bad wd", inotify_rm_watch(fd, 12345));
  show("rm on bad fd", inotify_rm_watch(99, 1));
  show("rm on not inotify", inotify_rm_watch(0, 1));
  events(fd);

  step("MASK_ADD and replace:");
  int we = inotify_add_watch(fd, P("e"), IN_MODIFY);
  inotify_add_watch(fd, P("e"), IN_ATTRIB | IN_MASK_ADD);
  show("rm dir watch", inotify_rm_watch(fd, wdd));
  events(fd);
  f = open(P("e"), O_WRONLY); write(f, "1", 1); close(f);
  chmod(P("e"), 0600);
  events(fd);
  inotify_add_watch(fd, P("e"), IN_ATTRIB);
  f = open(P("e"), O_WRONLY); write(f, "1", 1); close(f);
  chmod(P("e"), 0644);
  events(fd);
  inotify_rm_watch(fd, we);
  events(fd);

  step("ONESHOT:");
  inotify_add_watch(fd, P("e"), IN_OPEN | IN_ONESHOT);
  close(open(P("e"), O_RDONLY));
  close(open(P("e"), O_RDONLY));
  events(fd);

  step("coalescing alternating writes, then overflow:");
  int maxq = 0;
  FILE *mq = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
  fscanf(mq, "%d", &maxq); fclose(mq);
  writefile("o1", ""); writefile("o2", "");
  int g = inotify_init1(IN_NONBLOCK);
  inotify_add_watch(g, P("o1"), IN_MODIFY);
  inotify_add_watch(g, P("o2"), IN_MODIFY);
  int o1 = open(P("o1"), O_WRONLY), o2 = open(P("o2"), O_WRONLY);
  for (int i = 0; i < 5; i++) write(o1, "x", 1);
  int n = 0; char eb[4096];
  { ssize_t r = read(g, eb, sizeof eb); n = r / (int)sizeof(struct inotify_event); }
  printf("5 writes in a row: %d event\n", n);
  for (int i = 0; i < maxq + 5; i++) write(i & 1 ? o2 : o1, "x", 1);
  int total = 0, over = 0, lastwd = 0;
  static char big[1 << 16];
  for (;;) {
    ssize_t r = read(g, big, sizeof big);
    if (r <= 0) break;
    for (char *p = big; p < big + r; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
      struct inotify_event *e = (struct inotify_event *)p;
      if (e->mask & IN_Q_OVERFLOW) { over++; lastwd = e->wd; } else total++;
    }
  }
  printf("events before overflow: %s, overflow events %d wd %d\n", total == maxq ? "max_queued_events" : "other", over, lastwd);
  close(o1); close(o2); close(g);

  step("blocking read woken by a child:");
  int b = inotify_init1(0);
  inotify_add_watch(b, D, IN_CREATE);
  pid_t c = fork();
  if (c == 0) { usleep(100000); writefile("late", "z"); _exit(0); }
  char bb[256];
  ssize_t r = read(b, bb, sizeof bb);
  printf("blocking read: %zd, name %s\n", r, ((struct inotify_event *)bb)->name);
  waitpid(c, NULL, 0);
  close(b);

  unlink(P("e")); unlink(P("o1")); unlink(P("o2")); unlink(P("late"));
  step("directory itself deleted:");
  int wdD = inotify_add_watch(fd, D, IN_DELETE_SELF);
  printf("wd %d\n", wdD);
  rmdir(D);
  events(fd);
  close(fd);
  printf("inotify: done\n");
  return 0;
}
