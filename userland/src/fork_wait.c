/*
 * fork_wait: fork(2) creates processes and wait4(2) collects how each one ended.
 * Concepts: C22 (process states: a child is a zombie until it is waited for),
 * C21 (the process table: pids, parent/child links, exit status).
 *
 * Proves:
 *   - fork returns 0 in the child and the child's pid in the parent;
 *   - wait4(pid) reports each child's exit code (0, 1, 42, 255) with WIFEXITED;
 *   - a child killed by a signal is reported with WIFSIGNALED/WTERMSIG;
 *   - WNOHANG returns 0 while a child is still running;
 *   - wait4 fills in the child's resource usage;
 *   - wait4 with no children left fails with ECHILD.
 * Exits 0 when every check passes, 1 otherwise.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    static const int codes[] = {0, 1, 42, 255};
    pid_t pids[4];
    pid_t self = getpid();

    for (int i = 0; i < 4; i++) {
        pids[i] = fork();
        if (pids[i] < 0) { perror("fork"); return 1; }
        if (pids[i] == 0) {
            /* Child: a different pid, and its parent is the process that forked it. */
            _exit(getppid() == self ? codes[i] : 99);
        }
    }
    /* Collect in reverse order to show wait4(pid) picks the named child. */
    for (int i = 3; i >= 0; i--) {
        int status = 0;
        struct rusage ru;
        memset(&ru, 0xff, sizeof ru);
        pid_t r = wait4(pids[i], &status, 0, &ru);
        char what[128];
        snprintf(what, sizeof what, "child %d exited with %d (got pid %d, status 0x%x)",
                 (int)pids[i], codes[i], (int)r, status);
        check(r == pids[i] && WIFEXITED(status) && WEXITSTATUS(status) == codes[i], what);
        if (i == 0) check(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000,
                          "wait4 filled in the child's rusage");
    }

    /* A child killed by a signal. */
    pid_t k = fork();
    if (k == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    int status = 0;
    pid_t r = wait4(k, &status, 0, NULL);
    check(r == k && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "child killed by SIGTERM is reported as signaled");

    /* WNOHANG on a running child: it blocks reading a pipe until we close the write end. */
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 1; }
    pid_t w = fork();
    if (w == 0) {
        char c;
        close(p[1]);
        ssize_t n = read(p[0], &c, 1); /* returns 0 (EOF) once the parent closes its end */
        _exit(n == 0 ? 7 : 8);
    }
    close(p[0]);
    r = wait4(w, &status, WNOHANG, NULL);
    check(r == 0, "WNOHANG returns 0 while the child is still running");
    close(p[1]);
    r = wait4(w, &status, 0, NULL);
    check(r == w && WIFEXITED(status) && WEXITSTATUS(status) == 7, "child saw EOF and exited with 7");

    errno = 0;
    r = wait4(-1, &status, 0, NULL);
    check(r == -1 && errno == ECHILD, "wait4 with no children fails with ECHILD");

    printf("fork_wait: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
