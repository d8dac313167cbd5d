/* The scheduling calls' results and errors, printed one per line, so that
 * the same program can be run on Linux (qemu-riscv64) and on tsix and the
 * outputs compared: invalid policies and priorities (EINVAL), unknown pids
 * (ESRCH), a task without root asking for a real-time policy (EPERM unless
 * RLIMIT_RTPRIO allows the priority), nice values (raising needs no right,
 * lowering needs RLIMIT_NICE: EACCES), another user's task (EPERM),
 * SCHED_RESET_ON_FORK (children reset, and only root may clear it).
 * Must start as root; the tests of the unprivileged rules run in children
 * that drop to uid 1000. Usage: sched_errs */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

static void show(const char *what, long r) {
  if (r < 0) printf("%s: %s\n", what, errno == EINVAL ? "EINVAL" : errno == EPERM ? "EPERM" : errno == ESRCH ? "ESRCH" : errno == EACCES ? "EACCES" : errno == EFAULT ? "EFAULT" : strerror(errno));
  else printf("%s: %ld\n", what, r);
  fflush(stdout);
}

static long setsched(pid_t pid, int policy, int prio) {
  struct sched_param p = { .sched_priority = prio };
  return sched_setscheduler(pid, policy, &p);
}

static long setparam(int prio) {
  struct sched_param p = { .sched_priority = prio };
  return sched_setparam(0, &p);
}

static long getparam(void) {
  struct sched_param p = { .sched_priority = -1 };
  long r = sched_getparam(0, &p);
  return r < 0 ? r : p.sched_priority;
}

/* Set RLIMIT_RTPRIO (as root) and become uid 1000; 0 when the limit cannot be raised (root without CAP_SYS_RESOURCE, as in a container). */
static int unprivileged(int rtprio) {
  struct rlimit rl = { rtprio, rtprio };
  if (setrlimit(RLIMIT_RTPRIO, &rl) != 0) return 0;
  if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) { perror("setresuid"); _exit(21); }
  return 1;
}

static void in_child(void (*fn)(void)) {
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) { fn(); fflush(stdout); _exit(0); }
  int st;
  waitpid(p, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("child failed: %d\n", st);
}

static void no_rtprio(void) {
  if (!unprivileged(0)) _exit(20);
  show("user fifo 1 without RLIMIT_RTPRIO", setsched(0, SCHED_FIFO, 1));
  show("user rr 1 without RLIMIT_RTPRIO", setsched(0, SCHED_RR, 1));
  show("user batch", setsched(0, SCHED_BATCH, 0));
  show("user getscheduler", sched_getscheduler(0));
  show("user other", setsched(0, SCHED_OTHER, 0));
  show("user nice 10", setpriority(PRIO_PROCESS, 0, 10));
  show("user nice 5 (lower)", setpriority(PRIO_PROCESS, 0, 5));
  errno = 0;
  show("user getpriority", getpriority(PRIO_PROCESS, 0));
  show("user nice 15", setpriority(PRIO_PROCESS, 0, 15));
  show("user idle", setsched(0, SCHED_IDLE, 0));
  show("user leave idle", setsched(0, SCHED_OTHER, 0));
  show("user other's task (parent)", setsched(getppid(), SCHED_BATCH, 0));
  show("user setpriority parent", setpriority(PRIO_PROCESS, getppid(), 19));
}

static void with_rtprio(void) {
  if (!unprivileged(10)) { printf("rtprio: cannot raise RLIMIT_RTPRIO\n"); return; }
  show("user fifo 5 with RLIMIT_RTPRIO 10", setsched(0, SCHED_FIFO, 5));
  show("user getscheduler", sched_getscheduler(0));
  show("user setparam 10", setparam(10));
  show("user getparam", getparam());
  show("user setparam 11", setparam(11));
  show("user rr 20", setsched(0, SCHED_RR, 20));
  show("user back to other", setsched(0, SCHED_OTHER, 0));
}

static void reset_on_fork(void) {
  show("root nice -5", setpriority(PRIO_PROCESS, 0, -5));
  show("root other|reset_on_fork", setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0));
  show("getscheduler has the flag", sched_getscheduler(0) == (SCHED_OTHER | SCHED_RESET_ON_FORK));
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);
    printf("forked child nice: %d%s\n", nice, errno ? " (error)" : "");
    show("forked child getscheduler", sched_getscheduler(0));
    fflush(stdout);
    _exit(0);
  }
  waitpid(p, NULL, 0);
  if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) _exit(21);
  show("user clears reset_on_fork", setsched(0, SCHED_OTHER, 0));
  show("user keeps reset_on_fork", setsched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0));
}

int main(void) {
  int pols[] = { SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 4, 8, -1 };
  for (unsigned i = 0; i < sizeof pols / sizeof pols[0]; i++) {
    char a[64], b[64];
    snprintf(a, sizeof a, "max %d", pols[i]);
    snprintf(b, sizeof b, "min %d", pols[i]);
    show(a, sched_get_priority_max(pols[i]));
    show(b, sched_get_priority_min(pols[i]));
  }
  show("bad policy 8", setsched(0, 8, 0));
  show("bad policy 4", setsched(0, 4, 0));
  show("fifo prio 0", setsched(0, SCHED_FIFO, 0));
  show("fifo prio 100", setsched(0, SCHED_FIFO, 100));
  show("other prio 5", setsched(0, SCHED_OTHER, 5));
  show("batch prio 1", setsched(0, SCHED_BATCH, 1));
  show("pid -1", setsched(-1, SCHED_OTHER, 0));
  show("null param", sched_setscheduler(0, SCHED_OTHER, NULL));
  show("unknown pid", setsched(999999, SCHED_OTHER, 0));
  show("setparam null", sched_setparam(0, NULL));
  show("setparam 3 on other", setparam(3));
  show("getparam pid -1", sched_getparam(-1, NULL));
  show("getscheduler pid -1", sched_getscheduler(-1));
  show("getscheduler unknown", sched_getscheduler(999999));
  show("getscheduler self", sched_getscheduler(0));
  show("setpriority bad which", setpriority(7, 0, 0));
  show("setpriority unknown pid", setpriority(PRIO_PROCESS, 999999, 0));
  in_child(no_rtprio);
  in_child(with_rtprio);
  in_child(reset_on_fork);
  printf("sched_errs: done\n");
  return 0;
}
