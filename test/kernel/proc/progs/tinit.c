/*
 * tinit: a minimal PID 1 for the process-lifecycle tests.
 * Concepts: C25 (init adopts orphans and reaps them), C22 (zombies until waited for).
 *
 * Usage: tinit PROGRAM ARGS...
 * Forks and execs PROGRAM, then reaps every child - the main one and any
 * orphan the kernel hands over - printing one line per reaped process:
 *   tinit: reaped PID main|orphan status 0xSTATUS
 * When no children are left it exits with the main child's exit code, or
 * 128 + the signal that killed it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (getpid() != 1) printf("tinit: warning: pid %d, not 1\n", (int)getpid());
    if (argc < 2) { printf("tinit: usage: tinit PROGRAM ARGS...\n"); return 2; }
    pid_t main_pid = fork();
    if (main_pid < 0) { perror("tinit: fork"); return 2; }
    if (main_pid == 0) {
        execve(argv[1], argv + 1, environ);
        printf("tinit: exec %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int main_status = -1;
    for (;;) {
        int st = 0;
        pid_t p = waitpid(-1, &st, 0);
        if (p < 0) {
            if (errno == EINTR) continue;
            if (errno != ECHILD) perror("tinit: waitpid");
            break;
        }
        printf("tinit: reaped %d %s status 0x%x\n", (int)p, p == main_pid ? "main" : "orphan", st);
        if (p == main_pid) main_status = st;
    }
    if (main_status < 0) return 2;
    if (WIFEXITED(main_status)) return WEXITSTATUS(main_status);
    return 128 + WTERMSIG(main_status);
}
