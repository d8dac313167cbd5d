/* A journaling workload for power-cut tests: mounts /dev/ram0 (ext3) on
 * /mnt and runs NOPS seeded random operations. Some files are written once
 * and fsync'ed; after each such fsync returns, a marker record naming the
 * file, its length and its content seed is written to /dev/ram1 and synced.
 * The test records every disk write in order, so a marker tells which
 * prefix of the writes to /dev/ram0 must already hold that file intact.
 * Between them: unsynced churn (create, append, overwrite, truncate, rename,
 * link, symlink, unlink, mkdir, rmdir, chmod) that only has to leave a
 * consistent file system after a cut. Never unmounts: the machine halts.
 * usage: jbdwork SEED NOPS [fsync|sync]   (sync: marker after sync(2) instead of fsync) */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t rng;
static uint32_t rnd(uint32_t n) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return n ? rng % n : 0; }

/* The same bytes as test/kernel/fs/ext2/images.ts pattern(n, seed). */
static void pattern(unsigned char *out, long n, uint32_t seed) {
  uint32_t x = seed ? seed : 1;
  for (long i = 0; i < n; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; out[i] = x & 0xff; }
}

static unsigned char buf[200000];
static int marks, markfd;

static void die(const char *what) { printf("%s: %s\n", what, strerror(errno)); exit(1); }

static void mark(const char *line) {
  char rec[512];
  memset(rec, 0, sizeof rec);
  snprintf(rec, sizeof rec, "%s\n", line);
  if (pwrite(markfd, rec, sizeof rec, (off_t)marks * 512) != sizeof rec) die("marker write");
  if (fsync(markfd) < 0) die("marker fsync");
  marks++;
}

static int writeall(int fd, const unsigned char *p, long n) {
  while (n > 0) { ssize_t w = write(fd, p, n); if (w <= 0) return -1; p += w; n -= w; }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) { printf("usage: jbdwork SEED NOPS [fsync|sync]\n"); return 2; }
  rng = (uint32_t)atoi(argv[1]) * 2654435761u + 1;
  int nops = atoi(argv[2]);
  int usesync = argc > 3 && !strcmp(argv[3], "sync");
  mkdir("/mnt", 0755);
  if (mount("/dev/ram0", "/mnt", "ext3", 0, NULL) < 0) die("mount");
  markfd = open("/dev/ram1", O_WRONLY);
  if (markfd < 0) die("open /dev/ram1");
  for (int d = 0; d < 4; d++) { char p[64]; snprintf(p, sizeof p, "/mnt/d%d", d); mkdir(p, 0755); }
  int synced = 0;
  for (int i = 0; i < nops; i++) {
    char p[128], q[128];
    int op = rnd(100);
    if (op < 25) {
      /* A file written once and made durable. */
      long len = rnd(6) == 0 ? rnd(150000) : rnd(5000);
      uint32_t seed = rnd(1u << 30) + 1;
      snprintf(p, sizeof p, "/mnt/d%d/s%d", (int)rnd(4), i);
      int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
      if (fd < 0) die("create synced");
      pattern(buf, len, seed);
      if (writeall(fd, buf, len) < 0) die("write synced");
      if (usesync) sync(); else if ((i & 1 ? fdatasync(fd) : fsync(fd)) < 0) die("fsync");
      close(fd);
      char line[256];
      snprintf(line, sizeof line, "F %s %ld %u", p + 5, len, seed);
      mark(line);
      synced++;
    } else if (op < 45) {
      snprintf(p, sizeof p, "/mnt/d%d/c%d", (int)rnd(4), (int)rnd(40));
      int fd = open(p, O_CREAT | O_WRONLY | (rnd(2) ? O_APPEND : O_TRUNC), 0644);
      if (fd >= 0) { long len = rnd(3) == 0 ? rnd(60000) : rnd(3000); pattern(buf, len, i + 7); writeall(fd, buf, len); close(fd); }
    } else if (op < 55) {
      snprintf(p, sizeof p, "/mnt/d%d/c%d", (int)rnd(4), (int)rnd(40));
      truncate(p, rnd(20000));
    } else if (op < 65) {
      snprintf(p, sizeof p, "/mnt/d%d/c%d", (int)rnd(4), (int)rnd(40));
      unlink(p);
    } else if (op < 72) {
      snprintf(p, sizeof p, "/mnt/d%d/c%d", (int)rnd(4), (int)rnd(40));
      snprintf(q, sizeof q, "/mnt/d%d/c%d", (int)rnd(4), (int)rnd(40));
      rename(p, q);
    } else if (op < 78) {
      snprintf(p, sizeof p, "/mnt/d%d/c%d", (int)rnd(4), (int)rnd(40));
      snprintf(q, sizeof q, "/mnt/d%d/l%d", (int)rnd(4), (int)rnd(20));
      if (rnd(2)) link(p, q); else symlink(rnd(2) ? "a-short-target" : "a/much/longer/target/that/does/not/fit/in/the/inode/itself/xxxxxxxxxxxxxxxxxxxx", q);
    } else if (op < 84) {
      snprintf(p, sizeof p, "/mnt/d%d/l%d", (int)rnd(4), (int)rnd(20));
      unlink(p);
    } else if (op < 92) {
      snprintf(p, sizeof p, "/mnt/d%d/sub%d", (int)rnd(4), (int)rnd(6));
      if (rnd(2)) mkdir(p, 0755); else rmdir(p);
    } else {
      snprintf(p, sizeof p, "/mnt/d%d/c%d", (int)rnd(4), (int)rnd(40));
      chmod(p, 0600 + rnd(0100));
    }
  }
  printf("done: %d ops, %d synced files, %d markers\n", nops, synced, marks);
  return 0;
}
