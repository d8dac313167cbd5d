/* ptrace's event stops and the options around a tracee's end, checked with
   exact wait statuses against Linux's ptrace(2) (qemu-user has no ptrace,
   so there is no second run; each rule below is the man page's):
   - PTRACE_O_TRACEEXIT: the tracee stops before it exits, status>>8 ==
     SIGTRAP | PTRACE_EVENT_EXIT<<8, its registers still readable, and
     PTRACE_GETEVENTMSG gives the exit status (as wait would report it);
     the tracer cannot prevent the exit. This holds for exit_group and for a
     death by signal (after the signal-delivery-stop the tracer passed the
     signal on in).
   - PTRACE_O_TRACEVFORK: PTRACE_EVENT_VFORK with the child's pid; the child
     is traced and starts with a SIGSTOP stop.
     PTRACE_O_TRACEVFORKDONE: PTRACE_EVENT_VFORK_DONE when the vfork
     completes (the child exited or exec'd), with the child's pid as message.
   - PTRACE_O_TRACEEXEC: PTRACE_EVENT_EXEC, message the former thread ID.
   - PTRACE_DETACH with a signal: from a signal-delivery-stop the signal is
     delivered (here it replaces the one that caused the stop) and the
     process runs on untraced; a bad signal number is EIO.
   - A signal that interrupts a syscall the tracer saw enter: the syscall's
     exit stop comes first with the restart code as result (-ERESTARTSYS,
     512, PTRACE_GET_SYSCALL_INFO is_error), then the signal-delivery-stop;
     with an SA_RESTART handler, rt_sigreturn's entry and exit, then the
     restarted syscall enters again (a new entry stop) and finishes.
   - A process already traced cannot be traced by a second tracer (EPERM
     for ATTACH and SEIZE).
   - PTRACE_O_EXITKILL: the tracee gets SIGKILL when its tracer exits;
     without it the tracee is detached and runs on. */
#include "../../fs/progs/t.h"
#include <elf.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* The stop status of an event stop: 0x7f | SIGTRAP<<8 | EVENT<<16. */
#define EVSTOP(ev) (0x7f | (SIGTRAP << 8) | ((ev) << 16))
#define SIGSTOPPED(sig) (0x7f | ((sig) << 8))

static unsigned long msg(pid_t p) {
  unsigned long m = 0xdeadbeef;
  OK(ptrace(PTRACE_GETEVENTMSG, p, 0, &m));
  return m;
}

/* waitpid for a stop of `p` other than a SIGCHLD signal-delivery-stop: a vfork
   parent is sent SIGCHLD when its child's exit is reaped, which its tracer
   sees first (passed on here). */
static pid_t wait_nochld(pid_t p, int *st) {
  for (;;) {
    pid_t w = waitpid(p, st, 0);
    if (w != p || *st != SIGSTOPPED(SIGCHLD)) return w;
    OK(ptrace(PTRACE_CONT, p, 0, SIGCHLD));
  }
}

/* A child that asks to be traced and stops itself, so the tracer can set options first. */
static pid_t traced_child(void) {
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    return 0;
  }
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && st == SIGSTOPPED(SIGSTOP));
  return c;
}

static void test_exit_event(void) {
  pid_t c = traced_child();
  if (c == 0) { syscall(SYS_exit_group, 3); _exit(99); }
  OK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACEEXIT));
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(st == EVSTOP(PTRACE_EVENT_EXIT));
  if (st != EVSTOP(PTRACE_EVENT_EXIT)) printf("exit event: status %#x\n", st);
  CHECK(msg(c) == 0x300); /* exit status 3, as wait reports it */
  /* Registers are still there: a7 holds exit_group's number. */
  uint64_t r[32];
  struct iovec io = { r, sizeof r };
  OK(ptrace(PTRACE_GETREGSET, c, (void *)NT_PRSTATUS, &io));
  CHECK(io.iov_len == sizeof r && r[17] == SYS_exit_group);
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  CHECK(waitpid(c, &st, 0) == c && st == 0x300);
  printf("exit event: %#x msg %#x, then exited %#x\n", EVSTOP(PTRACE_EVENT_EXIT), 0x300, st);
}

static void test_exit_event_signal(void) {
  pid_t c = traced_child();
  if (c == 0) { for (;;) pause(); }
  OK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACEEXIT));
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  kill(c, SIGTERM);
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && st == SIGSTOPPED(SIGTERM)); /* signal-delivery-stop */
  OK(ptrace(PTRACE_CONT, c, 0, SIGTERM)); /* passed on: it kills */
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(st == EVSTOP(PTRACE_EVENT_EXIT));
  if (st != EVSTOP(PTRACE_EVENT_EXIT)) printf("exit event (signal): status %#x\n", st);
  CHECK(msg(c) == SIGTERM);
  /* The tracer cannot undo the exit: resuming with no signal still ends it by SIGTERM. */
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  CHECK(waitpid(c, &st, 0) == c && st == SIGTERM);
  printf("exit event on SIGTERM: msg %d, then status %#x\n", SIGTERM, st);
}

/* vfork under TRACEVFORK|TRACEVFORKDONE: events in order, with messages. */
static void test_vfork(void) {
  pid_t c = traced_child();
  if (c == 0) {
    pid_t v = vfork();
    if (v == 0) _exit(4);
    int s = 0;
    _exit(v > 0 && waitpid(v, &s, 0) == v && s == 0x400 ? 0 : 1);
  }
  OK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE));
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  int vforkEv = 0, vStop = 0, vExit = 0, doneEv = 0, cExit = -1, order = 1;
  pid_t v = -1;
  for (int i = 0; i < 12; i++) {
    int st = 0;
    pid_t w = waitpid(-1, &st, __WALL);
    if (w < 0) { CHECK(errno == ECHILD); break; }
    if (w == c && st == EVSTOP(PTRACE_EVENT_VFORK)) {
      unsigned long m = msg(c);
      if (v < 0) v = (pid_t)m;
      CHECK((pid_t)m == v && v != c);
      vforkEv++;
      OK(ptrace(PTRACE_CONT, c, 0, 0));
    } else if (w == c && st == EVSTOP(PTRACE_EVENT_VFORK_DONE)) {
      CHECK((pid_t)msg(c) == v);
      if (!vforkEv || !vStop) order = 0; /* done comes after the child ran */
      doneEv++;
      OK(ptrace(PTRACE_CONT, c, 0, 0));
    } else if (w != c && st == SIGSTOPPED(SIGSTOP)) {
      if (v < 0) v = w;
      CHECK(w == v);
      vStop++;
      OK(ptrace(PTRACE_CONT, w, 0, 0));
    } else if (w != c && WIFEXITED(st)) {
      CHECK(w == v && st == 0x400); /* the tracer hears of the child's exit first */
      vExit++;
    } else if (w == c && st == SIGSTOPPED(SIGCHLD)) {
      OK(ptrace(PTRACE_CONT, c, 0, SIGCHLD)); /* the child's exit, passed on */
    } else if (w == c && WIFEXITED(st)) {
      cExit = WEXITSTATUS(st);
    } else {
      printf("vfork: unexpected stop of %d: %#x\n", w, st);
      CHECK(0);
      OK(ptrace(PTRACE_CONT, w, 0, 0));
    }
  }
  CHECK(vforkEv == 1 && vStop == 1 && vExit == 1 && doneEv == 1 && order);
  CHECK(cExit == 0);
  printf("vfork: VFORK event %d, child stop %d, child exit %d, VFORK_DONE %d, parent exit %d\n", vforkEv, vStop, vExit, doneEv, cExit);
}

/* TRACEVFORKDONE alone: the child is not traced; the parent still reports VFORK_DONE with its pid. */
static void test_vforkdone_only(void) {
  pid_t c = traced_child();
  if (c == 0) {
    pid_t v = vfork();
    if (v == 0) _exit(4);
    int s = 0;
    if (waitpid(v, &s, 0) != v || s != 0x400) _exit(1);
    _exit(v & 0x7f); /* tells the tracer which pid it was */
  }
  OK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACEVFORKDONE));
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  int st = 0;
  CHECK(wait_nochld(c, &st) == c && st == EVSTOP(PTRACE_EVENT_VFORK_DONE));
  unsigned long m = msg(c);
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  CHECK(wait_nochld(c, &st) == c && WIFEXITED(st) && (unsigned long)WEXITSTATUS(st) == (m & 0x7f));
  CHECK(m != 0 && m != (unsigned long)c);
  printf("vfork done only: status %#x\n", EVSTOP(PTRACE_EVENT_VFORK_DONE));
}

static void test_exec_event(const char *self) {
  pid_t c = traced_child();
  if (c == 0) { execl(self, "ptrace_events", "exit7", (char *)0); _exit(99); }
  OK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACEEXEC));
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && st == EVSTOP(PTRACE_EVENT_EXEC));
  CHECK((pid_t)msg(c) == c); /* the former thread ID: the only thread's */
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  CHECK(waitpid(c, &st, 0) == c && st == 0x700);
  printf("exec event: %#x msg = pid\n", EVSTOP(PTRACE_EVENT_EXEC));
}

struct sysinfo_ {
  uint8_t op; uint8_t pad[3]; uint32_t arch; uint64_t ip, sp;
  union { struct { uint64_t nr, args[6]; } entry; struct { int64_t rval; uint8_t is_error; } exit; };
};

static void on_usr2(int s) { (void)s; }

static void test_interrupted_syscall(void) {
  int fds[2];
  OK(pipe(fds));
  pid_t c = fork();
  if (c == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, 0);
    close(fds[1]);
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    char b;
    _exit(read(fds[0], &b, 1) == 1 && b == 'x' ? 0 : 1);
  }
  close(fds[0]);
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && st == SIGSTOPPED(SIGSTOP));
  OK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESYSGOOD));
  /* What the tracer sees, one token per stop: "e<nr>" entry, "x<rval>" exit, "s<sig>" signal. */
  char log[256] = "";
  int reads = 0, killed = 0;
  OK(ptrace(PTRACE_SYSCALL, c, 0, 0));
  for (int i = 0; i < 20; i++) {
    if (waitpid(c, &st, 0) != c || WIFEXITED(st)) break;
    char tok[32];
    int inject = 0;
    if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
      struct sysinfo_ si;
      memset(&si, 0, sizeof si);
      ptrace(0x420e /* PTRACE_GET_SYSCALL_INFO */, c, sizeof si, &si);
      if (si.op == 1) {
        snprintf(tok, sizeof tok, "e%d ", (int)si.entry.nr);
        if (si.entry.nr == SYS_read && reads++ == 0) {
          /* Let it block in read, then interrupt it. */
          OK(ptrace(PTRACE_SYSCALL, c, 0, 0));
          usleep(20000);
          kill(c, SIGUSR2);
          killed = 1;
          strcat(log, tok);
          continue;
        }
        if (si.entry.nr == SYS_read && reads == 2) { if (write(fds[1], "x", 1) != 1) CHECK(0); }
      } else {
        snprintf(tok, sizeof tok, "x%lld%s ", (long long)si.exit.rval, si.exit.is_error ? "!" : "");
        /* The registers agree (strace reads the result from a0): -ERESTARTSYS there too. */
        uint64_t r[32];
        struct iovec io = { r, sizeof r };
        OK(ptrace(PTRACE_GETREGSET, c, (void *)NT_PRSTATUS, &io));
        CHECK(si.exit.rval != -512 || (int64_t)r[10] == -512);
      }
    } else {
      snprintf(tok, sizeof tok, "s%d ", WSTOPSIG(st));
      inject = WSTOPSIG(st);
    }
    strcat(log, tok);
    OK(ptrace(PTRACE_SYSCALL, c, 0, inject));
  }
  CHECK(killed && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  printf("interrupted syscall: %s\n", log);
}

static void on_usr1(int s) { (void)s; _exit(42); }

static void test_detach_signal(void) {
  signal(SIGUSR1, on_usr1); /* inherited by the child */
  pid_t c = traced_child();
  if (c == 0) { for (;;) pause(); }
  signal(SIGUSR1, SIG_DFL);
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  kill(c, SIGUSR2);
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && st == SIGSTOPPED(SIGUSR2));
  ERR(ptrace(PTRACE_DETACH, c, 0, 100), EIO); /* no such signal */
  OK(ptrace(PTRACE_DETACH, c, 0, SIGUSR1)); /* SIGUSR1 instead of SIGUSR2: the handler exits 42 */
  ERR(ptrace(PTRACE_CONT, c, 0, 0), ESRCH); /* not ours any more */
  CHECK(waitpid(c, &st, 0) == c && st == 0x2a00);
  printf("detach with SIGUSR1: status %#x\n", st);
}

static void test_second_tracer(void) {
  pid_t v = fork();
  if (v == 0) { for (;;) pause(); }
  OK(ptrace(PTRACE_SEIZE, v, 0, 0));
  pid_t h = fork();
  if (h == 0) {
    if (ptrace(PTRACE_ATTACH, v, 0, 0) == 0 || errno != EPERM) _exit(1);
    if (ptrace(PTRACE_SEIZE, v, 0, 0) == 0 || errno != EPERM) _exit(2);
    if (ptrace(PTRACE_INTERRUPT, v, 0, 0) == 0 || errno != ESRCH) _exit(3);
    _exit(0);
  }
  int st = 0;
  CHECK(waitpid(h, &st, 0) == h && st == 0);
  if (st) printf("second tracer: helper status %#x\n", st);
  kill(v, SIGKILL);
  CHECK(waitpid(v, &st, 0) == v && st == SIGKILL);
  printf("second tracer: EPERM\n");
}

static void test_exitkill(int opt, int want) {
  pid_t v = fork();
  if (v == 0) { for (;;) pause(); }
  pid_t t = fork();
  if (t == 0) _exit(ptrace(PTRACE_SEIZE, v, 0, opt) == 0 ? 0 : 1);
  int st = 0;
  CHECK(waitpid(t, &st, 0) == t && st == 0);
  if (want == SIGKILL) {
    CHECK(waitpid(v, &st, 0) == v && st == SIGKILL);
  } else {
    /* Detached when its tracer went: alive, and a SIGTERM kills it at once (no tracer to stop for). */
    CHECK(waitpid(v, &st, WNOHANG) == 0);
    kill(v, SIGTERM);
    CHECK(waitpid(v, &st, 0) == v && st == SIGTERM);
  }
  printf("tracer exit, options %#x: tracee status %#x\n", opt, st);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "exit7") == 0) return 7;
  prog_name = "ptrace_events";
  setvbuf(stdout, NULL, _IONBF, 0);
  test_exit_event();
  test_exit_event_signal();
  test_vfork();
  test_vforkdone_only();
  test_exec_event(argv[0]);
  test_detach_signal();
  test_interrupted_syscall();
  test_second_tracer();
  test_exitkill(PTRACE_O_EXITKILL, SIGKILL);
  test_exitkill(0, SIGTERM);
  DONE();
}
