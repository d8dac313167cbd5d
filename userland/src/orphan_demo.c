/*
 * orphan_demo: when a process exits, its children are adopted by init (pid 1).
 * Concepts: C22 (process states: zombies and their reaping), C21 (the parent
 * link in the process table).
 *
 * The parent forks a child; the child forks a grandchild and exits. The
 * grandchild waits (up to 5 s) until getppid() no longer names the dead child
 * and sends its new parent pid to the parent through a pipe.
 *
 * Usage: orphan_demo [--expect-init]
 *   Without the flag it exits 0 when the grandchild was re-parented at all and
 *   prints whether the new parent is pid 1 (on a host with a subreaper, e.g.
 *   under qemu-user in a container, it may not be). With --expect-init (used by
 *   the tsix kernel tests) it exits 0 only when the new parent is pid 1.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int expect_init = argc > 1 && strcmp(argv[1], "--expect-init") == 0;
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 1; }

    pid_t child = fork();
    if (child < 0) { perror("fork"); return 1; }
    if (child == 0) {
        pid_t me = getpid();
        pid_t g = fork();
        if (g == 0) {
            close(p[0]);
            pid_t ppid = getppid();
            struct timespec ts = {0, 10 * 1000 * 1000};
            for (int i = 0; i < 500 && ppid == me; i++) {
                nanosleep(&ts, NULL);
                ppid = getppid();
            }
            pid_t msg[2] = {getpid(), ppid};
            write(p[1], msg, sizeof msg);
            _exit(0);
        }
        printf("child %d: forked grandchild %d, exiting\n", (int)me, (int)g);
        _exit(0);
    }
    close(p[1]);
    int status = 0;
    waitpid(child, &status, 0);
    printf("parent: child %d exited (status %d)\n", (int)child, WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    pid_t msg[2] = {0, 0};
    ssize_t n = read(p[0], msg, sizeof msg);
    if (n != (ssize_t)sizeof msg) {
        printf("FAIL: no word from the grandchild\n");
        return 1;
    }
    int reparented = msg[1] != child;
    printf("grandchild %d: parent is now %d%s\n", (int)msg[0], (int)msg[1],
           msg[1] == 1 ? " (init: adopted by pid 1)" : reparented ? " (a subreaper, not pid 1)" : " (still the dead child!)");
    int ok = expect_init ? msg[1] == 1 : reparented;
    printf("%s: grandchild was re-parented%s\n", ok ? "PASS" : "FAIL", expect_init ? " to init (pid 1)" : "");
    printf("orphan_demo: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
