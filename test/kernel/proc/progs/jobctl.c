/*
 * jobctl: process groups, sessions and job control.
 * Concepts: C26 (process groups receive signals together; sessions),
 * C25 (orphaned process groups), C44 (stop/continue signals, SIGCHLD).
 *
 * Proves:
 *   - setpgid/getpgid/setsid/getsid and Linux's errors: ESRCH for a
 *     non-child, EACCES after the child exec'd, EPERM for a session leader
 *     or a group in another session;
 *   - kill(-pgid) reaches every member of the group and nobody else;
 *   - job control: a stopped child is reported by wait4(WUNTRACED) and by
 *     SIGCHLD with CLD_STOPPED; SIGCONT resumes it, reported by WCONTINUED
 *     and CLD_CONTINUED; a signal sent while it is stopped waits until it
 *     runs again; SIGKILL ends a stopped process; SA_NOCLDSTOP silences
 *     stop notifications; waitid(WNOWAIT) leaves the stop reportable;
 *   - a process group orphaned while it has a stopped member gets SIGHUP
 *     and SIGCONT; terminal stop signals are ignored in an orphaned group.
 * Usage: jobctl (the test) | jobctl sleep (helper: sleeps 300 ms).
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}
static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static volatile int chld_codes[16], nchld;
static void on_chld(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    if (nchld < 16) chld_codes[nchld++] = si->si_code;
}
static volatile int usr1_seen;
static void on_usr1(int sig) { (void)sig; usr1_seen = 1; }
static void exit_on_usr1(int sig) { (void)sig; _exit(40); }
static int hup_fd = -1;
static void on_hup(int sig) { (void)sig; write(hup_fd, "H", 1); _exit(0); }

static int has_code(int code) {
    for (int i = 0; i < nchld; i++) if (chld_codes[i] == code) return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "sleep") == 0) { msleep(300); return 0; }
    setvbuf(stdout, NULL, _IONBF, 0);
    char what[200];
    int st;

    /* ---- groups and sessions ---- */
    pid_t c = fork();
    if (c == 0) { msleep(100); _exit(getpgid(0) == getpid() ? 0 : 1); }
    check(setpgid(c, c) == 0 && getpgid(c) == c, "parent put its child in a new process group");
    waitpid(c, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child saw itself as group leader");
    errno = 0;
    check(setpgid(1, 1) == -1 && errno == ESRCH, "setpgid on a process that is not our child: ESRCH");
    errno = 0;
    check(getpgid(999999) == -1 && errno == ESRCH, "getpgid of a missing pid: ESRCH");
    c = fork();
    if (c == 0) { execl(argv[0], argv[0], "sleep", (char *)NULL); _exit(127); }
    msleep(100);
    errno = 0;
    check(setpgid(c, c) == -1 && errno == EACCES, "setpgid on a child after its exec: EACCES");
    waitpid(c, &st, 0);
    c = fork();
    if (c == 0) {
        int ok = 1;
        if (setpgid(0, 0) != 0) ok = 0;
        errno = 0;
        if (setsid() != -1 || errno != EPERM) ok = 0; /* a group leader cannot start a session */
        _exit(ok ? 0 : 1);
    }
    waitpid(c, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setsid in a process-group leader: EPERM");
    c = fork();
    if (c == 0) {
        pid_t me = getpid();
        int ok = setsid() == me && getsid(0) == me && getpgrp() == me;
        errno = 0;
        if (setpgid(0, getppid()) != -1 || errno != EPERM) ok = 0; /* leader cannot move */
        _exit(ok ? 0 : 1);
    }
    waitpid(c, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setsid made a new session and group; its leader cannot change group");
    check(getsid(0) == getsid(getpid()) && getsid(0) > 0, "getsid(0) is our session");

    /* ---- kill to a process group ---- */
    signal(SIGUSR1, exit_on_usr1);
    pid_t members[3], outsider;
    pid_t leader = 0;
    for (int i = 0; i < 3; i++) {
        members[i] = fork();
        if (members[i] == 0) { for (;;) pause(); }
        if (i == 0) leader = members[0];
        setpgid(members[i], leader);
    }
    outsider = fork();
    if (outsider == 0) { signal(SIGUSR1, SIG_IGN); for (;;) pause(); }
    msleep(50);
    check(kill(-leader, SIGUSR1) == 0, "kill(-pgid, SIGUSR1) accepted");
    int all = 1;
    for (int i = 0; i < 3; i++) {
        waitpid(members[i], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 40) all = 0;
    }
    check(all, "every member of the group got the signal");
    check(waitpid(outsider, &st, WNOHANG) == 0, "a process outside the group was not touched");
    kill(outsider, SIGKILL);
    waitpid(outsider, &st, 0);
    errno = 0;
    check(kill(-leader, 0) == -1 && errno == ESRCH, "kill to an empty process group: ESRCH");
    signal(SIGUSR1, SIG_DFL);

    /* ---- stop and continue ---- */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    int p[2];
    pipe(p);
    c = fork();
    if (c == 0) {
        signal(SIGUSR1, on_usr1);
        close(p[0]);
        raise(SIGSTOP);
        /* resumed: was SIGUSR1 (sent while stopped) delivered only now? */
        char m = usr1_seen ? 'Y' : 'N';
        write(p[1], &m, 1);
        msleep(50);
        _exit(5);
    }
    close(p[1]);
    pid_t r = waitpid(c, &st, WUNTRACED);
    snprintf(what, sizeof what, "wait4(WUNTRACED) reports the stop (status 0x%x)", st);
    check(r == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, what);
    msleep(20);
    check(has_code(CLD_STOPPED), "SIGCHLD came with CLD_STOPPED");
    siginfo_t si;
    memset(&si, 0, sizeof si);
    check(waitid(P_PID, c, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == 0, "the stop is reported only once");
    kill(c, SIGUSR1);
    msleep(30);
    check(waitpid(c, &st, WNOHANG) == 0, "a stopped child does not run its SIGUSR1 handler or exit");
    kill(c, SIGCONT);
    r = waitpid(c, &st, WCONTINUED);
    check(r == c && WIFCONTINUED(st), "wait4(WCONTINUED) reports the continue");
    char m = 0;
    read(p[0], &m, 1);
    close(p[0]);
    check(m == 'Y', "the signal sent while stopped was delivered after SIGCONT");
    r = waitpid(c, &st, 0);
    check(r == c && WIFEXITED(st) && WEXITSTATUS(st) == 5, "then it exited normally");
    check(has_code(CLD_CONTINUED) && has_code(CLD_EXITED), "SIGCHLD came with CLD_CONTINUED and CLD_EXITED");

    c = fork();
    if (c == 0) { setpgid(0, 0); raise(SIGTSTP); _exit(6); } /* a job of its own: its group is not orphaned */
    memset(&si, 0, sizeof si);
    int wr = waitid(P_PID, c, &si, WSTOPPED | WNOWAIT);
    check(wr == 0 && si.si_pid == c && si.si_code == CLD_STOPPED && si.si_status == SIGTSTP, "waitid(WSTOPPED|WNOWAIT) sees the SIGTSTP stop");
    r = waitpid(c, &st, WUNTRACED);
    check(r == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP, "WNOWAIT left it for wait4");
    kill(c, SIGKILL);
    r = waitpid(c, &st, 0);
    check(r == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL ends a stopped process");

    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    nchld = 0;
    c = fork();
    if (c == 0) { raise(SIGSTOP); _exit(7); }
    waitpid(c, &st, WUNTRACED);
    msleep(20);
    check(!has_code(CLD_STOPPED), "SA_NOCLDSTOP: no SIGCHLD for the stop");
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    signal(SIGCHLD, SIG_DFL);

    /* ---- orphaned process groups ---- */
    int hp[2];
    pipe(hp);
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        pid_t g = fork();
        if (g == 0) {
            hup_fd = hp[1];
            signal(SIGHUP, on_hup);
            raise(SIGSTOP);       /* stopped when its group becomes orphaned */
            _exit(1);             /* SIGCONT alone: no SIGHUP came */
        }
        waitpid(g, &st, WUNTRACED); /* g is stopped */
        _exit(0);                  /* orphan g's group */
    }
    close(hp[1]);
    waitpid(c, &st, 0);
    char h = 0;
    ssize_t n = read(hp[0], &h, 1);
    close(hp[0]);
    check(n == 1 && h == 'H', "a stopped member of a newly orphaned group got SIGHUP (and SIGCONT)");

    int tp[2];
    pipe(tp);
    c = fork();
    if (c == 0) {
        setpgid(0, 0);
        pid_t g = fork();
        if (g == 0) {
            msleep(100);          /* by now our parent is gone: the group is orphaned */
            raise(SIGTSTP);       /* ignored in an orphaned group */
            write(tp[1], "R", 1);
            _exit(0);
        }
        _exit(0);
    }
    close(tp[1]);
    waitpid(c, &st, 0);
    h = 0;
    n = read(tp[0], &h, 1);
    check(n == 1 && h == 'R', "SIGTSTP in an orphaned process group did not stop it");

    printf("jobctl: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
