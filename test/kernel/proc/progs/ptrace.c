/* A small tracer, checked against Linux's documented ptrace(2) behaviour
   (qemu-user does not implement ptrace, so there is no second run; each
   expectation below says which rule of ptrace(2) it is):
   - PTRACE_TRACEME then execve: the child stops with a plain SIGTRAP after
     the exec ("If the PTRACE_O_TRACEEXEC option is not in effect, all
     successful calls to execve by the traced process will cause it to be sent
     a SIGTRAP signal").
   - PTRACE_SYSCALL with PTRACE_O_TRACESYSGOOD: syscall stops report
     WSTOPSIG == SIGTRAP|0x80, entry and exit alternate; PTRACE_GET_SYSCALL_INFO
     gives the op, the number and arguments at entry, the return value at exit.
   - At the entry stop the registers (PTRACE_GETREGSET NT_PRSTATUS: pc, x1..x31)
     hold the call: a7 the number, a0..a2 the arguments; PTRACE_PEEKDATA reads
     the tracee's buffer; changing a7 with PTRACE_SETREGSET changes which
     syscall runs (getppid becomes getpid).
   - PTRACE_O_TRACEFORK: the parent reports PTRACE_EVENT_FORK (status>>8 ==
     SIGTRAP | EVENT<<8) with the child's pid from PTRACE_GETEVENTMSG, the new
     child is traced and starts with a SIGSTOP stop; its syscalls and its exit
     are reported to the tracer (which is not its parent), and only then does
     its parent's waitpid return it.
   - A signal to a tracee causes a signal-delivery-stop (WSTOPSIG == the
     signal, PTRACE_GETSIGINFO tells it); resuming with 0 suppresses it.
   - PTRACE_SEIZE + PTRACE_INTERRUPT: a PTRACE_EVENT_STOP with SIGTRAP.
   - Permission: EPERM for one's own process, for init and for a root process
     from another uid; ESRCH for requests on a process one does not trace. */
#include "../../fs/progs/t.h"
#include "ptrace_regs.h"
#include <elf.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

struct sysinfo_ {
  uint8_t op; uint8_t pad[3]; uint32_t arch; uint64_t ip, sp;
  union { struct { uint64_t nr, args[6]; } entry; struct { int64_t rval; uint8_t is_error; } exit; };
};
#define GET_SYSCALL_INFO 0x420e
#define OP_ENTRY 1
#define OP_EXIT 2

static int victim(void) {
  long pp = syscall(SYS_getppid); /* the tracer turns this into getpid */
  if (write(1, "peek-me!\n", 9) != 9) return 10;
  pid_t g = fork();
  if (g == 0) _exit(5);
  int s = 0;
  if (waitpid(g, &s, 0) != g || !WIFEXITED(s) || WEXITSTATUS(s) != 5) return 6;
  return pp == getpid() ? 3 : 4;
}

static void test_trace(const char *self) {
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    execl(self, "ptrace", "victim", (char *)0);
    _exit(99);
  }
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && (st >> 16) == 0);
  OK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK));
  ERR(ptrace(PTRACE_SETOPTIONS, c, 0, 0x40000000), EINVAL);
  OK(ptrace(PTRACE_SYSCALL, c, 0, 0));
  int entries = 0, exits = 0, changed = 0, peeked = 0, getppidRet = 0, forkEvent = 0, gcStop = 0, gcExitCall = 0;
  int childExit = -1, gcExit = -1, sigchld = 0, order_ok = 1;
  pid_t gc = -1;
  int insys[2] = {0, 0};
  uint64_t lastnr[2] = {0, 0};
  for (;;) {
    pid_t w = waitpid(-1, &st, __WALL);
    if (w < 0) { CHECK(errno == ECHILD); break; }
    int who = w == c ? 0 : 1;
    if (WIFEXITED(st)) {
      if (w == c) childExit = WEXITSTATUS(st); else if (w == gc) gcExit = WEXITSTATUS(st);
      continue;
    }
    if (!WIFSTOPPED(st)) { CHECK(0); continue; }
    int sig = WSTOPSIG(st), ev = st >> 16;
    if (sig == (SIGTRAP | 0x80)) {
      struct sysinfo_ si;
      memset(&si, 0, sizeof si);
      long n = ptrace(GET_SYSCALL_INFO, w, sizeof si, &si);
      CHECK(si.arch == 0xc00000f3);
      if (si.op == OP_ENTRY) {
        CHECK(n == 80);
        if (insys[who]) order_ok = 0;
        insys[who] = 1;
        lastnr[who] = si.entry.nr;
        entries++;
        uint64_t r[32];
        if (w == c && si.entry.nr == SYS_getppid) {
          CHECK(getregs(w, r) == 0 && r[17] == SYS_getppid);
          r[17] = SYS_getpid;
          CHECK(setregs(w, r) == 0);
          changed = 1;
        }
        if (w == c && si.entry.nr == SYS_write && si.entry.args[0] == 1) {
          CHECK(getregs(w, r) == 0);
          CHECK(r[17] == SYS_write && r[10] == 1 && r[12] == 9 && r[11] == si.entry.args[1] && r[0] == si.ip);
          long word = 0;
          errno = 0;
          word = ptrace(PTRACE_PEEKDATA, w, (void *)r[11], 0);
          CHECK(errno == 0 && memcmp(&word, "peek-me!", 8) == 0);
          peeked = 1;
        }
        if (w == gc && si.entry.nr == SYS_exit_group) { gcExitCall = 1; CHECK(si.entry.args[0] == 5); }
      } else if (si.op == OP_EXIT) {
        CHECK(n == 33);
        if (!insys[who]) order_ok = 0;
        insys[who] = 0;
        exits++;
        if (w == c && lastnr[0] == SYS_getppid) getppidRet = (int)si.exit.rval;
      } else {
        CHECK(0);
      }
      OK(ptrace(PTRACE_SYSCALL, w, 0, 0));
    } else if (sig == SIGTRAP && ev == PTRACE_EVENT_FORK) {
      unsigned long m = 0;
      OK(ptrace(PTRACE_GETEVENTMSG, w, 0, &m));
      gc = (pid_t)m;
      forkEvent = 1;
      OK(ptrace(PTRACE_SYSCALL, w, 0, 0));
    } else if (sig == SIGSTOP && w != c && ev == 0) {
      gcStop = 1; /* the new child's first stop; it may come before or after the parent's event */
      if (gc < 0) gc = w;
      OK(ptrace(PTRACE_SYSCALL, w, 0, 0));
    } else if (sig == SIGCHLD) {
      siginfo_t info;
      OK(ptrace(PTRACE_GETSIGINFO, w, 0, &info));
      CHECK(info.si_signo == SIGCHLD && info.si_code == CLD_EXITED);
      sigchld++;
      OK(ptrace(PTRACE_SYSCALL, w, 0, SIGCHLD)); /* pass it on */
    } else {
      printf("unexpected stop of %d: status %#x\n", w, st);
      OK(ptrace(PTRACE_SYSCALL, w, 0, sig));
    }
  }
  CHECK(changed && peeked && forkEvent && gcStop && gcExitCall && order_ok);
  CHECK(getppidRet == c); /* getpid ran instead */
  CHECK(entries >= 8 && exits >= 6);
  CHECK(sigchld == 1);
  CHECK(gcExit == 5);
  CHECK(childExit == 3);
  if (childExit != 3 || gcExit != 5) printf("child exit %d, grandchild exit %d\n", childExit, gcExit);
}

static void test_seize_and_signals(void) {
  pid_t c = fork();
  if (c == 0) { for (;;) pause(); }
  OK(ptrace(PTRACE_SEIZE, c, 0, PTRACE_O_EXITKILL));
  ERR(ptrace(PTRACE_SEIZE, c, 0, 0), EPERM); /* already traced */
  ERR(ptrace(PTRACE_CONT, c, 0, 0), ESRCH); /* running: not in a ptrace-stop */
  OK(ptrace(PTRACE_INTERRUPT, c, 0, 0));
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && (st >> 16) == PTRACE_EVENT_STOP);
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  kill(c, SIGUSR1);
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1);
  siginfo_t info;
  OK(ptrace(PTRACE_GETSIGINFO, c, 0, &info));
  CHECK(info.si_signo == SIGUSR1 && info.si_code == SI_USER && info.si_pid == getpid());
  OK(ptrace(PTRACE_CONT, c, 0, 0)); /* suppressed: SIGUSR1 would have killed it */
  ERR(waitpid(c, &st, WNOHANG) == 0 ? (errno = EAGAIN, -1) : 0, EAGAIN);
  OK(ptrace(PTRACE_KILL, c, 0, 0));
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void test_permissions(void) {
  ERR(ptrace(PTRACE_ATTACH, getpid(), 0, 0), EPERM);
  ERR(ptrace(PTRACE_ATTACH, 1, 0, 0), EPERM);
  ERR(ptrace(PTRACE_ATTACH, 99999, 0, 0), ESRCH);
  pid_t root = fork();
  if (root == 0) { for (;;) pause(); }
  ERR(ptrace(PTRACE_CONT, root, 0, 0), ESRCH); /* not traced by us */
  ERR(ptrace(PTRACE_PEEKDATA, root, 0, 0), ESRCH);
  pid_t u = fork();
  if (u == 0) {
    if (setgid(1000) || setuid(1000)) _exit(20);
    if (ptrace(PTRACE_ATTACH, root, 0, 0) == 0 || errno != EPERM) _exit(21);
    if (ptrace(PTRACE_SEIZE, root, 0, 0) == 0 || errno != EPERM) _exit(22);
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) _exit(23);
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) == 0 || errno != EPERM) _exit(24); /* already traced */
    _exit(0);
  }
  int st = 0;
  CHECK(waitpid(u, &st, 0) == u && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st)) printf("unprivileged child: status %#x\n", st);
  /* ATTACH (same uid, root): a SIGSTOP stop; DETACH lets it run on. */
  OK(ptrace(PTRACE_ATTACH, root, 0, 0));
  CHECK(waitpid(root, &st, 0) == root && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
  OK(ptrace(PTRACE_DETACH, root, 0, 0));
  ERR(ptrace(PTRACE_CONT, root, 0, 0), ESRCH);
  kill(root, SIGKILL);
  CHECK(waitpid(root, &st, 0) == root && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "victim") == 0) return victim();
  prog_name = "ptrace";
  setvbuf(stdout, NULL, _IONBF, 0);
  test_trace(argv[0]);
  test_seize_and_signals();
  test_permissions();
  DONE();
}
