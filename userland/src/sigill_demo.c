/*
 * sigill_demo: privileged instructions trap in user mode.
 * Concepts: C03 (privileged instructions and protection rings: U-mode code may
 * not touch supervisor CSRs or return from supervisor mode), C44 (SIGILL).
 *
 * Proves:
 *   1. a child that executes `csrw satp, zero` (try to switch off the MMU) is
 *      killed by SIGILL, and the system goes on;
 *   2. with an SA_SIGINFO handler, each of `csrw satp, zero`, `sret` and
 *      `csrr a0, mstatus` raises SIGILL with si_code ILL_ILLOPC and si_addr
 *      pointing at the instruction (its encoding is checked); the handler
 *      skips the instruction by advancing the saved pc by 4, and the kernel's
 *      sigreturn resumes there.
 * Exits 0 when every check passes, 1 otherwise.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#if !defined(__riscv)
#error "sigill_demo executes RISC-V privileged instructions"
#endif

static volatile int traps, bad;
static volatile uint32_t expected_insn;
static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok) failures++;
}

static void on_sigill(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    unsigned long pc = uc->uc_mcontext.__gregs[0]; /* REG_PC */
    uint32_t insn;
    memcpy(&insn, (const void *)pc, sizeof insn);
    if (sig != SIGILL || si->si_code != ILL_ILLOPC || (unsigned long)si->si_addr != pc || insn != expected_insn) bad++;
    traps++;
    uc->uc_mcontext.__gregs[0] = pc + 4; /* skip the 4-byte instruction */
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);

    pid_t pid = fork();
    if (pid == 0) {
        __asm__ volatile("csrw satp, zero");
        _exit(0); /* not reached when the instruction traps */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    char what[128];
    snprintf(what, sizeof what, "child executing `csrw satp, zero` in U-mode was killed by SIGILL (status 0x%x)", status);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGILL, what);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);

    expected_insn = 0x18001073; /* csrrw zero, satp, zero */
    __asm__ volatile(".option push\n.option norvc\ncsrw satp, zero\n.option pop" ::: "memory");
    check(traps == 1 && bad == 0, "`csrw satp, zero`: SIGILL, ILL_ILLOPC, si_addr at the instruction; resumed after it");

    expected_insn = 0x10200073; /* sret */
    __asm__ volatile(".option push\n.option norvc\nsret\n.option pop" ::: "memory");
    check(traps == 2 && bad == 0, "`sret`: SIGILL, ILL_ILLOPC, si_addr at the instruction; resumed after it");

    expected_insn = 0x30002573; /* csrrs a0, mstatus, zero */
    __asm__ volatile(".option push\n.option norvc\ncsrr a0, mstatus\n.option pop" ::: "a0", "memory");
    check(traps == 3 && bad == 0, "`csrr a0, mstatus`: SIGILL, ILL_ILLOPC, si_addr at the instruction; resumed after it");

    printf("sigill_demo: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
