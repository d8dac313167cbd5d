/* A randomized file workload for FAT (fixed seed): creates, overwrites,
 * appends, truncates (down and up), renames (across directories, over
 * files), unlinks (also while open), mkdir/rmdir, long and mixed-case
 * names, many small files and a big file. Names are distinct without regard
 * to case, so the same program gives the same tree on a case-sensitive
 * host directory (run under qemu-riscv64: the model) and on FAT inside tsix.
 * Prints one line per operation kind with a checksum of the results.
 * usage: fatwork [-m [DEV]] DIR SEED OPS   (-m: mount DEV, default /dev/ram0, on DIR as vfat first, unmount at the end) */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t rs;
static unsigned rnd(unsigned n) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return (unsigned)(rs % n); }

static const char *dirs[] = {".", "d1", "Sub Dir Two", "d1/nested", "many"};
#define NDIRS 5
static void name_of(char *out, size_t n, int d, int i) {
  static const char *fmt[] = {"f%d.txt", "UP%d.DAT", "Mixed%dCase.Bin", "a long name number %d with spaces.data", "x%d",
                              "dots.%d.in.name.tar", "very-long-name-%d-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
  char base[300];
  snprintf(base, sizeof base, fmt[i % 7], i / 7);
  snprintf(out, n, "%s/%s", dirs[d], base);
}

static unsigned char buf[1 << 16];
static void fill(unsigned len, unsigned seed) {
  uint32_t x = seed * 2654435761u + 1;
  for (unsigned i = 0; i < len; i++) { x = x * 1103515245u + 12345u; buf[i] = (unsigned char)(x >> 16); }
}

static uint64_t sums[12];
static unsigned counts[12];
static void note(int kind, long r) {
  counts[kind]++;
  sums[kind] = sums[kind] * 31 + (uint64_t)(r < 0 ? 1000 + errno : r);
}

int main(int argc, char **argv) {
  int mnt = 0;
  const char *dev = "/dev/ram0";
  if (argc > 1 && !strcmp(argv[1], "-m")) { mnt = 1; argv++; argc--; }
  if (mnt && argc > 1 && !strncmp(argv[1], "/dev/", 5)) { dev = argv[1]; argv++; argc--; }
  if (argc < 4) { fprintf(stderr, "usage: fatwork [-m] DIR SEED OPS\n"); return 2; }
  const char *dir = argv[1];
  rs = strtoull(argv[2], 0, 0) * 0x9E3779B97F4A7C15ULL + 1;
  int ops = atoi(argv[3]);
  if (mnt) {
    mkdir(dir, 0755);
    if (mount(dev, dir, "vfat", 0, "umask=022") < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
  }
  if (chdir(dir) < 0) { printf("chdir: %s\n", strerror(errno)); return 1; }
  for (int d = 1; d < NDIRS; d++) mkdir(dirs[d], 0755);
  /* A big file, written in 64 KiB pieces. */
  int fd = open("big.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  for (unsigned off = 0; off < (3u << 20) + 123; off += sizeof buf) {
    unsigned n = (3u << 20) + 123 - off < sizeof buf ? (3u << 20) + 123 - off : sizeof buf;
    fill(n, off);
    if (write(fd, buf, n) != (ssize_t)n) { printf("big write: %s\n", strerror(errno)); return 1; }
  }
  close(fd);
  char a[512], b[512];
  for (int op = 0; op < ops; op++) {
    int kind = rnd(12);
    name_of(a, sizeof a, rnd(NDIRS), rnd(28));
    struct stat st;
    long size = stat(a, &st) == 0 ? st.st_size : 0;
    switch (kind) {
      case 0: case 1: case 2: { /* overwrite somewhere in or just past the file */
        fd = open(a, O_CREAT | O_WRONLY, 0644);
        if (fd < 0) { note(kind, -1); break; }
        unsigned len = rnd(9000), off = rnd((unsigned)size + 3000);
        fill(len, op);
        note(kind, pwrite(fd, buf, len, off));
        close(fd);
        break;
      }
      case 3: { /* append */
        fd = open(a, O_CREAT | O_WRONLY | O_APPEND, 0644);
        if (fd < 0) { note(kind, -1); break; }
        unsigned len = rnd(5000);
        fill(len, op + 7);
        note(kind, write(fd, buf, len));
        close(fd);
        break;
      }
      case 4: note(kind, truncate(a, rnd((unsigned)size * 3 / 2 + 5000))); break;
      case 5: name_of(b, sizeof b, rnd(NDIRS), rnd(28)); note(kind, rename(a, b)); break;
      case 6: note(kind, unlink(a)); break;
      case 7: { snprintf(b, sizeof b, "%s/dir %u", dirs[rnd(NDIRS)], rnd(6)); note(kind, mkdir(b, 0755)); break; }
      case 8: { snprintf(b, sizeof b, "%s/dir %u", dirs[rnd(NDIRS)], rnd(6)); note(kind, rmdir(b)); break; }
      case 9: { /* many small files */
        for (int i = 0; i < 30; i++) {
          snprintf(b, sizeof b, "many/small-file-%03u", rnd(400));
          fd = open(b, O_CREAT | O_WRONLY | O_TRUNC, 0644);
          if (fd < 0) { note(kind, -1); continue; }
          fill(rnd(300), op * 100 + i);
          note(kind, write(fd, buf, rnd(300)));
          close(fd);
        }
        break;
      }
      case 10: { /* unlink while open: the data stays readable until close */
        fd = open(a, O_CREAT | O_RDWR, 0644);
        if (fd < 0) { note(kind, -1); break; }
        fill(6000, op);
        write(fd, buf, 6000);
        note(kind, unlink(a));
        unsigned char c[6000];
        note(kind, pread(fd, c, sizeof c, 0));
        note(kind, memcmp(c, buf, 6000) == 0);
        close(fd);
        break;
      }
      case 11: { /* rename a directory somewhere else */
        snprintf(a, sizeof a, "%s/dir %u", dirs[rnd(NDIRS)], rnd(6));
        snprintf(b, sizeof b, "%s/dir %u", dirs[rnd(NDIRS)], rnd(6));
        note(kind, rename(a, b));
        break;
      }
    }
  }
  for (int i = 0; i < 12; i++) printf("kind %d: %u ops, sum %016llx\n", i, counts[i], (unsigned long long)sums[i]);
  if (mnt) {
    if (chdir("/") < 0 || umount(dir) < 0) { printf("umount: %s\n", strerror(errno)); return 1; }
    printf("umount ok\n");
  }
  return 0;
}
