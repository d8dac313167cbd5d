// RV64GC unprivileged instruction tests (test/hw/isa/*.S), written from the
// RISC-V unprivileged specification: RV64I, M, A, Zicsr/Zicntr, F, D, C and
// Zifencei. Each program runs in M-mode from 0x80000000 and reports through
// the SiFive test finisher: exit status 0 = pass, 1..239 = the check with that
// code failed, 240 + mcause = unexpected trap (the program also prints
// "isa: FAIL <code> got=... exp=..." or the trap CSRs on the UART).
//
// Every program runs on tsix (`tsix machine --bare`) and, when
// qemu-system-riscv64 is installed, on qemu (-M virt -bios none) as the
// reference: a failure there means the test itself is wrong. A program may
// ask for extra qemu options with a "QEMU_ARGS: ..." line (zicntr.S needs
// -icount for exact instret). Each program is also rebuilt with
// -DISA_BREAK_CHECK=<its last check code>, which inverts that one expectation:
// it must then fail with exactly that code, on both machines.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildBare, haveQemuSystem, runQemuSystem, runTsix, SRC_ROOT, type BareResult } from "./bare.js";

const ISA = "test/hw/isa";
const DIR = join(SRC_ROOT, ISA);
const QEMU = haveQemuSystem();
const TIMEOUT_MS = 120_000;

const FILES = readdirSync(DIR).filter((n) => n.endsWith(".S")).sort();

// buildBare's cache key covers the source, bare.h and link.ld only: the
// shared headers of test/hw/isa/ go into the key through a -D flag.
const HEADERS_HASH = (() => {
  const h = createHash("sha256");
  for (const f of readdirSync(DIR).filter((n) => n.endsWith(".h")).sort()) {
    h.update(f);
    h.update(readFileSync(join(DIR, f)));
  }
  return h.digest("hex").slice(0, 16);
})();

function build(file: string, extra: string[] = []): string {
  return buildBare(`${ISA}/${file}`, [`-DISA_HEADERS_HASH=${HEADERS_HASH}`, ...extra]);
}

/** Extra qemu options requested by the program ("QEMU_ARGS: ..." in a comment). */
function qemuArgsOf(source: string): string[] {
  const m = /QEMU_ARGS:(.*)$/m.exec(source);
  return m ? m[1].replace(/\*\//, "").trim().split(/\s+/).filter((s) => s.length > 0) : [];
}

/** Check codes in source order: the code argument of every check macro use. */
function checkCodes(source: string): number[] {
  const codes: number[] = [];
  // code as the last argument: ICHECK(reg, value, n), RCHECK, XCHECK, FCHECK_*, CHECK_TRAPPED(cause, n)
  // code as the first argument: T_*(n, ...)
  const re = /\b(?:(ICHECK|RCHECK|XCHECK|FCHECK_[A-Z]+|CHECK_TRAPPED)\(([^()]*)\)|T_[A-Z0-9]+\((\d+)\s*,)/g;
  for (const line of source.split("\n")) {
    if (/^\s*#\s*define/.test(line)) continue;
    for (const m of line.matchAll(re)) {
      if (m[3] !== undefined) {
        codes.push(Number(m[3]));
      } else {
        const args = m[2].split(",");
        const n = Number(args[args.length - 1].trim());
        if (Number.isInteger(n)) codes.push(n);
      }
    }
  }
  return codes;
}

/** The header comment's first sentence (after "name.S - "), shortened for the test title. */
function summary(source: string): string {
  const m = /^\/\*\s*\S+\s+-\s+([\s\S]*?)(?:\.\s|:\s|\*\/)/.exec(source);
  const text = (m?.[1] ?? "").replace(/\s*\n\s*\*\s*/g, " ").replace(/\s+/g, " ").trim();
  if (text.length <= 90) return text;
  return text.slice(0, text.lastIndexOf(" ", 87)) + " ...";
}

function runQemu(elf: string, extra: string[]): BareResult {
  if (extra.length === 0) return runQemuSystem(elf, "", TIMEOUT_MS);
  const r = spawnSync("qemu-system-riscv64", [
    "-M", "virt", "-bios", "none", "-nographic", "-monitor", "none", "-serial", "stdio",
    "-m", "128M", ...extra, "-kernel", elf,
  ], { encoding: "utf8", timeout: TIMEOUT_MS });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function explain(r: BareResult): string {
  const out = r.stdout ?? "";
  const fail = /isa: FAIL (\d+) got=(0x[0-9a-f]+)(?: fflags=(0x[0-9a-f]+))? exp=(0x[0-9a-f]+)(?: fflags=(0x[0-9a-f]+))?/.exec(out);
  if (fail) {
    const flags = fail[3] !== undefined ? ` (fflags ${BigInt(fail[3])} vs ${BigInt(fail[5] ?? "0")})` : "";
    return ` (check ${fail[1]}: got 0x${BigInt(fail[2]).toString(16)}, expected 0x${BigInt(fail[4]).toString(16)}${flags})`;
  }
  const trap = /isa: unexpected trap mcause=(0x[0-9a-f]+) mepc=(0x[0-9a-f]+) mtval=(0x[0-9a-f]+)/.exec(out);
  if (trap) {
    return ` (unexpected trap: mcause ${BigInt(trap[1])}, mepc 0x${BigInt(trap[2]).toString(16)}, mtval 0x${BigInt(trap[3]).toString(16)})`;
  }
  return "";
}

function assertStatus(r: BareResult, want: number, where: string, what: string): void {
  assert.equal(r.status, want,
    `${what} on ${where}: exit status ${r.status}, expected ${want}${explain(r)}\n` +
    `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

for (const file of FILES) {
  const source = readFileSync(join(DIR, file), "utf8");
  const title = summary(source);
  const qemuExtra = qemuArgsOf(source);
  const codes = checkCodes(source);
  test(`isa: ${file}: ${title}`, async (t) => {
    const elf = build(file);
    if (QEMU) {
      await t.test("qemu (reference)", () => {
        assertStatus(runQemu(elf, qemuExtra), 0, "qemu", file);
      });
    }
    await t.test("tsix", () => {
      assertStatus(runTsix(elf, [], "", TIMEOUT_MS), 0, "tsix", file);
    });
    const last = codes[codes.length - 1];
    if (last !== undefined) {
      await t.test(`a wrong expectation for check ${last} fails with code ${last}`, () => {
        const broken = build(file, [`-DISA_BREAK_CHECK=${last}`]);
        if (QEMU) assertStatus(runQemu(broken, qemuExtra), last, "qemu", `${file} with check ${last} inverted`);
        assertStatus(runTsix(broken, [], "", TIMEOUT_MS), last, "tsix", `${file} with check ${last} inverted`);
      });
    }
  });
}

// The C extension test must really contain the compressed encodings (the
// assembler relaxes an out-of-range c.j/c.beqz/c.bnez to a 32-bit form).
const RV64C = [
  "c.addi4spn", "c.fld", "c.lw", "c.ld", "c.fsd", "c.sw", "c.sd",
  "c.nop", "c.addi", "c.addiw", "c.li", "c.addi16sp", "c.lui", "c.srli", "c.srai", "c.andi",
  "c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw", "c.j", "c.beqz", "c.bnez",
  "c.slli", "c.fldsp", "c.lwsp", "c.ldsp", "c.jr", "c.mv", "c.ebreak", "c.jalr", "c.add",
  "c.fsdsp", "c.swsp", "c.sdsp",
];

test("isa: rvc.S contains every RV64C instruction in compressed form", (t) => {
  const objdump = "riscv64-linux-gnu-objdump";
  if (spawnSync(objdump, ["--version"]).status !== 0) {
    t.skip(`${objdump} is not installed`);
    return;
  }
  const elf = build("rvc.S");
  const r = spawnSync(objdump, ["-d", "-M", "no-aliases", elf], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const seen = new Set<string>();
  for (const line of r.stdout.split("\n")) {
    // "    80000010:	4515                	c.li	a0,5": a 16-bit parcel
    const m = /^\s*[0-9a-f]+:\t([0-9a-f]{4})\s+\t?(\S+)/.exec(line);
    if (!m) continue;
    seen.add(m[1] === "0001" ? "c.nop" : m[2]);
  }
  const missing = RV64C.filter((i) => !seen.has(i));
  assert.deepEqual(missing, [], `compressed instructions missing from rvc.S: ${missing.join(" ")}`);
});
