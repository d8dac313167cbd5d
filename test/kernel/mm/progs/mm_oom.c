// The OOM path (test/kernel/mm/oom.test.ts): a hog child touches memory
// until the system runs out; an idle child holds a little memory and waits.
//   mm_oom plain  - the hog is the worst process: it dies by SIGKILL, the idle one lives
//   mm_oom adj    - the idle child set oom_score_adj 1000: it is chosen first, then the hog
//   mm_oom alloc  - as adj, but vm.oom_kill_allocating_task=1: the hog (whose fault failed) dies, the idle one lives
//   mm_oom protect - the idle child holds 12 MiB (more than the hog gets) but has oom_score_adj -1000: the hog dies
//   mm_oom panic  - vm.panic_on_oom=1: nobody is killed, the kernel panics and the machine stops
// Before the hog starts it prints the idle child's oom_score, VmRSS and VmPTE (kB) and MemTotal.
// Then it prints /proc/vmstat's reclaim and OOM counters.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void writefile(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) { printf("cannot write %s\n", path); exit(1); }
  close(fd);
}

static long vmstat(const char *name) {
  static char buf[8192];
  int fd = open("/proc/vmstat", O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  size_t len = strlen(name);
  for (char *p = buf; *p; p = strchr(p, '\n') + 1) {
    if (strncmp(p, name, len) == 0 && p[len] == ' ') return atol(p + len + 1);
    if (!strchr(p, '\n')) break;
  }
  return -1;
}

/** The number after `name` in the file (or the file's first number when name is ""). */
static long procnum(const char *path, const char *name) {
  static char buf[8192];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  char *p = *name ? strstr(buf, name) : buf;
  return p ? atol(p + strlen(name)) : -1;
}

static const char *how(int st) {
  static char s[32];
  if (WIFSIGNALED(st)) snprintf(s, sizeof s, "signal %d", WTERMSIG(st));
  else snprintf(s, sizeof s, "exit %d", WEXITSTATUS(st));
  return s;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "plain";
  if (strcmp(mode, "alloc") == 0) writefile("/proc/sys/vm/oom_kill_allocating_task", "1");
  if (strcmp(mode, "panic") == 0) writefile("/proc/sys/vm/panic_on_oom", "1");
  int protect = strcmp(mode, "protect") == 0;
  int ready[2];
  if (pipe(ready) < 0) return 1;
  pid_t idle = fork();
  if (idle == 0) {
    size_t n = protect ? 12 << 20 : 2 << 20;
    char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 1, n);
    if (protect) writefile("/proc/self/oom_score_adj", "-1000");
    else if (strcmp(mode, "plain") != 0 && strcmp(mode, "panic") != 0) writefile("/proc/self/oom_score_adj", "1000");
    write(ready[1], "r", 1);
    for (;;) pause();
  }
  char c;
  read(ready[0], &c, 1);
  {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/oom_score", idle);
    printf("idle_oom_score %ld\n", procnum(path, ""));
    snprintf(path, sizeof path, "/proc/%d/status", idle);
    printf("idle_rss_kb %ld\nidle_pte_kb %ld\nmemtotal_kb %ld\n", procnum(path, "VmRSS:"), procnum(path, "VmPTE:"), procnum("/proc/meminfo", "MemTotal:"));
    fflush(stdout);
  }
  pid_t hog = fork();
  if (hog == 0) {
    for (;;) {
      char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) { printf("hog: mmap failed\n"); _exit(3); }
      for (int i = 0; i < (1 << 20); i += 4096) p[i] = 1;
    }
  }
  printf("idle=%d hog=%d\n", idle, hog);
  fflush(stdout);
  int st;
  waitpid(hog, &st, 0);
  printf("hog: %s\n", how(st));
  pid_t r = waitpid(idle, &st, WNOHANG);
  if (r == 0) {
    printf("idle: alive\n");
    kill(idle, SIGKILL);
    waitpid(idle, &st, 0);
  } else {
    printf("idle: %s\n", how(st));
  }
  printf("allocstall_normal %ld\npgscan_direct %ld\npgsteal_direct %ld\noom_kill %ld\n",
         vmstat("allocstall_normal"), vmstat("pgscan_direct"), vmstat("pgsteal_direct"), vmstat("oom_kill"));
  return 0;
}
