/* splice, tee and vmsplice (and sendfile, copy_file_range beside them):
   one line per check, so that the output under tsix can be compared with
   the output under qemu-riscv64 (Linux). Files are made in the directory
   given as argv[1] (default "."). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir = ".";
static char path[512];
static const char *P(const char *name) { snprintf(path, sizeof path, "%s/%s", dir, name); return path; }

static const char *en(int e) {
  switch (e) {
  case 0: return "0"; case EAGAIN: return "EAGAIN"; case EBADF: return "EBADF"; case EINVAL: return "EINVAL";
  case ESPIPE: return "ESPIPE"; case EPIPE: return "EPIPE"; case EFAULT: return "EFAULT"; case EINTR: return "EINTR";
  default: return strerror(e);
  }
}
/* Print "label: result" and, for -1, the errno's name. */
static void show(const char *label, long r) {
  if (r < 0) printf("%s: %ld %s\n", label, r, en(errno));
  else printf("%s: %ld\n", label, r);
  fflush(stdout);
}
static int mkfile(const char *name, const char *data) {
  int fd = open(P(name), O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (data) write(fd, data, strlen(data));
  return fd;
}
static void drain(int fd, const char *label) {
  char b[256];
  int n = read(fd, b, sizeof b - 1);
  if (n < 0) n = 0;
  b[n] = 0;
  printf("%s: \"%s\"\n", label, b);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc > 1) dir = argv[1];
  signal(SIGPIPE, SIG_IGN);
  int p[2], q[2];
  pipe(p);
  pipe(q);
  loff_t off;

  /* file -> pipe with an offset: the file's own offset stays. */
  int f = mkfile("a", "hello world");
  off = 6;
  show("file->pipe off 6", splice(f, &off, p[1], NULL, 100, 0));
  printf("off now %lld, file pos %lld\n", (long long)off, (long long)lseek(f, 0, SEEK_CUR));
  drain(p[0], "pipe holds");
  /* file -> pipe without an offset: the file's offset moves. */
  lseek(f, 0, SEEK_SET);
  show("file->pipe pos", splice(f, NULL, p[1], NULL, 5, SPLICE_F_MORE));
  printf("file pos %lld\n", (long long)lseek(f, 0, SEEK_CUR));
  off = 100;
  show("file->pipe past eof", splice(f, &off, p[1], NULL, 5, 0));
  /* pipe -> file, at an offset and at the file's offset. */
  int g = mkfile("b", "0123456789");
  off = 2;
  show("pipe->file off 2", splice(p[0], NULL, g, &off, 100, 0));
  printf("off now %lld, file pos %lld\n", (long long)off, (long long)lseek(g, 0, SEEK_CUR));
  write(p[1], "XY", 2);
  show("pipe->file pos", splice(p[0], NULL, g, NULL, 1, 0));
  printf("file pos %lld\n", (long long)lseek(g, 0, SEEK_CUR));
  drain(p[0], "left in pipe");
  lseek(g, 0, SEEK_SET);
  drain(g, "file b");

  /* errors */
  show("len 0 with bad fds", splice(-1, NULL, -1, NULL, 0, 0));
  show("bad flags", splice(f, NULL, p[1], NULL, 1, 0x10));
  show("bad fd in", splice(99, NULL, p[1], NULL, 1, 0));
  show("bad fd out", splice(f, NULL, 99, NULL, 1, 0));
  off = 0;
  show("offset on pipe in", splice(p[0], &off, g, NULL, 1, 0));
  show("offset on pipe out", splice(f, NULL, p[1], &off, 1, 0));
  show("offset on pipe both", splice(p[0], &off, q[1], NULL, 1, 0));
  show("file to file", splice(f, NULL, g, NULL, 1, 0));
  show("pipe write end as input", splice(p[1], NULL, g, NULL, 1, 0));
  show("pipe read end as output", splice(f, NULL, p[0], NULL, 1, 0));
  int wo = open(P("a"), O_WRONLY);
  show("write-only input", splice(wo, NULL, p[1], NULL, 1, 0));
  int ap = open(P("b"), O_WRONLY | O_APPEND);
  write(p[1], "z", 1);
  show("append output", splice(p[0], NULL, ap, NULL, 1, 0));
  show("bad offset pointer", splice(p[0], NULL, g, (loff_t *)8, 1, 0));
  off = -1;
  show("negative offset", splice(p[0], NULL, g, &off, 1, 0));
  show("to self", splice(p[0], NULL, p[1], NULL, 1, 0));
  drain(p[0], "still in pipe");
  int d = open(dir, O_RDONLY | O_DIRECTORY);
  show("directory input", splice(d, NULL, p[1], NULL, 1, 0));

  /* non-blocking */
  show("empty pipe NONBLOCK", splice(p[0], NULL, g, NULL, 10, SPLICE_F_NONBLOCK));
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  show("empty O_NONBLOCK pipe", splice(p[0], NULL, g, NULL, 10, 0));
  fcntl(p[0], F_SETFL, 0);
  fcntl(q[1], F_SETPIPE_SZ, 4096);
  char big[8192];
  memset(big, 'q', sizeof big);
  write(q[1], big, 4096);
  show("full pipe NONBLOCK", splice(f, NULL, q[1], NULL, 10, SPLICE_F_NONBLOCK));
  show("vmsplice full NONBLOCK", vmsplice(q[1], &(struct iovec){ big, 10 }, 1, SPLICE_F_NONBLOCK));
  { char t[4096]; read(q[0], t, sizeof t); }

  /* pipe -> pipe, tee */
  write(p[1], "abcdef", 6);
  show("pipe->pipe", splice(p[0], NULL, q[1], NULL, 4, 0));
  drain(q[0], "q got");
  write(p[1], "tee!", 4);
  show("tee", tee(p[0], q[1], 100, 0));
  drain(q[0], "q got");
  show("tee same pipe", tee(p[0], p[1], 10, 0));
  show("tee file", tee(f, q[1], 10, 0));
  show("tee len 0", tee(-1, -1, 0, 0));
  show("tee bad fd", tee(99, q[1], 1, 0));
  show("tee wrong ends", tee(p[1], q[0], 1, 0));
  drain(p[0], "p after tee");
  show("tee empty NONBLOCK", tee(p[0], q[1], 10, SPLICE_F_NONBLOCK));

  /* vmsplice both ways */
  struct iovec iv[2] = { { "vm", 2 }, { "splice", 6 } };
  show("vmsplice in", vmsplice(p[1], iv, 2, 0));
  char r1[3] = {0}, r2[6] = {0};
  struct iovec ov[2] = { { r1, 2 }, { r2, 5 } };
  show("vmsplice out", vmsplice(p[0], ov, 2, 0));
  printf("got \"%s\" \"%s\"\n", r1, r2);
  drain(p[0], "rest");
  show("vmsplice file", vmsplice(f, iv, 2, 0));
  show("vmsplice bad flags", vmsplice(p[1], iv, 2, 0x100));
  show("vmsplice bad iov", vmsplice(p[1], (struct iovec *)8, 1, 0));
  show("vmsplice no iov", vmsplice(p[1], iv, 0, 0));
  show("vmsplice empty NONBLOCK", vmsplice(p[0], ov, 1, SPLICE_F_NONBLOCK));

  /* EPIPE, end of file */
  int e[2];
  pipe(e);
  close(e[0]);
  show("no reader", splice(f, NULL, e[1], NULL, 1, 0));
  show("vmsplice no reader", vmsplice(e[1], iv, 1, 0));
  close(e[1]);
  pipe(e);
  close(e[1]);
  show("no writer", splice(e[0], NULL, g, NULL, 10, 0));
  show("tee no writer", tee(e[0], q[1], 10, 0));
  close(e[0]);

  /* blocking: the reader sleeps until a child writes */
  pid_t c = fork();
  if (c == 0) { usleep(100000); write(p[1], "late", 4); _exit(0); }
  show("blocked pipe->file", splice(p[0], NULL, g, NULL, 100, 0));
  waitpid(c, NULL, 0);
  /* the writer sleeps until a child reads */
  write(q[1], big, 4096);
  c = fork();
  if (c == 0) { char t[4096]; usleep(100000); read(q[0], t, 4096); _exit(0); }
  lseek(f, 0, SEEK_SET);
  show("blocked file->pipe", splice(f, NULL, q[1], NULL, 3, 0));
  waitpid(c, NULL, 0);
  drain(q[0], "q got");

  /* sockets */
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  write(p[1], "to sock", 7);
  show("pipe->socket", splice(p[0], NULL, sv[0], NULL, 100, 0));
  drain(sv[1], "socket got");
  write(sv[1], "from sock", 9);
  show("socket->pipe", splice(sv[0], NULL, p[1], NULL, 100, 0));
  drain(p[0], "pipe got");
  show("empty socket NONBLOCK", splice(sv[0], NULL, p[1], NULL, 100, SPLICE_F_NONBLOCK));
  off = 0;
  show("socket with offset", splice(sv[0], &off, p[1], NULL, 100, 0));

  /* a large file through a pipe, in and out, compared */
  int src = mkfile("big", NULL);
  for (int i = 0; i < 300000; i++) { char ch = 'a' + (i * 7) % 26; write(src, &ch, 1); if (i % 50000 == 0) {} }
  lseek(src, 0, SEEK_SET);
  int dst = mkfile("copy", NULL);
  long moved = 0;
  for (;;) {
    ssize_t n = splice(src, NULL, p[1], NULL, 1 << 20, 0);
    if (n <= 0) break;
    while (n > 0) { ssize_t m = splice(p[0], NULL, dst, NULL, n, 0); if (m <= 0) { n = -1; break; } n -= m; moved += m; }
  }
  printf("moved %ld\n", moved);
  int same = 1;
  lseek(src, 0, SEEK_SET);
  lseek(dst, 0, SEEK_SET);
  for (;;) {
    char a[4096], b[4096];
    ssize_t x = read(src, a, sizeof a), y = read(dst, b, sizeof b);
    if (x != y || memcmp(a, b, x)) { same = 0; break; }
    if (x <= 0) break;
  }
  printf("copy same: %d\n", same);
  /* sendfile and copy_file_range agree with splice */
  off = 1000;
  show("sendfile to pipe", sendfile(p[1], src, &off, 10));
  char s1[11] = {0}; read(p[0], s1, 10);
  off = 1000;
  splice(src, &off, p[1], NULL, 10, 0);
  char s2[11] = {0}; read(p[0], s2, 10);
  printf("sendfile and splice agree: %d (%s)\n", strcmp(s1, s2) == 0, s1);
  int cf = mkfile("cfr", NULL);
  loff_t oi = 1000, oo = 0;
  show("copy_file_range", copy_file_range(src, &oi, cf, &oo, 10, 0));
  char s3[11] = {0}; pread(cf, s3, 10, 0);
  printf("copy_file_range agrees: %d\n", strcmp(s1, s3) == 0);
  unlink(P("a")); unlink(P("b")); unlink(P("big")); unlink(P("copy")); unlink(P("cfr"));
  printf("splice: done\n");
  return 0;
}
