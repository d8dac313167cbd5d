/* restart_syscall(2), checked against Linux: arch/riscv/kernel/signal.c
   restarts a syscall that returned -ERESTART_RESTARTBLOCK, when no handler
   runs, with a7 = __NR_restart_syscall (128), and restart_syscall continues
   it from its restart block, which keeps the absolute expiry
   (hrtimer_nanosleep_restart, futex_wait_restart): only the time left is
   slept. qemu-user restarts the call under its own number (no a7 change) and
   has no ptrace, so the a7 and tracer expectations are Linux's.
   A. Untraced: nanosleep, a relative clock_nanosleep and a timed FUTEX_WAIT
      of 300 ms, each made with a raw ecall, are stopped by SIGSTOP at 50 ms
      and continued by SIGCONT at 150 ms: each returns (0, 0, -ETIMEDOUT)
      after 300 ms in all, not 300 ms more, and a7 is 128 after the ecall.
      An absolute clock_nanosleep restarts itself (ERESTARTNOHAND): a7 stays
      115.
   B. restart_syscall with nothing to restart fails with EINTR.
   C. Traced (PTRACE_SYSCALL): nanosleep interrupted by SIGWINCH, which the
      tracer suppresses: the tracer sees nanosleep's exit with -516, the
      signal, then restart_syscall enter (a7 = 128, a0 still nanosleep's
      argument) and return 0. */
#include "../../fs/progs/t.h"
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ptrace_regs.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A syscall by hand, so a7 can be read back after the ecall. */
static long ecall4(long nr, long a0, long a1, long a2, long a3, long *a7out) {
  register long r0 __asm__("a0") = a0;
  register long r1 __asm__("a1") = a1;
  register long r2 __asm__("a2") = a2;
  register long r3 __asm__("a3") = a3;
  register long r7 __asm__("a7") = nr;
  __asm__ volatile("ecall" : "+r"(r0), "+r"(r7) : "r"(r1), "r"(r2), "r"(r3) : "memory");
  *a7out = r7;
  return r0;
}

static int futex_word;

/* how: 0 nanosleep, 1 relative clock_nanosleep, 2 timed FUTEX_WAIT, 3 absolute clock_nanosleep. */
static void stopped_sleep(int how) {
  static const char *names[] = { "nanosleep", "clock_nanosleep", "futex_wait", "clock_nanosleep abs" };
  int fds[2];
  CHECK(pipe(fds) == 0);
  pid_t c = fork();
  if (c == 0) {
    struct timespec ts = { 0, 300 * 1000000L };
    long a7 = 0, r = 0;
    double t0 = now_ms();
    if (how == 0) r = ecall4(SYS_nanosleep, (long)&ts, 0, 0, 0, &a7);
    else if (how == 1) r = ecall4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&ts, 0, &a7);
    else if (how == 2) r = ecall4(SYS_futex, (long)&futex_word, FUTEX_WAIT_PRIVATE, 0, (long)&ts, &a7);
    else {
      struct timespec abs;
      clock_gettime(CLOCK_MONOTONIC, &abs);
      abs.tv_nsec += 300 * 1000000L;
      if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
      r = ecall4(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&abs, 0, &a7);
    }
    long res[3] = { r, a7, (long)(now_ms() - t0) };
    _exit(write(fds[1], res, sizeof res) == sizeof res ? 0 : 1);
  }
  close(fds[1]);
  usleep(50000);
  CHECK(kill(c, SIGSTOP) == 0);
  usleep(100000);
  CHECK(kill(c, SIGCONT) == 0);
  long res[3] = { -1, -1, -1 };
  CHECK(read(fds[0], res, sizeof res) == sizeof res);
  close(fds[0]);
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  long want = how == 2 ? -ETIMEDOUT : 0;
  long wantA7 = how == 3 ? SYS_clock_nanosleep : SYS_restart_syscall;
  int timeOk = res[2] >= 295 && res[2] < 400;
  printf("A: %s stopped and continued: returned %ld, a7 %ld, slept %s\n", names[how], res[0], res[1],
         timeOk ? "the time left" : "too long or too short");
  if (!timeOk) printf("A: %s slept %ld ms\n", names[how], res[2]);
  CHECK(res[0] == want && res[1] == wantA7 && timeOk);
}

static void traced(void) {
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    struct timespec ts = { 0, 200 * 1000000L };
    _exit(syscall(SYS_nanosleep, &ts, 0) == 0 ? 0 : 1);
  }
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
  CHECK(ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESYSGOOD) == 0);
  char log[256] = "";
  uint64_t arg0 = 0;
  int sent = 0, regsOk = 0;
  CHECK(ptrace(PTRACE_SYSCALL, c, 0, 0) == 0);
  for (int i = 0; i < 20; i++) {
    if (waitpid(c, &st, 0) != c || WIFEXITED(st)) break;
    char tok[32];
    uint64_t r[32];
    if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
      CHECK(getregs(c, r) == 0);
      /* entry or exit: PTRACE_GET_SYSCALL_INFO tells (op 1 entry, 2 exit) */
      struct { uint8_t op; uint8_t pad[3]; uint32_t arch; uint64_t ip, sp;
               union { struct { uint64_t nr, args[6]; } e; struct { int64_t rval; uint8_t is_error; } x; }; } si;
      memset(&si, 0, sizeof si);
      ptrace(0x420e /* PTRACE_GET_SYSCALL_INFO */, c, sizeof si, &si);
      if (si.op == 1) {
        snprintf(tok, sizeof tok, "e%d ", (int)si.e.nr);
        if (si.e.nr == SYS_nanosleep && !sent) {
          arg0 = si.e.args[0];
          strcat(log, tok);
          CHECK(ptrace(PTRACE_SYSCALL, c, 0, 0) == 0);
          usleep(50000);
          CHECK(kill(c, SIGWINCH) == 0);
          sent = 1;
          continue;
        }
        if (si.e.nr == SYS_restart_syscall) regsOk = r[17] == SYS_restart_syscall && r[10] == arg0;
      } else {
        snprintf(tok, sizeof tok, "x%lld%s ", (long long)si.x.rval, si.x.is_error ? "!" : "");
      }
    } else {
      snprintf(tok, sizeof tok, "s%d ", WSTOPSIG(st));
    }
    strcat(log, tok);
    CHECK(ptrace(PTRACE_SYSCALL, c, 0, 0) == 0); /* a signal stop is resumed with no signal: suppressed */
  }
  CHECK(sent && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  printf("C: traced: %s\n", log);
  printf("C: at restart_syscall's entry a7 128 and a0 nanosleep's: %s\n", regsOk ? "yes" : "no");
  CHECK(regsOk);
}

int main(void) {
  prog_name = "restart_syscall";
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int how = 0; how < 4; how++) stopped_sleep(how);
  errno = 0;
  long r = syscall(SYS_restart_syscall);
  printf("B: restart_syscall with nothing to restart: %ld %s\n", r, r == -1 && errno == EINTR ? "EINTR" : strerror(errno));
  CHECK(r == -1 && errno == EINTR);
  traced();
  DONE();
}
