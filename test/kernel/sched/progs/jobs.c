/* A scheduling workload of known jobs, for the policy tests. Each SPEC is
 * one child:  L,TRAIN,JOB[,DELAY,NICE,POLICY,PRIO,SLEEP]
 *   L      its mark letter;
 *   TRAIN  marks of CPU work done first, then the child blocks (its first
 *          CPU burst: what SJF/SRTF learn its burst length from);
 *   JOB    marks of work after the start signal, a mark written after each;
 *   DELAY  ms to sleep after the start signal before the job (an arrival);
 *   NICE   its nice value; POLICY/PRIO  sched_setscheduler (0 = leave);
 *   SLEEP  ms to sleep after each mark (an interactive task).
 * A mark is PER iterations of a busy loop. The parent forks the children in
 * order, waits until all have trained and blocked, starts them together
 * (one write to a pipe they all read), and waits for them. Options:
 *   -q MS          write MS to /proc/sys/kernel/sched_rr_timeslice_ms first;
 *   -s POLICY@MS   MS ms after the start, write POLICY to sched_policy and a
 *                  '|' mark (a policy switch while the jobs run);
 *   -p MASK        all start on CPU 0 (the parent pins itself there before
 *                  forking), and right after the start signal the parent
 *                  sets each child's CPU mask to MASK (the kernel must then
 *                  move or spread them).
 * After each child's job it prints "\n#L mlfq=N mig=N\n" from its
 * /proc/self/sched; at the end the parent prints "pid L PID" per child.
 * Usage: jobs [-q MS] [-s POLICY@MS] PER SPEC... */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long sink;

static void burn(long per) {
  for (long i = 0; i < per; i++) sink += (unsigned long)i ^ (sink >> 3);
}

static int writefile(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -1;
  int n = write(fd, text, strlen(text));
  close(fd);
  return n == (int)strlen(text) ? 0 : -1;
}

/* The value of "KEY : value" in /proc/self/sched, or -1. */
static long schedfield(const char *key) {
  static char buf[8192];
  int fd = open("/proc/self/sched", O_RDONLY);
  if (fd < 0) return -1;
  int n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    size_t kl = strlen(key);
    if (strncmp(line, key, kl) == 0 && (line[kl] == ' ' || line[kl] == ':')) {
      char *colon = strchr(line, ':');
      return colon ? atol(colon + 1) : -1;
    }
  }
  return -1;
}

struct spec { char mark; int train, job, delay, nice, policy, prio, sleep; };

static unsigned long jobMask;

static void child(struct spec *s, long per, int ready, int go) {
  if (s->nice && setpriority(PRIO_PROCESS, 0, s->nice) != 0) _exit(10);
  if (s->policy) {
    struct sched_param p = { .sched_priority = s->prio };
    if (sched_setscheduler(0, s->policy, &p) != 0) _exit(11);
  }
  for (int i = 0; i < s->train; i++) burn(per);
  char c = s->mark;
  if (write(ready, &c, 1) != 1) _exit(12);
  if (read(go, &c, 1) != 1) _exit(13);
  if (s->delay) usleep(s->delay * 1000);
  for (int i = 0; i < s->job; i++) {
    burn(per);
    write(1, &s->mark, 1);
    if (s->sleep) usleep(s->sleep * 1000);
  }
  printf("\n#%c mlfq=%ld mig=%ld\n", s->mark, schedfield("mlfq.level"), schedfield("se.nr_migrations"));
  fflush(stdout);
  _exit(0);
}

int main(int argc, char **argv) {
  int a = 1;
  const char *switchTo = NULL;
  int switchMs = 0;
  while (a < argc && argv[a][0] == '-') {
    if (!strcmp(argv[a], "-q") && a + 1 < argc) {
      char v[32];
      snprintf(v, sizeof v, "%s\n", argv[a + 1]);
      if (writefile("/proc/sys/kernel/sched_rr_timeslice_ms", v) != 0) return 5;
      a += 2;
    } else if (!strcmp(argv[a], "-s") && a + 1 < argc) {
      static char pol[32];
      snprintf(pol, sizeof pol, "%s", argv[a + 1]);
      char *at = strchr(pol, '@');
      if (!at) return 2;
      *at = 0;
      switchTo = pol;
      switchMs = atoi(at + 1);
      a += 2;
    } else if (!strcmp(argv[a], "-p") && a + 1 < argc) {
      jobMask = strtoul(argv[a + 1], NULL, 0);
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(0, &set);
      if (sched_setaffinity(0, sizeof set, &set) != 0) return 7;
      a += 2;
    } else return 2;
  }
  if (a + 1 >= argc) return 2;
  long per = atol(argv[a++]);
  int n = argc - a;
  struct spec specs[16];
  pid_t pids[16];
  if (n > 16) return 2;
  for (int i = 0; i < n; i++) {
    struct spec *s = &specs[i];
    memset(s, 0, sizeof *s);
    s->mark = argv[a + i][0];
    sscanf(argv[a + i] + 2, "%d,%d,%d,%d,%d,%d,%d", &s->train, &s->job, &s->delay, &s->nice, &s->policy, &s->prio, &s->sleep);
  }
  int rp[2], gp[2];
  if (pipe(rp) || pipe(gp)) return 3;
  for (int i = 0; i < n; i++) {
    pids[i] = fork();
    if (pids[i] == 0) { close(rp[0]); close(gp[1]); child(&specs[i], per, rp[1], gp[0]); }
  }
  char buf[16];
  for (int got = 0; got < n;) {
    int r = read(rp[0], buf, n - got);
    if (r <= 0) return 3;
    got += r;
  }
  memset(buf, 'g', sizeof buf);
  if (write(gp[1], buf, n) != n) return 3;
  if (jobMask) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c = 0; c < 32; c++) if (jobMask & (1ul << c)) CPU_SET(c, &set);
    for (int i = 0; i < n; i++) if (sched_setaffinity(pids[i], sizeof set, &set) != 0) return 8;
  }
  if (switchTo) {
    usleep(switchMs * 1000);
    char v[40];
    snprintf(v, sizeof v, "%s\n", switchTo);
    if (writefile("/proc/sys/kernel/sched_policy", v) != 0) return 6;
    write(1, "|", 1);
  }
  int bad = 0;
  for (int i = 0; i < n; i++) {
    int st;
    if (waitpid(pids[i], &st, 0) != pids[i]) return 4;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { printf("\nchild %c status %d\n", specs[i].mark, st); bad = 1; }
  }
  printf("\n");
  for (int i = 0; i < n; i++) printf("pid %c %d\n", specs[i].mark, (int)pids[i]);
  return bad;
}
