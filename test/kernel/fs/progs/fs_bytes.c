/* Names and arguments are bytes (Linux's rule): a name with bytes that are
   not UTF-8 (0xff, 0xfe, 0x80, a lone 0xc3) must come back byte for byte
   from getdents, stat, readlink of /proc/self/fd/N, rename, symlink targets,
   AF_UNIX socket paths and POSIX mq names; execve's argv and envp must reach
   the new program unchanged, as must /proc/self/cmdline, environ and comm.
   A valid multibyte UTF-8 name ("한글") works the same way. NAME_MAX counts
   bytes: 255 bytes of 0xff is a legal name, 256 is ENAMETOOLONG.

   fs_bytes DIR   - the file checks in DIR (tmpfs, hostfs, ext2 or, under
                    qemu-riscv64, a host directory), then exec checks.
   fs_bytes DIR noexec - the same without the exec checks (qemu-user).
   fs_bytes child \xff\x80 x\xfey (env V=\xff\x80z H=한 only) - the exec'ed side.
   fs_bytes mnt   - mount /dev/ram0 (ext2) on /mnt, run the checks in
                    /mnt/d and leave the names there for debugfs.
   The file checks leave DIR/keep/ with "a\xff\xfeb" (a file holding
   "bytes"), "\xed\x95\x9c\xea\xb8\x80" (한글, a directory) and "l\x80"
   (a symlink to "t\xff\x80") for the host to check. */
#include "t.h"
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char NAME[] = "a\xff\xfe" "b";
static const char HANGUL[] = "\xed\x95\x9c\xea\xb8\x80";

static void hex(const char *what, const char *s, size_t n) {
  printf("%s:", what);
  for (size_t i = 0; i < n; i++) printf(" %02x", (unsigned char)s[i]);
  printf("\n");
}

/* Whether directory `dir` lists exactly `name` (compared as bytes). */
static int listed(const char *dir, const char *name) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *e;
  int found = 0;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, name) == 0) found = 1;
  closedir(d);
  return found;
}

static void files(const char *base) {
  char dir[600], p[1024], q[1024], link[64], buf[1024];
  snprintf(dir, sizeof dir, "%s/keep", base);
  mkdir(dir, 0755);

  /* A file named a\xff\xfeb: create, list, stat, its /proc/self/fd link. */
  snprintf(p, sizeof p, "%s/%s", dir, NAME);
  int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "bytes", 5) == 5);
  CHECK(listed(dir, NAME));
  struct stat st;
  CHECK(stat(p, &st) == 0 && st.st_size == 5);
  /* A different invalid byte is a different name (both would be U+FFFD if decoded as UTF-8). */
  snprintf(q, sizeof q, "%s/a\xfe\xff" "b", dir);
  ERR(stat(q, &st), ENOENT);
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, buf, sizeof buf);
  CHECK(n == (ssize_t)strlen(p) && memcmp(buf, p, n) == 0);
  if (n > 0) hex("fdlink-tail", buf + n - 4, 4);
  close(fd);

  /* rename to another invalid name and back; a second file of the same bytes is EEXIST. */
  snprintf(q, sizeof q, "%s/c\x80" "d", dir);
  CHECK(rename(p, q) == 0);
  CHECK(listed(dir, "c\x80" "d") && !listed(dir, NAME));
  CHECK(rename(q, p) == 0);
  ERR(open(p, O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);

  /* A symbolic link named l\x80 whose target is t\xff\x80. */
  snprintf(q, sizeof q, "%s/l\x80", dir);
  unlink(q);
  CHECK(symlink("t\xff\x80", q) == 0);
  n = readlink(q, buf, sizeof buf);
  CHECK(n == 3 && memcmp(buf, "t\xff\x80", 3) == 0);
  if (n > 0) hex("symlink-target", buf, n);
  CHECK(lstat(q, &st) == 0 && st.st_size == 3);

  /* Valid UTF-8 with multibyte characters: a directory 한글 with a file in it. */
  snprintf(q, sizeof q, "%s/%s", dir, HANGUL);
  CHECK(mkdir(q, 0755) == 0 || errno == EEXIST);
  CHECK(listed(dir, HANGUL));
  snprintf(q, sizeof q, "%s/%s/%s", dir, HANGUL, HANGUL);
  fd = open(q, O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0);
  close(fd);
  CHECK(chdir(dir) == 0);
  CHECK(chdir(HANGUL) == 0);
  CHECK(getcwd(buf, sizeof buf) != NULL);
  size_t bl = strlen(buf), hl = strlen(HANGUL);
  CHECK(bl > hl && memcmp(buf + bl - hl, HANGUL, hl) == 0);
  CHECK(chdir("/") == 0);
  CHECK(unlink(q) == 0);

  /* NAME_MAX is 255 BYTES: 255 bytes of 0xff are one legal name, 256 are not. */
  char big[300];
  memset(big, 0xff, 256);
  big[255] = 0;
  snprintf(q, sizeof q, "%s/%s", dir, big);
  fd = open(q, O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0);
  if (fd >= 0) close(fd);
  CHECK(listed(dir, big));
  CHECK(unlink(q) == 0);
  big[255] = (char)0xff;
  big[256] = 0;
  snprintf(q, sizeof q, "%s/%s", dir, big);
  ERR(open(q, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);

  /* An AF_UNIX socket at a path with 0xff: getsockname gives the same bytes.
     In /tmp: tsix's hostfs has no socket inodes (EPERM), and a bound socket
     unlinked on ext2 is not what this test is about. */
  char sname[32];
  snprintf(sname, sizeof sname, "s\xff%d", (int)getpid());
  snprintf(q, sizeof q, "/tmp/%s", sname);
  unlink(q);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(s >= 0);
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  if (strlen(q) < sizeof a.sun_path) {
    memcpy(a.sun_path, q, strlen(q) + 1);
    CHECK(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    struct sockaddr_un g;
    socklen_t gl = sizeof g;
    CHECK(getsockname(s, (struct sockaddr *)&g, &gl) == 0);
    CHECK(gl == offsetof(struct sockaddr_un, sun_path) + strlen(q) + 1 && strcmp(g.sun_path, q) == 0);
    CHECK(listed("/tmp", sname));
    CHECK(unlink(q) == 0);
  }
  close(s);
}

/* POSIX message queue names are bytes too: /q\xff and /q\xfe are two queues. */
static void mq(void) {
  struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 16 };
  mq_unlink("/q\xff");
  mqd_t m = mq_open("/q\xff", O_CREAT | O_EXCL | O_RDWR, 0600, &at);
  if (m == (mqd_t)-1 && errno == ENOSYS) return; /* qemu-user without mqueue */
  CHECK(m != (mqd_t)-1);
  ERR(mq_open("/q\xfe", O_RDWR), ENOENT);
  mqd_t m2 = mq_open("/q\xff", O_RDWR);
  CHECK(m2 != (mqd_t)-1);
  mq_close(m2);
  mq_close(m);
  CHECK(mq_unlink("/q\xff") == 0);
}

static int readall(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  int n = 0, r;
  while ((r = read(fd, buf + n, cap - n)) > 0) n += r;
  close(fd);
  return n;
}

/* The exec'ed side: argv, envp, /proc/self/cmdline, environ, comm. */
static int child(int argc, char **argv) {
  prog_name = "fs_bytes child";
  CHECK(argc == 4);
  if (argc != 4) DONE();
  CHECK(strcmp(argv[2], "\xff\x80") == 0);
  CHECK(strcmp(argv[3], "x\xfey") == 0);
  hex("argv2", argv[2], strlen(argv[2]));
  hex("argv3", argv[3], strlen(argv[3]));
  const char *v = getenv("V");
  CHECK(v && strcmp(v, "\xff\x80" "z") == 0);
  if (v) hex("env-V", v, strlen(v));
  char buf[4096];
  int n = readall("/proc/self/cmdline", buf, sizeof buf);
  size_t l0 = strlen(argv[0]) + 1;
  static const char rest[] = "child\0\xff\x80\0x\xfey";
  CHECK(n == (int)(l0 + sizeof rest) && memcmp(buf + l0, rest, sizeof rest) == 0);
  if (n > (int)l0) hex("cmdline-tail", buf + l0, n - l0);
  n = readall("/proc/self/environ", buf, sizeof buf);
  CHECK(n == 12 && memcmp(buf, "V=\xff\x80z\0H=\xed\x95\x9c", 12) == 0);
  /* comm: prctl(PR_SET_NAME) with a 0xff byte, back through PR_GET_NAME and /proc/self/comm. */
  CHECK(prctl(PR_SET_NAME, "n\xff\x80", 0, 0, 0) == 0);
  char nm[17] = {0};
  CHECK(prctl(PR_GET_NAME, nm, 0, 0, 0) == 0 && strcmp(nm, "n\xff\x80") == 0);
  n = readall("/proc/self/comm", buf, sizeof buf);
  CHECK(n == 4 && memcmp(buf, "n\xff\x80\n", 4) == 0);
  if (n > 0) hex("comm", buf, n);
  DONE();
}

static void exec_checks(const char *self) {
  pid_t pid = fork();
  if (pid == 0) {
    char *av[] = { (char *)self, "child", "\xff\x80", "x\xfey", NULL };
    char *ev[] = { "V=\xff\x80z", "H=\xed\x95\x9c", NULL };
    execve(self, av, ev);
    _exit(127);
  }
  int status = 0;
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char **argv) {
  prog_name = "fs_bytes";
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child(argc, argv);
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  char base[512];
  if (strcmp(dir, "mnt") == 0) {
    mkdir("/mnt", 0755);
    if (mount("/dev/ram0", "/mnt", "ext2", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
    mkdir("/mnt/d", 0755);
    snprintf(base, sizeof base, "/mnt/d");
  } else snprintf(base, sizeof base, "%s", dir);
  files(base);
  mq();
  /* qemu-riscv64 cannot execve a riscv64 program without binfmt_misc: there the
     host runs "fs_bytes child ..." itself (argv 3 "noexec"). */
  if (!(argc > 2 && strcmp(argv[2], "noexec") == 0)) exec_checks(argv[0]);
  if (strcmp(dir, "mnt") == 0) CHECK(umount("/mnt") == 0);
  DONE();
}
