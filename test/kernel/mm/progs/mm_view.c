// The memory views (test/kernel/mm/mmview.test.ts): init (root) forks A,
// which maps three regions and forks B; then init reads A's pagemap, the
// kpagecount and kpageflags of every frame A maps there, A's ptwalk of each
// region, A's smaps and smaps_rollup, prints them, and powers the machine
// off with A and B still alive, so that the test walks the very page tables
// that were read.
//   anon   16 private anonymous pages; A writes 0..7 before the fork,
//          B writes page 0 after it (B's copy), A writes page 1 (A's copy):
//          A keeps 0 and 1 private, 2..7 are shared with B (COW).
//   shared  4 MAP_SHARED anonymous pages written by A: shared with B.
//   file    3 pages of /etc/data mapped private read-only; A reads 0 and 1.
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096

static void dump(const char *path) {
  static char buf[1 << 16];
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("open %s failed\n", path); return; }
  ssize_t n, tot = 0;
  while ((n = read(fd, buf + tot, sizeof buf - 1 - tot)) > 0) tot += n;
  close(fd);
  buf[tot] = 0;
  printf("%s", buf);
}

static int readall(int fd, void *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)p + got, n - got);
    if (r <= 0) return -1;
    got += r;
  }
  return 0;
}

int main(void) {
  int tell[2], go[2];
  if (pipe(tell) < 0 || pipe(go) < 0) return 1;
  pid_t a = fork();
  if (a == 0) {
    char *anon = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *shared = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fd = open("/etc/data", O_RDONLY);
    char *file = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    if (anon == MAP_FAILED || shared == MAP_FAILED || file == MAP_FAILED) { printf("mmap failed\n"); _exit(1); }
    for (int i = 0; i < 8; i++) anon[i * PG] = (char)(i + 1);
    for (int i = 0; i < 4; i++) shared[i * PG] = 'S';
    volatile char sink = file[0] + file[PG];
    (void)sink;
    int bdone[2];
    if (pipe(bdone) < 0) _exit(1);
    pid_t b = fork();
    if (b == 0) {
      anon[0] = 'b';
      write(bdone[1], "b", 1);
      for (;;) pause();
    }
    char c;
    read(bdone[0], &c, 1);
    anon[PG] = 'a';
    uint64_t msg[4] = { (uint64_t)(uintptr_t)anon, (uint64_t)(uintptr_t)shared, (uint64_t)(uintptr_t)file, (uint64_t)b };
    write(tell[1], msg, sizeof msg);
    for (;;) pause();
  }
  uint64_t msg[4];
  if (readall(tell[0], msg, sizeof msg) < 0) { printf("no message from A\n"); return 1; }
  printf("A %d B %d\n", a, (int)msg[3]);
  printf("anon %llx shared %llx file %llx\n", (unsigned long long)msg[0], (unsigned long long)msg[1], (unsigned long long)msg[2]);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/pagemap", a);
  int pm = open(path, O_RDONLY);
  snprintf(path, sizeof path, "/proc/%d/ptwalk", a);
  int pw = open(path, O_RDONLY);
  int kc = open("/proc/kpagecount", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
  if (pm < 0 || pw < 0 || kc < 0 || kf < 0) { printf("open views failed\n"); return 1; }
  const int pages[3] = { 16, 4, 3 };
  for (int r = 0; r < 3; r++) {
    uint64_t base = msg[r];
    for (int i = 0; i < pages[r]; i++) {
      uint64_t va = base + (uint64_t)i * PG, e = 0, cnt = 0, fl = 0;
      if (pread(pm, &e, 8, (off_t)(va / PG * 8)) != 8) { printf("pagemap pread failed\n"); return 1; }
      printf("pm %llx %016llx", (unsigned long long)va, (unsigned long long)e);
      if (e >> 63) {
        uint64_t pfn = e & ((1ULL << 55) - 1);
        if (pread(kc, &cnt, 8, (off_t)(pfn * 8)) != 8 || pread(kf, &fl, 8, (off_t)(pfn * 8)) != 8) { printf("kpage pread failed\n"); return 1; }
        printf(" kc %llu kf %llx", (unsigned long long)cnt, (unsigned long long)fl);
      }
      printf("\n");
    }
    uint64_t w[4];
    if (pread(pw, w, 32, (off_t)base) != 32) { printf("ptwalk pread failed\n"); return 1; }
    printf("pw %llx %llx %llx %llx %llx\n", (unsigned long long)base, (unsigned long long)w[0], (unsigned long long)w[1],
           (unsigned long long)w[2], (unsigned long long)w[3]);
  }
  // The root page table's frame: a page table, mapped by nobody.
  uint64_t w[4], cnt = 0, fl = 0;
  pread(pw, w, 32, (off_t)msg[0]);
  uint64_t root = w[0] & ((1ULL << 44) - 1);
  pread(kc, &cnt, 8, (off_t)(root * 8));
  pread(kf, &fl, 8, (off_t)(root * 8));
  printf("root %llx kc %llu kf %llx\n", (unsigned long long)root, (unsigned long long)cnt, (unsigned long long)fl);
  // userland's pagewalk on A: a mapped address and an untouched one.
  for (int i = 0; i < 2; i++) {
    char pid[16], addr[32];
    snprintf(pid, sizeof pid, "%d", a);
    snprintf(addr, sizeof addr, "0x%llx", (unsigned long long)(msg[0] + (i == 0 ? 2 * PG + 0x123 : 10 * PG)));
    printf("--- pagewalk %s\n", addr);
    fflush(stdout);
    pid_t w = fork();
    if (w == 0) { execl("/bin/pagewalk", "pagewalk", pid, addr, (char *)0); _exit(127); }
    int st;
    waitpid(w, &st, 0);
    printf("--- pagewalk exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128);
  }
  printf("--- smaps\n");
  snprintf(path, sizeof path, "/proc/%d/smaps", a);
  dump(path);
  printf("--- rollup\n");
  snprintf(path, sizeof path, "/proc/%d/smaps_rollup", a);
  dump(path);
  printf("--- end\n");
  fflush(stdout);
  sync();
  reboot(RB_POWER_OFF);
  return 0;
}
