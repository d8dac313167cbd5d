/* Unix98 ptys (/dev/ptmx, /dev/pts/N), checked against Linux's behaviour:
   the same program runs under tsix and under qemu-riscv64 (which passes
   the pty syscalls to the host's Linux kernel). The steps are glibc's
   openpty (posix_openpt, grantpt, unlockpt, ptsname, TIOCGPTPEER) and each
   pty ioctl: TIOCGPTN, TIOCSPTLCK/TIOCGPTLCK (a locked slave opens with
   EIO), TIOCPKT/TIOCGPKT packet mode, TIOCGWINSZ/TIOCSWINSZ from either end
   (SIGWINCH to the slave's foreground group), termios of the slave seen
   through the master, the line discipline (echo, ONLCR, raw mode), ^C from
   the master as SIGINT to the slave's foreground group, TIOCSCTTY, hangup
   when the master closes (SIGHUP to the session leader, read 0, write EIO),
   EIO on the master once the slave side is closed, poll and O_NONBLOCK.
   argv[1] == "qemu": the host's devpts is mounted mode=600 without gid=5,
   tsix's as Debian's (gid=5,mode=620), so the node's mode and group differ. */
#include "../../fs/progs/t.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int under_qemu;

static int pollev(int fd, short ev) {
  struct pollfd p = { fd, ev, 0 };
  int r = poll(&p, 1, 0);
  return r < 0 ? -1 : p.revents;
}

/* Read what is there within a short while (the peer's output is immediate on both systems). */
static int rd(int fd, char *buf, int n) {
  struct pollfd p = { fd, POLLIN, 0 };
  if (poll(&p, 1, 2000) <= 0) return -2;
  return (int)read(fd, buf, n);
}

/* Wait until fd is readable (Linux moves pty data to the reader in a work item). */
static int rd_ready(int fd) {
  struct pollfd p = { fd, POLLIN, 0 };
  return poll(&p, 1, 2000) == 1;
}

static int open_master(void) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  return m;
}

static void test_alloc(void) {
  int m = open_master();
  CHECK(m >= 0);
  CHECK(isatty(m));
  unsigned n = 9999;
  OK(ioctl(m, TIOCGPTN, &n));
  CHECK(n < 9999);
  char want[64];
  snprintf(want, sizeof want, "/dev/pts/%u", n);
  const char *name = ptsname(m);
  CHECK(name && strcmp(name, want) == 0);
  int lck = -1;
  /* qemu-user does not know TIOCGPTLCK/TIOCGPKT (it answers ENOSYS itself). */
  if (!under_qemu) { OK(ioctl(m, TIOCGPTLCK, &lck)); CHECK(lck == 1); } /* locked when allocated */
  ERR(open(want, O_RDWR | O_NOCTTY), EIO);
  OK(grantpt(m));
  OK(unlockpt(m));
  if (!under_qemu) { OK(ioctl(m, TIOCGPTLCK, &lck)); CHECK(lck == 0); }
  struct stat st;
  OK(stat(want, &st));
  CHECK(S_ISCHR(st.st_mode));
  CHECK(major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143);
  CHECK(minor(st.st_rdev) == n % 256 && major(st.st_rdev) == 136 + n / 256);
  CHECK(st.st_uid == geteuid());
  if (under_qemu) CHECK((st.st_mode & 07777) == 0600);
  else { CHECK((st.st_mode & 07777) == 0620); CHECK(st.st_gid == 5); }
  /* Writing to the master before any slave is open. */
  int s = open(want, O_RDWR | O_NOCTTY);
  CHECK(s >= 0);
  CHECK(isatty(s));
  CHECK(ttyname(s) && strcmp(ttyname(s), want) == 0);
  /* Relocking: a new open fails again, the open slave still works. */
  int one = 1;
  OK(ioctl(m, TIOCSPTLCK, &one));
  ERR(open(want, O_RDWR | O_NOCTTY), EIO);
  int zero = 0;
  OK(ioctl(m, TIOCSPTLCK, &zero));
  /* The master-only ioctls on the slave. */
  ERR(ioctl(s, TIOCGPTN, &n), ENOTTY);
  ERR(ioctl(s, TIOCSPTLCK, &zero), ENOTTY);
  ERR(ioctl(s, TIOCGPTPEER, O_RDWR), EIO);
  /* TIOCGPTPEER: the slave without a path name. */
  int s2 = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  CHECK(s2 >= 0);
  CHECK(s2 >= 0 && (fcntl(s2, F_GETFD) & FD_CLOEXEC));
  CHECK(s2 >= 0 && ttyname(s2) && strcmp(ttyname(s2), want) == 0);
  close(s2);
  close(s);
  close(m);
  /* The pair is gone once both ends are closed. */
  ERR(stat(want, &st), ENOENT);
}

static void test_data(void) {
  int m = open_master();
  CHECK(m >= 0);
  OK(unlockpt(m));
  int s = open(ptsname(m), O_RDWR | O_NOCTTY);
  CHECK(s >= 0);
  char buf[256];
  int r;
  /* Nothing to read yet: the master polls writable only. */
  CHECK(pollev(m, POLLIN | POLLOUT) == POLLOUT);
  CHECK(pollev(s, POLLIN | POLLOUT) == POLLOUT);
  /* Canonical input: the slave sees nothing until the newline; the master reads the echo. */
  CHECK(write(m, "hel", 3) == 3);
  CHECK(pollev(s, POLLIN) == 0);
  r = rd(m, buf, sizeof buf);
  CHECK(r == 3 && memcmp(buf, "hel", 3) == 0);
  CHECK(write(m, "lo\n", 3) == 3);
  CHECK(pollev(s, POLLIN) == POLLIN);
  r = read(s, buf, sizeof buf);
  CHECK(r == 6 && memcmp(buf, "hello\n", 6) == 0);
  r = rd(m, buf, sizeof buf);
  CHECK(r == 4 && memcmp(buf, "lo\r\n", 4) == 0);
  /* Output from the slave: ONLCR turns \n into \r\n. */
  CHECK(write(s, "abc\n", 4) == 4);
  CHECK(pollev(m, POLLIN) == POLLIN);
  r = read(m, buf, sizeof buf);
  CHECK(r == 5 && memcmp(buf, "abc\r\n", 5) == 0);
  /* Erase in canonical mode: "ab<DEL>c\n" reads as "ac\n". */
  CHECK(write(m, "ab\x7f" "c\n", 5) == 5);
  r = read(s, buf, sizeof buf);
  CHECK(r == 3 && memcmp(buf, "ac\n", 3) == 0);
  rd(m, buf, sizeof buf); /* the echo */
  /* The master's termios calls act on the slave. */
  struct termios tm;
  OK(tcgetattr(s, &tm));
  cfmakeraw(&tm);
  OK(tcsetattr(s, TCSANOW, &tm));
  struct termios tm2;
  OK(tcgetattr(m, &tm2));
  CHECK(!(tm2.c_lflag & (ICANON | ECHO)) && !(tm2.c_oflag & OPOST));
  /* Raw: bytes pass at once, no echo, no ONLCR. */
  CHECK(write(m, "xy\n", 3) == 3);
  r = rd(s, buf, sizeof buf);
  CHECK(r == 3 && memcmp(buf, "xy\n", 3) == 0);
  CHECK(pollev(m, POLLIN) == 0);
  CHECK(write(s, "q\n", 2) == 2);
  r = rd(m, buf, sizeof buf);
  CHECK(r == 2 && memcmp(buf, "q\n", 2) == 0);
  /* O_NONBLOCK: EAGAIN on both ends when empty. */
  fcntl(m, F_SETFL, O_NONBLOCK);
  fcntl(s, F_SETFL, O_NONBLOCK);
  ERR(read(m, buf, sizeof buf), EAGAIN);
  ERR(read(s, buf, sizeof buf), EAGAIN);
  /* FIONREAD counts each end's own input. */
  CHECK(write(m, "1234", 4) == 4);
  CHECK(rd_ready(s));
  int q = -1;
  OK(ioctl(s, FIONREAD, &q));
  CHECK(q == 4);
  OK(ioctl(m, FIONREAD, &q));
  CHECK(q == 0);
  tcflush(s, TCIFLUSH);
  OK(ioctl(s, FIONREAD, &q));
  CHECK(q == 0);
  /* Filling the slave's output: the master's buffer takes some, then the writer gets EAGAIN. */
  static char big[65536];
  memset(big, 'z', sizeof big);
  long total = 0;
  for (int i = 0; i < 64; i++) {
    r = write(s, big, 4096);
    if (r < 0) break;
    total += r;
  }
  CHECK(r < 0 && errno == EAGAIN);
  CHECK(total >= 4096);
  CHECK(pollev(s, POLLOUT) == 0);
  long got = 0;
  while ((r = read(m, big, sizeof big)) > 0) got += r;
  CHECK(got == total);
  CHECK(pollev(s, POLLOUT) == POLLOUT);
  /* Window size from either end. */
  struct winsize ws = { 30, 100, 0, 0 }, ws2;
  OK(ioctl(m, TIOCSWINSZ, &ws));
  OK(ioctl(s, TIOCGWINSZ, &ws2));
  CHECK(ws2.ws_row == 30 && ws2.ws_col == 100);
  ws.ws_row = 40;
  OK(ioctl(s, TIOCSWINSZ, &ws));
  OK(ioctl(m, TIOCGWINSZ, &ws2));
  CHECK(ws2.ws_row == 40 && ws2.ws_col == 100);
  /* Packet mode: a 0 byte before data, a status byte alone after a flush. */
  int one = 1, pk = -1;
  OK(ioctl(m, TIOCPKT, &one));
  if (!under_qemu) { OK(ioctl(m, TIOCGPKT, &pk)); CHECK(pk == 1); }
  fcntl(m, F_SETFL, 0);
  CHECK(write(s, "z", 1) == 1);
  r = rd(m, buf, sizeof buf);
  CHECK(r == 2 && buf[0] == TIOCPKT_DATA && buf[1] == 'z');
  OK(tcflush(s, TCIFLUSH));
  CHECK(pollev(m, POLLIN | POLLPRI) & POLLPRI);
  r = rd(m, buf, sizeof buf);
  CHECK(r == 1 && buf[0] == TIOCPKT_FLUSHREAD);
  int zero = 0;
  OK(ioctl(m, TIOCPKT, &zero));
  ERR(ioctl(s, TIOCPKT, &one), ENOTTY);
  /* The slave side closes: the master reads EIO and polls POLLHUP. */
  close(s);
  fcntl(m, F_SETFL, O_NONBLOCK);
  ERR(read(m, buf, sizeof buf), EIO);
  CHECK(pollev(m, POLLIN) & POLLHUP);
  close(m);
}

static void on_winch(int sig) { (void)sig; }

/* A child in its own session with the slave as controlling terminal. */
static void test_jobs(void) {
  int m = open_master();
  CHECK(m >= 0);
  OK(unlockpt(m));
  char name[64];
  strcpy(name, ptsname(m));
  char buf[64];
  int r;
  pid_t c = fork();
  if (c == 0) {
    close(m);
    setsid();
    int s = open(name, O_RDWR); /* a session leader's first tty open makes it its controlling tty */
    if (s < 0) _exit(10);
    if (tcgetpgrp(s) != getpid()) _exit(12);
    signal(SIGWINCH, on_winch);
    sigset_t w;
    sigemptyset(&w);
    sigaddset(&w, SIGWINCH);
    sigprocmask(SIG_BLOCK, &w, NULL);
    write(s, "R", 1);
    int sig = 0;
    sigwait(&w, &sig);
    write(s, "W", 1);
    for (;;) pause(); /* until ^C */
  }
  r = rd(m, buf, 1);
  CHECK(r == 1 && buf[0] == 'R');
  struct winsize ws = { 50, 132, 0, 0 };
  OK(ioctl(m, TIOCSWINSZ, &ws));
  r = rd(m, buf, 1);
  CHECK(r == 1 && buf[0] == 'W');
  pid_t pg = -1;
  OK(ioctl(m, TIOCGPGRP, &pg)); /* through the master: the slave's foreground group */
  CHECK(pg == c);
  CHECK(write(m, "\x03", 1) == 1);
  int st = 0;
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
  close(m);

  /* TIOCSCTTY after an O_NOCTTY open; then hangup when the master closes. */
  m = open_master();
  CHECK(m >= 0);
  OK(unlockpt(m));
  strcpy(name, ptsname(m));
  int p[2];
  OK(pipe(p));
  c = fork();
  if (c == 0) {
    close(m);
    close(p[0]);
    setsid();
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) _exit(10);
    if (tcgetpgrp(s) >= 0 || errno != ENOTTY) _exit(13); /* not our controlling tty yet */
    if (ioctl(s, TIOCSCTTY, 0) != 0) _exit(14);
    if (tcgetpgrp(s) != getpid()) _exit(15);
    sigset_t w;
    sigemptyset(&w);
    sigaddset(&w, SIGHUP);
    sigprocmask(SIG_BLOCK, &w, NULL);
    write(s, "R", 1);
    int sig = 0;
    sigwait(&w, &sig);
    char b[8];
    int rr = read(s, b, sizeof b);
    int re = errno;
    errno = 0;
    int wr = write(s, "x", 1);
    int we = errno;
    struct stat st2;
    int gone = stat(name, &st2) < 0 && errno == ENOENT;
    dprintf(p[1], "sig=%d read=%d/%d write=%d/%d gone=%d\n", sig, rr, rr < 0 ? re : 0, wr, wr < 0 ? we : 0, gone);
    _exit(0);
  }
  close(p[1]);
  r = rd(m, buf, 1);
  CHECK(r == 1 && buf[0] == 'R');
  close(m);
  char line[128] = {0};
  r = read(p[0], line, sizeof line - 1);
  CHECK(r > 0 && strcmp(line, "sig=1 read=0/0 write=-1/5 gone=1\n") == 0);
  if (r > 0 && strcmp(line, "sig=1 read=0/0 write=-1/5 gone=1\n") != 0) printf("child said: %s", line);
  close(p[0]);
  CHECK(waitpid(c, &st, 0) == c);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st)) printf("child status %#x\n", st);
}

int main(int argc, char **argv) {
  prog_name = "pty";
  under_qemu = argc > 1 && strcmp(argv[1], "qemu") == 0;
  setvbuf(stdout, NULL, _IONBF, 0);
  test_alloc();
  test_data();
  test_jobs();
  DONE();
}
