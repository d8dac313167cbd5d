/* Many names in two directories of an ext2 file system (from DEV), changed
 * in random orders - create, create of an existing name, unlink, rename in
 * one directory and across, rename over an existing name, hard links - with
 * lookups of the touched names and of random others after every step,
 * checked against a model kept here (each name's inode number, or absent).
 * Names of every length make records split and merge across many blocks.
 * This is what the ext2 directory name index (kernel/fs/ext2/dir.ts) must
 * survive: a stale index would find a removed name, miss a live one, or put
 * a new entry where there is no room. After the workload the listings
 * (readdir) must equal the model, and again after an unmount and a new
 * mount (every lookup then reads the disk). Prints "L dir/name ino" lines
 * for the host to compare with debugfs.
 *   usage: dirindex DEV SEED OPS
 *          dirindex DEV cost N   (buffer-cache lookups per create and per
 *                                 stat of N files in one directory)  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define NNAME 700
static const char *dirs[2] = { "/mnt/d", "/mnt/e" };
struct slot { char name[80]; int dir; unsigned long ino; }; /* ino 0: absent */
static struct slot s[NNAME];
static int failures;
static uint64_t rs;
static uint32_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return (uint32_t)(rs >> 11); }
#define FAIL(...) do { printf("FAIL: " __VA_ARGS__); printf("\n"); if (++failures > 20) exit(1); } while (0)

static const char *dev;
static void mnt(void) { if (mount(dev, "/mnt", "ext2", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); exit(1); } }
static void unmnt(void) { if (umount("/mnt") < 0) { printf("umount: %s\n", strerror(errno)); exit(1); } }
static void path(char *p, int i) { snprintf(p, 200, "%s/%s", dirs[s[i].dir], s[i].name); }

/* Look name i up and compare with the model. */
static void check(int i, const char *when) {
  char p[200]; struct stat st;
  path(p, i);
  int r = lstat(p, &st);
  if (s[i].ino == 0 && r == 0) FAIL("%s: %s exists (ino %lu) but was removed", when, p, (unsigned long)st.st_ino);
  else if (s[i].ino == 0 && errno != ENOENT) FAIL("%s: %s: %s, want ENOENT", when, p, strerror(errno));
  else if (s[i].ino != 0 && r != 0) FAIL("%s: %s: %s, want inode %lu", when, p, strerror(errno), s[i].ino);
  else if (s[i].ino != 0 && st.st_ino != s[i].ino) FAIL("%s: %s is inode %lu, want %lu", when, p, (unsigned long)st.st_ino, s[i].ino);
}

static void listing(const char *when) {
  for (int d = 0; d < 2; d++) {
    int seen[NNAME] = { 0 }, n = 0;
    DIR *dp = opendir(dirs[d]);
    if (!dp) { FAIL("%s: opendir %s: %s", when, dirs[d], strerror(errno)); continue; }
    struct dirent *e;
    while ((e = readdir(dp))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      int i;
      for (i = 0; i < NNAME; i++) if (s[i].dir == d && !strcmp(s[i].name, e->d_name)) break;
      if (i == NNAME || s[i].ino == 0) FAIL("%s: readdir %s shows %s, not in the model", when, dirs[d], e->d_name);
      else if (seen[i]++) FAIL("%s: readdir %s shows %s twice", when, dirs[d], e->d_name);
      else if (e->d_ino != s[i].ino) FAIL("%s: readdir %s: %s is inode %lu, want %lu", when, dirs[d], e->d_name, (unsigned long)e->d_ino, s[i].ino);
      n++;
    }
    closedir(dp);
    int want = 0;
    for (int i = 0; i < NNAME; i++) if (s[i].dir == d && s[i].ino) want++;
    if (n != want) FAIL("%s: readdir %s has %d names, the model %d", when, dirs[d], n, want);
  }
  for (int i = 0; i < NNAME; i++) check(i, when);
}

static long bclookups(void) {
  FILE *f = fopen("/proc/tsix/buffercache", "r");
  if (!f) { printf("/proc/tsix/buffercache: %s\n", strerror(errno)); exit(1); }
  char k[64]; long v, sum = 0;
  while (fscanf(f, "%63s %ld", k, &v) == 2) if (!strcmp(k, "hits") || !strcmp(k, "misses")) sum += v;
  fclose(f);
  return sum;
}

static int cost(int n) {
  mkdir("/proc", 0755);
  if (mount("proc", "/proc", "proc", 0, NULL) < 0) { printf("mount proc: %s\n", strerror(errno)); return 1; }
  mnt();
  if (mkdir("/mnt/m", 0755) < 0) { printf("mkdir: %s\n", strerror(errno)); return 1; }
  char p[64]; struct stat st;
  long a = bclookups();
  for (int i = 0; i < n; i++) {
    snprintf(p, sizeof p, "/mnt/m/file-%06d", i);
    int fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0) { printf("create %s: %s\n", p, strerror(errno)); return 1; }
    close(fd);
  }
  long b = bclookups();
  for (int i = 0; i < n; i++) {
    snprintf(p, sizeof p, "/mnt/m/file-%06d", i);
    if (stat(p, &st) < 0) { printf("stat %s: %s\n", p, strerror(errno)); return 1; }
  }
  long c = bclookups();
  printf("create %ld stat %ld buffer-cache lookups per file\n", (b - a) / n, (c - b) / n);
  unmnt();
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 4) { printf("usage: dirindex DEV SEED OPS | DEV cost N\n"); return 2; }
  dev = argv[1];
  mkdir("/mnt", 0755);
  if (!strcmp(argv[2], "cost")) return cost(atoi(argv[3]));
  rs = strtoull(argv[2], NULL, 10) * 2654435761u + 1;
  int ops = atoi(argv[3]);
  mnt();
  mkdir(dirs[0], 0755);
  mkdir(dirs[1], 0755);
  for (int i = 0; i < NNAME; i++) {
    int len = 1 + (int)(rnd() % 60);
    int o = snprintf(s[i].name, sizeof s[i].name, "%d-", i);
    for (int j = o; j < len; j++) s[i].name[j] = 'a' + (char)(rnd() % 26);
    if (len < o) len = o;
    s[i].name[len] = 0;
    s[i].dir = (int)(rnd() % 2);
  }
  char p[200], q[200];
  for (int n = 0; n < ops; n++) {
    int i = (int)(rnd() % NNAME), j = (int)(rnd() % NNAME), op = (int)(rnd() % 10);
    path(p, i);
    if (op < 4) { /* create */
      int fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);
      if (s[i].ino) { if (fd >= 0 || errno != EEXIST) FAIL("create %s over an existing name: %d %s", p, fd, strerror(errno)); }
      else if (fd < 0) FAIL("create %s: %s", p, strerror(errno));
      else { struct stat st; fstat(fd, &st); s[i].ino = st.st_ino; }
      if (fd >= 0) close(fd);
    } else if (op < 6) { /* unlink */
      int r = unlink(p);
      if (s[i].ino) { if (r < 0) FAIL("unlink %s: %s", p, strerror(errno)); else s[i].ino = 0; }
      else if (r == 0 || errno != ENOENT) FAIL("unlink of absent %s: %d %s", p, r, strerror(errno));
    } else if (op < 9) { /* rename i -> j (maybe over j, maybe to the other directory) */
      if (i == j) continue;
      if (rnd() % 2 == 0 && s[j].ino == 0) s[j].dir = s[i].dir; /* an absent name may live in either directory */
      path(q, j);
      int r = rename(p, q);
      if (!s[i].ino) { if (r == 0 || errno != ENOENT) FAIL("rename of absent %s: %d %s", p, r, strerror(errno)); }
      else if (r < 0) FAIL("rename %s %s: %s", p, q, strerror(errno));
      else { s[j].ino = s[i].ino; s[i].ino = 0; }
      check(j, "after rename");
    } else { /* hard link i -> j */
      if (i == j) continue;
      path(q, j);
      int r = link(p, q);
      if (!s[i].ino) { if (r == 0 || errno != ENOENT) FAIL("link of absent %s: %d %s", p, r, strerror(errno)); }
      else if (s[j].ino) { if (r == 0 || errno != EEXIST) FAIL("link over existing %s: %d %s", q, r, strerror(errno)); }
      else if (r < 0) FAIL("link %s %s: %s", p, q, strerror(errno));
      else s[j].ino = s[i].ino;
      check(j, "after link");
    }
    check(i, "after op");
    check((int)(rnd() % NNAME), "random lookup");
  }
  listing("after the workload");
  unmnt();
  mnt();
  listing("after a remount");
  int live = 0;
  for (int i = 0; i < NNAME; i++) if (s[i].ino) { live++; printf("L %s/%s %lu\n", s[i].dir ? "e" : "d", s[i].name, s[i].ino); }
  unmnt();
  printf("%d names live; %s\n", live, failures ? "model FAILED" : "model ok");
  return failures ? 1 : 0;
}
