/*
 * reboot(2)'s checks, in Linux's order (kernel/reboot.c, reboot(2) man page):
 *   1. the caller needs CAP_SYS_BOOT, else EPERM - before the magic words are
 *      looked at, so a non-root caller gets EPERM even with bad magic;
 *   2. magic1 must be LINUX_REBOOT_MAGIC1 and magic2 one of MAGIC2/2A/2B/2C,
 *      else EINVAL;
 *   3. an unknown command is EINVAL; CAD_ON/CAD_OFF return 0 and set what
 *      /proc/sys/kernel/ctrl-alt-del shows.
 *
 * Usage:
 *   sec_reboot            every check above (as root), then LINUX_REBOOT_CMD_POWER_OFF,
 *                         which must not return: the machine stops (tsix exits 0).
 *   sec_reboot --safe E   only what cannot stop anything, for running under
 *                         qemu-riscv64 on the host: the non-root checks (EPERM),
 *                         and bad magic as root expecting errno E (EINVAL with
 *                         CAP_SYS_BOOT, EPERM without it).
 * Prints "sec_reboot: ok (0 failures)" when every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static long sys_reboot(unsigned m1, unsigned m2, unsigned cmd, const void *arg) {
    return syscall(SYS_reboot, m1, m2, cmd, arg);
}

static void expect(const char *what, long r, int want_errno) {
    int e = errno;
    if (want_errno == 0 ? r == 0 : (r == -1 && e == want_errno)) return;
    printf("FAIL %s: got %ld errno %d (%s), want %s\n", what, r, r == -1 ? e : 0, r == -1 ? strerror(e) : "-",
           want_errno ? strerror(want_errno) : "0");
    failures++;
}

/* /proc/sys/kernel/ctrl-alt-del shows what CAD_ON / CAD_OFF set (Linux's C_A_D). */
static void expect_cad(const char *what, int want) {
    FILE *f = fopen("/proc/sys/kernel/ctrl-alt-del", "r");
    int v = -1;
    if (!f || fscanf(f, "%d", &v) != 1 || v != want) {
        printf("FAIL ctrl-alt-del %s: read %d, want %d\n", what, v, want);
        failures++;
    }
    if (f) fclose(f);
}

/* In a child that drops root: every reboot(2) is EPERM, bad magic or not. */
static void nonroot_checks(void) {
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) { perror("setresuid"); _exit(2); }
        int bad = 0;
        errno = 0;
        long r = sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL);
        if (!(r == -1 && errno == EPERM)) { printf("FAIL non-root POWER_OFF: %ld errno %d\n", r, errno); bad++; }
        r = sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART, NULL);
        if (!(r == -1 && errno == EPERM)) { printf("FAIL non-root RESTART: %ld errno %d\n", r, errno); bad++; }
        r = sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF, NULL);
        if (!(r == -1 && errno == EPERM)) { printf("FAIL non-root CAD_OFF: %ld errno %d\n", r, errno); bad++; }
        /* Permission comes first: bad magic is still EPERM for a non-root caller. */
        r = sys_reboot(0x12345678, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL);
        if (!(r == -1 && errno == EPERM)) { printf("FAIL non-root bad magic: %ld errno %d\n", r, errno); bad++; }
        fflush(stdout);
        _exit(bad);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) { printf("FAIL non-root child did not exit\n"); failures++; return; }
    failures += WEXITSTATUS(st);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int safe = argc > 2 && strcmp(argv[1], "--safe") == 0;
    int bad_magic_errno = EINVAL;
    if (safe) bad_magic_errno = strcmp(argv[2], "EPERM") == 0 ? EPERM : EINVAL;

    /* Bad magic as root: EINVAL (nothing happens, so this is safe anywhere). */
    expect("bad magic1", sys_reboot(0xfee1deaf, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL), bad_magic_errno);
    expect("bad magic2", sys_reboot(LINUX_REBOOT_MAGIC1, 12345, LINUX_REBOOT_CMD_POWER_OFF, NULL), bad_magic_errno);
    expect("magic swapped", sys_reboot(LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_CMD_RESTART, NULL), bad_magic_errno);
    nonroot_checks();
    if (safe) {
        printf("sec_reboot: ok (%d failures)\n", failures);
        return failures ? 1 : 0;
    }
    /* The other second magic words are accepted (CAD_ON changes nothing visible). */
    expect("CAD_ON with MAGIC2A", sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2A, LINUX_REBOOT_CMD_CAD_ON, NULL), 0);
    expect("CAD_OFF with MAGIC2B", sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2B, LINUX_REBOOT_CMD_CAD_OFF, NULL), 0);
    expect_cad("after CAD_OFF", 0);
    expect("CAD_ON with MAGIC2C", sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C, LINUX_REBOOT_CMD_CAD_ON, NULL), 0);
    expect_cad("after CAD_ON", 1);
    expect("unknown command", sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0x12345678, NULL), EINVAL);
    expect("RESTART2 with a bad pointer", sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART2, (void *)8), EFAULT);
    printf("sec_reboot: ok (%d failures)\n", failures);
    if (failures) return 1;
    printf("powering off\n");
    long r = sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL);
    printf("FAIL POWER_OFF returned %ld errno %d\n", r, errno);
    return 3;
}
