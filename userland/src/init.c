/*
 * tsix-init: process 1. The kernel starts it last thing at boot; when it exits,
 * the system halts with its exit status.
 * Concepts: C25 (init is the first process; it adopts orphans and reaps them),
 * C10 (boot hands over to user space), C22 (zombies stay until waited for),
 * C45 (sessions and the controlling terminal).
 *
 * Usage: tsix-init [--] [CMD ARGS...]   (the kernel command line after "init=")
 *
 *   - Sets up the environment: PATH, HOME=/root, TERM (from the host, passed in
 *     init's environment by `tsix run`; "linux" if none), SHELL, USER, LOGNAME;
 *     the working directory is /root.
 *   - With a command: runs  /bin/sh -c 'exec "$0" "$@"' CMD ARGS...  in a child.
 *     The shell looks CMD up in PATH (a missing command gives its exit status
 *     127 and message), and the words are passed as they are: no shell syntax
 *     in them is interpreted again.
 *   - Without one: runs an interactive login shell, /bin/sh -l.
 *   - The child gets a session of its own; when its stdin is a terminal that
 *     terminal becomes its controlling tty (so ^C, ^Z and job control work).
 *   - init then waits for every child, including orphans the kernel hands to
 *     it, and exits with the main child's status: its exit code, or 128 + the
 *     number of the signal that killed it, as a shell reports it.
 */
/* tsix-build: static install=/sbin name=tsix-init */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

extern char **environ;

static void setup_environment(void) {
    setenv("PATH", PATH, 1);
    setenv("HOME", "/root", 1);
    setenv("TERM", getenv("TERM") && *getenv("TERM") ? getenv("TERM") : "linux", 1);
    setenv("SHELL", SHELL, 1);
    setenv("USER", "root", 1);
    setenv("LOGNAME", "root", 1);
    mkdir("/root", 0700); /* the image has it; a custom one may not */
    if (chdir("/root") != 0 && chdir("/") != 0) perror("tsix-init: chdir");
}

/* In the child: a new session, and the terminal on stdin as its controlling tty. */
static void become_session_leader(void) {
    if (setsid() < 0) return;
    if (isatty(0)) ioctl(0, TIOCSCTTY, 0);
}

static pid_t start(char **argv) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("tsix-init: fork");
        exit(1);
    }
    if (pid == 0) {
        become_session_leader();
        execve(argv[0], argv, environ);
        fprintf(stderr, "tsix-init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    return pid;
}

/* Wait for children until `main_pid` has ended; returns its status as a shell reports it. */
static int reap_until(pid_t main_pid) {
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            perror("tsix-init: wait");
            return 1;
        }
        if (pid != main_pid) continue; /* an orphan: reaped, nothing more to do */
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    }
}

int main(int argc, char **argv) {
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0) first++;
    setup_environment();

    char **child_argv;
    if (first < argc) {
        /* sh -c 'exec "$0" "$@"' CMD ARGS...: $0 is CMD, "$@" the rest, each one word. */
        int n = argc - first;
        child_argv = calloc((size_t)n + 4, sizeof(char *));
        if (!child_argv) return 1;
        child_argv[0] = SHELL;
        child_argv[1] = "-c";
        child_argv[2] = "exec \"$0\" \"$@\"";
        for (int i = 0; i < n; i++) child_argv[3 + i] = argv[first + i];
    } else {
        static char *login[] = {SHELL, "-l", NULL};
        child_argv = login;
    }
    return reap_until(start(child_argv));
}
