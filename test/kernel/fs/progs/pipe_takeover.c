/* A reader that finds the pipe empty while the writer sleeps in a write
 * larger than the ring takes the writer's bytes straight from its buffer
 * (kernel/fs/pipe.ts, pipeTakeOver). Checked here: every byte once and in
 * order, and the writer's call returns its exact count; the reader then
 * sleeps only at the start and at the end of a 1 MiB write; a signal that
 * interrupts the writer after the reader took some of its bytes ends the
 * write with a partial count equal to what the reader got; an O_NONBLOCK
 * reader; PIPE_BUF atomicity with two writers (no take-over there); and a
 * signal that reaches a reader whose read a writer completed (pipeHandOff)
 * before it ran: the count first, then the handler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { BIG = 1 << 20, CHUNK = 65536 };

/* The byte at stream offset i. */
static unsigned char pat(long i) { return (unsigned char)(i * 29 + 3); }

static unsigned char wbuf[BIG];
static unsigned char rb[CHUNK];

static void on_usr1(int sig) { (void)sig; }
static volatile int usr1_count;
static void on_usr1_count(int sig) { (void)sig; usr1_count++; }

/* A child that writes BIG pattern bytes with ONE write(2) and sends the count that call returned over `rep`. */
static pid_t big_writer(int p[2], int rep, int handler) {
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    /* A SCHED_BATCH writer never preempts the reader that wakes it (sched/core.ts wakeupPreempts): the reader
       goes on to its next read while the writer waits to run, which is when it can take the writer's bytes. */
    struct sched_param sp = { 0 };
    sched_setscheduler(0, SCHED_BATCH, &sp);
    if (handler) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_usr1; /* no SA_RESTART: the write ends with what it moved */
      sigaction(SIGUSR1, &sa, NULL);
    }
    for (long i = 0; i < BIG; i++) wbuf[i] = pat(i);
    ssize_t w = write(p[1], wbuf, BIG);
    long c = w;
    if (write(rep, &c, sizeof c) != sizeof c) _exit(2);
    _exit(0);
  }
  return pid;
}

static unsigned char got_all[BIG];

/* Read to end of file in 64 KiB reads, into got_all from byte `got` on (checked after, so that the reader
   does little work between its reads); returns the bytes got, the wrong ones counted in *wrong. */
static long drain(int fd, long got, long *wrong, int nonblock) {
  long from = got;
  for (;;) {
    long room = BIG - got < CHUNK ? BIG - got : CHUNK;
    ssize_t r = read(fd, room > 0 ? got_all + got : rb, room > 0 ? room : CHUNK);
    if (r < 0 && nonblock && errno == EAGAIN) { sched_yield(); continue; }
    if (r <= 0) break;
    got += r;
  }
  for (long i = from; i < got && i < BIG; i++) *wrong += got_all[i] != pat(i);
  return got;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int p[2], rep[2], st;
  long c, wrong;
  struct rusage a, b;

  /* 1. One 1 MiB write, read 64 KiB at a time. */
  pipe(p); pipe(rep);
  pid_t pid = big_writer(p, rep[1], 0);
  close(p[1]);
  getrusage(RUSAGE_SELF, &a);
  wrong = 0;
  long got = drain(p[0], 0, &wrong, 0);
  getrusage(RUSAGE_SELF, &b);
  waitpid(pid, &st, 0);
  read(rep[0], &c, sizeof c);
  close(p[0]); close(rep[0]); close(rep[1]);
  printf("one big write: got %ld, wrong %ld, write returned %ld, reader slept at most 4 times: %d\n",
         got, wrong, c, b.ru_nvcsw - a.ru_nvcsw <= 4);

  /* 2. A signal interrupts the writer after the reader took some of its bytes straight. */
  pipe(p); pipe(rep);
  pid = big_writer(p, rep[1], 1);
  close(p[1]);
  wrong = 0;
  got = 0;
  for (int k = 0; k < 3; k++) { /* the ring's worth and the writer's next bytes */
    ssize_t r = read(p[0], got_all + got, CHUNK);
    if (r <= 0) break;
    for (ssize_t i = 0; i < r; i++) wrong += got_all[got + i] != pat(got + i);
    got += r;
  }
  kill(pid, SIGUSR1);
  got = drain(p[0], got, &wrong, 0);
  waitpid(pid, &st, 0);
  read(rep[0], &c, sizeof c);
  close(p[0]); close(rep[0]); close(rep[1]);
  printf("interrupted write: partial %d, count = bytes read %d, wrong %ld\n", c > 0 && c < BIG, c == got, wrong);

  /* 3. An O_NONBLOCK reader. */
  pipe(p); pipe(rep);
  pid = big_writer(p, rep[1], 0);
  close(p[1]);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  wrong = 0;
  got = drain(p[0], 0, &wrong, 1);
  waitpid(pid, &st, 0);
  read(rep[0], &c, sizeof c);
  close(p[0]); close(rep[0]); close(rep[1]);
  printf("nonblocking reader: got %ld, wrong %ld, write returned %ld\n", got, wrong, c);

  /* 4. PIPE_BUF atomicity: two writers of 4096-byte records, a reader of odd sizes. */
  enum { RECS = 300 };
  pipe(p);
  pid_t w[2];
  for (int id = 0; id < 2; id++) {
    w[id] = fork();
    if (w[id] == 0) {
      close(p[0]);
      static char rec[4096];
      memset(rec, 'A' + id, sizeof rec);
      for (int i = 0; i < RECS; i++) if (write(p[1], rec, sizeof rec) != sizeof rec) _exit(1);
      _exit(0);
    }
  }
  close(p[1]);
  static char stream[2 * RECS * 4096];
  long n = 0;
  for (int k = 0;; k++) {
    long want = k % 2 ? 5000 : 3000;
    if (want > (long)sizeof stream - n) want = sizeof stream - n;
    if (want == 0) { char x; if (read(p[0], &x, 1) > 0) n++; break; }
    ssize_t r = read(p[0], stream + n, want);
    if (r <= 0) break;
    n += r;
  }
  int ok = 1;
  for (int i = 0; i < 2; i++) { waitpid(w[i], &st, 0); ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0; }
  long mixed = 0, as = 0;
  for (long r = 0; r + 4096 <= n; r += 4096) {
    for (long i = 1; i < 4096; i++) if (stream[r + i] != stream[r]) { mixed++; break; }
    as += stream[r] == 'A';
  }
  close(p[0]);
  printf("two writers: got %ld, records mixed %ld, A records %ld, writers ok %d\n", n, mixed, as, ok);
  /* 5. A writer hands its bytes to the reader asleep in read(2) (pipeHandOff completes that read), then
     signals it before it has run: the read returns the count, then the handler runs, and nothing is lost. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1_count; /* no SA_RESTART */
  sigaction(SIGUSR1, &sa, NULL);
  pipe(p);
  pid = fork();
  if (pid == 0) {
    close(p[0]);
    usleep(2000); /* the parent is asleep in its read by now */
    memset(wbuf, 'h', CHUNK);
    if (write(p[1], wbuf, CHUNK) != CHUNK) _exit(1);
    kill(getppid(), SIGUSR1);
    if (write(p[1], wbuf, 100) != 100) _exit(1);
    _exit(0);
  }
  close(p[1]);
  ssize_t r1 = read(p[0], got_all, CHUNK);
  int seen = usr1_count;
  wrong = 0;
  for (ssize_t i = 0; i < r1; i++) wrong += got_all[i] != 'h';
  long other = 0; /* the rest is 'h's, not the pattern drain checks */
  long rest = drain(p[0], 0, &other, 0);
  waitpid(pid, &st, 0);
  close(p[0]);
  printf("hand-off then signal: read %zd, wrong %ld, handler ran %d, rest %ld, writer ok %d\n", r1, wrong, seen, rest,
         WIFEXITED(st) && WEXITSTATUS(st) == 0);
  printf("pipe_takeover: done\n");
  return 0;
}
