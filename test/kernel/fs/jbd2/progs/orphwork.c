/* Unlinked-but-open files across power cuts (ext3's orphan list): mounts
 * /dev/ram0 (ext3) on /mnt; NFILES times: create a file, write SIZE bytes,
 * fsync it, unlink it while it stays open, then create and fsync a small
 * "kept" file (its fsync commits the unlink too) and write a marker for it
 * to /dev/ram1. Every second unlinked file is closed again after the next
 * round (freeing it), the others stay open until the end. Never unmounts.
 * usage: orphwork NFILES SIZE */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char buf[65536];
static int markfd, marks;

static void die(const char *what) { printf("%s: %s\n", what, strerror(errno)); exit(1); }

static void mark(const char *line) {
  char rec[512];
  memset(rec, 0, sizeof rec);
  snprintf(rec, sizeof rec, "%s\n", line);
  if (pwrite(markfd, rec, sizeof rec, (off_t)marks * 512) != sizeof rec) die("marker write");
  if (fsync(markfd) < 0) die("marker fsync");
  marks++;
}

int main(int argc, char **argv) {
  if (argc < 3) { printf("usage: orphwork NFILES SIZE\n"); return 2; }
  int n = atoi(argv[1]);
  long size = atol(argv[2]);
  mkdir("/mnt", 0755);
  if (mount("/dev/ram0", "/mnt", "ext3", 0, NULL) < 0) die("mount");
  markfd = open("/dev/ram1", O_WRONLY);
  if (markfd < 0) die("open /dev/ram1");
  int fds[256], prev = -1;
  for (int i = 0; i < n && i < 256; i++) {
    char p[64];
    snprintf(p, sizeof p, "/mnt/tmp%d", i);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) die("create");
    memset(buf, 'a' + i % 26, sizeof buf);
    for (long w = 0; w < size; w += sizeof buf) if (write(fd, buf, size - w < (long)sizeof buf ? size - w : (long)sizeof buf) < 0) die("write");
    if (fsync(fd) < 0) die("fsync");
    if (unlink(p) < 0) die("unlink");
    fds[i] = fd;
    if (prev >= 0) { close(fds[prev]); fds[prev] = -1; }
    prev = i % 2 == 0 ? i : -1;
    snprintf(p, sizeof p, "/mnt/keep%d", i);
    int k = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (k < 0 || write(k, p, strlen(p)) < 0 || fsync(k) < 0) die("keep");
    close(k);
    char line[80];
    snprintf(line, sizeof line, "F keep%d %d", i, (int)strlen(p));
    mark(line);
  }
  /* Still open here: the odd files (and the last even one). */
  printf("done: %d files, %d markers\n", n, marks);
  return 0;
}
