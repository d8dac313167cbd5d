// Tests of the generated code's shape and cost (hw/jit/translate.ts), beside
// the exactness tests of tier.test.ts and lockstep.test.ts (issue 12):
//  - a region module imports no function table: V8 copies an imported
//    table into every new instance and updates every importing instance at
//    each table.set(), so with one module per region that was quadratic in
//    the number of regions (python3 makes ~1,700); chaining is done by the
//    core (hw/core/jit.ts jitTry) through its own table instead;
//  - return points (the instruction after a call) start blocks, so a return
//    into the caller's page stays in its region; and forward branches are
//    plain wasm `br`s to the target block (not a trip through the dispatch):
//    calls.S runs in lockstep with the interpreter and checks its own sums.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as L from "../../../hw/core/layout.js";
import { translatePage } from "../../../hw/jit/translate.js";
import { buildBare, CROSS_GCC } from "../bare.js";
import { lockstep, runElf } from "./lockstep.js";

const haveGcc = spawnSync(CROSS_GCC, ["--version"]).status === 0;
const skip = !haveGcc && "needs the riscv64 cross gcc";

function symbols(elf: string): Map<string, number> {
  const r = spawnSync("riscv64-linux-gnu-nm", [elf], { encoding: "utf8" });
  const m = new Map<string, number>();
  for (const l of r.stdout.split("\n")) { const [a, , n] = l.split(" "); if (n) m.set(n, parseInt(a, 16)); }
  return m;
}

/** The page of `elf` holding RAM address `pa`, and the core's table expanding compressed instructions, from a machine that ran it. */
function pageOf(elf: string, pa: number): { vaPage: bigint; bytes: Uint8Array; rvc: Uint32Array } {
  const m = runElf(elf, false);
  const page = pa - (pa % 4096);
  const ram = new Uint8Array(m.memory.buffer, L.RAM_HOST + page - L.RAM_PA, 4096);
  const vaPage = BigInt(page);
  return { vaPage, bytes: new Uint8Array(ram), rvc: new Uint32Array(m.memory.buffer, L.RVC_TABLE, 65536).slice() };
}

/** A page of `addi x1, x1, 1` ending in `jal x0, 0` back to offset 0 (a loop). */
function loopPage(): Uint8Array {
  const bytes = new Uint8Array(4096);
  const dv = new DataView(bytes.buffer);
  for (let o = 0; o < 64; o += 4) dv.setUint32(o, 0x00108093, true); // addi x1, x1, 1
  dv.setUint32(64, 0xfc1ff06f, true); // jal x0, -64
  return bytes;
}

test("a region module imports memory and the fp helper, never a function table", () => {
  const tr = translatePage({ vaPage: 0x80000000n, bytes: loopPage(), rvc: new Uint32Array(65536) }, [0], 512);
  assert.ok(tr, "the loop translates");
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(tr.wasm as Uint8Array<ArrayBuffer>));
  const kinds = imports.map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
  assert.deepEqual(kinds, ["env.fp:function", "env.memory:memory"],
    "a region that imports the core's table makes every instantiation and table.set() cost O(regions)");
});

test("return points start blocks: the caller's region holds the code after each call", { skip }, () => {
  const elf = buildBare("test/hw/jit/progs/calls.S");
  const sym = symbols(elf);
  const loop = sym.get("loop")!, retA = sym.get("retA")!, retB = sym.get("retB")!;
  assert.equal(Math.floor(loop / 4096), Math.floor(retB / 4096), "the test needs the loop and its calls in one page");
  const tr = translatePage(pageOf(elf, loop), [loop & 0xfff], 512);
  assert.ok(tr, "the loop translates");
  assert.ok(tr.blocks.includes(retA & 0xfff), `the return point after jal (0x${retA.toString(16)}) starts a block: ${tr.blocks}`);
  assert.ok(tr.blocks.includes(retB & 0xfff), `the return point after jalr (0x${retB.toString(16)}) starts a block: ${tr.blocks}`);
});

test("lockstep: calls and returns inside a page, forward branches over several blocks", { skip }, () => {
  const elf = buildBare("test/hw/jit/progs/calls.S");
  const interp = runElf(elf, false);
  assert.equal(JSON.stringify(interp.finished), '{"kind":"pass","code":0}', "the program passes in the interpreter");
  const m = runElf(elf, { hot: 2 });
  assert.equal(JSON.stringify(m.finished), '{"kind":"pass","code":0}', `translated: ${JSON.stringify(m.finished)}`);
  assert.equal(m.stats().instructions, interp.stats().instructions, "same instruction count in both tiers");
  const s = m.jit.stats();
  assert.ok(s.jitInstructions > interp.stats().instructions / 2, `most of it runs translated: ${JSON.stringify(s)}`);
  // Each of the 300 iterations (N in calls.S) leaves its region twice, into g
  // (after the last block of the loop's region) and back from g's `ret`; f's
  // `ret` comes back through the dispatch. Returns that left the region (or
  // were dispatched to a wrong slot) make that 3 per iteration.
  const transitions = s.regionEntries + s.chained;
  assert.ok(transitions < 2.5 * 300, `f's returns must stay in the region: ${transitions} region entries for 300 iterations`);
  // Every slice compared with the interpreter, in slices of every size.
  for (const maxBudget of [50, 3000]) {
    const r = lockstep(elf, { maxBudget });
    assert.match(r.finished, /"pass"/);
    assert.ok(r.jitInstructions > 0, `nothing ran translated with slices up to ${maxBudget}`);
  }
});
