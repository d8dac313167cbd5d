/* Resource limits as Linux enforces them (test/security/rlimit.test.ts).
   Starts as root, then becomes uid 1000:
   - RLIMIT_NOFILE above fs.nr_open is EPERM even for root; soft > hard is
     EINVAL; raising a hard limit needs root (EPERM), lowering it is for good;
   - the descriptor limit is real: EMFILE at the soft limit, dup2/F_DUPFD
     past it fail;
   - prlimit64 on another process needs matching ids (or root): EPERM
     otherwise, for reading as well as writing; ESRCH for no such process;
   - RLIMIT_NPROC stops a user's fork with EAGAIN. */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static long nr_open(void) {
  long v = 0;
  FILE *f = fopen("/proc/sys/fs/nr_open", "r");
  CHECK(f && fscanf(f, "%ld", &v) == 1);
  if (f) fclose(f);
  return v;
}

/* A child that waits until `gate` is closed; uid changed to `uid` if not -1. */
static pid_t parked(int gate[2], int uid) {
  pid_t p = fork();
  if (p == 0) {
    close(gate[1]);
    if (uid >= 0 && setresuid(uid, uid, uid) != 0) _exit(3);
    char c;
    while (read(gate[0], &c, 1) > 0) {}
    _exit(0);
  }
  return p;
}

static int prl(pid_t pid, int res, const struct rlimit *n, struct rlimit *o) {
  return prlimit(pid, res, n, o);
}

int main(int argc, char **argv) {
  prog_name = "sec_rlimit";
  /* Root without CAP_SYS_RESOURCE (a container) may not raise hard limits. */
  int cap = !(argc > 1 && strcmp(argv[1], "nocap") == 0);
  struct rlimit r, o;
  long nro = nr_open();

  /* Root: nr_open bounds RLIMIT_NOFILE; soft > hard is EINVAL. */
  r.rlim_cur = r.rlim_max = 1UL << 30;
  ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);
  ERR(prl(0, RLIMIT_NOFILE, &r, NULL), EPERM);
  r.rlim_cur = 200; r.rlim_max = 100;
  ERR(setrlimit(RLIMIT_NOFILE, &r), EINVAL);
  r.rlim_cur = r.rlim_max = nro + 1;
  ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);
  if (cap) {
    /* Root may raise the hard limit up to nr_open. */
    r.rlim_cur = 1024; r.rlim_max = nro;
    OK(setrlimit(RLIMIT_NOFILE, &r));
    OK(getrlimit(RLIMIT_NOFILE, &o));
    CHECK(o.rlim_cur == 1024 && (long)o.rlim_max == nro);
  }
  r.rlim_cur = 1024; r.rlim_max = 4096;
  OK(setrlimit(RLIMIT_NOFILE, &r));
  ERR(prl(0, 16, NULL, &o), EINVAL);
  ERR(getrlimit(16, &o), EINVAL);

  /* A process of another user, made while still root. */
  int g1[2];
  OK(pipe(g1));
  pid_t other = parked(g1, 1001);
  close(g1[0]);
  if (cap) OK(prl(other, RLIMIT_NOFILE, NULL, &o)); /* root (CAP_SYS_RESOURCE) may look */

  /* Become an ordinary user. */
  OK(setresgid(1000, 1000, 1000));
  OK(setresuid(1000, 1000, 1000));

  /* Raising the hard limit: EPERM; lowering: for good. */
  OK(getrlimit(RLIMIT_NOFILE, &o));
  r.rlim_cur = o.rlim_max; r.rlim_max = o.rlim_max + 1;
  ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);
  r.rlim_cur = 64; r.rlim_max = 128;
  OK(setrlimit(RLIMIT_NOFILE, &r));
  r.rlim_max = 129;
  ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);
  r.rlim_cur = 128; r.rlim_max = 128;
  OK(setrlimit(RLIMIT_NOFILE, &r));
  r.rlim_cur = 64;
  OK(setrlimit(RLIMIT_NOFILE, &r));

  /* The soft limit is enforced. */
  int last = -1, fd;
  while ((fd = dup(0)) >= 0) last = fd;
  CHECK(errno == EMFILE);
  CHECK(last == 63);
  ERR(dup2(0, 64), EBADF);
  ERR(fcntl(0, F_DUPFD, 64), EINVAL);
  for (int i = 3; i <= last; i++) if (i != g1[1]) close(i);

  /* Someone else's limits: EPERM to read or to write; no such process: ESRCH. */
  ERR(prl(other, RLIMIT_NOFILE, NULL, &o), EPERM);
  r.rlim_cur = r.rlim_max = 16;
  ERR(prl(other, RLIMIT_NOFILE, &r, NULL), EPERM);
  ERR(prl(1, RLIMIT_NOFILE, NULL, &o), EPERM);
  ERR(prl(99999999, RLIMIT_NOFILE, NULL, &o), ESRCH);

  /* Our own child (same ids): allowed, and it takes effect there. */
  int g2[2];
  OK(pipe(g2));
  pid_t mine = parked(g2, -1);
  close(g2[0]);
  r.rlim_cur = 10; r.rlim_max = 20;
  OK(prl(mine, RLIMIT_NOFILE, &r, &o));
  CHECK(o.rlim_cur == 64 && o.rlim_max == 128);
  OK(prl(mine, RLIMIT_NOFILE, NULL, &o));
  CHECK(o.rlim_cur == 10 && o.rlim_max == 20);
  r.rlim_cur = 10; r.rlim_max = 21;
  ERR(prl(mine, RLIMIT_NOFILE, &r, NULL), EPERM);

  close(g1[1]);
  close(g2[1]);
  int st;
  CHECK(waitpid(other, &st, 0) == other);
  CHECK(waitpid(mine, &st, 0) == mine && WIFEXITED(st) && WEXITSTATUS(st) == 0);

  /* RLIMIT_NPROC: at a soft limit of 1 (this process alone fills it) fork
     fails; back at the old soft limit it works again. */
  struct rlimit np;
  OK(getrlimit(RLIMIT_NPROC, &np));
  r.rlim_cur = 1; r.rlim_max = np.rlim_max;
  OK(setrlimit(RLIMIT_NPROC, &r));
  ERR(fork(), EAGAIN);
  OK(setrlimit(RLIMIT_NPROC, &np));
  pid_t b = fork();
  if (b == 0) _exit(7);
  CHECK(b > 0);
  CHECK(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 7);
  DONE();
}
