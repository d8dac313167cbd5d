/*
 * timers: interval timers, alarm, and futex waits with timeouts.
 * Concepts: C12 (timers raise signals: SIGALRM), C34 (futex wait queues,
 * timeouts, wake counts, requeue), C02 (CPU-time timers count user time).
 *
 * Proves:
 *   - alarm(1) delivers SIGALRM after about a second; alarm(0) cancels and
 *     returns the seconds left; setitimer(ITIMER_REAL) with an interval
 *     fires periodically; getitimer reports the time left;
 *   - ITIMER_VIRTUAL fires after CPU time (SIGVTALRM) in a busy loop;
 *   - nanosleep interrupted by a handler returns EINTR with the time left;
 *   - FUTEX_WAIT: EAGAIN when the word differs, ETIMEDOUT after a relative
 *     timeout; FUTEX_WAIT_BITSET with absolute CLOCK_MONOTONIC and
 *     CLOCK_REALTIME deadlines; FUTEX_WAKE counts; FUTEX_CMP_REQUEUE and
 *     FUTEX_WAKE_OP; a FUTEX_WAIT on MAP_SHARED memory woken by another
 *     process; pthread_mutex_timedlock and pthread_cond_timedwait time out.
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}
static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}
static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts, uint32_t *uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static volatile int alrm, vtalrm;
static void on_alrm(int s) { (void)s; alrm++; }
static void on_vtalrm(int s) { (void)s; vtalrm++; }

static uint32_t word, word2;
static volatile int woken_threads;
static void *futex_waiter(void *arg) {
    uint32_t *w = arg;
    while (__atomic_load_n(w, __ATOMIC_SEQ_CST) == 0) futex(w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    __atomic_add_fetch(&woken_threads, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

struct lock_args { pthread_mutex_t *m; struct timespec dl; int ret; };
static void *timed_locker(void *p) {
    struct lock_args *a = p;
    a->ret = pthread_mutex_timedlock(a->m, &a->dl);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char what[200];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alrm;
    sigaction(SIGALRM, &sa, NULL);

    /* ---- alarm and ITIMER_REAL ---- */
    double t0 = now_ms();
    alarm(1);
    while (!alrm && now_ms() - t0 < 5000) msleep(10);
    double dt = now_ms() - t0;
    snprintf(what, sizeof what, "alarm(1) delivered SIGALRM after %.0f ms", dt);
    check(alrm == 1 && dt >= 900 && dt < 3000, what);
    alarm(10);
    unsigned left = alarm(0);
    check(left >= 9 && left <= 10, "alarm(0) cancelled and returned the seconds left");
    struct itimerval it = {{0, 50000}, {0, 50000}}, cur;
    alrm = 0;
    t0 = now_ms();
    setitimer(ITIMER_REAL, &it, NULL);
    while (alrm < 4 && now_ms() - t0 < 5000) msleep(5);
    getitimer(ITIMER_REAL, &cur);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    dt = now_ms() - t0;
    snprintf(what, sizeof what, "a 50 ms interval timer fired 4 times in %.0f ms", dt);
    check(alrm >= 4 && dt >= 190, what);
    check(cur.it_interval.tv_usec == 50000 && cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 50000,
          "getitimer reports the interval and the time left");
    getitimer(ITIMER_REAL, &cur);
    check(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, "a disarmed timer reads as zero");

    /* ---- ITIMER_VIRTUAL ---- */
    signal(SIGVTALRM, on_vtalrm);
    struct itimerval vt = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_VIRTUAL, &vt, NULL);
    t0 = now_ms();
    volatile unsigned long x = 0;
    while (!vtalrm && now_ms() - t0 < 20000) for (int i = 0; i < 100000; i++) x += i;
    check(vtalrm == 1, "ITIMER_VIRTUAL fired SIGVTALRM after 100 ms of CPU time");

    /* ---- nanosleep interrupted ---- */
    alrm = 0;
    struct itimerval once = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &once, NULL);
    struct timespec req = {2, 0}, rem = {0, 0};
    t0 = now_ms();
    int r = nanosleep(&req, &rem);
    dt = now_ms() - t0;
    snprintf(what, sizeof what, "nanosleep(2 s) interrupted after %.0f ms with EINTR and %ld.%03ld s left", dt, (long)rem.tv_sec, rem.tv_nsec / 1000000);
    check(r == -1 && errno == EINTR && alrm == 1 && dt < 1500 && (rem.tv_sec >= 1 || rem.tv_nsec > 0), what);

    /* ---- futex ---- */
    word = 1;
    errno = 0;
    check(futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -1 && errno == EAGAIN, "FUTEX_WAIT on a changed word: EAGAIN");
    struct timespec rel = {0, 100 * 1000000L};
    t0 = now_ms();
    errno = 0;
    r = futex(&word, FUTEX_WAIT_PRIVATE, 1, &rel, NULL, 0);
    dt = now_ms() - t0;
    snprintf(what, sizeof what, "FUTEX_WAIT with a 100 ms timeout: ETIMEDOUT after %.0f ms", dt);
    check(r == -1 && errno == ETIMEDOUT && dt >= 95 && dt < 1000, what);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 80 * 1000000L;
    if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
    t0 = now_ms();
    errno = 0;
    r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    dt = now_ms() - t0;
    snprintf(what, sizeof what, "FUTEX_WAIT_BITSET, absolute CLOCK_MONOTONIC deadline: ETIMEDOUT after %.0f ms", dt);
    check(r == -1 && errno == ETIMEDOUT && dt >= 75 && dt < 1000, what);
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 80 * 1000000L;
    if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
    t0 = now_ms();
    errno = 0;
    r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    dt = now_ms() - t0;
    snprintf(what, sizeof what, "FUTEX_CLOCK_REALTIME absolute deadline: ETIMEDOUT after %.0f ms", dt);
    check(r == -1 && errno == ETIMEDOUT && dt >= 70 && dt < 1000, what);
    errno = 0;
    check(futex(&word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 1, &rel, NULL, 0) == -1 && errno == ENOSYS, "FUTEX_CLOCK_REALTIME with plain FUTEX_WAIT: ENOSYS");
    check(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0, "FUTEX_WAKE with no waiters wakes 0");

    /* wake counts */
    word = 0;
    pthread_t th[3];
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, futex_waiter, &word);
    msleep(50);
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    long w1 = futex(&word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0);
    msleep(30);
    long w2 = futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    snprintf(what, sizeof what, "FUTEX_WAKE(2) woke 2 of 3 waiters, then FUTEX_WAKE(10) the last (%ld, %ld)", w1, w2);
    check(w1 == 2 && w2 == 1 && woken_threads == 3, what);

    /* requeue: wake 1, move 2 to word2 */
    word = 0; word2 = 0; woken_threads = 0;
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, futex_waiter, &word);
    msleep(50);
    errno = 0;
    check(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (struct timespec *)2L, &word2, 99) == -1 && errno == EAGAIN, "FUTEX_CMP_REQUEUE with a wrong expected value: EAGAIN");
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    long moved = futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (struct timespec *)2L, &word2, 1);
    msleep(30);
    int after_first = woken_threads;
    long rest = futex(&word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    snprintf(what, sizeof what, "FUTEX_CMP_REQUEUE woke 1 and moved 2 (ret %ld, woke %d, then %ld from the second word)", moved, after_first, rest);
    check(moved == 3 && after_first == 1 && rest == 2, what);

    /* wake-op: *word2 += 1; wake word; wake word2 if old value == 0 */
    word = 0; word2 = 0; woken_threads = 0;
    pthread_create(&th[0], NULL, futex_waiter, &word);
    pthread_create(&th[1], NULL, futex_waiter, &word2);
    msleep(50);
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    long op = futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (struct timespec *)1L, &word2,
                    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0));
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    check(op == 2 && word2 == 1 && woken_threads == 2, "FUTEX_WAKE_OP added 1 to the second word and woke both waiters");

    /* shared futex between processes */
    uint32_t *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *sh = 0;
    pid_t c = fork();
    if (c == 0) {
        msleep(50);
        __atomic_store_n(sh, 1, __ATOMIC_SEQ_CST);
        _exit(futex(sh, FUTEX_WAKE, 1, NULL, NULL, 0) == 1 ? 0 : 1);
    }
    struct timespec five = {5, 0};
    t0 = now_ms();
    r = (int)futex(sh, FUTEX_WAIT, 0, &five, NULL, 0);
    dt = now_ms() - t0;
    int st;
    waitpid(c, &st, 0);
    snprintf(what, sizeof what, "a shared-memory futex was woken by another process after %.0f ms", dt);
    check(r == 0 && dt < 4000 && WIFEXITED(st) && WEXITSTATUS(st) == 0, what);

    /* pthread timed waits */
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&m);
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_nsec += 60 * 1000000L;
    if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
    int tr = 0;
    /* Another thread tries to take the held mutex with a deadline. */
    struct lock_args A = {&m, dl, 0};
    pthread_t tt;
    pthread_create(&tt, NULL, timed_locker, &A);
    pthread_join(tt, NULL);
    tr = A.ret;
    check(tr == ETIMEDOUT, "pthread_mutex_timedlock on a held mutex timed out");
    pthread_mutex_unlock(&m);
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    pthread_mutex_lock(&m);
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_nsec += 60 * 1000000L;
    if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
    t0 = now_ms();
    tr = pthread_cond_timedwait(&cv, &m, &dl);
    dt = now_ms() - t0;
    pthread_mutex_unlock(&m);
    snprintf(what, sizeof what, "pthread_cond_timedwait timed out after %.0f ms", dt);
    check(tr == ETIMEDOUT && dt >= 50, what);

    printf("timers: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
