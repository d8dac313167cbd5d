/* The general registers of a stopped tracee (pc in r[0], then x1..x31), as
 * PTRACE_GETREGSET / PTRACE_SETREGSET with NT_PRSTATUS move them: the ptrace
 * test programs share these. */
#include <elf.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

static inline int getregs(pid_t p, uint64_t r[32]) {
  struct iovec io = { r, 32 * 8 };
  return (int)ptrace(PTRACE_GETREGSET, p, (void *)NT_PRSTATUS, &io) == 0 && io.iov_len == 32 * 8 ? 0 : -1;
}

static inline int setregs(pid_t p, uint64_t r[32]) {
  struct iovec io = { r, 32 * 8 };
  return (int)ptrace(PTRACE_SETREGSET, p, (void *)NT_PRSTATUS, &io);
}
