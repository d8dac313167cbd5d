/* POSIX message queues, the parts that cannot be compared with Linux under
 * qemu-riscv64 (tsix only; expectations from Linux's ipc/mqueue.c):
 * mq_notify (qemu-user 7.2 answers ENOSYS), mq_open with O_ACCMODE (qemu
 * rewrites the flags), the mqueue file system at /dev/mqueue (reading a
 * queue file, rm, open(O_CREAT), mount -t mqueue), the limits in
 * /proc/sys/fs/mqueue and RLIMIT_MSGQUEUE (changing them on the host would
 * change the host), and glibc's SIGEV_THREAD (qemu-user has no mq_notify). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0) printf("%s: %ld %s\n", what, r, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static volatile sig_atomic_t got, gotCode, gotValue, gotPidOk;
static void onSig(int s, siginfo_t *si, void *uc) {
  (void)uc;
  got = s;
  gotCode = si->si_code;
  gotValue = si->si_value.sival_int;
  gotPidOk = si->si_pid == getpid();
}

static void threadFn(union sigval v) { (void)v; }

/* The queue file's text with the notifying pid replaced by "self" when it is ours. */
static void cat(const char *path, const char *what) {
  char b[256] = "";
  int fd = open(path, O_RDONLY);
  if (fd < 0) { show(what, -1); return; }
  int n = read(fd, b, sizeof b - 1);
  close(fd);
  b[n > 0 ? n : 0] = 0;
  char pid[32];
  snprintf(pid, sizeof pid, "NOTIFY_PID:%-6d", getpid());
  char *p = strstr(b, pid);
  if (p) { memcpy(p, "NOTIFY_PID:self  ", 17); }
  printf("%s: %s", what, b);
}

static int put(const char *path, const char *v) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -errno;
  int r = write(fd, v, strlen(v));
  int e = errno;
  close(fd);
  return r < 0 ? -e : 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = "/more";
  struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 64 };
  mqd_t q = mq_open(name, O_RDWR | O_CREAT, 0640, &a);
  show("create", q < 0 ? -1 : 0);
  show("accmode 3", mq_open(name, 3));
  char small[64];

  /* mq_notify with SIGEV_SIGNAL: fires once, for a message into an empty queue, with SI_MESGQ and the value. */
  struct sigaction sn = { 0 };
  sn.sa_sigaction = onSig;
  sn.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &sn, NULL);
  struct sigevent ev = { 0 };
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR2;
  ev.sigev_value.sival_int = 4242;
  show("notify", mq_notify(q, &ev));
  pid_t c = fork();
  if (c == 0) {
    printf("child notify: %d %s\n", mq_notify(q, &ev), strerrorname_np(errno));
    printf("child unregister (not owner): %d\n", mq_notify(q, NULL));
    _exit(0);
  }
  waitpid(c, NULL, 0);
  show("still registered", mq_notify(q, &ev));
  mq_send(q, "n1", 2, 0);
  printf("signal: %d code=%s value=%d pid-ok=%d\n", got == SIGUSR2, gotCode == SI_MESGQ ? "SI_MESGQ" : "other", (int)gotValue, (int)gotPidOk);
  got = 0;
  mq_send(q, "n2", 2, 0);
  printf("second message, no signal: %d\n", got == 0);
  show("register again", mq_notify(q, &ev));
  mq_send(q, "n3", 2, 0);
  printf("non-empty queue, no signal: %d\n", got == 0);
  for (int i = 0; i < 3; i++) mq_receive(q, small, 64, NULL);
  show("unregister", mq_notify(q, NULL));
  show("unregister again", mq_notify(q, NULL));
  ev.sigev_notify = SIGEV_NONE;
  show("SIGEV_NONE", mq_notify(q, &ev));
  ev.sigev_notify = SIGEV_SIGNAL;
  show("busy", mq_notify(q, &ev));
  mq_send(q, "n4", 2, 0);
  show("SIGEV_NONE fired and removed", mq_notify(q, &ev));
  mq_notify(q, NULL);
  mq_receive(q, small, 64, NULL);
  ev.sigev_notify = 7;
  show("bad sigev_notify", mq_notify(q, &ev));
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 65;
  show("bad signal", mq_notify(q, &ev));


  /* glibc's SIGEV_THREAD opens a netlink socket itself (mq_thread.c tests it in depth). */
  ev.sigev_notify = SIGEV_THREAD;
  ev.sigev_notify_function = threadFn;
  ev.sigev_notify_attributes = NULL;
  show("SIGEV_THREAD (glibc)", mq_notify(q, &ev));

  /* The file system. */
  struct stat st;
  stat("/dev/mqueue/more", &st);
  printf("stat: mode=%o size=%ld\n", st.st_mode, (long)st.st_size);
  struct statfs sf;
  statfs("/dev/mqueue", &sf);
  printf("statfs magic: %lx\n", (unsigned long)sf.f_type);
  mq_send(q, "hello", 5, 0);
  mq_send(q, "world!", 6, 0);
  cat("/dev/mqueue/more", "queue file");
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR2;
  mq_receive(q, small, 64, NULL);
  mq_receive(q, small, 64, NULL);
  mq_notify(q, &ev);
  cat("/dev/mqueue/more", "queue file with notify");
  mq_notify(q, NULL);
  int fd = open("/dev/mqueue/made-by-open", O_RDWR | O_CREAT, 0600);
  show("open O_CREAT in /dev/mqueue", fd < 0 ? -1 : 0);
  mqd_t viaOpen = mq_open("/made-by-open", O_RDWR);
  struct mq_attr got2;
  mq_getattr(viaOpen, &got2);
  printf("made by open: maxmsg=%ld msgsize=%ld\n", got2.mq_maxmsg, got2.mq_msgsize);
  show("mq_send on the open(2) descriptor", mq_send(fd, "x", 1, 0));
  close(fd);
  mq_close(viaOpen);
  show("mkdir in /dev/mqueue", mkdir("/dev/mqueue/dir", 0755));
  show("rm is unlink", unlink("/dev/mqueue/made-by-open"));
  show("gone", mq_open("/made-by-open", O_RDWR));
  mkdir("/tmp/mq2", 0755);
  show("mount -t mqueue", mount("none", "/tmp/mq2", "mqueue", 0, NULL));
  show("same queues in the new mount", access("/tmp/mq2/more", F_OK));
  umount("/tmp/mq2");

  /* Limits (/proc/sys/fs/mqueue) bind an unprivileged user; RLIMIT_MSGQUEUE binds everyone. */
  show("write msg_max", put("/proc/sys/fs/mqueue/msg_max", "20\n"));
  show("write msg_max 0", put("/proc/sys/fs/mqueue/msg_max", "0\n"));
  show("write queues_max", put("/proc/sys/fs/mqueue/queues_max", "3\n"));
  c = fork();
  if (c == 0) {
    setgid(1000);
    setuid(1000);
    struct mq_attr big = { .mq_maxmsg = 21, .mq_msgsize = 64 };
    show("user: maxmsg 21", mq_open("/u0", O_RDWR | O_CREAT, 0600, &big));
    big.mq_maxmsg = 20;
    show("user: maxmsg 20", mq_open("/u0", O_RDWR | O_CREAT, 0600, &big) < 0 ? -1 : 0);
    big.mq_maxmsg = 2;
    big.mq_msgsize = 8193;
    show("user: msgsize 8193", mq_open("/u1", O_RDWR | O_CREAT, 0600, &big));
    /* Two queues exist (/more and /u0): one more fits under queues_max 3. */
    show("user: third queue", mq_open("/u1", O_RDWR | O_CREAT, 0600, NULL) < 0 ? -1 : 0);
    show("user: fourth queue", mq_open("/u2", O_RDWR | O_CREAT, 0600, NULL));
    show("user: open root's 0640 queue for writing", mq_open(name, O_WRONLY));
    show("user: unlink root's queue", mq_unlink(name));
    mq_unlink("/u0");
    mq_unlink("/u1");
    _exit(0);
  }
  waitpid(c, NULL, 0);
  put("/proc/sys/fs/mqueue/queues_max", "256\n");
  put("/proc/sys/fs/mqueue/msg_max", "10\n");
  /* RLIMIT_MSGQUEUE: a queue of 10 x 8192 takes 10 * (8192 + 48 + 48) = 82880 bytes. */
  struct rlimit rl = { 200000, 200000 };
  setrlimit(RLIMIT_MSGQUEUE, &rl);
  c = fork();
  if (c == 0) {
    setuid(1000);
    show("rlimit: first", mq_open("/r1", O_RDWR | O_CREAT, 0600, NULL) < 0 ? -1 : 0);
    show("rlimit: second", mq_open("/r2", O_RDWR | O_CREAT, 0600, NULL) < 0 ? -1 : 0);
    show("rlimit: third", mq_open("/r3", O_RDWR | O_CREAT, 0600, NULL));
    mq_unlink("/r1");
    show("rlimit: freed by unlink and exit? not while open", mq_open("/r3", O_RDWR | O_CREAT, 0600, NULL));
    _exit(0);
  }
  waitpid(c, NULL, 0);
  c = fork();
  if (c == 0) {
    setuid(1000);
    show("rlimit: after the opener exited", mq_open("/r3", O_RDWR | O_CREAT, 0600, NULL) < 0 ? -1 : 0);
    mq_unlink("/r2");
    mq_unlink("/r3");
    _exit(0);
  }
  waitpid(c, NULL, 0);
  mq_unlink(name);
  printf("mq_more: done\n");
  return 0;
}
