/*
 * segv_demo: a bad memory access raises SIGSEGV in the faulting process only.
 * Concepts: C53 (a page fault the kernel cannot resolve), C44 (signal delivery,
 * default action: terminate), C57/C58 (unmapped regions and protections).
 *
 * Proves, each in its own child so that the parent survives:
 *   1. a store through a pointer to an unmapped page kills the child with
 *      SIGSEGV (parent: WIFSIGNALED, WTERMSIG == SIGSEGV);
 *   2. with an SA_SIGINFO handler, the same fault reports si_code SEGV_MAPERR
 *      and si_addr == the faulting address;
 *   3. a store to a read-only page reports SEGV_ACCERR and its address.
 * The unmapped address is a page this program mapped and then unmapped, so it
 * is known to be invalid. Exits 0 when every check passes, 1 otherwise.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int *target;
static volatile int expected_code;
static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

/* Handler: exit 0 when the fault is the expected one, 1 otherwise (returning would fault again). */
static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    int ok = sig == SIGSEGV && si->si_signo == SIGSEGV && si->si_code == expected_code && si->si_addr == (void *)target;
    char line[160];
    int n = snprintf(line, sizeof line, "  handler: signo %d, si_code %d (%s), si_addr %p (expected %p)\n", si->si_signo, si->si_code,
                     si->si_code == SEGV_MAPERR ? "SEGV_MAPERR" : si->si_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other",
                     si->si_addr, (void *)target);
    write(1, line, (size_t)n);
    _exit(ok ? 0 : 1);
}

static int run_child(void (*body)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(100); /* the fault did not happen */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

static void plain_fault(void) { *target = 42; }

static void install_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
}

static void maperr_fault(void) {
    install_handler();
    expected_code = SEGV_MAPERR;
    *target = 42;
}

static void accerr_fault(void) {
    install_handler();
    expected_code = SEGV_ACCERR;
    *target = 42;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long page = sysconf(_SC_PAGESIZE);
    /* The read-only page first: mapped after the munmap it could reuse the hole's address. */
    void *ro = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ro == MAP_FAILED) { perror("mmap"); return 1; }
    void *hole = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (hole == MAP_FAILED) { perror("mmap"); return 1; }
    munmap(hole, (size_t)page);

    target = (volatile int *)((char *)hole + 16);
    int st = run_child(plain_fault);
    char what[128];
    snprintf(what, sizeof what, "store to unmapped %p killed the child with SIGSEGV (status 0x%x)", (void *)target, st);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, what);

    st = run_child(maperr_fault);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "handler saw SEGV_MAPERR with si_addr = the unmapped address");

    target = (volatile int *)((char *)ro + 8);
    st = run_child(accerr_fault);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "handler saw SEGV_ACCERR with si_addr = the read-only address");

    printf("segv_demo: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
