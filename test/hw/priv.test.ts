// Bare-metal tests of the privileged architecture, the Sv39 MMU and the
// devices (test/hw/priv/*.S, *.c), written from the RISC-V privileged spec
// 1.12, the PLIC / 16550 / virtio 1.1 specs and the QEMU virt memory map.
// Each program runs in M-mode from 0x80000000 and reports through the SiFive
// test finisher: exit status 0 = pass, n = the check with code n failed (the
// program also prints "FAIL <code> <got> <expected>" in hex on the UART).
//
// Every program runs on tsix (`tsix machine --bare`) and, when
// qemu-system-riscv64 is installed, on qemu (-M virt -bios none) as the
// reference: a failure there means the test itself is wrong. Where QEMU 7.2
// departs from the spec, the programs say so in their header comments (they
// accept both behaviours or leave the point unchecked), except interrupt
// priority: QEMU without AIA takes the lowest-numbered pending interrupt, so
// priority.S runs on qemu with -cpu rv64,x-smaia=true,x-ssaia=true, which
// gives the privileged spec's order.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBare, haveQemuSystem, runQemuSystem, runTsix, SRC_ROOT, type BareResult } from "./bare.js";

const PRIV = "test/hw/priv";
const QEMU = haveQemuSystem();
const TIMEOUT_MS = 120_000;

// buildBare caches on the source, bare.h and link.ld only: the shared headers
// of test/hw/priv/ go into the cache key through a -D flag.
const HEADERS_HASH = (() => {
  const h = createHash("sha256");
  const dir = join(SRC_ROOT, PRIV);
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".h")).sort()) {
    h.update(f);
    h.update(readFileSync(join(dir, f)));
  }
  return h.digest("hex").slice(0, 16);
})();

function build(file: string): string {
  return buildBare(`${PRIV}/${file}`, [`-DPRIV_HEADERS_HASH=${HEADERS_HASH}`]);
}

/** qemu-system-riscv64 -M virt -bios none with extra options (runQemuSystem takes none). */
function runQemuWith(elf: string, extra: string[], input = ""): BareResult {
  const r = spawnSync("qemu-system-riscv64", [
    "-M", "virt", "-bios", "none", "-nographic", "-monitor", "none", "-serial", "stdio",
    "-m", "128M", ...extra, "-kernel", elf,
  ], { input, encoding: "utf8", timeout: TIMEOUT_MS });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function assertPass(r: BareResult, where: string, file: string): void {
  const fail = /FAIL ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})/.exec(r.stdout ?? "");
  const detail = fail
    ? ` (check ${parseInt(fail[1], 16)}: got 0x${BigInt("0x" + fail[2]).toString(16)}, ` +
      `expected 0x${BigInt("0x" + fail[3]).toString(16)})`
    : "";
  assert.equal(r.status, 0,
    `${file} on ${where}: exit status ${r.status}${detail}\n` +
    `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

interface Case {
  file: string;
  what: string;
  tsixArgs?: string[];
  /** extra qemu options; when given, qemu is spawned here instead of runQemuSystem */
  qemuArgs?: string[];
  input?: string;
  /** stdout must contain this (on both machines) */
  stdout?: string;
  /** stdout must not contain this */
  notStdout?: string;
}

const CASES: Case[] = [
  { file: "trap_modes.S", what: "ecall from M/S/U, mepc/mtval, mret/sret and the MPP/MPIE/SPP/SPIE stacks" },
  { file: "trap_exc.S", what: "ebreak, illegal instruction mtval, access faults, misaligned AMO/LR" },
  { file: "deleg.S", what: "medeleg: delegated traps go to S with scause/sepc/stval/SPP/SPIE" },
  { file: "priv_access.S", what: "privileged instructions and CSRs from lower modes, TVM/TSR/TW, counter enables" },
  { file: "csr_views.S", what: "misa/mhartid, sstatus as a view of mstatus, sie/sip masked by mideleg" },
  { file: "timer.S", what: "CLINT timer and software interrupts, MTIP/MSIP, wfi with MIE = 0" },
  { file: "vectored.S", what: "mtvec/stvec vectored mode: interrupts at BASE + 4 * cause" },
  { file: "sstc.S", what: "Sstc stimecmp with menvcfg.STCE, delegated STI in S and U" },
  { file: "int_modes.S", what: "interrupt enabling per privilege mode and delegation" },
  {
    file: "priority.S", what: "interrupt priority MEI > MSI > MTI > SEI > SSI > STI",
    qemuArgs: ["-cpu", "rv64,x-smaia=true,x-ssaia=true"],
  },
  { file: "mmu_basic.c", what: "Sv39: page sizes, page faults and stval, canonical addresses, reserved PTEs" },
  { file: "mmu_perm.c", what: "Sv39 permissions: R/W/X/U, SUM, MXR" },
  { file: "mmu_ad.c", what: "Sv39 A/D bits set by hardware" },
  { file: "mmu_fence.c", what: "sfence.vma (all, address, ASID) and ASID switching" },
  { file: "mmu_mprv.c", what: "MPRV: M-mode loads/stores translated as MPP" },
  { file: "plic.S", what: "PLIC with the UART THR-empty interrupt: claim/complete, threshold, contexts" },
  {
    file: "uart_echo.S", what: "polled UART echo", input: "hello tsix\n",
    stdout: "> hello tsix\n", notStdout: "\x01",
  },
  {
    file: "uart_irq.S", what: "interrupt-driven UART receive through the PLIC", input: "hello tsix\n",
    stdout: "> hello tsix\n",
  },
  { file: "smp.S", what: "two harts: mhartid, msip between harts, AMO and LR/SC counting", tsixArgs: ["--harts", "2"], qemuArgs: ["-smp", "2"] },
];

function checkOutput(r: BareResult, c: Case, where: string): void {
  if (c.stdout !== undefined) {
    assert.ok(r.stdout.includes(c.stdout), `${c.file} on ${where}: stdout lacks ${JSON.stringify(c.stdout)}:\n${r.stdout}`);
  }
  if (c.notStdout !== undefined) {
    assert.ok(!r.stdout.includes(c.notStdout), `${c.file} on ${where}: stdout has ${JSON.stringify(c.notStdout)}:\n${JSON.stringify(r.stdout)}`);
  }
}

for (const c of CASES) {
  test(`priv: ${c.file}: ${c.what}`, async (t) => {
    const elf = build(c.file);
    if (QEMU) {
      await t.test("qemu (reference)", () => {
        const r = c.qemuArgs ? runQemuWith(elf, c.qemuArgs, c.input) : runQemuSystem(elf, c.input, TIMEOUT_MS);
        assertPass(r, "qemu", c.file);
        checkOutput(r, c, "qemu");
      });
    }
    await t.test("tsix", () => {
      const r = runTsix(elf, c.tsixArgs ?? [], c.input ?? "", TIMEOUT_MS);
      assertPass(r, "tsix", c.file);
      checkOutput(r, c, "tsix");
    });
  });
}

// ---- virtio-blk: the same patterns as test/hw/priv/virtio.h
const SECTOR = 512;
const DISK_BYTES = 1 << 20;
const LAST_SECTOR = DISK_BYTES / SECTOR - 1;
const hostByte = (o: number): number => ((o >>> 9) * 3 + o * 5 + 1) & 0xff;
const guestByte = (o: number): number => ((o >>> 9) * 7 + (o ^ 0x5a) * 13 + 0x33) & 0xff;

function makeImage(dir: string): string {
  const img = Buffer.alloc(DISK_BYTES);
  for (let o = 0; o < DISK_BYTES; o++) img[o] = hostByte(o);
  const path = join(dir, "disk.img");
  writeFileSync(path, img);
  return path;
}

/** The image after virtio_write.c: sectors 0..7 and the last one rewritten, the rest untouched. */
function checkImage(path: string, where: string): void {
  const img = readFileSync(path);
  assert.equal(img.length, DISK_BYTES, `${where}: the image changed size`);
  for (let o = 0; o < DISK_BYTES; o++) {
    const s = o >>> 9;
    const want = s < 8 || s === LAST_SECTOR ? guestByte(o) : hostByte(o);
    if (img[o] !== want) {
      assert.fail(`${where}: image byte 0x${o.toString(16)} (sector ${s}) is 0x${img[o].toString(16)}, expected 0x${want.toString(16)}`);
    }
  }
}

function qemuDiskArgs(img: string): string[] {
  return [
    "-global", "virtio-mmio.force-legacy=false",
    "-drive", `file=${img},if=none,format=raw,id=d0`,
    // the first virtio-mmio transport (0x10001000, IRQ 1), like tsix's
    "-device", "virtio-blk-device,drive=d0,bus=virtio-mmio-bus.0",
  ];
}

test("priv: virtio-blk: write, flush, read back, then read again after a restart", async (t) => {
  const write = build("virtio_write.c");
  const read = build("virtio_read.c");
  const dir = mkdtempSync(join(tmpdir(), "tsix-priv-"));
  if (QEMU) {
    await t.test("qemu (reference)", () => {
      const img = makeImage(dir);
      assertPass(runQemuWith(write, qemuDiskArgs(img)), "qemu", "virtio_write.c");
      checkImage(img, "qemu");
      assertPass(runQemuWith(read, qemuDiskArgs(img)), "qemu", "virtio_read.c");
      checkImage(img, "qemu, after virtio_read.c");
      // the reader really checks: on a fresh image it must fail
      const fresh = makeImage(dir);
      const r = runQemuWith(read, qemuDiskArgs(fresh));
      assert.equal(r.status, 41, `virtio_read.c on an unwritten image: expected check 41 to fail\n${r.stdout}`);
    });
  }
  await t.test("tsix", () => {
    const img = makeImage(dir);
    assertPass(runTsix(write, ["--disk", img], "", TIMEOUT_MS), "tsix", "virtio_write.c");
    checkImage(img, "tsix");
    assertPass(runTsix(read, ["--disk", img], "", TIMEOUT_MS), "tsix", "virtio_read.c");
    checkImage(img, "tsix, after virtio_read.c");
  });
});
