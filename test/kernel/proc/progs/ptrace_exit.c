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
      SIGTERM, then the process's death by SIGTERM. */
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
  if (how == 0) syscall(SYS_exit_group, 7);
  /* B: SIGTERM to this thread alone; its default action ends the process. */
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

int main(void) {
  prog_name = "ptrace_exit";
  setvbuf(stdout, NULL, _IONBF, 0);
  part(0);
  part(1);
  DONE();
}
