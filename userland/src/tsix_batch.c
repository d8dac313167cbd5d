/* tsix-batch: a batch system (C28): jobs wait in a spool directory and one
 * daemon runs them one after another, first come first served, then prints
 * the turnaround report the course computes by hand.
 *
 *   tsix-batch submit CMD [ARG...]   queue a job (and start the daemon if none runs)
 *   tsix-batch daemon                run queued jobs until the queue is empty
 *   tsix-batch wait                  wait until no daemon runs (its report is out by then)
 *   tsix-batch report                the report of the jobs run so far
 *
 * The spool is /var/spool/tsix-batch (TSIX_BATCH_SPOOL overrides it):
 *   seq          the last job number given out
 *   lock         flock(2)ed by whoever changes the spool
 *   daemon.pid   the running daemon's pid
 *   q.N          a queued job: "submit US", then one argument per line
 *   done.N       a finished job: submit, start, end (us of CLOCK_MONOTONIC), status, command
 *   out.N        the job's standard output and error
 * A job starts with the lowest number queued, so jobs run in submission
 * order. The daemon checks for an empty queue and removes daemon.pid under
 * the lock, and submit looks for a daemon under the same lock, so a job
 * submitted while the daemon stops is never left without one.
 *
 * Report columns (seconds): submit, start, end; waiting = start - submit;
 * run = end - start; turnaround = end - submit; then the averages.
 *
 * tsix-build: name=tsix-batch install=/usr/bin
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXARGS 64
#define MAXJOBS 1024

static char spool[200];

static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void path(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", spool, name); }

static void die(const char *what) {
  fprintf(stderr, "tsix-batch: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* Make the spool (and its parents) if missing. */
static void make_spool(void) {
  char p[256];
  snprintf(p, sizeof p, "%s", spool);
  for (char *s = p + 1; *s; s++) {
    if (*s == '/') { *s = 0; if (mkdir(p, 0755) != 0 && errno != EEXIST) die(p); *s = '/'; }
  }
  if (mkdir(p, 0755) != 0 && errno != EEXIST) die(p);
}

static int lock_spool(void) {
  char p[300];
  path(p, sizeof p, "lock");
  int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) die(p);
  while (flock(fd, LOCK_EX) != 0) if (errno != EINTR) die("flock");
  return fd;
}

static void unlock_spool(int fd) { close(fd); }

/* The running daemon's pid, or 0. */
static int daemon_pid(void) {
  char p[300];
  path(p, sizeof p, "daemon.pid");
  FILE *f = fopen(p, "r");
  if (!f) return 0;
  int pid = 0;
  if (fscanf(f, "%d", &pid) != 1) pid = 0;
  fclose(f);
  if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) pid = 0;
  return pid;
}

static void write_file(const char *name, const char *text) {
  char p[300], tmp[320];
  path(p, sizeof p, name);
  snprintf(tmp, sizeof tmp, "%s.tmp", p);
  FILE *f = fopen(tmp, "w");
  if (!f) die(tmp);
  fputs(text, f);
  if (fclose(f) != 0) die(tmp);
  if (rename(tmp, p) != 0) die(p);
}

/* Numbers N of the spool's files named PREFIX.N, sorted. */
static int list_jobs(const char *prefix, int *out) {
  DIR *d = opendir(spool);
  if (!d) return 0;
  int n = 0;
  size_t pl = strlen(prefix);
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < MAXJOBS) {
    if (strncmp(e->d_name, prefix, pl) != 0) continue;
    char *end;
    long v = strtol(e->d_name + pl, &end, 10);
    if (*end == 0 && v > 0) out[n++] = (int)v;
  }
  closedir(d);
  for (int i = 1; i < n; i++) for (int j = i; j > 0 && out[j - 1] > out[j]; j--) { int t = out[j]; out[j] = out[j - 1]; out[j - 1] = t; }
  return n;
}

static int run_daemon(int started);

static int submit(int argc, char **argv) {
  if (argc < 1) { fprintf(stderr, "usage: tsix-batch submit CMD [ARG...]\n"); return 2; }
  if (argc > MAXARGS) { fprintf(stderr, "tsix-batch: at most %d words in a job\n", MAXARGS); return 2; }
  char text[8192];
  int len = snprintf(text, sizeof text, "submit %lld\n", now_us());
  for (int i = 0; i < argc; i++) {
    if (strchr(argv[i], '\n')) { fprintf(stderr, "tsix-batch: a job's words cannot contain a newline\n"); return 2; }
    len += snprintf(text + len, sizeof text - len, "%s\n", argv[i]);
    if (len >= (int)sizeof text) { fprintf(stderr, "tsix-batch: the job is too long\n"); return 2; }
  }
  make_spool();
  int lk = lock_spool();
  char p[300];
  path(p, sizeof p, "seq");
  int seq = 0;
  FILE *f = fopen(p, "r");
  if (f) { if (fscanf(f, "%d", &seq) != 1) seq = 0; fclose(f); }
  seq++;
  char num[32], name[48];
  snprintf(num, sizeof num, "%d\n", seq);
  write_file("seq", num);
  snprintf(name, sizeof name, "q.%d", seq);
  write_file(name, text);
  if (!daemon_pid()) {
    /* Start the daemon; it is recorded before the lock is dropped, so the next submit sees it. */
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      close(lk);
      setsid();
      int null = open("/dev/null", O_RDONLY);
      if (null >= 0) { dup2(null, 0); close(null); }
      exit(run_daemon(1));
    }
    char pidtext[32];
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)pid);
    write_file("daemon.pid", pidtext);
  }
  unlock_spool(lk);
  printf("job %d queued\n", seq);
  fflush(stdout);
  return 0;
}

/* Run one queued job N; returns 0, or -1 if it vanished. */
static int run_job(int n) {
  char name[48], p[300];
  snprintf(name, sizeof name, "q.%d", n);
  path(p, sizeof p, name);
  FILE *f = fopen(p, "r");
  if (!f) return -1;
  static char words[MAXARGS][1024];
  char *args[MAXARGS + 1];
  long long submitted = 0;
  int argc = 0;
  char line[1024];
  if (!fgets(line, sizeof line, f) || sscanf(line, "submit %lld", &submitted) != 1) { fclose(f); unlink(p); return -1; }
  while (argc < MAXARGS && fgets(words[argc], sizeof words[argc], f)) {
    words[argc][strcspn(words[argc], "\n")] = 0;
    args[argc] = words[argc];
    argc++;
  }
  args[argc] = NULL;
  fclose(f);
  unlink(p);
  if (argc == 0) return -1;
  char out[300], outname[48];
  snprintf(outname, sizeof outname, "out.%d", n);
  path(out, sizeof out, outname);
  long long start = now_us();
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); close(fd); }
    execvp(args[0], args);
    fprintf(stderr, "tsix-batch: %s: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) if (errno != EINTR) die("waitpid");
  long long end = now_us();
  int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  char text[8192];
  int len = snprintf(text, sizeof text, "submit %lld\nstart %lld\nend %lld\nstatus %d\ncmd", submitted, start, end, status);
  /* The command as the report shows it: the program's name without its directory, and its arguments. */
  const char *prog = strrchr(args[0], '/');
  len += snprintf(text + len, sizeof text - len, " %s", prog ? prog + 1 : args[0]);
  for (int i = 1; i < argc && len < (int)sizeof text - 2; i++) len += snprintf(text + len, sizeof text - len, " %s", args[i]);
  if (len < (int)sizeof text - 1) strcat(text, "\n");
  snprintf(name, sizeof name, "done.%d", n);
  write_file(name, text);
  return 0;
}

struct done { int n; long long submit, start, end; int status; char cmd[64]; };

static int read_done(int n, struct done *d) {
  char name[48], p[300], line[1024];
  snprintf(name, sizeof name, "done.%d", n);
  path(p, sizeof p, name);
  FILE *f = fopen(p, "r");
  if (!f) return -1;
  memset(d, 0, sizeof *d);
  d->n = n;
  int got = 0;
  while (fgets(line, sizeof line, f)) {
    got += sscanf(line, "submit %lld", &d->submit) + sscanf(line, "start %lld", &d->start) +
           sscanf(line, "end %lld", &d->end) + sscanf(line, "status %d", &d->status);
    if (strncmp(line, "cmd ", 4) == 0) {
      line[strcspn(line, "\n")] = 0;
      snprintf(d->cmd, sizeof d->cmd, "%.63s", line + 4);
    }
  }
  fclose(f);
  return got == 4 ? 0 : -1;
}

static void secs(char *buf, long long us) { snprintf(buf, 32, "%lld.%06lld", us / 1000000, us % 1000000); }

static int report(void) {
  static int nums[MAXJOBS];
  int n = list_jobs("done.", nums);
  printf("%4s %-24s %6s %15s %15s %15s %15s %15s %15s\n", "job", "command", "status", "submit", "start", "end", "waiting", "run", "turnaround");
  long long sw = 0, sr = 0, st = 0;
  int count = 0;
  for (int i = 0; i < n; i++) {
    struct done d;
    if (read_done(nums[i], &d) != 0) continue;
    char a[32], b[32], c[32], w[32], r[32], t[32];
    secs(a, d.submit); secs(b, d.start); secs(c, d.end);
    secs(w, d.start - d.submit); secs(r, d.end - d.start); secs(t, d.end - d.submit);
    printf("%4d %-24.24s %6d %15s %15s %15s %15s %15s %15s\n", d.n, d.cmd, d.status, a, b, c, w, r, t);
    sw += d.start - d.submit; sr += d.end - d.start; st += d.end - d.submit;
    count++;
  }
  if (count > 0) {
    char w[32], r[32], t[32];
    secs(w, sw / count); secs(r, sr / count); secs(t, st / count);
    printf("%-4s %-24s %6s %15s %15s %15s %15s %15s %15s\n", "avg", "", "", "", "", "", w, r, t);
  }
  printf("%d jobs\n", count);
  fflush(stdout);
  return 0;
}

/* The daemon: STARTED when submit forked it (and recorded its pid already). */
static int run_daemon(int started) {
  if (!started) {
    make_spool();
    int lk = lock_spool();
    int other = daemon_pid();
    if (other != 0 && other != getpid()) { unlock_spool(lk); fprintf(stderr, "tsix-batch: a daemon runs already (pid %d)\n", other); return 1; }
    char pid[32];
    snprintf(pid, sizeof pid, "%d\n", getpid());
    write_file("daemon.pid", pid);
    unlock_spool(lk);
  }
  static int nums[MAXJOBS];
  for (;;) {
    int lk = lock_spool();
    int n = list_jobs("q.", nums);
    if (n == 0) {
      /* The queue is empty: the report, then stop (a submit waiting for the lock starts a new daemon). */
      report();
      char p[300];
      path(p, sizeof p, "daemon.pid");
      unlink(p);
      unlock_spool(lk);
      return 0;
    }
    unlock_spool(lk);
    run_job(nums[0]);
  }
}

static int wait_daemon(void) {
  struct timespec ts = { 0, 10 * 1000 * 1000 };
  while (daemon_pid() != 0) nanosleep(&ts, NULL);
  return 0;
}

int main(int argc, char **argv) {
  const char *s = getenv("TSIX_BATCH_SPOOL");
  snprintf(spool, sizeof spool, "%s", s && *s ? s : "/var/spool/tsix-batch");
  if (argc >= 2 && strcmp(argv[1], "submit") == 0) return submit(argc - 2, argv + 2);
  if (argc == 2 && strcmp(argv[1], "daemon") == 0) return run_daemon(0);
  if (argc == 2 && strcmp(argv[1], "wait") == 0) return wait_daemon();
  if (argc == 2 && strcmp(argv[1], "report") == 0) return report();
  fprintf(stderr, "usage: tsix-batch submit CMD [ARG...] | daemon | wait | report\n");
  return 2;
}
