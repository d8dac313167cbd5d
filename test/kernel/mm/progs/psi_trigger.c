/*
 * psi_trigger: PSI triggers (test/kernel/mm/psi_trigger.test.ts).
 * Writes malformed and out-of-range trigger strings to /proc/pressure/memory
 * ("bad N: ERRNO" for each), registers "some 150000 1000000", checks that a
 * second write on the same fd is EBUSY, polls with no pressure (must time
 * out), then runs a child that thrashes under a 4-frame RSS budget and polls
 * again (must wake with POLLPRI), then epoll_wait for EPOLLPRI, and closes.
 * Lines: "bad N E", "register R", "again E", "idle_poll R REVENTS",
 * "pressure_poll R REVENTS MS", "epoll N EVENTS", "cpu_trigger R", "done".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long ms_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int wr(int fd, const char *s) {
    ssize_t n = write(fd, s, strlen(s) + 1);
    return n < 0 ? -errno : (int)n;
}

static void thrash(void) {
    struct rlimit r = { 16 * 1024, 16 * 1024 }; /* 4 frames */
    setrlimit(RLIMIT_RSS, &r);
    size_t pages = 8;
    volatile char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (;;)
        for (size_t i = 0; i < pages; i++) p[i * 4096]++;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *bad[] = {
        "some 150000",            /* one number */
        "bogus 150000 1000000",   /* no such state */
        "some 150000 400000",     /* window under 500 ms */
        "some 150000 11000000",   /* window over 10 s */
        "some 2000000 1000000",   /* threshold over the window */
        "some 0 1000000",         /* threshold 0 */
        "",                        /* empty */
    };
    for (int i = 0; i < 7; i++) {
        int fd = open("/proc/pressure/memory", O_RDWR);
        if (fd < 0) { perror("open"); return 1; }
        printf("bad %d %d\n", i, wr(fd, bad[i]));
        close(fd);
    }
    int fd = open("/proc/pressure/memory", O_RDWR | O_NONBLOCK);
    printf("register %d\n", wr(fd, "some 150000 1000000"));
    printf("again %d\n", wr(fd, "some 150000 1000000"));
    int cfd = open("/proc/pressure/cpu", O_RDWR);
    printf("cpu_trigger %d\n", wr(cfd, "full 100000 2000000"));
    close(cfd);

    struct pollfd pfd = { fd, POLLPRI, 0 };
    int r = poll(&pfd, 1, 1500);
    printf("idle_poll %d %d\n", r, pfd.revents);

    pid_t c = fork();
    if (c == 0) thrash();
    long t0 = ms_now();
    pfd.revents = 0;
    r = poll(&pfd, 1, 10000);
    printf("pressure_poll %d %d %ld\n", r, pfd.revents, ms_now() - t0);

    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLPRI, .data.fd = fd }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    int n = epoll_wait(ep, &out, 1, 10000);
    printf("epoll %d %d\n", n, n > 0 ? (int)out.events : 0);
    close(ep);

    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    close(fd);
    printf("done\n");
    return 0;
}
