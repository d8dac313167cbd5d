/*
 * exec_demo: execve(2) replaces the program a process runs, keeping its pid and
 * its open files.
 * Concepts: C20 (a process is a running program: exec loads a new one),
 * C05 (unmodified Debian programs: /bin/echo and /bin/sh), C67 (inherited fds).
 *
 * Proves:
 *   - a forked child can execve /bin/echo with arguments; its output arrives
 *     through a pipe the child had set up as stdout before exec;
 *   - exec keeps the pid: /bin/sh -c 'echo $$' prints the pid fork returned;
 *   - execve of a missing file fails with ENOENT and the caller keeps running.
 * Exits 0 when every check passes, 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

/* Run argv[0] with argv in a child whose stdout is a pipe; return what it printed. */
static int run_capture(char *const argv[], char *out, size_t cap, pid_t *child, int *status) {
    int p[2];
    if (pipe(p) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execve(argv[0], argv, environ);
        _exit(127); /* only reached when execve failed */
    }
    close(p[1]);
    size_t got = 0;
    for (;;) {
        ssize_t n = read(p[0], out + got, cap - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
        if (got == cap - 1) break;
    }
    out[got] = 0;
    close(p[0]);
    waitpid(pid, status, 0);
    *child = pid;
    return 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char out[256];
    pid_t child;
    int status = 0;

    char *echo_argv[] = {"/bin/echo", "exec", "works", NULL};
    if (run_capture(echo_argv, out, sizeof out, &child, &status) != 0) { perror("run"); return 1; }
    printf("/bin/echo printed: %s", out);
    check(strcmp(out, "exec works\n") == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "execve(/bin/echo) ran echo with our arguments, output through the inherited pipe");

    char *sh_argv[] = {"/bin/sh", "-c", "echo $$", NULL};
    if (run_capture(sh_argv, out, sizeof out, &child, &status) != 0) { perror("run"); return 1; }
    char what[128];
    snprintf(what, sizeof what, "exec keeps the pid: fork returned %d, the shell says $$ = %ld", (int)child, strtol(out, NULL, 10));
    check(strtol(out, NULL, 10) == (long)child && WIFEXITED(status) && WEXITSTATUS(status) == 0, what);

    char *missing[] = {"/nonexistent/program", NULL};
    errno = 0;
    int r = execve(missing[0], missing, environ);
    check(r == -1 && errno == ENOENT, "execve of a missing file fails with ENOENT and the caller goes on");

    printf("exec_demo: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
