/* System V shared memory: shmget's checks, shmat's address rules and
 * flags, shmdt, shmctl, IPC_RMID while attached, fork and exit, and the
 * /proc/self/maps name. One line per check, nothing that differs between
 * runs (no ids, addresses or pids): the test compares this output under
 * tsix with the same binary under qemu-riscv64 on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *en(int r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

/* "what: result" and, for a failure, the errno's name (errno read after the call). */
static void show(const char *what, long r) {
  if (r < 0) printf("%s: %ld %s\n", what, r, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static struct shmid_ds st(int id) {
  struct shmid_ds d;
  memset(&d, 0, sizeof d);
  if (shmctl(id, IPC_STAT, &d) < 0) printf("IPC_STAT failed: %s\n", strerrorname_np(errno));
  return d;
}

static int attached(int id) { return (int)st(id).shm_nattch; }

/* The name column of the /proc/self/maps line that maps `addr`. */
static void mapsName(void *addr, const char *what, key_t key) {
  char want[64];
  snprintf(want, sizeof want, "/SYSV%08x (deleted)\n", key);
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  unsigned long a = (unsigned long)addr;
  while (fgets(line, sizeof line, f)) {
    unsigned long s, e;
    if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s == a) {
      char *p = strchr(line, '/');
      if (p && strcmp(p, want) == 0) printf("%s: /SYSV<key> (deleted)\n", what);
      else printf("%s: %s", what, p ? p : "(no name)\n");
      fclose(f);
      return;
    }
  }
  printf("%s: not mapped\n", what);
  fclose(f);
}

static int waitStatus(pid_t c) {
  int s;
  waitpid(c, &s, 0);
  return WIFSIGNALED(s) ? 1000 + WTERMSIG(s) : WEXITSTATUS(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t me = getpid();
  key_t key = 0x7e5c0000 + (me & 0xffff);

  /* shmget. */
  show("size 0", (long)shmget(IPC_PRIVATE, 0, 0600));
  show("size huge", (long)shmget(IPC_PRIVATE, (size_t)-1, 0600));
  int id = shmget(key, 5000, IPC_CREAT | IPC_EXCL | 0640);
  printf("create: %s\n", en(id));
  show("excl again", (long)shmget(key, 5000, IPC_CREAT | IPC_EXCL | 0640));
  show("bigger", (long)shmget(key, 5001, 0640));
  printf("smaller same id: %d\n", shmget(key, 100, 0) == id);
  printf("size 0 same id: %d\n", shmget(key, 0, 0) == id);
  show("no key", (long)shmget(key + 1, 100, 0600));
  struct shmid_ds d = st(id);
  printf("stat: segsz=%zu mode=%o nattch=%lu cpid-ok=%d lpid=%d atime=%ld dtime=%ld ctime-ok=%d\n", (size_t)d.shm_segsz,
         d.shm_perm.mode, (unsigned long)d.shm_nattch, d.shm_cpid == me, d.shm_lpid, (long)d.shm_atime, (long)d.shm_dtime,
         d.shm_ctime > 0 && labs(d.shm_ctime - time(NULL)) < 5);

  /* shmat. */
  /* qemu-user (7.2) picks an address itself and passes SHM_REMAP to Linux, so there this attaches: undone. */
  void *rm = shmat(id, NULL, SHM_REMAP);
  if (rm == (void *)-1) show("remap without address", -1);
  else { printf("remap without address: attached\n"); shmdt(rm); }
  char *p = shmat(id, NULL, 0);
  printf("attach: %s aligned=%d\n", p == (void *)-1 ? en(-1) : "ok", ((uintptr_t)p & 4095) == 0);
  d = st(id);
  printf("after attach: nattch=%lu lpid-ok=%d atime-ok=%d\n", (unsigned long)d.shm_nattch, d.shm_lpid == me, d.shm_atime > 0);
  printf("zero filled: %d %d\n", p[0], p[4999]);
  /* The segment is 5000 bytes; the attachment is two pages, the second one past 5000 usable too. */
  p[8191] = 7;
  printf("last page byte: %d\n", p[8191]);
  mapsName(p, "maps", key);
  char *q = shmat(id, NULL, 0);
  printf("second attach same memory: %d nattch=%d\n", q != p && (strcpy(p, "shared"), strcmp(q, "shared") == 0), attached(id));
  show("unaligned", (long)shmat(id, q + 100, 0));
  show("occupied", (long)shmat(id, q, 0));
  char *r = shmat(id, q + 100, SHM_RND | SHM_REMAP);
  printf("rnd remap: %d nattch=%d\n", r == q, attached(id));
  show("shmdt inside", (long)shmdt(q + 4096));
  show("shmdt unaligned", (long)shmdt(q + 1));
  void *anon = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  show("shmdt not shm", (long)shmdt(anon));
  printf("shmdt: %d nattch=%d dtime-ok=%d\n", shmdt(q), attached(id), st(id).shm_dtime > 0);
  show("shmdt again", (long)shmdt(q));
  /* Split by mprotect: shmdt still removes the whole attachment. */
  q = shmat(id, NULL, 0);
  mprotect(q + 4096, 4096, PROT_READ);
  printf("split: nattch=%d\n", attached(id));
  printf("shmdt split: %d nattch=%d\n", shmdt(q), attached(id));
  /* munmap detaches too. */
  q = shmat(id, NULL, 0);
  munmap(q, 8192);
  printf("munmap: nattch=%d\n", attached(id));

  /* SHM_RDONLY: reads work, a write faults, mprotect cannot add write. */
  char *ro = shmat(id, NULL, SHM_RDONLY);
  printf("rdonly read: %s\n", ro);
  show("rdonly mprotect", (long)mprotect(ro, 4096, PROT_READ | PROT_WRITE));
  pid_t c = fork();
  if (c == 0) { ro[0] = 'x'; _exit(0); }
  printf("rdonly write: %s\n", waitStatus(c) == 1000 + SIGSEGV ? "SIGSEGV" : "no fault");
  shmdt(ro);

  /* fork inherits the attachment; the child's writes are the parent's; exit detaches. */
  printf("before fork: nattch=%d\n", attached(id));
  c = fork();
  if (c == 0) {
    printf("child: nattch=%d\n", attached(id));
    strcpy(p, "from child");
    _exit(0);
  }
  waitStatus(c);
  d = st(id);
  printf("after child exit: nattch=%lu lpid-is-child=%d text=%s\n", (unsigned long)d.shm_nattch, d.shm_lpid == c, p);

  /* A second process attaches by id and sees the same frames. */
  c = fork();
  if (c == 0) {
    shmdt(p);
    char *x = shmat(id, NULL, 0);
    strcpy(x + 100, "attached by id");
    shmdt(x);
    _exit(0);
  }
  waitStatus(c);
  printf("by id: %s\n", p + 100);

  /* shmctl. */
  show("bad cmd", (long)shmctl(id, 99, &d));
  show("bad id", (long)shmctl(id + 1, IPC_STAT, &d));
  struct shminfo info;
  int mx = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
  printf("IPC_INFO: ok=%d shmmin=%lu shmmni=%lu shmseg=%lu shmmax=%lu\n", mx >= 0, info.shmmin, info.shmmni, info.shmseg,
         info.shmmax);
  struct shm_info si;
  printf("SHM_INFO: ok=%d\n", shmctl(0, SHM_INFO, (struct shmid_ds *)&si) >= 0 && si.used_ids >= 1 && si.shm_tot >= 2);
  int found = 0;
  for (int i = 0; i <= mx; i++) {
    struct shmid_ds x;
    if (shmctl(i, SHM_STAT, &x) == id) found = x.shm_segsz == 5000;
  }
  printf("SHM_STAT finds it: %d\n", found);
  d = st(id);
  d.shm_perm.mode = 0640;
  printf("IPC_SET: %d mode=%o\n", shmctl(id, IPC_SET, &d), st(id).shm_perm.mode);
  printf("SHM_LOCK: %d mode=%o\n", shmctl(id, SHM_LOCK, NULL), st(id).shm_perm.mode);
  printf("SHM_UNLOCK: %d mode=%o\n", shmctl(id, SHM_UNLOCK, NULL), st(id).shm_perm.mode);

  /* Permissions: a non-root user. */
  c = fork();
  if (c == 0) {
    if (setuid(1000) < 0) { printf("setuid failed\n"); _exit(1); }
    show("user attach rw", (long)shmat(id, NULL, 0));
    char *u = shmat(id, NULL, SHM_RDONLY);
    printf("user attach ro: %s\n", u == (void *)-1 ? en(-1) : u);
    show("user exec attach", (long)shmat(id, NULL, SHM_RDONLY | SHM_EXEC));
    show("user get for write", (long)shmget(key, 0, 0666));
    show("user rmid", (long)shmctl(id, IPC_RMID, NULL));
    show("user set", (long)shmctl(id, IPC_SET, &d));
    show("user lock", (long)shmctl(id, SHM_LOCK, NULL));
    _exit(0);
  }
  waitStatus(c);

  /* IPC_RMID while attached: the key is free at once, the segment lives until its last detach. */
  printf("rmid attached: %d\n", shmctl(id, IPC_RMID, NULL));
  d = st(id);
  printf("dest: key=%d mode=%o nattch=%lu\n", (int)d.shm_perm.__key, d.shm_perm.mode, (unsigned long)d.shm_nattch);
  show("key gone", (long)shmget(key, 100, 0600));
  int id2 = shmget(key, 100, IPC_CREAT | IPC_EXCL | 0600);
  printf("key reused: %s new=%d\n", en(id2), id2 != id);
  printf("still readable: %s\n", p);
  char *again = shmat(id, NULL, 0);
  printf("attach removed: %s\n", again == (void *)-1 ? en(-1) : "ok");
  if (again != (void *)-1) shmdt(again);
  c = fork();
  if (c == 0) _exit(attached(id));
  printf("child sees nattch: %d\n", waitStatus(c));
  /* SHM_REMAP over the segment's own last attachment: the new mapping takes the memory over (the unmap
     of the old one must not free it first). */
  char *re = shmat(id, p, SHM_REMAP);
  printf("remap removed over itself: %s text=%s\n", re == p ? "ok" : en(-1), re == p ? p : "-");
  shmdt(p);
  show("after last detach", (long)shmctl(id, IPC_STAT, &d));
  printf("rmid unattached: %d\n", shmctl(id2, IPC_RMID, NULL));
  show("gone", (long)shmctl(id2, IPC_STAT, &d));
  printf("sysv_shm: done\n");
  return 0;
}
