/*
 * cow_demo: after fork, parent and child share their memory pages copy-on-write.
 * Concepts: C59 (one frame mapped in several page tables; copy on write),
 * C53 (page faults, counted in getrusage's ru_minflt), C20 (private address spaces).
 *
 * The parent fills NPAGES pages before forking. In the child:
 *   - reading every page costs (almost) no page faults: the pages are shared;
 *   - writing every page costs at least one minor fault per page: each write
 *     hits a read-only shared page, the kernel copies the frame and maps the
 *     copy writable (a COW fault);
 * and afterwards the parent still sees its own data: the child's writes went
 * to private copies.
 * Prints ru_minflt before and after the reads and the writes.
 * Exits 0 when every check passes, 1 otherwise.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPAGES 64

static long minflt(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (size_t)NPAGES * (size_t)page;
    volatile unsigned char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) { perror("mmap"); return 1; }
    for (size_t i = 0; i < len; i++) mem[i] = 'P'; /* populate every page in the parent */

    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        int bad = 0;
        long before_read = minflt();
        unsigned sum = 0;
        for (size_t i = 0; i < len; i += (size_t)page) sum += mem[i];
        long after_read = minflt();
        for (size_t i = 0; i < len; i += (size_t)page) mem[i] = 'C';
        long after_write = minflt();
        long rd = after_read - before_read, wr = after_write - after_read;
        printf("child: minflt %ld before, %ld after reading %d shared pages (+%ld), %ld after writing them (+%ld)\n",
               before_read, after_read, NPAGES, rd, after_write, wr);
        if (sum != 'P' * (unsigned)NPAGES) { printf("FAIL: child read the parent's data\n"); bad = 1; }
        else printf("PASS: child read the parent's data\n");
        if (rd < NPAGES / 2) printf("PASS: reading shared pages caused %ld faults (< %d): frames are shared, not copied at fork\n", rd, NPAGES / 2);
        else { printf("FAIL: reading shared pages caused %ld faults (expected < %d)\n", rd, NPAGES / 2); bad = 1; }
        if (wr >= NPAGES) printf("PASS: writing %d pages caused %ld faults (>= %d): one copy-on-write fault per page\n", NPAGES, wr, NPAGES);
        else { printf("FAIL: writing %d pages caused only %ld faults (expected >= %d)\n", NPAGES, wr, NPAGES); bad = 1; }
        for (size_t i = 0; i < len; i += (size_t)page)
            if (mem[i] != 'C') { printf("FAIL: child's write did not stick\n"); bad = 1; break; }
        _exit(bad);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    int failures = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    int intact = 1;
    for (size_t i = 0; i < len; i++)
        if (mem[i] != 'P') { intact = 0; break; }
    printf("%s: parent's pages still hold its own data after the child wrote its copies\n", intact ? "PASS" : "FAIL");
    if (!intact) failures++;
    printf("cow_demo: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
