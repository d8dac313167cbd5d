// The IPC tests' reference: a C program from test/kernel/ipc/progs run under
// qemu-riscv64 on the host's Linux kernel, whose output tsix's must equal.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { program } from "../fs/harness.js";

export const PROGS = join(resolve(dirname(fileURLToPath(import.meta.url)), "../../../.."), "test/kernel/ipc/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

/** The program's output under qemu-riscv64 (Linux), or null without qemu. */
export function onLinux(name: string): string | null {
  if (!haveQemu) return null;
  const dir = mkdtempSync(join(tmpdir(), `tsix-${name}-`));
  try {
    const bin = join(dir, name);
    writeFileSync(bin, program(name, PROGS));
    chmodSync(bin, 0o755);
    const r = spawnSync("qemu-riscv64", [bin], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
