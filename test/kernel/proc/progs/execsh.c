/*
 * execsh: execve in detail - "#!" scripts, errors, and what survives exec.
 * Concepts: C24 (exec replaces the program, keeps the pid and open files),
 * C20 (the kernel loads the interpreter named by the script), C44 (handlers
 * are reset by exec, ignored signals and the mask are kept).
 *
 * Proves:
 *   - a "#!" script runs its interpreter with the optional argument, the
 *     script path and the original arguments; nested scripts prepend each
 *     level; a self-referencing script fails with ELOOP; a missing
 *     interpreter gives ENOENT, a file without x permission EACCES, a file
 *     that is neither ELF nor script ENOEXEC; an oversized argument E2BIG;
 *   - the process name (comm) is the script's name; /proc/self/exe names the
 *     interpreter;
 *   - close-on-exec descriptors are closed, others stay open;
 *   - handled signals return to SIG_DFL, ignored ones stay ignored, the
 *     signal mask and pending signals are kept; the pid is kept;
 *   - exec from a second thread replaces the whole multi-threaded process;
 *   - fexecve (execveat with AT_EMPTY_PATH) runs an open file.
 * Usage: execsh (the test) or one of the helper modes listed in main().
 * Exits 0 when every check passes, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int failures;
static const char *self = "/bin/execsh";
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

/* ---- helper modes (run after exec) ---- */
static int helper(int argc, char **argv) {
    const char *m = argv[1];
    if (strncmp(m, "show", 4) == 0 || m[0] == '/') {
        for (int i = 0; i < argc; i++) printf("%s%s", i ? "|" : "", argv[i]);
        printf("\n");
        return 7;
    }
    if (strcmp(m, "fds") == 0) {
        int closed = fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF;
        int open_ = fcntl(atoi(argv[3]), F_GETFD) == 0;
        return closed && open_ ? 0 : 1;
    }
    if (strcmp(m, "sigs") == 0) {
        struct sigaction a, b;
        sigaction(SIGUSR1, NULL, &a);
        sigaction(SIGUSR2, NULL, &b);
        sigset_t cur, pend;
        sigprocmask(SIG_BLOCK, NULL, &cur);
        sigpending(&pend);
        int ok = a.sa_handler == SIG_DFL && b.sa_handler == SIG_IGN && sigismember(&cur, SIGHUP) && sigismember(&pend, SIGHUP);
        return ok ? 0 : 1;
    }
    if (strcmp(m, "comm") == 0) {
        char name[17] = {0};
        prctl(PR_GET_NAME, name);
        char exe[256] = {0};
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        printf("%s %s\n", name, n > 0 ? exe : "-");
        return 0;
    }
    if (strcmp(m, "pid") == 0) {
        printf("%d %d\n", (int)getpid(), (int)getppid());
        return 0;
    }
    return 99;
}

/* Run path with argv in a child, stdout captured; returns the exit status or -errno of the failed execve. */
static int run(const char *path, char *const argv[], char *out, size_t cap) {
    int p[2], e[2];
    pipe(p);
    pipe2(e, O_CLOEXEC);
    pid_t c = fork();
    if (c == 0) {
        dup2(p[1], 1);
        close(p[0]); close(p[1]); close(e[0]);
        execve(path, argv, environ);
        int err = errno;
        write(e[1], &err, sizeof err);
        _exit(127);
    }
    close(p[1]); close(e[1]);
    size_t got = 0;
    ssize_t n;
    while (got < cap - 1 && (n = read(p[0], out + got, cap - 1 - got)) > 0) got += (size_t)n;
    out[got] = 0;
    if (got && out[got - 1] == '\n') out[got - 1] = 0;
    close(p[0]);
    int err = 0;
    ssize_t en = read(e[0], &err, sizeof err);
    close(e[0]);
    int st = 0;
    waitpid(c, &st, 0);
    if (en == sizeof err) return -err;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void script(const char *path, const char *text, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
    chmod(path, mode);
}

static void *exec_from_thread(void *arg) {
    (void)arg;
    char *av[] = {"execsh", "show-thread", NULL};
    execve(self, av, environ);
    return NULL;
}

int main(int argc, char **argv) {
    if (getenv("EXECSH")) self = getenv("EXECSH");
    if (argc > 1) return helper(argc, argv);
    setvbuf(stdout, NULL, _IONBF, 0);
    char out[512], what[600];
    int r;

    char text[300], expect[300];
    snprintf(text, sizeof text, "#!%s show-arg\necho not reached\n", self);
    script("/tmp/s1", text, 0755);
    char *a1[] = {"s1", "x", "y", NULL};
    r = run("/tmp/s1", a1, out, sizeof out);
    snprintf(what, sizeof what, "script with interpreter argument: argv = %s (status %d)", out, r);
    snprintf(expect, sizeof expect, "%s|show-arg|/tmp/s1|x|y", self);
    check(r == 7 && strcmp(out, expect) == 0, what);

    snprintf(text, sizeof text, "#! \t %s  \n", self);
    script("/tmp/s2", text, 0755);
    char *a2[] = {"s2", "x", NULL};
    r = run("/tmp/s2", a2, out, sizeof out);
    snprintf(what, sizeof what, "no argument, blanks around the interpreter ignored: argv = %s", out);
    snprintf(expect, sizeof expect, "%s|/tmp/s2|x", self);
    check(r == 7 && strcmp(out, expect) == 0, what);

    snprintf(text, sizeof text, "#!%s show  a b \n", self);
    script("/tmp/s5", text, 0755);
    char *a5[] = {"s5", NULL};
    r = run("/tmp/s5", a5, out, sizeof out);
    snprintf(what, sizeof what, "the interpreter argument is one word with its inner blanks: argv = %s", out);
    snprintf(expect, sizeof expect, "%s|show  a b|/tmp/s5", self);
    check(r == 7 && strcmp(out, expect) == 0, what);

    script("/tmp/s3", "#!/tmp/s1\n", 0755);
    char *a3[] = {"s3", "z", NULL};
    r = run("/tmp/s3", a3, out, sizeof out);
    snprintf(what, sizeof what, "a script whose interpreter is a script: argv = %s", out);
    snprintf(expect, sizeof expect, "%s|show-arg|/tmp/s1|/tmp/s3|z", self);
    check(r == 7 && strcmp(out, expect) == 0, what);

    script("/tmp/loop", "#!/tmp/loop\n", 0755);
    char *al[] = {"loop", NULL};
    r = run("/tmp/loop", al, out, sizeof out);
    snprintf(what, sizeof what, "a script that is its own interpreter fails with ELOOP (%d)", r);
    check(r == -ELOOP, what);

    script("/tmp/nointerp", "#!/nonexistent/interp\n", 0755);
    r = run("/tmp/nointerp", al, out, sizeof out);
    check(r == -ENOENT, "a missing interpreter gives ENOENT");
    snprintf(text, sizeof text, "#!%s show\n", self);
    script("/tmp/noexec", text, 0644);
    r = run("/tmp/noexec", al, out, sizeof out);
    check(r == -EACCES, "a file without execute permission gives EACCES");
    script("/tmp/garbage", "this is neither ELF nor a script\n", 0755);
    r = run("/tmp/garbage", al, out, sizeof out);
    check(r == -ENOEXEC, "a file that is neither ELF nor script gives ENOEXEC");
    r = run("/nonexistent", al, out, sizeof out);
    check(r == -ENOENT, "a missing file gives ENOENT");
    size_t big = 200 * 1024;
    char *huge = malloc(big + 1);
    memset(huge, 'a', big);
    huge[big] = 0;
    char *ah[] = {"execsh", "show", huge, NULL};
    r = run(self, ah, out, sizeof out);
    check(r == -E2BIG, "an argument longer than 128 KiB gives E2BIG");
    free(huge);

    snprintf(text, sizeof text, "#!%s comm\n", self);
    script("/tmp/s4", text, 0755);
    char *a4[] = {"s4", NULL};
    r = run("/tmp/s4", a4, out, sizeof out);
    snprintf(what, sizeof what, "comm is the script name, /proc/self/exe the interpreter (%s)", out);
    snprintf(expect, sizeof expect, "s4 %s", self);
    check(r == 0 && strcmp(out, expect) == 0, what);

    /* close-on-exec */
    int keep = open("/tmp/s1", O_RDONLY);
    int drop = open("/tmp/s1", O_RDONLY | O_CLOEXEC);
    char ks[16], ds[16];
    snprintf(ks, sizeof ks, "%d", keep);
    snprintf(ds, sizeof ds, "%d", drop);
    char *af[] = {"execsh", "fds", ds, ks, NULL};
    r = run(self, af, out, sizeof out);
    check(r == 0, "exec closed the O_CLOEXEC descriptor and kept the other");
    close(keep); close(drop);

    /* signal dispositions, mask and pending signals */
    int st;
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, (void (*)(int))exit);
        signal(SIGUSR2, SIG_IGN);
        sigset_t hup;
        sigemptyset(&hup);
        sigaddset(&hup, SIGHUP);
        sigprocmask(SIG_BLOCK, &hup, NULL);
        raise(SIGHUP);
        char *as[] = {"execsh", "sigs", NULL};
        execve(self, as, environ);
        _exit(127);
    }
    waitpid(c, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "after exec: handler reset to SIG_DFL, SIG_IGN kept, mask and pending SIGHUP kept");

    /* pid and parent are kept */
    char *ap[] = {"execsh", "pid", NULL};
    int p2[2];
    pipe(p2);
    c = fork();
    if (c == 0) { dup2(p2[1], 1); close(p2[0]); close(p2[1]); execve(self, ap, environ); _exit(127); }
    close(p2[1]);
    ssize_t n = read(p2[0], out, sizeof out - 1);
    out[n > 0 ? n : 0] = 0;
    close(p2[0]);
    waitpid(c, &st, 0);
    int ep = 0, epp = 0;
    sscanf(out, "%d %d", &ep, &epp);
    check(ep == c && epp == getpid(), "exec kept the pid and the parent");

    /* exec from a thread */
    int tp[2];
    pipe(tp);
    c = fork();
    if (c == 0) {
        dup2(tp[1], 1);
        close(tp[0]); close(tp[1]);
        pthread_t th;
        pthread_create(&th, NULL, exec_from_thread, NULL);
        for (;;) pause();
    }
    close(tp[1]);
    n = read(tp[0], out, sizeof out - 1);
    out[n > 0 ? n : 0] = 0;
    close(tp[0]);
    waitpid(c, &st, 0);
    snprintf(what, sizeof what, "exec from a second thread replaced the process (output %.40s, status 0x%x)", out, st);
    check(strncmp(out, "execsh|show-thread", 18) == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 7, what);

    /* exec from a thread while the main thread spins without syscalls (on another hart, if any) */
    int sp2[2];
    pipe(sp2);
    c = fork();
    if (c == 0) {
        dup2(sp2[1], 1);
        close(sp2[0]); close(sp2[1]);
        pthread_t th;
        pthread_create(&th, NULL, exec_from_thread, NULL);
        volatile unsigned long spin = 0;
        for (;;) spin++;
    }
    close(sp2[1]);
    n = read(sp2[0], out, sizeof out - 1);
    out[n > 0 ? n : 0] = 0;
    close(sp2[0]);
    waitpid(c, &st, 0);
    check(strncmp(out, "execsh|show-thread", 18) == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 7, "exec from a thread while a sibling spins in user mode");

    /* fexecve */
    int fd = open(self, O_RDONLY);
    int fp[2];
    pipe(fp);
    c = fork();
    if (c == 0) {
        dup2(fp[1], 1);
        close(fp[0]); close(fp[1]);
        char *ae[] = {"execsh", "show-fd", NULL};
        fexecve(fd, ae, environ);
        _exit(errno == ENOSYS ? 120 : 127);
    }
    close(fp[1]);
    n = read(fp[0], out, sizeof out - 1);
    out[n > 0 ? n : 0] = 0;
    close(fp[0]);
    waitpid(c, &st, 0);
    check(strncmp(out, "execsh|show-fd", 14) == 0 && WEXITSTATUS(st) == 7, "fexecve ran an open file");

    printf("execsh: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
