/* alarm_busy.c - alarm(1) then a busy loop that never traps: the timer must
 * still interrupt it on time (the kernel brings the hart timer forward when a
 * timer is added). Prints how long it waited (kernel time). */
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <time.h>
static volatile int fired;
static void h(int s) { (void)s; fired = 1; }
int main(void) {
    struct timespec a, b;
    signal(SIGALRM, h);
    clock_gettime(CLOCK_MONOTONIC, &a);
    alarm(1);
    volatile unsigned long n = 0;
    while (!fired) n++;
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("alarm fired after %ld ms\n", ms);
    return ms >= 1000 && ms < 1500 ? 0 : 1;
}
