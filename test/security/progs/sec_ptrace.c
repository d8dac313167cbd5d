/* ptrace and ptys cannot hurt the kernel or other users:
   - a tracer that writes garbage registers (SETREGSET with a wild pc, an
     odd sp) only crashes its tracee (SIGSEGV), the kernel goes on;
   - GETREGSET/SETREGSET/GETSIGINFO/GET_SYSCALL_INFO/PEEKDATA to bad
     addresses are EFAULT/EIO; unknown register sets and requests are
     EINVAL/EIO; POKEUSR (no user area on riscv) is EIO;
   - an unprivileged process cannot attach to root's, nor read its memory with
     process_vm_readv (EPERM), nor TIOCSTI into a pty that is not its
     controlling terminal (EPERM);
   - a pty whose reader never reads makes its writer wait (EAGAIN with
     O_NONBLOCK) rather than grow without bound. */
#include "../../kernel/fs/progs/t.h"
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int spin;

int main(void) {
  prog_name = "sec_ptrace";
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t c = fork();
  if (c == 0) { ptrace(PTRACE_TRACEME, 0, 0, 0); raise(SIGSTOP); for (;;) spin++; }
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
  uint64_t r[32];
  struct iovec io = { r, sizeof r };
  OK(ptrace(PTRACE_GETREGSET, c, (void *)NT_PRSTATUS, &io));
  struct iovec bad = { (void *)8, sizeof r };
  ERR(ptrace(PTRACE_GETREGSET, c, (void *)NT_PRSTATUS, &bad), EFAULT);
  ERR(ptrace(PTRACE_SETREGSET, c, (void *)NT_PRSTATUS, &bad), EFAULT);
  ERR(ptrace(PTRACE_GETREGSET, c, (void *)NT_PRSTATUS, (void *)16), EFAULT);
  ERR(ptrace(PTRACE_GETREGSET, c, (void *)0x9999, &io), EINVAL);
  ERR(ptrace(PTRACE_GETSIGINFO, c, 0, (void *)8), EFAULT);
  ERR(ptrace(0x420e, c, (void *)80, (void *)8), EFAULT);
  long w;
  ERR(ptrace(PTRACE_PEEKDATA, c, (void *)8, &w), EIO);
  ERR(ptrace(PTRACE_POKEDATA, c, (void *)8, (void *)1), EIO);
  ERR(ptrace(PTRACE_PEEKUSER, c, 0, &w), EIO);
  ERR(ptrace(PTRACE_POKEUSER, c, 0, 0), EIO);
  ERR(ptrace(0x7777, c, 0, 0), EIO);
  ERR(ptrace(PTRACE_CONT, c, 0, 999), EIO);
  /* A length that is not a whole number of 8-byte slots is EINVAL (Linux
     ptrace_regset; gdb probes the FP register width so). A short set of
     whole slots only replaces what it covers: here pc, with its own value. */
  uint64_t one = r[0];
  struct iovec shortio = { &one, 4 };
  ERR(ptrace(PTRACE_SETREGSET, c, (void *)NT_PRSTATUS, &shortio), EINVAL);
  shortio.iov_len = 8;
  OK(ptrace(PTRACE_SETREGSET, c, (void *)NT_PRSTATUS, &shortio));
  CHECK(shortio.iov_len == 8);
  /* A wild pc and sp: the tracee dies of SIGSEGV, nothing else happens. */
  r[0] = 0xdead0000beefULL;
  r[2] = 0x1;
  io.iov_len = sizeof r;
  OK(ptrace(PTRACE_SETREGSET, c, (void *)NT_PRSTATUS, &io));
  OK(ptrace(PTRACE_CONT, c, 0, 0));
  CHECK(waitpid(c, &st, 0) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSEGV); /* signal-delivery-stop */
  OK(ptrace(PTRACE_CONT, c, 0, SIGSEGV));
  CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);

  /* Another user cannot reach root's process. */
  pid_t victim = fork();
  if (victim == 0) { for (;;) pause(); }
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  CHECK(m >= 0);
  unlockpt(m);
  int s = open(ptsname(m), O_RDWR | O_NOCTTY);
  CHECK(s >= 0);
  pid_t u = fork();
  if (u == 0) {
    if (setgid(1000) || setuid(1000)) _exit(20);
    if (ptrace(PTRACE_ATTACH, victim, 0, 0) == 0 || errno != EPERM) _exit(21);
    char buf[8];
    struct iovec l = { buf, 8 }, rr = { (void *)0x10000, 8 };
    if (process_vm_readv(victim, &l, 1, &rr, 1, 0) >= 0 || errno != EPERM) _exit(22);
    char ch = 'x';
    if (ioctl(s, TIOCSTI, &ch) == 0 || errno != EPERM) _exit(23);
    _exit(0);
  }
  CHECK(waitpid(u, &st, 0) == u && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st)) printf("unprivileged child: status %#x\n", st);
  kill(victim, SIGKILL);
  waitpid(victim, &st, 0);
  /* A writer whose reader never reads: EAGAIN, bounded. */
  fcntl(m, F_SETFL, O_NONBLOCK);
  static char big[4096];
  memset(big, 'a', sizeof big);
  long total = 0;
  int rr2 = 0;
  for (int i = 0; i < 1000 && (rr2 = write(m, big, sizeof big)) > 0; i++) total += rr2;
  CHECK(rr2 < 0 && errno == EAGAIN);
  if (!(rr2 < 0)) printf("rr2=%d total=%ld\n", rr2, total);
  CHECK(total < 1 << 20);
  close(s);
  close(m);
  DONE();
}
