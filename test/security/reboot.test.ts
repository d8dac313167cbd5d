// reboot(2) is for root only, and a guest cannot stop or restart the machine
// by accident (kernel/syscalls/reboot.ts): a non-root caller gets EPERM
// before the magic words are even looked at, bad magic is EINVAL, an unknown
// command is EINVAL, and LINUX_REBOOT_CMD_POWER_OFF really stops the machine
// (the call does not return; tsix exits 0). test/security/progs/sec_reboot.c
// checks each case; its part that cannot stop anything (--safe) passes under
// qemu-riscv64 on Linux as well, which is where the expectations come from
// besides the man page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, explain, have, SRC_ROOT } from "../kernel/harness.js";
import { program, skipNoCC } from "../kernel/fs/harness.js";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function withProgram<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "tsix-sec-reboot-"));
  try {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, "sec_reboot"), program("sec_reboot", join(SRC_ROOT, "test/security/progs")));
    chmodSync(join(dir, "sec_reboot"), 0o755);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("reboot(2): EPERM for non-root (even with bad magic), EINVAL for bad magic or command; POWER_OFF stops the machine with status 0", { skip: skipNoCC, timeout: 120_000 }, () => {
  withProgram((dir) => {
    const r = tsix(["run", "--mount", `${dir}:/mnt/h`, "--", "/mnt/h/sec_reboot"]);
    assert.doesNotMatch(r.stdout, /FAIL/, explain(r));
    assert.match(r.stdout, /sec_reboot: ok \(0 failures\)\npowering off\n$/, explain(r));
    // The program returns 3 if POWER_OFF comes back; the machine stopping gives 0.
    assert.equal(r.status, 0, explain(r));
  });
});

// Only the checks that cannot stop anything run on the host: the non-root ones, and bad magic as root.
test("sec_reboot --safe passes under qemu-riscv64 on Linux", { skip: skipNoCC || (!have("qemu-riscv64") ? "qemu-riscv64 is not installed" : false) || (!isRoot ? "needs root (setresuid)" : false), timeout: 120_000 }, () => {
  withProgram((dir) => {
    const capEff = BigInt("0x" + (/^CapEff:\s*([0-9a-f]+)/m.exec(spawnSync("cat", ["/proc/self/status"], { encoding: "utf8" }).stdout)?.[1] ?? "0"));
    // Without CAP_SYS_BOOT (22), e.g. in a container, root gets EPERM too: permission is checked first.
    const badMagic = (capEff >> 22n) & 1n ? "EINVAL" : "EPERM";
    const q = spawnSync("qemu-riscv64", [join(dir, "sec_reboot"), "--safe", badMagic], { encoding: "utf8" });
    assert.equal(q.status, 0, `${q.stdout}${q.stderr}`);
    assert.match(q.stdout, /sec_reboot: ok \(0 failures\)/);
    // The same checks under tsix.
    const r = tsix(["run", "--mount", `${dir}:/mnt/h`, "--", "/mnt/h/sec_reboot", "--safe", "EINVAL"]);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /sec_reboot: ok \(0 failures\)/, explain(r));
  });
});
