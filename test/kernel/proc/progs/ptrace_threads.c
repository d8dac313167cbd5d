/* Threads traced one by one, checked against Linux's ptrace(2) rules
   (qemu-user has no ptrace; each expectation says which rule it is):
   A. PTRACE_O_TRACECLONE: pthread_create in the tracee reports
      PTRACE_EVENT_CLONE at the creating thread with the new tid as event
      message; the new thread is traced too and starts with a SIGSTOP stop;
      waitpid(-1, __WALL) reports each thread's stops under its own tid;
      PTRACE_GETREGSET on the thread's tid gives that thread's registers (its
      s2 and its pc at the ebreak it ran into), SETREGSET moves its pc alone;
      the thread's exit is reported under its tid, then the process's.
   B. PTRACE_SEIZE of one thread (not the leader) of a running process: only
      that thread is traced (requests on the leader: ESRCH);
      PTRACE_INTERRUPT stops it with SIGTRAP | PTRACE_EVENT_STOP<<16; a
      group-stop (SIGSTOP to the process) shows as SIGSTOP |
      PTRACE_EVENT_STOP<<16; PTRACE_LISTEN leaves it stopped but out of the
      ptrace-stop (GETREGSET: ESRCH), and SIGCONT traps it again with
      SIGTRAP | PTRACE_EVENT_STOP<<16. Misuse: LISTEN outside an EVENT_STOP,
      and INTERRUPT/LISTEN on a tracee not SEIZE'd, are EIO; SEIZE of a
      traced thread is EPERM. */
#include "../../fs/progs/t.h"
#include "ptrace_regs.h"
#include <elf.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define EV(st) (((st) >> 16) & 0xff)

/* ---- A: the tracee */
static void *trapper(void *arg) {
  (void)arg;
  /* s2 (x18) holds a mark the tracer reads from this thread's registers; the ebreak stops it. */
  __asm__ volatile("li s2, 0x5151\n\tebreak" ::: "s2", "memory");
  return (void *)7;
}

static int clone_victim(void) {
  raise(SIGSTOP);
  pthread_t th;
  if (pthread_create(&th, 0, trapper, 0) != 0) return 40;
  void *ret = 0;
  if (pthread_join(th, &ret) != 0 || ret != (void *)7) return 41;
  return 0;
}

static void part_a(void) {
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    _exit(clone_victim());
  }
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
  CHECK(ptrace(PTRACE_SETOPTIONS, c, 0, (void *)PTRACE_O_TRACECLONE) == 0);
  CHECK(ptrace(PTRACE_CONT, c, 0, 0) == 0);
  pid_t th = 0;
  int cloneEv = 0, thStop = 0, thTrap = 0, thExit = 0, mainExit = 0, order = 1;
  for (int guard = 0; guard < 20 && !mainExit; guard++) {
    pid_t w = waitpid(-1, &st, __WALL);
    if (w < 0) { CHECK(w >= 0); break; }
    if (w == c && WIFSTOPPED(st) && EV(st) == PTRACE_EVENT_CLONE) {
      unsigned long msg = 0;
      CHECK(ptrace(PTRACE_GETEVENTMSG, c, 0, &msg) == 0);
      if (th) CHECK(th == (pid_t)msg); /* its stop may come first */
      th = (pid_t)msg;
      cloneEv = 1;
      CHECK(ptrace(PTRACE_CONT, c, 0, 0) == 0);
    } else if (w != c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && EV(st) == 0 && !thStop) {
      if (th) CHECK(w == th);
      th = w;
      thStop = 1;
      CHECK(ptrace(PTRACE_CONT, w, 0, 0) == 0); /* the SIGSTOP is dropped */
    } else if (w == th && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP) {
      siginfo_t si;
      CHECK(ptrace(PTRACE_GETSIGINFO, w, 0, &si) == 0 && si.si_code == TRAP_BRKPT);
      uint64_t r[32], m[32];
      CHECK(getregs(w, r) == 0);
      CHECK(r[18] == 0x5151); /* this thread's s2 */
      uint32_t insn = 0;
      errno = 0;
      long word = ptrace(PTRACE_PEEKTEXT, w, (void *)r[0], 0);
      CHECK(errno == 0);
      insn = (uint32_t)word;
      CHECK(insn == 0x00100073u || (insn & 0xffff) == 0x9002u); /* pc at the ebreak */
      /* The main thread is traced too but runs (in pthread_join): no ptrace-stop, ESRCH. */
      errno = 0;
      CHECK(getregs(c, m) == -1 && errno == ESRCH);
      r[0] += (insn & 3) == 3 ? 4 : 2; /* step over the ebreak, in this thread only */
      CHECK(setregs(w, r) == 0);
      thTrap = 1;
      CHECK(ptrace(PTRACE_CONT, w, 0, 0) == 0);
    } else if (w == th && WIFEXITED(st)) {
      thExit = 1;
      if (!thTrap) order = 0;
    } else if (w == c && (WIFEXITED(st) || WIFSIGNALED(st))) {
      mainExit = 1;
      CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
      if (!thTrap) order = 0;
    } else {
      printf("A: unexpected stop of %d: 0x%x\n", w, st);
      CHECK(0);
      ptrace(PTRACE_CONT, w, 0, 0);
    }
  }
  if (!(cloneEv && thStop && thTrap && thExit && mainExit && order)) printf("A: clone %d stop %d trap %d texit %d exit %d order %d\n", cloneEv, thStop, thTrap, thExit, mainExit, order);
  CHECK(cloneEv && thStop && thTrap && thExit && mainExit && order);
  CHECK(th != c && th > 0);
  if (cloneEv && thStop && thTrap && thExit && mainExit) printf("A: clone event, thread stop, thread trap, thread exit, process exit\n");
}

/* The TracerPid: line of /proc/PID/task/TID/status, or -1. */
static int tracer_pid(pid_t pid, pid_t tid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/task/%d/status", pid, tid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strstr(buf, "TracerPid:\t");
  return p ? atoi(p + 11) : -1;
}

/* ---- B: the tracee */
static int pfd[2];
static volatile int spin = 1;

static void *spinner(void *arg) {
  (void)arg;
  pid_t me = (pid_t)syscall(SYS_gettid);
  if (write(pfd[1], &me, sizeof me) != sizeof me) return 0;
  while (spin) __asm__ volatile("" ::: "memory");
  return 0;
}

static void part_b(void) {
  if (pipe(pfd) != 0) { CHECK(0); return; }
  pid_t c = fork();
  if (c == 0) {
    pthread_t th;
    if (pthread_create(&th, 0, spinner, 0) != 0) _exit(50);
    for (;;) pause();
  }
  pid_t tid = 0;
  CHECK(read(pfd[0], &tid, sizeof tid) == sizeof tid && tid > 0 && tid != c);
  CHECK(ptrace(PTRACE_SEIZE, tid, 0, 0) == 0);
  ERR(ptrace(PTRACE_SEIZE, tid, 0, 0), EPERM); /* already traced */
  CHECK(tracer_pid(c, tid) == getpid()); /* this thread is traced ... */
  CHECK(tracer_pid(c, c) == 0); /* ... its leader is not */
  ERR(ptrace(PTRACE_INTERRUPT, c, 0, 0), ESRCH); /* the leader is not traced */
  CHECK(ptrace(PTRACE_INTERRUPT, tid, 0, 0) == 0);
  int st = 0;
  CHECK(waitpid(tid, &st, __WALL) == tid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && EV(st) == PTRACE_EVENT_STOP);
  uint64_t r[32];
  CHECK(getregs(tid, r) == 0);
  errno = 0;
  CHECK(getregs(c, r) == -1 && errno == ESRCH);
  CHECK(ptrace(PTRACE_CONT, tid, 0, 0) == 0);

  /* A signal-delivery-stop is not an EVENT_STOP: LISTEN there is EIO. */
  CHECK(syscall(SYS_tgkill, c, tid, SIGWINCH) == 0); /* ignored by default, but a tracer sees it */
  CHECK(waitpid(tid, &st, __WALL) == tid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGWINCH && EV(st) == 0);
  ERR(ptrace(PTRACE_LISTEN, tid, 0, 0), EIO);
  CHECK(ptrace(PTRACE_CONT, tid, 0, 0) == 0);

  /* Group-stop: the traced thread reports SIGSTOP | EVENT_STOP (after a
     signal-delivery-stop first, if it was the thread that took the SIGSTOP). */
  CHECK(kill(c, SIGSTOP) == 0);
  CHECK(waitpid(tid, &st, __WALL) == tid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
  if (EV(st) == 0) {
    CHECK(ptrace(PTRACE_CONT, tid, 0, (void *)SIGSTOP) == 0);
    CHECK(waitpid(tid, &st, __WALL) == tid && WIFSTOPPED(st));
  }
  CHECK(WSTOPSIG(st) == SIGSTOP && EV(st) == PTRACE_EVENT_STOP);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  CHECK(ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 && si.si_signo == SIGSTOP);
  CHECK(ptrace(PTRACE_LISTEN, tid, 0, 0) == 0);
  errno = 0;
  CHECK(getregs(tid, r) == -1 && errno == ESRCH); /* listening: not in a ptrace-stop */
  CHECK(waitpid(tid, &st, __WALL | WNOHANG) == 0); /* nothing new yet */
  CHECK(kill(c, SIGCONT) == 0);
  CHECK(waitpid(tid, &st, __WALL) == tid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && EV(st) == PTRACE_EVENT_STOP);
  CHECK(getregs(tid, r) == 0);
  CHECK(ptrace(PTRACE_DETACH, tid, 0, 0) == 0);
  ERR(ptrace(PTRACE_INTERRUPT, tid, 0, 0), ESRCH); /* detached */

  /* An ATTACH'd tracee (not SEIZE'd): INTERRUPT and LISTEN are EIO. */
  CHECK(ptrace(PTRACE_ATTACH, tid, 0, 0) == 0);
  CHECK(waitpid(tid, &st, __WALL) == tid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
  ERR(ptrace(PTRACE_INTERRUPT, tid, 0, 0), EIO);
  ERR(ptrace(PTRACE_LISTEN, tid, 0, 0), EIO);
  CHECK(ptrace(PTRACE_DETACH, tid, 0, 0) == 0);
  kill(c, SIGKILL);
  CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
  printf("B: seize a thread, interrupt, group-stop, listen, SIGCONT trap, detach\n");
}

int main(void) {
  prog_name = "ptrace_threads";
  setvbuf(stdout, 0, _IONBF, 0);
  part_a();
  part_b();
  DONE();
}
