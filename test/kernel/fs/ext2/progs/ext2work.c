/* A randomized workload on an ext2 file system mounted from /dev/ram0, checked
 * against a model kept here (each inode's bytes, each name's inode): create,
 * write, append, pwrite past the end (holes), truncate down and up, rename
 * (across directories, over existing names), hard links, symlinks (fast and
 * slow), unlink of open files, mkdir/rmdir, chmod/chown, big files across the
 * indirect levels, many small files. After the workload, and again after an
 * unmount and a new mount, every name is compared with the model. Finally it
 * lists every file with a hash for the host to compare with debugfs.
 * usage: ext2work [/dev/DEV] SEED OPS   (default /dev/ram0)
 *        ext2work [/dev/DEV] list     (list only)
 *        ext2work SEED OPS       (prints "model ok" lines; exit 0 = all good)
 *        ext2work fill           (ENOSPC for blocks and for inodes)  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOBJ 48
#define NNAME 96
#define MAXSZ (6 << 20)

static uint64_t rs;
static uint32_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return (uint32_t)(rs >> 11); }

struct obj { int used; unsigned char *data; long size; int nlink; int mode; };
struct name { int used; char path[128]; int obj; };
static struct obj objs[NOBJ];
static struct name names[NNAME];
static int failures;

#define FAIL(...) do { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } while (0)

static const char *dev = "/dev/ram0";
static void mnt(void) {
  if (mount(dev, "/mnt", "ext2", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); exit(1); }
}
static void unmnt(void) {
  if (umount("/mnt") < 0) { printf("umount: %s\n", strerror(errno)); exit(1); }
}

static const char *dirs[] = { "/mnt/a", "/mnt/b", "/mnt/b/c", "/mnt/many" };

static int newobj(void) { for (int i = 0; i < NOBJ; i++) if (!objs[i].used) return i; return -1; }
static int freename(void) { for (int i = 0; i < NNAME; i++) if (!names[i].used) return i; return -1; }
static int pickname(void) {
  int n = 0, c[NNAME];
  for (int i = 0; i < NNAME; i++) if (names[i].used) c[n++] = i;
  return n ? c[rnd() % n] : -1;
}
static void grow(struct obj *o, long sz) {
  if (sz > o->size) { o->data = realloc(o->data, sz); memset(o->data + o->size, 0, sz - o->size); }
  o->size = sz;
}
static void fillpat(unsigned char *p, long n, uint32_t seed) { for (long i = 0; i < n; i++) { seed = seed * 1103515245 + 12345; p[i] = seed >> 16; } }
static int exists(const char *p) { for (int i = 0; i < NNAME; i++) if (names[i].used && !strcmp(names[i].path, p)) return i; return -1; }

static void drop(int n) {
  struct obj *o = &objs[names[n].obj];
  names[n].used = 0;
  if (--o->nlink == 0) { free(o->data); memset(o, 0, sizeof *o); }
}

static void check_one(int n) {
  struct obj *o = &objs[names[n].obj];
  struct stat st;
  if (lstat(names[n].path, &st) < 0) { FAIL("stat %s: %s", names[n].path, strerror(errno)); return; }
  if (st.st_size != o->size) FAIL("%s: size %lld, model %ld", names[n].path, (long long)st.st_size, o->size);
  if ((int)st.st_nlink != o->nlink) FAIL("%s: nlink %d, model %d", names[n].path, (int)st.st_nlink, o->nlink);
  if ((st.st_mode & 07777) != o->mode) FAIL("%s: mode %o, model %o", names[n].path, st.st_mode & 07777, o->mode);
  int fd = open(names[n].path, O_RDONLY);
  if (fd < 0) { FAIL("open %s: %s", names[n].path, strerror(errno)); return; }
  unsigned char *buf = malloc(o->size + 1);
  long got = 0;
  for (;;) { ssize_t r = read(fd, buf + got, o->size + 1 - got); if (r <= 0) break; got += r; }
  close(fd);
  if (got != o->size || memcmp(buf, o->data, o->size)) FAIL("%s: contents differ (read %ld of %ld)", names[n].path, got, o->size);
  free(buf);
}

static void check_all(const char *when) {
  int before = failures, count = 0;
  for (int i = 0; i < NNAME; i++) if (names[i].used) { check_one(i); count++; }
  printf("%s model %s (%d names)\n", when, failures == before ? "ok" : "BAD", count);
}

static void op(void) {
  uint32_t k = rnd() % 100;
  char p[128];
  if (k < 22) { /* create + write */
    int n = freename(), o = newobj();
    if (n < 0 || o < 0) return;
    snprintf(p, sizeof p, "%s/f%u", dirs[rnd() % 4], rnd() % 1000);
    if (exists(p) >= 0) return;
    long sz = rnd() % 6 == 0 ? rnd() % (400 << 10) : rnd() % 5000;
    int fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0) { FAIL("create %s: %s", p, strerror(errno)); return; }
    objs[o] = (struct obj){ 1, NULL, 0, 1, 0644 };
    grow(&objs[o], sz);
    fillpat(objs[o].data, sz, rnd());
    if (write(fd, objs[o].data, sz) != sz) FAIL("write %s", p);
    close(fd);
    names[n].used = 1; strcpy(names[n].path, p); names[n].obj = o;
  } else if (k < 34) { /* append */
    int n = pickname(); if (n < 0) return;
    struct obj *o = &objs[names[n].obj];
    long add = rnd() % 9000, old = o->size;
    if (old + add > MAXSZ) return;
    int fd = open(names[n].path, O_WRONLY | O_APPEND);
    if (fd < 0) { FAIL("open append %s: %s", names[n].path, strerror(errno)); return; }
    grow(o, old + add);
    fillpat(o->data + old, add, rnd());
    if (write(fd, o->data + old, add) != add) FAIL("append %s", names[n].path);
    close(fd);
  } else if (k < 44) { /* pwrite, maybe far past the end (a hole), maybe into the double indirect range */
    int n = pickname(); if (n < 0) return;
    struct obj *o = &objs[names[n].obj];
    long off = rnd() % 4 == 0 ? (long)(rnd() % MAXSZ) : (long)(rnd() % (o->size + 20000));
    long len = rnd() % 6000 + 1;
    if (off + len > MAXSZ) return;
    int fd = open(names[n].path, O_WRONLY);
    if (fd < 0) { FAIL("open %s: %s", names[n].path, strerror(errno)); return; }
    if (off + len > o->size) grow(o, off + len);
    fillpat(o->data + off, len, rnd());
    if (pwrite(fd, o->data + off, len, off) != len) FAIL("pwrite %s", names[n].path);
    close(fd);
  } else if (k < 52) { /* truncate down or up */
    int n = pickname(); if (n < 0) return;
    struct obj *o = &objs[names[n].obj];
    long sz = rnd() % 2 ? (o->size ? (long)(rnd() % o->size) : 0) : o->size + (long)(rnd() % 300000);
    if (sz > MAXSZ) return;
    if (truncate(names[n].path, sz) < 0) { FAIL("truncate %s: %s", names[n].path, strerror(errno)); return; }
    if (sz < o->size) o->size = sz; else grow(o, sz);
  } else if (k < 62) { /* rename, sometimes over an existing name */
    int n = pickname(); if (n < 0) return;
    int over = rnd() % 3 == 0 ? pickname() : -1;
    if (over >= 0 && over != n && names[over].obj != names[n].obj) strcpy(p, names[over].path);
    else { over = -1; snprintf(p, sizeof p, "%s/r%u", dirs[rnd() % 4], rnd() % 1000); if (exists(p) >= 0) return; }
    if (rename(names[n].path, p) < 0) { FAIL("rename %s %s: %s", names[n].path, p, strerror(errno)); return; }
    if (over >= 0) drop(over);
    strcpy(names[n].path, p);
  } else if (k < 69) { /* hard link */
    int n = pickname(), m = freename(); if (n < 0 || m < 0) return;
    snprintf(p, sizeof p, "%s/l%u", dirs[rnd() % 4], rnd() % 1000);
    if (exists(p) >= 0) return;
    if (link(names[n].path, p) < 0) { FAIL("link %s: %s", p, strerror(errno)); return; }
    objs[names[n].obj].nlink++;
    names[m].used = 1; strcpy(names[m].path, p); names[m].obj = names[n].obj;
  } else if (k < 79) { /* unlink, sometimes while open: the data stays readable and writable until close */
    int n = pickname(); if (n < 0) return;
    struct obj *o = &objs[names[n].obj];
    int fd = rnd() % 2 ? open(names[n].path, O_RDWR) : -1;
    if (unlink(names[n].path) < 0) { FAIL("unlink %s: %s", names[n].path, strerror(errno)); if (fd >= 0) close(fd); return; }
    if (fd >= 0) {
      char tail[100];
      memset(tail, 'z', sizeof tail);
      if (pwrite(fd, tail, sizeof tail, o->size) != sizeof tail) FAIL("write to unlinked file");
      unsigned char *buf = malloc(o->size + 100);
      if (pread(fd, buf, o->size + 100, 0) != o->size + 100 || memcmp(buf, o->data, o->size) || memcmp(buf + o->size, tail, 100))
        FAIL("unlinked open file reads back wrong");
      free(buf);
      if (o->nlink > 1) { grow(o, o->size + 100); memset(o->data + o->size - 100, 'z', 100); }
      close(fd);
    }
    drop(n);
  } else if (k < 84) { /* symlinks, fast and slow */
    char t[200];
    int len = rnd() % 2 ? 10 : 120;
    for (int i = 0; i < len; i++) t[i] = 'a' + rnd() % 26;
    t[len] = 0;
    snprintf(p, sizeof p, "%s/s%u", dirs[rnd() % 4], rnd() % 1000);
    if (exists(p) >= 0) return;
    if (symlink(t, p) < 0) { if (errno != EEXIST) FAIL("symlink %s: %s", p, strerror(errno)); return; }
    char back[200];
    ssize_t r = readlink(p, back, sizeof back);
    if (r != len || memcmp(back, t, len)) FAIL("readlink %s", p);
    if (unlink(p) < 0) FAIL("unlink symlink %s", p);
    if (rnd() % 2) symlink(t, p); /* some stay (the host listing shows them) */
  } else if (k < 89) { /* mkdir and rmdir */
    snprintf(p, sizeof p, "/mnt/b/c/d%u", rnd() % 50);
    if (mkdir(p, 0755) == 0) {
      char q[160];
      snprintf(q, sizeof q, "%s/x", p);
      if (mkdir(q, 0700) < 0) FAIL("mkdir %s: %s", q, strerror(errno));
      if (rmdir(p) == 0 || errno != ENOTEMPTY) FAIL("rmdir of a non-empty directory");
      if (rmdir(q) < 0) FAIL("rmdir %s: %s", q, strerror(errno));
      if (rnd() % 2 && rmdir(p) < 0) FAIL("rmdir %s: %s", p, strerror(errno));
    } else if (errno != EEXIST) FAIL("mkdir %s: %s", p, strerror(errno));
  } else if (k < 94) { /* chmod / chown */
    int n = pickname(); if (n < 0) return;
    int mode = 0600 | (rnd() % 2 ? 044 : 0) | (rnd() % 2 ? 0100 : 0);
    if (chmod(names[n].path, mode) < 0) FAIL("chmod: %s", strerror(errno));
    objs[names[n].obj].mode = mode;
    uid_t u = rnd() % 3 == 0 ? 100000 + rnd() % 10 : rnd() % 2000;
    if (chown(names[n].path, u, u + 1) < 0) FAIL("chown: %s", strerror(errno));
    struct stat st;
    if (stat(names[n].path, &st) < 0 || st.st_uid != u || st.st_gid != u + 1) FAIL("chown did not stick");
  } else { /* many small files in one directory, most removed again */
    for (int i = 0; i < 40; i++) {
      snprintf(p, sizeof p, "/mnt/many/small-%u-%d", rnd() % 100000, i);
      int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
      if (fd < 0) { FAIL("create %s: %s", p, strerror(errno)); return; }
      write(fd, p, strlen(p));
      close(fd);
      if (i % 4) unlink(p);
      else { int n = freename(), o = newobj(); if (n < 0 || o < 0) { unlink(p); continue; }
        objs[o] = (struct obj){ 1, NULL, 0, 1, 0644 }; grow(&objs[o], strlen(p)); memcpy(objs[o].data, p, strlen(p));
        names[n].used = 1; strcpy(names[n].path, p); names[n].obj = o; }
    }
  }
}

/* A file through the triple indirect range (1 KiB blocks: past 64.3 MiB), read back and cut down again. */
static void triple(void) {
  int fd = open("/mnt/tri", O_CREAT | O_RDWR | O_TRUNC, 0644);
  char w[3000], r[3000];
  fillpat((unsigned char *)w, sizeof w, 77);
  long off = 66L << 20;
  if (pwrite(fd, w, sizeof w, off) != sizeof w) FAIL("pwrite triple: %s", strerror(errno));
  if (pread(fd, r, sizeof r, off) != sizeof r || memcmp(w, r, sizeof w)) FAIL("pread triple");
  if (pread(fd, r, 100, 40L << 20) != 100) FAIL("pread hole");
  for (int i = 0; i < 100; i++) if (r[i]) { FAIL("hole not zero"); break; }
  if (ftruncate(fd, 5000) < 0) FAIL("ftruncate triple: %s", strerror(errno));
  if (pwrite(fd, w, 1000, 0) != 1000) FAIL("pwrite start");
  close(fd);
  int n = freename(), o = newobj();
  objs[o] = (struct obj){ 1, NULL, 0, 1, 0644 };
  grow(&objs[o], 5000);
  memcpy(objs[o].data, w, 1000);
  names[n].used = 1; strcpy(names[n].path, "/mnt/tri"); names[n].obj = o;
}

/* Stores through a MAP_SHARED mapping reach the disk: into written pages and into a hole (its block is allocated at write-back). */
static void mapped(void) {
  int fd = open("/mnt/mapped", O_CREAT | O_RDWR | O_TRUNC, 0644);
  char head[5000];
  fillpat((unsigned char *)head, sizeof head, 99);
  if (write(fd, head, sizeof head) != sizeof head) FAIL("write mapped");
  if (ftruncate(fd, 3 * 4096 + 100) < 0) FAIL("ftruncate mapped");
  unsigned char *m = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) { FAIL("mmap: %s", strerror(errno)); close(fd); return; }
  if (memcmp(m, head, sizeof head)) FAIL("mmap reads the file wrong");
  memset(m + 100, 'M', 200);          /* a page with data */
  memset(m + 2 * 4096 + 7, 'H', 300); /* a hole until now */
  if (msync(m, 4 * 4096, MS_SYNC) < 0) FAIL("msync: %s", strerror(errno));
  munmap(m, 4 * 4096);
  close(fd);
  int n = freename(), o = newobj();
  objs[o] = (struct obj){ 1, NULL, 0, 1, 0644 };
  grow(&objs[o], 3 * 4096 + 100);
  memcpy(objs[o].data, head, sizeof head);
  memset(objs[o].data + 100, 'M', 200);
  memset(objs[o].data + 2 * 4096 + 7, 'H', 300);
  names[n].used = 1; strcpy(names[n].path, "/mnt/mapped"); names[n].obj = o;
}

static void list(const char *path) {
  DIR *d = opendir(path);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "lost+found")) continue;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", path, e->d_name);
    struct stat st;
    if (lstat(p, &st) < 0) continue;
    if (S_ISDIR(st.st_mode)) { printf("L %s dir %o\n", p + 4, st.st_mode & 07777); list(p); continue; }
    if (S_ISLNK(st.st_mode)) { char t[300]; ssize_t n = readlink(p, t, sizeof t - 1); t[n < 0 ? 0 : n] = 0; printf("L %s link %s\n", p + 4, t); continue; }
    uint64_t h = 1469598103934665603ULL;
    int fd = open(p, O_RDONLY);
    static unsigned char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) for (ssize_t i = 0; i < n; i++) { h ^= buf[i]; h *= 1099511628211ULL; }
    close(fd);
    printf("L %s file %o %u %u %lld %016llx\n", p + 4, st.st_mode & 07777, st.st_uid, st.st_gid, (long long)st.st_size, (unsigned long long)h);
  }
  closedir(d);
}

static int fill(void) {
  mnt();
  static char buf[65536];
  memset(buf, 'f', sizeof buf);
  int fd = open("/mnt/big", O_CREAT | O_WRONLY, 0644);
  long total = 0;
  ssize_t n;
  while ((n = write(fd, buf, sizeof buf)) > 0) total += n;
  int e = errno;
  printf("filled %ld bytes, then %s\n", total, n < 0 ? strerror(e) : "0");
  if (n >= 0 || e != ENOSPC) failures++;
  close(fd);
  /* Out of blocks: even an empty file fits (an inode), but a directory needs a block. */
  if (mkdir("/mnt/nodir", 0755) == 0 || errno != ENOSPC) { printf("mkdir on a full disk: %s\n", strerror(errno)); failures++; }
  unlink("/mnt/big");
  /* Out of inodes. */
  int made = 0;
  for (;;) {
    char p[64];
    snprintf(p, sizeof p, "/mnt/i%d", made);
    fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) { e = errno; break; }
    close(fd);
    made++;
  }
  printf("made %d files, then %s\n", made, strerror(e));
  if (e != ENOSPC) failures++;
  for (int i = 0; i < made; i += 2) { char p[64]; snprintf(p, sizeof p, "/mnt/i%d", i); unlink(p); }
  unmnt();
  printf("fill %s\n", failures ? "BAD" : "ok");
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  mkdir("/mnt", 0755);
  if (argc > 1 && !strncmp(argv[1], "/dev/", 5)) { dev = argv[1]; argv++; argc--; }
  if (argc > 1 && !strcmp(argv[1], "fill")) return fill();
  if (argc > 1 && !strcmp(argv[1], "list")) { mnt(); list("/mnt"); unmnt(); return 0; }
  rs = strtoull(argc > 1 ? argv[1] : "1", 0, 0) * 0x9E3779B97F4A7C15ULL + 1;
  int ops = argc > 2 ? atoi(argv[2]) : 300;
  mnt();
  for (int i = 0; i < 4; i++) if (mkdir(dirs[i], 0755) < 0 && errno != EEXIST) FAIL("mkdir %s: %s", dirs[i], strerror(errno));
  triple();
  mapped();
  for (int i = 0; i < ops; i++) op();
  check_all("after the workload:");
  sync();
  unmnt();
  mnt();
  check_all("after a remount:");
  list("/mnt");
  unmnt();
  printf("done, %d failures\n", failures);
  return failures ? 1 : 0;
}
