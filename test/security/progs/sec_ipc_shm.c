/* Hostile use of System V shared memory: nothing a user program does with
 * shmget/shmat/shmdt/shmctl may crash the kernel, leak its frames or reach
 * a segment it has no right to. One line per failed check, then a summary. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, long r, int err) {
  int e = errno;
  if (err == 0 ? r < 0 : (r != -1 || e != err)) {
    printf("FAIL %s: got %ld %s, want %s\n", what, r, r < 0 ? strerrorname_np(e) : "", err ? strerrorname_np(err) : "success");
    failures++;
  }
}

static long memFreeKb(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  char line[256];
  long v = -1;
  while (fgets(line, sizeof line, f)) if (sscanf(line, "MemFree: %ld kB", &v) == 1) break;
  fclose(f);
  return v;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* Huge and odd sizes. */
  expect("size SIZE_MAX", shmget(IPC_PRIVATE, SIZE_MAX, 0600), EINVAL);
  expect("size SHMMAX+1", shmget(IPC_PRIVATE, 18446744073692774400UL, 0600), EINVAL);
  expect("size 2^63", shmget(IPC_PRIVATE, 1UL << 63, 0600), EINVAL); /* past shmem's LLONG_MAX */
  expect("size 2^62", shmget(IPC_PRIVATE, 1UL << 62, 0600), ENOMEM); /* the commit charge is refused */
  int big = shmget(IPC_PRIVATE, 1UL << 40, 0600 | SHM_NORESERVE); /* a terabyte, never touched */
  expect("1 TiB noreserve", big, 0);
  /* More than the user address space (Sv39: 256 GiB; qemu-user on a 64-bit host has more and attaches it). */
  expect("attach 1 TiB", (long)shmat(big, NULL, 0), ENOMEM);
  expect("rmid 1 TiB", shmctl(big, IPC_RMID, NULL), 0);
  expect("SHM_HUGETLB without huge pages", shmget(IPC_PRIVATE, 2 << 20, SHM_HUGETLB | 0600), ENOMEM);
  expect("negative id", (long)shmat(-5, NULL, 0), EINVAL);
  expect("huge id", (long)shmat(0x7fffffff, NULL, 0), EINVAL);

  /* Bad addresses for shmat, shmdt and shmctl. */
  int id = shmget(IPC_PRIVATE, 3 * 4096, 0600);
  expect("shmget", id, 0);
  expect("attach unaligned", (long)shmat(id, (void *)0x12345, 0), EINVAL);
  expect("attach kernel half", (long)shmat(id, (void *)0xffffffff80000000UL, 0), ENOMEM);
  /* Linux: do_mmap past TASK_SIZE is ENOMEM; qemu-user checks the guest range itself and says EINVAL. */
  expect("attach past the top", (long)shmat(id, (void *)0x4000000000UL, 0), ENOMEM); /* Sv39 TASK_SIZE */
  /* Linux's do_shmat refuses a rounding to 0 with SHM_REMAP (qemu-user does not check it). */
  expect("attach page 0 rounded + remap", (long)shmat(id, (void *)100, SHM_RND | SHM_REMAP), EINVAL);
  char *p = shmat(id, NULL, 0);
  expect("attach", (long)p, 0);
  expect("shmdt NULL", shmdt(NULL), EINVAL);
  expect("shmdt unaligned", shmdt(p + 1), EINVAL);
  expect("shmdt middle", shmdt(p + 4096), EINVAL);
  expect("shmdt kernel", shmdt((void *)0xffffffff80000000UL), EINVAL);
  expect("shmdt stack", shmdt((void *)((uintptr_t)&id & ~4095UL)), EINVAL);
  expect("IPC_STAT to NULL", shmctl(id, IPC_STAT, NULL), EFAULT);
  expect("IPC_STAT to kernel", shmctl(id, IPC_STAT, (struct shmid_ds *)0xffffffff80000000UL), EFAULT);
  expect("IPC_SET from NULL", shmctl(id, IPC_SET, NULL), EFAULT);
  expect("IPC_INFO to NULL", shmctl(0, IPC_INFO, NULL), EFAULT);
  expect("SHM_INFO to NULL", shmctl(0, SHM_INFO, NULL), EFAULT);
  expect("SHM_STAT past the table", shmctl(1 << 20, SHM_STAT, &(struct shmid_ds){0}), EINVAL);
  expect("bad command", shmctl(id, 1234, NULL), EINVAL);

  /* A non-owner: no attach, no rmid, no set. */
  pid_t c = fork();
  if (c == 0) {
    setgid(1000);
    setuid(1000);
    errno = 0;
    expect("user attach", (long)shmat(id, NULL, 0), EACCES);
    expect("user attach ro", (long)shmat(id, NULL, SHM_RDONLY), EACCES);
    expect("user stat", shmctl(id, IPC_STAT, &(struct shmid_ds){0}), EACCES);
    expect("user rmid", shmctl(id, IPC_RMID, NULL), EPERM);
    expect("user lock", shmctl(id, SHM_LOCK, NULL), EPERM);
    /* The segment's pages are not readable through the inherited attachment's address after detach. */
    _exit(failures);
  }
  int st;
  waitpid(c, &st, 0);
  failures += WIFEXITED(st) ? WEXITSTATUS(st) : 100;

  /* Rmid while attached, then write through the attachment from a child that outlives the parent's detach. */
  strcpy(p, "alive");
  expect("rmid attached", shmctl(id, IPC_RMID, NULL), 0);
  c = fork();
  if (c == 0) {
    usleep(20000);
    _exit(strcmp(p, "alive") == 0 ? 0 : 1);
  }
  expect("parent detach", shmdt(p), 0);
  waitpid(c, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { printf("FAIL child lost the removed segment\n"); failures++; }
  expect("gone after last detach", shmctl(id, IPC_STAT, &(struct shmid_ds){0}), EINVAL);

  /* Fill the table, then churn: create, attach, touch, fork, remove; no frame may leak. */
  long before = memFreeKb();
  int n = 0, ids[4096];
  for (;;) {
    int s = shmget(IPC_PRIVATE, 1, 0600);
    if (s < 0) { if (errno != ENOSPC) { printf("FAIL table full: %s\n", strerrorname_np(errno)); failures++; } break; }
    ids[n++] = s;
  }
  if (n != 4096) { printf("FAIL %d segments before ENOSPC, want 4096\n", n); failures++; }
  for (int i = 0; i < n; i++) shmctl(ids[i], IPC_RMID, NULL);
  for (int i = 0; i < 200; i++) {
    int s = shmget(IPC_PRIVATE, 64 * 1024, 0600);
    char *q = shmat(s, NULL, 0);
    if (q == (void *)-1) { printf("FAIL churn attach %d: %s\n", i, strerrorname_np(errno)); failures++; break; }
    memset(q, i, 64 * 1024);
    shmctl(s, IPC_RMID, NULL);
    if (i % 20 == 0) { pid_t k = fork(); if (k == 0) _exit(q[100] == (char)i ? 0 : 1); waitpid(k, &st, 0); }
    shmdt(q);
  }
  long after = memFreeKb();
  /* 200 x 64 KiB = 12.5 MiB went through; allow a little for page tables and the page cache. */
  if (before - after > 1024) { printf("FAIL frames leaked: MemFree %ld -> %ld kB\n", before, after); failures++; }
  printf("sec_ipc_shm: ok (%d failures)\n", failures);
  return 0;
}
