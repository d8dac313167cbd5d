/* PTRACE_EVENT_EXIT for every traced thread when a process ends, checked
   against Linux's ptrace(2) ("PTRACE_EVENT_EXIT", "Death under ptrace";
   qemu-user has no ptrace): when one thread ends a multi-threaded process,
   every other thread is killed (zap_other_threads), and each traced thread
   whose tracer set PTRACE_O_TRACEEXIT stops at PTRACE_EVENT_EXIT on its way
   out, the process's exit status as event message; only then do the
   threads' exits come.
   A. A tracer SEIZEs a process with PTRACE_O_TRACEEXIT | PTRACE_O_TRACECLONE;
      it starts two threads (one sleeps in pause, the leader in pthread_join)
      and the second calls exit_group(7): three EVENT_EXIT stops, one per
      thread, each with message 7<<8, all before the process's exit (status
      7); each thread's own exit after its stop.
   B. The same, the process dying of SIGTERM sent to one thread: its
      signal-delivery-stop, then three EVENT_EXIT stops with message
      SIGTERM, then the process's death by SIGTERM.
   C. Linux's order for exit_group (do_group_exit: zap_other_threads, then
      do_exit's ptrace_event): the other threads are zapped before the
      caller stops at PTRACE_EVENT_EXIT, so the tracer collects all three
      stops without resuming any of them (the caller held at its stop does
      not keep its siblings alive).
   D. SIGKILL (kill(2) from the tracer): current Linux stops every traced
      thread at PTRACE_EVENT_EXIT too, message SIGKILL (get_signal takes the
      SIGKILL off the pending set before do_group_exit, so ptrace_stop in
      do_exit sleeps); a second SIGKILL does not release them (prepare_signal
      drops signals to a process under SIGNAL_GROUP_EXIT); PTRACE_CONT does,
      and the process dies of SIGKILL. */
#include "../../fs/progs/t.h"
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define EV(st) (((st) >> 16) & 0xff)

static int go[2];
static volatile int sleeper_up;

static void *sleeper(void *arg) {
  (void)arg;
  sleeper_up = 1;
  for (;;) pause();
  return 0;
}

static void *ender(void *arg) {
  long how = (long)arg;
  while (!sleeper_up) sched_yield();
  if (how == 0 || how == 3) syscall(SYS_exit_group, 7);
  if (how == 2) for (;;) pause(); /* D: the tracer kills the process */
  /* B, C: SIGTERM to this thread alone; its default action ends the process. */
  syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGTERM);
  for (;;) pause();
  return 0;
}

static int victim(long how) {
  char c;
  if (read(go[0], &c, 1) != 1) return 40;
  pthread_t a, b;
  if (pthread_create(&a, 0, sleeper, 0) != 0) return 41;
  if (pthread_create(&b, 0, ender, (void *)how) != 0) return 42;
  pthread_join(a, 0); /* never returns: the process ends first */
  return 43;
}

/* how 0: exit_group(7); how 1: SIGTERM. */
static void part(long how) {
  const char *name = how ? "B" : "A";
  CHECK(pipe(go) == 0);
  pid_t c = fork();
  if (c == 0) _exit(victim(how));
  close(go[0]);
  CHECK(ptrace(PTRACE_SEIZE, c, 0, (void *)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACECLONE)) == 0);
  CHECK(write(go[1], "g", 1) == 1);
  close(go[1]);
  long want = how ? SIGTERM : 7 << 8;
  pid_t stopped[8];
  int nstops = 0, threadExits = 0, exitBeforeStop = 0, done = 0, sigStop = 0, st = 0;
  for (int guard = 0; guard < 40 && !done; guard++) {
    pid_t w = waitpid(-1, &st, __WALL);
    if (w < 0) { CHECK(w >= 0); break; }
    if (WIFSTOPPED(st) && EV(st) == PTRACE_EVENT_EXIT) {
      unsigned long msg = 0;
      CHECK(ptrace(PTRACE_GETEVENTMSG, w, 0, &msg) == 0);
      if ((long)msg != want) printf("%s: EVENT_EXIT of %d: message 0x%lx, want 0x%lx\n", name, w, msg, want);
      CHECK((long)msg == want);
      for (int i = 0; i < nstops; i++) CHECK(stopped[i] != w); /* once per thread */
      if (nstops < 8) stopped[nstops++] = w;
      CHECK(ptrace(PTRACE_CONT, w, 0, 0) == 0);
    } else if (WIFSTOPPED(st) && EV(st) == PTRACE_EVENT_CLONE) {
      CHECK(ptrace(PTRACE_CONT, w, 0, 0) == 0);
    } else if (WIFSTOPPED(st) && EV(st) == PTRACE_EVENT_STOP) {
      CHECK(ptrace(PTRACE_CONT, w, 0, 0) == 0); /* a new thread's first stop */
    } else if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGTERM && EV(st) == 0) {
      sigStop = 1;
      CHECK(how == 1);
      CHECK(ptrace(PTRACE_CONT, w, 0, (void *)SIGTERM) == 0); /* pass it on: it kills */
    } else if (w != c && (WIFEXITED(st) || WIFSIGNALED(st))) {
      threadExits++;
      int seen = 0;
      for (int i = 0; i < nstops; i++) seen |= stopped[i] == w;
      if (!seen) exitBeforeStop = 1;
    } else if (w == c && (WIFEXITED(st) || WIFSIGNALED(st))) {
      done = 1;
      if (how == 0) CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
      else CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
      int seen = 0;
      for (int i = 0; i < nstops; i++) seen |= stopped[i] == w;
      if (!seen) exitBeforeStop = 1;
    } else {
      printf("%s: unexpected stop of %d: 0x%x\n", name, w, st);
      CHECK(0);
      ptrace(PTRACE_CONT, w, 0, 0);
    }
  }
  int leaderStopped = 0;
  for (int i = 0; i < nstops; i++) leaderStopped |= stopped[i] == c;
  printf("%s: %d EVENT_EXIT stops (leader %s), %d thread exits, process exit %s%s\n", name, nstops,
         leaderStopped ? "too" : "not", threadExits, done ? "last" : "missing",
         how ? (sigStop ? ", after the SIGTERM stop" : ", no SIGTERM stop") : "");
  CHECK(nstops == 3 && leaderStopped && done && !exitBeforeStop);
  CHECK(how == 0 || sigStop);
}

/* Collect PTRACE_EVENT_EXIT stops without resuming any, for up to about 3 s;
   the stopped tids go to `stopped`. Any other stop is resumed. */
static int holdStops(const char *name, long want, pid_t *stopped, int max) {
  int n = 0, st = 0;
  for (int tries = 0; tries < 300 && n < max; tries++) {
    pid_t w = waitpid(-1, &st, __WALL | WNOHANG);
    if (w < 0) { CHECK(w >= 0); break; }
    if (w == 0) { usleep(10000); continue; }
    if (WIFSTOPPED(st) && EV(st) == PTRACE_EVENT_EXIT) {
      unsigned long msg = 0;
      CHECK(ptrace(PTRACE_GETEVENTMSG, w, 0, &msg) == 0);
      if ((long)msg != want) printf("%s: EVENT_EXIT of %d: message 0x%lx, want 0x%lx\n", name, w, msg, want);
      CHECK((long)msg == want);
      stopped[n++] = w;
    } else if (WIFSTOPPED(st)) {
      ptrace(PTRACE_CONT, w, 0, 0); /* EVENT_CLONE, a new thread's EVENT_STOP */
    } else {
      printf("%s: %d ended (0x%x) while the others were held\n", name, w, st);
      CHECK(0);
    }
  }
  return n;
}

/* Resume the held threads and collect their exits: the threads' and then the process's. */
static void release(const char *name, pid_t c, pid_t *stopped, int n, int sig) {
  for (int i = 0; i < n; i++) CHECK(ptrace(PTRACE_CONT, stopped[i], 0, 0) == 0);
  int threadExits = 0, done = 0, st = 0;
  for (int guard = 0; guard < 20 && !done; guard++) {
    pid_t w = waitpid(-1, &st, __WALL);
    if (w < 0) { CHECK(w >= 0); break; }
    if (w != c) { threadExits++; continue; }
    done = 1;
    if (sig) CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sig);
    else CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
  }
  printf("%s: released, %d thread exits, process exit %s\n", name, threadExits, done ? "last" : "missing");
  CHECK(threadExits == 2 && done);
}

/* C: exit_group(7) with every stop held; D: SIGKILL from the tracer. */
static void held(long how) {
  const char *name = how == 3 ? "C" : "D";
  CHECK(pipe(go) == 0);
  pid_t c = fork();
  if (c == 0) _exit(victim(how));
  close(go[0]);
  CHECK(ptrace(PTRACE_SEIZE, c, 0, (void *)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACECLONE)) == 0);
  CHECK(write(go[1], "g", 1) == 1);
  close(go[1]);
  pid_t stopped[8];
  int n;
  if (how == 3) {
    n = holdStops(name, 7 << 8, stopped, 3);
  } else {
    /* Let both threads start (their clone events and first stops are resumed), then kill. */
    int started = 0, st = 0;
    for (int guard = 0; guard < 20 && started < 2; guard++) {
      pid_t w = waitpid(-1, &st, __WALL);
      if (w < 0) { CHECK(w >= 0); break; }
      if (WIFSTOPPED(st) && EV(st) == PTRACE_EVENT_STOP) started++;
      ptrace(PTRACE_CONT, w, 0, 0);
    }
    CHECK(started == 2);
    usleep(50000);
    CHECK(kill(c, SIGKILL) == 0);
    n = holdStops(name, SIGKILL, stopped, 3);
  }
  int leader = 0;
  for (int i = 0; i < n; i++) leader |= stopped[i] == c;
  printf("%s: %d EVENT_EXIT stops held (leader %s)\n", name, n, leader ? "too" : "not");
  CHECK(n == 3 && leader);
  if (how == 2) {
    /* A second SIGKILL is dropped: nobody leaves its stop. */
    CHECK(kill(c, SIGKILL) == 0);
    usleep(100000);
    int st = 0;
    pid_t w = waitpid(-1, &st, __WALL | WNOHANG);
    printf("D: second SIGKILL: %s\n", w == 0 ? "still held" : "released");
    CHECK(w == 0);
  }
  release(name, c, stopped, n, how == 2 ? SIGKILL : 0);
}

int main(void) {
  prog_name = "ptrace_exit";
  setvbuf(stdout, NULL, _IONBF, 0);
  part(0);
  part(1);
  held(3);
  held(2);
  DONE();
}
