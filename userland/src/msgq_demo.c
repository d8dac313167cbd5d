/* msgq_demo: a producer and a consumer talking through a System V message
 * queue (C42).
 *
 *   msgq_demo [ITEMS [QBYTES]]
 *
 * The parent (producer) sends ITEMS messages (default 50) of type 1, each
 * holding its sequence number, then one message of type 2 meaning "done".
 * The child (consumer) receives with msgtyp -2 (lowest type first), checks
 * the numbers arrive in order and sums them. The queue holds only QBYTES
 * bytes (default 32, four messages): the producer runs ahead until it is
 * full, then msgsnd blocks (a sleep on the queue's wait queue, not a busy
 * loop) until the consumer takes one. The producer counts how often its
 * IPC_NOWAIT attempt found the queue full before it blocked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct item { long type; long seq; };

int main(int argc, char **argv) {
  long items = argc > 1 ? atol(argv[1]) : 50;
  long qbytes = argc > 2 ? atol(argv[2]) : 32;
  if (argc > 3 || items < 1 || qbytes < (long)sizeof(long)) {
    fprintf(stderr, "usage: msgq_demo [ITEMS [QBYTES]]\n");
    return 2;
  }
  int q = msgget(IPC_PRIVATE, 0600);
  if (q < 0) { perror("msgget"); return 1; }
  struct msqid_ds ds;
  msgctl(q, IPC_STAT, &ds);
  ds.msg_qbytes = qbytes;
  if (msgctl(q, IPC_SET, &ds) < 0) { perror("msgctl IPC_SET"); return 1; }
  pid_t c = fork();
  if (c < 0) { perror("fork"); return 1; }
  if (c == 0) {
    long got = 0, sum = 0, next = 0, bad = 0;
    for (;;) {
      struct item it;
      if (msgrcv(q, &it, sizeof it.seq, -2, 0) < 0) { perror("msgrcv"); _exit(1); }
      if (it.type == 2) break;
      if (it.seq != next) bad++;
      next = it.seq + 1;
      got++;
      sum += it.seq;
    }
    printf("consumer: received %ld items, sum %ld, %ld out of order\n", got, sum, bad);
    fflush(stdout);
    _exit(bad == 0 ? 0 : 1);
  }
  long full = 0;
  for (long i = 0; i < items; i++) {
    struct item it = { 1, i };
    if (msgsnd(q, &it, sizeof it.seq, IPC_NOWAIT) == 0) continue;
    if (errno != EAGAIN) { perror("msgsnd"); return 1; }
    full++;
    while (msgsnd(q, &it, sizeof it.seq, 0) < 0) if (errno != EINTR) { perror("msgsnd"); return 1; }
  }
  struct item end = { 2, 0 };
  while (msgsnd(q, &end, sizeof end.seq, 0) < 0) if (errno != EINTR) { perror("msgsnd"); return 1; }
  int st;
  waitpid(c, &st, 0);
  printf("producer: sent %ld items (expected sum %ld); the queue was full %ld times\n", items, items * (items - 1) / 2, full);
  msgctl(q, IPC_RMID, NULL);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
