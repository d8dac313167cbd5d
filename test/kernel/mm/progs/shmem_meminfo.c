/*
 * shmem_meminfo: /proc/meminfo's Shmem counts tmpfs pages and System V shared
 * memory in RAM (test/kernel/mm/shmem_meminfo.test.ts). Shmem is read before
 * and after each step: 4 MiB written to a file on a tmpfs at /dev/shm, 2 MiB
 * to a memfd, 1 MiB of a System V segment touched; then the file unlinked,
 * the memfd closed, the segment removed.
 * Lines: "start KB", "tmpfs KB", "memfd KB", "sysv KB", "unlink KB",
 * "close KB", "rmid KB" (Shmem after each step), "ok".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
#include "swaptest.h"

#define MIB (1024 * 1024)

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("/dev", 0755);
    mkdir("/dev/shm", 01777);
    if (mount("tmpfs", "/dev/shm", "tmpfs", 0, "size=16m") != 0) { printf("mount: %d\n", errno); return 1; }
    printf("start %ld\n", meminfo("Shmem"));
    int fd = open("/dev/shm/f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || fill_fd(fd, 4 * MIB, 1) != 0) { printf("tmpfs write: %d\n", errno); return 1; }
    close(fd);
    printf("tmpfs %ld\n", meminfo("Shmem"));
    int mfd = memfd_create("m", 0);
    if (mfd < 0 || fill_fd(mfd, 2 * MIB, 2) != 0) { printf("memfd write: %d\n", errno); return 1; }
    printf("memfd %ld\n", meminfo("Shmem"));
    int id = shmget(IPC_PRIVATE, MIB, IPC_CREAT | 0600);
    uint64_t *g = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
    if (g == (void *)-1) { printf("shm: %d\n", errno); return 1; }
    fill_words(g, MIB, 3);
    printf("sysv %ld\n", meminfo("Shmem"));
    unlink("/dev/shm/f");
    printf("unlink %ld\n", meminfo("Shmem"));
    close(mfd);
    printf("close %ld\n", meminfo("Shmem"));
    shmdt(g);
    shmctl(id, IPC_RMID, NULL);
    printf("rmid %ld\n", meminfo("Shmem"));
    printf("ok\n");
    return 0;
}
