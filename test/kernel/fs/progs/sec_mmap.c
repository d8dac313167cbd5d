/* Memory-mapping permission rules (test/security/mprotect.test.ts).

   sec_mmap ro FILE [UID]   become UID (default 1000), open FILE read-only:
                            a MAP_SHARED mapping may never be made writable
                            (mmap PROT_WRITE and mprotect PROT_WRITE: EACCES,
                            also after mremap moves it); a MAP_PRIVATE one may,
                            and its writes never reach the file.
   sec_mmap wronly DIR      a file opened O_WRONLY cannot be mapped (EACCES).
   sec_mmap minaddr         MAP_FIXED below vm.mmap_min_addr as a user: EPERM.
   sec_mmap noexec DIR      (root) a tmpfs mounted noexec at DIR: PROT_EXEC
                            mappings of its files are refused (mmap EPERM,
                            mprotect EACCES).

   Should the kernel let a forbidden mprotect through, the program writes
   "PWNED" through the mapping (what an attacker would do), so the caller
   can see the file changed; it also reports the failure. */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

static void become(uid_t uid) {
  OK(setresgid(uid, uid, uid));
  OK(setresuid(uid, uid, uid));
  CHECK(geteuid() == uid);
}

static int ro(const char *path, uid_t uid) {
  prog_name = "sec_mmap ro";
  become(uid);
  int fd = open(path, O_RDONLY);
  CHECK(fd >= 0);
  if (fd < 0) DONE();
  char before[64] = {0}, after[64] = {0};
  ssize_t n = pread(fd, before, sizeof before, 0);
  CHECK(n > 0);
  long pg = sysconf(_SC_PAGESIZE);

  /* Writable shared mapping of a read-only descriptor: refused at once. */
  ERR(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);

  /* Read-only shared mapping: fine to read, never to write. */
  char *p = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
  CHECK(p != MAP_FAILED);
  if (p != MAP_FAILED) {
    CHECK(memcmp(p, before, n) == 0);
    errno = 0;
    int r = mprotect(p, pg, PROT_READ | PROT_WRITE), e = errno;
    if (r == 0) memcpy(p, "PWNED", 5);
    errno = e;
    CHECK(r == -1 && e == EACCES);
    ERR(mprotect(p, pg, PROT_WRITE), EACCES);
    /* Still readable, and mprotect to what it already may do works. */
    OK(mprotect(p, pg, PROT_NONE));
    OK(mprotect(p, pg, PROT_READ | PROT_EXEC));
    CHECK(memcmp(p, before, n) == 0);
    /* The restriction moves with the mapping. */
    char *q = mremap(p, pg, 2 * pg, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED);
    if (q != MAP_FAILED) {
      errno = 0;
      r = mprotect(q, pg, PROT_READ | PROT_WRITE);
      e = errno;
      if (r == 0) memcpy(q, "PWNED", 5);
      errno = e;
      CHECK(r == -1 && e == EACCES);
      p = q;
    }
    munmap(p, 2 * pg);
  }

  /* Private mappings keep the right to become writable: copy on write. */
  char *v = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
  CHECK(v != MAP_FAILED);
  if (v != MAP_FAILED) {
    OK(mprotect(v, pg, PROT_READ | PROT_WRITE));
    memcpy(v, "PRIVATE", 7);
    CHECK(memcmp(v, "PRIVATE", 7) == 0);
    munmap(v, pg);
  }
  char *w = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  CHECK(w != MAP_FAILED);
  if (w != MAP_FAILED) { w[0] ^= 1; munmap(w, pg); }

  /* The file is what it was. */
  CHECK(pread(fd, after, sizeof after, 0) == n);
  CHECK(memcmp(before, after, n) == 0);
  close(fd);
  DONE();
}

static int wronly(const char *dir) {
  prog_name = "sec_mmap wronly";
  char path[256];
  snprintf(path, sizeof path, "%s/wronly.dat", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0);
  CHECK(write(fd, "data", 4) == 4);
  close(fd);
  fd = open(path, O_WRONLY);
  CHECK(fd >= 0);
  long pg = sysconf(_SC_PAGESIZE);
  ERR(mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0), EACCES);
  ERR(mmap(NULL, pg, PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
  ERR(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0), EACCES);
  close(fd);
  /* O_RDWR: shared and writable is fine, and mprotect may add PROT_WRITE. */
  fd = open(path, O_RDWR);
  char *p = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
  CHECK(p != MAP_FAILED);
  if (p != MAP_FAILED) {
    OK(mprotect(p, pg, PROT_READ | PROT_WRITE));
    p[0] = 'D';
    munmap(p, pg);
    char c = 0;
    CHECK(pread(fd, &c, 1, 0) == 1 && c == 'D');
  }
  close(fd);
  unlink(path);
  DONE();
}

static int minaddr(void) {
  prog_name = "sec_mmap minaddr";
  become(1000);
  long pg = sysconf(_SC_PAGESIZE);
  ERR(mmap((void *)0, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EPERM);
  /* At vm.mmap_min_addr itself a fixed mapping is allowed. */
  long min = 0;
  FILE *f = fopen("/proc/sys/vm/mmap_min_addr", "r");
  CHECK(f && fscanf(f, "%ld", &min) == 1);
  if (f) fclose(f);
  if (min > 0) {
    ERR(mmap((void *)(min - pg), pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EPERM);
    void *m = mmap((void *)min, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(m == (void *)min);
    if (m == (void *)min) { *(volatile char *)m = 1; munmap(m, pg); }
  }
  /* Without MAP_FIXED, address 0 is only a hint: the kernel picks. */
  void *h = mmap((void *)0, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(h != MAP_FAILED && h != NULL);
  DONE();
}

static int noexec(const char *dir) {
  prog_name = "sec_mmap noexec";
  mkdir(dir, 0755);
  OK(mount("tmpfs", dir, "tmpfs", MS_NOEXEC, ""));
  char path[256];
  snprintf(path, sizeof path, "%s/code", dir);
  int fd = open(path, O_RDWR | O_CREAT, 0755);
  CHECK(fd >= 0);
  CHECK(write(fd, "\x13\x00\x00\x00", 4) == 4); /* nop */
  long pg = sysconf(_SC_PAGESIZE);
  ERR(mmap(NULL, pg, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0), EPERM);
  ERR(mmap(NULL, pg, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0), EPERM);
  char *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
  CHECK(p != MAP_FAILED);
  if (p != MAP_FAILED) {
    ERR(mprotect(p, pg, PROT_READ | PROT_EXEC), EACCES);
    OK(mprotect(p, pg, PROT_READ | PROT_WRITE));
    munmap(p, pg);
  }
  close(fd);
  /* execve is refused as well. */
  char *argv[] = {path, NULL};
  ERR(execve(path, argv, argv + 1), EACCES);
  DONE();
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "ro") == 0) return ro(argv[2], argc >= 4 ? (uid_t)atoi(argv[3]) : 1000);
  if (argc >= 3 && strcmp(argv[1], "wronly") == 0) return wronly(argv[2]);
  if (argc >= 2 && strcmp(argv[1], "minaddr") == 0) return minaddr();
  if (argc >= 3 && strcmp(argv[1], "noexec") == 0) return noexec(argv[2]);
  fprintf(stderr, "usage: sec_mmap ro FILE [UID] | wronly DIR | minaddr | noexec DIR\n");
  return 2;
}
