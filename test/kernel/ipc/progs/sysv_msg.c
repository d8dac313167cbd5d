/* SysV message queues: every check prints one line; the expected output is
 * what Linux (qemu-riscv64) prints, and the tsix test compares the two. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct m { long type; char text[64]; };

static int snd(int q, long type, const char *s, int flg) {
  struct m b; b.type = type; strcpy(b.text, s);
  return msgsnd(q, &b, strlen(s) + 1, flg);
}

static void rcv(int q, size_t sz, long typ, int flg, const char *what) {
  struct m b; memset(&b, 0, sizeof b);
  ssize_t n = msgrcv(q, &b, sz, typ, flg);
  if (n < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %zd type=%ld text=%.*s\n", what, n, b.type, (int)n, b.text);
}

static void onusr1(int s) { (void)s; }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  key_t key = 0x5e110000 | (getpid() & 0xffff); /* unique on a shared host */
  int q = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
  printf("create: %s\n", q >= 0 ? "ok" : strerrorname_np(errno));
  printf("excl again: %d %s\n", msgget(key, IPC_CREAT | IPC_EXCL | 0600), strerrorname_np(errno));
  printf("same key: %s\n", msgget(key, 0) == q ? "same id" : "different");
  printf("missing key: %d %s\n", msgget(key + 1, 0), strerrorname_np(errno));
  int p1 = msgget(IPC_PRIVATE, 0600), p2 = msgget(IPC_PRIVATE, 0600);
  printf("private twice: %s\n", p1 >= 0 && p2 >= 0 && p1 != p2 ? "two queues" : "wrong");

  /* Type selection. */
  snd(q, 3, "three", 0); snd(q, 1, "one", 0); snd(q, 2, "two", 0); snd(q, 1, "uno", 0); snd(q, 5, "five", 0);
  struct msqid_ds ds;
  msgctl(q, IPC_STAT, &ds);
  printf("stat: qnum=%lu cbytes=%lu qbytes=%lu mode=%o lspid_is_me=%d\n", ds.msg_qnum, ds.__msg_cbytes, ds.msg_qbytes,
         ds.msg_perm.mode & 0777, ds.msg_lspid == getpid());
  rcv(q, 64, 2, 0, "type 2");
  rcv(q, 64, -2, 0, "type <=2");
  rcv(q, 64, 1, MSG_EXCEPT, "not type 1");
  rcv(q, 64, 0, 0, "first");
  rcv(q, 64, 4, IPC_NOWAIT, "type 4 nowait");
  rcv(q, 2, 0, 0, "too small");
  rcv(q, 2, 0, MSG_NOERROR, "noerror");
  rcv(q, 64, 0, IPC_NOWAIT, "empty nowait");

  /* Argument errors. */
  struct m b = { 0, "x" };
  printf("type 0: %d %s\n", msgsnd(q, &b, 2, 0), strerrorname_np(errno));
  b.type = 1;
  static struct { long type; char text[9000]; } big = { 1, "" };
  printf("too big: %d %s\n", msgsnd(q, &big, 8193, 0), strerrorname_np(errno));
  printf("bad id: %d %s\n", msgsnd(q + 1000000, &b, 2, 0), strerrorname_np(errno));

  /* A full queue: IPC_NOWAIT fails, a blocked sender waits for a receiver. */
  ds.msg_qbytes = 10;
  printf("set qbytes: %d\n", msgctl(q, IPC_SET, &ds));
  printf("fill: %d\n", snd(q, 1, "123456789", 0));
  printf("full nowait: %d %s\n", snd(q, 1, "x", IPC_NOWAIT), strerrorname_np(errno));
  pid_t c = fork();
  if (c == 0) { usleep(100000); rcv(q, 64, 0, 0, "child takes"); _exit(0); }
  int sent = snd(q, 7, "late", 0);
  waitpid(c, NULL, 0); /* print after the child's line: the order is then fixed */
  printf("blocked send: %d\n", sent);
  rcv(q, 64, 0, 0, "after block");
  ds.msg_qbytes = 100;
  msgctl(q, IPC_SET, &ds);

  /* A blocked receiver gets a message sent later by another process. */
  c = fork();
  if (c == 0) { usleep(100000); snd(q, 9, "from child", 0); _exit(0); }
  rcv(q, 64, 9, 0, "blocked recv");
  waitpid(c, NULL, 0);

  /* EINTR: a handler interrupts a blocked msgrcv (even with SA_RESTART). */
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = onusr1; sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  c = fork();
  if (c == 0) { usleep(100000); kill(getppid(), SIGUSR1); _exit(0); }
  rcv(q, 64, 0, 0, "interrupted");
  waitpid(c, NULL, 0);

  /* EIDRM: removing the queue wakes a blocked receiver. */
  c = fork();
  if (c == 0) { usleep(100000); _exit(msgctl(q, IPC_RMID, NULL) == 0 ? 0 : 1); }
  rcv(q, 64, 0, 0, "removed while waiting");
  int st;
  waitpid(c, &st, 0);
  printf("rmid in child: %d\n", WEXITSTATUS(st));
  printf("after rmid: %d %s\n", msgctl(q, IPC_STAT, &ds), strerrorname_np(errno));
  printf("key free: %s\n", msgget(key, 0) < 0 && errno == ENOENT ? "ENOENT" : "still there");
  int q2 = msgget(key, IPC_CREAT | 0600);
  printf("reuse key: %s\n", q2 >= 0 && q2 != q ? "new id" : "wrong");

  /* Permissions: a non-root user. */
  int ro = msgget(IPC_PRIVATE, 0444);
  c = fork();
  if (c == 0) {
    if (setuid(1000) < 0) { printf("setuid failed\n"); _exit(1); }
    printf("user send to 0444: %d %s\n", snd(ro, 1, "x", IPC_NOWAIT), strerrorname_np(errno));
    rcv(ro, 64, 0, IPC_NOWAIT, "user recv from 0444");
    printf("user rmid: %d %s\n", msgctl(ro, IPC_RMID, NULL), strerrorname_np(errno));
    printf("user open 0600 queue: %d %s\n", msgget(key, 0600), strerrorname_np(errno));
    _exit(0);
  }
  waitpid(c, NULL, 0);
  struct msginfo mi;
  printf("info: max=%d mnb=%d mni=%d\n", msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0 ? mi.msgmax : -1, mi.msgmnb, mi.msgmni);
  msgctl(ro, IPC_RMID, NULL); msgctl(q2, IPC_RMID, NULL); msgctl(p1, IPC_RMID, NULL); msgctl(p2, IPC_RMID, NULL);
  printf("sysv_msg: done\n");
  return 0;
}
