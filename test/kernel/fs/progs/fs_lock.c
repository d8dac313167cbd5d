/* File locks: fcntl record locks between processes (conflicts, F_GETLK
   reporting the holder, shared read locks, splitting a range, release on
   closing ANY descriptor of the file, F_SETLKW waiting, EDEADLK when two
   processes would wait for each other), OFD locks (per open file), and
   flock (whole file, shared/exclusive, LOCK_NB, inherited across fork). */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

static int setlk(int fd, int cmd, int type, off_t start, off_t len) {
  struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
  return fcntl(fd, cmd, &fl);
}

/* The lock that would block `type` at [start, start+len): its type (F_UNLCK if none) and pid. */
static int getlk(int fd, int type, off_t start, off_t len, pid_t *pid, off_t *ostart, off_t *olen) {
  struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
  if (fcntl(fd, F_GETLK, &fl) < 0) return -1;
  if (pid) *pid = fl.l_pid;
  if (ostart) *ostart = fl.l_start;
  if (olen) *olen = fl.l_len;
  return fl.l_type;
}

static int child_status(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

int main(void) {
  prog_name = "fs_lock";
  const char *base = getenv("TESTDIR") ? getenv("TESTDIR") : "/tmp";
  char path[256];
  snprintf(path, sizeof path, "%s/lockfile", base);
  unlink(path);
  int fd = open(path, O_RDWR | O_CREAT, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "0123456789", 10) == 10);
  pid_t me = getpid();

  /* a write lock on [0,100) */
  CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 100) == 0);
  /* our own locks never conflict with us */
  CHECK(getlk(fd, F_WRLCK, 0, 10, NULL, NULL, NULL) == F_UNLCK);
  pid_t pid = fork();
  if (pid == 0) {
    int f = open(path, O_RDWR);
    pid_t who = 0; off_t s = -1, l = -1;
    if (setlk(f, F_SETLK, F_WRLCK, 50, 10) != -1 || (errno != EAGAIN && errno != EACCES)) _exit(1);
    if (setlk(f, F_SETLK, F_RDLCK, 99, 1) != -1) _exit(2);
    if (getlk(f, F_RDLCK, 10, 5, &who, &s, &l) != F_WRLCK || who != me || s != 0 || l != 100) _exit(3);
    if (setlk(f, F_SETLK, F_WRLCK, 100, 10) != 0) _exit(4);  /* just past the end of the parent's range */
    _exit(0);
  }
  CHECK(child_status(pid) == 0);

  /* unlock the middle: the range splits */
  CHECK(setlk(fd, F_SETLK, F_UNLCK, 40, 20) == 0);
  pid = fork();
  if (pid == 0) {
    int f = open(path, O_RDWR);
    if (getlk(f, F_WRLCK, 45, 10, NULL, NULL, NULL) != F_UNLCK) _exit(1);
    off_t s, l;
    if (getlk(f, F_WRLCK, 30, 20, NULL, &s, &l) != F_WRLCK || s != 0 || l != 40) _exit(2);
    if (getlk(f, F_WRLCK, 70, 1, NULL, &s, &l) != F_WRLCK || s != 60 || l != 40) _exit(3);
    _exit(0);
  }
  CHECK(child_status(pid) == 0);

  /* closing any descriptor of the file drops this process's locks */
  int other = open(path, O_RDONLY);
  close(other);
  pid = fork();
  if (pid == 0) {
    int f = open(path, O_RDWR);
    _exit(getlk(f, F_WRLCK, 0, 0, NULL, NULL, NULL) == F_UNLCK ? 0 : 1);
  }
  CHECK(child_status(pid) == 0);

  /* read locks are shared; a write lock needs a writable descriptor */
  CHECK(setlk(fd, F_SETLK, F_RDLCK, 0, 0) == 0);
  pid = fork();
  if (pid == 0) {
    int f = open(path, O_RDONLY);
    if (setlk(f, F_SETLK, F_RDLCK, 0, 5) != 0) _exit(1);
    if (setlk(f, F_SETLK, F_WRLCK, 0, 5) != -1 || errno != EBADF) _exit(2);
    _exit(0);
  }
  CHECK(child_status(pid) == 0);
  ERR(setlk(fd, F_SETLK, 7, 0, 0), EINVAL);
  ERR(setlk(fd, F_SETLK, F_RDLCK, -5, 2), EINVAL);
  ERR(getlk(fd, F_UNLCK, 0, 0, NULL, NULL, NULL), EINVAL);
  CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);

  /* F_SETLKW waits until the holder lets go */
  int sync[2];
  CHECK(pipe(sync) == 0);
  CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 1) == 0);
  pid = fork();
  if (pid == 0) {
    close(sync[0]);
    int f = open(path, O_RDWR);
    if (write(sync[1], "w", 1) != 1) _exit(5);
    if (setlk(f, F_SETLKW, F_WRLCK, 0, 1) != 0) _exit(1);   /* blocks */
    if (write(sync[1], "g", 1) != 1) _exit(6);
    _exit(0);
  }
  close(sync[1]);
  char c;
  CHECK(read(sync[0], &c, 1) == 1 && c == 'w');
  usleep(50000);
  CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 1) == 0);
  CHECK(read(sync[0], &c, 1) == 1 && c == 'g');
  CHECK(child_status(pid) == 0);
  close(sync[0]);

  /* deadlock: we hold byte 0, the child holds byte 1 and waits for byte 0;
     our wait for byte 1 would close the cycle */
  CHECK(pipe(sync) == 0);
  CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 1) == 0);
  pid = fork();
  if (pid == 0) {
    close(sync[0]);
    int f = open(path, O_RDWR);
    if (setlk(f, F_SETLK, F_WRLCK, 1, 1) != 0) _exit(1);
    if (write(sync[1], "h", 1) != 1) _exit(5);
    if (setlk(f, F_SETLKW, F_WRLCK, 0, 1) != 0) _exit(2);   /* waits for the parent */
    _exit(0);
  }
  close(sync[1]);
  CHECK(read(sync[0], &c, 1) == 1);
  usleep(50000); /* let the child block */
  ERR(setlk(fd, F_SETLKW, F_WRLCK, 1, 1), EDEADLK);
  CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 1) == 0);   /* the child gets its lock and exits */
  CHECK(child_status(pid) == 0);
  close(sync[0]);

  /* OFD locks belong to the open file, so two opens in one process conflict */
  int a = open(path, O_RDWR), b = open(path, O_RDWR);
  CHECK(setlk(a, F_OFD_SETLK, F_WRLCK, 0, 10) == 0);
  ERR(setlk(b, F_OFD_SETLK, F_WRLCK, 5, 1), EAGAIN);
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
  CHECK(fcntl(b, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_pid == -1);
  close(a);
  CHECK(setlk(b, F_OFD_SETLK, F_WRLCK, 5, 1) == 0);
  close(b);

  /* flock */
  a = open(path, O_RDONLY);
  b = open(path, O_RDONLY);
  CHECK(flock(a, LOCK_EX) == 0);
  ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
  CHECK(flock(a, LOCK_SH) == 0);
  CHECK(flock(b, LOCK_SH | LOCK_NB) == 0);
  ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
  CHECK(flock(b, LOCK_UN) == 0);
  CHECK(flock(a, LOCK_EX | LOCK_NB) == 0);
  ERR(flock(a, 0), EINVAL);
  /* /proc/locks lists them as Linux does */
  CHECK(setlk(fd, F_SETLK, F_WRLCK, 5, 10) == 0);
  int pl = open("/proc/locks", O_RDONLY);
  if (pl >= 0) {
    char text[4096], want[128];
    memset(text, 0, sizeof text);
    CHECK(read(pl, text, sizeof text - 1) > 0);
    snprintf(want, sizeof want, "POSIX  ADVISORY  WRITE %d ", (int)me);
    CHECK(strstr(text, want) != NULL && strstr(text, " 5 14\n") != NULL);
    snprintf(want, sizeof want, "FLOCK  ADVISORY  WRITE %d ", (int)me);
    CHECK(strstr(text, want) != NULL);
    close(pl);
  }
  CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
  /* the child shares the open file, hence the lock; another open waits */
  CHECK(pipe(sync) == 0);
  pid = fork();
  if (pid == 0) {
    close(sync[0]);
    if (flock(a, LOCK_EX | LOCK_NB) != 0) _exit(1);       /* same open file: already ours */
    int f = open(path, O_RDONLY);
    if (flock(f, LOCK_EX | LOCK_NB) != -1 || errno != EWOULDBLOCK) _exit(2);
    if (write(sync[1], "x", 1) != 1) _exit(5);
    if (flock(f, LOCK_EX) != 0) _exit(3);                  /* waits for the parent's LOCK_UN */
    _exit(0);
  }
  close(sync[1]);
  CHECK(read(sync[0], &c, 1) == 1);
  usleep(30000);
  CHECK(flock(a, LOCK_UN) == 0);
  CHECK(child_status(pid) == 0);
  close(a); close(b); close(sync[0]);
  close(fd);
  unlink(path);
  DONE();
}
