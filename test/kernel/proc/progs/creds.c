/*
 * creds: user and group ids, capabilities, permission to signal, nice
 * values, scheduling policies, affinity and CPU-time accounting.
 * Concepts: C27 (credentials and the rules for changing them), C29 (policy
 * and priority), C31 (affinity), C02 (user CPU time accounted).
 *
 * Proves (root first, then in a child that drops privileges):
 *   - getresuid/setgroups/getgroups; capget reports every capability for root
 *     and none for others, and answers an unknown version with EINVAL + v3;
 *   - setresuid/setuid/setreuid/setfsuid follow Linux's rules: an
 *     unprivileged process may only switch among its real, effective and
 *     saved ids; setuid as root sets all three;
 *   - an unprivileged process may not signal root's processes (EPERM), may
 *     raise but not lower its nice value, may not use SCHED_FIFO;
 *   - root can use SCHED_FIFO; priority ranges; affinity masks;
 *   - getrusage and times count user CPU time.
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

static int capget_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) {
    return (int)syscall(SYS_capget, h, d);
}

static void resid(uid_t *r, uid_t *e, uid_t *s) { getresuid(r, e, s); }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char what[200];
    uid_t r, e, s;
    resid(&r, &e, &s);
    check(r == 0 && e == 0 && s == 0, "we start as root (0, 0, 0)");
    gid_t gl[4] = {10, 20};
    check(setgroups(2, gl) == 0, "root may setgroups");
    gid_t got[8];
    int n = getgroups(8, got);
    check(n == 2 && got[0] == 10 && got[1] == 20 && getgroups(0, NULL) == 2, "getgroups returns them");
    errno = 0;
    check(getgroups(1, got) == -1 && errno == EINVAL, "getgroups with too small a buffer: EINVAL");

    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    check(capget_(&h, d) == 0 && (d[0].effective & (1u << CAP_KILL)) && (d[0].permitted & (1u << CAP_SYS_ADMIN)) && (d[1].effective & 1u),
          "capget: root has the capabilities (CAP_KILL, CAP_SYS_ADMIN, CAP_MAC_OVERRIDE)");
    h.version = 0x12345678;
    errno = 0;
    check(capget_(&h, d) == -1 && errno == EINVAL && h.version == _LINUX_CAPABILITY_VERSION_3, "capget with an unknown version: EINVAL and v3 written back");
    h.version = 0x12345678;
    check(capget_(&h, NULL) == 0 && h.version == _LINUX_CAPABILITY_VERSION_3, "capget probe (no data pointer): 0 and v3 written back");

    /* root: scheduling */
    struct sched_param sp = {.sched_priority = 10};
    check(sched_setscheduler(0, SCHED_FIFO, &sp) == 0 && sched_getscheduler(0) == SCHED_FIFO, "root may use SCHED_FIFO");
    memset(&sp, 0, sizeof sp);
    check(sched_getparam(0, &sp) == 0 && sp.sched_priority == 10, "sched_getparam reads the priority back");
    sp.sched_priority = 0;
    check(sched_setscheduler(0, SCHED_OTHER, &sp) == 0 && sched_getscheduler(0) == SCHED_OTHER, "back to SCHED_OTHER");
    sp.sched_priority = 5;
    errno = 0;
    check(sched_setscheduler(0, SCHED_OTHER, &sp) == -1 && errno == EINVAL, "SCHED_OTHER with a priority: EINVAL");
    check(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_FIFO) == 1 &&
          sched_get_priority_max(SCHED_OTHER) == 0, "priority ranges: FIFO 1..99, OTHER 0");
    errno = 0;
    check(sched_get_priority_max(42) == -1 && errno == EINVAL, "an unknown policy: EINVAL");
    cpu_set_t set;
    CPU_ZERO(&set);
    check(sched_getaffinity(0, sizeof set, &set) == 0 && CPU_ISSET(0, &set) && CPU_COUNT(&set) >= 1, "sched_getaffinity includes CPU 0");
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    check(sched_setaffinity(0, sizeof set, &set) == 0, "sched_setaffinity to CPU 0");
    CPU_ZERO(&set);
    errno = 0;
    check(sched_setaffinity(0, sizeof set, &set) == -1 && errno == EINVAL, "an empty affinity mask: EINVAL");
    check(sched_yield() == 0, "sched_yield returns 0");

    /* accounting */
    struct tms t0, t1;
    clock_t c0 = times(&t0);
    /* Burn 150 ms of CPU time. */
    struct timespec cs, ce;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cs);
    volatile unsigned long x = 0;
    do {
        for (unsigned long i = 0; i < 100000UL; i++) x += i;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ce);
    } while ((ce.tv_sec - cs.tv_sec) * 1000000000L + (ce.tv_nsec - cs.tv_nsec) < 150000000L);
    clock_t c1 = times(&t1);
    struct rusage self, thr;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_THREAD, &thr);
    snprintf(what, sizeof what, "times: user ticks grew (%ld -> %ld), elapsed ticks grew (%ld -> %ld)", (long)t0.tms_utime, (long)t1.tms_utime, (long)c0, (long)c1);
    check(t1.tms_utime > t0.tms_utime && c1 >= c0, what);
    check(self.ru_utime.tv_sec > 0 || self.ru_utime.tv_usec > 10000, "getrusage(RUSAGE_SELF) counts the busy loop");
    check(thr.ru_utime.tv_sec <= self.ru_utime.tv_sec, "RUSAGE_THREAD is within RUSAGE_SELF");
    check(self.ru_minflt > 0, "ru_minflt counts our page faults");

    /* a child drops privileges */
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        int bad = 0;
#define T(cond, msg) do { if (!(cond)) { printf("FAIL (child): %s (errno %d)\n", msg, errno); bad++; } else printf("PASS (child): %s\n", msg); } while (0)
        T(setresgid(100, 100, 100) == 0, "setresgid as root");
        T(setresuid(1000, 1001, 0) == 0, "setresuid(1000, 1001, 0) as root");
        resid(&r, &e, &s);
        T(r == 1000 && e == 1001 && s == 0, "getresuid reads 1000, 1001, 0");
        T(setuid(0) == 0, "unprivileged setuid(0) allowed: 0 is the saved id");
        resid(&r, &e, &s);
        T(r == 1000 && e == 0 && s == 0, "that changed only the effective id");
        T(setuid(1000) == 0, "setuid(1000) with euid 0");
        resid(&r, &e, &s);
        T(r == 1000 && e == 1000 && s == 1000, "as root, setuid set all three ids");
        errno = 0;
        T(setuid(0) == -1 && errno == EPERM, "now setuid(0) is EPERM");
        errno = 0;
        T(setreuid(-1, 5) == -1 && errno == EPERM, "setreuid to a foreign euid: EPERM");
        T(setfsuid(2000) == 1000 && setfsuid(1000) == 1000, "setfsuid to a foreign id is ignored (returns the old fsuid)");
        errno = 0;
        T(setgroups(0, NULL) == -1 && errno == EPERM, "setgroups unprivileged: EPERM");
        struct __user_cap_header_struct hh = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct dd[2];
        memset(dd, 0xff, sizeof dd);
        T(capget_(&hh, dd) == 0 && dd[0].effective == 0 && dd[1].permitted == 0, "capget: no capabilities");
        errno = 0;
        T(kill(parent, SIGUSR1) == -1 && errno == EPERM, "kill of root's process: EPERM");
        T(kill(getpid(), 0) == 0, "kill(self, 0) is fine");
        T(setpriority(PRIO_PROCESS, 0, 5) == 0 && getpriority(PRIO_PROCESS, 0) == 5, "nice raised to 5");
        errno = 0;
        T(setpriority(PRIO_PROCESS, 0, 0) == -1 && errno == EACCES, "lowering nice unprivileged: EACCES");
        struct sched_param p2 = {.sched_priority = 10};
        errno = 0;
        T(sched_setscheduler(0, SCHED_FIFO, &p2) == -1 && errno == EPERM, "SCHED_FIFO unprivileged: EPERM");
        _exit(bad ? 1 : 0);
    }
    int st;
    waitpid(c, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the unprivileged child's checks all passed");
    check(nice(3) == 3 && getpriority(PRIO_PROCESS, 0) == 3, "root: nice(3) sets nice 3");
    check(setpriority(PRIO_PROCESS, 0, -5) == 0 && getpriority(PRIO_PROCESS, 0) == -5, "root may lower nice to -5");

    printf("creds: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
