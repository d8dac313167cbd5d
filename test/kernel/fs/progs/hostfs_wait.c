/* hostfs_wait.c - does another task run while one waits for the host?
   The parent forks a child and then counts in a shared page as fast as it
   can; the child reads /host/slow.txt (a file on a host share) and prints
   how far the parent's count moved during its read(2), and what it read.
   On a host that answers at once the read is one synchronous syscall and
   the count cannot move (one hart); on a host that answers later the
   child sleeps and the parent runs: the count moves. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    volatile long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) { perror("mmap"); return 1; }
    shared[0] = 0; /* the parent's count */
    shared[1] = 0; /* 1 once the child has read */
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        int fd = open("/host/slow.txt", O_RDONLY);
        if (fd < 0) { perror("open"); _exit(2); }
        char buf[64] = {0};
        long before = shared[0];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        long after = shared[0];
        shared[1] = 1;
        printf("child: read %zd bytes '%s' while the parent counted %ld\n", n, n > 0 ? buf : "", after - before);
        fflush(stdout);
        _exit(n > 0 ? 0 : 3);
    }
    while (!shared[1]) shared[0]++;
    int st;
    if (waitpid(pid, &st, 0) != pid) { perror("waitpid"); return 1; }
    printf("parent: child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
