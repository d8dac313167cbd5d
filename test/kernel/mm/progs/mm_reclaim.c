// Reclaim with no swap: maps /data/big (an initramfs file larger than RAM)
// read-only and sums two words of every page, PASSES times. The page cache
// cannot hold the whole file, so reclaim must drop clean pages (unmapping
// them through the reverse map) and the next pass reads them again. Prints
// each pass's sum, then /proc/vmstat's reclaim counters and /proc/zoneinfo.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void cat(const char *path, const char *const *keys) {
  static char buf[8192];
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("no %s\n", path); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) return;
  buf[n] = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
    for (const char *const *k = keys; *k; k++)
      if (strncmp(line, *k, strlen(*k)) == 0) { printf("%s\n", line); break; }
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 3;
  int fd = open("/data/big", O_RDONLY);
  if (fd < 0) { perror("open"); return 1; }
  struct stat st;
  fstat(fd, &st);
  const uint8_t *m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (m == MAP_FAILED) { perror("mmap"); return 1; }
  for (int p = 0; p < passes; p++) {
    uint64_t sum = 0;
    for (off_t off = 0; off < st.st_size; off += 4096) {
      uint64_t a, b;
      memcpy(&a, m + off, 8);
      memcpy(&b, m + off + 2048, 8);
      sum += a ^ (b * 31);
    }
    printf("pass %d sum %llu\n", p, (unsigned long long)sum);
  }
  static const char *const vm[] = { "pgmajfault ", "pgscan_kswapd ", "pgsteal_kswapd ", "pgscan_direct ", "pgsteal_direct ", "pageoutrun ", "workingset_refault_file ", "oom_kill ", NULL };
  cat("/proc/vmstat", vm);
  static const char *const zi[] = { "  pages free", "        min", "        low", "        high", NULL };
  cat("/proc/zoneinfo", zi);
  printf("mm_reclaim: done\n");
  return 0;
}
