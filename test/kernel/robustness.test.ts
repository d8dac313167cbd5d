// Errors never take the system down: an oops forced in one syscall (the
// kernel's test hook) kills only the calling process; a malformed ELF is
// ENOEXEC, which the shell reports as an exec format error. (The syscall
// fuzzer runs in test/security/fuzz.test.ts.)
// Concepts: C06 (every user pointer checked: EFAULT, never a kernel crash),
// C04 (unknown syscalls give ENOSYS), C05 (ENOEXEC).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, explain } from "./harness.js";
import { SYS_sysinfo, SYS_getppid } from "../../kernel/abi/sysno.js";

test("an oops in a syscall kills only the caller; the system goes on", () => {
  // sysinfo's handler throws: `free` (in a subshell) is killed with SIGKILL; the shell, which never calls sysinfo, goes on.
  const r = tsix(["run", "--oops-syscall", String(SYS_sysinfo), "--", "sh", "-c", "(free); echo free status $?; echo still here; dmesg | grep -c 'oops: .* in syscall 179 (sysinfo)'"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^free status 137$/m, explain(r));
  assert.match(r.stdout, /^still here$/m);
  assert.match(r.stdout, /^1$/m, "the oops is in the kernel log once");
  // The environment variable does the same.
  const r2 = tsix(["run", "--", "sh", "-c", "echo $PPID; echo after"], { env: { ...process.env, TSIX_OOPS_SYSCALL: String(SYS_getppid) } });
  assert.equal(r2.stdout.includes("after"), false, "the shell itself was killed at getppid");
  assert.equal(r2.status, 137, explain(r2));
});

test("a malformed ELF gives ENOEXEC; the shell carries on", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-badelf-"));
  try {
    // An ELF header that claims riscv64 but whose program headers lie past the end of the file.
    const bad = Buffer.alloc(64);
    bad.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    bad.writeUInt16LE(2, 16); bad.writeUInt16LE(243, 18); bad.writeUInt32LE(1, 20);
    bad.writeBigUInt64LE(0x10000n, 24); bad.writeBigUInt64LE(4096n, 32);
    bad.writeUInt16LE(64, 52); bad.writeUInt16LE(56, 54); bad.writeUInt16LE(3, 56);
    writeFileSync(join(dir, "bad"), bad);
    chmodSync(join(dir, "bad"), 0o755);
    const r = tsix(["run", "--trace", "syscall", "--mount", `${dir}:/mnt/t`, "--", "sh", "-c", "cd /mnt/t && ./bad; echo status $?"]);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stderr, /execve\("\.\/bad", \["\.\/bad"\], \S+\) = -1 ENOEXEC \(Exec format error\)/, explain(r));
    // POSIX: on ENOEXEC the shell runs the file as a script (busybox ash and dash do; bash
    // refuses binary files). The "script" is not valid shell, so it fails, and the shell goes on.
    // (Its message is interleaved with the trace; the traced write shows it whole.)
    assert.match(r.stderr, /write\(2, ".*: not found", \d+\) = \d+/);
    assert.match(r.stdout, /^status 127$/m, explain(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
