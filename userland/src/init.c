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
 *   - Power control, the way busybox's init takes it (busybox poweroff, halt
 *     and reboot without -f signal PID 1): SIGUSR2 powers off, SIGUSR1 halts,
 *     SIGTERM reboots. init then shuts down: sync, SIGTERM to every other
 *     process, up to a second for them to go, SIGKILL to what is left, sync
 *     again, and reboot(2) with the command. tsix then ends with status 0
 *     (power off, halt) or boots a fresh machine (reboot).
 * Concepts (power control): C10 (the end of the boot cycle), C44 (signals
 * as requests to init), C27 (reboot(2) is for root).
 */
/* tsix-build: static install=/sbin name=tsix-init */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

extern char **environ;

/*
 * The signals init waits for: a child's end, and the three power requests.
 * They stay blocked in init and are taken with sigwaitinfo, so a request can
 * never slip in between a check and a wait; children unblock them.
 */
static void wait_set(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGUSR1);
    sigaddset(set, SIGUSR2);
    sigaddset(set, SIGTERM);
}

/* Reap whatever has exited; returns 1 while children remain. */
static int reap_some(void) {
    for (;;) {
        pid_t pid = waitpid(-1, NULL, WNOHANG);
        if (pid > 0) continue;
        return !(pid < 0 && errno == ECHILD);
    }
}

/* Stop every other process, then ask the kernel to power off, halt or restart. Does not return. */
static void shut_down(int sig) {
    const char *what = sig == SIGUSR2 ? "power off" : sig == SIGUSR1 ? "halt" : "reboot";
    int cmd = sig == SIGUSR2 ? RB_POWER_OFF : sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_AUTOBOOT;
    fprintf(stderr, "\ntsix-init: the system is going down for %s\n", what);
    sync();
    kill(-1, SIGTERM); /* every process but init itself */
    /* Up to a second for them to finish (an interactive shell ignores SIGTERM). */
    for (int i = 0; i < 20 && reap_some(); i++) usleep(50000);
    kill(-1, SIGKILL);
    while (reap_some()) usleep(10000);
    sync();
    reboot(cmd);
    /* Only reached when the kernel refused (init is root, so this should not happen). */
    perror("tsix-init: reboot");
    exit(1);
}

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
        sigset_t set;
        wait_set(&set);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        become_session_leader();
        execve(argv[0], argv, environ);
        fprintf(stderr, "tsix-init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    return pid;
}

/*
 * Wait for children until `main_pid` has ended; returns its status as a shell
 * reports it. A power request (SIGUSR1/SIGUSR2/SIGTERM) shuts the system down instead.
 */
static int reap_until(pid_t main_pid) {
    sigset_t set;
    wait_set(&set);
    for (;;) {
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != main_pid) continue; /* an orphan: reaped, nothing more to do */
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        }
        if (pid < 0 && errno != EINTR) {
            perror("tsix-init: wait");
            return 1;
        }
        int sig = sigwaitinfo(&set, NULL);
        if (sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGTERM) shut_down(sig);
    }
}

int main(int argc, char **argv) {
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0) first++;
    setup_environment();
    sigset_t set;
    wait_set(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);

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
