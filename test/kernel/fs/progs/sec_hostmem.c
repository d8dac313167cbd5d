/* Exhausting kernel memory from the guest (test/security/host_memory.test.ts).

   sec_hostmem pipes [UID [BYTES]]
                             raise RLIMIT_NOFILE as far as allowed (as UID if
                             not -1), then make pipes and write BYTES (64 KiB)
                             into each
                             until the kernel refuses; prints how far it got
                             and the errno (ENOMEM, EMFILE or ENFILE, never a
                             crash), frees everything and checks the memory
                             came back.
   sec_hostmem enfile UID N  N processes of UID open files until fs.file-max
                             stops them (ENFILE), as file-nr shows.
   sec_hostmem watches       (root) epoll watches until ENOMEM.
   sec_hostmem bigfd         (root) dup2 to descriptor 1048575: ok, or ENOMEM
                             when RAM cannot hold a table that size.
   sec_hostmem files DIR     create empty files in DIR until ENOSPC.
   sec_hostmem fill FILE     write FILE until ENOSPC; prints the size reached.
   sec_hostmem mmapfill FILE MIB
                             store into a MIB-sized shared mapping of FILE until
                             SIGBUS (the file system is full). */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <signal.h>
#include <setjmp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

static long meminfo_kb(const char *key) {
  char line[128], fmt[64];
  long v = -1;
  snprintf(fmt, sizeof fmt, "%s: %%ld kB", key);
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) if (sscanf(line, fmt, &v) == 1) break;
  fclose(f);
  return v;
}

static int pipes(int uid, size_t bytes) {
  prog_name = "sec_hostmem pipes";
  if (uid >= 0) { OK(setresgid(uid, uid, uid)); OK(setresuid(uid, uid, uid)); }
  struct rlimit r;
  OK(getrlimit(RLIMIT_NOFILE, &r));
  if (uid < 0) r.rlim_max = 1048576;
  r.rlim_cur = r.rlim_max;
  OK(setrlimit(RLIMIT_NOFILE, &r));
  long before = meminfo_kb("MemFree"), slab = meminfo_kb("Slab");
  static char chunk[65536];
  memset(chunk, 'p', sizeof chunk);
  static int fds[2 * 1048576];
  int n = 0, err = 0;
  for (;;) {
    int p[2];
    if (pipe2(p, O_NONBLOCK) < 0) { err = errno; break; }
    fds[2 * n] = p[0];
    fds[2 * n + 1] = p[1];
    n++;
    if (bytes == 0) continue;
    ssize_t w = write(p[1], chunk, bytes);
    if (w < 0) { err = errno; break; }
  }
  long during = meminfo_kb("MemFree"), slabDuring = meminfo_kb("Slab");
  printf("pipes %d errno %s memfree %ld -> %ld kB slab %ld -> %ld kB\n", n, strerrorname_np(err) ? strerrorname_np(err) : "?",
         before, during, slab, slabDuring);
  CHECK(err == ENOMEM || err == EMFILE || err == ENFILE);
  CHECK(n > 100);
  for (int i = 0; i < 2 * n; i++) close(fds[i]);
  long after = meminfo_kb("MemFree"), slabAfter = meminfo_kb("Slab");
  printf("after close: memfree %ld kB slab %ld kB\n", after, slabAfter);
  /* Everything the pipes held is given back, but for the fd table this
     process still has (16 bytes a slot) and the pages of its fds[] array. */
  long table = (2L * n + 64) * 16 / 1024 + 8, array = 2L * n * 4 / 1024 + 8;
  CHECK(slabAfter <= slab + table);
  CHECK(after >= before - table - array - 1024);
  /* And the system goes on: a new pipe carries data. */
  int p[2];
  OK(pipe(p));
  CHECK(write(p[1], "ok", 2) == 2);
  char buf[2];
  CHECK(read(p[0], buf, 2) == 2 && memcmp(buf, "ok", 2) == 0);
  DONE();
}

/* Several processes of one user open files until the system-wide limit
   (fs.file-max) stops one of them with ENFILE. */
static int enfile(int uid, int procs) {
  prog_name = "sec_hostmem enfile";
  OK(setresgid(uid, uid, uid));
  OK(setresuid(uid, uid, uid));
  int report[2], gate[2];
  OK(pipe(report));
  OK(pipe(gate));

  for (int i = 0; i < procs; i++) {
    if (fork() == 0) {
      struct rlimit r;
      getrlimit(RLIMIT_NOFILE, &r);
      r.rlim_cur = r.rlim_max;
      setrlimit(RLIMIT_NOFILE, &r);
      int n = 0, last = -1, fd;
      while ((fd = open("/dev/null", O_RDONLY)) >= 0) { n++; last = fd; }
      int e = errno;
      /* Make room for the parent to read /proc/sys/fs/file-nr. */
      if (last >= 0) close(last);
      char line[64];
      int len = snprintf(line, sizeof line, "%d %d\n", n, e);
      write(report[1], line, len);
      /* Hold the files until the parent has looked (it closes the gate). */
      char c;
      close(gate[1]);
      read(gate[0], &c, 1);
      _exit(0);
    }
  }
  int enfiles = 0, total = 0;
  close(report[1]);
  close(gate[0]);
  FILE *in = fdopen(report[0], "r");
  for (int i = 0; i < procs; i++) {
    int n, e;
    CHECK(fscanf(in, "%d %d", &n, &e) == 2);
    total += n;
    if (e == ENFILE) enfiles++;
    else CHECK(e == EMFILE || e == ENOMEM);
    printf("  a process opened %d files, then %s\n", n, strerrorname_np(e) ? strerrorname_np(e) : "?");
  }
  long nr = 0, max = 0, zero;
  FILE *f = fopen("/proc/sys/fs/file-nr", "r");
  CHECK(f && fscanf(f, "%ld %ld %ld", &nr, &zero, &max) == 3);
  if (f) fclose(f);
  printf("files %d, ENFILE in %d of %d processes; file-nr %ld of %ld\n", total, enfiles, procs, nr, max);
  CHECK(enfiles >= 1);
  CHECK(nr >= max - 64 && nr <= max);
  close(gate[1]);
  fclose(in);
  while (wait(NULL) > 0) {}
  /* All closed again: the count is back down. */
  f = fopen("/proc/sys/fs/file-nr", "r");
  CHECK(f && fscanf(f, "%ld", &nr) == 1);
  if (f) fclose(f);
  CHECK(nr < 64);
  DONE();
}

static int files(const char *dir) {
  prog_name = "sec_hostmem files";
  char path[512];
  int n = 0, err = 0;
  for (;;) {
    snprintf(path, sizeof path, "%s/f%07d", dir, n);
    int fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0600);
    if (fd < 0) { err = errno; break; }
    close(fd);
    n++;
  }
  printf("files %d errno %s\n", n, strerrorname_np(err) ? strerrorname_np(err) : "?");
  CHECK(err == ENOSPC);
  for (int i = 0; i < n; i++) { snprintf(path, sizeof path, "%s/f%07d", dir, i); unlink(path); }
  /* Room again. */
  snprintf(path, sizeof path, "%s/again", dir);
  int fd = open(path, O_CREAT | O_WRONLY, 0600);
  CHECK(fd >= 0);
  close(fd);
  unlink(path);
  DONE();
}

/* Watch the same 500 eventfds from more and more epoll instances: each
   watch is kernel memory, so epoll_ctl ends in ENOMEM (root: no
   max_user_watches here); closing everything gives it back. */
static int watches(void) {
  prog_name = "sec_hostmem watches";
  struct rlimit r = {1048576, 1048576};
  OK(setrlimit(RLIMIT_NOFILE, &r));
  long slab = meminfo_kb("Slab");
  int ev[500];
  for (int i = 0; i < 500; i++) { ev[i] = eventfd(0, 0); CHECK(ev[i] >= 0); }
  static int eps[100000];
  int neps = 0, err = 0;
  long n = 0;
  while (!err && neps < 100000) {
    int ep = epoll_create1(0);
    if (ep < 0) { err = errno; break; }
    eps[neps++] = ep;
    for (int i = 0; i < 500; i++) {
      struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };
      if (epoll_ctl(ep, EPOLL_CTL_ADD, ev[i], &e) < 0) { err = errno; break; }
      n++;
    }
  }
  long during = meminfo_kb("Slab");
  printf("watches %ld in %d epolls, then %s; slab %ld -> %ld kB\n", n, neps, strerrorname_np(err) ? strerrorname_np(err) : "?", slab, during);
  CHECK(err == ENOMEM);
  for (int i = 0; i < neps; i++) close(eps[i]);
  for (int i = 0; i < 500; i++) close(ev[i]);
  long after = meminfo_kb("Slab");
  CHECK(after <= slab + 64 + (neps + 600) * 16 / 1024);
  DONE();
}

/* A descriptor at the top of a raised RLIMIT_NOFILE: the table grows to a
   million slots, kernel memory charged to RAM; prints what dup2 gave. */
static int bigfd(void) {
  prog_name = "sec_hostmem bigfd";
  struct rlimit r = {1048576, 1048576};
  OK(setrlimit(RLIMIT_NOFILE, &r));
  long slab = meminfo_kb("Slab");
  int fd = dup2(0, 1048575), e = errno;
  printf("dup2 to 1048575: %s; slab %ld -> %ld kB\n", fd == 1048575 ? "ok" : strerrorname_np(e), slab, meminfo_kb("Slab"));
  CHECK(fd == 1048575 || e == ENOMEM);
  if (fd == 1048575) {
    /* A child copies the table (charged again) and both go on. */
    pid_t c = fork();
    if (c == 0) _exit(fcntl(1048575, F_GETFD) >= 0 ? 0 : 1);
    int st;
    CHECK(c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(fd);
  }
  DONE();
}

static sigjmp_buf bus_jmp;
static void on_bus(int sig) { (void)sig; siglongjmp(bus_jmp, 1); }

/* Fill a file through a shared mapping: past the file system's size the
   access gets SIGBUS (the write(2) path gets ENOSPC). */
static int mmapfill(const char *path, long mib) {
  prog_name = "sec_hostmem mmapfill";
  long pg = sysconf(_SC_PAGESIZE), len = mib << 20;
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
  CHECK(fd >= 0);
  OK(ftruncate(fd, len));
  char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  CHECK(p != MAP_FAILED);
  if (p == MAP_FAILED) DONE();
  signal(SIGBUS, on_bus);
  volatile long pages = 0;
  int bus = 0;
  if (sigsetjmp(bus_jmp, 1) == 0) {
    for (long off = 0; off < len; off += pg) { p[off] = 1; pages++; }
  } else {
    bus = 1;
  }
  printf("mmapfill %ld KiB %s\n", pages * pg / 1024, bus ? "SIGBUS" : "no-signal");
  CHECK(bus);
  munmap(p, len);
  close(fd);
  unlink(path);
  DONE();
}

static int fill(const char *path) {
  prog_name = "sec_hostmem fill";
  static char chunk[1 << 16];
  memset(chunk, 'f', sizeof chunk);
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  CHECK(fd >= 0);
  long total = 0;
  int err = 0;
  for (;;) {
    ssize_t w = write(fd, chunk, sizeof chunk);
    if (w < 0) { err = errno; break; }
    total += w;
  }
  printf("fill %ld KiB errno %s\n", total / 1024, strerrorname_np(err) ? strerrorname_np(err) : "?");
  CHECK(err == ENOSPC);
  close(fd);
  DONE();
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "pipes") == 0)
    return pipes(argc >= 3 ? atoi(argv[2]) : -1, argc >= 4 ? (size_t)atol(argv[3]) : 65536);
  if (argc >= 3 && strcmp(argv[1], "files") == 0) return files(argv[2]);
  if (argc >= 4 && strcmp(argv[1], "enfile") == 0) return enfile(atoi(argv[2]), atoi(argv[3]));
  if (argc >= 3 && strcmp(argv[1], "fill") == 0) return fill(argv[2]);
  if (argc >= 2 && strcmp(argv[1], "watches") == 0) return watches();
  if (argc >= 2 && strcmp(argv[1], "bigfd") == 0) return bigfd();
  if (argc >= 4 && strcmp(argv[1], "mmapfill") == 0) return mmapfill(argv[2], atol(argv[3]));
  fprintf(stderr, "usage: sec_hostmem pipes [UID [BYTES]] | enfile UID N | watches | bigfd | mmapfill FILE MIB | files DIR | fill FILE\n");
  return 2;
}
