/*
 * signal_demo: handlers, blocked and pending signals.
 * Concepts: C44 (signals: handlers, default actions, pending and blocked sets,
 * delivery on the return to user mode).
 *
 * Proves:
 *   - sigaction installs a handler that gets a siginfo (signo, SI_USER, sender pid);
 *   - a blocked signal stays pending (sigpending) and the handler does not run;
 *   - unblocking delivers it at once, before sigprocmask returns;
 *   - a standard signal sent twice while blocked is delivered once;
 *   - the signal is blocked while its own handler runs (sa_mask semantics);
 *   - a signal from another process wakes sigsuspend, which returns EINTR.
 * Exits 0 when every check passes, 1 otherwise.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t count, last_signo, last_code, last_pid, blocked_inside, usr2_count;
static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_inside = sigismember(&now, SIGUSR1);
    last_signo = sig;
    last_code = si->si_code;
    last_pid = si->si_pid;
    count++;
}

static void on_usr2(int sig) {
    (void)sig;
    usr2_count++;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction(SIGUSR1) installed a handler");

    sigset_t usr1, pending;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1); /* standard signals do not queue: still one pending */
    check(count == 0, "blocked SIGUSR1 did not run the handler");
    sigpending(&pending);
    check(sigismember(&pending, SIGUSR1) == 1, "SIGUSR1 is pending while blocked");

    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    /* The handler ran on the way back from sigprocmask. */
    check(count == 1, "unblocking delivered the pending SIGUSR1 exactly once");
    check(last_signo == SIGUSR1 && last_code == SI_USER && last_pid == getpid(),
          "siginfo says SIGUSR1, SI_USER, sent by this process");
    check(blocked_inside == 1, "SIGUSR1 was blocked while its handler ran");
    sigpending(&pending);
    check(sigismember(&pending, SIGUSR1) == 0, "nothing pending afterwards");

    /* Another process signals us while we wait in sigsuspend. */
    signal(SIGUSR2, on_usr2);
    sigset_t usr2, empty;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &usr2, NULL); /* no race: it stays pending until sigsuspend */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        kill(parent, SIGUSR2);
        _exit(0);
    }
    errno = 0;
    int r = sigsuspend(&empty);
    check(r == -1 && errno == EINTR && usr2_count == 1, "SIGUSR2 from the child woke sigsuspend (EINTR) and ran the handler");
    waitpid(pid, NULL, 0);

    printf("signal_demo: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
