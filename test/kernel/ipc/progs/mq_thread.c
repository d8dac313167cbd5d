/* mq_notify with SIGEV_THREAD. glibc's way: its mq_notify opens a netlink
 * socket and a helper thread, and the program's function runs in a new
 * thread with the sigev_value, once per notification (a message into the
 * empty queue), never after mq_notify(NULL). The kernel interface under it,
 * by the raw system call: sigev_signo names a NETLINK_ROUTE socket and
 * sigev_value points at a 32-byte cookie, which the kernel sends to the
 * socket with its last byte NOTIFY_WOKENUP (1) when the notification fires
 * and NOTIFY_REMOVED (2) when it is unregistered; a descriptor that is no
 * netlink socket is EBADF, ENOTSOCK (a pipe) or EINVAL (an AF_UNIX socket).
 * (qemu-user answers mq_notify with ENOSYS, so this has no qemu reference.) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/netlink.h>

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %d: ", __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static sem_t ran;
static volatile int runs, lastValue;
static volatile pthread_t mainThread;
static volatile int otherThread;

static void fn(union sigval v) {
  lastValue = v.sival_int;
  otherThread = !pthread_equal(pthread_self(), mainThread);
  runs++;
  sem_post(&ran);
}

static int waitRun(int ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += ms / 1000; ts.tv_nsec += (ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
  while (sem_timedwait(&ran, &ts) < 0) if (errno != EINTR) return -1;
  return 0;
}

/* The kernel's struct sigevent: sigev_value, sigev_signo, sigev_notify (then padding to 64). */
struct ksigevent { union sigval value; int signo; int notify; char pad[48]; };

static int rawNotify(mqd_t q, int fd, void *cookie) {
  struct ksigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.value.sival_ptr = cookie;
  ev.signo = fd;
  ev.notify = SIGEV_THREAD;
  return syscall(SYS_mq_notify, q, &ev) < 0 ? -errno : 0;
}

static int readCookie(int s, unsigned char *out) {
  struct pollfd p = { s, POLLIN, 0 };
  if (poll(&p, 1, 5000) != 1) return -1;
  return recv(s, out, 64, MSG_DONTWAIT);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  mainThread = pthread_self();
  sem_init(&ran, 0, 0);
  struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 16 };
  mq_unlink("/mqthread");
  mqd_t q = mq_open("/mqthread", O_RDWR | O_CREAT, 0600, &a);
  CHECK(q >= 0, "mq_open: %s", strerror(errno));
  char buf[16];

  /* glibc's SIGEV_THREAD. */
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_THREAD;
  ev.sigev_notify_function = fn;
  ev.sigev_value.sival_int = 77;
  CHECK(mq_notify(q, &ev) == 0, "mq_notify SIGEV_THREAD: %s", strerror(errno));
  struct sigevent sig = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
  CHECK(mq_notify(q, &sig) < 0 && errno == EBUSY, "a second registration: %s", strerror(errno));
  CHECK(mq_send(q, "a", 1, 0) == 0, "send");
  CHECK(waitRun(10000) == 0, "the function did not run within 10 s");
  CHECK(runs == 1 && lastValue == 77 && otherThread, "runs %d value %d in another thread %d", runs, lastValue, otherThread);
  CHECK(mq_send(q, "b", 1, 0) == 0, "send b");
  usleep(300000);
  CHECK(runs == 1, "a fired notification is gone: runs %d", runs);
  mq_receive(q, buf, sizeof buf, NULL); mq_receive(q, buf, sizeof buf, NULL);
  ev.sigev_value.sival_int = 78;
  CHECK(mq_notify(q, &ev) == 0, "register again: %s", strerror(errno));
  CHECK(mq_send(q, "c", 1, 0) == 0, "send c");
  CHECK(waitRun(10000) == 0 && runs == 2 && lastValue == 78, "second run: runs %d value %d", runs, lastValue);
  mq_receive(q, buf, sizeof buf, NULL);
  CHECK(mq_notify(q, &ev) == 0, "register a third time: %s", strerror(errno));
  CHECK(mq_notify(q, NULL) == 0, "unregister: %s", strerror(errno));
  CHECK(mq_send(q, "d", 1, 0) == 0, "send d");
  usleep(300000);
  CHECK(runs == 2, "no run after mq_notify(NULL): runs %d", runs);
  mq_receive(q, buf, sizeof buf, NULL);
  printf("glibc SIGEV_THREAD: runs=%d value=%d\n", runs, lastValue);

  /* The kernel interface. */
  unsigned char cookie[32], got[64];
  for (int i = 0; i < 32; i++) cookie[i] = 0xa0 + i;
  int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  CHECK(rawNotify(q, 999, cookie) == -EBADF, "a closed descriptor: EBADF");
  int pp[2];
  pipe(pp);
  CHECK(rawNotify(q, pp[0], cookie) == -ENOTSOCK, "a pipe: ENOTSOCK");
  int us = socket(AF_UNIX, SOCK_DGRAM, 0);
  CHECK(rawNotify(q, us, cookie) == -EINVAL, "an AF_UNIX socket: EINVAL");
  CHECK(rawNotify(q, nl, (void *)8) == -EFAULT, "a bad cookie pointer: EFAULT");
  CHECK(rawNotify(q, nl, cookie) == 0, "raw SIGEV_THREAD on a netlink socket: %s", strerror(errno));
  CHECK(mq_send(q, "e", 1, 0) == 0, "send e");
  int n = readCookie(nl, got);
  CHECK(n == 32 && !memcmp(got, cookie, 31) && got[31] == 1, "woken: %d bytes, last byte %d", n, n > 0 ? got[31] : -1);
  mq_receive(q, buf, sizeof buf, NULL);
  CHECK(rawNotify(q, nl, cookie) == 0, "raw register again");
  CHECK(mq_notify(q, NULL) == 0, "raw unregister");
  n = readCookie(nl, got);
  CHECK(n == 32 && !memcmp(got, cookie, 31) && got[31] == 2, "removed: %d bytes, last byte %d", n, n > 0 ? got[31] : -1);
  printf("kernel cookie: woken=1 removed=2\n");
  mq_close(q);
  mq_unlink("/mqthread");
  printf("mq_thread: %s (%d failures)\n", fails ? "FAILED" : "ok", fails);
  return fails ? 1 : 0;
}
