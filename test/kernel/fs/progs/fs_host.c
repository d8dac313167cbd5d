/* hostfs: a host directory mounted at /host. Reads a file the host wrote,
   writes files and directories the host then checks, renames, links,
   symlinks, truncates, lists the directory, maps a host file shared (stores
   reach the host file at munmap/close), and sees statfs of the host. */
#include "t.h"
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

int main(void) {
  prog_name = "fs_host";
  char buf[4096];
  struct stat st;
  int fd = open("/host/in.txt", O_RDONLY);
  CHECK(fd >= 0);
  memset(buf, 0, sizeof buf);
  CHECK(read(fd, buf, sizeof buf) == 9 && !strcmp(buf, "from host"));
  CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 9 && st.st_uid == 0);
  close(fd);
  CHECK(stat("/host/sub/deep.txt", &st) == 0 && st.st_size == 4);

  fd = open("/host/out.txt", O_WRONLY | O_CREAT | O_EXCL, 0640);
  CHECK(fd >= 0);
  CHECK(write(fd, "from guest\n", 11) == 11);
  CHECK(pwrite(fd, "G", 1, 0) == 1);
  close(fd);
  ERR(open("/host/out.txt", O_WRONLY | O_CREAT | O_EXCL, 0640), EEXIST);
  fd = open("/host/out.txt", O_WRONLY | O_APPEND);
  CHECK(write(fd, "more\n", 5) == 5);
  close(fd);
  CHECK(stat("/host/out.txt", &st) == 0 && st.st_size == 16 && (st.st_mode & 0777) == 0640);

  CHECK(mkdir("/host/newdir", 0755) == 0);
  fd = open("/host/newdir/a", O_WRONLY | O_CREAT, 0644);
  CHECK(write(fd, "aaaa", 4) == 4);
  close(fd);
  CHECK(rename("/host/newdir/a", "/host/newdir/b") == 0);
  CHECK(link("/host/newdir/b", "/host/newdir/c") == 0);
  CHECK(stat("/host/newdir/b", &st) == 0 && st.st_nlink == 2);
  CHECK(symlink("b", "/host/newdir/l") == 0);
  memset(buf, 0, sizeof buf);
  CHECK(readlink("/host/newdir/l", buf, sizeof buf) == 1 && buf[0] == 'b');
  CHECK(stat("/host/newdir/l", &st) == 0 && st.st_size == 4);
  CHECK(truncate("/host/newdir/c", 2) == 0);
  CHECK(stat("/host/newdir/b", &st) == 0 && st.st_size == 2);
  CHECK(unlink("/host/newdir/c") == 0);
  CHECK(chmod("/host/newdir/b", 0600) == 0);
  ERR(rmdir("/host/newdir"), ENOTEMPTY);
  CHECK(mkdir("/host/gone", 0755) == 0 && rmdir("/host/gone") == 0);
  ERR(stat("/host/gone", &st), ENOENT);
  /* rename a directory: files below keep working */
  CHECK(rename("/host/newdir", "/host/renamed") == 0);
  CHECK(stat("/host/renamed/b", &st) == 0 && st.st_size == 2);

  DIR *d = opendir("/host");
  int n = 0, sawsub = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) { n++; if (!strcmp(e->d_name, "sub") && e->d_type == DT_DIR) sawsub = 1; }
  if (d) closedir(d);
  CHECK(n == 6 && sawsub); /* . .. in.txt sub out.txt renamed */

  /* rm -rf of a big host directory: listing while removing visits every entry */
  CHECK(mkdir("/host/many", 0755) == 0);
  char p[128];
  for (int i = 0; i < 200; i++) {
    snprintf(p, sizeof p, "/host/many/a-long-file-name-%03d", i);
    int f = open(p, O_WRONLY | O_CREAT, 0644);
    if (f >= 0) close(f);
  }
  DIR *md = opendir("/host/many");
  int removed = 0;
  while (md && (e = readdir(md))) {
    if (e->d_name[0] == '.') continue;
    snprintf(p, sizeof p, "/host/many/%s", e->d_name);
    if (unlink(p) == 0) removed++;
  }
  if (md) closedir(md);
  CHECK(removed == 200);
  CHECK(rmdir("/host/many") == 0);

  /* a shared mapping of a host file */
  fd = open("/host/map.bin", O_RDWR | O_CREAT, 0644);
  CHECK(ftruncate(fd, 8192) == 0);
  char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  CHECK(m != MAP_FAILED);
  if (m != MAP_FAILED) {
    memcpy(m + 4096, "mapped", 6);
    CHECK(pwrite(fd, "WRITE", 5, 0) == 5);
    CHECK(!memcmp(m, "WRITE", 5));
    CHECK(pread(fd, buf, 6, 4096) == 6 && !memcmp(buf, "mapped", 6));
    munmap(m, 8192);
  }
  close(fd);
  DONE();
}
