/* The shm limits in /proc/sys/kernel (shmmax, shmall, shmmni) are enforced
 * and only root may write them, and a segment is charged to Committed_AS at
 * shmget (not at shmat) unless SHM_NORESERVE (tsix only: on a shared host
 * this would change the real limits). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
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

static long committedKb(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  char line[256];
  long v = -1;
  while (fgets(line, sizeof line, f)) if (sscanf(line, "Committed_AS: %ld kB", &v) == 1) break;
  fclose(f);
  return v;
}

static void show(const char *what, long r) {
  if (r < 0) printf("%s: %ld %s\n", what, r, strerrorname_np(errno));
  else printf("%s: ok\n", what);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 3 && strcmp(argv[1], "nattch") == 0) {
    /* Run by exec below: the exec dropped the attachment this process had. */
    struct shmid_ds d;
    shmctl(atoi(argv[2]), IPC_STAT, &d);
    printf("after exec: nattch=%lu lpid-is-me=%d dtime-set=%d\n", (unsigned long)d.shm_nattch, d.shm_lpid == getpid(), d.shm_dtime > 0);
    return 0;
  }
  get("/proc/sys/kernel/shmmax");
  printf("write shmmax: %d\n", put("/proc/sys/kernel/shmmax", "8192\n"));
  get("/proc/sys/kernel/shmmax");
  show("8193 bytes", shmget(IPC_PRIVATE, 8193, 0600));
  int a = shmget(IPC_PRIVATE, 8192, 0600);
  show("8192 bytes", a);
  printf("write shmall: %d\n", put("/proc/sys/kernel/shmall", "3\n"));
  show("2 more pages", shmget(IPC_PRIVATE, 8192, 0600));
  int b = shmget(IPC_PRIVATE, 4096, 0600);
  show("1 more page", b);
  shmctl(a, IPC_RMID, NULL);
  shmctl(b, IPC_RMID, NULL);
  printf("write shmmni: %d\n", put("/proc/sys/kernel/shmmni", "2\n"));
  a = shmget(IPC_PRIVATE, 1, 0600);
  b = shmget(IPC_PRIVATE, 1, 0600);
  show("third segment", shmget(IPC_PRIVATE, 1, 0600));
  shmctl(a, IPC_RMID, NULL);
  shmctl(b, IPC_RMID, NULL);
  printf("bad value: %d\n", put("/proc/sys/kernel/shmmax", "-1\n"));
  put("/proc/sys/kernel/shmmax", "18446744073692774399\n");
  put("/proc/sys/kernel/shmall", "18446744073692774399\n");
  put("/proc/sys/kernel/shmmni", "4096\n");
  get("/proc/sys/kernel/shmall");

  /* Commit accounting: 256 pages charged at shmget, none more at shmat, all back at IPC_RMID. */
  long c0 = committedKb();
  int s = shmget(IPC_PRIVATE, 1 << 20, 0600);
  long c1 = committedKb();
  char *p = shmat(s, NULL, 0);
  memset(p, 1, 1 << 20);
  long c2 = committedKb();
  shmdt(p);
  shmctl(s, IPC_RMID, NULL);
  long c3 = committedKb();
  printf("charged at shmget: %ld kB, at shmat: %ld kB, after rmid: %ld kB\n", c1 - c0, c2 - c1, c3 - c0);
  s = shmget(IPC_PRIVATE, 1 << 20, 0600 | SHM_NORESERVE);
  printf("noreserve charged: %ld kB\n", committedKb() - c0);
  shmctl(s, IPC_RMID, NULL);
  /* Heuristic overcommit refuses one segment larger than all of RAM; SHM_NORESERVE is not refused. */
  show("larger than RAM", shmget(IPC_PRIVATE, 1UL << 40, 0600));
  s = shmget(IPC_PRIVATE, 1UL << 40, 0600 | SHM_NORESERVE);
  show("larger than RAM, noreserve", s);
  shmctl(s, IPC_RMID, NULL);
  /* Mode 2 (never overcommit) ignores SHM_NORESERVE. */
  put("/proc/sys/vm/overcommit_memory", "2\n");
  show("mode 2, noreserve", shmget(IPC_PRIVATE, 1UL << 40, 0600 | SHM_NORESERVE));
  put("/proc/sys/vm/overcommit_memory", "0\n");

  /* exec detaches: a child attaches (nattch 2 with ours), then execs itself to look. */
  int e = shmget(IPC_PRIVATE, 4096, 0600);
  char *ep = shmat(e, NULL, 0);
  pid_t c = fork();
  if (c == 0) {
    struct shmid_ds d;
    shmctl(e, IPC_STAT, &d);
    printf("before exec: nattch=%lu\n", (unsigned long)d.shm_nattch);
    char ids[16];
    snprintf(ids, sizeof ids, "%d", e);
    execl("/proc/self/exe", argv[0], "nattch", ids, (char *)NULL);
    printf("exec failed: %s\n", strerrorname_np(errno));
    _exit(1);
  }
  waitpid(c, NULL, 0);
  shmdt(ep);
  shmctl(e, IPC_RMID, NULL);

  c = fork();
  if (c == 0) {
    setuid(1000);
    printf("user write shmmax: %d\n", put("/proc/sys/kernel/shmmax", "100\n"));
    _exit(0);
  }
  waitpid(c, NULL, 0);
  get("/proc/sys/kernel/shmmax");
  printf("shm_limits: done\n");
  return 0;
}
