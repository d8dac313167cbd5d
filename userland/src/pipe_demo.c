/*
 * pipe_demo: an anonymous pipe carries bytes from a parent to its child.
 * Concepts: C40 (anonymous pipes: a bounded buffer, one direction, shared
 * through fork), C67 (file descriptors are inherited), C44 (SIGPIPE).
 *
 * Proves:
 *   - bytes written by the parent arrive in order in the child: a short message
 *     and then 256 KiB, four times the usual pipe buffer, so the writer must
 *     block until the reader drains the buffer;
 *   - the reader sees end of file (read returns 0) once every write end is closed;
 *   - writing to a pipe with no reader fails with EPIPE (SIGPIPE ignored).
 * The child checks the data and reports through its exit status.
 * Exits 0 when every check passes, 1 otherwise.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG (256 * 1024)

static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

static unsigned char pattern(size_t i) { return (unsigned char)(i * 31 + (i >> 9)); }

static unsigned char buf[BIG];

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 1; }
    static const char hello[] = "hello through the pipe\n";

    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        /* Child: the reader. */
        close(p[1]);
        char msg[sizeof hello];
        size_t got = 0;
        while (got < sizeof hello - 1) {
            ssize_t n = read(p[0], msg + got, sizeof hello - 1 - got);
            if (n <= 0) _exit(2);
            got += (size_t)n;
        }
        if (memcmp(msg, hello, sizeof hello - 1) != 0) _exit(3);
        size_t total = 0;
        for (;;) {
            ssize_t n = read(p[0], buf, sizeof buf);
            if (n < 0) _exit(4);
            if (n == 0) break; /* EOF: the parent closed its write end */
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] != pattern(total + (size_t)i)) _exit(5);
            total += (size_t)n;
        }
        _exit(total == BIG ? 0 : 6);
    }

    /* Parent: the writer. */
    close(p[0]);
    check(write(p[1], hello, sizeof hello - 1) == (ssize_t)(sizeof hello - 1), "parent wrote the short message");
    for (size_t i = 0; i < BIG; i++) buf[i] = pattern(i);
    size_t put = 0;
    while (put < BIG) {
        ssize_t n = write(p[1], buf + put, BIG - put); /* blocks while the pipe is full */
        if (n <= 0) { perror("write"); break; }
        put += (size_t)n;
    }
    check(put == BIG, "parent wrote 256 KiB (more than the pipe buffer holds)");
    close(p[1]);

    int status = 0;
    pid_t r = waitpid(pid, &status, 0);
    char what[128];
    snprintf(what, sizeof what, "child received every byte in order and saw EOF (exit status %d)",
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    check(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, what);

    /* No reader left: EPIPE. */
    int q[2];
    if (pipe(q) != 0) { perror("pipe"); return 1; }
    signal(SIGPIPE, SIG_IGN);
    close(q[0]);
    errno = 0;
    ssize_t n = write(q[1], "x", 1);
    check(n == -1 && errno == EPIPE, "write with no reader fails with EPIPE");
    close(q[1]);

    printf("pipe_demo: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
