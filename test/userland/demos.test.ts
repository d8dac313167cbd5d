// tsix's C demos (userland/src/*.c) compiled with the riscv64 cross compiler and
// run under qemu-riscv64 on the host: each must pass on Linux before the tsix
// kernel is asked to run it. Concepts: C03, C06, C20, C22, C40, C44, C53, C59.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPrograms, CROSS_CC, listPrograms, type BuiltProgram } from "../../userland/image/programs.js";
import { tsixHome } from "../../userland/image/apt.js";

const have = (cmd: string): boolean => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const missing = [CROSS_CC, "qemu-riscv64"].filter((c) => !have(c));
const skip = missing.length > 0 ? `${missing.join(" and ")} not installed (gcc-riscv64-linux-gnu, qemu-user)` : false;

/** Arguments for the demos that take some; the fuzzer gets a fixed seed and enough calls to be worth it. */
const ARGS: Record<string, string[]> = { fuzz: ["4000", "7"] };
const EXPECTED = ["cow_demo", "exec_demo", "fork_wait", "fuzz", "orphan_demo", "pipe_demo", "segv_demo", "sigill_demo", "signal_demo"];

test("every demo named in the brief has a source", () => {
  const names = listPrograms().map((p) => p.name);
  for (const n of EXPECTED) assert.ok(names.includes(n), `userland/src/${n}.c is missing`);
  for (const p of listPrograms().filter((p) => EXPECTED.includes(p.name))) {
    assert.match(p.source, /^\/\*/, `${p.name}.c starts with a comment saying what it proves`);
    assert.ok(p.static, `${p.name} is linked statically`);
  }
});

let built: BuiltProgram[] | undefined;
async function programs(): Promise<BuiltProgram[]> {
  built ??= await buildPrograms(join(tsixHome(), "build", "programs"));
  return built;
}

for (const name of EXPECTED) {
  test(`${name} passes under qemu-riscv64`, { skip, timeout: 300_000 }, async () => {
    const prog = (await programs()).find((p) => p.name === name);
    assert.ok(prog, `${name} was built`);
    const cwd = mkdtempSync(join(tmpdir(), `tsix-${name}-`));
    try {
      const r = spawnSync("qemu-riscv64", [prog.binaryPath, ...(ARGS[name] ?? [])], {
        cwd,
        encoding: "utf8",
        timeout: 240_000,
        env: { ...process.env, TMPDIR: cwd },
      });
      const out = `${r.stdout}${r.stderr}`;
      assert.equal(r.status, 0, `${name} exited with ${r.status} (signal ${r.signal}):\n${out}`);
      assert.match(r.stdout, new RegExp(`^${name}: ok$`, "m"), out);
      assert.doesNotMatch(r.stdout, /^FAIL/m, out);
      if (name === "fuzz") assert.match(r.stdout, /, 0 out of range/);
      if (name === "cow_demo") assert.match(r.stdout, /one copy-on-write fault per page/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
}
