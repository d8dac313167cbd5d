// The memory views must not leak or crash (test/security/mmview.test.ts).
// init (root) starts X (uid 1000, holding memory), then as other users:
//   uid 1001: X's pagemap, smaps and ptwalk are refused (ptrace rules)
//   uid 1000: X's pagemap opens; its own pagemap shows present pages with
//             PFN 0; kpagecount and kpageflags are refused; oom_score_adj
//             may go up and back down to its minimum, not below (EACCES)
// and as root: bad offsets and lengths on every view give errors or EOF.
// Each line is "NAME RESULT" with RESULT "ok" or an errno name.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int e) {
  switch (e) {
    case 0: return "ok";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    default: { static char b[16]; snprintf(b, sizeof b, "E%d", e); return b; }
  }
}

static void try_open(const char *name, const char *path) {
  int fd = open(path, O_RDONLY);
  printf("%s %s\n", name, fd < 0 ? en(errno) : "ok");
  if (fd >= 0) close(fd);
}

static void try_write(const char *name, const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  int e = 0;
  if (fd < 0) e = errno;
  else if (write(fd, text, strlen(text)) < 0) e = errno;
  if (fd >= 0) close(fd);
  printf("%s %s\n", name, en(e));
}

static void cat(const char *name, const char *path) {
  char b[64] = { 0 };
  int fd = open(path, O_RDONLY);
  ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof b - 1);
  if (fd >= 0) close(fd);
  if (n > 0 && b[n - 1] == '\n') b[n - 1] = 0;
  printf("%s %s\n", name, n < 0 ? "?" : b);
}

/** pread result: "n=N" or the errno. */
static void try_pread(const char *name, int fd, size_t len, off_t off) {
  static char buf[64];
  ssize_t n = pread(fd, buf, len, off);
  if (n < 0) printf("%s %s\n", name, en(errno));
  else printf("%s n=%zd\n", name, n);
}

static void become(uid_t u) {
  if (setresgid(u, u, u) < 0 || setresuid(u, u, u) < 0) { printf("setuid failed\n"); _exit(1); }
}

int main(void) {
  int ready[2];
  if (pipe(ready) < 0) return 1;
  pid_t x = fork();
  if (x == 0) {
    become(1000);
    char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 7, 4 * 4096);
    write(ready[1], "r", 1);
    for (;;) pause();
  }
  char c;
  read(ready[0], &c, 1);
  char pm[64], sm[64], pw[64];
  snprintf(pm, sizeof pm, "/proc/%d/pagemap", x);
  snprintf(sm, sizeof sm, "/proc/%d/smaps", x);
  snprintf(pw, sizeof pw, "/proc/%d/ptwalk", x);
  fflush(stdout);
  pid_t y = fork();
  if (y == 0) {
    become(1001);
    try_open("other_pagemap", pm);
    try_open("other_smaps", sm);
    try_open("other_ptwalk", pw);
    fflush(stdout);
    _exit(0);
  }
  waitpid(y, NULL, 0);
  pid_t z = fork();
  if (z == 0) {
    become(1000);
    try_open("sameuid_pagemap", pm);
    volatile char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    q[0] = 1;
    int fd = open("/proc/self/pagemap", O_RDONLY);
    uint64_t e = 0;
    if (fd < 0 || pread(fd, &e, 8, (off_t)((uintptr_t)q / 4096 * 8)) != 8) printf("self_pagemap failed\n");
    else printf("self_present %d self_pfn %llx\n", (int)(e >> 63), (unsigned long long)(e & ((1ULL << 55) - 1)));
    try_open("user_kpagecount", "/proc/kpagecount");
    try_open("user_kpageflags", "/proc/kpageflags");
    try_write("adj_below_min", "/proc/self/oom_score_adj", "-1");
    try_write("adj_up", "/proc/self/oom_score_adj", "500");
    try_write("adj_down_to_min", "/proc/self/oom_score_adj", "0");
    try_write("adj_up_again", "/proc/self/oom_score_adj", "500");
    try_write("legacy_below_current", "/proc/self/oom_adj", "0");
    try_write("adj_out_of_range", "/proc/self/oom_score_adj", "1001");
    try_write("legacy_out_of_range", "/proc/self/oom_adj", "16");
    cat("adj_now", "/proc/self/oom_score_adj");
    cat("legacy_now", "/proc/self/oom_adj");
    fflush(stdout);
    _exit(0);
  }
  waitpid(z, NULL, 0);
  // Root: a privileged write moves the minimum (oom_score_adj_min).
  char adj[64];
  snprintf(adj, sizeof adj, "/proc/%d/oom_score_adj", x);
  try_write("root_adj_low", adj, "-500");
  cat("root_adj_now", adj);
  // Bad offsets and lengths.
  int fpm = open(pm, O_RDONLY), fkc = open("/proc/kpagecount", O_RDONLY), fkf = open("/proc/kpageflags", O_RDONLY), fpw = open(pw, O_RDONLY);
  if (fpm < 0 || fkc < 0 || fkf < 0 || fpw < 0) { printf("root open failed\n"); return 1; }
  try_pread("pagemap_off3", fpm, 8, 3);
  try_pread("pagemap_len7", fpm, 7, 0);
  try_pread("pagemap_end", fpm, 8, (off_t)((1ULL << 38) / 4096 * 8));
  try_pread("pagemap_huge", fpm, 8, (off_t)1 << 60);
  try_pread("pagemap_neg", fpm, 8, -8);
  try_pread("pagemap_ok", fpm, 16, 0);
  try_pread("kpagecount_off3", fkc, 8, 3);
  try_pread("kpagecount_first", fkc, 8, 0);
  try_pread("kpagecount_far", fkc, 8, (off_t)1 << 40);
  try_pread("kpageflags_len5", fkf, 5, 0x80000 * 8);
  try_pread("ptwalk_short", fpw, 16, 0x10000);
  try_pread("ptwalk_kernel_half", fpw, 32, (off_t)1 << 38);
  // A read that runs past the end of the user address space stops there.
  try_pread("pagemap_tail", fpm, 16, (off_t)((1ULL << 38) / 4096 * 8 - 8));
  try_open("pagemap_reopen", pm);
  int w = open(pm, O_RDWR);
  printf("pagemap_rdwr %s\n", w < 0 ? en(errno) : "ok");
  kill(x, SIGKILL);
  waitpid(x, NULL, 0);
  // The process is gone: a reader that still holds its pagemap gets EOF, not a crash.
  try_pread("pagemap_after_exit", fpm, 8, 0);
  printf("done\n");
  return 0;
}
