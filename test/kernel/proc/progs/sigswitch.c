/*
 * sigswitch: a task that is switched in with a signal pending takes it
 * before it runs one more user instruction - whoever switched it in.
 * Concepts: C44 (signals are delivered on every return to user mode), C21
 * (the context switch), C34 (several harts).
 *
 * Linux delivers pending signals on every return to user mode
 * (exit_to_user_mode_loop loops until nothing is pending), so a task that
 * another task's stop or death puts on the CPU, or that an idle CPU picks,
 * runs its handler first. Here a child C spins on an atomic counter in
 * shared memory (one amoadd a turn: the loop never traps on its own) and
 * its SIGUSR1 handler records the counter and exits. An "actor" A, C's
 * parent, sends the signal while C is off the CPU, reads the counter, then
 * leaves the CPU by stopping itself (or dying) in its own signal delivery -
 * so the next task to run is C. The handler must see exactly the count A
 * read: not one more increment. Each case:
 *   sibling-stop   A kill()s C, then stops itself (SIGSTOP);
 *   sibling-death  A kill()s C, then dies (SIGKILL);
 *   cont           C is stopped; A sends SIGUSR1 and SIGCONT, then stops;
 *   ptrace-cont, ptrace-syscall, ptrace-detach
 *                  A traces C (PTRACE_SEIZE); C's SIGUSR1 makes a
 *                  signal-delivery-stop; A passes the signal on with
 *                  PTRACE_CONT / PTRACE_SYSCALL / PTRACE_DETACH, then stops.
 * The main process polls the shared page (it sleeps meanwhile, so it is not
 * the task picked), then continues A and reaps it.
 *
 * With two harts the same cases check the idle hart's pick (C woken onto
 * the other hart) and a signal sent to C while it runs on the other hart.
 *
 * "--linux": under qemu-riscv64 (no ptrace there): the ptrace cases are
 * left out, everything is pinned to one CPU, and the handler may see a few
 * more increments (qemu takes a host signal at the end of a translated
 * block, not at once).
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static int linux_mode;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}
static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

struct shared {
    uint32_t count;       /* C's counter, only ever changed by one amoadd */
    volatile int ready;   /* C installed its handler and spins */
    volatile int handled; /* the handler ran */
    volatile uint32_t at_handler, before;
};
static struct shared *sh;

enum { SIBLING_STOP, SIBLING_DEATH, CONT, K_PTCONT, K_PTSYSCALL, K_PTDETACH, NCASES };
static const char *const names[NCASES] = {"sibling-stop", "sibling-death", "cont", "ptrace-cont", "ptrace-syscall", "ptrace-detach"};

static void on_usr1(int s) {
    (void)s;
    sh->at_handler = __atomic_load_n(&sh->count, __ATOMIC_RELAXED);
    sh->handled = 1;
    syscall(SYS_exit_group, 0);
}

static void child(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sh->ready = 1;
    for (;;) __atomic_fetch_add(&sh->count, 1, __ATOMIC_RELAXED);
}

/* The actor: start C, hand it the signal, read the count, leave the CPU. Exit status 0 = fine. */
static void actor(int which) {
    pid_t c = fork();
    if (c == 0) child();
    if (which >= K_PTCONT && ptrace(PTRACE_SEIZE, c, 0, 0) != 0) _exit(10);
    while (!sh->ready || __atomic_load_n(&sh->count, __ATOMIC_RELAXED) == 0) sched_yield();
    int st;
    switch (which) {
    case SIBLING_STOP: case SIBLING_DEATH:
        kill(c, SIGUSR1);
        break;
    case CONT:
        kill(c, SIGSTOP);
        if (waitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st)) _exit(11);
        kill(c, SIGUSR1);
        kill(c, SIGCONT);
        break;
    default:
        kill(c, SIGUSR1);
        if (waitpid(c, &st, 0) != c || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGUSR1) _exit(12);
        if (ptrace(which == K_PTCONT ? PTRACE_CONT : which == K_PTSYSCALL ? PTRACE_SYSCALL : PTRACE_DETACH, c, 0, SIGUSR1) != 0) _exit(13);
        break;
    }
    sh->before = __atomic_load_n(&sh->count, __ATOMIC_RELAXED);
    /* Leave the CPU in our own signal delivery, on the way back from this kill: C is the next to run. */
    syscall(SYS_kill, getpid(), which == SIBLING_DEATH ? SIGKILL : SIGSTOP);
    /* Continued by the main process: reap C (a tracee stops at its exit_group under PTRACE_SYSCALL). */
    for (;;) {
        if (waitpid(c, &st, 0) != c) _exit(14);
        if (WIFEXITED(st)) _exit(WEXITSTATUS(st) == 0 ? 0 : 15);
        if (WIFSIGNALED(st)) _exit(16);
        if (ptrace(PTRACE_CONT, c, 0, 0) != 0) _exit(17);
    }
}

static void run_case(int which) {
    memset(sh, 0, sizeof *sh);
    pid_t a = fork();
    if (a == 0) actor(which);
    for (int i = 0; i < 1500 && !sh->handled; i++) msleep(20);
    char what[160];
    snprintf(what, sizeof what, "%s: the handler ran", names[which]);
    check(sh->handled, what);
    uint32_t at = sh->at_handler, before = sh->before;
    if (linux_mode)
        snprintf(what, sizeof what, "%s: the handler ran as C came back on the CPU (count %u at the handler, %u when sent)", names[which], at, before);
    else
        snprintf(what, sizeof what, "%s: the handler ran before any more of C's instructions (count %u at the handler, %u when sent)", names[which], at, before);
    check(linux_mode ? at >= before && at - before <= 64 : at == before, what);
    int st;
    if (which == SIBLING_DEATH) {
        check(waitpid(a, &st, 0) == a && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "sibling-death: the actor died of SIGKILL");
        return;
    }
    int stopped = waitpid(a, &st, WUNTRACED) == a && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP;
    snprintf(what, sizeof what, "%s: the actor stopped itself", names[which]);
    check(stopped, what);
    kill(a, SIGCONT);
    int ok = waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    snprintf(what, sizeof what, "%s: the actor reaped C (status 0x%x)", names[which], st);
    check(ok, what);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    linux_mode = argc > 1 && strcmp(argv[1], "--linux") == 0;
    if (linux_mode) {
        /* One CPU, as a tsix hart: the actor's kill finds C off the CPU. */
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        sched_setaffinity(0, sizeof one, &one);
    }
    sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) { perror("mmap"); return 1; }
    for (int i = 0; i < NCASES; i++) {
        if (linux_mode && i >= K_PTCONT) continue;
        run_case(i);
    }
    printf("sigswitch: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
