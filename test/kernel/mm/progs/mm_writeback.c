/* Dirty file pages written back by reclaim (kernel/mm/reclaim.ts pageOut):
 * maps a file MAP_SHARED that is bigger than the machine's RAM, writes a
 * pattern into every page (the last page also past EOF), and checks it.
 *
 * usage:
 *   mm_writeback map PATH BYTES ROUNDS [DEV]
 *       (DEV: mount it as ext2 on /mnt first, PATH is then under /mnt, and
 *       unmount at the end so that every block is on the disk). Round r
 *       writes pattern r into every page; from round 2 on, each page is
 *       first checked to still hold pattern r-1 (written back by reclaim,
 *       dropped, read again, then dirtied again). Then munmap, and every
 *       byte is checked through read(2); the size must not have changed.
 *   mm_writeback trunc DEV BYTES
 *       dirties every page of /mnt/t, truncates the file to half while the
 *       mapping is dirty, then puts the machine under pressure with a second
 *       mapped file (/mnt/p); the size stays half, and after growing the
 *       file back the second half reads as zeros (nothing written past EOF,
 *       no truncated data comes back).
 *   mm_writeback redirty DEV BYTES [read]
 *       writes /mnt/r through a shared mapping, msyncs it (clean again),
 *       writes it again (no fault: only the PTEs' D bits know), then puts
 *       the machine under pressure; the second pattern must survive.
 *       With "read" the second pattern comes by read(2) from a pipe into
 *       the mapping: the kernel's own stores must set the D bits too.
 *   mm_writeback read DEV PATH
 *       mounts DEV read-only and checks PATH (pattern 1) twice through a
 *       shared read-only mapping: clean pages dropped and read again.
 *   mm_writeback ro DEV
 *       mounts DEV read-only: no way to get a shared writable mapping.
 * Prints /proc/vmstat's reclaim counters, vda's writes and merged writes
 * (/proc/diskstats) and "mm_writeback: ok".  */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static uint32_t val(uint64_t i, uint32_t r) { return ((uint32_t)i ^ (r * 0x01000193u)) * 2654435761u ^ r; }

static void cat(const char *path, const char *const *keys) {
  static char buf[16384];
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("no %s: %s\n", path, strerror(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) return;
  buf[n] = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
    for (const char *const *k = keys; *k; k++)
      if (strncmp(line, *k, strlen(*k)) == 0) { printf("%s\n", line); break; }
}

static void counters(void) {
  static const char *const vm[] = { "nr_vmscan_write ", "pgsteal_file ", "nr_dirty ", "nr_writeback ", "oom_kill ", "workingset_refault_file ", NULL };
  cat("/proc/vmstat", vm);
  static const char *const mi[] = { "Dirty:", "Writeback:", NULL };
  cat("/proc/meminfo", mi);
  // vda's line of /proc/diskstats: "major minor vda reads rmerged rsectors rms writes wmerged ...".
  static char buf[8192];
  int fd = open("/proc/diskstats", O_RDONLY);
  if (fd < 0) return;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) return;
  buf[n] = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    unsigned maj, min, reads, rmerged, rsect, rms, writes, wmerged;
    char name[32];
    if (sscanf(line, "%u %u %31s %u %u %u %u %u %u", &maj, &min, name, &reads, &rmerged, &rsect, &rms, &writes, &wmerged) == 9 && strcmp(name, "vda") == 0)
      printf("vda_writes %u\nvda_writes_merged %u\n", writes, wmerged);
  }
}

static void die(const char *what) { printf("FAIL %s: %s\n", what, strerror(errno)); exit(1); }

static void mountExt2(const char *dev, unsigned long flags) {
  mkdir("/mnt", 0755);
  if (mount(dev, "/mnt", "ext2", flags, NULL) < 0) die("mount");
}

/* Every byte of [0, size) through read(2): pattern r (zeros from `zeroFrom` on). */
static int checkRead(int fd, uint64_t size, uint32_t r, uint64_t zeroFrom) {
  static uint32_t buf[16384];
  uint64_t off = 0;
  int bad = 0;
  while (off < size) {
    ssize_t n = pread(fd, buf, sizeof buf, off);
    if (n <= 0) { printf("FAIL pread at %llu: %zd\n", (unsigned long long)off, n); return 1; }
    const uint8_t *b = (const uint8_t *)buf;
    for (ssize_t j = 0; j < n; j++) {
      uint64_t p = off + j;
      uint32_t w = val(p / 4, r);
      uint8_t want = p >= zeroFrom ? 0 : (uint8_t)(w >> (8 * (p % 4)));
      if (b[j] != want) {
        if (bad++ < 5) printf("FAIL byte %llu: %u, want %u\n", (unsigned long long)p, b[j], want);
      }
    }
    off += n;
  }
  return bad != 0;
}

static int mapTest(const char *path, uint64_t size, int rounds) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("open");
  if (ftruncate(fd, size) < 0) die("ftruncate");
  uint64_t len = (size + PAGE - 1) / PAGE * PAGE;
  uint32_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) die("mmap");
  uint64_t words = len / 4, bad = 0;
  for (int r = 1; r <= rounds; r++) {
    for (uint64_t i = 0; i < words; i++) {
      // The first word of a page: before writing round r, the page must hold round r-1 (or zeros).
      if (i % (PAGE / 4) == 0 && r > 1) {
        for (uint64_t j = i; j < i + PAGE / 4; j++) {
          uint32_t want = val(j, r - 1);
          // Past EOF (the last page's tail): the store stays while the page does; written back, it is not kept (zeros).
          if (j * 4 >= size && m[j] == 0) continue;
          if (m[j] != want && bad++ < 5) printf("FAIL round %d word %llu: %08x, want %08x\n", r, (unsigned long long)j, m[j], want);
        }
      }
      m[i] = val(i, r);
    }
    printf("round %d written\n", r);
  }
  counters();
  if (munmap(m, len) < 0) die("munmap");
  struct stat st;
  fstat(fd, &st);
  printf("size %lld\n", (long long)st.st_size);
  if ((uint64_t)st.st_size != size) { printf("FAIL size changed\n"); bad++; }
  if (checkRead(fd, size, rounds, size)) bad++;
  close(fd);
  return bad != 0;
}

static int truncTest(uint64_t size) {
  int fd = open("/mnt/t", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("open");
  if (ftruncate(fd, size) < 0) die("ftruncate");
  uint32_t *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) die("mmap");
  for (uint64_t i = 0; i < size / 4; i++) m[i] = val(i, 7);
  uint64_t half = size / 2 + 100; // not on a page boundary: the tail of its page is cut too
  if (ftruncate(fd, half) < 0) die("ftruncate half");
  // Pressure: a second file as big as the first, dirtied twice, so that reclaim writes back the first one's pages.
  int p = open("/mnt/p", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (p < 0) die("open p");
  if (ftruncate(p, size) < 0) die("ftruncate p");
  uint32_t *q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, p, 0);
  if (q == MAP_FAILED) die("mmap p");
  for (int r = 0; r < 2; r++) for (uint64_t i = 0; i < size / 4; i++) q[i] = val(i, 9 + r);
  counters();
  struct stat st;
  fstat(fd, &st);
  printf("size after pressure %lld\n", (long long)st.st_size);
  int bad = (uint64_t)st.st_size != half;
  munmap(q, size);
  close(p);
  munmap(m, size);
  fstat(fd, &st);
  printf("size after munmap %lld\n", (long long)st.st_size);
  bad |= (uint64_t)st.st_size != half;
  if (ftruncate(fd, size) < 0) die("ftruncate back");
  bad |= checkRead(fd, size, 7, half);
  close(fd);
  return bad;
}

/* The re-dirty race: pages written back by msync (clean again: FF_DIRTY and
 * the PTEs' D bits cleared, the mapping still writable) are stored to again
 * without a fault - only the D bit the page-table walk sets says so. Reclaim
 * must see it and write them again, not drop them as clean. */
/* The second pattern through read(2) from a pipe a child writes it into:
 * the kernel stores into the mapped pages (a copyout from the pipe's ring,
 * or the writer's hand-off straight into the sleeping reader's buffer), as
 * the MMU would - so the PTEs' D bits must say so. */
static void fillByRead(uint32_t *m, uint64_t size, int pat) {
  int pp[2];
  if (pipe(pp) < 0) die("pipe");
  pid_t c = fork();
  if (c < 0) die("fork");
  if (c == 0) {
    close(pp[0]);
    static uint32_t chunk[16384];
    for (uint64_t at = 0; at < size / 4; at += 16384) {
      for (int j = 0; j < 16384; j++) chunk[j] = val(at + j, pat);
      uint64_t left = (size / 4 - at < 16384 ? size / 4 - at : 16384) * 4;
      const char *b = (const char *)chunk;
      while (left > 0) { ssize_t n = write(pp[1], b, left); if (n <= 0) _exit(1); b += n; left -= n; }
    }
    _exit(0);
  }
  close(pp[1]);
  char *dst = (char *)m;
  for (uint64_t got = 0; got < size;) {
    ssize_t n = read(pp[0], dst + got, size - got);
    if (n <= 0) die("read pipe");
    got += n;
  }
  close(pp[0]);
  int st;
  waitpid(c, &st, 0);
}

static int redirtyTest(uint64_t size, int byRead) {
  int fd = open("/mnt/r", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("open");
  if (ftruncate(fd, size) < 0) die("ftruncate");
  uint32_t *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) die("mmap");
  for (uint64_t i = 0; i < size / 4; i++) m[i] = val(i, 1);
  if (msync(m, size, MS_SYNC) < 0) die("msync");
  if (byRead) fillByRead(m, size, 2);
  else for (uint64_t i = 0; i < size / 4; i++) m[i] = val(i, 2);
  // Pressure: another file bigger than the rest of RAM, dirtied twice.
  uint64_t psize = 12 << 20;
  int p = open("/mnt/p", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (p < 0) die("open p");
  if (ftruncate(p, psize) < 0) die("ftruncate p");
  uint32_t *q = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED, p, 0);
  if (q == MAP_FAILED) die("mmap p");
  for (int r = 0; r < 2; r++) for (uint64_t i = 0; i < psize / 4; i++) q[i] = val(i, 9 + r);
  munmap(q, psize);
  close(p);
  counters();
  uint64_t bad = 0;
  for (uint64_t i = 0; i < size / 4; i++) if (m[i] != val(i, 2) && bad++ < 5) printf("FAIL mapped word %llu: %08x, want %08x\n", (unsigned long long)i, m[i], val(i, 2));
  munmap(m, size);
  if (checkRead(fd, size, 2, size)) bad++;
  close(fd);
  return bad != 0;
}

/* Clean pages only: a file bigger than RAM, mapped read-only and checked
 * twice; reclaim drops its pages and the faults read them again. */
static int readTest(const char *path, int passes) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) die("open");
  struct stat st;
  fstat(fd, &st);
  const uint32_t *m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) die("mmap");
  uint64_t bad = 0;
  for (int p = 0; p < passes; p++)
    for (uint64_t i = 0; i < (uint64_t)st.st_size / 4; i++)
      if (m[i] != val(i, 1) && bad++ < 5) printf("FAIL pass %d word %llu: %08x, want %08x\n", p, (unsigned long long)i, m[i], val(i, 1));
  counters();
  close(fd);
  return bad != 0;
}

static int roTest(void) {
  int bad = 0;
  int fd = open("/mnt/f", O_RDWR);
  printf("open O_RDWR: %s\n", fd < 0 ? strerror(errno) : "ok");
  bad |= !(fd < 0 && errno == EROFS);
  fd = open("/mnt/f", O_RDONLY);
  if (fd < 0) die("open ro");
  void *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  printf("mmap shared writable: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
  bad |= !(m == MAP_FAILED && errno == EACCES);
  m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) die("mmap shared read-only");
  int r = mprotect(m, PAGE, PROT_READ | PROT_WRITE);
  printf("mprotect to writable: %s\n", r < 0 ? strerror(errno) : "allowed");
  bad |= !(r < 0 && errno == EACCES);
  // A private writable mapping is fine: its stores never reach the file.
  char *pm = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (pm == MAP_FAILED) die("mmap private");
  pm[0] = 'X';
  char c;
  pread(fd, &c, 1, 0);
  printf("file byte 0 after a private store: %c\n", c);
  bad |= c != 'r';
  close(fd);
  return bad;
}

int main(int argc, char **argv) {
  if (argc < 3) { printf("usage\n"); return 2; }
  int bad;
  if (strcmp(argv[1], "map") == 0 && argc >= 5) {
    if (argc > 5) mountExt2(argv[5], 0);
    bad = mapTest(argv[2], strtoull(argv[3], NULL, 0), atoi(argv[4]));
    if (argc > 5 && umount("/mnt") < 0) die("umount");
  } else if (strcmp(argv[1], "trunc") == 0 && argc >= 4) {
    mountExt2(argv[2], 0);
    bad = truncTest(strtoull(argv[3], NULL, 0));
    if (umount("/mnt") < 0) die("umount");
  } else if (strcmp(argv[1], "redirty") == 0 && argc >= 4) {
    mountExt2(argv[2], 0);
    bad = redirtyTest(strtoull(argv[3], NULL, 0), argc >= 5 && strcmp(argv[4], "read") == 0);
    if (umount("/mnt") < 0) die("umount");
  } else if (strcmp(argv[1], "read") == 0 && argc >= 4) {
    mountExt2(argv[2], MS_RDONLY);
    bad = readTest(argv[3], 2);
    if (umount("/mnt") < 0) die("umount");
  } else if (strcmp(argv[1], "ro") == 0) {
    mountExt2(argv[2], MS_RDONLY);
    bad = roTest();
    if (umount("/mnt") < 0) die("umount");
  } else { printf("usage\n"); return 2; }
  if (bad) { printf("mm_writeback: FAILED\n"); return 1; }
  printf("mm_writeback: ok\n");
  return 0;
}
