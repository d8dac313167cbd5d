// Memory-mapping permissions (issue 6, part 1 and 2): a user who may only
// read a file must not be able to write it through a shared mapping made
// writable with mprotect - not /etc/passwd, not /bin/busybox, not a
// read-only host file in a --mount share. The rules are Linux's VM_MAY*
// (kernel/mm/mm.ts mmapMayProt): the test program test/kernel/fs/progs/
// sec_mmap.c checks each errno and, should a forbidden mprotect succeed,
// writes "PWNED" through it so that the file's change shows here too. The
// same program passes under qemu-riscv64 on the host's Linux kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, explain, have } from "../kernel/harness.js";
import { program, skipNoCC } from "../kernel/fs/harness.js";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const PASSWD = "root:x:0:0:root:/root:/bin/sh\n";

/** A host directory holding the test program and a 0444 file, for --mount. */
function share(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsix-sec-mmap-"));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "sec_mmap"), program("sec_mmap"));
  chmodSync(join(dir, "sec_mmap"), 0o755);
  writeFileSync(join(dir, "ro.txt"), PASSWD);
  chmodSync(join(dir, "ro.txt"), 0o444);
  return dir;
}

test("a read-only shared mapping cannot be mprotect'ed writable: /etc/passwd, /bin/busybox, a 0444 host file (uid 1000); O_WRONLY files cannot be mapped, O_RDWR ones may become writable", { skip: skipNoCC, timeout: 180_000 }, () => {
  const dir = share();
  try {
    const r = tsix(["run", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c",
      "sum0=$(md5sum /etc/passwd /bin/busybox); " +
      "/mnt/h/sec_mmap ro /etc/passwd; /mnt/h/sec_mmap ro /bin/busybox; /mnt/h/sec_mmap ro /mnt/h/ro.txt; /mnt/h/sec_mmap wronly /tmp; " +
      // The files are unchanged, and busybox still runs (exec maps it again).
      "[ \"$sum0\" = \"$(md5sum /etc/passwd /bin/busybox)\" ] && busybox echo unchanged; head -c 5 /etc/passwd; echo"]);
    const oks = r.stdout.match(/^sec_mmap ro: ok \(0 failures\)$/gm) ?? [];
    assert.equal(oks.length, 3, explain(r));
    assert.match(r.stdout, /^sec_mmap wronly: ok \(0 failures\)$/m, explain(r));
    assert.match(r.stdout, /^unchanged$/m, explain(r));
    assert.match(r.stdout, /^root:$/m, explain(r));
    assert.doesNotMatch(r.stdout, /PWNED|FAIL/, explain(r));
    assert.equal(readFileSync(join(dir, "ro.txt"), "utf8"), PASSWD, "the host file was written through the mapping");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("MAP_FIXED below vm.mmap_min_addr (4096) is EPERM for a user; at it, it works", { skip: skipNoCC, timeout: 120_000 }, () => {
  const dir = share();
  try {
    const r = tsix(["run", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c", "cat /proc/sys/vm/mmap_min_addr; /mnt/h/sec_mmap minaddr"]);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /^4096$/m, explain(r));
    assert.match(r.stdout, /sec_mmap minaddr: ok/, explain(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("noexec mount: PROT_EXEC mappings of its files are EPERM, mprotect(PROT_EXEC) EACCES", { skip: skipNoCC, timeout: 120_000 }, () => {
  const dir = share();
  try {
    const r = tsix(["run", "--mount", `${dir}:/mnt/h`, "--", "/mnt/h/sec_mmap", "noexec", "/tmp/nx"]);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /sec_mmap noexec: ok/, explain(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The same expectations, held to Linux (setresuid needs root on the host; noexec needs a mount: not here).
test("sec_mmap passes under qemu-riscv64 on Linux", { skip: skipNoCC || (!have("qemu-riscv64") ? "qemu-riscv64 is not installed" : false) || (!isRoot ? "needs root (setresuid)" : false), timeout: 120_000 }, () => {
  const dir = share();
  try {
    chmodSync(dir, 0o1777);
    const q = (args: string[]): void => {
      const r = spawnSync("qemu-riscv64", [join(dir, "sec_mmap"), ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /: ok \(0 failures\)/);
    };
    q(["ro", join(dir, "ro.txt")]);
    q(["ro", join(dir, "sec_mmap")]);
    q(["wronly", dir]);
    q(["minaddr"]);
    assert.equal(readFileSync(join(dir, "ro.txt"), "utf8"), PASSWD);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
