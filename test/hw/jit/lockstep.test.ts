// Lockstep tests of the second execution tier (hw/jit): the interpreter and
// the JIT run the same programs slice by slice and must never differ (see
// lockstep.ts): every ISA test program of test/hw/isa, random differential
// programs of test/hw/diff in both of their modes (M-mode without paging and
// U-mode under Sv39 with scattered physical pages), and the integer-mix
// benchmark. Each test also checks that the JIT really ran a share of the
// instructions, so that a tier that never translates cannot pass.
import { test, after } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildBare, CROSS_GCC, SRC_ROOT } from "../bare.js";
import { genProgram, renderProgram, type Area } from "../diff/gen.js";
import { buildProgram } from "../diff/run.js";
import { lockstep, lockstepCoverage, type LockstepResult } from "./lockstep.js";

// The closing line: how much all the lockstep runs of this file compared.
after(() => { console.log(lockstepCoverage("lockstep.test")); });

const haveGcc = spawnSync(CROSS_GCC, ["--version"]).status === 0;
const ISA_DIR = join(SRC_ROOT, "test/hw/isa");

function isaElf(file: string): string {
  const h = createHash("sha256");
  for (const f of readdirSync(ISA_DIR).filter((n) => n.endsWith(".h")).sort()) { h.update(f); h.update(readFileSync(join(ISA_DIR, f))); }
  return buildBare(`test/hw/isa/${file}`, [`-DISA_HEADERS_HASH=${h.digest("hex").slice(0, 16)}`]);
}

function summary(name: string, r: LockstepResult): string {
  return `${name}: ${r.instructions} instructions in ${r.slices} slices, ${r.jitInstructions} ` +
    `(${(100 * r.jitInstructions / Math.max(1, r.instructions)).toFixed(1)}%) in ${r.regions} translated regions, finisher ${r.finished}`;
}

test("lockstep: every ISA test program runs identically in both tiers", { skip: !haveGcc && "needs the riscv64 cross gcc" }, (t) => {
  let total = 0, jit = 0;
  for (const f of readdirSync(ISA_DIR).filter((n) => n.endsWith(".S")).sort()) {
    const r = lockstep(isaElf(f), { maxBudget: 40 });
    assert.match(r.finished, /"pass"/, `${f} must pass in both tiers`);
    t.diagnostic(summary(f, r));
    total += r.instructions;
    jit += r.jitInstructions;
  }
  // (the total includes instret values the programs write themselves, e.g. zicsr.S)
  t.diagnostic(`ISA programs: ${jit} instructions ran translated (instret total ${total})`);
  assert.ok(jit > 0, "the JIT must have run some of the ISA programs' instructions");
});

const AREAS: Area[] = ["int", "rvc", "amo", "mix", "f", "enc"];
for (const area of AREAS) {
  test(`lockstep: random differential programs (${area}), M-mode and Sv39 U-mode`, { skip: !haveGcc && "needs the riscv64 cross gcc" }, async (t) => {
    let total = 0, jit = 0;
    for (let prog = 0; prog < 2; prog++) {
      const seqs = genProgram(`jit-lockstep-${prog}`, area, prog, 40);
      // A jump into each sequence makes its first instruction an entry point of the JIT (regions
      // are entered at taken branches), so the random instructions themselves run translated.
      const src = renderProgram(seqs.map((seq) => ({ seq })))
        .replace(/( {4}SEQ_BEGIN [^\n]*\n {4}\.option push\n {4}\.option (?:no)?rvc\n)/g, "$1    j 9999f\n9999:\n");
      assert.ok(src.includes("j 9999f"));
      const elfs = await buildProgram(`jit-lockstep-${area}-${prog}`, src, ["bare", "paged"]);
      for (const mode of ["bare", "paged"] as const) {
        const r = lockstep(elfs.tsix[mode], { seed: prog + 7, maxBudget: 120 });
        assert.match(r.finished, /"pass"/);
        t.diagnostic(summary(`${area} program ${prog} (${mode})`, r));
        total += r.instructions;
        jit += r.jitInstructions;
      }
    }
    t.diagnostic(`${area}: ${jit} of ${total} instructions ran translated`);
    assert.ok(jit > total / 20, `the JIT ran too little of the ${area} programs (${jit} of ${total})`);
  });
}

test("lockstep: the integer-mix benchmark (first 3 M instructions)", { skip: !haveGcc && "needs the riscv64 cross gcc" }, (t) => {
  const out = join(SRC_ROOT, "build/jit");
  mkdirSync(out, { recursive: true });
  const elf = join(out, "intmix-bare.elf");
  const r0 = spawnSync(CROSS_GCC, ["-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany", "-nostdlib", "-static", "-ffreestanding",
    "-fno-pic", "-no-pie", "-T", join(SRC_ROOT, "test/hw/common/link.ld"), "-Wl,--no-warn-rwx-segments", "-O2", "-DBARE",
    "-o", elf, join(SRC_ROOT, "bench/programs/intmix.c")], { encoding: "utf8" });
  assert.equal(r0.status, 0, r0.stderr);
  const r = lockstep(elf, { maxInstructions: 3_000_000, maxBudget: 5000 });
  t.diagnostic(summary("intmix", r));
  assert.ok(r.jitInstructions > r.instructions / 2, "most of intmix must run translated");
});
