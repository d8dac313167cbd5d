// The interpreter executes compressed instructions directly (hw/core/hart.ts,
// cases 32..55 of run()'s dispatch) instead of expanding them through the RVC
// table. This test holds it to the expansion, which test/hw/rvc.test.ts checks
// against objdump: every one of the 49,152 compressed parcels is run once as
// itself and once as its 32-bit expansion from the table, from the same hart
// state and RAM, and everything the instruction can change must come out the
// same: x1..x31, f0..f31, pc, mstatus, the trap CSRs, instret and a window of
// RAM that the loads and stores reach. The only expected differences are the
// instruction's length (the fall-through pc, and the link of c.jalr is pc + 2).
// A parcel the table expands to 0 must raise an illegal instruction exception
// with the parcel as mtval.
//
// Two passes: x2 and x8..x15 point into the RAM window and F is on (loads and
// stores hit RAM, FP loads and stores run); then every register is random
// and F is off (the arithmetic sees sign bits, memory accesses fault, FP ones
// are illegal).
import { test } from "node:test";
import { strict as assert } from "node:assert";
import * as L from "../../hw/core/layout.js";
import { createMachine } from "../../hw/machine.js";
import { loadCore } from "../../host/node/core.js";

const CODE = 0x80010000;   // the instruction under test
const TRAP = 0x80020000;   // mtvec
const WIN = 0x80100000;    // RAM window reached by loads and stores (4 KiB + offsets up to 0x1f8)
const WIN_LEN = 0x1400;
const C_J_SELF = 0xa001;   // c.j 0: a taken jump, so run(1) returns there

const MSTATUS_FS_INITIAL = 1n << 13n;
const MSTATUS_FS = 3n << 13n;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

test("every compressed parcel executes as its 32-bit expansion does", () => {
  const m = createMachine(loadCore(), { memBytes: 16 << 20, jit: false, clock: "instret" });
  const st = m.hartState(0);
  const table = new Uint32Array(m.memory.buffer, L.RVC_TABLE, 65536).slice();
  const ram = m.ram;
  const off = (pa: number): number => pa - L.RAM_PA;
  const next = rng(12345);
  const r64 = (): bigint => (BigInt(next()) << 32n) | BigInt(next());
  let ran = 0, illegal = 0, fpDirty = 0, stored = 0, traps = 0, fsOff = 0;

  for (const pass of [0, 1]) {
    const regs: bigint[] = [0n];
    for (let i = 1; i < 32; i++) {
      const inWindow = pass === 0 && (i === 2 || (i >= 8 && i <= 15));
      regs.push(inWindow ? BigInt(WIN + (next() & 0xff8) + (next() & 1) * 4) : r64());
    }
    const fregs: bigint[] = [];
    for (let i = 0; i < 32; i++) fregs.push(r64());
    const window = new Uint8Array(WIN_LEN);
    for (let i = 0; i < WIN_LEN; i++) window[i] = next() & 0xff;
    const mstatus = pass === 0 ? MSTATUS_FS_INITIAL : 0n;

    // Run `bytes` (little-endian code units) at CODE from the pass's state; return what it changed.
    const runOne = (units: number[]): { x: bigint[]; f: bigint[]; pc: bigint; csr: bigint[]; win: Uint8Array } => {
      for (let i = 0; i < 32; i++) { st[i] = regs[i]; st[32 + i] = fregs[i]; }
      st[L.PC / 8] = BigInt(CODE);
      st[L.PRIV / 8] = 3n;
      st[L.MSTATUS / 8] = mstatus;
      st[L.MTVEC / 8] = BigInt(TRAP);
      st[L.MCAUSE / 8] = 0n; st[L.MTVAL / 8] = 0n; st[L.MEPC / 8] = 0n;
      st[L.INSTRET / 8] = 0n;
      let a = off(CODE);
      for (const u of units) { ram[a] = u & 0xff; ram[a + 1] = u >> 8; a += 2; }
      ram[a] = C_J_SELF & 0xff; ram[a + 1] = C_J_SELF >> 8;
      ram.set(window, off(WIN));
      m.core.modeChanged();
      m.runSlice(1);
      return {
        x: Array.from(st.subarray(0, 32)), f: Array.from(st.subarray(32, 64)), pc: st[L.PC / 8],
        csr: [st[L.MSTATUS / 8], st[L.MCAUSE / 8], st[L.MTVAL / 8], st[L.MEPC / 8], st[L.INSTRET / 8]],
        win: ram.slice(off(WIN), off(WIN) + WIN_LEN),
      };
    };
    const trapWord = off(TRAP);
    ram[trapWord] = C_J_SELF & 0xff; ram[trapWord + 1] = C_J_SELF >> 8;

    for (let p = 0; p < 0x10000; p++) {
      if ((p & 3) === 3) continue;
      const exp = table[p];
      const got = runOne([p]);
      ran++;
      const what = `parcel 0x${p.toString(16).padStart(4, "0")} (expansion 0x${exp.toString(16).padStart(8, "0")}, pass ${pass})`;
      if (exp === 0) {
        illegal++;
        assert.equal(got.pc, BigInt(TRAP), `${what}: a reserved parcel must trap`);
        assert.deepEqual(got.csr.slice(1, 4), [2n, BigInt(p), BigInt(CODE)], `${what}: mcause, mtval, mepc`);
        assert.deepEqual(got.x.slice(1), regs.slice(1), `${what}: registers must not change`);
        continue;
      }
      const want = runOne([exp & 0xffff, exp >>> 16]);
      // Length differences: falling through lands on the c.j at CODE + 2 (CODE + 4 for
      // the expansion), and a jump's link register holds the next instruction's address.
      // (Falling through retires two instructions, the one under test and the c.j.)
      if (want.csr[4] === 2n && want.pc === BigInt(CODE + 4)) want.pc = BigInt(CODE + 2);
      const op = exp & 0x7f, rd = (exp >>> 7) & 31;
      if ((op === 0x6f || op === 0x67) && rd !== 0) want.x[rd] = BigInt(CODE + 2);
      // An illegal instruction's mtval holds the instruction as fetched, the
      // 16-bit parcel (as on QEMU); only the FP ones with mstatus.FS off get here.
      if (want.csr[1] === 2n && want.csr[2] === BigInt(exp)) { want.csr[2] = BigInt(p); fsOff++; }
      assert.equal(got.pc, want.pc, `${what}: pc`);
      assert.deepEqual(got.x, want.x, `${what}: x registers`);
      assert.deepEqual(got.f, want.f, `${what}: f registers`);
      assert.deepEqual(got.csr, want.csr, `${what}: mstatus, mcause, mtval, mepc, instret`);
      assert.ok(Buffer.compare(got.win, want.win) === 0, `${what}: RAM window`);
      if (pass === 0 && (got.csr[0] & MSTATUS_FS) === MSTATUS_FS) fpDirty++;
      if (pass === 0 && Buffer.compare(got.win, window) !== 0) stored++;
      if (got.pc === BigInt(TRAP)) traps++;
    }
  }
  assert.equal(ran, 2 * 49152);
  assert.equal(illegal % 2, 0);
  assert.ok(illegal > 0);
  // The passes reached what they are for: FP loads and stores ran (mstatus.FS
  // dirty), stores changed the window, and faults were taken.
  assert.ok(fpDirty > 0 && stored > 0 && traps > 0 && fsOff > 0, `fp ${fpDirty}, stores ${stored}, traps ${traps}, fs off ${fsOff}`);
});
