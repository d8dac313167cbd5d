// Block device files from user space: sizes and geometry by ioctl, reads
// and writes at the edges of a partition, errors as Linux gives them, and
// hostile arguments (bad pointers, huge offsets and lengths, unknown
// ioctls) that must fail cleanly. Prints one "name=value" line per check;
// test/kernel/block/*.test.ts and test/security/block.test.ts compare them.
// Usage: blkio DEV MODE   (MODE: info | edges | hostile | rrpart | eio SECTOR)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/hdreg.h>

static void res(const char *name, long r) {
  if (r < 0) printf("%s=%s\n", name, strerrorname_np(errno));
  else printf("%s=%ld\n", name, r);
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *dev = argv[1], *mode = argv[2];
  int fd = open(dev, O_RDWR);
  res("open", fd < 0 ? -1 : 0);
  if (fd < 0) return 1;
  static char buf[1 << 16];
  if (strcmp(mode, "info") == 0) {
    uint64_t bytes = 0; unsigned long sectors = 0; int ssz = 0, ro = -1, bsz = 0;
    struct hd_geometry g;
    memset(&g, 0, sizeof g);
    res("BLKGETSIZE64", ioctl(fd, BLKGETSIZE64, &bytes)); printf("bytes=%llu\n", (unsigned long long)bytes);
    res("BLKGETSIZE", ioctl(fd, BLKGETSIZE, &sectors)); printf("sectors=%lu\n", sectors);
    res("BLKSSZGET", ioctl(fd, BLKSSZGET, &ssz)); printf("ssz=%d\n", ssz);
    res("BLKBSZGET", ioctl(fd, BLKBSZGET, &bsz)); printf("bsz=%d\n", bsz);
    res("BLKROGET", ioctl(fd, BLKROGET, &ro)); printf("ro=%d\n", ro);
    res("HDIO_GETGEO", ioctl(fd, HDIO_GETGEO, &g)); printf("geo=%u/%u/%u start=%lu\n", g.heads, g.sectors, g.cylinders, g.start);
    res("seek_end", lseek(fd, 0, SEEK_END));
    res("fsync", fsync(fd));
    res("fdatasync", fdatasync(fd));
    res("BLKFLSBUF", ioctl(fd, BLKFLSBUF, 0));
    res("unknown_ioctl", ioctl(fd, 0x1234, 0));
  } else if (strcmp(mode, "edges") == 0) {
    off_t end = lseek(fd, 0, SEEK_END);
    res("read_at_end", pread(fd, buf, 512, end));
    res("read_past_end", pread(fd, buf, 512, end + 4096));
    res("read_across_end", pread(fd, buf, 4096, end - 1000));
    res("write_at_end", pwrite(fd, buf, 512, end));
    memset(buf, 'E', sizeof buf);
    res("write_across_end", pwrite(fd, buf, 4096, end - 100));
    res("write_odd", pwrite(fd, "odd", 3, 1001));
    res("read_odd", pread(fd, buf, 5, 1000));
    printf("odd_bytes=%02x%02x%02x%02x%02x\n", (unsigned char)buf[0], (unsigned char)buf[1], (unsigned char)buf[2], (unsigned char)buf[3], (unsigned char)buf[4]);
    res("seek_negative", lseek(fd, -1, SEEK_SET));
    res("seek_to_end", lseek(fd, end, SEEK_SET) == end ? 0 : -1);
    res("seek_past_end", lseek(fd, end + 512, SEEK_SET));
    res("seek_cur_past_end", lseek(fd, 1, SEEK_END));
    res("fsync", fsync(fd));
  } else if (strcmp(mode, "ro") == 0) {
    res("write_ro", write(fd, "x", 1));
  } else if (strcmp(mode, "hostile") == 0) {
    res("getsize64_badptr", ioctl(fd, BLKGETSIZE64, (void *)16));
    res("getgeo_badptr", ioctl(fd, HDIO_GETGEO, (void *)0xffffffffffff0000UL));
    res("getsize_kernelptr", ioctl(fd, BLKGETSIZE, (void *)0x80000000UL));
    void *volatile badp = (void *)8; // volatile: the compiler must not see through it
    res("read_badptr", pread(fd, badp, 4096, 0));
    res("write_badptr", pwrite(fd, badp, 4096, 0));
    res("read_huge_offset", pread(fd, buf, 512, 0x7ffffffffffff000LL));
    res("write_huge_offset", pwrite(fd, buf, 512, 0x7ffffffffffff000LL));
    res("seek_huge", lseek(fd, 0x7ffffffffffff000LL, SEEK_SET));
    res("read_after_huge_seek", read(fd, buf, 512));
    res("seek_end_overflow", lseek(fd, 0x7fffffffffffffffLL, SEEK_END));
    res("seek_bad_whence", lseek(fd, 0, 17));
    long bad = 0;
    for (unsigned long cmd = 0x1200; cmd < 0x1300; cmd++) if (ioctl(fd, cmd, (void *)8) == 0) bad++;
    printf("ioctls_0x12xx_succeeding_on_bad_pointer=%ld\n", bad);
    void *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    res("mmap", map == MAP_FAILED ? -1 : 0);
    res("big_read", pread(fd, buf, sizeof buf, 0));
    lseek(fd, 0, SEEK_SET);
    res("read_after", read(fd, buf, 16));
  } else if (strcmp(mode, "rrpart") == 0) {
    res("BLKRRPART", ioctl(fd, BLKRRPART, 0));
  } else if (strcmp(mode, "eio") == 0) {
    long sector = argc > 3 ? atol(argv[3]) : 0;
    res("read_bad", pread(fd, buf, 512, sector * 512));
    res("read_bad_again", pread(fd, buf, 512, sector * 512));
    res("read_good", pread(fd, buf, 512, 0));
  }
  printf("done\n");
  return 0;
}
