/* Compatibility gaps real programs hit (issue 11, "compat"), each checked
   against what Linux does (the test also runs this under qemu-riscv64):
   - reopening an anonymous pipe through /proc/self/fd/N or /dev/fd/N whose
     other side is gone returns at once (bash's diff <(...) <(...), and
     `echo x | cat /dev/fd/0`), where a FIFO would wait for a partner;
   - clock_gettime on another thread's CPU-time clock (pthread_getcpuclockid)
     and on a process's (clock_getcpuclockid);
   - sched_getaffinity with CPU set sizes far larger than the machine's;
   - clock_settime's errors (and, with the argument "tsix", which only tsix
     gets, setting the guest's CLOCK_REALTIME as root: never the host's);
   - fadvise64;
   - closing descriptors while reading /proc/self/fd a record at a time, as
     python's subprocess does for close_fds with pass_fds: none is skipped;
   - pidfd_open/pidfd_send_signal, poll and epoll on a pidfd;
   - with "tsix" too: riscv_hwprobe (qemu-riscv64 7.2 has no such call),
     answered for tsix's rv64imafdc harts. */
#include "../../fs/progs/t.h"
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PIDFD_NONBLOCK_FLAG O_NONBLOCK

static void on_alarm(int s) {
  (void)s;
  static const char m[] = "FAIL: blocked (alarm)\n";
  write(1, m, sizeof m - 1);
  _exit(3);
}

static int reopen(const char *fmt, int fd, int flags) {
  char path[64];
  snprintf(path, sizeof path, fmt, fd);
  return open(path, flags);
}

static void pipes(void) {
  const char *fmts[] = { "/proc/self/fd/%d", "/dev/fd/%d" };
  for (int i = 0; i < 2; i++) {
    int p[2];
    char b[8];
    /* The writer is gone (closed here): a read open returns at once, reads EOF. */
    OK(pipe(p));
    close(p[1]);
    alarm(5);
    int fd = reopen(fmts[i], p[0], O_RDONLY);
    alarm(0);
    CHECK(fd >= 0);
    if (fd >= 0) { CHECK(read(fd, b, sizeof b) == 0); close(fd); }
    close(p[0]);

    /* A writer child wrote and exited (echo x | cat /dev/fd/0): the data is there, then EOF. */
    OK(pipe(p));
    pid_t c = fork();
    if (c == 0) { close(p[0]); write(p[1], "x\n", 2); _exit(0); }
    close(p[1]);
    int st;
    CHECK(waitpid(c, &st, 0) == c);
    alarm(5);
    fd = reopen(fmts[i], p[0], O_RDONLY);
    alarm(0);
    CHECK(fd >= 0);
    if (fd >= 0) {
      CHECK(read(fd, b, sizeof b) == 2 && memcmp(b, "x\n", 2) == 0);
      CHECK(read(fd, b, sizeof b) == 0);
      close(fd);
    }
    close(p[0]);

    /* The reader is gone: a write open (even O_NONBLOCK: no ENXIO, it is no FIFO) returns, the write gets EPIPE. */
    OK(pipe(p));
    close(p[0]);
    alarm(5);
    fd = reopen(fmts[i], p[1], O_WRONLY);
    alarm(0);
    CHECK(fd >= 0);
    if (fd >= 0) { ERR(write(fd, "y", 1), EPIPE); close(fd); }
    fd = reopen(fmts[i], p[1], O_WRONLY | O_NONBLOCK);
    CHECK(fd >= 0);
    if (fd >= 0) close(fd);
    close(p[1]);

    /* Both ends open: a reopened read end shares the pipe. */
    OK(pipe(p));
    fd = reopen(fmts[i], p[0], O_RDONLY | O_NONBLOCK);
    CHECK(fd >= 0);
    if (fd >= 0) {
      ERR(read(fd, b, sizeof b), EAGAIN);
      CHECK(write(p[1], "zz", 2) == 2);
      CHECK(read(fd, b, sizeof b) == 2 && memcmp(b, "zz", 2) == 0);
      close(fd);
    }
    close(p[0]);
    close(p[1]);
  }
}

static volatile int spin_stop;
static pthread_t main_thread;

static void *spinner(void *arg) {
  (void)arg;
  volatile unsigned long n = 0;
  while (!spin_stop) n++;
  return NULL;
}

static long long ts_ns(const struct timespec *ts) { return ts->tv_sec * 1000000000LL + ts->tv_nsec; }

static void cpu_clocks(void) {
  pthread_t th;
  clockid_t cid, self_cid, pcid;
  struct timespec a, b, r;
  main_thread = pthread_self();
  CHECK(pthread_create(&th, NULL, spinner, NULL) == 0);
  CHECK(pthread_getcpuclockid(th, &cid) == 0);
  /* Let the spinner run for a while. */
  struct timespec d = { 0, 20 * 1000 * 1000 };
  nanosleep(&d, NULL);
  OK(clock_gettime(cid, &a));
  nanosleep(&d, NULL);
  OK(clock_gettime(cid, &b));
  CHECK(ts_ns(&a) > 0);
  CHECK(ts_ns(&b) > ts_ns(&a)); /* it keeps spinning: its clock moves */
  OK(clock_getres(cid, &r));
  spin_stop = 1;
  CHECK(pthread_join(th, NULL) == 0);

  /* This thread's own clock, named by id, agrees with CLOCK_THREAD_CPUTIME_ID's order of magnitude. */
  CHECK(pthread_getcpuclockid(pthread_self(), &self_cid) == 0);
  OK(clock_gettime(self_cid, &a));
  OK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b));
  CHECK(ts_ns(&b) >= ts_ns(&a));

  /* The process clock of this process (pid 0 and our own pid). */
  CHECK(clock_getcpuclockid(0, &pcid) == 0);
  OK(clock_gettime(pcid, &a));
  CHECK(clock_getcpuclockid(getpid(), &pcid) == 0);
  OK(clock_gettime(pcid, &b));
  CHECK(ts_ns(&b) >= ts_ns(&a));
  CHECK(ts_ns(&a) > 0);

  /* A thread clock of a task outside this thread group is refused; so is the clock kind 3. */
  pid_t c = fork();
  if (c == 0) { pause(); _exit(0); }
  clockid_t other = (clockid_t)((~(unsigned)c) << 3) | 4 | 2; /* MAKE_THREAD_CPUCLOCK(c, CPUCLOCK_SCHED) */
  ERR(syscall(SYS_clock_gettime, other, &a), EINVAL);
  clockid_t oproc = (clockid_t)((~(unsigned)c) << 3) | 2;   /* its process clock is readable */
  OK(syscall(SYS_clock_gettime, oproc, &a));
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  clockid_t bad = (clockid_t)((~0u) << 3) | 3;              /* pid 0, CPUCLOCK_MAX */
  ERR(syscall(SYS_clock_gettime, bad, &a), EINVAL);
  clockid_t gone = (clockid_t)((~(unsigned)c) << 3) | 2;   /* a reaped pid */
  ERR(syscall(SYS_clock_gettime, gone, &a), EINVAL);
}

static void affinity(void) {
  /* What python's os.sched_getaffinity does: sizes from 8 bytes up, and glibc's view. */
  size_t sizes[] = { 8, 128, 1024, 1 << 16, 1 << 20 };
  for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    size_t n = sizes[i];
    unsigned char *m = malloc(n);
    memset(m, 0xaa, n);
    long r = syscall(SYS_sched_getaffinity, 0, n, m);
    CHECK(r > 0 && r % 8 == 0 && (size_t)r <= n);
    if (r > 0) CHECK(m[0] & 1); /* CPU 0 is ours */
    cpu_set_t *s = CPU_ALLOC(n * 8);
    CHECK(sched_getaffinity(0, CPU_ALLOC_SIZE(n * 8), s) == 0);
    int cnt = CPU_COUNT_S(CPU_ALLOC_SIZE(n * 8), s);
    CHECK(cnt >= 1 && cnt == sysconf(_SC_NPROCESSORS_ONLN));
    CPU_FREE(s);
    free(m);
  }
  unsigned char m8[8];
  ERR(syscall(SYS_sched_getaffinity, 0, 12, m8), EINVAL);
}

static void settime(int really) {
  struct timespec ts = { 1, 0 }, now;
  ERR(clock_settime(CLOCK_MONOTONIC, &ts), EINVAL);     /* not settable */
  ERR(clock_settime(CLOCK_BOOTTIME, &ts), EINVAL);
  ERR(clock_settime(12345, &ts), EINVAL);               /* no such clock */
  ERR(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ts), EINVAL); /* the fixed id has no setter */
  clockid_t pc;
  CHECK(clock_getcpuclockid(0, &pc) == 0);
  ERR(clock_settime(pc, &ts), EPERM);                   /* a CPU clock by pid: EPERM */
  struct timespec bad = { 1, 1000000000 };
  ERR(clock_settime(CLOCK_REALTIME, &bad), EINVAL);     /* checked before the permission */
  struct timespec neg = { -1, 0 };
  ERR(clock_settime(CLOCK_REALTIME, &neg), EINVAL);
  ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8), EFAULT);
  /* An unprivileged process may not set the time. */
  pid_t c = fork();
  if (c == 0) {
    if (getuid() == 0 && setuid(65534) != 0) _exit(2);
    OK(clock_gettime(CLOCK_REALTIME, &now));
    errno = 0;
    int r = clock_settime(CLOCK_REALTIME, &now);
    _exit(r == -1 && errno == EPERM ? 0 : 1);
  }
  int st;
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  if (!really) return;
  /* Root sets the guest's wall clock: CLOCK_REALTIME, gettimeofday and file times follow, CLOCK_MONOTONIC does not jump. */
  struct timespec m0, m1, r1;
  OK(clock_gettime(CLOCK_MONOTONIC, &m0));
  struct timespec want = { 2000000000, 500000000 };      /* 2033-05-18 */
  OK(clock_settime(CLOCK_REALTIME, &want));
  OK(clock_gettime(CLOCK_REALTIME, &r1));
  OK(clock_gettime(CLOCK_MONOTONIC, &m1));
  CHECK(r1.tv_sec == 2000000000 || r1.tv_sec == 2000000001);
  CHECK(ts_ns(&m1) - ts_ns(&m0) < 1000000000LL);
  struct timeval tv;
  OK(gettimeofday(&tv, NULL));
  CHECK(tv.tv_sec == 2000000000 || tv.tv_sec == 2000000001);
  int fd = open("/tmp/settime.f", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(fd >= 0);
  struct stat sb;
  OK(fstat(fd, &sb));
  CHECK(sb.st_mtime == 2000000000 || sb.st_mtime == 2000000001);
  close(fd);
  /* Shared by every process of the machine. */
  c = fork();
  if (c == 0) { struct timespec x; clock_gettime(CLOCK_REALTIME, &x); _exit(x.tv_sec >= 2000000000 && x.tv_sec <= 2000000001 ? 0 : 1); }
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void fadvise(void) {
  int fd = open("fadvise.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "data", 4) == 4);
  for (int a = 0; a <= 5; a++) OK(syscall(SYS_fadvise64, fd, 0, 0, a));
  OK(syscall(SYS_fadvise64, fd, 4096, 1 << 20, 3));
  ERR(syscall(SYS_fadvise64, fd, 0, 0, 6), EINVAL);
  ERR(syscall(SYS_fadvise64, fd, 0, 0, -1), EINVAL);
  ERR(syscall(SYS_fadvise64, fd, 0, -1, 0), EINVAL);
  CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
  close(fd);
  int pf = open("fadvise.tmp", O_PATH);
  CHECK(pf >= 0);
  ERR(syscall(SYS_fadvise64, pf, 0, 0, 0), EBADF);
  close(pf);
  unlink("fadvise.tmp");
  ERR(syscall(SYS_fadvise64, 9999, 0, 0, 0), EBADF);
  int p[2];
  OK(pipe(p));
  ERR(syscall(SYS_fadvise64, p[0], 0, 0, 0), ESPIPE);
  CHECK(posix_fadvise(p[1], 0, 0, 0) == ESPIPE);
  close(p[0]);
  close(p[1]);
}

static volatile pid_t thread_tid;
static void *tid_thread(void *arg) {
  (void)arg;
  thread_tid = syscall(SYS_gettid);
  while (!spin_stop) usleep(1000);
  return NULL;
}

static void pidfds(void) {
  pid_t c = fork();
  if (c == 0) { for (;;) pause(); }
  int pfd = syscall(SYS_pidfd_open, c, 0);
  CHECK(pfd >= 0);
  CHECK((fcntl(pfd, F_GETFD) & FD_CLOEXEC) != 0);     /* always close-on-exec */
  struct pollfd p = { pfd, POLLIN, 0 };
  CHECK(poll(&p, 1, 0) == 0);                          /* running: not readable */
  char b[8];
  ERR(read(pfd, b, sizeof b), EINVAL);
  OK(syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));
  ERR(syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0x100), EINVAL); /* no such flag (6.9+ has 1, 2, 4) */
  ERR(syscall(SYS_pidfd_send_signal, pfd, 99, NULL, 0), EINVAL);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = SIGTERM;
  si.si_code = SI_USER;                                /* pretending to be kill() to another process */
  ERR(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, &si, 0), EPERM);
  si.si_code = SI_QUEUE;
  ERR(syscall(SYS_pidfd_send_signal, pfd, SIGINT, &si, 0), EINVAL); /* signo differs */
  ERR(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, (void *)8, 0), EFAULT);
  int ep = epoll_create1(0);
  struct epoll_event ev = { .events = EPOLLIN, .data.fd = pfd }, out;
  OK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd, &ev));
  CHECK(epoll_wait(ep, &out, 1, 0) == 0);
  OK(syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0));
  CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN));  /* it died: readable (a zombie) */
  CHECK(epoll_wait(ep, &out, 1, 5000) == 1 && out.data.fd == pfd && (out.events & EPOLLIN));
  OK(syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));    /* a zombie can still be named */
  int st;
  CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
  ERR(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0), ESRCH); /* reaped */
  p.revents = 0;
  CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLIN));
  close(ep);
  close(pfd);

  /* A child that exits by itself, and a signal with a queued siginfo to ourselves. */
  c = fork();
  if (c == 0) { usleep(20000); _exit(7); }
  pfd = syscall(SYS_pidfd_open, c, PIDFD_NONBLOCK_FLAG);
  CHECK(pfd >= 0 && (fcntl(pfd, F_GETFL) & O_NONBLOCK));
  p.fd = pfd; p.revents = 0;
  CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN));
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 7);
  close(pfd);

  ERR(syscall(SYS_pidfd_open, 0, 0), EINVAL);
  ERR(syscall(SYS_pidfd_open, -1, 0), EINVAL);
  ERR(syscall(SYS_pidfd_open, getpid(), 1), EINVAL);
  ERR(syscall(SYS_pidfd_open, 0x3ffffff0, 0), ESRCH);
  int pp[2];
  OK(pipe(pp));
  ERR(syscall(SYS_pidfd_send_signal, pp[0], 0, NULL, 0), EBADF);
  close(pp[0]);
  close(pp[1]);
  /* A thread that is not its process's leader has no pidfd of its own. */
  pthread_t th;
  spin_stop = 0;
  CHECK(pthread_create(&th, NULL, tid_thread, NULL) == 0);
  while (!thread_tid) usleep(1000);
  /* Linux 6.1 (the release tsix reports) says EINVAL, recent kernels ENOENT. */
  errno = 0;
  CHECK(syscall(SYS_pidfd_open, thread_tid, 0) == -1 && (errno == EINVAL || errno == ENOENT));
  spin_stop = 1;
  pthread_join(th, NULL);
  int self = syscall(SYS_pidfd_open, getpid(), 0);
  CHECK(self >= 0);
  OK(syscall(SYS_pidfd_send_signal, self, 0, NULL, 0));
  close(self);
}

struct dirent64_rec { uint64_t d_ino; int64_t d_off; unsigned short d_reclen; unsigned char d_type; char d_name[256]; };

/* What CPython's _posixsubprocess does in the child (_close_open_fds_safe):
   list /proc/self/fd through a buffer of one struct linux_dirent64, closing
   every fd >= 3 but the kept ones as it goes. */
static void close_fds_while_listing(void) {
  int keep[] = { 7, 20 };
  for (int i = 0; i < 30; i++) CHECK(dup(1) >= 0);       /* fds 3.. ~32 */
  int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  CHECK(dfd >= 0);
  if (dfd < 0) return;
  char buf[sizeof(struct dirent64_rec)];
  long n;
  while ((n = syscall(SYS_getdents64, dfd, buf, sizeof buf)) > 0) {
    for (long off = 0; off < n;) {
      struct dirent64_rec *e = (struct dirent64_rec *)(buf + off);
      off += e->d_reclen;
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      int fd = atoi(e->d_name);
      if (fd == dfd || fd < 3 || fd == keep[0] || fd == keep[1]) continue;
      close(fd);
    }
  }
  CHECK(n == 0);
  close(dfd);
  int left = 0;
  for (int fd = 3; fd < 64; fd++) {
    if (fcntl(fd, F_GETFD) < 0) continue;
    if (fd != keep[0] && fd != keep[1]) { printf("fd %d left open\n", fd); left++; }
  }
  CHECK(left == 0);
  CHECK(fcntl(keep[0], F_GETFD) >= 0 && fcntl(keep[1], F_GETFD) >= 0);
  close(keep[0]);
  close(keep[1]);
}

struct pair { int64_t key; uint64_t value; };

static void hwprobe(void) {
  struct pair p[] = { { 3, 77 }, { 4, 77 }, { 9999, 77 }, { 0, 77 }, { 8, 77 }, { 7, 77 }, { 6, 77 }, { -5, 77 } };
  const long n = sizeof p / sizeof p[0];
  OK(syscall(258, p, n, 0, NULL, 0));
  CHECK(p[0].key == 3 && p[0].value == 1);        /* BASE_BEHAVIOR_IMA */
  CHECK(p[1].key == 4 && p[1].value == 3);        /* IMA_FD | IMA_C; no V */
  CHECK(p[2].key == -1 && p[2].value == 0);       /* unknown key */
  CHECK(p[3].key == 0 && p[3].value == 0);        /* mvendorid */
  CHECK(p[4].key == 8 && p[4].value == 10000000); /* the time CSR's 10 MHz */
  CHECK(p[5].key == 7 && p[5].value == 0x3fffffffffULL); /* Sv39 user space */
  CHECK(p[6].key == 6 && p[6].value == 0);        /* no Zicboz */
  CHECK(p[7].key == -1 && p[7].value == 0);
  unsigned long set = 1;                          /* CPU 0: the same answers */
  struct pair q = { 4, 0 };
  OK(syscall(258, &q, 1, sizeof set, &set, 0));
  CHECK(q.key == 4 && q.value == 3);
  set = 1UL << 63;                                /* no online CPU in the set */
  ERR(syscall(258, &q, 1, sizeof set, &set, 0), EINVAL);
  ERR(syscall(258, &q, 1, 0, NULL, 2), EINVAL);   /* unknown flags */
  ERR(syscall(258, (void *)8, 1, 0, NULL, 0), EFAULT);
  ERR(syscall(258, &q, 1, sizeof set, (void *)8, 0), EFAULT);
  OK(syscall(258, (void *)8, 0, 0, NULL, 0));     /* no pairs: nothing read */
}

int main(int argc, char **argv) {
  prog_name = "compat";
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGALRM, on_alarm);
  signal(SIGPIPE, SIG_IGN);
  close_fds_while_listing();
  pipes();
  cpu_clocks();
  affinity();
  fadvise();
  pidfds();
  int in_tsix = argc > 1 && strcmp(argv[1], "tsix") == 0;
  settime(in_tsix);
  if (in_tsix) hwprobe();
  DONE();
}
