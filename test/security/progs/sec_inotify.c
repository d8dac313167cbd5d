/* A hostile reader that never reads: root raises max_queued_events to 10^9
   and makes inotify events with long names in a loop. Queued events are
   charged to the machine's RAM, so the queue ends in IN_Q_OVERFLOW when RAM
   has no room left, not in the host's memory; then the events are read
   back. Also hostile arguments to splice, vmsplice, tee and futex_waitv:
   kernel-half and unmapped pointers, huge lengths. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static char buf[1 << 16];

int main(int argc, char **argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 60000;
  FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "w");
  fprintf(f, "1000000000\n");
  fclose(f);
  mkdir("/tmp/w", 0755);
  int fd = inotify_init1(IN_NONBLOCK);
  inotify_add_watch(fd, "/tmp/w", IN_CREATE | IN_DELETE);
  char name[300];
  memset(name, 0, sizeof name);
  strcpy(name, "/tmp/w/");
  memset(name + 7, 'n', 200);
  for (int i = 0; i < iterations; i++) {
    snprintf(name + 207, 20, "%d", i);
    close(creat(name, 0644));
    unlink(name);
  }
  long events = 0, overflow = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    for (char *p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
      struct inotify_event *e = (struct inotify_event *)p;
      if (e->mask & IN_Q_OVERFLOW) overflow++; else events++;
    }
  }
  printf("events %ld overflow %ld made %d\n", events, overflow, 2 * iterations);
  close(fd);

  int p[2];
  pipe(p);
  write(p[1], "x", 1);
  int tf = open("/tmp/t", O_RDWR | O_CREAT, 0644);
  errno = 0;
  long r = splice(p[0], NULL, tf, (loff_t *)0xffffffc000000000UL, 1, 0);
  printf("splice kernel-half offset: %ld %d\n", r, errno);
  struct iovec iv = { (void *)0xffffffc000000000UL, 4096 };
  errno = 0;
  r = vmsplice(p[1], &iv, 1, 0);
  printf("vmsplice kernel-half buffer: %ld %d\n", r, errno);
  errno = 0;
  r = vmsplice(p[0], &iv, 1, 0);
  printf("vmsplice out to kernel half: %ld %d\n", r, errno);
  errno = 0;
  r = splice(p[0], NULL, tf, NULL, (size_t)-1, 0);
  printf("splice huge len: %ld\n", r);
  struct { uint64_t val, uaddr; uint32_t flags, res; } w[128];
  for (int i = 0; i < 128; i++) { w[i].val = 0; w[i].uaddr = 0xffffffc000000000UL + 4 * i; w[i].flags = 2; w[i].res = 0; }
  errno = 0;
  r = syscall(449, w, 128, 0, NULL, 0);
  printf("futex_waitv kernel-half words: %ld %d\n", r, errno);
  printf("sec_inotify: done\n");
  return 0;
}
