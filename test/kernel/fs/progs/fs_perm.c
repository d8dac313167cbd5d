/* Permissions: rwx for owner, group and others checked on every access,
   search permission on every directory of a path, root's bypass (but not
   for executing a file with no x bit), the sticky bit, chmod/chown rules,
   access(2) with real vs effective ids (AT_EACCESS), utimensat rules,
   umask, set-group-ID directories. Starts as root, sets up, then drops to
   uid/gid 1000. */
#include "t.h"
#include <fcntl.h>
#include <unistd.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/sysmacros.h>
#include <dirent.h>

static void mk(const char *p, int mode, int uid, int gid, const char *data) {
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0) { if (data) { ssize_t n = write(fd, data, strlen(data)); (void)n; } close(fd); }
  chown(p, uid, gid);
  chmod(p, mode);
}

int main(void) {
  prog_name = "fs_perm";
  const char *base = getenv("TESTDIR") ? getenv("TESTDIR") : "/tmp";
  char top[256];
  snprintf(top, sizeof top, "%s/perm", base);
  umask(022);
  CHECK(mkdir(top, 0755) == 0);
  CHECK(chdir(top) == 0);

  /* as root */
  mk("secret", 0600, 0, 0, "s");
  mk("public", 0644, 0, 0, "p");
  mk("none", 0000, 0, 0, "n");
  mk("groupw", 0660, 0, 1000, "g");
  mk("script", 0644, 0, 0, "#!/bin/sh\n");
  CHECK(mkdir("closed", 0700) == 0);
  mk("closed/inside", 0644, 0, 0, "i");
  CHECK(mkdir("ro", 0755) == 0);
  mk("ro/f", 0666, 0, 0, "f");
  CHECK(mkdir("sticky", 01777) == 0);
  CHECK(chmod("sticky", 01777) == 0);
  mk("sticky/roots", 0666, 0, 0, "r");
  CHECK(mkdir("mine", 0755) == 0);
  CHECK(chown("mine", 1000, 1000) == 0);
  CHECK(mkdir("sgid", 02775) == 0);
  CHECK(chown("sgid", 0, 50) == 0);
  CHECK(chmod("sgid", 02777) == 0);

  /* root reads a file nobody may read, but cannot run a file without x */
  int fd = open("none", O_RDONLY);
  CHECK(fd >= 0); close(fd);
  CHECK(access("none", R_OK | W_OK) == 0);
  ERR(access("none", X_OK), EACCES);
  char *argv[] = { "script", NULL };
  ERR(execve("script", argv, argv + 1), EACCES);
  ERR(execve(".", argv, argv + 1), EACCES);

  /* real vs effective ids in access(2) */
  CHECK(setresuid(1000, 0, 0) == 0);
  ERR(access("secret", R_OK), EACCES);
  CHECK(faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS) == 0);
  CHECK(access("public", R_OK) == 0);
  CHECK(setresuid(0, 0, 0) == 0);

  /* drop to an ordinary user */
  gid_t groups[1] = { 1000 };
  CHECK(setgroups(1, groups) == 0);
  CHECK(setresgid(1000, 1000, 1000) == 0);
  CHECK(setresuid(1000, 1000, 1000) == 0);
  CHECK(geteuid() == 1000);

  ERR(open("secret", O_RDONLY), EACCES);
  fd = open("public", O_RDONLY);
  CHECK(fd >= 0); close(fd);
  ERR(open("public", O_WRONLY), EACCES);
  ERR(open("public", O_RDONLY | O_TRUNC), EACCES);
  ERR(truncate("public", 0), EACCES);
  fd = open("groupw", O_RDWR);
  CHECK(fd >= 0); close(fd);
  ERR(access("public", W_OK), EACCES);
  CHECK(access("public", R_OK) == 0);

  /* search permission on every directory */
  struct stat st;
  ERR(stat("closed/inside", &st), EACCES);
  ERR(open("closed/inside", O_RDONLY), EACCES);
  ERR(chdir("closed"), EACCES);
  CHECK(stat("closed", &st) == 0);
  ERR(opendir("closed") ? 0 : -1, EACCES);

  /* no write permission on the directory: no create, unlink, rename */
  ERR(open("ro/new", O_WRONLY | O_CREAT, 0644), EACCES);
  ERR(unlink("ro/f"), EACCES);
  ERR(rename("ro/f", "ro/g"), EACCES);
  ERR(mkdir("ro/d", 0755), EACCES);
  ERR(symlink("x", "ro/l"), EACCES);
  fd = open("ro/f", O_WRONLY); /* the file itself is writable */
  CHECK(fd >= 0); close(fd);

  /* sticky directory: only the owner removes */
  ERR(unlink("sticky/roots"), EPERM);
  ERR(rename("sticky/roots", "sticky/mine"), EPERM);
  mk("sticky/users", 0644, -1, -1, "u");
  CHECK(stat("sticky/users", &st) == 0 && st.st_uid == 1000 && st.st_gid == 1000);
  CHECK(unlink("sticky/users") == 0);

  /* new files belong to the creator; umask applies */
  umask(027);
  fd = open("mine/f", O_WRONLY | O_CREAT, 0666);
  CHECK(fd >= 0); close(fd);
  CHECK(stat("mine/f", &st) == 0 && st.st_uid == 1000 && st.st_gid == 1000 && (st.st_mode & 0777) == 0640);
  CHECK(mkdir("mine/d", 0777) == 0);
  CHECK(stat("mine/d", &st) == 0 && (st.st_mode & 0777) == 0750);
  /* set-group-ID directory: new entries get its group, subdirectories the bit */
  fd = open("sgid/f", O_WRONLY | O_CREAT, 0666);
  CHECK(fd >= 0); close(fd);
  CHECK(stat("sgid/f", &st) == 0 && st.st_gid == 50);
  CHECK(mkdir("sgid/d", 0755) == 0);
  CHECK(stat("sgid/d", &st) == 0 && st.st_gid == 50 && (st.st_mode & 02000));

  /* chmod and chown */
  ERR(chmod("public", 0777), EPERM);
  CHECK(chmod("mine/f", 0600) == 0);
  ERR(chown("mine/f", 0, -1), EPERM);
  ERR(chown("mine/f", -1, 0), EPERM);
  CHECK(chown("mine/f", -1, 1000) == 0);
  CHECK(chown("mine/f", 1000, -1) == 0);
  ERR(chown("public", 1000, -1), EPERM);

  /* utimensat: "now" needs write access; explicit times need ownership */
  CHECK(utimensat(AT_FDCWD, "groupw", NULL, 0) == 0);
  ERR(utimensat(AT_FDCWD, "public", NULL, 0), EACCES);
  struct timespec ts[2] = { { 5, 0 }, { 5, 0 } };
  ERR(utimensat(AT_FDCWD, "groupw", ts, 0), EPERM);
  CHECK(utimensat(AT_FDCWD, "mine/f", ts, 0) == 0);

  /* mknod of a device needs privilege; a FIFO does not */
  ERR(mknod("mine/dev", S_IFCHR | 0600, makedev(1, 3)), EPERM);
  CHECK(mknod("mine/fifo", S_IFIFO | 0600, 0) == 0);
  ERR(chroot("mine"), EPERM);
  DONE();
}
