/* Security of byte names and xattrs. In DIR (a hostfs share in tsix, a
   plain host directory under qemu-riscv64):
   - names whose bytes some decoder could read as '/' or '..' (the overlong
     UTF-8 slash C0 AF, the fullwidth solidus EF BC 8F, "..\xc0\xaf..") are
     plain names: they are created in DIR, listed back byte for byte, and
     nothing appears anywhere else;
   - the xattr calls with bad pointers, unterminated names across an
     unmapped page, huge sizes and read-only buffers fail with Linux's
     errno and never hurt the kernel; an xattr name with 0xff bytes is kept
     byte for byte.
   sec_bytes DIR XATTRDIR [qemu]. Prints "sec_bytes: ok" when every check passed. */
#include "../../kernel/fs/progs/t.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *NAMES[] = { "\xc0\xaf", "..\xc0\xaf..\xc0\xafout", "\xef\xbc\x8f" "etc", "\xc0\xae\xc0\xae", "..\xff" };
#define NNAMES (int)(sizeof NAMES / sizeof NAMES[0])

int main(int argc, char **argv) {
  prog_name = "sec_bytes";
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  char p[1024];
  for (int i = 0; i < NNAMES; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, NAMES[i]);
    int fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "inside", 6) == 6);
    close(fd);
  }
  int seen = 0;
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL)
    for (int i = 0; i < NNAMES; i++) if (strcmp(e->d_name, NAMES[i]) == 0) seen++;
  if (d) closedir(d);
  CHECK(seen == NNAMES);

  /* xattrs: on a tmpfs-like place of the guest (tsix: /tmp) or the host directory (qemu). */
  const char *xd = argc > 2 ? argv[2] : dir;
  snprintf(p, sizeof p, "%s/x", xd);
  int fd = open(p, O_CREAT | O_RDWR, 0644);
  CHECK(fd >= 0);
  long pg = sysconf(_SC_PAGESIZE);
  char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(two != MAP_FAILED);
  CHECK(munmap(two + pg, pg) == 0);
  /* A name that runs into the unmapped page without a NUL. */
  memset(two, 'u', pg);
  memcpy(two + pg - 8, "user.abc", 8);
  ERR(setxattr(p, two + pg - 8, "v", 1, 0), EFAULT);
  ERR(getxattr(p, two + pg - 8, NULL, 0), EFAULT);
  ERR(removexattr(p, two + pg - 8), EFAULT);
  const char *volatile low = (const char *)16;
  ERR(setxattr(p, low, "v", 1, 0), EFAULT);
  ERR(setxattr(p, "user.v", low, 10, 0), EFAULT);
  /* qemu-user checks a buffer's whole size before Linux sees the call (EFAULT): these
     follow Linux's fs/xattr.c (E2BIG before any copy) and run in tsix only. */
  int qemu = argc > 3 && strcmp(argv[3], "qemu") == 0;
  volatile size_t huge = (size_t)1 << 62, all = (size_t)-1;
  const char *volatile null = NULL;
  if (!qemu) ERR(setxattr(p, "user.v", "v", huge, 0), E2BIG);
  if (!qemu) ERR(setxattr(p, "user.v", null, all, 0), E2BIG);
  CHECK(setxattr(p, "user.v", "value", 5, 0) == 0);
  /* Output buffers the kernel may not write: a kernel address, a read-only page. */
  ERR(getxattr(p, "user.v", (void *)0xffffffc000000000UL, 64), EFAULT);
  char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(ro != MAP_FAILED);
  ERR(getxattr(p, "user.v", ro, 64), EFAULT);
  ERR(listxattr(p, ro, 64), EFAULT);
  ERR(flistxattr(fd, (char *)low, 64), EFAULT);
  /* Huge buffer sizes are cut to 64 KiB, not trusted. */
  char buf[64];
  if (!qemu) CHECK(getxattr(p, "user.v", buf, all) == 5 && memcmp(buf, "value", 5) == 0);
  if (!qemu) CHECK(listxattr(p, buf, all) == 7);
  /* An xattr name with bytes that are not UTF-8, kept as they are. */
  CHECK(setxattr(p, "user.\xff\xfe", "b", 1, 0) == 0);
  ERR(getxattr(p, "user.\xfe\xff", buf, sizeof buf), ENODATA);
  char list[256];
  ssize_t n = listxattr(p, list, sizeof list);
  CHECK(n == 15 && (memcmp(list + 7, "user.\xff\xfe", 8) == 0 || memcmp(list, "user.\xff\xfe", 8) == 0));
  CHECK(fremovexattr(fd, "user.\xff\xfe") == 0);
  close(fd);
  unlink(p);
  DONE();
}
