/*
 * threads: pthreads on the tsix kernel - clone(CLONE_THREAD...), TLS, futexes.
 * Concepts: C33 (threads share code/data/heap, own stack/TLS), C34 (a mutex
 * waits on a futex wait queue instead of spinning).
 *
 * Proves:
 *   - pthread_create/join: threads share the heap and globals, have their own
 *     tid (gettid) but the same pid, own TLS (__thread) and stacks;
 *   - a contended mutex keeps a shared counter exact (FUTEX_WAIT/WAKE);
 *   - condition variables with broadcast (FUTEX_WAKE / requeue paths);
 *   - pthread_exit's value reaches pthread_join; join of a thread that already
 *     exited works (CHILD_CLEARTID was cleared and futex-woken);
 *   - a barrier; a detached thread; pthread_kill hits the chosen thread (tgkill);
 *   - a robust mutex held by a thread that exits reports EOWNERDEAD;
 *   - exit_group from a non-main thread ends the whole process (in a child).
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

#define NT 4
#define ITER 20000
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value;
static pid_t tids[NT];
static int tls_ok[NT];

static void *worker(void *arg) {
    int id = (int)(long)arg;
    tids[id] = (pid_t)syscall(SYS_gettid);
    tls_value = id * 100;
    for (int i = 0; i < ITER; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        if ((i & 1023) == 0) sched_yield(); /* hold the lock across a switch: contention */
        pthread_mutex_unlock(&lock);
    }
    tls_ok[id] = tls_value == id * 100;
    return (void *)(long)(id + 1000);
}

static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go, woke;
static void *waiter(void *arg) {
    (void)arg;
    pthread_mutex_lock(&cm);
    while (!go) pthread_cond_wait(&cv, &cm);
    woke++;
    pthread_mutex_unlock(&cm);
    return NULL;
}

static void *exits_early(void *arg) {
    (void)arg;
    pthread_exit((void *)42L);
}

static pthread_barrier_t bar;
static int before, after_ok = 1;
static void *barrier_worker(void *arg) {
    (void)arg;
    __atomic_add_fetch(&before, 1, __ATOMIC_SEQ_CST);
    pthread_barrier_wait(&bar);
    if (__atomic_load_n(&before, __ATOMIC_SEQ_CST) != 3) after_ok = 0;
    return NULL;
}

static volatile pid_t sig_tid;
static void on_usr1(int s) { (void)s; sig_tid = (pid_t)syscall(SYS_gettid); }
static volatile int stop_spin;
static pid_t spinner_tid;
static void *spinner(void *arg) {
    (void)arg;
    spinner_tid = (pid_t)syscall(SYS_gettid);
    while (!stop_spin && !sig_tid) usleep(1000);
    return NULL;
}

static volatile int detached_ran;
static void *detached(void *arg) { (void)arg; detached_ran = 1; return NULL; }

static pthread_mutex_t robust;
static void *dies_holding(void *arg) { (void)arg; pthread_mutex_lock(&robust); return NULL; }

static void *group_exiter(void *arg) { (void)arg; usleep(10000); exit(77); }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pthread_t th[NT];
    for (int i = 0; i < NT; i++) pthread_create(&th[i], NULL, worker, (void *)(long)i);
    int join_ok = 1;
    for (int i = 0; i < NT; i++) {
        void *ret;
        if (pthread_join(th[i], &ret) != 0 || (long)ret != i + 1000) join_ok = 0;
    }
    char what[160];
    snprintf(what, sizeof what, "%d threads x %d locked increments = %ld", NT, ITER, counter);
    check(counter == (long)NT * ITER, what);
    check(join_ok, "pthread_join returned each thread's result");
    int distinct = 1, tls = 1;
    for (int i = 0; i < NT; i++) {
        if (tids[i] == getpid() || tids[i] <= 0) distinct = 0;
        for (int j = 0; j < i; j++) if (tids[i] == tids[j]) distinct = 0;
        if (!tls_ok[i]) tls = 0;
    }
    check(distinct, "every thread has its own tid, different from the pid");
    check(tls, "__thread variables are per thread (tp = TLS from clone)");

    pthread_t w[3];
    for (int i = 0; i < 3; i++) pthread_create(&w[i], NULL, waiter, NULL);
    usleep(20000);
    pthread_mutex_lock(&cm);
    go = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&cm);
    for (int i = 0; i < 3; i++) pthread_join(w[i], NULL);
    check(woke == 3, "pthread_cond_broadcast woke all three waiters");

    pthread_t e;
    pthread_create(&e, NULL, exits_early, NULL);
    usleep(20000); /* it has certainly exited by now */
    void *ret = NULL;
    check(pthread_join(e, &ret) == 0 && (long)ret == 42, "join of an exited thread returns its pthread_exit value");

    pthread_barrier_init(&bar, NULL, 3);
    pthread_t b[3];
    for (int i = 0; i < 3; i++) pthread_create(&b[i], NULL, barrier_worker, NULL);
    for (int i = 0; i < 3; i++) pthread_join(b[i], NULL);
    check(after_ok, "nobody passed the barrier before all three arrived");

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    pthread_create(&d, &attr, detached, NULL);
    for (int i = 0; i < 200 && !detached_ran; i++) usleep(1000);
    check(detached_ran, "a detached thread ran");

    signal(SIGUSR1, on_usr1);
    pthread_t s;
    pthread_create(&s, NULL, spinner, NULL);
    while (!spinner_tid) usleep(1000);
    pthread_kill(s, SIGUSR1);
    pthread_join(s, NULL);
    check(sig_tid == spinner_tid, "pthread_kill delivered SIGUSR1 to the chosen thread");

    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &ma);
    pthread_t rh;
    pthread_create(&rh, NULL, dies_holding, NULL);
    pthread_join(rh, NULL);
    int rr = pthread_mutex_lock(&robust);
    check(rr == EOWNERDEAD, "a robust mutex whose owner died: EOWNERDEAD (the kernel walked the robust list)");
    if (rr == EOWNERDEAD) { pthread_mutex_consistent(&robust); pthread_mutex_unlock(&robust); }

    pid_t c = fork();
    if (c == 0) {
        pthread_t g;
        pthread_create(&g, NULL, group_exiter, NULL);
        for (;;) pause();
    }
    int st = 0;
    waitpid(c, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 77, "exit() in a thread ended the whole process with its status");

    printf("threads: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
