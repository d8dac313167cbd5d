/* A debugger's breakpoint, by hand, checked against Linux's ptrace(2) rules
   (qemu-user has no ptrace; each expectation says which rule it is):
   - PTRACE_POKETEXT writes with FOLL_FORCE: an ebreak goes into the tracee's
     read-only (r-x) text. The write lands in a private copy of the page: the
     tracer (same binary) and a new process exec'ing the same file still run
     the old instruction.
   - Running into the ebreak gives SIGTRAP (si_code TRAP_BRKPT) with pc at the
     ebreak (riscv does not step over it); the tracer puts the instruction
     back, and the tracee goes on from the same pc and computes the right
     value.
   - A private read-only file mapping takes a forced write (its own copy: a
     shared mapping of the same file page keeps the file's bytes); a shared
     read-only mapping refuses it: POKEDATA fails with EIO (Linux:
     !is_cow_mapping -> EFAULT -> EIO).
   - /proc/PID/mem reads and writes the same way (pread/pwrite at the
     address; EIO where nothing is mapped).
   - PTRACE_SINGLESTEP is EIO on riscv (no hardware single-step; gdb steps by
     breakpoints).
   The victim calls target() many times first, so that under the JIT the
   function is already translated when the breakpoint goes in. */
#include "../../fs/progs/t.h"
#include "ptrace_regs.h"
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define EBREAK 0x00100073u

__attribute__((noinline)) int target(int x) {
  __asm__ volatile("" ::: "memory");
  return x * 3 + 1;
}

/* Set by the victim, read by the tracer with PEEKDATA (same static binary: same addresses). */
volatile uint64_t priv_map, shared_map;

static int victim(void) {
  volatile int sum = 0;
  for (int i = 0; i < 20000; i++) sum += target(i & 7);
  int fd = open("/bin/breakpoint", O_RDONLY);
  if (fd < 0) return 20;
  unsigned char *p = mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
  unsigned char *s = mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED || s == MAP_FAILED) return 21;
  if (memcmp(p, s, 8) != 0) return 22;
  priv_map = (uint64_t)p;
  shared_map = (uint64_t)s;
  raise(SIGSTOP); /* the tracer plants the breakpoint and pokes the mappings */
  int v = target(41);
  printf("victim: target(41)=%d\n", v);
  /* The tracer's forced write reached the private mapping only. */
  uint64_t pv, sv;
  memcpy(&pv, p, 8);
  memcpy(&sv, s, 8);
  printf("victim: private %s, shared %s\n", pv == 0x1122334455667788ull ? "poked" : "unchanged",
         memcmp(s, "\177ELF", 4) == 0 ? "ELF" : "changed");
  fflush(stdout);
  return v == 124 ? 0 : 30;
}

static int plain(void) {
  int v = target(41);
  printf("plain: target(41)=%d\n", v);
  fflush(stdout);
  return v == 124 ? 0 : 31;
}

int main(int argc, char **argv) {
  prog_name = "breakpoint";
  if (argc > 1 && strcmp(argv[1], "victim") == 0) return victim();
  if (argc > 1 && strcmp(argv[1], "plain") == 0) return plain();
  setvbuf(stdout, 0, _IONBF, 0);

  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    execl("/bin/breakpoint", "breakpoint", "victim", (char *)0);
    _exit(99);
  }
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP); /* after execve */
  CHECK(ptrace(PTRACE_CONT, c, 0, 0) == 0);
  CHECK(waitpid(c, &st, 0) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP); /* raise(SIGSTOP) */

  uintptr_t at = (uintptr_t)&target;
  errno = 0;
  long orig = ptrace(PTRACE_PEEKTEXT, c, (void *)at, 0);
  CHECK(errno == 0);
  long mine;
  memcpy(&mine, (void *)at, 8);
  CHECK(orig == mine); /* the same binary: the same bytes at the same address */
  long bp = (long)(((uint64_t)orig & ~0xffffffffull) | EBREAK);
  CHECK(ptrace(PTRACE_POKETEXT, c, (void *)at, (void *)bp) == 0);
  errno = 0;
  CHECK(ptrace(PTRACE_PEEKTEXT, c, (void *)at, 0) == bp && errno == 0);
  memcpy(&mine, (void *)at, 8);
  CHECK(mine == orig); /* the tracer's own text (the same file) is untouched */

  /* The mappings of the file: forced write into the private one, EIO into the shared one. */
  errno = 0;
  uint64_t pm = (uint64_t)ptrace(PTRACE_PEEKDATA, c, (void *)&priv_map, 0);
  uint64_t sm = (uint64_t)ptrace(PTRACE_PEEKDATA, c, (void *)&shared_map, 0);
  CHECK(errno == 0 && pm != 0 && sm != 0);
  CHECK(ptrace(PTRACE_POKEDATA, c, (void *)pm, (void *)0x1122334455667788ull) == 0);
  ERR(ptrace(PTRACE_POKEDATA, c, (void *)sm, (void *)0x1122334455667788ull), EIO);
  errno = 0;
  CHECK((uint64_t)ptrace(PTRACE_PEEKDATA, c, (void *)sm, 0) != 0x1122334455667788ull && errno == 0);
  ERR(ptrace(PTRACE_SINGLESTEP, c, 0, 0), EIO);

  /* Run into the breakpoint (the SIGSTOP is dropped). */
  CHECK(ptrace(PTRACE_CONT, c, 0, 0) == 0);
  CHECK(waitpid(c, &st, 0) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  CHECK(ptrace(PTRACE_GETSIGINFO, c, 0, &si) == 0 && si.si_signo == SIGTRAP && si.si_code == TRAP_BRKPT);
  uint64_t r[32];
  CHECK(getregs(c, r) == 0);
  CHECK(r[0] == at); /* pc at the ebreak */
  if (r[0] == at) printf("breakpoint: hit at target\n");

  /* While the breakpoint is in: a new process running the same file is unaffected. */
  pid_t q = fork();
  if (q == 0) {
    execl("/bin/breakpoint", "breakpoint", "plain", (char *)0);
    _exit(98);
  }
  CHECK(waitpid(q, &st, 0) == q && WIFEXITED(st) && WEXITSTATUS(st) == 0);

  /* /proc/PID/mem: the same memory at its addresses (how gdb reads and
     writes it): the breakpoint reads back, an unmapped address is EIO, and
     the instruction goes back with a forced pwrite into the r-x text. */
  char mp[64];
  snprintf(mp, sizeof mp, "/proc/%d/mem", c);
  int mfd = open(mp, O_RDWR);
  CHECK(mfd >= 0);
  long got = 0;
  CHECK(pread(mfd, &got, 8, (off_t)at) == 8 && got == bp);
  ERR(pread(mfd, &got, 8, 8), EIO);
  CHECK(pwrite(mfd, &orig, 8, (off_t)at) == 8);
  close(mfd);
  errno = 0;
  CHECK(ptrace(PTRACE_PEEKTEXT, c, (void *)at, 0) == orig && errno == 0);
  /* Go on from the same pc, the instruction back in place. */
  CHECK(ptrace(PTRACE_CONT, c, 0, 0) == 0);
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  if (!WIFEXITED(st)) printf("victim status 0x%x\n", st);
  DONE();
}
