/* SysV semaphores: every check prints one line; the expected output is what
 * Linux (qemu-riscv64) prints, and the tsix test compares the two. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; };

static int op1(int s, int num, int op, int flg) {
  struct sembuf b = { (unsigned short)num, (short)op, (short)flg };
  return semop(s, &b, 1);
}

static void show(int s, const char *what) {
  unsigned short v[3];
  union semun u = { .array = v };
  semctl(s, 0, GETALL, u);
  printf("%s: %d %d %d\n", what, v[0], v[1], v[2]);
}

static void onusr1(int sig) { (void)sig; }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  key_t key = 0x5e500000 | (getpid() & 0xffff); /* unique on a shared host */
  int s = semget(key, 3, IPC_CREAT | IPC_EXCL | 0600);
  printf("create: %s\n", s >= 0 ? "ok" : strerrorname_np(errno));
  printf("excl again: %d %s\n", semget(key, 3, IPC_CREAT | IPC_EXCL | 0600), strerrorname_np(errno));
  printf("more sems than the set: %d %s\n", semget(key, 4, 0), strerrorname_np(errno));
  printf("fewer: %s\n", semget(key, 2, 0) == s ? "same id" : "wrong");
  printf("nsems 0 new: %d %s\n", semget(IPC_PRIVATE, 0, 0600), strerrorname_np(errno));
  show(s, "initial");
  union semun u = { .val = 5 };
  printf("setval: %d getval: %d\n", semctl(s, 1, SETVAL, u), semctl(s, 1, GETVAL));
  u.val = 40000;
  printf("setval too big: %d %s\n", semctl(s, 1, SETVAL, u), strerrorname_np(errno));
  printf("getval bad num: %d %s\n", semctl(s, 3, GETVAL), strerrorname_np(errno));
  printf("getpid is me: %d\n", semctl(s, 1, GETPID) == getpid());
  unsigned short init[3] = { 1, 2, 0 };
  u.array = init;
  printf("setall: %d\n", semctl(s, 0, SETALL, u));
  show(s, "after setall");

  /* Atomic multi-op: all or nothing. */
  struct sembuf two[2] = { { 0, -1, IPC_NOWAIT }, { 1, -3, IPC_NOWAIT } };
  printf("partly possible: %d %s\n", semop(s, two, 2), strerrorname_np(errno));
  show(s, "unchanged");
  two[1].sem_op = -2;
  printf("both possible: %d\n", semop(s, two, 2));
  show(s, "both done");
  printf("wait-for-zero on 0: %d\n", op1(s, 0, 0, IPC_NOWAIT));
  printf("wait-for-zero on 2 after +1: %d %s\n", (op1(s, 2, 1, 0), op1(s, 2, 0, IPC_NOWAIT)), strerrorname_np(errno));
  printf("bad num: %d %s\n", op1(s, 7, 1, 0), strerrorname_np(errno));
  printf("nsops 0: %d %s\n", semop(s, two, 0), strerrorname_np(errno));
  printf("over SEMVMX: %d %s\n", op1(s, 2, 32767, 0), strerrorname_np(errno));

  /* Blocking: P waits for another process's V; GETNCNT counts the waiter. */
  pid_t c = fork();
  if (c == 0) {
    usleep(100000);
    printf("child sees ncnt: %d\n", semctl(s, 0, GETNCNT));
    op1(s, 0, 1, 0);
    _exit(0);
  }
  printf("blocked P: %d\n", op1(s, 0, -1, 0));
  waitpid(c, NULL, 0);

  /* semtimedop times out with EAGAIN. */
  struct timespec ts = { 0, 50 * 1000 * 1000 };
  struct sembuf p = { 0, -1, 0 };
  printf("timed out: %d %s\n", semtimedop(s, &p, 1, &ts), strerrorname_np(errno));

  /* A signal interrupts a blocked semop: EINTR even with SA_RESTART. */
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = onusr1; sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  c = fork();
  if (c == 0) { usleep(100000); kill(getppid(), SIGUSR1); _exit(0); }
  printf("interrupted: %d %s\n", op1(s, 0, -1, 0), strerrorname_np(errno));
  waitpid(c, NULL, 0);

  /* SEM_UNDO: a child takes the semaphore and dies holding it; exit gives it back. */
  u.val = 1;
  semctl(s, 0, SETVAL, u);
  c = fork();
  if (c == 0) {
    op1(s, 0, -1, SEM_UNDO);
    printf("child holds: %d\n", semctl(s, 0, GETVAL));
    kill(getpid(), SIGKILL);
  }
  waitpid(c, NULL, 0);
  printf("after child died: %d\n", semctl(s, 0, GETVAL));
  /* Adjustments are not inherited by fork and survive nothing the parent does. */
  op1(s, 0, 1, SEM_UNDO);
  c = fork();
  if (c == 0) _exit(0);
  waitpid(c, NULL, 0);
  printf("fork child exit leaves: %d\n", semctl(s, 0, GETVAL));
  /* SETVAL clears every process's adjustment for that semaphore. */
  c = fork();
  if (c == 0) {
    op1(s, 1, 3, SEM_UNDO);
    union semun v = { .val = 4 };
    semctl(s, 1, SETVAL, v);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  printf("setval cleared undo: %d\n", semctl(s, 1, GETVAL));

  /* EIDRM: removing the set wakes a waiter. */
  c = fork();
  if (c == 0) { usleep(100000); _exit(semctl(s, 0, IPC_RMID) == 0 ? 0 : 1); }
  printf("removed while waiting: %d %s\n", op1(s, 2, -100, 0), strerrorname_np(errno));
  int st;
  waitpid(c, &st, 0);
  printf("rmid in child: %d\n", WEXITSTATUS(st));
  printf("after rmid: %d %s\n", semctl(s, 0, GETVAL), strerrorname_np(errno));

  /* Stat and permissions. */
  int r = semget(IPC_PRIVATE, 2, 0644);
  struct semid_ds ds;
  u.buf = &ds;
  semctl(r, 0, IPC_STAT, u);
  printf("stat: nsems=%lu mode=%o\n", ds.sem_nsems, ds.sem_perm.mode & 0777);
  c = fork();
  if (c == 0) {
    if (setuid(1000) < 0) { printf("setuid failed\n"); _exit(1); }
    printf("user getval: %d\n", semctl(r, 0, GETVAL));
    printf("user V: %d %s\n", op1(r, 0, 1, IPC_NOWAIT), strerrorname_np(errno));
    printf("user zero-wait: %d\n", op1(r, 0, 0, IPC_NOWAIT));
    printf("user rmid: %d %s\n", semctl(r, 0, IPC_RMID), strerrorname_np(errno));
    _exit(0);
  }
  waitpid(c, NULL, 0);
  ds.sem_perm.mode = 0600;
  printf("ipc_set: %d\n", semctl(r, 0, IPC_SET, u));
  semctl(r, 0, IPC_STAT, u);
  printf("mode now: %o\n", ds.sem_perm.mode & 0777);
  struct seminfo si;
  u.__buf = &si;
  printf("info: ok=%d semmsl=%d semopm=%d semvmx=%d\n", semctl(0, 0, IPC_INFO, u) >= 0, si.semmsl, si.semopm, si.semvmx);
  semctl(r, 0, IPC_RMID);
  printf("sysv_sem: done\n");
  return 0;
}
