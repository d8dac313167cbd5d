/* futex_waitv (449): one line per check. The expected results follow the
   kernel's documentation and source (kernel/futex/syscalls.c): qemu-riscv64
   7.2 does not translate this syscall (it answers ENOSYS), so the test
   compares with the lines spelled out in the .test.ts instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
struct waitv { uint64_t val; uint64_t uaddr; uint32_t flags; uint32_t reserved; };
#define U32 0x02
#define PRIV 128

static long waitv(struct waitv *w, unsigned n, unsigned flags, struct timespec *to, int clk) {
  return syscall(SYS_futex_waitv, w, n, flags, to, clk);
}
static const char *en(int e) {
  switch (e) {
  case EINVAL: return "EINVAL"; case EAGAIN: return "EAGAIN"; case ETIMEDOUT: return "ETIMEDOUT";
  case EFAULT: return "EFAULT"; case ENOSYS: return "ENOSYS"; case EINTR: return "EINTR";
  default: return strerror(e);
  }
}
static void show(const char *label, long r) {
  if (r < 0) printf("%s: %ld %s\n", label, r, en(errno)); else printf("%s: %ld\n", label, r);
  fflush(stdout);
}
static struct timespec after_ms(int clk, long ms) {
  struct timespec ts;
  clock_gettime(clk, &ts);
  ts.tv_nsec += ms * 1000000L;
  ts.tv_sec += ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}
static long elapsed_ms(struct timespec a) {
  struct timespec b;
  clock_gettime(CLOCK_MONOTONIC, &b);
  return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

static uint32_t words[130];
static struct waitv ws[130];
static volatile long result;
static volatile int started;

static void *waiter(void *arg) {
  (void)arg;
  started = 1;
  result = waitv(ws, 3, 0, NULL, 0);
  if (result < 0) result = -errno;
  return NULL;
}

/* Start a thread waiting on ws[0..2], wake word `which` with FUTEX_WAKE(op), return the thread's result. */
static long wake_one(int which, int op) {
  pthread_t th;
  started = 0;
  result = -999;
  pthread_create(&th, NULL, waiter, NULL);
  while (!started) usleep(1000);
  long woke = 0;
  for (int tries = 0; tries < 200 && woke == 0; tries++) {
    usleep(5000);
    woke = syscall(SYS_futex, &words[which], op, 1, NULL, NULL, 0);
  }
  pthread_join(th, NULL);
  printf("  FUTEX_WAKE woke %ld\n", woke);
  return result;
}

int main(void) {
  for (int i = 0; i < 130; i++) { words[i] = i; ws[i] = (struct waitv){ .val = i, .uaddr = (uintptr_t)&words[i], .flags = U32 | PRIV }; }
  struct timespec ts = after_ms(CLOCK_MONOTONIC, 10);

  show("flags not 0", waitv(ws, 1, 1, NULL, 0));
  show("no futexes", waitv(ws, 0, 0, NULL, 0));
  show("129 futexes", waitv(ws, 129, 0, NULL, 0));
  show("NULL waiters", waitv(NULL, 1, 0, NULL, 0));
  show("bad clock with a timeout", waitv(ws, 1, 0, &ts, CLOCK_BOOTTIME));
  show("bad timeout pointer", waitv(ws, 1, 0, (struct timespec *)8, CLOCK_MONOTONIC));
  show("bad waiters pointer", waitv((struct waitv *)8, 1, 0, NULL, 0));
  struct waitv bad = ws[0];
  bad.flags = 0; show("FUTEX2_SIZE_U8", waitv(&bad, 1, 0, NULL, 0));
  bad.flags = 3; show("FUTEX2_SIZE_U64", waitv(&bad, 1, 0, NULL, 0));
  bad.flags = U32 | 0x40; show("unknown flag", waitv(&bad, 1, 0, NULL, 0));
  bad.flags = U32; bad.reserved = 1; show("reserved set", waitv(&bad, 1, 0, NULL, 0));
  bad.reserved = 0; bad.val = 1ULL << 32; show("value over 32 bits", waitv(&bad, 1, 0, NULL, 0));
  bad.val = 0; bad.uaddr = (uintptr_t)&words[0] + 1; show("unaligned word", waitv(&bad, 1, 0, NULL, 0));
  bad.uaddr = 8; show("unmapped word", waitv(&bad, 1, 0, NULL, 0));

  ws[1].val = 77;
  show("second value differs", waitv(ws, 3, 0, NULL, 0));
  ws[1].val = 1;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ts = after_ms(CLOCK_MONOTONIC, 50);
  show("monotonic timeout", waitv(ws, 128, 0, &ts, CLOCK_MONOTONIC));
  long ms = elapsed_ms(t0);
  printf("  waited at least 50 ms: %d\n", ms >= 49);
  ts = after_ms(CLOCK_REALTIME, 30);
  show("realtime timeout", waitv(ws, 2, 0, &ts, CLOCK_REALTIME));
  ts.tv_sec = 0; ts.tv_nsec = 0;
  show("timeout in the past", waitv(ws, 2, 0, &ts, CLOCK_MONOTONIC));
  ws[0].val = 55;
  show("clock not checked without a timeout", waitv(ws, 1, 0, NULL, 99));
  ws[0].val = 0;

  show("woken: index of word 2 (private)", wake_one(2, FUTEX_WAKE_PRIVATE));
  show("woken: index of word 0", wake_one(0, FUTEX_WAKE_PRIVATE));

  /* A shared word (no FUTEX2_PRIVATE) in MAP_SHARED memory, woken by another process. */
  uint32_t *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  sh[0] = 5; sh[1] = 6;
  struct waitv sw[2] = { { 5, (uintptr_t)&sh[0], U32, 0 }, { 6, (uintptr_t)&sh[1], U32, 0 } };
  pid_t c = fork();
  if (c == 0) {
    long w = 0;
    for (int tries = 0; tries < 200 && w == 0; tries++) { usleep(5000); w = syscall(SYS_futex, &sh[1], FUTEX_WAKE, 1, NULL, NULL, 0); }
    _exit(w == 1 ? 0 : 1);
  }
  show("shared word woken by another process", waitv(sw, 2, 0, NULL, 0));
  int st;
  waitpid(c, &st, 0);
  printf("  child woke one: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
  printf("futex_waitv: done\n");
  return 0;
}
