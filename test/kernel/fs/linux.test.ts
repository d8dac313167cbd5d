// The VFS test programs are first held to Linux itself: each one that does
// not need a private machine (mounts, chroot) runs under qemu-riscv64 on the
// host kernel, in a scratch directory, and must pass there too - so what the
// tsix tests expect is what Linux does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { program, haveCC } from "./harness.js";

const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const skip = !haveCC ? "riscv64-linux-gnu-gcc is not installed" : !haveQemu ? "qemu-riscv64 is not installed (qemu-user)" : false;

for (const name of ["fs_files", "fs_dirs", "fs_pipe", "fs_lock", "fs_perm"]) {
  const needsRoot = name === "fs_perm";
  test(`${name} passes under qemu-riscv64 on Linux`, { skip: skip || (needsRoot && !isRoot ? "needs root (setresuid)" : false), timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), `tsix-${name}-`));
    try {
      chmodSync(dir, 0o1777);
      const bin = join(dir, name);
      writeFileSync(bin, program(name));
      chmodSync(bin, 0o755);
      const r = spawnSync("qemu-riscv64", [bin], { cwd: dir, encoding: "utf8", timeout: 100_000, env: { ...process.env, TESTDIR: dir } });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`${name}: ok`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
