/* Hostile use of POSIX message queues: bad names, sizes past every limit,
 * bad pointers, a flood of queues past queues_max and RLIMIT_MSGQUEUE, and
 * a flood of messages. The kernel answers with Linux's errnos and keeps
 * running. Raw system calls are used where glibc would check first
 * (qemu-user cannot check these: it assumes mq_open's name still has its
 * leading '/', and 7.2 has no mq_notify). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, long r, int err) {
  int e = errno;
  if (err == 0 ? r < 0 : (r != -1 || e != err)) {
    printf("FAIL %s: got %ld %s, want %s\n", what, r, r < 0 ? strerrorname_np(e) : "", err ? strerrorname_np(err) : "success");
    failures++;
  }
}

static long rawOpen(const char *name, int flags, struct mq_attr *a) { return syscall(SYS_mq_open, name, flags, 0600, a); }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  char big[5000];
  memset(big, 'n', sizeof big);
  big[sizeof big - 1] = 0;
  /* Names (the kernel sees them without glibc's leading '/'). */
  expect("slash inside", rawOpen("a/b", O_CREAT | O_RDWR, NULL), EACCES);
  expect("leading slash", rawOpen("/abs", O_CREAT | O_RDWR, NULL), EACCES);
  expect("only slashes", rawOpen("///", O_CREAT | O_RDWR, NULL), EACCES);
  expect("dot dot", rawOpen("..", O_CREAT | O_RDWR, NULL), EACCES);
  expect("empty", rawOpen("", O_CREAT | O_RDWR, NULL), ENOENT);
  big[256] = 0;
  expect("256 bytes", rawOpen(big, O_CREAT | O_RDWR, NULL), ENAMETOOLONG);
  big[256] = 'n';
  expect("4999 bytes", rawOpen(big, O_CREAT | O_RDWR, NULL), ENAMETOOLONG);
  expect("NULL name", rawOpen(NULL, O_CREAT | O_RDWR, NULL), EFAULT);
  expect("kernel name", rawOpen((const char *)0xffffffff80000000UL, O_CREAT | O_RDWR, NULL), EFAULT);
  expect("bad attr pointer", rawOpen("x", O_CREAT | O_RDWR, (struct mq_attr *)1), EFAULT);
  expect("unlink slash", syscall(SYS_mq_unlink, "a/b"), EACCES);
  expect("unlink missing", syscall(SYS_mq_unlink, "nothere"), ENOENT);
  expect("unlink NULL", syscall(SYS_mq_unlink, NULL), EFAULT);

  /* Sizes. */
  struct mq_attr a = { .mq_maxmsg = 1L << 40, .mq_msgsize = 1L << 40 };
  expect("huge attr", rawOpen("huge", O_CREAT | O_RDWR, &a), EINVAL);
  a.mq_maxmsg = 65537; a.mq_msgsize = 16;
  expect("maxmsg past HARD_MSGMAX", rawOpen("huge", O_CREAT | O_RDWR, &a), EINVAL);
  a.mq_maxmsg = 1; a.mq_msgsize = 16 * 1024 * 1024 + 1;
  expect("msgsize past HARD_MSGSIZEMAX", rawOpen("huge", O_CREAT | O_RDWR, &a), EINVAL);
  a.mq_maxmsg = -1; a.mq_msgsize = 16;
  expect("negative maxmsg", rawOpen("huge", O_CREAT | O_RDWR, &a), EINVAL);
  a.mq_maxmsg = 4; a.mq_msgsize = 8192;
  mqd_t q = mq_open("/sec", O_CREAT | O_RDWR, 0600, &a);
  expect("open", q, 0);
  static char msg[8193 * 2];
  expect("message over msgsize", mq_send(q, msg, 8193, 0), EMSGSIZE);
  expect("message of SIZE_MAX", mq_send(q, msg, (size_t)-1, 0), EMSGSIZE);
  expect("priority 2^32-1", syscall(SYS_mq_timedsend, q, msg, 1, 0xffffffffUL, NULL), EINVAL);
  expect("send from NULL", syscall(SYS_mq_timedsend, q, NULL, 10, 0, NULL), EFAULT);
  expect("send from kernel", mq_send(q, (const char *)0xffffffff80000000UL, 10, 0), EFAULT);
  expect("timeout at NULL+1", syscall(SYS_mq_timedsend, q, msg, 1, 0, 1), EFAULT);
  expect("send ok", mq_send(q, "abc", 3, 7), 0);
  expect("receive into NULL", mq_receive(q, NULL, 8192, NULL), EFAULT);
  expect("message lost to EFAULT (as Linux)", mq_getattr(q, &a), 0);
  if (a.mq_curmsgs != 0) { printf("FAIL curmsgs %ld after EFAULT receive\n", a.mq_curmsgs); failures++; }
  expect("getattr to NULL+1", syscall(SYS_mq_getsetattr, q, NULL, 1), EFAULT);
  expect("notify from NULL+1", syscall(SYS_mq_notify, q, 1), EFAULT);
  expect("notify bad fd", syscall(SYS_mq_notify, 9999, NULL), EBADF);
  struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_signo = 0 };
  ev.sigev_value.sival_ptr = msg;
  expect("raw SIGEV_THREAD on a pipe", (pipe((int[2]){0}), syscall(SYS_mq_notify, q, &ev)), ENOTSOCK);
  ev.sigev_signo = 9999;
  expect("raw SIGEV_THREAD on no fd", syscall(SYS_mq_notify, q, &ev), EBADF);

  /* A flood of messages: 100000 sends and receives through a 4-message queue leave it empty. */
  struct mq_attr nb = { .mq_flags = O_NONBLOCK };
  mq_setattr(q, &nb, NULL);
  long sent = 0, refused = 0;
  for (int i = 0; i < 100000; i++) {
    if (mq_send(q, msg, 8192, i % 32768) == 0) { sent++; continue; }
    if (errno != EAGAIN) break;
    refused++;
    char b[8192];
    mq_receive(q, b, 8192, NULL);
    if (mq_send(q, msg, 8192, i % 32768) == 0) sent++;
  }
  if (sent != 100000 || refused == 0) { printf("FAIL flood: sent %ld refused %ld\n", sent, refused); failures++; }
  mq_close(q);
  mq_unlink("/sec");

  /* A flood of queues as a user: queues_max (256) stops it with ENOSPC, RLIMIT_MSGQUEUE with EMFILE. */
  pid_t c = fork();
  if (c == 0) {
    setgid(1000);
    setuid(1000);
    struct mq_attr tiny = { .mq_maxmsg = 1, .mq_msgsize = 1 };
    int n = 0;
    char name[32];
    for (;;) {
      snprintf(name, sizeof name, "/flood%d", n);
      mqd_t x = mq_open(name, O_CREAT | O_RDWR, 0600, &tiny);
      if (x == (mqd_t)-1) {
        if (errno != ENOSPC) { printf("FAIL queue flood ended with %s\n", strerrorname_np(errno)); failures++; }
        break;
      }
      mq_close(x);
      if (++n > 1000) break;
    }
    if (n != 256) { printf("FAIL %d queues before ENOSPC, want 256\n", n); failures++; }
    for (int i = 0; i < n; i++) { snprintf(name, sizeof name, "/flood%d", i); mq_unlink(name); }
    n = 0;
    for (;;) {
      snprintf(name, sizeof name, "/big%d", n);
      mqd_t x = mq_open(name, O_CREAT | O_RDWR, 0600, NULL);
      if (x == (mqd_t)-1) {
        if (errno != EMFILE) { printf("FAIL rlimit flood ended with %s\n", strerrorname_np(errno)); failures++; }
        break;
      }
      if (++n > 300) break;
    }
    /* 819200 bytes / (10 * (8192 + 96)) = 9 queues. */
    if (n != 9) { printf("FAIL %d default queues before EMFILE, want 9\n", n); failures++; }
    for (int i = 0; i < n; i++) { snprintf(name, sizeof name, "/big%d", i); mq_unlink(name); }
    _exit(failures);
  }
  int st;
  waitpid(c, &st, 0);
  failures += WIFEXITED(st) ? WEXITSTATUS(st) : 100;
  /* Every queue was unlinked and closed: the accounting is back to nothing, so a user can make 9 again. */
  c = fork();
  if (c == 0) {
    setuid(1000);
    int n = 0;
    char name[32];
    for (; n < 9; n++) {
      snprintf(name, sizeof name, "/again%d", n);
      if (mq_open(name, O_CREAT | O_RDWR, 0600, NULL) == (mqd_t)-1) break;
    }
    if (n != 9) { printf("FAIL accounting leaked: only %d queues the second time\n", n); failures++; }
    for (int i = 0; i < n; i++) { snprintf(name, sizeof name, "/again%d", i); mq_unlink(name); }
    _exit(failures);
  }
  waitpid(c, &st, 0);
  failures += WIFEXITED(st) ? WEXITSTATUS(st) : 100;
  printf("sec_ipc_mq: ok (%d failures)\n", failures);
  return 0;
}
