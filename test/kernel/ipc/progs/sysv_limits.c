/* The SysV limits in /proc/sys/kernel are enforced and only root may write
 * them (tsix only: on a shared host this would change the real limits). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

static int put(const char *path, const char *v) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -errno;
  int r = write(fd, v, strlen(v));
  int e = errno;
  close(fd);
  return r < 0 ? -e : 0;
}

static void get(const char *path) {
  char b[128] = "";
  int fd = open(path, O_RDONLY);
  int n = read(fd, b, sizeof b - 1);
  close(fd);
  if (n > 0) b[n] = 0;
  printf("%s = %s", path, b);
}

static struct { long type; char text[200]; } m = { 1, "" };

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int q = msgget(IPC_PRIVATE, 0600);
  printf("write msgmax: %d\n", put("/proc/sys/kernel/msgmax", "100\n"));
  get("/proc/sys/kernel/msgmax");
  printf("send 101: %d %s\n", msgsnd(q, &m, 101, IPC_NOWAIT), strerrorname_np(errno));
  printf("send 100: %d\n", msgsnd(q, &m, 100, IPC_NOWAIT));
  printf("write msgmnb: %d\n", put("/proc/sys/kernel/msgmnb", "150"));
  int q2 = msgget(IPC_PRIVATE, 0600);
  struct msqid_ds ds;
  msgctl(q2, IPC_STAT, &ds);
  printf("new queue qbytes: %lu\n", ds.msg_qbytes);
  printf("fill 100: %d, then 100 more: %d %s\n", msgsnd(q2, &m, 100, IPC_NOWAIT), msgsnd(q2, &m, 100, IPC_NOWAIT), strerrorname_np(errno));
  printf("bad value: %d\n", put("/proc/sys/kernel/msgmax", "abc"));
  printf("write sem: %d\n", put("/proc/sys/kernel/sem", "4 100 2 10"));
  get("/proc/sys/kernel/sem");
  printf("semget 5 sems: %d %s\n", semget(IPC_PRIVATE, 5, 0600), strerrorname_np(errno));
  int s = semget(IPC_PRIVATE, 4, 0600);
  struct sembuf ops[3] = { { 0, 1, 0 }, { 1, 1, 0 }, { 2, 1, 0 } };
  printf("semop 3 ops: %d %s\n", semop(s, ops, 3), strerrorname_np(errno));
  printf("semop 2 ops: %d\n", semop(s, ops, 2));
  pid_t c = fork();
  if (c == 0) {
    if (setuid(1000) < 0) _exit(1);
    printf("user write msgmax: %d\n", put("/proc/sys/kernel/msgmax", "9000"));
    _exit(0);
  }
  waitpid(c, NULL, 0);
  get("/proc/sys/kernel/msgmax");
  printf("sysv_limits: done\n");
  return 0;
}
