// Resource limits (issue 6, part 3): setrlimit/prlimit64 follow Linux's
// rules (kernel/syscalls/info.ts setRlimit): RLIMIT_NOFILE never above
// fs.nr_open, even for root; soft above hard is EINVAL; only root raises a
// hard limit; prlimit64 on another process needs matching ids; and the
// limits the kernel has are enforced (RLIMIT_NOFILE on every new
// descriptor, RLIMIT_NPROC on fork). test/kernel/fs/progs/sec_rlimit.c
// checks each errno; it passes under qemu-riscv64 on Linux as well.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, sh, explain, have } from "../kernel/harness.js";
import { program, skipNoCC } from "../kernel/fs/harness.js";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function withProgram<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "tsix-sec-rlimit-"));
  try {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, "sec_rlimit"), program("sec_rlimit"));
    chmodSync(join(dir, "sec_rlimit"), 0o755);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("setrlimit/prlimit64 refuse what Linux refuses; RLIMIT_NOFILE and RLIMIT_NPROC are enforced", { skip: skipNoCC, timeout: 120_000 }, () => {
  withProgram((dir) => {
    const r = tsix(["run", "--mount", `${dir}:/mnt/h`, "--", "/mnt/h/sec_rlimit"]);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /sec_rlimit: ok \(0 failures\)/, explain(r));
  });
});

test("fs.nr_open and the shell's ulimit agree with the kernel", { timeout: 60_000 }, () => {
  const r = sh("cat /proc/sys/fs/nr_open; ulimit -n 2000000; echo status=$?; ulimit -n 512 && ulimit -n");
  assert.match(r.stdout, /^1048576$/m, explain(r));
  assert.match(r.stdout, /^status=[1-9]/m, explain(r));
  assert.match(r.stdout, /^512$/m, explain(r));
});

// Root in a container may lack CAP_SYS_RESOURCE: the program then skips the two root-raises-hard-limit checks.
test("sec_rlimit passes under qemu-riscv64 on Linux", { skip: skipNoCC || (!have("qemu-riscv64") ? "qemu-riscv64 is not installed" : false) || (!isRoot ? "needs root (setresuid)" : false), timeout: 120_000 }, () => {
  withProgram((dir) => {
    const capEff = BigInt("0x" + (/^CapEff:\s*([0-9a-f]+)/m.exec(spawnSync("cat", ["/proc/self/status"], { encoding: "utf8" }).stdout)?.[1] ?? "0"));
    const hasSysResource = (capEff >> 24n) & 1n;
    const r = spawnSync("qemu-riscv64", [join(dir, "sec_rlimit"), ...(hasSysResource ? [] : ["nocap"])], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /sec_rlimit: ok \(0 failures\)/);
  });
});
