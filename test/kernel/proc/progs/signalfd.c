/* signalfd4, checked against Linux (the same binary runs under qemu-riscv64,
   which passes signalfd to the host kernel): blocked signals are read as
   128-byte signalfd_siginfo records instead of being delivered; poll says
   readable while one is pending; a blocked reader wakes when one is sent;
   short reads are EINVAL, empty O_NONBLOCK reads EAGAIN; a second signalfd4
   on the fd changes its mask; a non-signalfd fd is EINVAL, a bad fd EBADF;
   bad flags and sizes are EINVAL (qemu-user does not check the
   size: argv[1] == "qemu" skips that one). */
#include "../../fs/progs/t.h"
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int readable(int fd) {
  struct pollfd p = { fd, POLLIN, 0 };
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int main(int argc, char **argv) {
  int under_qemu = argc > 1 && strcmp(argv[1], "qemu") == 0;
  prog_name = "signalfd";
  setvbuf(stdout, NULL, _IONBF, 0);
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGCHLD);
  sigprocmask(SIG_BLOCK, &m, NULL);
  int fd = signalfd(-1, &m, SFD_CLOEXEC | SFD_NONBLOCK);
  CHECK(fd >= 0);
  CHECK(!readable(fd));
  struct signalfd_siginfo si[2];
  ERR(read(fd, si, sizeof si), EAGAIN);
  kill(getpid(), SIGUSR1);
  CHECK(readable(fd));
  ERR(read(fd, si, 64), EINVAL);
  memset(si, 0xaa, sizeof si);
  CHECK(read(fd, si, sizeof si) == sizeof si[0]);
  CHECK(si[0].ssi_signo == SIGUSR1 && si[0].ssi_code == SI_USER && si[0].ssi_pid == (unsigned)getpid() && si[0].ssi_uid == getuid());
  CHECK(si[0].ssi_errno == 0 && si[0].ssi_fd == 0);
  CHECK(!readable(fd));
  /* sigqueue's value arrives in ssi_int / ssi_ptr. */
  union sigval v = { .sival_int = 4242 };
  sigqueue(getpid(), SIGUSR1, v);
  CHECK(read(fd, si, sizeof si) == sizeof si[0]);
  CHECK(si[0].ssi_signo == SIGUSR1 && si[0].ssi_code == SI_QUEUE && si[0].ssi_int == 4242);
  /* A blocked reader wakes for a child's SIGCHLD. */
  int fd2 = signalfd(-1, &m, 0);
  CHECK(fd2 >= 0);
  pid_t c = fork();
  if (c == 0) { usleep(20000); _exit(7); }
  CHECK(read(fd2, si, sizeof si) == sizeof si[0]);
  CHECK(si[0].ssi_signo == SIGCHLD && si[0].ssi_code == CLD_EXITED && si[0].ssi_pid == (unsigned)c && si[0].ssi_status == 7);
  waitpid(c, NULL, 0);
  /* Changing the mask: SIGUSR1 no longer reads. */
  sigset_t m2;
  sigemptyset(&m2);
  sigaddset(&m2, SIGUSR2);
  CHECK(signalfd(fd, &m2, 0) == fd);
  kill(getpid(), SIGUSR1);
  CHECK(!readable(fd));
  ERR(read(fd, si, sizeof si), EAGAIN);
  sigset_t pend;
  sigpending(&pend);
  CHECK(sigismember(&pend, SIGUSR1));
  /* Errors. */
  ERR(signalfd(0, &m, 0), EINVAL);
  ERR(signalfd(999, &m, 0), EBADF);
  ERR(signalfd(-1, &m, 0x1), EINVAL);
  /* Linux wants sizeof(sigset_t) == 8; qemu-user passes its own size to the host, so only here. */
  if (!under_qemu) ERR(syscall(SYS_signalfd4, -1, &m, 4, 0), EINVAL);
  DONE();
}
