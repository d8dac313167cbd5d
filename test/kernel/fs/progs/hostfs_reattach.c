/* hostfs_reattach.c - open files on a host share that is re-attached
   while the program sleeps (test/kernel/fs/hostfs_reattach.test.ts
   simulates a snapshot restore in a new process then: the adapter's
   descriptors are closed, a fresh adapter replaces it, and the kernel's
   hostfsReattach runs). It opens /host/keep.txt and /host/swap.txt, reads
   4 bytes of each, creates /host/ready, sleeps, then reports:
     keep: the rest of keep.txt through the same descriptor
     swap: read through the old descriptor of swap.txt (replaced on the
           host meanwhile): the errno
     other: /host/other.txt opened by name after the re-attach
     swap-by-name: swap.txt opened by name again (the new file) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show(const char *what, int fd)
{
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) printf("%s: error %d (%s)\n", what, errno, strerror(errno));
    else printf("%s: '%s'\n", what, buf);
}

int main(void)
{
    int keep = open("/host/keep.txt", O_RDONLY);
    int swap = open("/host/swap.txt", O_RDONLY);
    if (keep < 0 || swap < 0) { perror("open"); return 1; }
    char head[5] = {0};
    if (read(keep, head, 4) != 4) { perror("read keep"); return 1; }
    printf("keep head: '%s'\n", head);
    if (read(swap, head, 4) != 4) { perror("read swap"); return 1; }
    printf("swap head: '%s'\n", head);
    int r = open("/host/ready", O_WRONLY | O_CREAT, 0644);
    if (r < 0) { perror("ready"); return 1; }
    close(r);
    fflush(stdout);
    sleep(2);
    show("keep", keep);
    show("swap", swap);
    int other = open("/host/other.txt", O_RDONLY);
    if (other < 0) printf("other: open error %d (%s)\n", errno, strerror(errno));
    else show("other", other);
    int again = open("/host/swap.txt", O_RDONLY);
    if (again < 0) printf("swap-by-name: open error %d\n", errno);
    else show("swap-by-name", again);
    return 0;
}
