/* The power-cut workload for sqlite3 on ext3: mounts /dev/ram0 (ext3) on
 * /mnt and runs the image's own sqlite3 (Debian's, dynamically linked) on
 * /mnt/t.db with the SQL script /sql.txt as its standard input. The script
 * commits numbered transactions and prints "committed N" after each COMMIT
 * returns; sqlite3's standard output is the console, which the test records
 * in the same ordered log as the disk writes. Never unmounts and never
 * syncs: the machine just halts when sqlite3 is done.
 * usage: sqlwork */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  mkdir("/mnt", 0755);
  if (mount("/dev/ram0", "/mnt", "ext3", 0, NULL) < 0) { printf("mount: %s\n", strerror(errno)); return 1; }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) { printf("fork: %s\n", strerror(errno)); return 1; }
  if (pid == 0) {
    int fd = open("/sql.txt", O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0) _exit(126);
    close(fd);
    char *argv[] = { "sqlite3", "-bail", "/mnt/t.db", NULL };
    char *envp[] = { "PATH=/usr/bin:/bin", "HOME=/", NULL };
    execve("/usr/bin/sqlite3", argv, envp);
    _exit(127);
  }
  int st;
  if (waitpid(pid, &st, 0) < 0) { printf("waitpid: %s\n", strerror(errno)); return 1; }
  printf("sqlite3 exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
