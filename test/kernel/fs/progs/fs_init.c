/* The initramfs as unpacked at boot: modes, owners, times (directories
   included), symbolic links, device nodes that open their driver, FIFOs,
   hard links sharing one inode, and file data read straight from the
   archive; then the mounts boot made (/dev, /proc) and /tmp's mode. */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

int main(void) {
  prog_name = "fs_init";
  struct stat st, st2;
  char buf[256];
  CHECK(stat("/data", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0750 && st.st_uid == 1000 && st.st_gid == 100);
  CHECK(st.st_mtime == 1500000000);
  CHECK(stat("/data/file", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 12 && (st.st_mode & 07777) == 0640 && st.st_mtime == 1600000000);
  int fd = open("/data/file", O_RDONLY);
  memset(buf, 0, sizeof buf);
  CHECK(read(fd, buf, sizeof buf) == 12 && !strcmp(buf, "archive data"));
  close(fd);
  CHECK(stat("/data/hl1", &st) == 0 && stat("/data/hl2", &st2) == 0);
  CHECK(st.st_ino == st2.st_ino && st.st_nlink == 2 && st.st_size == 5);
  fd = open("/data/hl2", O_RDONLY);
  CHECK(read(fd, buf, 5) == 5 && !memcmp(buf, "linkd", 5));
  close(fd);
  /* writing through one name is seen through the other */
  fd = open("/data/hl1", O_WRONLY);
  CHECK(write(fd, "LINK", 4) == 4);
  close(fd);
  fd = open("/data/hl2", O_RDONLY);
  CHECK(read(fd, buf, 5) == 5 && !memcmp(buf, "LINKd", 5));
  close(fd);
  CHECK(lstat("/data/sym", &st) == 0 && S_ISLNK(st.st_mode));
  memset(buf, 0, sizeof buf);
  CHECK(readlink("/data/sym", buf, sizeof buf) == 4 && !strcmp(buf, "file"));
  CHECK(stat("/data/sym", &st) == 0 && st.st_size == 12);
  CHECK(stat("/data/null", &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
  fd = open("/data/null", O_WRONLY);
  CHECK(fd >= 0 && write(fd, "gone", 4) == 4);
  close(fd);
  CHECK(stat("/data/fifo", &st) == 0 && S_ISFIFO(st.st_mode));
  CHECK(stat("/data/deep/er/still", &st) == 0 && S_ISREG(st.st_mode));
  CHECK(stat("/tmp", &st) == 0 && (st.st_mode & 07777) == 01777);
  struct statfs sf;
  CHECK(statfs("/dev", &sf) == 0 && sf.f_type == 0x01021994);
  CHECK(statfs("/", &sf) == 0 && sf.f_type == 0x01021994);
  if (statfs("/proc", &sf) == 0) CHECK(sf.f_type == 0x9fa0);
  DONE();
}
