/*
 * fuzz: call random system call numbers with random arguments and check that
 * every call returns either a value >= 0 or an error in -4095..-1, and that
 * the system survives.
 * Concepts: C06 (syscall argument tampering: every user pointer is checked, bad
 * ones give EFAULT, never a kernel crash), C04 (the syscall table: unknown
 * numbers give ENOSYS).
 *
 * Usage: fuzz [CALLS [SEED [HANG_MS]]]   (defaults: 2000 calls, seed 1, 10000 ms)
 *
 * How it works
 *   The parent forks a worker that makes the calls with a raw `ecall` (not
 *   glibc's syscall(), which would fold errors into -1/errno). The worker
 *   records each call and its result in a shared anonymous page. A random call
 *   may well kill the worker (munmap of its own code, a handler set to a wild
 *   address...): that is correct behaviour, so the parent counts the death
 *   against the call in flight and forks a new worker that carries on with the
 *   same random stream. If no call completes for HANG_MS, the parent kills the
 *   worker with SIGKILL and counts the call as hung.
 *
 *   Numbers are drawn from 0..500, arguments from: 0, small ints (0..64), -1,
 *   random 32- and 64-bit values, AT_FDCWD, pointers into a valid scratch
 *   buffer (random contents), a pointer straddling the end of the scratch
 *   buffer, a pointer into a read-only page, a just-unmapped page, NULL + 16,
 *   and a kernel-half address.
 *
 *   Blocking is defused rather than avoided: the worker's stdin, stdout and
 *   stderr are /dev/null (so reads on fds 0..2 return at once), it has no
 *   children (so wait4/waitid fail with ECHILD), and before each call it
 *   re-installs a SIGALRM handler (no SA_RESTART), unblocks SIGALRM and arms a
 *   20 ms one-shot timer, so that a call that sleeps (a read on a pipe it made,
 *   futex, nanosleep, accept, msgrcv...) returns EINTR.
 *
 * Skipped numbers (drawn, not called, not counted as calls)
 *   - ends or replaces the process, or signals others: exit 93, exit_group 94,
 *     kill 129, tkill 130, tgkill 131, rt_sigqueueinfo 138,
 *     rt_tgsigqueueinfo 240, pidfd_send_signal 424, clone 220, clone3 435,
 *     execve 221, execveat 281, rt_sigreturn 139;
 *   - blocks forever with a mask that can block SIGALRM (pause-like):
 *     rt_sigsuspend 133;
 *   - changes the machine rather than the calling process (skipped so that the
 *     program is safe to run as root on a Linux host, or under qemu-user, which
 *     passes these calls through): mount 40, umount2 39, pivot_root 41,
 *     vhangup 58, quotactl 60, acct 89, kexec_load 104, init_module 105,
 *     delete_module 106, clock_settime 112, syslog 116, ptrace 117,
 *     sched_setparam 118, sched_setscheduler 119, sched_setaffinity 122,
 *     setpriority 140, reboot 142, sethostname 161, setdomainname 162,
 *     setrlimit 164, settimeofday 170, adjtimex 171, add_key 217,
 *     request_key 218, keyctl 219, swapon 224, swapoff 225, mlock 228,
 *     mlockall 230, migrate_pages 238, move_pages 239, perf_event_open 241,
 *     prlimit64 261, fanotify_init 262, fanotify_mark 263,
 *     open_by_handle_at 265, clock_adjtime 266, process_vm_readv 270,
 *     process_vm_writev 271, finit_module 273, sched_setattr 274, bpf 280,
 *     mlock2 284, kexec_file_load 294, ioprio_set 30, open_tree 428,
 *     move_mount 429, fsopen 430, fsconfig 431, fsmount 432, fspick 433,
 *     pidfd_open 434, pidfd_getfd 438, process_madvise 440,
 *     mount_setattr 442, quotactl_fd 443, process_mrelease 448.
 * Filtered arguments (the call is skipped, counted as filtered)
 *   - socket/socketpair of AF_NETLINK or AF_PACKET (could reconfigure the
 *     host's network); madvise with advice >= 22 (MADV_POPULATE_*, HWPOISON);
 *   - the ids given to setuid/setgid/setreuid/setregid/setresuid/setresgid/
 *     setfsuid/setfsgid and personality's argument are kept below 2^31 (-1
 *     stays -1): qemu-user returns getuid() and personality() as a
 *     sign-extended int, so a uid >= 2^31 would look like a bad result there;
 *     Linux returns them zero-extended;
 *   - mmap with MAP_POPULATE or MAP_LOCKED loses those flags, and fallocate's
 *     length is capped at 1 MiB (no host memory or disk exhaustion).
 *   - the sigmask argument of ppoll, pselect6, epoll_pwait, epoll_pwait2 and
 *     io_pgetevents is replaced by NULL (a random mask could block SIGALRM).
 * The worker also runs in a fresh temporary directory, and the scratch bytes
 * never contain '/' or '.', so every path it can name is a single component
 * inside that directory, which the parent removes at the end. It calls setsid
 * (no controlling tty), tries unshare(NEWNET|NEWUTS|NEWIPC) (errors ignored),
 * and sets RLIMIT_FSIZE to 16 MiB with SIGXFSZ ignored.
 *
 * Exits 0 when every completed call returned a value in range, 1 otherwise.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if !defined(__riscv) || __riscv_xlen != 64
#error "fuzz makes raw riscv64 system calls"
#endif

#define MAXNR 500
#define SCRATCH (64 * 1024)

struct shared {
    volatile uint64_t rng;     /* random state, carried across workers */
    volatile long done;        /* calls completed (also the progress counter) */
    volatile long inflight;    /* number of the call in flight, or -1 */
    volatile long in_args[6];
    volatile long ok, errs, bad, eintr, filtered, skipped, deaths, hangs;
    volatile long bad_nr, bad_ret, bad_args[6];
    volatile long err_by_errno[4096];
    volatile long calls_by_nr[MAXNR + 1];
    volatile long death_by_sig[65];
};

static struct shared *sh;
static unsigned char *scratch, *ro_page, *hole;

static uint64_t rnd(void) {
    uint64_t x = sh->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    sh->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static long raw6(long n, long a0, long a1, long a2, long a3, long a4, long a5) {
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = a1;
    register long r2 __asm__("a2") = a2;
    register long r3 __asm__("a3") = a3;
    register long r4 __asm__("a4") = a4;
    register long r5 __asm__("a5") = a5;
    register long r7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7) : "memory");
    return r0;
}

static int skipped_nr(long nr) {
    static const short skip[] = {
        93, 94, 129, 130, 131, 138, 240, 424, 220, 435, 221, 281, 139, /* exit, kill, clone, exec, sigreturn */
        133,                                                            /* rt_sigsuspend */
        40, 39, 41, 58, 60, 89, 104, 105, 106, 112, 116, 117, 118, 119, 122, 140, 142, 161, 162, 164, 170,
        171, 217, 218, 219, 224, 225, 228, 230, 238, 239, 241, 261, 262, 263, 265, 266, 270, 271, 273, 274,
        280, 284, 294, 30, 428, 429, 430, 431, 432, 433, 434, 438, 440, 442, 443, 448,     /* host-wide */
    };
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (skip[i] == nr) return 1;
    return 0;
}

static void refill_scratch(void) {
    for (size_t i = 0; i < SCRATCH; i += 8) {
        uint64_t v = rnd();
        for (int j = 0; j < 8; j++) {
            unsigned char b = (unsigned char)(v >> (8 * j));
            if ((b & 0x0f) == 0) b = 0; /* plenty of NULs: short strings */
            if (b == '/' || b == '.') b = 'x';
            scratch[i + (size_t)j] = b;
        }
    }
}

static long random_arg(void) {
    uint64_t r = rnd();
    switch (r % 14) {
    case 0: return 0;
    case 1: return (long)((r >> 8) % 65);
    case 2: return -1;
    case 3: return (long)rnd();
    case 4: return (long)(uint32_t)(r >> 16);
    case 5: return -100; /* AT_FDCWD */
    case 6: case 7: return (long)(scratch + ((r >> 8) % SCRATCH));
    case 8: return (long)(scratch + SCRATCH - 4);
    case 9: return (long)(ro_page + ((r >> 8) % 4096));
    case 10: return (long)(hole + ((r >> 8) % 4096));
    case 11: return 16;
    case 12: return (long)(0xffffffc000000000UL + ((r >> 8) & 0xffffff));
    default: return (long)((r >> 8) % 4096);
    }
}

/* Returns 1 when the call must not be made with these arguments. */
static int sanitize(long nr, long a[6]) {
    switch (nr) {
    case 198: case 199: /* socket, socketpair */
        if (a[0] == 16 || a[0] == 17) return 1;
        break;
    case 233: /* madvise */
        if ((unsigned long)a[2] >= 22) return 1;
        break;
    case 222: /* mmap */
        a[3] &= ~(long)(0x8000 | 0x2000); /* MAP_POPULATE, MAP_LOCKED */
        break;
    case 146: case 144: case 151: case 152: /* setuid, setgid, setfsuid, setfsgid */
    case 145: case 143: /* setreuid, setregid */
    case 147: case 149: /* setresuid, setresgid */
    case 92:            /* personality */
        for (int i = 0; i < 3; i++)
            if ((uint32_t)a[i] != 0xffffffffu) a[i] &= 0x7fffffff;
        break;
    case 47: /* fallocate */
        if ((unsigned long)a[3] > (1UL << 20)) a[3] = (long)((unsigned long)a[3] & ((1UL << 20) - 1));
        break;
    case 73: a[3] = 0; break;  /* ppoll sigmask */
    case 72: a[5] = 0; break;  /* pselect6 sigmask */
    case 22: a[4] = 0; break;  /* epoll_pwait sigmask */
    case 441: a[4] = 0; break; /* epoll_pwait2 sigmask */
    case 292: a[5] = 0; break; /* io_pgetevents sigmask */
    }
    return 0;
}

static void on_alarm(int sig) { (void)sig; }

static void worker(long total) {
    setsid();
    unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2) close(null);
    }
    struct rlimit fsz = {16 << 20, 16 << 20};
    setrlimit(RLIMIT_FSIZE, &fsz);
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: sleeping calls return EINTR */
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    /* Periodic: an alarm that fires before the call starts (a loaded host can
     * stall the worker between setitimer and the ecall) must not leave an
     * endless wait with nothing to interrupt it. */
    struct itimerval arm = {{0, 20000}, {0, 20000}}, disarm = {{0, 0}, {0, 0}};

    long since_refill = 0;
    while (sh->done < total) {
        long nr = (long)(rnd() % (MAXNR + 1));
        if (skipped_nr(nr)) {
            sh->skipped++;
            continue;
        }
        long a[6];
        for (int i = 0; i < 6; i++) a[i] = random_arg();
        if (sanitize(nr, a)) {
            sh->filtered++;
            continue;
        }
        if (++since_refill == 64) {
            refill_scratch();
            since_refill = 0;
        }
        for (int i = 0; i < 6; i++) sh->in_args[i] = a[i];
        sigaction(SIGALRM, &sa, NULL);
        sigprocmask(SIG_UNBLOCK, &alrm, NULL);
        setitimer(ITIMER_REAL, &arm, NULL);
        sh->inflight = nr;
        long ret = raw6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        sh->inflight = -1;
        setitimer(ITIMER_REAL, &disarm, NULL);

        sh->calls_by_nr[nr]++;
        if (ret >= 0) {
            sh->ok++;
        } else if (ret >= -4095) {
            sh->errs++;
            sh->err_by_errno[-ret]++;
            if (ret == -EINTR) sh->eintr++;
        } else {
            if (sh->bad == 0) {
                sh->bad_nr = nr;
                sh->bad_ret = ret;
                for (int i = 0; i < 6; i++) sh->bad_args[i] = a[i];
            }
            sh->bad++;
        }
        sh->done++;
    }
    _exit(0);
}

static void remove_tree(const char *path) {
    chmod(path, 0700);
    DIR *d = opendir(path);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            struct stat st;
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(sub);
            else unlink(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *errno_name(int e) {
    switch (e) {
    case EPERM: return "EPERM"; case ENOENT: return "ENOENT"; case ESRCH: return "ESRCH";
    case EINTR: return "EINTR"; case EBADF: return "EBADF"; case ECHILD: return "ECHILD";
    case EAGAIN: return "EAGAIN"; case ENOMEM: return "ENOMEM"; case EACCES: return "EACCES";
    case EFAULT: return "EFAULT"; case EEXIST: return "EEXIST"; case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR"; case EINVAL: return "EINVAL"; case ENOTTY: return "ENOTTY";
    case ESPIPE: return "ESPIPE"; case ENAMETOOLONG: return "ENAMETOOLONG"; case ENOSYS: return "ENOSYS";
    case EOPNOTSUPP: return "EOPNOTSUPP"; case ENOTSOCK: return "ENOTSOCK"; case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT"; case ERANGE: return "ERANGE"; case E2BIG: return "E2BIG";
    default: return NULL;
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long total = argc > 1 ? strtol(argv[1], NULL, 0) : 2000;
    unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
    long hang_ms = argc > 3 ? strtol(argv[3], NULL, 0) : 10000;
    if (total < 0) total = 0;

    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    /* A PROT_NONE guard page after the scratch buffer: a write straddling its end must fault (EFAULT),
     * not land in whatever mapping the kernel placed next to it (top-down mmap puts `sh` right there). */
    scratch = mmap(NULL, SCRATCH + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    hole = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED || scratch == MAP_FAILED || ro_page == MAP_FAILED || hole == MAP_FAILED) {
        perror("fuzz: mmap");
        return 1;
    }
    mprotect(scratch + SCRATCH, 4096, PROT_NONE);
    memset(ro_page, 'A', 4095);
    ro_page[4095] = 0;
    mprotect(ro_page, 4096, PROT_READ);
    munmap(hole, 4096);
    memset((void *)sh, 0, sizeof *sh);
    sh->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    sh->inflight = -1;
    refill_scratch();

    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        snprintf(dir, sizeof dir, "fuzz.XXXXXX");
        if (mkdtemp(dir) == NULL) { perror("fuzz: mkdtemp"); return 1; }
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL) strcpy(cwd, "/");

    printf("fuzz: seed %lu, %ld calls of numbers 0..%d in %s\n", seed, total, MAXNR, dir);
    long workers = 0;
    while (sh->done < total && workers < total + 100) {
        workers++;
        pid_t pid = fork();
        if (pid < 0) { perror("fuzz: fork"); break; }
        if (pid == 0) {
            if (chdir(dir) != 0) _exit(3);
            worker(total);
        }
        long last_done = sh->done, last_change = now_ms();
        int status = 0, hung = 0;
        for (;;) {
            pid_t r = waitpid(pid, &status, WNOHANG);
            if (r == pid) break;
            if (r < 0 && errno != EINTR) break;
            if (sh->done != last_done) {
                last_done = sh->done;
                last_change = now_ms();
            } else if (now_ms() - last_change > hang_ms) {
                printf("fuzz: call %ld, number %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx), hung for %ld ms: killing the worker\n",
                       sh->done, sh->inflight, sh->in_args[0], sh->in_args[1], sh->in_args[2], sh->in_args[3],
                       sh->in_args[4], sh->in_args[5], hang_ms);
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                sh->hangs++;
                hung = 1;
                break;
            }
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (!hung && WIFSIGNALED(status)) {
            sh->deaths++;
            sh->death_by_sig[WTERMSIG(status) & 63]++;
        } else if (!hung && sh->done < total) {
            printf("fuzz: worker ended with status %#x during call %ld (number %ld)\n", status, sh->done, sh->inflight);
        }
        if (sh->inflight >= 0) { /* the worker died (or hung) in this call: count it and move on */
            sh->calls_by_nr[sh->inflight]++;
            sh->inflight = -1;
            sh->done++;
        }
    }
    if (chdir(cwd) != 0) { /* ignore */ }
    remove_tree(dir);

    printf("fuzz: %ld calls made (%ld numbers drawn and skipped, %ld calls filtered), %ld workers\n",
           sh->done, sh->skipped, sh->filtered, workers);
    printf("fuzz: %ld returned >= 0, %ld returned an errno (%ld EINTR), %ld out of range\n", sh->ok, sh->errs, sh->eintr, sh->bad);
    printf("fuzz: errnos:");
    for (int round = 0; round < 8; round++) { /* the 8 most common */
        long best = 0;
        int be = 0;
        for (int e = 1; e < 4096; e++)
            if (sh->err_by_errno[e] > best) { best = sh->err_by_errno[e]; be = e; }
        if (best == 0) break;
        const char *name = errno_name(be);
        if (name) printf(" %s %ld", name, best);
        else printf(" E%d %ld", be, best);
        sh->err_by_errno[be] = -sh->err_by_errno[be];
    }
    printf("\nfuzz: workers killed by a signal: %ld", sh->deaths);
    for (int s = 1; s < 65; s++)
        if (sh->death_by_sig[s]) printf(" %s x%ld", strsignal(s), sh->death_by_sig[s]);
    printf("; hung calls: %ld\n", sh->hangs);
    if (sh->bad) {
        printf("FAIL: syscall %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) returned %ld (%#lx), outside -4095..-1\n", sh->bad_nr,
               sh->bad_args[0], sh->bad_args[1], sh->bad_args[2], sh->bad_args[3], sh->bad_args[4], sh->bad_args[5],
               sh->bad_ret, sh->bad_ret);
    }
    int ok = sh->bad == 0 && sh->done >= total;
    printf("fuzz: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
